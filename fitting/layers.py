"""A garment part drawn into a region of the frame: the :class:`Layer` that every warp gives.

A part is drawn by *inverse mapping* (:func:`render`): for each output pixel near the body we
compute which garment pixel lands there, exactly on a coarse grid that is then interpolated,
and ``cv2.remap`` samples the garment. The body panel maps through the torso coordinates of
torso.py (warp.py). Sleeves and legs are *strips* (:func:`strip_layer`): bilinear patches
between matching cross-sections of the garment and of the limb (sleeves.py, legwear.py).
"""

from dataclasses import dataclass

import cv2
import numpy as np

from .geometry import bilinear_inverse, bounds, clip_box, length, perp
from .rig import Part

GRID_STEP = 10  # output pixels between the exactly mapped points of the coarse grid
STRIP_MARGIN = 1.0  # a strip is drawn at most this far past its sides (x its width)
END_MARGIN = 0.5  # and past its two ends (x the length of the end's patch)
# Below the hip line a skirt leaves the wearer's outline: it may reach this much further out
# (px) per px further down, so that a skirt wider than the hips flares out from them (27
# degrees each side: an A-line's flare is 10-20) and spans the gap between the legs.
SKIRT_FLARE = 0.5
# A trouser leg hangs straight down: below the hips it is as wide as the garment's leg, where
# that is wider than the wearer's (cut to their outline, wide trousers came out skinny, in
# steps where the wearer's own shorts or dress ended and round holes the segmenter left
# between the legs)
TROUSER_FLARE = 0.0
OUTSIDE = -1e4  # a garment-pixel position outside every part: samples transparent


@dataclass(frozen=True)
class Layer:
    """A warped part ready to blend: RGBA pixels for the frame region ``box`` (x0, y0, x1, y1)."""

    name: str
    side: str | None  # "left"/"right" for a sleeve, None for the body panel or whole garment
    box: tuple[int, int, int, int]
    rgba: np.ndarray  # (y1 - y0, x1 - x0, 4) uint8, straight (not premultiplied) alpha
    flare: float | None = None  # below the hips, how it hangs free of the wearer's outline:
    # None, it does not (it is cut to the outline); 0, straight down (a trouser leg, as wide as
    # the garment's); SKIRT_FLARE, flaring out (a skirt's, across the gap between the legs)
    inside: bool = False  # behind the wearer (the inside of the back, seen through the
    # neckline; the yoke): drawn only where the frame shows their own top (neck_hair.py)


def render(name: str, side, part: Part, box, garment_px, scale: float, reach=None) -> Layer | None:
    """Samples ``part`` into the frame region ``box`` through the inverse map ``garment_px``
    (frame points (N, 2) -> garment pixels (N, 2), NaN where nothing is drawn); ``scale``:
    frame pixels per garment pixel; ``reach``, if known: (h, w) bool over ``box``, the only
    pixels the map may reach."""
    if box is None:
        return None
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    # Exact mapping on a coarse grid placed where cv2.resize samples, then interpolated.
    nx, ny = w // GRID_STEP + 2, h // GRID_STEP + 2
    gx = x0 + (np.arange(nx) + 0.5) * w / nx - 0.5
    gy = y0 + (np.arange(ny) + 0.5) * h / ny - 0.5
    grid = np.empty((ny, nx, 2))
    grid[..., 0], grid[..., 1] = gx, gy[:, None]
    level = int(np.clip(np.floor(np.log2(1.0 / max(scale, 1e-6))), 0, len(part.levels) - 1))
    src = ((garment_px(grid.reshape(-1, 2)) - part.origin) / 2**level).reshape(ny, nx, 2)
    reached = np.isfinite(src).all(axis=2)
    src = np.where(reached[..., None], src, OUTSIDE).astype(np.float32)
    dense = cv2.resize(src, (w, h), interpolation=cv2.INTER_LINEAR)
    if not reached.all():
        # Between a point the map cannot reach and a reached one, interpolating would sweep a
        # line across the garment, and dropping the cell would leave a staircase: the pixels
        # there are mapped exactly instead; where the map cannot reach, nothing is drawn.
        near = cv2.resize((~reached).astype(np.uint8) * 255, (w, h), interpolation=cv2.INTER_LINEAR)
        near = near > 0
        if reach is not None:  # a long sleeve's box is mostly out of its reach
            dense[near & ~reach] = OUTSIDE
            near &= reach
        ys, xs = np.nonzero(near)
        exact = garment_px(np.stack([xs + x0, ys + y0], axis=1).astype(np.float64))
        exact = (exact - part.origin) / 2**level
        dense[ys, xs] = np.where(np.isfinite(exact), exact, OUTSIDE)
    rgba = cv2.remap(
        part.levels[level], dense, None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT
    )
    return Layer(name, side, box, rgba)


