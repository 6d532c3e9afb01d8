"""Named landmarks of a garment, found from its silhouette.

A garment laid flat (or on an invisible mannequin) is seen from the front, so the wearer's left
is on the image right. Every landmark comes from the outline of the mask:

* the centre line is the axis about which the silhouette is most nearly mirror-symmetric;
* the neck opening is the dent in the top edge around the centre line: its two rims are the
  neck points. The front neckline (NECK_CENTER) is the lowest point of that dent, or, when the
  inside of the back shows through it, the strongest edge in the photo below the dent;
* each armpit is the deepest dent of the outline on its side: between the sleeve and the body
  (short sleeves), at the top of the gap between a hanging sleeve and the body (long sleeves),
  or at the bottom of the armhole (sleeveless);
* the shoulder point is on the top edge straight above the armpit (sleeveless: the outer
  corner of the shoulder strap, where the armhole starts);
* the sleeve is what lies outside the line from shoulder to armpit; its cuff is its far end;
* the hem corners are the bottom corners of the body below the armpits.

The category follows from the sleeve length relative to the body, the body's length relative to
its width (a dress) and a hood rising above the shoulders (outerwear).

    found = find_landmarks(alpha, rgb)
    found.points        # (11, 2) float32, rows indexed by GarmentPoint
    found.cuff_widths   # (2,) float32, [left, right]
    found.category      # Category
"""

from dataclasses import dataclass
from enum import Enum, IntEnum

import cv2
import numpy as np

from .config import LANDMARKS, LandmarkConfig
from .errors import GarmentError

NO_SHAPE = (
    "Could not make out the garment's shape in this photo. Please use a front view of a single "
    "top or dress, laid flat or on an invisible mannequin, with both sleeves (or armholes) and "
    "the hem in the picture."
)


class GarmentPoint(IntEnum):
    """Rows of ``Garment.landmarks``. LEFT/RIGHT are the wearer's: image right is LEFT."""

    NECK_LEFT = 0  # where the neckline meets the shoulder line
    NECK_CENTER = 1  # lowest point of the front neckline, on the centre line
    NECK_RIGHT = 2
    SHOULDER_LEFT = 3  # outer end of the shoulder line, where the sleeve starts
    SHOULDER_RIGHT = 4
    ARMPIT_LEFT = 5  # where the sleeve's underside meets the side seam
    ARMPIT_RIGHT = 6
    SLEEVE_LEFT = 7  # centre of the cuff; sleeveless: middle of the armhole
    SLEEVE_RIGHT = 8
    HEM_LEFT = 9  # bottom corners of the body panel
    HEM_RIGHT = 10


class Category(str, Enum):
    SLEEVELESS = "sleeveless"
    SHORT_SLEEVE = "short-sleeve"
    LONG_SLEEVE = "long-sleeve"
    OUTERWEAR = "outerwear"
    DRESS = "dress"


@dataclass(frozen=True)
class Landmarks:
    points: np.ndarray  # (11, 2) float32, (x, y) pixels
    cuff_widths: np.ndarray  # (2,) float32, [left, right]
    category: Category


# Side signs: the wearer's left is on the image right, so "outward" on the left is +x.
LEFT, RIGHT = +1, -1


@dataclass(frozen=True)
class _Dent:
    """One convexity defect of the outline: a dent between two hull points."""

    start: np.ndarray  # (x, y) hull point where the dent begins (contour order)
    end: np.ndarray  # hull point where it ends
    deepest: np.ndarray  # the dent's point farthest from the hull
    depth: float
    indices: tuple[int, int, int]  # contour indices of start, end, deepest


