"""Warping a prepared garment onto a body, once per pose: its parts as image layers.

The body panel is drawn (layers.py) through the torso coordinates of torso.py; the sleeves
are strips along the arms (sleeves.py), each starting at the armhole where the panel puts it.
When the body knows its silhouette, the garment is made to reach it: each row of the body
panel is widened (never narrowed: a loose garment keeps its width, and composite.py cuts it
to the outline) until it meets the torso's flank plus the ease, up to MAX_STRETCH, and its
shoulders are raised to the outline's; the armholes move out with it. The panel is then
grown under the sleeves, so that the two, warped apart, still meet (:func:`under_sleeves`).

    layers = warp_garment(rig, body, frame.shape, follow_body=True, sleeve_width=0.7, ease=0.05)
"""

import dataclasses

import cv2
import numpy as np

from clothes import Category

from .body import Body
from .config import REST_EASE
from .geometry import along, bounds, clip_box, grown_within, length, perp, unit
from .layers import SKIRT_FLARE, Layer, keep, render
from .rig import SEAM_REACH, GarmentRig, Part
from .silhouette import crop
from .sleeves import warp_sleeves
from .torso import LIFT_ANCHOR, Tailoring, TorsoFrame

MAX_STRETCH = 1.5  # a garment is widened at most this much to reach the wearer's flanks (times
# the body's turn: a body seen from the side is wider than its shoulders show)
MAX_RISE = 0.35  # and its shoulders raised at most this far (half shoulder widths)
STRETCH_SMOOTHING = 5  # rows (odd) of the running median that evens the widening out
BOX_SAMPLES = 16  # points along each edge of a panel's uv box, for its bounds in the frame
YOKE = "yoke"  # the layer of the garment's back seen above its shoulders (rig.py)


def warp_garment(
    rig: GarmentRig,
    body: Body,
    frame_shape,
    follow_body: bool,
    sleeve_width: float,
    ease: float = 0.0,
) -> list[Layer]:
    """The garment's parts warped onto ``body``, in drawing order (what is seen of its back,
    the panel, then the sleeves).

    ``ease``: how far (half shoulder widths) the garment reaches past the wearer's outline.
    """
    scale = length(body.torso.across) / rig.half_width  # output px per garment px
    if not follow_body:
        whole = _panel_layer(
            rig, "garment", rig.whole, rig.whole_uv_box, body.torso, scale, frame_shape, worn=False
        )
        return keep([whole])
    torso = body.torso.tailored(tailor(body, rig, ease))
    panel = _panel_layer(rig, "panel", rig.panel, rig.panel_uv_box, torso, scale, frame_shape)
    if panel is not None and rig.category == Category.DRESS:
        panel = dataclasses.replace(panel, flare=SKIRT_FLARE)
    # Behind the wearer, drawn only where the frame shows their own top (neck_hair.py): the
    # back round the neck (seen through the neckline, or rising above it: a collar's stand),
    # and, where their outline is known (the yoke reaches past the garment's edge), the
    # shoulders and back above its front edge.
    behind = [("collar", rig.collar, rig.collar_uv_box)]
    if body.trusted_outline is not None:
        behind.append((YOKE, rig.yoke, rig.yoke_uv_box))
    back = []
    for name, part, box in behind:
        if part is not None:
            layer = _panel_layer(rig, name, part, box, torso, scale, frame_shape)
            back.insert(0, layer and dataclasses.replace(layer, inside=True))
    sleeves = warp_sleeves(rig, body, torso, scale, sleeve_width, ease, frame_shape)
    if panel is not None:
        panel = under_sleeves(panel, sleeves, SEAM_REACH * body.scale, body.arms, torso.across)
    return keep([*back, panel, *sleeves])


def _panel_layer(rig, name, part: Part, uv_box, torso: TorsoFrame, scale, frame_shape, worn=True):
    """The garment's ``part`` drawn on the ``torso`` sheet: over the frame region its
    ``uv_box`` (torso coordinates) covers, each pixel mapped back through the sheet to the
    garment (``worn``: its shoulder band as it lies when worn, see GarmentRig.to_px; else as
    in the photo)."""
    u0, v0, u1, v1 = uv_box
    steps = np.linspace(0.0, 1.0, BOX_SAMPLES)
    us, vs = u0 + steps * (u1 - u0), v0 + steps * (v1 - v0)
    outline = np.concatenate(
        [np.stack([us, np.full_like(us, v)], axis=1) for v in (v0, v1)]
        + [np.stack([np.full_like(vs, u), vs], axis=1) for u in (u0, u1)]
    )
    box = clip_box(bounds(torso.to_image(outline)), frame_shape)

    def garment_px(xy):
        return rig.to_px(torso.to_garment(xy), worn)

    return render(name, None, part, box, garment_px, scale)


