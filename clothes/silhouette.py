"""The whole silhouette of a garment laid flat: clean-up, centre line, neck rims.

Stages 1 to 3 of landmarks.py; the sides are measured in sides.py. Points are (x, y) pixels
at the working resolution, or (u, y) in a mirrored half (u outward from the centre line).
"""

from dataclasses import dataclass

import cv2
import numpy as np

from .config import LandmarkConfig
from .errors import GarmentError
from .shapes import bottom_profile, disk, largest_component, nearest

NO_SHAPE = (
    "Could not make out the garment's shape in this photo. Please use a front view of a single "
    "top or dress, laid flat or on an invisible mannequin, with both sleeves (or armholes) and "
    "the hem in the picture."
)


GAP_CUT_PX = 3  # the cut that opens a sealed sleeve gap: wide enough to part 8-connected pixels

# Side signs: the wearer's left is on the image right, so "outward" on the left is +x.
LEFT, RIGHT = +1, -1


@dataclass(frozen=True)
class Box:
    """The garment's bounding box at the working resolution."""

    top: int
    bottom: int
    height: float
    width: float

    @classmethod
    def of(cls, mask: np.ndarray) -> "Box":
        ys, xs = np.nonzero(mask)
        top, bottom = int(ys.min()), int(ys.max())
        return cls(top, bottom, float(bottom - top + 1), float(xs.max() - xs.min() + 1))


def largest_part(mask: np.ndarray) -> np.ndarray:
    """The largest connected part of a garment's mask; GarmentError when there is none."""
    part = largest_component(mask)
    if not part.any():
        raise GarmentError(NO_SHAPE)
    return part


def without_hanging_parts(mask: np.ndarray, cfg: LandmarkConfig) -> np.ndarray:
    """The mask without ties, bows and straps that hang below the body.

    Opening the mask with a disk removes every part thinner than the disk. Of what it removes,
    a piece that starts in the garment's lower half and reaches further below the opened
    garment (in the columns around it; beside it, below all of it) than the disk's radius
    hangs down, and goes; the rest (rounded-off corners, thin straps on top, thin sleeves
    from the shoulders, held out or hanging) stays.
    """
    opened, radius = _opened(mask, cfg)
    if not opened.any():
        return mask
    # the opened body's bottom in the columns around each column (a piece beside the body is
    # compared with the body next to it)
    row = np.ones((1, 2 * radius + 1))
    around = cv2.dilate(bottom_profile(opened).astype(np.float32)[None, :], row)[0]
    thin = (mask & ~opened).astype(np.uint8)
    count, labels = cv2.connectedComponents(thin, connectivity=8)
    if count <= 1:
        return mask
    ys, xs = np.nonzero(labels)
    pieces = labels[ys, xs]
    order = np.lexsort((ys, pieces))  # by piece, then by row: each piece's lowest pixel last
    ends = np.flatnonzero(np.diff(pieces[order]))
    first, last = order[np.r_[0, ends + 1]], order[np.r_[ends, len(order) - 1]]
    rows = np.flatnonzero(opened.any(axis=1))
    low = ys[first] > (rows[0] + rows[-1]) / 2  # it starts in the lower half: not a sleeve
    hanging = pieces[last][low & (ys[last] > around[xs[last]] + radius)]
    cleaned = mask & ~np.isin(labels, hanging)
    return largest_part(cleaned)


