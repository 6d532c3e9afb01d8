"""Cut a garment out of a shop photo: an alpha matte from a plain background.

A shop photo shows one garment on a plain white or light-grey background. The background is
everything that looks like the background colour *and* can be reached from the image frame
without crossing an edge; the garment is the rest, so prints and white patches inside it are
never lost. A white garment on a white background is held by its outline (a seam line, a
faint shadow): a thin barrier is enough once small gaps in it are sealed. The backdrop may be
lit unevenly (a gradient, a vignette, the soft shadow a garment casts on it): its colour is a
smooth surface, followed round the frame, plus what that leaves over at a coarse scale
(background.py), and a soft shadow (a little darker than the backdrop, of its hue, without an
edge) is backdrop too. So are real holes, the narrow, shaded wedge between a pair of
trousers' legs, followed up to the crotch (openings.py), and the light rim that JPEG's
ringing leaves beside a garment of a strong colour (light_rim).

The binary cut-out is found at a reduced resolution (fast, and JPEG noise averages out), then
refined at full resolution into a soft, anti-aliased matte whose 50 % level sits where the
edge pixels are half garment, half background.

    alpha = cut_out(rgb)                      # (H, W) uint8, 255 = garment
    alpha = alpha_from_transparency(rgba)     # the image's own alpha, or None if it has none
"""

import cv2
import numpy as np

from .background import Background, fit_background, fit_surface, quadratic_basis
from .config import SEGMENT, SegmentConfig
from .errors import GarmentError
from .openings import carve_real_holes, open_between_legs
from .shapes import dilate, disk, erode, largest_component, touching_frame

NO_BACKGROUND = (
    "Could not find a plain background around the garment. Please use a photo of the garment "
    "alone, laid flat or on an invisible mannequin, on a plain white or light background."
)
NO_GARMENT = (
    "Could not find a garment in this photo: it looks like an empty background. Please use a "
    "photo where the garment fills most of the picture, on a plain white or light background."
)
SEVERAL_GARMENTS = (
    "This photo seems to show more than one garment (or two views of one). Please crop it to "
    "one garment, or use a photo of that garment alone."
)
GARMENT_TOO_SMALL = (
    "The garment is too small in this photo to be fitted. Please use a photo where the "
    "garment fills most of the picture."
)

MATTE_SHRINK = 2  # the garment's colour beside its edge is found on a copy this much smaller
# The frame's background samples follow its light: fitted twice with a plane (the terms of the
# quadratic surface kept), which a band of the frame's dominant colour can set, then twice
# with the whole quadratic, once they run round the frame.
FRAME_FITS = (3, 3, 6, 6)


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

    background = fit_background(lab, samples)
    distance, shadow = _departure(lab, background, cfg)
    parts = _garment_from_background(distance, shadow, background, outline, textured, cfg)
    garment = largest_component(parts)
    # A second pass with the background modelled from everything outside the garment, not just
    # the frame, follows a vignette or a light gradient across the whole photo, and where the
    # backdrop's light departs from a smooth surface, that too (Background.detail).
    background = fit_background(lab, erode(~garment, 3), detail=cfg.detail_sigma_frac)
    distance, shadow = _departure(lab, background, cfg)
    parts = _garment_from_background(distance, shadow, background, outline, textured, cfg)
    if _second_part(parts) >= cfg.second_garment_frac:
        raise GarmentError(SEVERAL_GARMENTS)
    garment = carve_real_holes(largest_component(parts), distance, small, background, cfg)

    share = np.count_nonzero(garment) / garment.size
    if share < cfg.min_garment_frac:
        raise GarmentError(NO_GARMENT if share < cfg.speck_area_frac else GARMENT_TOO_SMALL)
    if share > cfg.max_garment_frac:
        raise GarmentError(NO_BACKGROUND)

    garment = open_between_legs(garment, lab, background, cfg)
    return _soft_matte(rgb, garment, background, scale, cfg)


def _lab(rgb: np.ndarray) -> np.ndarray:
    """8-bit Lab of a lightly blurred copy (JPEG noise would otherwise read as edges)."""
    return cv2.cvtColor(cv2.GaussianBlur(rgb, (3, 3), 0), cv2.COLOR_RGB2LAB)


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
    basis = quadratic_basis(xs, ys, extent)
    for terms in FRAME_FITS:
        if not taken.any():
            break
        surface = fit_surface(colours[taken], xs[taken], ys[taken], extent, terms)
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