def tailor(body: Body, rig: GarmentRig, ease: float) -> Tailoring | None:
    """The garment altered to reach the body's silhouette plus ``ease``, never made smaller:
    each row of the panel widened to the body's flank (up to MAX_STRETCH, evened out over
    rows), its shoulders raised to the silhouette's (up to MAX_RISE; plus the ease, but no more
    than REST_EASE: a garment rests on the shoulders). None without one. A side without a
    sleeve takes, above its armpit, the flank as beside a hanging arm (Flanks.sleeveless): its
    armhole leaves bare the shoulder of an arm brought in front of the body.

    MAX_RISE bounds the rise of every point of the panel, not only its top over the shoulder
    (SHOULDER_COLUMN): the lift lengthens the band up from LIFT_ANCHOR, and a point higher
    than that top rises further. A tank top's panel is low there (its armhole) and high
    between (its straps): lifted until the armhole's edge rose by MAX_RISE, its straps rose to
    the head, wherever the silhouette went on up (a ponytail, a raised hand)."""
    flanks = body.flanks
    if flanks is None:
        return None
    widening = []
    sides = zip(
        ("left", "right"),
        (flanks.left, flanks.right),
        flanks.sleeveless,
        rig.edges.at(flanks.rows),
        strict=True,
    )
    for side, flank, bare, edge in sides:
        if side not in rig.sleeves:  # its armhole leaves bare the shoulder of an arm in front
            flank = np.where(flanks.rows < rig.worn_armpit_v, bare, flank)
        with np.errstate(invalid="ignore", divide="ignore"):
            factor = np.clip((flank + ease) / edge, 1.0, MAX_STRETCH * body.turn)
        factor = _even_out(factor)
        if side in rig.sleeves:
            factor = straight_armhole(factor, flanks.rows, rig.sleeves[side].armhole_uv[1, 1])
        widening.append(factor)
    lift, rest = [], min(ease, REST_EASE)
    max_lift = 1 + MAX_RISE / (LIFT_ANCHOR - rig.panel_uv_box[1])  # the panel's top rises that far
    for body_top, garment_top in zip(body.shoulders, rig.shoulder_tops, strict=True):
        top = np.maximum(body_top - rest, garment_top - MAX_RISE)  # NaN stays NaN
        raised = np.minimum((LIFT_ANCHOR - top) / (LIFT_ANCHOR - garment_top), max_lift)
        lift.append(float(raised) if np.isfinite(raised) and raised > 1 else 1.0)
    return Tailoring(flanks.rows, *widening, lift=(lift[0], lift[1]), neck=rig.neck_columns)


def straight_armhole(factor: np.ndarray, rows: np.ndarray, armpit: float) -> np.ndarray:
    """``factor`` (widening at ``rows``) with no dip between the shoulder line (v = 0) and
    the ``armpit`` row: a sleeve hangs from the straight line between the two, and a panel
    widened less between them than at either end left a gap beside it."""
    top, bottom = np.interp([0.0, armpit], rows, factor)
    between = (rows > 0) & (rows < armpit)
    line = top + (bottom - top) * rows / armpit
    return np.where(between, np.maximum(factor, line), factor)


def _even_out(values: np.ndarray) -> np.ndarray:
    """Unknown (NaN) rows take their neighbours' values (1 when none is known); then a running
    median over STRETCH_SMOOTHING rows."""
    known = np.isfinite(values)
    if not known.any():
        return np.ones_like(values)
    rows = np.arange(len(values))
    filled = np.interp(rows, rows[known], values[known])
    half = STRETCH_SMOOTHING // 2
    padded = filled[np.clip(np.arange(-half, len(filled) + half), 0, len(filled) - 1)]  # edges
    windows = np.sort(np.lib.stride_tricks.sliding_window_view(padded, STRETCH_SMOOTHING), 1)
    return windows[:, half]  # the median of an odd window: np.median's cost is its overhead