def find_landmarks(
    alpha: np.ndarray, rgb: np.ndarray, cfg: LandmarkConfig = LANDMARKS
) -> Landmarks:
    """Landmarks, cuff widths and category of the garment whose mask is ``alpha >= 128``."""
    scale = min(1.0, cfg.work_long_side_px / max(alpha.shape))
    mask = cv2.resize(alpha, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) >= 128
    mask = _largest_component(mask)
    grey = cv2.cvtColor(
        cv2.resize(rgb, (mask.shape[1], mask.shape[0]), interpolation=cv2.INTER_AREA),
        cv2.COLOR_RGB2GRAY,
    )
    ys, xs = np.nonzero(mask)
    if len(ys) == 0:
        raise GarmentError(NO_SHAPE)
    top, bottom = ys.min(), ys.max()
    height = float(bottom - top + 1)
    width = float(xs.max() - xs.min() + 1)

    centre_x = _symmetry_axis(mask)
    contour = _outer_contour(mask)
    dents = _dents(contour, cfg.min_dent_depth_frac * max(height, width))

    neck_left, neck_right, neck_dip = _neck_points(mask, centre_x, dents, width, cfg)
    neck_center = _front_neckline(grey, mask, centre_x, neck_left, neck_right, neck_dip, cfg)
    neck_y = max(neck_left[1], neck_right[1])

    points = np.zeros((len(GarmentPoint), 2), np.float32)
    cuffs = np.zeros(2, np.float32)
    sleeve_lengths = []
    for side, names in ((LEFT, _LEFT_NAMES), (RIGHT, _RIGHT_NAMES)):
        neck = neck_left if side == LEFT else neck_right
        armpit, armhole_top = _armpit(mask, side, centre_x, neck[0], neck_y, width, height, cfg)
        has_sleeve = side * (armhole_top[0] - armpit[0]) > cfg.sleeve_min_reach_frac * width
        if has_sleeve:
            shoulder = _top_edge_point(mask, armpit[0] + side * cfg.shoulder_outset_frac * width)
            outline = _sleeve_outline(contour, shoulder, armpit)
            cuff, cuff_width = _cuff(mask.shape, outline, shoulder, armpit)
            sleeve_lengths.append(float(np.linalg.norm(cuff - (shoulder + armpit) / 2)))
        else:
            shoulder = armhole_top
            outline = _sleeve_outline(contour, shoulder, armpit)
            cuff = _arc_middle(outline)
            steps = np.linalg.norm(np.diff(outline.astype(np.float32), axis=0), axis=1)
            cuff_width = float(steps.sum())  # sleeveless: the armhole's length
            sleeve_lengths.append(0.0)
        points[names.neck] = neck
        points[names.shoulder] = shoulder
        points[names.armpit] = armpit
        points[names.sleeve] = cuff
        cuffs[0 if side == LEFT else 1] = cuff_width

    points[GarmentPoint.NECK_CENTER] = neck_center
    hem_left, hem_right = _hem_corners(mask, centre_x, points, cfg)
    points[GarmentPoint.HEM_LEFT] = hem_left
    points[GarmentPoint.HEM_RIGHT] = hem_right

    category = _category(mask, points, sleeve_lengths, centre_x, neck_y, top, cfg)
    return Landmarks(points / scale, cuffs / scale, category)


@dataclass(frozen=True)
class _SideNames:
    neck: int
    shoulder: int
    armpit: int
    sleeve: int


_LEFT_NAMES = _SideNames(
    GarmentPoint.NECK_LEFT,
    GarmentPoint.SHOULDER_LEFT,
    GarmentPoint.ARMPIT_LEFT,
    GarmentPoint.SLEEVE_LEFT,
)
_RIGHT_NAMES = _SideNames(
    GarmentPoint.NECK_RIGHT,
    GarmentPoint.SHOULDER_RIGHT,
    GarmentPoint.ARMPIT_RIGHT,
    GarmentPoint.SLEEVE_RIGHT,
)


def _largest_component(mask: np.ndarray) -> np.ndarray:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    if count <= 1:
        raise GarmentError(NO_SHAPE)
    return labels == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))


def _symmetry_axis(mask: np.ndarray) -> float:
    """The x about which the mask overlaps its own mirror image best."""
    xs = np.nonzero(mask.any(axis=0))[0]
    left, right = xs.min(), xs.max()
    best_x, best_overlap = (left + right) / 2, -1.0
    span = right - left
    for doubled in range(int(2 * left + span * 0.8), int(2 * right - span * 0.8) + 1):
        # mirror about x = doubled / 2: column c maps to doubled - c
        cols = np.arange(mask.shape[1])
        mirrored_cols = doubled - cols
        valid = (mirrored_cols >= 0) & (mirrored_cols < mask.shape[1])
        overlap = np.count_nonzero(mask[:, cols[valid]] & mask[:, mirrored_cols[valid]])
        if overlap > best_overlap:
            best_x, best_overlap = doubled / 2, overlap
    return float(best_x)


def _outer_contour(mask: np.ndarray) -> np.ndarray:
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    return max(contours, key=cv2.contourArea)[:, 0, :]


