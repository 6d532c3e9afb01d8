"""Where a shop photo's backdrop shows through a garment: real holes, and between the legs.

The cut-out (segment.py) takes as garment whatever a fill from the photo's frame cannot reach.
What it encloses is mostly the garment's own pale fabric and prints, which must stay; but
some of it is the backdrop seen through the garment: a real hole, the gap between a long
sleeve and the body, the gap between trouser legs laid with their hems touching
(:func:`carve_real_holes`), and the shaded wedge between a pair's legs below the crotch,
which the fill cannot enter (:func:`open_between_legs`).
"""

import dataclasses

import cv2
import numpy as np

from .background import Background
from .config import KIND, SegmentConfig
from .kind import crotch_of
from .shapes import dilate, touching_frame


def carve_real_holes(
    garment: np.ndarray,
    distance: np.ndarray,
    rgb: np.ndarray,
    background: Background,
    cfg: SegmentConfig,
) -> np.ndarray:
    """Open the enclosed patches that are background seen through the garment.

    Enclosed background-coloured patches are usually white prints, stripes or pale fabric,
    which must stay. A real hole shows the background itself, so most of it matches the
    background colour exactly, and it is surrounded all round by fabric that contrasts with the
    background. The gap between a long sleeve and the body is one too, told by its shape: a
    tall, narrow slit of background colour that starts below the shoulders and runs down to the
    garment's edge (where cuff and hem touch and sealed it off), with fabric contrasting with
    the background along most of its rim (a white stripe may touch it in places). So is the
    gap between the legs of trousers laid with their hems touching: the same slit on the
    centre line, starting as high as a crotch may (KindConfig.crotch_min_height).
    """
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)  # unblurred: exact colours
    exact = background.distance(lab)
    threshold = background.threshold(cfg)
    inside = (garment & (distance < threshold)).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(inside, connectivity=4)
    min_area = cfg.hole_area_frac * np.count_nonzero(garment)
    min_slit_area = cfg.gap_min_area_frac * np.count_nonzero(garment)
    rows = np.flatnonzero(garment.any(axis=1))
    if len(rows) == 0:
        return garment  # nothing to carve (cut_out then says the photo shows no garment)
    top, height = rows.min(), max(1, rows.max() - rows.min())
    centre, width = _centre_line(garment)
    # trousers laid with their hems touching: the gap between the legs, from the crotch down
    legs_gap = dataclasses.replace(cfg.sleeve_gap, min_depth_frac=KIND.crotch_min_height)
    to_edge = None  # distance to the garment's edge, computed when first needed
    carved = garment.copy()
    for label in range(1, count):
        if stats[label, cv2.CC_STAT_AREA] < min_slit_area:
            continue
        hole = labels == label
        rim = dilate(hole, 3) & ~dilate(hole, 1) & garment
        if stats[label, cv2.CC_STAT_AREA] >= min_area:
            exact_share = np.mean(exact[hole] <= cfg.hole_exact_distance)
            rim_contrast = np.percentile(distance[rim], cfg.hole_rim_percentile)
            contrasts = rim_contrast >= cfg.hole_rim_contrast_min
            if exact_share >= cfg.hole_exact_share_min and contrasts:
                carved &= ~hole
                continue
        x, _, w, _ = stats[label, :4]
        between_legs = abs(x + w / 2 - centre) <= KIND.crotch_max_off * width
        if not (legs_gap if between_legs else cfg.sleeve_gap).shaped(stats[label, :4], top, height):
            continue
        if to_edge is None:
            to_edge = cv2.distanceTransform(garment.astype(np.uint8), cv2.DIST_L2, 5)
        slit = (
            to_edge[hole].min() <= cfg.sleeve_gap.max_bridge_frac * height
            and np.mean(exact[hole] <= cfg.gap_near_distance) >= cfg.gap_near_share_min
            and np.percentile(distance[rim], cfg.gap_rim_percentile) >= cfg.hole_rim_contrast_min
        )
        if slit:
            carved &= ~hole
    return carved


def open_between_legs(
    garment: np.ndarray, lab: np.ndarray, background: Background, cfg: SegmentConfig
) -> np.ndarray:
    """Open the gap between the legs of trousers or shorts up to where the legs meet.

    Laid flat, a pair's legs part below the crotch in a narrow wedge of backdrop, shaded
    where it narrows. The fill from the frame stops where the wedge is narrower than the
    sealing, or where its shade and its edges' glow bar it, leaving its upper part and its
    sides as garment: a pale wedge between the wearer's thighs. From the top of the opening
    between the legs (_gap_top), the wedge is followed up, row by row, over the pixels that
    look like the backdrop rather than the fabric round it (_backdrop_like), never wider than
    below it once past that top (_followed_up), and no higher than a crotch can be. A garment
    with no opening between legs (a top, a dress, a skirt), or whose fabric is the backdrop's
    colour (less than ``cfg.matte_min_contrast`` from it, as where the matte stays hard), is
    left as it is.
    """
    rows = np.flatnonzero(garment.any(axis=1))
    top, bottom = int(rows[0]), int(rows[-1])
    highest = top + int(KIND.crotch_min_height * (bottom - top + 1))  # as high as a crotch may be
    centre, width = _centre_line(garment)
    apex = _gap_top(garment, centre, width, highest)
    if apex is None:
        return garment
    # (kind.py measures the crotch's least depth without the ties hanging below the hems)
    apex_x, apex_y = apex[0], max(apex[1], highest)
    half = int(np.ceil(KIND.crotch_max_off * width))
    x0, x1 = max(apex_x - half, 0), min(apex_x + half + 1, garment.shape[1])
    window = np.s_[max(apex_y - half, 0) : apex_y + half, x0:x1]
    fabric = np.median(lab[window][garment[window]], axis=0)  # round the crotch
    band = np.s_[highest : bottom + 1, x0:x1]
    backdrop = background.image(lab.shape[:2])[band]
    if np.linalg.norm(fabric - backdrop[apex_y - highest, apex_x - x0]) < cfg.matte_min_contrast:
        return garment
    worn = garment[band]
    passable = ~worn | _backdrop_like(lab[band], backdrop, fabric, background.threshold(cfg))
    garment = garment.copy()
    garment[band] &= ~_followed_up(worn, passable, apex_y - highest)
    return garment


