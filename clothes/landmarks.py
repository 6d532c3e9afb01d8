"""Named landmarks of a garment, found from its silhouette and, where that is silent, its picture.

A garment laid flat (or on an invisible mannequin) is seen from the front, so the wearer's left
is on the image right. The detector reads the garment the way a pattern cutter would: first the
body panel (its hem and its two side seams), then whatever is attached outside it (sleeves or
straps), and only then the points that join them. Every step is a simple geometric rule on the
outline; the photo itself is only read for the front neckline and for a seam hidden under a
sleeve lying against the body. Thresholds are named in config.LandmarkConfig.

1. Clean-up: ties, bows and hanging straps (parts much thinner than the garment that hang
   below the body) are taken off the mask, so they are never read as the hem or a sleeve. (The
   gap between a long sleeve and the body, when the cut-out sealed it, is opened by segment.py.)
2. Centre line: the axis about which the silhouette is most nearly mirror-symmetric. Each side
   is then measured in its own mirrored half, with ``u`` the distance out from the centre line.
3. Neck: the dent in the top edge around the centre line; its rims are the neck points. The
   front neckline (NECK_CENTER) is that dent's bottom if it is deep, else (the inside of the
   back shows through the opening) the first clear colour edge below it on the centre line
   that has the garment's own colour below and the unlike inside of the back above (so a
   print or a label is no neckline), else a crew neck's typical depth.
4. Hem corners: the bottom edge is followed outwards from the centre line for as long as it is
   a hem (no steeper than 60 degrees, no step). It ends at the body's side, or where a sleeve
   hanging beside the body starts; a tie hanging over the hem is stepped over when the hem goes
   on past it; a bodysuit's crotch is followed up the leg opening to the hip. A hem blocked by
   a wide tie or a wrap's overlap well inside the other side's corner takes that corner's width.
5. Side seam: followed up the outline from the hem corner for as long as it runs roughly
   upwards (kinks such as a side slit are stepped over). Where it turns (the knee of the
   outline) the visible side ends: at the armpit of a short sleeve, at the bottom of an
   armhole, or - when a long sleeve hangs beside the body - at the top of the gap between them
   or where the sleeve's cuff rests on the body. A side that runs on up to the top (a halter,
   a bra, a shallow armhole) has its armpit at the knee of its upper half, or, if that is
   straight, where its strap widens into the body. The line fitted to the visible side
   (vertical when too little of it shows) is the body panel's edge.
6. What sticks out past the side's end decides each side: little (straps: sleeveless), a
   sleeve whose underside leaves the side at the knee (armpit = the knee), or a sleeve lying
   against the body: its underside runs steeply down from the knee (the gap under a hanging
   sleeve, followed up to the tip the cut-out lost), or it leaves little side visible below a
   long, narrow sleeve. There the armpit is the gap's top if that is near where an armpit
   belongs, else it is hidden, and put on the side line ``armpit_typical_drop`` shoulder
   widths below the shoulder line. When the side is hidden under the sleeve, the photo is searched
   for the seam: the straight line a sleeve's width inside the sleeve's outer edge along
   which the colour changes most steadily, with the same fabric on both sides (so a stripe's
   edge is no seam); if one stands out it is the side line. A side whose outline runs from
   the shoulder straight out to the hem like a sleeve's outer edge is searched the same way
   (a sleeve whose cuff rests on the hem corner).
7. Shoulders: for a short sleeve, the corner where the shoulder line meets the sleeve's top
   edge (the outline's knee), but not inboard of the armpit nor far out on a flat top edge
   (off-shoulder tops), else on the top edge above the armpit; for a sleeve lying against the
   body, the corner where the shoulder line turns down into the sleeve's outer edge; for
   straps, the strap's outer top corner, or the neck rim for a halter, whose straps meet at the
   neck. A garment is symmetric: a side whose armpit lies far higher than the other's (an
   armhole the cut-out filled in) takes the other's shoulder and armpit, mirrored.
8. Sleeve: what lies outside the armhole line (shoulder to armpit), the side line and the hem
   corner. Its cuff is the far end along the sleeve's axis, the cuff width its widest
   cross-section there. Sleeveless: the middle of the armhole, and the armhole's length.

The category follows from the sleeve length against the chest width (3/4 and long sleeves are
long-sleeve; a cropped top's short body does not make short sleeves long), the body's length
against its width (a dress) and a hood rising above the shoulders (outerwear).

    found = find_landmarks(alpha, rgb)
    found.points        # (11, 2) float32, rows indexed by GarmentPoint
    found.cuff_widths   # (2,) float32, [left, right]
    found.category      # Category
"""

from dataclasses import dataclass, field
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


class Arm(str, Enum):
    """What one side of the garment has outside its body panel."""

    STRAP = "strap"  # sleeveless: an armhole, a strap or a halter
    SLEEVE = "sleeve"  # a sleeve whose underside shows where it meets the side seam
    SLEEVE_ON_BODY = "sleeve-on-body"  # a sleeve lying against the body: the armpit is hidden


@dataclass(frozen=True)
class _Box:
    """The garment's bounding box at the working resolution."""

    top: int
    bottom: int
    height: float
    width: float


@dataclass
class _Side:
    """One side of the garment, measured in its mirrored half: (u, y), u outward from the centre.

    Filled in stage by stage (see the module docstring); the points are float (u, y) arrays.
    """

    sign: int  # LEFT or RIGHT
    centre_col: int  # image column of u = 0
    half: np.ndarray  # (H, W) bool: the garment on this side of the centre line
    path: np.ndarray  # (M, 2) outline from the neck rim outwards round to the bottom centre
    neck: np.ndarray  # neck rim
    hem: np.ndarray  # hem corner
    side_end: np.ndarray  # where the visible side seam ends (the knee above the hem corner)
    side_end_index: int  # its index in path
    lean: float  # du/dy of the side line (u = hem_u + lean * (y - hem_y))
    reach: float = 0.0  # how far the garment sticks out past the side line
    arm: Arm = Arm.STRAP
    shoulder: np.ndarray = field(default_factory=lambda: np.zeros(2))
    armpit: np.ndarray = field(default_factory=lambda: np.zeros(2))
    cuff: np.ndarray = field(default_factory=lambda: np.zeros(2))
    cuff_width: float = 0.0
    sleeve_length: float = 0.0

    def side_u(self, y: float) -> float:
        """u of the side line at height y."""
        return float(self.hem[0] + self.lean * (y - self.hem[1]))

    def top_y(self, u: float) -> float:
        """The topmost garment row in column u (clamped into the half's columns)."""
        columns = np.flatnonzero(self.half.any(axis=0))
        column = int(np.clip(round(u), columns.min(), columns.max()))
        return float(np.argmax(self.half[:, column]))

    def to_image(self, point: np.ndarray) -> np.ndarray:
        return np.array([self.centre_col + self.sign * point[0], point[1]], np.float32)