def _dents(contour: np.ndarray, min_depth: float) -> list[_Dent]:
    hull = np.sort(cv2.convexHull(contour, returnPoints=False).reshape(-1))
    defects = cv2.convexityDefects(contour, hull.astype(np.int32))
    if defects is None:
        return []
    dents = []
    for start, end, far, depth in defects.reshape(-1, 4):
        if depth / 256.0 >= min_depth:
            dents.append(
                _Dent(
                    contour[start].astype(np.float32),
                    contour[end].astype(np.float32),
                    contour[far].astype(np.float32),
                    depth / 256.0,
                    (int(start), int(end), int(far)),
                )
            )
    return dents


def _top_edge_point(mask: np.ndarray, x: float) -> np.ndarray:
    """The topmost garment pixel in column x (clamped into the mask's columns)."""
    columns = np.nonzero(mask.any(axis=0))[0]
    column = int(np.clip(round(x), columns.min(), columns.max()))
    rows = np.nonzero(mask[:, column])[0]
    return np.array([column, rows.min()], np.float32)


def _neck_points(
    mask: np.ndarray, centre_x: float, dents: list[_Dent], width: float, cfg: LandmarkConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The two rims of the neck opening, and the lowest point of the dent between them."""
    top_dents = [
        dent
        for dent in dents
        if min(dent.start[0], dent.end[0]) < centre_x < max(dent.start[0], dent.end[0])
        and abs(dent.deepest[0] - centre_x) < cfg.neck_max_half_width_frac * width
    ]
    if top_dents:
        # The neck dent is the topmost dent that spans the centre line.
        neck = min(top_dents, key=lambda dent: min(dent.start[1], dent.end[1]))
        ends = sorted([neck.start, neck.end], key=lambda p: p[0])
        return ends[1], ends[0], neck.deepest
    # A hood or a stand-up collar rises above the shoulders: the neck points are the corners
    # where it meets the shoulder line, one dent on each side near the centre, high up.
    top_y = min(p[1] for dent in dents for p in (dent.start, dent.end)) if dents else 0
    corners = []
    for side in (LEFT, RIGHT):
        near = [
            dent
            for dent in dents
            if 0 < side * (dent.deepest[0] - centre_x) < cfg.neck_max_half_width_frac * width
            and dent.deepest[1] < top_y + cfg.collar_max_depth_frac * width
        ]
        if near:
            corners.append(min(near, key=lambda d: d.deepest[1]).deepest)
    if len(corners) == 2:
        return corners[0], corners[1], _top_edge_point(mask, centre_x)
    # No dent at the top (a strapless or off-shoulder top): put the neck points a typical
    # neck's width apart on the top edge.
    half = cfg.neck_default_half_width_frac * width
    left = _top_edge_point(mask, centre_x + half)
    right = _top_edge_point(mask, centre_x - half)
    return left, right, _top_edge_point(mask, centre_x)


def _front_neckline(
    grey: np.ndarray,
    mask: np.ndarray,
    centre_x: float,
    neck_left: np.ndarray,
    neck_right: np.ndarray,
    neck_dip: np.ndarray,
    cfg: LandmarkConfig,
) -> np.ndarray:
    """Lowest point of the front neckline on the centre line.

    On an invisible mannequin (and on most flat lays) the inside of the back shows through the
    neck opening, so the silhouette's dent is the *back* neckline; the front neckline is then
    the first clear horizontal edge in the photo a little lower on the centre line.
    """
    neck_width = float(neck_left[0] - neck_right[0])
    rim_y = (neck_left[1] + neck_right[1]) / 2
    dip_y = _top_edge_point(mask, centre_x)[1]
    if dip_y - rim_y >= cfg.front_neck_min_depth * neck_width:
        return np.array([centre_x, dip_y], np.float32)  # the dent is the front neckline itself
    half_strip = max(1, round(cfg.front_neck_strip_frac * neck_width))
    x0, x1 = round(centre_x) - half_strip, round(centre_x) + half_strip + 1
    y0 = int(dip_y + 2)
    y1 = int(min(rim_y + cfg.front_neck_max_depth * neck_width, grey.shape[0] - 2))
    if y1 > y0 + 2:
        strip = cv2.GaussianBlur(grey, (5, 5), 0).astype(np.float32)[:, x0:x1]
        step = np.abs(np.diff(strip, axis=0)).mean(axis=1)  # step[y]: between rows y and y+1
        inside = mask[y0:y1, x0:x1].all(axis=1)
        strong = np.flatnonzero(inside & (step[y0:y1] >= cfg.front_neck_min_edge))
        if len(strong):  # the first edge below the back: prints further down do not count
            return np.array([centre_x, y0 + strong[0] + 0.5], np.float32)
    return np.array([centre_x, rim_y + cfg.front_neck_default_depth * neck_width], np.float32)


def _armpit(
    mask: np.ndarray,
    side: int,
    centre_x: float,
    neck_x: float,
    neck_y: float,
    width: float,
    height: float,
    cfg: LandmarkConfig,
) -> tuple[np.ndarray, np.ndarray]:
    """The armpit on one side, and the shoulder-side end of its dent.

    The dents are taken on that side's half of the silhouette alone, so that when long sleeves
    hang below the hem the dent between sleeve and body is not merged with the hem's. The
    armpit's dent is the highest sizeable one (lower ones are leg openings or ties). Its end
    towards the shoulder is a cuff corner if there is a sleeve, else the shoulder strap's top.
    """
    half = mask & _half(mask.shape, centre_x, side)
    contour = _outer_contour(half)
    bottom = contour[:, 1].max()
    candidates = [
        dent
        for dent in _dents(contour, cfg.min_dent_depth_frac * max(height, width))
        if side * (dent.deepest[0] - centre_x) > cfg.armpit_min_outset_frac * width
        and side * (dent.deepest[0] - neck_x) > -cfg.armpit_neck_slack_frac * width  # not the neck
        and neck_y < dent.deepest[1] < bottom - cfg.armpit_min_above_hem_frac * height
    ]
    if not candidates:
        raise GarmentError(NO_SHAPE)
    deepest = max(dent.depth for dent in candidates)
    sizeable = [
        dent for dent in candidates if dent.depth >= cfg.armpit_min_relative_depth * deepest
    ]
    dent = min(sizeable, key=lambda d: d.deepest[1])
    # Walk the half outline from the top of the centre line outwards (neck, shoulder, sleeve,
    # armpit, side, hem): the dent end met first is the one on the shoulder's side.
    on_centre = np.flatnonzero(np.abs(contour[:, 0] - centre_x) <= 1.0)
    top = on_centre[np.argmin(contour[on_centre, 1])] if len(on_centre) else 0
    count = len(contour)
    outward = side * (contour[(top + 3) % count, 0] - contour[top, 0]) > 0
    step = 1 if outward else -1
    start_index, end_index, _ = dent.indices
    walked_to_start = ((start_index - top) * step) % count
    walked_to_end = ((end_index - top) * step) % count
    shoulder_end, hem_index = (
        (dent.start, end_index) if walked_to_start < walked_to_end else (dent.end, start_index)
    )
    armpit = dent.deepest
    if side * (shoulder_end[0] - armpit[0]) <= cfg.sleeve_min_reach_frac * width:
        # Sleeveless: the dent's deepest point is somewhere on the curved armhole; the armpit is
        # the corner further down where the armhole turns into the side seam, i.e. the point of
        # the path towards the hem that is farthest out-and-up.
        deepest_index = dent.indices[2]
        path = contour[
            np.sort([deepest_index, hem_index])[0] : np.sort([deepest_index, hem_index])[1] + 1
        ]
        score = side * path[:, 0] - path[:, 1]
        armpit = path[int(np.argmax(score))].astype(np.float32)
    return armpit, shoulder_end


def _sleeve_outline(contour: np.ndarray, shoulder: np.ndarray, armpit: np.ndarray) -> np.ndarray:
    """The outline from the shoulder round the sleeve (or armhole) to the armpit.

    Of the two ways round the contour between those points, the sleeve's is the shorter: the
    other one passes the neck, the other sleeve and the hem.
    """
    i = int(np.argmin(np.linalg.norm(contour - shoulder, axis=1)))
    j = int(np.argmin(np.linalg.norm(contour - armpit, axis=1)))
    i, j = min(i, j), max(i, j)
    inner = contour[i : j + 1]
    outer = np.concatenate([contour[j:], contour[: i + 1]])
    return inner if len(inner) <= len(outer) else outer


def _cuff(
    mask_shape: tuple[int, int], outline: np.ndarray, shoulder: np.ndarray, armpit: np.ndarray
) -> tuple[np.ndarray, float]:
    """Centre and width of the sleeve's far end.

    The sleeve is the region enclosed by its outline and the armhole line (shoulder to armpit).
    Its axis runs from the middle of the armhole line to the sleeve's centroid; the cuff is the
    widest cross-section across that axis near the far end, and its centre is the far end of the
    sleeve along the line through the middle of that cross-section.
    """
    sleeve_mask = np.zeros(mask_shape, np.uint8)
    cv2.fillPoly(sleeve_mask, [outline.astype(np.int32)], 1)
    ys, xs = np.nonzero(sleeve_mask)
    if len(ys) < 10:
        raise GarmentError(NO_SHAPE)
    sleeve = np.stack([xs, ys], axis=1).astype(np.float32)
    base = (shoulder + armpit) / 2
    axis = sleeve.mean(axis=0) - base
    axis /= max(float(np.linalg.norm(axis)), 1e-6)
    across = np.array([-axis[1], axis[0]], np.float32)
    along = (sleeve - base) @ axis
    sideways = (sleeve - base) @ across
    reach = float(along.max())
    widths, centres = [], []
    for level in np.linspace(0.8 * reach, 0.95 * reach, 6):
        row = np.abs(along - level) < 0.75
        if np.count_nonzero(row) >= 2:
            widths.append(sideways[row].max() - sideways[row].min())
            centres.append((sideways[row].max() + sideways[row].min()) / 2)
    if not widths:
        raise GarmentError(NO_SHAPE)
    best = int(np.argmax(widths))
    middle = centres[best]
    on_line = np.abs(sideways - middle) < 1.0
    end = along[on_line].max() if np.any(on_line) else reach
    cuff = base + axis * end + across * middle
    return cuff.astype(np.float32), float(widths[best])


def _arc_middle(outline: np.ndarray) -> np.ndarray:
    """The point halfway along a contour path."""
    steps = np.linalg.norm(np.diff(outline.astype(np.float32), axis=0), axis=1)
    walked = np.concatenate([[0.0], np.cumsum(steps)])
    return outline[int(np.searchsorted(walked, walked[-1] / 2))].astype(np.float32)


def _hem_corners(
    mask: np.ndarray, centre_x: float, points: np.ndarray, cfg: LandmarkConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Bottom corners of the body: below the armpits, between them, thin parts (ties) removed."""
    armpit_y = int(max(points[GarmentPoint.ARMPIT_LEFT, 1], points[GarmentPoint.ARMPIT_RIGHT, 1]))
    body = mask.copy()
    body[: armpit_y + 1] = False
    left_x = points[GarmentPoint.ARMPIT_LEFT, 0]
    right_x = points[GarmentPoint.ARMPIT_RIGHT, 0]
    body_width = max(left_x - right_x, 1.0)
    radius = max(1, round(cfg.hem_open_frac * body_width))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    opened = cv2.morphologyEx(body.astype(np.uint8), cv2.MORPH_OPEN, kernel) > 0
    if opened.any():
        body = _largest_component(opened)
    corners = []
    for side in (LEFT, RIGHT):
        ys, xs = np.nonzero(body & _half(body.shape, centre_x, side))
        if len(ys) == 0:
            raise GarmentError(NO_SHAPE)
        score = ys + cfg.hem_corner_outward_weight * side * (xs - centre_x)
        best = int(np.argmax(score))
        corners.append(np.array([xs[best], ys[best]], np.float32))
    return corners[0], corners[1]


def _half(shape: tuple[int, int], centre_x: float, side: int) -> np.ndarray:
    cols = np.arange(shape[1])[None, :]
    return np.broadcast_to(side * (cols - centre_x) >= 0, shape)


def _category(
    mask: np.ndarray,
    points: np.ndarray,
    sleeve_lengths: list[float],
    centre_x: float,
    neck_y: float,
    top: float,
    cfg: LandmarkConfig,
) -> Category:
    shoulders_y = (
        points[GarmentPoint.SHOULDER_LEFT, 1] + points[GarmentPoint.SHOULDER_RIGHT, 1]
    ) / 2
    hem_y = (points[GarmentPoint.HEM_LEFT, 1] + points[GarmentPoint.HEM_RIGHT, 1]) / 2
    body_length = max(hem_y - shoulders_y, 1.0)
    body_width = max(
        points[GarmentPoint.ARMPIT_LEFT, 0] - points[GarmentPoint.ARMPIT_RIGHT, 0], 1.0
    )
    sleeve = float(np.mean(sleeve_lengths)) / body_length
    hood = (neck_y - top) / body_length  # how far the garment rises above the neck points
    if sleeve >= cfg.long_sleeve_min and hood >= cfg.hood_min_rise:
        return Category.OUTERWEAR
    if body_length / body_width >= cfg.dress_min_length_to_width:  # long for its width
        return Category.DRESS
    if min(sleeve_lengths) <= 0.0:
        return Category.SLEEVELESS
    return Category.LONG_SLEEVE if sleeve >= cfg.long_sleeve_min else Category.SHORT_SLEEVE
