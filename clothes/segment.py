"""Cut a garment out of a shop photo: an alpha matte from a plain background.

A shop photo shows one garment on a plain white or light-grey background. The background is
everything that looks like the background colour *and* can be reached from the image frame
without crossing an edge; the garment is the rest, so prints and white patches inside it are
never lost. A white garment on a white background is held by its outline (a seam line, a
faint shadow): a thin barrier is enough once small gaps in it are sealed. The backdrop may be
lit unevenly (a gradient, a vignette, the soft shadow a garment casts on it): its colour is a
smooth surface, followed round the frame, plus what that leaves over at a coarse scale, and a
soft shadow (a little darker than the backdrop, of its hue, without an edge) is backdrop too.
So is the narrow, shaded wedge between a pair of trousers' legs, followed up to the crotch.

The binary cut-out is found at a reduced resolution (fast, and JPEG noise averages out), then
refined at full resolution into a soft, anti-aliased matte whose 50 % level sits where the
edge pixels are half garment, half background.

    alpha = cut_out(rgb)                      # (H, W) uint8, 255 = garment
    alpha = alpha_from_transparency(rgba)     # the image's own alpha, or None if it has none
"""

import dataclasses
from dataclasses import dataclass

import cv2
import numpy as np

from .config import KIND, SEGMENT, SegmentConfig
from .errors import GarmentError
from .kind import crotch_of
from .shapes import disk, largest_component

NO_BACKGROUND = (
    "Could not find a plain background around the garment. Please use a photo of the garment "
    "alone, laid flat or on an invisible mannequin, on a plain white or light background."
)
NO_GARMENT = (
    "Could not find a garment in this photo: it looks like an empty background. Please use a "
    "photo where the garment fills most of the picture, on a plain white or light background."
)
# Far from any background sample the detail fades to the bare surface: where the samples' spread
# (a Gaussian's weight, 1 amid them) falls to this, the detail is half what they show.
DETAIL_PRIOR = 0.05
DETAIL_SHRINK = 4  # the detail is found on a copy this many times smaller
MATTE_SHRINK = 2  # the garment's colour beside its edge is found on a copy this much smaller
# The frame's background samples follow its light: fitted twice with a plane (the terms of the
# quadratic surface kept), which a band of the frame's dominant colour can set, then twice
# with the whole quadratic, once they run round the frame.
FRAME_FITS = (3, 3, 6, 6)
SEVERAL_GARMENTS = (
    "This photo seems to show more than one garment (or two views of one). Please crop it to "
    "one garment, or use a photo of that garment alone."
)
GARMENT_TOO_SMALL = (
    "The garment is too small in this photo to be fitted. Please use a photo where the "
    "garment fills most of the picture."
)


def alpha_from_transparency(rgba: np.ndarray, cfg: SegmentConfig = SEGMENT) -> np.ndarray | None:
    """The image's own alpha channel if it really cuts something out, else None."""
    if rgba.ndim != 3 or rgba.shape[2] != 4:
        return None
    alpha = rgba[..., 3]
    transparent_share = np.count_nonzero(alpha < 128) / alpha.size
    return alpha.copy() if transparent_share >= cfg.transparent_min_frac else None


