"""Worn on the torso or on the legs? Bottoms told from tops by their silhouette.

Read before any landmark, from what a person sees at a glance in a flat product photo:

- **A waistband.** The top edge is one straight line across the garment (no neck opening, no
  shoulders sloping away from it; the line may lean, as in a photo turned a little), and the
  garment below it is nearly convex down to the hips (no sleeves or armholes cut into it).
  Tops have a neck dent, shoulders or straps; an off-shoulder top's straight top edge has
  sleeves below it, and is no wider at its hem. Sleeves stick out: the side runs back inward
  below them. Where nothing does, sides curving in below a straight waistband are a yoke or
  a fitted waist above a flared skirt, not armholes, and a dent reaching from the top edge
  down to the hips is such a side, not a neck. Nor does anything hang apart beside a
  waistband's garment: a row with fabric across the centre line and more apart from it on
  either side is a body between two sleeves (a top whose neckline hardly dips, its long
  sleeves hanging down, has a straight top edge and widens to its cuffs, as a skirt does).
- **Legs.** Trousers and shorts have a crotch: a notch in the bottom edge on the centre line,
  narrow where it starts, because the legs touch there. A long sleeve hanging below a top's
  hem makes a notch too, but a wide one: the whole hem lies between the two cuffs.
- **How it hangs.** Trousers' legs are long against the waist, shorts' short; a skirt widens
  from its waistband to its hem.

Legs and no neck: trousers or shorts, by the legs' length (between the two, the nearer; the
legs are evidence enough when the waistband curves in the photo, or the sides curve in above
legs that flare). A straight waistband, no crotch in view and a long shape: trousers whose
legs lie together. A straight waistband widening to the hem: a skirt. Anything else is a top
or a dress, whose landmarks then say which (landmarks.py). Where a reading rests on a weak
cue (no crotch seen, legs between shorts and trousers, a skirt hardly wider at its hem than
at its waist, like a strapless top) it comes with a doubt that says so.

    bottoms = read_bottoms(alpha)   # None for a top or dress
    bottoms.category                # Category.TROUSERS, SHORTS or SKIRT
    bottoms.doubt                   # None, or why the reading may be wrong
    bottoms.landmarks               # waistband, crotch and hem corners (see bottoms.py)
"""

from dataclasses import dataclass

import cv2
import numpy as np

from .bottoms import bottom_landmarks
from .config import KIND, LANDMARKS, KindConfig
from .shapes import outer_contour
from .silhouette import Box, Dent, find_dents, largest_part, symmetry_axis, without_hanging_parts
from .types import Category


@dataclass(frozen=True)
class Bottoms:
    category: Category
    doubt: str | None  # why the reading may be wrong, for the user; None when it is clear
    landmarks: np.ndarray  # (len(BottomPoint), 2) float32 (x, y) in the matte's pixels


NO_CROTCH = "its legs were not told apart in the photo; it was read as trousers from its length"
LEGS_BETWEEN = "its legs are between shorts and trousers in length ({legs:.2f} x the waist)"
FLAT_SKIRT = "it is hardly wider at the hem than at the waist, as a strapless top can be"