def under_sleeves(
    panel: Layer, sleeves: list[Layer], reach: float, arms: dict, across: np.ndarray
) -> Layer:
    """``panel`` grown by ``reach`` pixels towards and under the sleeves (its colours are bled
    that far: rig.SEAM_REACH). The two are warped apart (the panel to the torso, a sleeve
    along the arm), so their edges may meet without the overlap they have in the photo, or
    not meet at all where the photo shows a gap between sleeve and body: soft edge against
    soft edge, each lets part of the frame through, and a seam of the wearer's own top
    showed, or a strip of it. The panel grows sideways only, ``across`` the torso (the
    direction from its middle to its left side), which is where its armholes face: grown
    every way, its shoulder's top rose in a square step beside the sleeve's cap, over the
    wearer's own shoulder. Along the ``arms`` (side -> shoulder, elbow[, wrist]) it grows no
    further down the arm than the sleeve's hem: past it the panel's side stood out in a
    square step over the bare arm."""
    r = max(1, round(reach))
    sideways = _line(r, unit(across))
    rgba = None
    px0, py0, px1, py1 = panel.box
    for sleeve in sleeves:
        box = grown_within(sleeve.box, r, panel.box)  # the panel's pixels near the sleeve
        x0, y0, x1, y1 = box
        if x0 >= x1 or y0 >= y1:
            continue
        rgba = panel.rgba.copy() if rgba is None else rgba
        alpha = rgba[y0 - py0 : y1 - py0, x0 - px0 : x1 - px0, 3]
        grown = cv2.dilate(alpha, sideways)
        reached = near(sleeve, box, r)
        if sleeve.side in arms:
            reached &= ~past_hem(sleeve, arms[sleeve.side][:2], box)
        alpha[:] = np.where(reached, grown, alpha)
    return panel if rgba is None else dataclasses.replace(panel, rgba=rgba)


def past_hem(sleeve: Layer, bone: np.ndarray, box) -> np.ndarray:
    """(h, w) bool over ``box``: further down the ``bone`` (from, to) than the ``sleeve``'s
    hem, the hem taken at each pixel's place across the bone (beside the sleeve, at its
    nearest end: the hem slants). The sleeve's stray pixels (a speck of its edge drawn past
    its cuff) are no hem: one moved the hem of its column down by 12 px, and the bare arm
    below the sleeve then showed a line of the panel across it in the video."""
    down = unit(bone[1] - bone[0])

    def coordinates(region):  # each pixel's place along and across the bone
        return along(region, bone[0], down), along(region, bone[0], perp(down))

    opaque = (sleeve.rgba[..., 3] > 127).astype(np.uint8)  # half covered or more...
    opaque = cv2.morphologyEx(opaque, cv2.MORPH_OPEN, _square(1)) > 0  # ...without specks
    if not opaque.any():
        return np.zeros((box[3] - box[1], box[2] - box[0]), bool)
    depth, across = (np.broadcast_to(c, opaque.shape)[opaque] for c in coordinates(sleeve.box))
    columns = np.round(across).astype(int)
    first = columns.min()
    hem = np.full(columns.max() - first + 1, -np.inf)
    np.maximum.at(hem, columns - first, depth)
    hem[np.isinf(hem)] = hem.max()  # a column the sleeve leaves empty: no hem there
    depth, across = coordinates(box)
    at = np.clip(np.round(across).astype(int) - first, 0, len(hem) - 1)
    return depth > hem[at]


def near(layer: Layer, box, reach: float) -> np.ndarray:
    """(h, w) bool over ``box``: within ``reach`` pixels (a square's) of ``layer``'s pixels."""
    r = max(1, round(reach))
    return cv2.dilate(crop(layer.rgba[..., 3], layer.box, box), _square(r)) > 0


def _square(r: int) -> np.ndarray:
    """A square kernel reaching ``r`` pixels: a tenth of a round one's cost to dilate with."""
    return np.ones((2 * r + 1, 2 * r + 1), np.uint8)


def _line(r: int, direction: np.ndarray) -> np.ndarray:
    """A kernel reaching ``r`` pixels both ways along the unit ``direction``, and no further
    across it than a pixel."""
    kernel = np.zeros((2 * r + 1, 2 * r + 1), np.uint8)
    ends = np.round(r + np.outer([-r, r], direction)).astype(int)
    cv2.line(kernel, tuple(map(int, ends[0])), tuple(map(int, ends[1])), 1)
    return kernel