def strip_layer(
    name: str, side, part: Part, sections_g, sections_b, scale: float, pad: float, frame_shape
) -> Layer | None:
    """A strip of bilinear patches drawn from the garment's part: the patch between each two
    cross-sections of the garment (``sections_g``, each (2, 2)) is drawn between the matching
    cross-sections in the frame (``sections_b``), and up to ``pad`` pixels past them.
    Sleeves are strips, and so are legs."""
    box = clip_box(bounds(np.vstack(sections_b)) + np.array([-pad, -pad, pad, pad]), frame_shape)
    patches_b = [_patch(a, b) for a, b in zip(sections_b[:-1], sections_b[1:], strict=True)]
    patches_g = [_patch(a, b) for a, b in zip(sections_g[:-1], sections_g[1:], strict=True)]

    def garment_px(xy):
        # Each pixel belongs to the last patch it lies past the start of (s >= 0) and not
        # far from. Far to either side of the strip a patch's inverse is meaningless (it may
        # jump to the other root and fold distant garment pixels in): that patch draws
        # nothing there, nor takes the pixel from an earlier one (a forearm folded back
        # across the chest took the top of the sleeve at the shoulder, and left it bare).
        # Past the end of a patch that another follows, only a round joint is drawn (outside
        # a bent elbow; further on, the patch would run on past the bend).
        result = None
        for k, (patch_b, patch_g) in enumerate(zip(patches_b, patches_g, strict=True)):
            s, t = bilinear_inverse(xy, *patch_b)
            px = _bilinear(patch_g, s, t)
            far = np.abs(t - 0.5) > 0.5 + STRIP_MARGIN
            if k == 0:
                far |= s < -END_MARGIN
            if k == len(patches_b) - 1:
                far |= s > 1 + END_MARGIN
            else:
                joint = sections_b[k + 1]
                radius = length(joint[0] - joint[1]) / 2
                far |= (s > 1) & (np.linalg.norm(xy - joint.mean(axis=0), axis=1) > radius)
            px[far] = np.nan
            result = px if result is None else np.where(((s >= 0) & ~far)[:, None], px, result)
        return result

    reach = None if box is None else strip_reach(patches_b, sections_b, box)
    return render(name, side, part, box, garment_px, scale, reach)


def strip_reach(patches, sections, box) -> np.ndarray:
    """(h, w) bool over ``box``: where a strip's ``patches`` (between its ``sections``) may
    draw, as strip_layer's garment_px reaches (a pixel or so more). Each patch reaches its
    strip's margins, and a bilinear patch lies inside the convex hull of its corners (each
    point is a weighted average of them); a patch another follows also reaches its round
    joint."""
    reach = np.zeros((box[3] - box[1], box[2] - box[0]), np.uint8)
    offset = np.array(box[:2], float)
    t = np.array([-STRIP_MARGIN, -STRIP_MARGIN, 1 + STRIP_MARGIN, 1 + STRIP_MARGIN])
    last = len(patches) - 1
    for k, patch in enumerate(patches):
        start, end = -END_MARGIN if k == 0 else 0.0, 1 + END_MARGIN if k == last else 1.0
        corners = _bilinear(patch, np.array([start, end, end, start]), t) - offset
        cv2.fillConvexPoly(reach, cv2.convexHull(np.round(corners).astype(np.int32)), 1)
        if k < last:
            joint = sections[k + 1]
            center = np.round(joint.mean(axis=0) - offset).astype(int)
            radius = int(np.ceil(length(joint[0] - joint[1]) / 2))
            cv2.circle(reach, (int(center[0]), int(center[1])), radius, 1, -1)
    return cv2.dilate(reach, np.ones((3, 3), np.uint8)) > 0  # the corners were rounded


def cross_section(
    center, direction, garment_section, scale: float, top_side: float, least: float = 0.0
) -> np.ndarray:
    """A (2, 2) cross-section of a limb at ``center``: as wide as ``garment_section`` times
    ``scale`` but at least ``least`` to either side, across ``direction``, its first point on
    the ``top_side`` (+1 or -1) of ``perp(direction)``."""
    offset = top_side * perp(direction) * half_width(garment_section, scale, least)
    return np.array([center + offset, center - offset])


def half_width(garment_section: np.ndarray, scale: float, least: float) -> float:
    """Half the width of a worn cross-section: the garment's, scaled, but at least ``least``."""
    return max(length(garment_section[0] - garment_section[1]) / 2 * scale, least)


def keep(layers: list[Layer | None]) -> list[Layer]:
    """The layers drawn (None: a part that fell outside the frame)."""
    return [layer for layer in layers if layer is not None]


def _patch(start: np.ndarray, end: np.ndarray):
    """The bilinear patch between two cross-sections, as ``bilinear_inverse`` takes it:
    origin, the top edge, the start section, and the twist. s runs along, t across."""
    q0, q1, q2, q3 = start[0], end[0], end[1], start[1]
    return q0, q1 - q0, q3 - q0, q0 - q1 + q2 - q3


def _bilinear(patch, s: np.ndarray, t: np.ndarray) -> np.ndarray:
    """The points at (``s``, ``t``) of a bilinear ``patch`` (see _patch)."""
    origin, a, e, f = patch
    return origin + s[:, None] * a + t[:, None] * e + (s * t)[:, None] * f