def find_landmarks(
    alpha: np.ndarray, rgb: np.ndarray, cfg: LandmarkConfig = LANDMARKS
) -> Landmarks:
    """Landmarks, cuff widths and category of the garment whose mask is ``alpha >= 128``."""
    scale = min(1.0, cfg.work_long_side_px / max(alpha.shape))
    mask = cv2.resize(alpha, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) >= 128
    if not mask.any():
        raise GarmentError(NO_SHAPE)
    mask = _largest_component(mask)
    mask = _without_hanging_parts(mask, cfg)
    small = cv2.resize(rgb, (mask.shape[1], mask.shape[0]), interpolation=cv2.INTER_AREA)
    ys, xs = np.nonzero(mask)
    box = _Box(
        int(ys.min()),
        int(ys.max()),
        float(ys.max() - ys.min() + 1),
        float(xs.max() - xs.min() + 1),
    )

    centre_x = _symmetry_axis(mask)
    contour = _outer_contour(mask)
    dents = _dents(contour, cfg.min_dent_depth_frac * max(box.height, box.width))
    neck_left, neck_right = _neck_points(mask, centre_x, dents, box, cfg)
    picture = _Picture.of(small)
    neck_center = _front_neckline(picture, mask, box, centre_x, neck_left, neck_right, cfg)

    centre_col = int(round(centre_x))
    halves = [_half(mask, centre_col, sign) for sign in (LEFT, RIGHT)]
    hems = _balance_hems([_hem_corner(half, box, cfg) for half in halves], cfg)
    sides = [
        _measure_side(half, centre_col, sign, neck, hem, box, cfg)
        for half, sign, neck, hem in zip(
            halves, (LEFT, RIGHT), (neck_left, neck_right), hems, strict=True
        )
    ]
    _classify_arms(sides, box, cfg)
    for side in sides:
        _place_shoulder(side, box, cfg)
    _find_hidden_seams(sides, picture, box, cfg)
    _place_hidden_armpits(sides, cfg)
    _agree_sides(sides, box, cfg)
    for side in sides:
        _measure_sleeve(side)

    points = np.zeros((len(GarmentPoint), 2), np.float32)
    cuffs = np.zeros(2, np.float32)
    for side, names, column in ((sides[0], _LEFT_NAMES, 0), (sides[1], _RIGHT_NAMES, 1)):
        points[names.neck] = side.to_image(side.neck)
        points[names.shoulder] = side.to_image(side.shoulder)
        points[names.armpit] = side.to_image(side.armpit)
        points[names.sleeve] = side.to_image(side.cuff)
        points[names.hem] = side.to_image(side.hem)
        cuffs[column] = side.cuff_width
    points[GarmentPoint.NECK_CENTER] = neck_center

    neck_y = max(neck_left[1], neck_right[1])
    category = _category(points, [s.sleeve_length for s in sides], neck_y, box.top, cfg)
    return Landmarks(points / scale, cuffs / scale, category)


@dataclass(frozen=True)
class _SideNames:
    neck: int
    shoulder: int
    armpit: int
    sleeve: int
    hem: int


_LEFT_NAMES = _SideNames(
    GarmentPoint.NECK_LEFT,
    GarmentPoint.SHOULDER_LEFT,
    GarmentPoint.ARMPIT_LEFT,
    GarmentPoint.SLEEVE_LEFT,
    GarmentPoint.HEM_LEFT,
)
_RIGHT_NAMES = _SideNames(
    GarmentPoint.NECK_RIGHT,
    GarmentPoint.SHOULDER_RIGHT,
    GarmentPoint.ARMPIT_RIGHT,
    GarmentPoint.SLEEVE_RIGHT,
    GarmentPoint.HEM_RIGHT,
)


# ----------------------------------------------------------------------------------------------
# The whole silhouette: clean-up, centre line, neck


def _largest_component(mask: np.ndarray) -> np.ndarray:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    if count <= 1:
        raise GarmentError(NO_SHAPE)
    return labels == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))


def _without_hanging_parts(mask: np.ndarray, cfg: LandmarkConfig) -> np.ndarray:
    """The mask without ties, bows and straps that hang below the body.

    Opening the mask with a disk removes every part thinner than the disk. Of what it removes,
    a piece that reaches further below the opened garment (in the columns around it) than the
    disk's radius hangs down, and goes; the rest (rounded-off corners, thin straps on top) stays.
    """
    xs = np.flatnonzero(mask.any(axis=0))
    radius = max(1, round(cfg.hanging_max_thickness_frac * (xs.max() - xs.min() + 1) / 2))
    disk = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    opened = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, disk) > 0
    if not opened.any():
        return mask
    body_bottom = _bottom_profile(opened)
    # the opened body's bottom in the columns around each column (a piece beside the body is
    # compared with the body next to it)
    around = cv2.dilate(body_bottom.astype(np.float32)[None, :], np.ones((1, 2 * radius + 1)))[0]
    thin = (mask & ~opened).astype(np.uint8)
    count, labels = cv2.connectedComponents(thin, connectivity=8)
    if count <= 1:
        return mask
    ys, xs = np.nonzero(labels)
    pieces = labels[ys, xs]
    order = np.lexsort((ys, pieces))  # by piece, then by row: each piece's lowest pixel last
    last = order[np.r_[np.flatnonzero(np.diff(pieces[order])), len(order) - 1]]
    hanging = pieces[last][ys[last] > around[xs[last]] + radius]
    cleaned = mask & ~np.isin(labels, hanging)
    return _largest_component(cleaned)


def _symmetry_axis(mask: np.ndarray) -> float:
    """The x about which the mask overlaps its own mirror image best.

    Searched on a half-size copy first, then refined around the best position.
    """
    small = mask[::2, ::2]
    coarse = _best_mirror(small, None) * 2
    return _best_mirror(mask, (coarse - 2, coarse + 2))