def read_bottoms(
    alpha: np.ndarray, cfg: KindConfig = KIND, category: Category | None = None
) -> Bottoms | None:
    """Trousers, shorts or a skirt, read from the garment's mask ``alpha >= 128``; None for
    anything else (a top or a dress). Given a ``category`` of bottoms (the user's word), the
    garment is read as that."""
    scale = min(1.0, cfg.work_long_side_px / max(alpha.shape))
    mask = cv2.resize(alpha, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) >= 128
    mask = without_hanging_parts(largest_part(mask), LANDMARKS)
    box = Box.of(mask)
    top, height, width = box.top, box.height, box.width
    centre = int(round(symmetry_axis(mask, LANDMARKS)))

    crotch = _crotch(mask, box, centre, cfg)

    def bottoms(category: Category, doubt: str | None) -> Bottoms:
        notch = None if crotch is None else crotch.deepest
        points = bottom_landmarks(mask, notch, centre, category) / scale
        return Bottoms(category, doubt, points)

    if category is not None:
        return bottoms(category, None)
    hips = top + int(cfg.upper_part_frac * height)  # or the crotch, if higher: not a sleeve
    hips = hips if crotch is None else min(hips, int(crotch.deepest[1]))
    # with legs seen, a dip in the top edge no deeper than a waistband's tolerance is the
    # waistband sagging in the photo (its back showing above its front), not a neck
    neck_depth = LANDMARKS.min_dent_depth_frac * max(height, width)
    if crotch is not None:
        neck_depth = max(neck_depth, cfg.waistband_tolerance * width)
    upper = _upper_outline(mask, hips)
    waist_row = top + int(cfg.waistband_row_frac * height)
    straight = _top_is_straight(mask, waist_row, cfg)
    # with legs seen, only a neck makes it a top: legs that flare out below a waist as wide as
    # the hips (wide-leg shorts, culottes) leave the sides above the crotch as far from convex
    # as armholes do, and no top among the shared photos or the redrawn designs has a crotch.
    # Below a straight waistband with nothing sticking out beside it, the sides may curve in
    # (a yoke, a fitted waist above a flared skirt): that is no armhole either.
    waistband = straight and not _sleeves_stick_out(mask, box, hips, cfg)
    cut_into = crotch is None and not waistband and _cut_into(upper, cfg)
    if _has_neck(upper, box, centre, neck_depth, hips, cfg) or cut_into:
        return None
    if _sleeves_hang_beside(mask, box, centre, cfg):
        return None
    waist = _row_extent(mask, waist_row)

    if crotch is not None:  # legs: evidence enough, even if the waistband curves in the photo
        legs = crotch.depth / waist
        if legs <= cfg.shorts_max_legs:
            return bottoms(Category.SHORTS, None)
        if legs >= cfg.trousers_min_legs:
            return bottoms(Category.TROUSERS, None)
        # between the two: the nearer length (on a ratio's scale), with a doubt
        nearer_shorts = legs * legs < cfg.shorts_max_legs * cfg.trousers_min_legs
        category = Category.SHORTS if nearer_shorts else Category.TROUSERS
        return bottoms(category, LEGS_BETWEEN.format(legs=legs))
    if not straight:
        return None
    if height / width >= cfg.legs_together_min_aspect:
        return bottoms(Category.TROUSERS, NO_CROTCH)
    if not waistband:  # sleeves stick out below the straight top edge: a top, not a skirt
        return None
    flare = _row_extent(mask, top + int(cfg.hem_row_frac * height)) / waist
    if flare >= cfg.skirt_min_flare:
        return bottoms(Category.SKIRT, None if flare >= cfg.skirt_sure_flare else FLAT_SKIRT)
    return None


def _row_extent(mask: np.ndarray, row: int) -> int:
    """Pixels from the leftmost to the rightmost garment pixel of a row (0 if it is empty)."""
    columns = np.flatnonzero(mask[row])
    return int(columns[-1] - columns[0] + 1) if len(columns) else 0


def _upper_outline(mask: np.ndarray, hips: int) -> np.ndarray:
    """The outline of the garment's upper part, from its top row down to its ``hips``."""
    upper = mask.copy()
    upper[hips:] = False
    return outer_contour(upper)


def _cut_into(upper: np.ndarray, cfg: KindConfig) -> bool:
    """Whether sleeves, straps or armholes are cut into the ``upper`` outline: it is far from
    convex. Its own area counts: a hole inside it is not cut into it (trousers whose legs lie
    together, touching at their hems, have the gap between them as a hole below the crotch)."""
    solidity = cv2.contourArea(upper) / max(cv2.contourArea(cv2.convexHull(upper)), 1.0)
    return solidity < cfg.waistband_min_solidity


def _has_neck(
    upper: np.ndarray, box: Box, centre: int, neck_depth: float, hips: int, cfg: KindConfig
):
    """Whether the ``upper`` outline (cut at the ``hips`` row) has a neck opening: a dent at
    least ``neck_depth`` pixels deep at the top, around the centre line. A dent that reaches
    down to the cut is a side curving in all the way from the top to the hips (a skirt's yoke
    above its flare), not an opening."""
    near_top, near_centre = cfg.neck_zone
    cut = hips - cfg.neck_off_cut * box.height
    for dent in find_dents(upper, neck_depth):
        x, y = dent.deepest
        if max(dent.start[1], dent.end[1]) >= cut:
            continue
        if y < box.top + near_top * box.height and abs(x - centre) < near_centre * box.width:
            return True
    return False