def _departure(
    lab: np.ndarray, background: Background, cfg: SegmentConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel's Lab distance from the background there, and whether it may be a soft
    shadow on the backdrop: darker than the background by up to SegmentConfig.shadow_depth
    of its lightness, and of its hue (a and b within the background's threshold)."""
    difference = lab - background.image(lab.shape[:2])
    darker = -difference[..., 0]
    hue = np.linalg.norm(difference[..., 1:], axis=2)
    shadow = (darker > 0) & (darker <= cfg.shadow_depth * (lab[..., 0] + darker))
    shadow &= hue < background.threshold(cfg)
    return np.sqrt(darker * darker + hue * hue), shadow


def _garment_from_background(
    distance: np.ndarray,
    shadow: np.ndarray,
    background: Background,
    outline: np.ndarray,
    textured: np.ndarray,
    cfg: SegmentConfig,
) -> np.ndarray:
    """Garment = what a background fill from the frame cannot reach (every part of it).

    The fill runs over background-coloured, untextured pixels off the outline, with small
    gaps in the barrier sealed, so it cannot leak into a white garment. It also runs over a
    soft ``shadow`` on the backdrop, which has no edge; a garment that dark still has its own.
    """
    threshold = background.threshold(cfg)
    barrier = ((distance >= threshold) & ~shadow) | outline | textured
    seal = max(1, round(cfg.seal_gap_frac * max(distance.shape) / 2))
    sealed = cv2.morphologyEx(barrier.astype(np.uint8), cv2.MORPH_CLOSE, disk(seal)) > 0
    reached = touching_frame(~sealed)  # the fill from the frame: the backdrop's pixels
    # Sealing, and the texture measure's glow along edges, fattened the garment by a few
    # pixels; grow the background back that far, one pixel at a time and only over pixels
    # near the background colour and off the outline, so it cannot run far through a gap.
    regrow_over = ((distance < cfg.regrow_distance_k * threshold) | shadow) & ~outline
    for _ in range(seal + cfg.regrow_px):
        reached |= dilate(reached, 1) & regrow_over
    return ~(reached | light_rim(reached, distance, threshold, outline, cfg))


def light_rim(
    reached: np.ndarray,
    distance: np.ndarray,
    threshold: float,
    outline: np.ndarray,
    cfg: SegmentConfig = SEGMENT,
) -> np.ndarray:
    """The light rim round a garment that stands out from the backdrop, to give back to it:
    ``reached`` (bool) the backdrop found so far, ``distance`` each pixel's colour distance
    from the backdrop's there, ``threshold`` the distance within which a pixel is of the
    backdrop's colour, ``outline`` (bool) the thin colour edges; all at the working scale.

    JPEG's ringing and the texture measure's glow along a strong edge (a red sleeve on white)
    mark a band of backdrop-coloured pixels that can be wider than the regrowth reaches. From
    ``reached``, the backdrop grows on over pixels of its own colour within
    SegmentConfig.fringe_px of a colour that contrasts with it (matte_min_contrast), up to
    fringe_px. Each piece so grown is kept only if it ran into the garment: where it stopped
    (its front), at least fringe_front_share is the garment's outline or a colour off the
    backdrop's. Grown through a gap in a white garment's outline, a piece stops in white fabric
    instead, and the garment keeps it.
    """
    contrasting = dilate(distance >= cfg.matte_min_contrast, cfg.fringe_px + 1)
    over = (distance < threshold) & contrasting & ~outline
    grown = reached.copy()
    for _ in range(cfg.fringe_px):
        grown |= dilate(grown, 1) & over
    count, pieces = cv2.connectedComponents((grown & ~reached).astype(np.uint8), connectivity=8)
    front = dilate(pieces > 0, 1) & ~grown  # the garment's pixels next to a piece
    whose = cv2.dilate(pieces.astype(np.float32), disk(1))[front].astype(np.int64)
    garment_like = (dilate(outline, 1) | (distance >= threshold))[front]
    total = np.bincount(whose, minlength=count)
    ends_at_garment = np.bincount(whose, weights=garment_like, minlength=count)
    keep = ends_at_garment >= cfg.fringe_front_share * total
    keep[0] = False
    return keep[pieces]


def _second_part(parts: np.ndarray) -> float:
    """The size of the second largest of the 8-connected ``parts``, x the largest's (0: one)."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(parts.astype(np.uint8), connectivity=8)
    areas = np.sort(stats[1:, cv2.CC_STAT_AREA])[::-1]
    return float(areas[1] / areas[0]) if len(areas) > 1 else 0.0


def _soft_matte(
    rgb: np.ndarray,
    garment_small: np.ndarray,
    background: Background,
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
    inner = erode(coarse, band)
    edge = dilate(coarse, band) & ~inner
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