def _best_mirror(mask: np.ndarray, around: tuple[float, float] | None) -> float:
    """The x about which ``mask`` overlaps its mirror image best (within ``around``, if given)."""
    xs = np.flatnonzero(mask.any(axis=0))
    left, right = xs.min(), xs.max()
    span = right - left
    if around is None:
        lo, hi = int(2 * left + span * 0.8), int(2 * right - span * 0.8)
    else:
        lo, hi = int(np.floor(2 * around[0])), int(np.ceil(2 * around[1]))
    cols = np.arange(mask.shape[1])
    best_x, best_overlap = (left + right) / 2, -1
    for doubled in range(lo, hi + 1):
        # mirror about x = doubled / 2: column c maps to doubled - c
        mirrored = doubled - cols
        valid = (mirrored >= 0) & (mirrored < mask.shape[1]) & (cols < mirrored)
        if not valid.any():
            continue
        overlap = np.count_nonzero(mask[:, cols[valid]] & mask[:, mirrored[valid]])
        if overlap > best_overlap:
            best_x, best_overlap = doubled / 2, overlap
    return float(best_x)


def _outer_contour(mask: np.ndarray) -> np.ndarray:
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        raise GarmentError(NO_SHAPE)
    return max(contours, key=cv2.contourArea)[:, 0, :]


@dataclass(frozen=True)
class _Dent:
    """One convexity defect of the outline: a dent between two hull points."""

    start: np.ndarray  # (x, y) hull point where the dent begins (contour order)
    end: np.ndarray  # hull point where it ends
    deepest: np.ndarray  # the dent's point farthest from the hull
    depth: float


def _dents(contour: np.ndarray, min_depth: float) -> list[_Dent]:
    hull = np.sort(cv2.convexHull(contour, returnPoints=False).reshape(-1))
    if len(hull) < 3:
        return []
    defects = cv2.convexityDefects(contour, hull.astype(np.int32))
    if defects is None:
        return []
    return [
        _Dent(
            contour[start].astype(np.float32),
            contour[end].astype(np.float32),
            contour[far].astype(np.float32),
            depth / 256.0,
        )
        for start, end, far, depth in defects.reshape(-1, 4)
        if depth / 256.0 >= min_depth
    ]


def _top_edge_point(mask: np.ndarray, x: float) -> np.ndarray:
    """The topmost garment pixel in column x (clamped into the mask's columns)."""
    columns = np.nonzero(mask.any(axis=0))[0]
    column = int(np.clip(round(x), columns.min(), columns.max()))
    rows = np.nonzero(mask[:, column])[0]
    return np.array([column, rows.min()], np.float32)


def _neck_points(
    mask: np.ndarray, centre_x: float, dents: list[_Dent], box: _Box, cfg: LandmarkConfig
) -> tuple[np.ndarray, np.ndarray]:
    """The two rims of the neck opening (wearer's left, right)."""
    width = box.width
    top_dents = [
        dent
        for dent in dents
        if min(dent.start[0], dent.end[0]) < centre_x < max(dent.start[0], dent.end[0])
        and abs(dent.deepest[0] - centre_x) < cfg.neck_max_half_width_frac * width
        and max(dent.start[1], dent.end[1]) < box.top + cfg.neck_max_rim_depth_frac * box.height
    ]
    if top_dents:
        # The neck dent is the topmost dent that spans the centre line.
        neck = min(top_dents, key=lambda dent: min(dent.start[1], dent.end[1]))
        ends = sorted([neck.start, neck.end], key=lambda p: p[0])
        return ends[1], ends[0]
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
        return corners[0], corners[1]
    # No dent at the top (a strapless or off-shoulder top): put the neck points a typical
    # neck's width apart on the top edge.
    half = cfg.neck_default_half_width_frac * width
    return _top_edge_point(mask, centre_x + half), _top_edge_point(mask, centre_x - half)


def _front_neckline(
    picture: "_Picture",
    mask: np.ndarray,
    box: _Box,
    centre_x: float,
    neck_left: np.ndarray,
    neck_right: np.ndarray,
    cfg: LandmarkConfig,
) -> np.ndarray:
    """Lowest point of the front neckline on the centre line.

    On an invisible mannequin (and on most flat lays) the inside of the back shows through the
    neck opening, so the silhouette's dent is the *back* neckline. The front neckline is then
    the first clear colour edge below it, on the centre line, whose lower side is the garment's
    own fabric colour (the edge of a print or of a label below the back is no neckline).
    Without one, a crew neck of typical depth is assumed.
    """
    neck_width = float(neck_left[0] - neck_right[0])
    rim_y = (neck_left[1] + neck_right[1]) / 2
    dip_y = _top_edge_point(mask, centre_x)[1]
    if dip_y - rim_y >= cfg.front_neck_min_depth * neck_width:
        return np.array([centre_x, dip_y], np.float32)  # the dent is the front neckline itself
    half_strip = max(1, round(cfg.front_neck_strip_frac * neck_width))
    x0, x1 = round(centre_x) - half_strip, round(centre_x) + half_strip + 1
    reach = cfg.front_neck_edge_rows
    y0 = int(dip_y + 2)
    y1 = int(min(rim_y + cfg.front_neck_max_depth * neck_width, mask.shape[0] - reach - 1))
    if y1 > y0 + 2:
        # the garment's own colour: its middle rows, off the centre where prints usually are
        body = mask.copy()
        body[: box.top + int(0.3 * box.height)] = False
        body[box.top + int(0.7 * box.height) :] = False
        body[:, int(centre_x - box.width / 4) : int(centre_x + box.width / 4)] = False
        fabric = np.median(picture.lab[body], axis=0) if body.any() else picture.lab[mask].mean(0)
        strip = picture.lab[:, x0:x1]  # (H, W, 3)
        ys = np.arange(y0, y1)
        above = np.mean([strip[ys - k] for k in range(1, reach + 1)], axis=0)  # (N, W, 3)
        below = np.mean([strip[ys + k] for k in range(1, reach + 1)], axis=0)
        # an edge all across the strip (the neckline), not a few letters of a print
        step = np.median(np.linalg.norm(below - above, axis=2), axis=1)
        like_fabric = (
            np.linalg.norm(below.mean(axis=1) - fabric, axis=1) <= cfg.front_neck_fabric_tolerance
        )
        # ...and above it the inside of the back, which looks unlike the front fabric (else
        # the neckline is invisible and an edge lower down is a print's)
        cumulative = np.cumsum(strip[y0:y1].mean(axis=1), axis=0)
        seen_above = cumulative / np.arange(1, len(ys) + 1)[:, None]  # mean colour dip..y
        tolerance = cfg.front_neck_fabric_tolerance
        unlike_fabric = np.linalg.norm(seen_above - fabric, axis=1) > tolerance
        inside = mask[y0:y1, x0:x1].all(axis=1)
        found = np.flatnonzero(
            inside & like_fabric & unlike_fabric & (step >= cfg.front_neck_min_edge)
        )
        if len(found):
            return np.array([centre_x, ys[found[0]]], np.float32)
    return np.array([centre_x, rim_y + cfg.front_neck_default_depth * neck_width], np.float32)