def _followed_up(worn: np.ndarray, passable: np.ndarray, apex: int) -> np.ndarray:
    """The ``worn`` pixels of the wedge between the legs, followed up from the bottom row
    over ``passable`` pixels (both (h, w) bool over the band round the centre line): in each
    row, the runs of passable pixels that hold part of the opening (backdrop with fabric on
    both sides) or touch what was followed in the row below. Below the ``apex`` row a run may
    be a pixel a side wider than the opening or than what it continues; above it, no wider
    than what it continues, or only its continuation is taken."""
    followed = np.zeros_like(worn)
    below = np.zeros(worn.shape[1], bool)
    for row in range(len(worn) - 1, -1, -1):
        fabric_at = np.flatnonzero(worn[row])
        opening = np.zeros_like(below)
        if len(fabric_at):
            opening[fabric_at[0] : fabric_at[-1]] = ~worn[row, fabric_at[0] : fabric_at[-1]]
        reach = below.copy()
        reach[1:] |= below[:-1]
        reach[:-1] |= below[1:]
        grows = 2 if row > apex else 0
        here = np.zeros_like(below)
        for start, stop in _runs(passable[row]):
            run = slice(start, stop)
            if not (opening[run].any() or reach[run].any()):
                continue
            under = np.count_nonzero(below[max(start - 1, 0) : stop + 1])
            if stop - start <= max(np.count_nonzero(opening[run]), under) + grows:
                here[run] = True
            else:  # wider than the wedge below: only what continues it
                here[run] = (reach[run] | opening[run]) & passable[row, run]
        followed[row] = here & worn[row]
        below = here
    return followed


def _gap_top(garment: np.ndarray, centre: float, width: int, highest: int):
    """The top (x, y) of the opening between the legs: the crotch's notch in the bottom edge
    (as kind.py finds it), or the top of a gap between legs whose hems touch (a hole near
    the ``centre`` column of a garment ``width`` wide, no higher than the row ``highest``);
    None if there is neither."""
    crotch = crotch_of(garment)
    if crotch is not None:
        return tuple(int(v) for v in np.round(crotch.deepest))
    holes = ~garment & ~touching_frame(~garment)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(holes.astype(np.uint8), 4)
    tallest = None
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        if abs(x + w / 2 - centre) > KIND.crotch_max_off * width or y < highest:
            continue
        if tallest is None or h > stats[tallest, cv2.CC_STAT_HEIGHT]:
            tallest = label
    if tallest is None:
        return None
    y = int(stats[tallest, cv2.CC_STAT_TOP])
    return int(np.flatnonzero(labels[y] == tallest).mean()), y


def _centre_line(garment: np.ndarray) -> tuple[float, int]:
    """The column halfway across the garment's mask, and the mask's width in columns."""
    columns = np.flatnonzero(garment.any(axis=0))
    return (columns[0] + columns[-1]) / 2, int(columns[-1] - columns[0] + 1)


def _backdrop_like(
    colour: np.ndarray, backdrop: np.ndarray, fabric: np.ndarray, threshold: float
) -> np.ndarray:
    """Which Lab ``colour`` pixels look like the ``backdrop`` there (or its shade) rather than
    the ``fabric`` colour: nearer the one than the other, or a shade of the backdrop, lighter
    than the fabric, darker than the backdrop and of the backdrop's hue rather than the
    fabric's (told apart only where the fabric has a hue of its own: ``threshold`` twice)."""
    nearer = np.linalg.norm(colour - backdrop, axis=2) < np.linalg.norm(colour - fabric, axis=2)
    shade = (colour[..., 0] > fabric[0]) & (colour[..., 0] < backdrop[..., 0])
    hue, backdrop_hue = colour[..., 1:], backdrop[..., 1:]
    shade &= np.linalg.norm(hue - backdrop_hue, axis=2) < np.linalg.norm(hue - fabric[1:], axis=2)
    shade &= np.linalg.norm(fabric[1:] - backdrop_hue, axis=2) >= 2 * threshold
    return nearer | shade


def _runs(row: np.ndarray) -> list[tuple[int, int]]:
    """The (start, stop) of every run of True in a boolean row."""
    edges = np.flatnonzero(np.diff(np.concatenate([[False], row, [False]]).astype(np.int8)))
    return list(zip(edges[::2], edges[1::2], strict=True))