def _sleeves_stick_out(mask: np.ndarray, box: Box, hips: int, cfg: KindConfig) -> bool:
    """Whether sleeves stick out of the garment's upper part (down to the ``hips`` row): a
    side runs back inward, below a point above it, by at least ``sleeves_min_overhang`` of the
    width. A skirt's or trousers' sides only widen below the waistband (or hardly come back)."""
    rows = mask[box.top : hips]
    rows = rows[rows.any(axis=1)]
    left = np.argmax(rows, axis=1)  # each row's outermost garment pixel on either side
    right = rows.shape[1] - 1 - np.argmax(rows[:, ::-1], axis=1)
    inward = max(
        (left - np.minimum.accumulate(left)).max(), (np.maximum.accumulate(right) - right).max()
    )
    return inward >= cfg.sleeves_min_overhang * box.width


def _sleeves_hang_beside(mask: np.ndarray, box: Box, centre: int, cfg: KindConfig) -> bool:
    """Whether sleeves hang beside the garment's body: on at least ``sleeves_beside_min_rows``
    of its height, the fabric across the centre line has more fabric apart from it on either
    side. A skirt's rows are one piece each, and trousers' legs leave the centre line empty."""
    edges = np.diff(mask.astype(np.int8), axis=1, prepend=0, append=0)
    apart_left = (edges[:, : centre + 1] == -1).any(axis=1)  # a piece ends left of the centre
    apart_right = (edges[:, centre + 1 :] == 1).any(axis=1)  # a piece starts right of it
    beside = mask[:, centre] & apart_left & apart_right
    return np.count_nonzero(beside) >= cfg.sleeves_beside_min_rows * box.height


def _top_is_straight(mask: np.ndarray, row: int, cfg: KindConfig) -> bool:
    """Whether the top edge above ``row``'s extent is one straight line (a waistband)."""
    columns = np.flatnonzero(mask[row])
    left, right = int(columns[0]), int(columns[-1])
    span = right - left + 1
    first_rows = np.argmax(mask[:, left : right + 1], axis=0)  # top edge of every column
    along = np.arange(span)
    line = np.polyval(np.polyfit(along, first_rows, 1), along)  # a photo may be turned a little
    on_line = np.abs(first_rows - line) <= cfg.waistband_tolerance * span
    return np.count_nonzero(on_line) / span >= cfg.waistband_min_straight


def crotch_of(mask: np.ndarray, cfg: KindConfig = KIND) -> Dent | None:
    """The crotch of a garment's mask (a non-empty bool array at the working resolution), as
    read_bottoms finds it; None if its bottom edge has none."""
    mask = without_hanging_parts(largest_part(mask), LANDMARKS)
    return _crotch(mask, Box.of(mask), int(round(symmetry_axis(mask, LANDMARKS))), cfg)


def _crotch(mask: np.ndarray, box: Box, centre: int, cfg: KindConfig) -> Dent | None:
    """The crotch, if the bottom edge has one: a dent of the outline between two hull points
    on either side of the centre line, at least ``crotch_min_depth`` deep, narrow just below
    its top (the legs touch there). Its depth is how far the legs reach below it."""
    top, height, width = box.top, box.height, box.width
    for dent in find_dents(outer_contour(mask), cfg.crotch_min_depth * height):
        (start_x, _), (end_x, _) = dent.start, dent.end
        x, y = dent.deepest
        if not min(start_x, end_x) < centre < max(start_x, end_x):
            continue
        if y < top + cfg.crotch_min_height * height or abs(x - centre) > cfg.crotch_max_off * width:
            continue  # a neck or an armhole, not a crotch
        row = mask[int(y + min(cfg.crotch_probe * height, dent.depth / 2))]
        column = int(round(x))
        left, right = np.flatnonzero(row[:column]), np.flatnonzero(row[column:])
        if row[column] or not len(left) or not len(right):
            continue
        if (column + right[0] - left[-1]) / width <= cfg.crotch_max_gap:
            return dent
    return None