def opened_sleeve_gaps(mask: np.ndarray, cfg: LandmarkConfig) -> np.ndarray:
    """The mask with each gap between a hanging sleeve and the body opened to the outside.

    Where a long sleeve's cuff rests on the body (or on the hem), the gap between them is a
    hole in the mask (openings.py keeps it open), and the outline passes it by: the side seam
    then runs on up the sleeve's outer edge, and the sleeve reads short or absent. A hole of
    the gap's shape (``cfg.sleeve_gap``: tall, narrow, below the shoulders, closed off close
    to the garment's edge) is cut open where it comes nearest the outside, so that the
    outline follows it up as it follows a gap the cuff leaves open.
    """
    box = Box.of(mask)
    count, labels, stats, _ = cv2.connectedComponentsWithStats((~mask).astype(np.uint8), None, 4)
    rim = np.unique(np.r_[labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    rim = rim[rim > 0]  # the background around the garment (0 is the garment)
    enclosed = sorted(set(range(1, count)) - set(rim.tolist()))
    gaps = [i for i in enclosed if cfg.sleeve_gap.shaped(stats[i, :4], box.top, box.height)]
    if not gaps:
        return mask
    outside = np.isin(labels, rim)
    to_outside = cv2.distanceTransform((~outside).astype(np.uint8), cv2.DIST_L2, 5)
    bridge = cfg.sleeve_gap.max_bridge_frac * box.height
    opened = mask.astype(np.uint8)
    out_ys, out_xs = np.nonzero(outside)
    for label in gaps:
        ys, xs = np.nonzero(labels == label)
        start = int(np.argmin(to_outside[ys, xs]))
        if to_outside[ys[start], xs[start]] > bridge:
            continue
        end = nearest(np.stack([out_xs, out_ys], axis=1), np.array([xs[start], ys[start]]))
        cv2.line(opened, (int(xs[start]), int(ys[start])), (int(out_xs[end]), int(out_ys[end])),
                 0, GAP_CUT_PX)  # fmt: skip
    return opened > 0


def hanger_hook(mask: np.ndarray, cfg: LandmarkConfig) -> np.ndarray:
    """(H, W) bool: a hanger's hook (or a hanging loop) standing up from the middle of the
    garment's top, if the photo shows one; it is no part of the garment.

    As for hanging parts, the mask is opened with a disk; a piece it takes off above the
    opened garment (in the columns around it) that stands up from it by more than the disk's
    radius, no wider than hook_max_width_frac of the garment and on its middle, is a hook.
    Straps, apart on either side of the neck, and a halter's ties meeting over it, are wider.
    """
    opened, radius = _opened(mask, cfg)
    hooks = np.zeros(mask.shape, bool)
    if not opened.any():
        return hooks
    cols = np.flatnonzero(mask.any(axis=0))
    width, middle = cols.max() - cols.min() + 1, (cols.min() + cols.max()) / 2
    top = np.where(opened.any(axis=0), np.argmax(opened, axis=0), mask.shape[0])
    around = cv2.erode(top.astype(np.float32)[None, :], np.ones((1, 2 * radius + 1)))[0]
    rows = np.arange(mask.shape[0])[:, None]
    up = (mask & ~opened & (rows < around[None, :])).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(up, connectivity=8)
    for label in range(1, count):
        x, y, w, _ = stats[label, :4]
        stands_up = y < around[x : x + w].min() - radius
        narrow = w <= cfg.hook_max_width_frac * width
        if stands_up and narrow and abs(x + w / 2 - middle) <= cfg.hook_max_offset_frac * width:
            hooks |= labels == label
    return hooks


def _opened(mask: np.ndarray, cfg: LandmarkConfig) -> tuple[np.ndarray, int]:
    """The mask opened with a disk hanging_max_thickness_frac of its width across (every part
    thinner than that taken off), and the disk's radius."""
    xs = np.flatnonzero(mask.any(axis=0))
    radius = max(1, round(cfg.hanging_max_thickness_frac * (xs.max() - xs.min() + 1) / 2))
    return cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, disk(radius)) > 0, radius


def symmetry_axis(mask: np.ndarray, cfg: LandmarkConfig) -> float:
    """The x about which the mask overlaps its own mirror image best, searched in the middle
    ``centre_search_frac`` of its width.

    Searched on a half-size copy first, then refined around the best position.
    """
    small = mask[::2, ::2]
    coarse = _best_mirror(small, None, cfg.centre_search_frac) * 2
    return _best_mirror(mask, (coarse - 2, coarse + 2))


def _best_mirror(
    mask: np.ndarray, around: tuple[float, float] | None, middle: float = 1.0
) -> float:
    """The x about which ``mask`` overlaps its mirror image best: within ``around`` if given,
    else within the ``middle`` share of its width."""
    xs = np.flatnonzero(mask.any(axis=0))
    left, right = xs.min(), xs.max()
    span = right - left
    if around is None:  # doubled: 2x for x = left + (1 - middle) / 2 * span, and its mirror
        lo, hi = int(2 * left + span * (1 - middle)), int(2 * right - span * (1 - middle))
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


@dataclass(frozen=True)
class Dent:
    """One convexity defect of the outline: a dent between two hull points."""

    start: np.ndarray  # (x, y) hull point where the dent begins (contour order)
    end: np.ndarray  # hull point where it ends
    deepest: np.ndarray  # the dent's point farthest from the hull
    depth: float


def find_dents(contour: np.ndarray, min_depth: float) -> list[Dent]:
    hull = np.sort(cv2.convexHull(contour, returnPoints=False).reshape(-1))
    if len(hull) < 3:
        return []
    defects = cv2.convexityDefects(contour, hull.astype(np.int32))
    if defects is None:
        return []
    return [
        Dent(
            contour[start].astype(np.float32),
            contour[end].astype(np.float32),
            contour[far].astype(np.float32),
            depth / 256.0,
        )
        for start, end, far, depth in defects.reshape(-1, 4)
        if depth / 256.0 >= min_depth
    ]


def top_edge_point(mask: np.ndarray, x: float) -> np.ndarray:
    """The topmost garment pixel in column x (clamped into the mask's columns)."""
    columns = np.nonzero(mask.any(axis=0))[0]
    column = int(np.clip(round(x), columns.min(), columns.max()))
    rows = np.nonzero(mask[:, column])[0]
    return np.array([column, rows.min()], np.float32)


def neck_points(
    mask: np.ndarray, centre_x: float, dents: list[Dent], box: Box, cfg: LandmarkConfig
) -> tuple[np.ndarray, np.ndarray] | None:
    """The two rims of the neck opening (wearer's left, right); None when the top edge has no
    opening (a strapless or off-shoulder top, or a skirt's waistband: see typical_neck)."""
    width = box.width
    top_dents = [
        dent
        for dent in dents
        if min(dent.start[0], dent.end[0]) < centre_x < max(dent.start[0], dent.end[0])
        and abs(dent.deepest[0] - centre_x) < cfg.neck_max_half_width_frac * width
        and max(dent.start[1], dent.end[1]) < box.top + cfg.neck_max_rim_depth_frac * box.height
        # a neck opening is symmetric: not a dip between two ruffles of a flat top edge
        and abs(dent.start[0] + dent.end[0] - 2 * centre_x) < cfg.neck_max_asymmetry_frac * width
    ]
    if top_dents:
        # The neck dent is the topmost dent that spans the centre line.
        neck = min(top_dents, key=lambda dent: min(dent.start[1], dent.end[1]))
        ends = sorted([neck.start, neck.end], key=lambda p: p[0])
        return ends[1], ends[0]
    # A hood or a stand-up collar rises above the shoulders: the neck points are the corners
    # where it meets the shoulder line, one dent on each side near the centre, high up, whose
    # outline rises from it on the centre's side to the garment's top (the hood) and runs out
    # lower on the other (the shoulder). An armpit's rises on the outer side, to a cuff.
    corners = []
    for side in (LEFT, RIGHT):
        near = [
            dent
            for dent in dents
            if 0 < side * (dent.deepest[0] - centre_x) < cfg.neck_max_half_width_frac * width
            and dent.deepest[1] < box.top + cfg.collar_max_depth_frac * width
            and _rises_inward(dent, centre_x, box.top + cfg.collar_rim_max_drop_frac * box.height)
        ]
        if near:
            corners.append(min(near, key=lambda d: d.deepest[1]).deepest)
    if len(corners) == 2:
        return corners[0], corners[1]
    return None


def typical_neck(
    mask: np.ndarray, centre_x: float, box: Box, cfg: LandmarkConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Neck points for a top edge with no opening: a typical neck's width apart on it."""
    half = cfg.neck_default_half_width_frac * box.width
    return top_edge_point(mask, centre_x + half), top_edge_point(mask, centre_x - half)


def _rises_inward(dent: Dent, centre_x: float, y: float) -> bool:
    """Whether the outline rises from ``dent`` on the centre's side, to above height ``y``, and
    runs out lower on the other: a hood's or collar's corner, from which the hood's side rises
    (further than it runs out) or leans in. From an armpit, the outline rises on the outer
    side, up the sleeve; or, where a skirt flares out past short sleeves, on the centre's side
    too, but along the sleeve's underside, which runs out from the armpit further than it
    rises."""
    inner, outer = sorted([dent.start, dent.end], key=lambda p: abs(p[0] - centre_x))
    runs_out = abs(inner[0] - centre_x) - abs(dent.deepest[0] - centre_x)
    return bool(runs_out < dent.deepest[1] - inner[1] and inner[1] < min(outer[1], y))


def mirrored_half(mask: np.ndarray, centre_col: int, sign: int) -> np.ndarray:
    """The garment on one side of the centre line, mirrored so that outward is +u."""
    half = mask[:, centre_col:] if sign == LEFT else mask[:, centre_col::-1]
    return largest_part(half)