# ----------------------------------------------------------------------------------------------
# One side: hem corner, side seam, what is outside it


def _half(mask: np.ndarray, centre_col: int, sign: int) -> np.ndarray:
    """The garment on one side of the centre line, mirrored so that outward is +u."""
    half = mask[:, centre_col:] if sign == LEFT else mask[:, centre_col::-1]
    return _largest_component(half)


@dataclass(frozen=True)
class _HemEnd:
    corner: np.ndarray  # (u, y)
    blocked: bool  # the hem ended at a step (a sleeve or a wide tie), not at a rounded corner
    level: float  # the hem's height where it ended


def _balance_hems(hems: list[_HemEnd], cfg: LandmarkConfig) -> list[np.ndarray]:
    """Hem corners, one mirrored from the other side where a wide tie hid it.

    A hem that ended at a step, well inside the other side's hem corner, was blocked by a tie
    over the body's side or a wrap's overlap: its corner is put level with where the hem ended,
    as far out as the other side's.
    """
    corners = [hem.corner.copy() for hem in hems]
    for this, other in ((0, 1), (1, 0)):
        hem = hems[this]
        if hem.blocked and hem.corner[0] < cfg.hem_blocked_max_share * hems[other].corner[0]:
            corners[this] = np.array([hems[other].corner[0], hem.level])
    return corners


def _measure_side(
    half: np.ndarray,
    centre_col: int,
    sign: int,
    neck_xy: np.ndarray,
    hem: np.ndarray,
    box: _Box,
    cfg: LandmarkConfig,
) -> _Side:
    """Side seam of one side, up from its hem corner (stage 5)."""
    neck = np.array([sign * (neck_xy[0] - centre_col), neck_xy[1]], np.float64)
    path = _outer_path(half, neck)
    hem_index = _nearest(path, hem)
    end_index = _side_seam(path, hem_index, box, cfg)
    if path[end_index, 1] - box.top < cfg.side_to_top_frac * box.height:
        end_index = _armpit_above(half, path, end_index, hem_index, box, cfg)
    side = _Side(
        sign=sign,
        centre_col=centre_col,
        half=half,
        path=path,
        neck=neck,
        hem=path[hem_index].copy(),
        side_end=path[end_index].copy(),
        side_end_index=end_index,
        lean=_side_lean(path[end_index : hem_index + 1], box, cfg),
    )
    side.reach = _reach(side)
    return side


def _outer_path(half: np.ndarray, neck: np.ndarray) -> np.ndarray:
    """The half's outline from the neck rim outwards (shoulder, sleeve, side, hem) to the bottom
    of the centre line, as float (u, y) points."""
    contour = _outer_contour(half).astype(np.float64)
    on_centre = np.flatnonzero(contour[:, 0] <= contour[:, 0].min() + 0.5)
    end = int(on_centre[np.argmax(contour[on_centre, 1])])
    start = _nearest(contour, neck)
    count = len(contour)
    forward = contour[(start + np.arange((end - start) % count + 1)) % count]
    backward = contour[(start - np.arange((start - end) % count + 1)) % count]
    return forward if forward[:, 0].max() >= backward[:, 0].max() else backward


def _nearest(points: np.ndarray, point: np.ndarray) -> int:
    return int(np.argmin(np.linalg.norm(points - point, axis=1)))


def _bottom_profile(half: np.ndarray) -> np.ndarray:
    """Lowest garment row of every column (-1 where the column is empty), as float."""
    has = half.any(axis=0)
    bottom = half.shape[0] - 1 - np.argmax(half[::-1], axis=0)
    return np.where(has, bottom, -1).astype(np.float64)