def cut_out(rgb: np.ndarray, cfg: SegmentConfig = SEGMENT) -> np.ndarray:
    """Soft alpha matte (H, W) uint8 of the garment in an RGB shop photo on a plain background."""
    height, width = rgb.shape[:2]
    scale = min(1.0, cfg.work_long_side_px / max(height, width))
    small = cv2.resize(rgb, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    lab8 = _lab(small)
    lab = lab8.astype(np.float32)
    samples = _frame_samples(lab, cfg)
    outline = _outline(lab8, cfg)
    texture = _texture(small, cfg)
    textured = texture > max(
        cfg.texture_min, cfg.texture_noise_k * np.percentile(texture[samples], 95)
    )

    background = _fit_background(lab, samples)
    distance, shadow = _departure(lab, background, cfg)
    parts = _garment_from_background(distance, shadow, background, outline, textured, cfg)
    garment = largest_component(parts)
    # A second pass with the background modelled from everything outside the garment, not just
    # the frame, follows a vignette or a light gradient across the whole photo, and where the
    # backdrop's light departs from a smooth surface, that too (_Background.detail).
    background = _fit_background(lab, _erode(~garment, 3), detail=cfg.detail_sigma_frac)
    distance, shadow = _departure(lab, background, cfg)
    parts = _garment_from_background(distance, shadow, background, outline, textured, cfg)
    if _second_part(parts) >= cfg.second_garment_frac:
        raise GarmentError(SEVERAL_GARMENTS)
    garment = _carve_real_holes(largest_component(parts), distance, small, background, cfg)

    share = np.count_nonzero(garment) / garment.size
    if share < cfg.min_garment_frac:
        raise GarmentError(NO_GARMENT if share < cfg.speck_area_frac else GARMENT_TOO_SMALL)
    if share > cfg.max_garment_frac:
        raise GarmentError(NO_BACKGROUND)

    garment = _open_between_legs(garment, lab, background, cfg)
    return _soft_matte(rgb, garment, background, scale, cfg)


@dataclass(frozen=True)
class _Background:
    """A smooth background: one quadratic surface per Lab channel, and what it leaves over
    (``detail``, if any), plus its noise level."""

    coefficients: np.ndarray  # (6, 3), over coordinates divided by `extent`
    extent: float  # long side of the image the surface was fitted on
    noise: float = 0.0  # median Lab distance of a background pixel from the background
    detail: np.ndarray | None = None  # (h, w, 3): added to the surface, stretched over it

    def image(self, shape: tuple[int, int], to_fitted: float = 1.0) -> np.ndarray:
        """Background colour (H, W, 3) of an image of this shape; `to_fitted` maps its pixels
        to those of the image the surface was fitted on."""
        # the quadratic evaluated term by term over a row and a column (no per-pixel basis)
        x = (np.arange(shape[1], dtype=np.float32) * to_fitted / self.extent)[None, :, None]
        y = (np.arange(shape[0], dtype=np.float32) * to_fitted / self.extent)[:, None, None]
        c = self.coefficients  # rows: 1, x, y, x*x, x*y, y*y
        surface = (c[0] + c[1] * x + c[3] * x * x) + y * (c[2] + c[4] * x + c[5] * y)
        if self.detail is None:
            return surface
        return surface + cv2.resize(self.detail, shape[::-1], interpolation=cv2.INTER_LINEAR)

    def at(self, xs: np.ndarray, ys: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
        """Background colour (N, 3) at points (xs, ys) of the image fitted on (``shape``)."""
        colours = _quadratic_basis(xs, ys, self.extent) @ self.coefficients
        if self.detail is not None:
            h, w = self.detail.shape[:2]
            rows = np.minimum((ys * (h / shape[0])).astype(np.int64), h - 1)
            cols = np.minimum((xs * (w / shape[1])).astype(np.int64), w - 1)
            colours += self.detail[rows, cols]
        return colours


def _quadratic_basis(xs: np.ndarray, ys: np.ndarray, extent: float) -> np.ndarray:
    x, y = xs.astype(np.float32) / extent, ys.astype(np.float32) / extent  # normalised, so
    return np.stack([np.ones_like(x), x, y, x * x, x * y, y * y], axis=1)  # well conditioned


def _fit_surface(colours: np.ndarray, xs, ys, extent: float, terms: int = 6) -> np.ndarray:
    """(6, 3) coefficients of the least-squares surface through ``colours`` (N, 3) at pixels
    (xs, ys): quadratic, or with ``terms=3`` a plane (the other coefficients zero). Samples
    along one side only leave a slope unknown: it is then zero."""
    coefficients = np.zeros((6, 3), np.float32)
    basis = _quadratic_basis(xs, ys, extent)[:, :terms]
    coefficients[:terms] = np.linalg.lstsq(basis, colours, rcond=1e-4)[0]
    return coefficients


def _fit_background(lab: np.ndarray, samples: np.ndarray, detail: float = 0.0) -> _Background:
    """The quadratic surface through the Lab colours of the ``samples`` pixels.

    With ``detail`` (a fraction of the long side), what the surface leaves over is followed
    too, at that scale: the samples' residuals averaged by a Gaussian that wide (normalised
    convolution, on a copy DETAIL_SHRINK times smaller: it is smooth), fading to the surface
    alone far from any sample (deep under a garment)."""
    ys, xs = np.nonzero(samples)
    step = max(1, len(ys) // 20_000)  # a subsample is plenty for six coefficients
    ys, xs = ys[::step], xs[::step]
    extent = float(max(lab.shape[:2]))
    colours = lab[ys, xs]
    background = _Background(_fit_surface(colours, xs, ys, extent), extent)
    if detail > 0:
        small = (max(1, lab.shape[1] // DETAIL_SHRINK), max(1, lab.shape[0] // DETAIL_SHRINK))
        to_fitted = lab.shape[1] / small[0]
        weight = cv2.resize(samples.astype(np.float32), small, interpolation=cv2.INTER_AREA)
        known = cv2.resize(lab * samples[..., None], small, interpolation=cv2.INTER_AREA)
        residual = known - weight[..., None] * background.image(small[::-1], to_fitted)
        sigma = detail * extent / to_fitted
        spread = cv2.GaussianBlur(weight, (0, 0), sigma) + DETAIL_PRIOR
        residual = cv2.GaussianBlur(residual, (0, 0), sigma) / spread[..., None]
        background = _Background(background.coefficients, extent, detail=residual)
    fitted = background.at(xs, ys, lab.shape[:2])
    noise = float(np.median(np.linalg.norm(colours - fitted, axis=1)))
    return dataclasses.replace(background, noise=noise)


def _lab(rgb: np.ndarray) -> np.ndarray:
    """8-bit Lab of a lightly blurred copy (JPEG noise would otherwise read as edges)."""
    return cv2.cvtColor(cv2.GaussianBlur(rgb, (3, 3), 0), cv2.COLOR_RGB2LAB)


def _distance(background: _Background, lab: np.ndarray) -> np.ndarray:
    """Lab distance of every pixel from the background colour there."""
    return np.linalg.norm(lab - background.image(lab.shape[:2]), axis=2)


def _frame_samples(lab: np.ndarray, cfg: SegmentConfig) -> np.ndarray:
    """Frame pixels of the background (a garment may touch the frame).

    They start as those of the frame's dominant colour, then follow a light gradient or a
    vignette round the frame: a plane, then a quadratic surface, is fitted to them, and the
    frame pixels near it are taken, a few times over. A garment's edge departs from any
    smooth surface; a background lit unevenly (darker by a fifth at one end) does not."""
    height, width = lab.shape[:2]
    border = max(2, round(cfg.border_frac * max(height, width)))
    frame = np.zeros((height, width), bool)
    frame[:border], frame[-border:], frame[:, :border], frame[:, -border:] = True, True, True, True
    ys, xs = np.nonzero(frame)
    colours = lab[ys, xs]
    near = 2 * cfg.bg_distance_min
    taken = np.linalg.norm(colours - np.median(colours, axis=0), axis=1) < near
    extent = float(max(height, width))
    basis = _quadratic_basis(xs, ys, extent)
    for terms in FRAME_FITS:
        if not taken.any():
            break
        surface = _fit_surface(colours[taken], xs[taken], ys[taken], extent, terms)
        taken = np.linalg.norm(colours - basis @ surface, axis=1) < near
    if np.count_nonzero(taken) < cfg.min_background_share * len(taken):
        raise GarmentError(NO_BACKGROUND)
    if np.median(colours[taken, 0]) < 255 * 0.5:  # OpenCV's L runs 0..255: a dark frame
        raise GarmentError(NO_BACKGROUND)  # is no shop background
    samples = np.zeros_like(frame)
    samples[ys[taken], xs[taken]] = True
    return samples


def _texture(rgb: np.ndarray, cfg: SegmentConfig) -> np.ndarray:
    """Local standard deviation of the colour: zero on a studio background, not on fabric.

    It also glows along every edge, so it outlines even a white garment without gaps."""
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    window = (cfg.texture_window_px, cfg.texture_window_px)
    mean = cv2.blur(lab, window)
    variance = cv2.blur(lab * lab, window) - mean * mean
    return np.sqrt(np.maximum(variance.sum(axis=2), 0.0))


def _outline(lab8: np.ndarray, cfg: SegmentConfig) -> np.ndarray:
    """Thin (one pixel) colour edges: the faint outline that holds a white garment."""
    return cv2.Canny(lab8, cfg.edge_low, cfg.edge_high, L2gradient=True) > 0


def _erode(mask: np.ndarray, radius: int) -> np.ndarray:
    return cv2.erode(mask.astype(np.uint8), disk(radius)).astype(bool)


def _dilate(mask: np.ndarray, radius: int) -> np.ndarray:
    return cv2.dilate(mask.astype(np.uint8), disk(radius)).astype(bool)


def _touching_frame(mask: np.ndarray) -> np.ndarray:
    """The connected parts of a boolean mask that touch the image frame."""
    count, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=4)
    frame_labels = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    frame_labels = frame_labels[frame_labels > 0]
    return np.isin(labels, frame_labels)


def _threshold(background: _Background, cfg: SegmentConfig) -> float:
    """The Lab distance from the background from which a pixel is not background."""
    return max(cfg.bg_distance_min, cfg.bg_noise_k * background.noise)


def _departure(
    lab: np.ndarray, background: _Background, cfg: SegmentConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel's Lab distance from the background there, and whether it may be a soft
    shadow on the backdrop: darker than the background by up to SegmentConfig.shadow_depth
    of its lightness, and of its hue (a and b within the background's threshold)."""
    difference = lab - background.image(lab.shape[:2])
    darker = -difference[..., 0]
    hue = np.linalg.norm(difference[..., 1:], axis=2)
    shadow = (darker > 0) & (darker <= cfg.shadow_depth * (lab[..., 0] + darker))
    shadow &= hue < _threshold(background, cfg)
    return np.sqrt(darker * darker + hue * hue), shadow


def _garment_from_background(
    distance: np.ndarray,
    shadow: np.ndarray,
    background: _Background,
    outline: np.ndarray,
    textured: np.ndarray,
    cfg: SegmentConfig,
) -> np.ndarray:
    """Garment = what a background fill from the frame cannot reach (every part of it).

    The fill runs over background-coloured, untextured pixels off the outline, with small
    gaps in the barrier sealed, so it cannot leak into a white garment. It also runs over a
    soft ``shadow`` on the backdrop, which has no edge; a garment that dark still has its own.
    """
    threshold = _threshold(background, cfg)
    barrier = ((distance >= threshold) & ~shadow) | outline | textured
    seal = max(1, round(cfg.seal_gap_frac * max(distance.shape) / 2))
    sealed = cv2.morphologyEx(barrier.astype(np.uint8), cv2.MORPH_CLOSE, disk(seal)) > 0
    background = _touching_frame(~sealed)
    # Sealing, and the texture measure's glow along edges, fattened the garment by a few
    # pixels; grow the background back that far, one pixel at a time and only over pixels
    # near the background colour and off the outline, so it cannot run far through a gap.
    regrow_over = ((distance < cfg.regrow_distance_k * threshold) | shadow) & ~outline
    for _ in range(seal + cfg.regrow_px):
        background |= _dilate(background, 1) & regrow_over
    return ~background


def _second_part(parts: np.ndarray) -> float:
    """The size of the second largest of the 8-connected ``parts``, x the largest's (0: one)."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(parts.astype(np.uint8), connectivity=8)
    areas = np.sort(stats[1:, cv2.CC_STAT_AREA])[::-1]
    return float(areas[1] / areas[0]) if len(areas) > 1 else 0.0


def _carve_real_holes(
    garment: np.ndarray,
    distance: np.ndarray,
    rgb: np.ndarray,
    background: _Background,
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
    exact = _distance(background, lab)
    threshold = _threshold(background, cfg)
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
        rim = _dilate(hole, 3) & ~_dilate(hole, 1) & garment
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


def _open_between_legs(
    garment: np.ndarray, lab: np.ndarray, background: _Background, cfg: SegmentConfig
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
    passable = ~worn | _backdrop_like(lab[band], backdrop, fabric, _threshold(background, cfg))
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
    holes = ~garment & ~_touching_frame(~garment)
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


def _soft_matte(
    rgb: np.ndarray,
    garment_small: np.ndarray,
    background: _Background,
    scale: float,
    cfg: SegmentConfig,
) -> np.ndarray:
    """Full-resolution alpha: 1 inside, 0 outside, and the mixing ratio across the edge.

    Each edge pixel is modelled as a mix of the nearby garment colour F and the background
    colour B; its alpha is where it lies on the line from B to F. Only the edge's pixels are
    computed, and F, a wide average, on a copy MATTE_SHRINK times smaller.
    """
    height, width = rgb.shape[:2]
    garment = garment_small.astype(np.float32)
    coarse = cv2.resize(garment, (width, height), interpolation=cv2.INTER_LINEAR) >= 0.5
    band = cfg.matte_band_px + int(np.ceil(0.5 / scale))  # covers the upsampling error too
    inner = _erode(coarse, band)
    edge = _dilate(coarse, band) & ~inner
    ys, xs = np.nonzero(edge)

    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    small = (max(1, width // MATTE_SHRINK), max(1, height // MATTE_SHRINK))
    weight = cv2.resize(inner.astype(np.float32), small, interpolation=cv2.INTER_AREA)
    front = cv2.resize(
        lab * inner[..., None].astype(np.float32), small, interpolation=cv2.INTER_AREA
    )
    sigma = 2.0 * band / MATTE_SHRINK
    weight = cv2.GaussianBlur(weight, (0, 0), sigma)
    front = cv2.GaussianBlur(front, (0, 0), sigma) / np.maximum(weight, 1e-6)[..., None]
    at = (
        np.minimum(ys // MATTE_SHRINK, small[1] - 1),
        np.minimum(xs // MATTE_SHRINK, small[0] - 1),
    )
    front, weight = front[at], weight[at]

    colour = lab[ys, xs].astype(np.float32)
    back = background.at(xs * scale, ys * scale, garment_small.shape)
    contrast = front - back
    contrast_sq = (contrast * contrast).sum(axis=1)
    mix = ((colour - back) * contrast).sum(axis=1) / np.maximum(contrast_sq, 1e-6)
    reliable = (contrast_sq >= cfg.matte_min_contrast**2) & (weight > 0.05)

    hard = cv2.GaussianBlur(coarse.astype(np.float32), (0, 0), 0.7)  # anti-aliased fallback
    alpha = inner.astype(np.float32)
    alpha[ys, xs] = np.where(reliable, np.clip(mix, 0.0, 1.0), hard[ys, xs])
    return np.round(alpha * 255).astype(np.uint8)