def _running_median(values: np.ndarray, size: int = 5) -> np.ndarray:
    padded = np.pad(values, size // 2, mode="edge")
    return np.median(np.lib.stride_tricks.sliding_window_view(padded, size), axis=1)


def _hem_corner(half: np.ndarray, box: _Box, cfg: LandmarkConfig) -> _HemEnd:
    """The bottom corner of the body panel: the hem followed outwards from the centre line.

    The hem ends where the bottom edge rises steeper than ``hem_max_slope`` (the rounded corner
    into the side), or jumps by more than ``hem_step_frac`` of the height (up: the gap under a
    sleeve or a cuff ending above the hem; down: a sleeve or cuff hanging lower). A downward
    jump that comes back to the hem's height within ``hem_skip_max_frac`` of the width is a tie
    hanging over the hem, and the hem goes on past it. A bottom edge that already climbs steeply
    next to the centre line is a bodysuit's crotch: the hem is then followed up the leg opening
    (up to ``leg_max_slope``) to the hip.
    """
    raw = _bottom_profile(half)
    bottom = np.where(raw >= 0, _running_median(raw), -1.0)
    if bottom[0] < 0:
        raise GarmentError(NO_SHAPE)
    jump = cfg.hem_step_frac * box.height
    resume = cfg.hem_resume_frac * box.height
    skip = max(2, round(cfg.hem_skip_max_frac * box.width))
    window = max(2, round(cfg.hem_slope_window_frac * box.width))
    crotch = cfg.crotch_max_half_width_frac * box.width / 2
    u, blocked, legs = 0, False, False
    while u + 1 < len(bottom) and bottom[u + 1] >= 0:
        step = bottom[u + 1] - bottom[u]
        back = max(0, u + 1 - window)
        max_slope = cfg.leg_max_slope if legs else cfg.hem_max_slope
        steep = bottom[back] - bottom[u + 1] > max_slope * (u + 1 - back) + 1.0
        if (steep or step < -jump) and not legs and u < crotch:
            legs = True  # a crotch: follow the leg opening up to the hip
            continue
        if not steep and -jump <= step <= jump or legs and not steep and step <= jump:
            u += 1
            continue
        if step > jump:
            # Something hangs lower here. A tie over the hem: the hem goes on past it at about
            # the same height. A sleeve beside the body: nothing hem-like follows.
            ahead = bottom[u + 1 : u + 1 + skip]
            hanging = int(np.argmin(ahead > bottom[u] + jump)) if len(ahead) else 0
            after = u + 1 + hanging
            following = bottom[after : after + cfg.hem_resume_min_columns]
            if (
                hanging > 0
                and len(following) == cfg.hem_resume_min_columns
                and np.all(following >= 0)
                and np.all(np.abs(following - bottom[u]) <= resume)
            ):
                u = after
                continue
            blocked = True
        else:
            # A rise: the corner into the side (the edge climbs to the sleeve or ends), or a
            # step up onto something hem-like (a wrap's other layer, a cuff above the hem).
            ahead = bottom[u + 1 : u + 1 + skip]
            ahead = ahead[ahead >= 0][: 3 * window]
            blocked = len(ahead) >= 3 and bool(
                np.all(np.abs(ahead - bottom[u]) <= cfg.hem_step_max_frac * box.height)
            )
        break
    width = max(3, round(cfg.hem_corner_window_frac * u))
    columns = np.arange(max(0, u - width), u + 1)
    columns = columns[raw[columns] >= 0]
    corner = columns[np.argmax(raw[columns] + columns)]  # lowest-outermost: 45 degree support
    return _HemEnd(np.array([corner, raw[corner]], np.float64), blocked, float(bottom[u]))


def _knee(path: np.ndarray) -> tuple[int, float]:
    """Index of the point farthest from the chord between the path's ends, and its signed
    distance (positive: on the outward side, larger u)."""
    if len(path) < 3:
        return 0, 0.0
    chord = path[-1] - path[0]
    length = float(np.linalg.norm(chord))
    if length < 1e-6:
        return 0, 0.0
    normal = np.array([chord[1], -chord[0]]) / length
    if normal[0] < 0:
        normal = -normal  # pointing outward
    distance = (path - path[0]) @ normal
    index = int(np.argmax(np.abs(distance)))
    return index, float(distance[index])


def _side_seam(path: np.ndarray, hem_index: int, box: _Box, cfg: LandmarkConfig) -> int:
    """Where the visible side seam above the hem corner ends: its index in path.

    The outline is followed from the hem corner towards the neck while its direction (over a
    short window) stays within ``side_max_turn_deg`` of straight up; the side ends at the knee
    of the outline around where the walk stopped.
    """
    up_path = path[hem_index::-1]
    window = max(2, round(cfg.side_window_frac * box.height))
    steps = up_path[window:] - up_path[:-window]
    rise = -steps[:, 1]
    upward = (rise > 0) & (np.abs(steps[:, 0]) <= np.tan(np.radians(cfg.side_max_turn_deg)) * rise)
    # The walk may start a little above the hem's rounded corner, and steps over kinks shorter
    # than ``side_patience_frac`` (a ruffle, a side slit): it stops where the outline turns
    # for good.
    starts = np.flatnonzero(upward[: 2 * window + 1])
    if len(starts) == 0:
        return hem_index
    patience = max(1, round(cfg.side_patience_frac * box.height))
    # turned[i]: the outline points the wrong way at i and at the patience - 1 points after it
    turned = np.convolve(~upward, np.ones(patience), mode="full")[patience - 1 :] >= patience
    stops = np.flatnonzero(turned[starts[0] :])
    walked = starts[0] + (int(stops[0]) if len(stops) else len(upward) - starts[0])
    # the turn lies within a window or two of where the walk stopped: its knee there
    first = max(0, walked - 2 * window)
    local, _ = _knee(up_path[first : min(len(up_path), walked + 2 * window + 1)])
    return hem_index - max(1, first + local)


def _side_lean(side: np.ndarray, box: _Box, cfg: LandmarkConfig) -> float:
    """du/dy of the line fitted to a visible side (0, i.e. vertical, if too little shows)."""
    if abs(side[-1, 1] - side[0, 1]) < cfg.side_min_length_frac * box.height:
        return 0.0
    du, dy, _, _ = cv2.fitLine(side.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01)[:, 0]
    limit = np.tan(np.radians(cfg.side_max_tilt_deg))
    return float(np.clip(du / dy, -limit, limit)) if abs(dy) > 1e-6 else 0.0


def _armpit_above(
    half: np.ndarray,
    path: np.ndarray,
    top_index: int,
    hem_index: int,
    box: _Box,
    cfg: LandmarkConfig,
) -> int:
    """The armpit of a side that ran on up past the armhole to the top (sleeveless).

    It is the knee of the outline in the upper half of that run: the bottom of a shallow
    armhole (the deepest point inside the line from the top to the hem corner), or where a
    halter's armhole meets the side (the point farthest out from the line from the top to
    halfway down). Where the run is straight, the side went straight on into a strap (a bra):
    the armpit is the strap's base.
    """
    straight = cfg.straight_max_bulge_frac * box.width
    middle_y = (path[top_index, 1] + path[hem_index, 1]) / 2
    knee, bulge = _knee(path[top_index : hem_index + 1])
    if bulge <= -straight and path[top_index + knee, 1] <= middle_y:
        return top_index + knee
    lower = np.flatnonzero(path[top_index : hem_index + 1, 1] >= middle_y)
    end = top_index + (int(lower[0]) if len(lower) else hem_index - top_index)
    knee, bulge = _knee(path[top_index : end + 1])
    if bulge >= straight:
        return top_index + knee
    return _strap_base(half, path, path[hem_index], box)


def _strap_base(half: np.ndarray, path: np.ndarray, hem: np.ndarray, box: _Box) -> int:
    """Index in path where a strap that the side runs straight into widens into the body.

    The outermost run of each row is as narrow as the strap near the top, and at least twice
    that wide from the body's top edge down; the base is on the outline at that height.
    """
    rows = np.arange(box.top, int(hem[1]) + 1)
    part = half[rows]
    present = part.any(axis=1)
    outer = part.shape[1] - 1 - np.argmax(part[:, ::-1], axis=1)
    # the outermost run starts after the last empty column inside it
    inside = part & (np.arange(part.shape[1])[None, :] <= outer[:, None])
    gap = np.where(~inside & (np.arange(part.shape[1])[None, :] <= outer[:, None]), 1, 0)
    last_gap = np.where(gap.any(axis=1), part.shape[1] - 1 - np.argmax(gap[:, ::-1], axis=1), -1)
    width = np.where(present, outer - last_gap, 0)
    strap = np.median(width[present][: max(3, len(rows) // 10)])
    wide = np.flatnonzero(present & (width > 2 * strap))
    y = rows[wide[0]] if len(wide) else (box.top + hem[1]) / 2
    # the outline point at that height on the outer edge
    return int(np.argmax(path[:, 0] - 4 * np.abs(path[:, 1] - y)))


def _reach(side: _Side) -> float:
    """How far the garment sticks out, above where the visible side ends, past that end."""
    columns = np.flatnonzero(side.half[: int(side.side_end[1]) + 1].any(axis=0))
    return float(columns.max() - side.side_end[0]) if len(columns) else 0.0


def _chest_width(sides: list[_Side], y: float) -> float:
    """Width between the two side lines at height y."""
    return max(1.0, sides[0].side_u(y) + sides[1].side_u(y))


def _classify_arms(sides: list[_Side], box: _Box, cfg: LandmarkConfig) -> None:
    """Strap, sleeve with a visible armpit, or sleeve lying against the body (stage 6).

    A sleeve lies against the body when its underside runs steeply down from the side's knee
    (the knee is the top of the gap between a hanging sleeve and the body), or when little of
    the side shows below the knee compared with the height above it and the sleeve above is
    long and narrow (its cuff rests on the body) rather than short and wide (a cropped top).
    """
    window = max(2, round(cfg.underside_window_frac * box.height))
    steep = np.tan(np.radians(cfg.on_body_gap_min_deg))
    for side in sides:
        chest = _chest_width(sides, side.side_end[1])
        side.armpit = side.side_end.copy()
        if side.reach < cfg.sleeve_min_reach * chest:
            side.arm = Arm.STRAP
            continue
        end = side.side_end_index
        # the underside's direction a little away from the knee, whose corner may be ragged
        underside = side.path[max(0, end - window)] - side.path[max(0, end - window // 4)]
        hanging = underside[1] > steep * abs(underside[0])
        above = side.side_end[1] - side.top_y(side.side_end[0])
        visible = side.hem[1] - side.side_end[1]
        resting = (
            visible < cfg.on_body_max_visible_side * above
            and above > cfg.on_body_min_length * side.reach
        )
        side.arm = Arm.SLEEVE_ON_BODY if hanging or resting else Arm.SLEEVE
        if hanging:
            _extend_gap_to_apex(side, window, box, cfg)


def _extend_gap_to_apex(side: _Side, window: int, box: _Box, cfg: LandmarkConfig) -> None:
    """Move the top of the gap under a hanging sleeve up to where its two edges meet.

    The narrow tip of the gap is lost in the cut-out (too thin to tell from the fabric), so
    the gap's visible top is a little low. Its edges - the body's side below it and the
    sleeve's inner edge beside it - are followed up as straight lines to where they cross,
    if that is above the visible top and not far, and the gap is a narrow V (a wide one, like
    the space under a drooping short sleeve, keeps its tip)."""
    end = side.side_end_index
    inner = side.path[max(0, end - window) : end + 1]
    if len(inner) < 3 or abs(side.hem[1] - side.side_end[1]) < 1:
        return
    du, dy, u0, y0 = cv2.fitLine(inner.astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01)[:, 0]
    if abs(dy) < 1e-6:
        return
    # side line: u = hem_u + lean (y - hem_y); sleeve's inner edge: u = u0 + du/dy (y - y0)
    slope = du / dy
    angle = np.degrees(abs(np.arctan(slope) - np.arctan(side.lean)))
    if not cfg.gap_apex_min_angle_deg <= angle <= cfg.gap_apex_max_angle_deg:
        return  # nearly parallel edges cross too uncertainly; a wide gap's tip is not lost
    y = (u0 - side.hem[0] + side.lean * side.hem[1] - slope * y0) / (side.lean - slope)
    rise = side.side_end[1] - y
    if 0 < rise <= cfg.gap_apex_max_rise_frac * box.height:
        side.side_end = np.array([side.side_u(y), y])


def _place_shoulder(side: _Side, box: _Box, cfg: LandmarkConfig) -> None:
    """Shoulder point (stage 7)."""
    straight = cfg.straight_max_bulge_frac * box.width
    armpit_index = _nearest(side.path, side.armpit) if side.arm != Arm.SLEEVE_ON_BODY else 0
    if side.arm == Arm.STRAP:
        # The strap's outer top corner: the knee of the outline from the neck rim to the
        # armpit, up at the strap's top. A halter has none there (its straps meet at the neck):
        # its shoulder is the neck rim.
        knee, bulge = _knee(side.path[: armpit_index + 1])
        corner = side.path[knee]
        up_top = corner[1] - side.neck[1] <= cfg.strap_top_max_drop * (
            side.armpit[1] - side.neck[1]
        )
        side.shoulder = corner.copy() if bulge > straight and up_top else side.neck.copy()
        return
    if side.arm == Arm.SLEEVE:
        # The corner where the shoulder line meets the sleeve's top edge: the knee of the
        # outline from the neck rim to the sleeve's tip - not inboard of the armpit, not far
        # out on a flat top edge (an off-shoulder top), not the sleeve's own corner.
        tip = int(np.argmax(side.path[: armpit_index + 1, 0]))
        knee, bulge = _knee(side.path[: tip + 1])
        above = np.array([side.armpit[0], side.top_y(side.armpit[0])])
        corner, neck, far = side.path[knee], side.path[0], side.path[tip]
        # a knee next to the sleeve's tip is the sleeve's own corner (a straight top edge)
        clear_of_tip = np.linalg.norm(far - corner) >= cfg.shoulder_tip_clearance * np.linalg.norm(
            far - neck
        )
        outset = (corner[0] - above[0]) / max(side.armpit[0], 1.0)  # x half the chest width
        usable = bulge > straight and 0 < outset <= cfg.shoulder_max_outset and clear_of_tip
        side.shoulder = corner.copy() if usable else above
        return
    # A sleeve lying against the body: the corner where the shoulder line turns down into the
    # sleeve's outer edge, the knee of the outline from the neck rim to well down the sleeve.
    low = side.neck[1] + 0.5 * (side.side_end[1] - side.neck[1])
    below = np.flatnonzero(side.path[:, 1] >= low)
    end = int(below[0]) if len(below) else side.side_end_index
    knee, _ = _knee(side.path[: end + 1])
    side.shoulder = side.path[knee].copy()


class _Picture:
    """The photo at the working resolution: lightly smoothed CIELAB and its derivatives, each
    computed when first needed (most garments never need the derivatives)."""

    def __init__(self, lab: np.ndarray, dx: np.ndarray | None = None, dy: np.ndarray | None = None):
        self.lab = lab  # (H, W, 3) float32
        self._dx, self._dy = dx, dy

    @classmethod
    def of(cls, rgb: np.ndarray) -> "_Picture":
        lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
        return cls(cv2.GaussianBlur(lab, (0, 0), 1.0))

    @property
    def dx(self) -> np.ndarray:
        """(H, W, 3) float32, d/dx."""
        if self._dx is None:
            self._dx = cv2.Sobel(self.lab, cv2.CV_32F, 1, 0, ksize=3) / 8
        return self._dx

    @property
    def dy(self) -> np.ndarray:
        """(H, W, 3) float32, d/dy."""
        if self._dy is None:
            self._dy = cv2.Sobel(self.lab, cv2.CV_32F, 0, 1, ksize=3) / 8
        return self._dy

    def half(self, side: "_Side") -> "_Picture":
        """The picture of one side, mirrored like its mask (outward = +u)."""
        c = side.centre_col
        if side.sign == LEFT:
            return _Picture(self.lab[:, c:], self.dx[:, c:], self.dy[:, c:])
        return _Picture(self.lab[:, c::-1], -self.dx[:, c::-1], self.dy[:, c::-1])


def _find_hidden_seams(
    sides: list[_Side], picture: _Picture, box: _Box, cfg: LandmarkConfig
) -> None:
    """The seam between a sleeve lying against the body and the body, where the photo shows it.

    For each such sleeve that hides most of the side, and for a strap side whose outline runs
    down and out from the shoulder to the hem like a sleeve's outer edge (a sleeve whose cuff
    rests on the hem), the
    seam is looked for as the straight line, a sleeve's width inside the sleeve's outer edge,
    along which the picture changes most steadily (the median edge strength across the line)
    while the fabric on its two sides is alike (a seam joins the same fabric; a stripe's edge
    does not). When one stands out, it is the side line (and the hem corner moves onto it); a
    strap side with one is a sleeve lying against the body.
    """
    for side in sides:
        trapezoid = side.arm == Arm.STRAP and side.lean >= cfg.seam_outer_edge_min_lean
        above = side.side_end[1] - side.top_y(side.side_end[0])
        covered = side.hem[1] - side.side_end[1] < cfg.on_body_max_visible_side * above
        if not (side.arm == Arm.SLEEVE_ON_BODY and covered or trapezoid):
            continue  # a visible side (below a gap under a hanging sleeve) needs no seam
        y_top = _typical_armpit_y(sides, side, cfg)
        # down to the cuff (not into the visible side below it)
        y_bottom = (side.hem[1] if trapezoid else side.side_end[1]) - (
            cfg.seam_end_margin_frac * box.height
        )
        seam = _seam_line(side, picture.half(side), y_top, y_bottom, box, cfg)
        if seam is None:
            continue
        u_top, u_bottom = seam
        side.lean = (u_bottom - u_top) / (y_bottom - y_top)
        hem_u = u_top + side.lean * (side.hem[1] - y_top)
        hem_y = side.hem[1]
        if trapezoid:  # the hem found was the cuff's bottom: the body's is in the seam's column
            column = side.half[:, int(np.clip(round(hem_u), 0, side.half.shape[1] - 1))]
            hem_y = np.flatnonzero(column).max() if column.any() else hem_y
        side.hem = np.array([hem_u, hem_y])
        if trapezoid:
            side.arm = Arm.SLEEVE_ON_BODY
            side.side_end = side.hem.copy()
            side.side_end_index = _nearest(side.path, side.hem)
            _place_shoulder(side, box, cfg)
        else:  # where the visible side ends, on the seam
            side.side_end = np.array([side.side_u(side.side_end[1]), side.side_end[1]])


def _seam_line(
    side: _Side,
    picture: _Picture,
    y_top: float,
    y_bottom: float,
    box: _Box,
    cfg: LandmarkConfig,
) -> tuple[float, float] | None:
    """The seam line's u at y_top and at y_bottom, or None if the photo shows no clear one."""
    if y_bottom - y_top < cfg.seam_min_length_frac * box.height:
        return None
    half = side.half
    inside = cv2.erode(half.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    outer = half.shape[1] - 1 - np.argmax(half[:, ::-1], axis=1)  # outermost column per row
    reach = float(outer[box.top : box.bottom + 1].max())
    widths = np.linspace(cfg.seam_min_width, cfg.seam_max_width, cfg.seam_steps) * reach
    top_u = outer[int(y_top)] - widths
    bottom_u = outer[int(y_bottom)] - widths
    u0, u1 = (a.reshape(-1) for a in np.meshgrid(top_u, bottom_u, indexing="ij"))  # (K,)
    t = np.linspace(0.1, 0.9, cfg.seam_samples)
    ys = y_top + t * (y_bottom - y_top)  # (S,)
    us = u0[:, None] + (u1 - u0)[:, None] * t[None, :]  # (K, S)
    direction = np.stack([u1 - u0, np.full_like(u0, y_bottom - y_top)], axis=1)
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    normal = np.stack([direction[:, 1], -direction[:, 0]], axis=1)  # (K, 2), outward

    def sample(image: np.ndarray, offset: float) -> np.ndarray:
        """Values of image at the candidate lines' points moved ``offset`` px along the normal."""
        rows = np.round(ys[None, :] + offset * normal[:, 1:2]).astype(int)
        cols = np.round(us + offset * normal[:, 0:1]).astype(int)
        rows = np.clip(rows, 0, half.shape[0] - 1)
        cols = np.clip(cols, 0, half.shape[1] - 1)
        return image[rows, cols]

    band = cfg.seam_band_px
    valid = sample(inside, -band).all(axis=1) & sample(inside, band).all(axis=1)
    valid &= us.min(axis=1) > 0
    if not valid.any():
        return None
    # Edge strength across each line: the colour change along the normal, the strongest within
    # a couple of pixels of the line (a seam is a thin line, not always a step).
    across = np.max(
        [
            np.linalg.norm(
                sample(picture.dx, offset) * normal[:, None, 0:1]
                + sample(picture.dy, offset) * normal[:, None, 1:2],
                axis=2,
            )
            for offset in (-2, -1, 0, 1, 2)
        ],
        axis=0,
    )
    strength = np.median(across, axis=1)  # (K,)
    # The same fabric on both sides: the mean colour of a strip on either side of the line.
    inner = sample(picture.lab, -band).mean(axis=1)
    outer_colour = sample(picture.lab, band).mean(axis=1)
    alike = np.linalg.norm(inner - outer_colour, axis=1) <= cfg.seam_max_side_difference
    candidates = valid & alike
    if not candidates.any():
        return None
    strength = np.where(candidates, strength, 0.0)
    best = int(np.argmax(strength))
    typical = float(np.median(strength[candidates]))
    if strength[best] < cfg.seam_min_edge or strength[best] < cfg.seam_min_contrast * typical:
        return None
    return float(u0[best]), float(u1[best])


def _shoulder_width(sides: list[_Side]) -> float:
    """Distance between the two shoulder points (their u are measured from the centre line)."""
    return max(1.0, float(sides[0].shoulder[0] + sides[1].shoulder[0]))


def _typical_armpit_y(sides: list[_Side], side: _Side, cfg: LandmarkConfig) -> float:
    """Where an armpit that cannot be seen is assumed: ``armpit_typical_drop`` shoulder widths
    below the shoulder point."""
    return float(side.shoulder[1] + cfg.armpit_typical_drop * _shoulder_width(sides))


def _place_hidden_armpits(sides: list[_Side], cfg: LandmarkConfig) -> None:
    """Armpits of sleeves lying against the body: on the side line, a typical distance below
    the shoulder line - or at the side's knee (the top of the gap under a hanging sleeve) if
    that is hardly lower (stage 6)."""
    for side in sides:
        if side.arm != Arm.SLEEVE_ON_BODY:
            continue
        y = _typical_armpit_y(sides, side, cfg)
        if side.side_end[1] <= y + cfg.armpit_knee_slack * _shoulder_width(sides):
            side.armpit = side.side_end.copy()
            continue
        hem, end = side.hem, side.side_end
        if hem[1] - end[1] >= cfg.side_min_length_frac * (hem[1] - side.shoulder[1]):
            # on the line from the hem corner through the top of the visible side, so that the
            # armhole-to-hem line never cuts a sliver off the body below the gap
            u = hem[0] + (end[0] - hem[0]) * (y - hem[1]) / (end[1] - hem[1])
        else:
            u = side.side_u(y)
        side.armpit = np.array([u, y])


def _agree_sides(sides: list[_Side], box: _Box, cfg: LandmarkConfig) -> None:
    """A garment is symmetric: when the two armpits are far apart in height, one side was
    misread (an armhole the cut-out filled in, a strap it lost), and the side whose armpit is
    higher takes the other's shoulder and armpit, mirrored."""
    left, right = sides
    if abs(left.armpit[1] - right.armpit[1]) <= cfg.side_disagreement_frac * box.height:
        return
    misread, trusted = (left, right) if left.armpit[1] < right.armpit[1] else (right, left)
    misread.arm = trusted.arm
    misread.shoulder = trusted.shoulder.copy()
    misread.armpit = trusted.armpit.copy()


# ----------------------------------------------------------------------------------------------
# Sleeve and cuff


def _measure_sleeve(side: _Side) -> None:
    """Cuff centre, cuff width and sleeve length (stage 8)."""
    if side.arm == Arm.STRAP:
        i = _nearest(side.path, side.shoulder)
        j = _nearest(side.path, side.armpit)
        armhole = side.path[min(i, j) : max(i, j) + 1]
        side.cuff = _arc_middle(armhole)
        steps = np.linalg.norm(np.diff(armhole, axis=0), axis=1)
        side.cuff_width = float(steps.sum())
        side.sleeve_length = 0.0
        return
    sleeve = _sleeve_region(side)
    side.cuff, side.cuff_width = _cuff(sleeve, side.shoulder, side.armpit)
    side.sleeve_length = float(np.linalg.norm(side.cuff - (side.shoulder + side.armpit) / 2))


def _sleeve_region(side: _Side) -> np.ndarray:
    """The half's pixels outside the body panel: outward of the armhole line (shoulder to
    armpit), of the side line below it, and of the hem corner below that."""
    height, width = side.half.shape
    rows = np.arange(height, dtype=np.float64)
    shoulder, armpit = side.shoulder, side.armpit
    t = np.clip((rows - shoulder[1]) / max(armpit[1] - shoulder[1], 1e-6), 0, 1)
    boundary = shoulder[0] + t * (armpit[0] - shoulder[0])
    below = rows > armpit[1]
    armpit_to_hem = armpit[0] + (rows - armpit[1]) / max(side.hem[1] - armpit[1], 1e-6) * (
        side.hem[0] - armpit[0]
    )
    boundary = np.where(below, armpit_to_hem, boundary)
    boundary = np.where(rows > side.hem[1], side.hem[0], boundary)
    outside = side.half & (np.arange(width)[None, :] > boundary[:, None])
    count, labels, stats, _ = cv2.connectedComponentsWithStats(outside.astype(np.uint8), 8)
    if count <= 1:
        raise GarmentError(NO_SHAPE)
    return labels == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))


def _cuff(sleeve: np.ndarray, shoulder: np.ndarray, armpit: np.ndarray) -> tuple[np.ndarray, float]:
    """Centre and width of the sleeve's far end, in (u, y).

    The sleeve's axis runs from the middle of the armhole line to the sleeve's centroid; the
    cuff is the widest cross-section across that axis near the far end, and its centre is the
    far end of the sleeve along the line through the middle of that cross-section.
    """
    ys, us = np.nonzero(sleeve)
    if len(ys) < 10:
        raise GarmentError(NO_SHAPE)
    pixels = np.stack([us, ys], axis=1).astype(np.float64)
    base = (shoulder + armpit) / 2
    axis = pixels.mean(axis=0) - base
    axis /= max(float(np.linalg.norm(axis)), 1e-6)
    across = np.array([-axis[1], axis[0]])
    along = (pixels - base) @ axis
    sideways = (pixels - base) @ across
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
    return base + axis * end + across * middle, float(widths[best])


def _arc_middle(path: np.ndarray) -> np.ndarray:
    """The point halfway along a path."""
    steps = np.linalg.norm(np.diff(path, axis=0), axis=1)
    walked = np.concatenate([[0.0], np.cumsum(steps)])
    return path[int(np.searchsorted(walked, walked[-1] / 2))].copy()


def _category(
    points: np.ndarray,
    sleeve_lengths: list[float],
    neck_y: float,
    top: float,
    cfg: LandmarkConfig,
) -> Category:
    """Category from the proportions: sleeve length against the chest width (a cropped top's
    short body would make any sleeve look long), a hood rising above the neck, a long body."""
    shoulders_y = (
        points[GarmentPoint.SHOULDER_LEFT, 1] + points[GarmentPoint.SHOULDER_RIGHT, 1]
    ) / 2
    hem_y = (points[GarmentPoint.HEM_LEFT, 1] + points[GarmentPoint.HEM_RIGHT, 1]) / 2
    body_length = max(hem_y - shoulders_y, 1.0)
    chest = max(points[GarmentPoint.ARMPIT_LEFT, 0] - points[GarmentPoint.ARMPIT_RIGHT, 0], 1.0)
    sleeve = float(np.mean(sleeve_lengths)) / chest
    hood = (neck_y - top) / body_length  # how far the garment rises above the neck points
    if sleeve >= cfg.long_sleeve_min and hood >= cfg.hood_min_rise:
        return Category.OUTERWEAR
    if body_length / chest >= cfg.dress_min_length_to_width:  # long for its width
        return Category.DRESS
    if min(sleeve_lengths) <= 0.0:
        return Category.SLEEVELESS
    return Category.LONG_SLEEVE if sleeve >= cfg.long_sleeve_min else Category.SHORT_SLEEVE
