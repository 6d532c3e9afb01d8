"""Warping a prepared garment onto a body, once per pose: its parts as image layers.

Every part of the :class:`~fitting.rig.GarmentRig` is drawn by *inverse mapping*: for each
output pixel near the body we compute which garment pixel lands there, exactly on a coarse
grid that is then interpolated, and ``cv2.remap`` samples the garment. The body panel uses
the torso coordinates of torso.py. A sleeve is a strip of bilinear patches: it starts at its
armhole, exactly where the body panel puts the armhole (so the seam never opens), and runs
along the arm to its cuff, with a cross-section just below the armpit (where a hanging
sleeve is already arm-wide) and one at the elbow when it is long enough to bend there.
Raising an arm raises the sleeve; bending the elbow bends it.

When the body knows its silhouette, the garment is made to reach it: each row of the body
panel is widened (never narrowed: a loose garment keeps its width, and composite.py cuts it
to the outline) until it meets the torso's flank plus the ease, up to MAX_STRETCH; the
armholes move out with it, each sleeve is at least as wide as the arm it covers (a loose
sleeve of the wearer's own included), and a hanging sleeve's cap is rounded over the
shoulder to the outline. Without one, a sleeve is still at least as wide as a typical upper
arm (ARM_RADIUS).

    layers = warp_garment(rig, body, frame.shape, follow_body=True, sleeve_width=0.7, ease=0.05)
"""

import dataclasses
from dataclasses import dataclass

import cv2
import numpy as np

from clothes import Category

from .body import Body, outline_reach
from .config import REST_EASE
from .geometry import (
    along,
    bilinear_inverse,
    bounds,
    clip_box,
    cross,
    grown_within,
    length,
    perp,
    unit,
)
from .rig import SEAM_REACH, GarmentRig, Part, Sleeve
from .silhouette import crop
from .torso import LIFT_ANCHOR, Tailoring, TorsoFrame

GRID_STEP = 10  # output pixels between the exactly mapped points of the coarse grid
STRIP_MARGIN = 1.0  # a sleeve is drawn at most this far past its strip's sides (x its width)
END_MARGIN = 0.5  # and past its armhole and cuff (x the length of the strip's end patch)
OUTSIDE = -1e4  # a garment-pixel position outside every part: samples transparent
MAX_STRETCH = 1.5  # a garment is widened at most this much to reach the wearer's flanks (times
# the body's turn: a body seen from the side is wider than its shoulders show)
MAX_RISE = 0.35  # and its shoulders raised at most this far (half shoulder widths)
STRETCH_SMOOTHING = 5  # rows (odd) of the running median that evens the widening out
BOX_SAMPLES = 16  # points along each edge of a panel's uv box, for its bounds in the frame
# An arm brought in front of the body turns its sleeve's armhole square to it, as a raised arm
# does: from where the bone lies this far inboard of the armpit (x the arm's half-width)...
ACROSS_START = 0.5
ACROSS_SPAN = 0.5  # ...over this much more (see _sleeve_on_arm)
YOKE = "yoke"  # the layer of the garment's back seen above its shoulders (rig.py)
CAP_AT = 0.5  # a hanging sleeve's cap is rounded this far from its armhole to its next section


@dataclass(frozen=True)
class Layer:
    """A warped part ready to blend: RGBA pixels for the frame region ``box`` (x0, y0, x1, y1)."""

    name: str
    side: str | None  # "left"/"right" for a sleeve, None for the body panel or whole garment
    box: tuple[int, int, int, int]
    rgba: np.ndarray  # (y1 - y0, x1 - x0, 4) uint8, straight (not premultiplied) alpha
    hangs_free: bool = False  # below the hips, not cut to the wearer's outline (a skirt's
    # or a dress's skirt hangs across the gap between the legs)
    inside: bool = False  # behind the wearer (the inside of the back, seen through the
    # neckline; the yoke): drawn only where the frame shows their own top (neck_hair.py)


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
        return _keep([whole])
    torso = body.torso.tailored(tailor(body, rig, ease))
    panel = _panel_layer(rig, "panel", rig.panel, rig.panel_uv_box, torso, scale, frame_shape)
    if panel is not None and rig.category == Category.DRESS:
        panel = dataclasses.replace(panel, hangs_free=True)
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
    # A worn sleeve is at least as wide as the arm in it: the upper arm as measured, or
    # typical (else a sleeve hanging from the shoulder would be a sliver beside the panel),
    # and as measured when that is wider than any arm (past body.ARM_WIDTHS: a loose sleeve
    # of the wearer's own, which showed beside a sleeve as wide as a typical arm); the
    # forearm as measured, or as wide as the capsule the forearm is cut out with (else a
    # forearm across the chest, which the outline cannot measure, showed a strip of skin
    # beside a narrower sleeve).
    sleeves = []
    for side, sleeve in rig.sleeves.items():
        measured = body.arm_widths.get(side, (np.nan, np.nan))
        upper = np.fmax(body.upper_arm(side), measured[0])  # fmax: a NaN measure is no wider
        forearm = measured[1]
        if not np.isfinite(forearm) and side in body.forearms:
            forearm = body.forearms[side].radius
        least = [upper + ease * body.scale, forearm + ease * body.scale]
        sleeves.append(
            _sleeve_layer(
                rig, side, sleeve, body, torso, scale, sleeve_width, least, frame_shape, ease
            )
        )
    sleeves = _keep(sleeves)
    if panel is not None:
        panel = under_sleeves(panel, sleeves, SEAM_REACH * body.scale, body.arms, torso.across)
    return _keep([*back, panel, *sleeves])


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


def _panel_layer(rig, name, part: Part, uv_box, torso: TorsoFrame, scale, frame_shape, worn=True):
    u0, v0, u1, v1 = uv_box
    along = np.linspace(0.0, 1.0, BOX_SAMPLES)
    us, vs = u0 + along * (u1 - u0), v0 + along * (v1 - v0)
    outline = np.concatenate(
        [np.stack([us, np.full_like(us, v)], axis=1) for v in (v0, v1)]
        + [np.stack([np.full_like(vs, u), vs], axis=1) for u in (u0, u1)]
    )
    box = clip_box(bounds(torso.to_image(outline)), frame_shape)

    def garment_px(xy):
        return rig.to_px(torso.to_garment(xy), worn)

    return _render(name, None, part, box, garment_px, scale)


def _sleeve_layer(
    rig, side, sleeve: Sleeve, body: Body, torso: TorsoFrame, scale, width_factor, least,
    frame_shape, ease=0.0,
):  # fmt: skip
    """``least``: the arm's half-widths (upper arm, forearm) in pixels that the sleeve covers
    at least (NaN: no least); ``ease``: how far (half shoulder widths) a sleeve's cap may
    reach past the wearer's outline (see _round_cap)."""
    armhole = torso.to_image(sleeve.armhole_uv)  # where the panel put it
    arm = body.arms.get(side)
    if arm is None:  # no elbow seen: the sleeve lies as in the photo
        sections_g = [sleeve.armhole, sleeve.cuff]
        sections_b = [armhole, torso.to_image(rig.to_uv(sleeve.cuff))]
    else:
        least = [w if np.isfinite(w) else 0.0 for w in least]  # an unmeasured forearm: none
        to_outline = None
        if (outline := body.trusted_outline) is not None:

            def to_outline(start, outward):  # where the wearer's outline ends, plus the ease
                return outline_reach(outline, start, outward, body.scale) + ease * body.scale

        sections_g, sections_b = _sleeve_on_arm(
            rig, sleeve, armhole, arm, torso, scale, width_factor, least, to_outline
        )
    pad = sleeve.cuff_pad * scale + 2
    return strip_layer(
        f"{side} sleeve", side, sleeve.part, sections_g, sections_b, scale, pad, frame_shape
    )


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
    return _render(name, side, part, box, garment_px, scale, reach)


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


def _sleeve_on_arm(rig, sleeve, armhole, arm, torso, scale, width_factor, least, to_outline=None):
    """Matching cross-sections of the sleeve (garment) and along the arm (body).

    The strip runs along the arm from level with the armhole's middle: below the armpit
    (for a hanging arm), elbow, then wrist. A long sleeve ends at the wrist; other sleeves
    keep their length, scaled with the garment. Across the arm, a worn sleeve shows
    ``width_factor`` of its flat width, but at least ``least`` (the upper arm's and the
    forearm's half-widths) on either side of the bone. With ``to_outline(start, outward)``,
    how far the wearer's outline runs on from a point (see _round_cap), a hanging sleeve's
    cap is rounded over the shoulder to it.
    """
    # The strip's axis is the arm's: it starts where the armhole's middle lies across the
    # upper arm. (Started at the armhole's middle itself, it would run from the panel's edge
    # towards the elbow: with the arm hanging, a strip along the armhole, too thin to show.)
    upper = unit(arm[1] - arm[0])
    root = arm[0] + ((armhole[0] + armhole[1]) / 2 - arm[0]) @ upper * upper
    path = [root, *arm[1:]]
    seg = [b - a for a, b in zip(path[:-1], path[1:], strict=True)]
    arc = [0.0]  # distance along the arm to each joint
    for v in seg:
        arc.append(arc[-1] + max(length(v), 1e-6))
    reach = sleeve.length * scale
    if rig.long_sleeves and len(arm) == 3:
        reach = arc[-1]
    top_side = sleeve.top_side  # turned with the arm but never mirrored
    width = scale * width_factor
    # How far the bone lies inboard of the armpit, level with it, in half-widths of the arm:
    # about 0 or less for an arm hanging beside the body, more as it comes in front of it.
    drop = float((armhole[1] - root) @ upper)  # from the root to level with the armpit
    outward = np.sign((armhole.mean(axis=0) - torso.origin) @ torso.across) * unit(torso.across)
    inboard = -float((root + upper * drop - armhole[1]) @ outward) / max(least[0], 1.0)
    # A raised arm turns the armhole with it: from where the panel put it (the arm at or
    # below the horizontal) towards square to the upper arm at its root (the arm straight
    # up), so that the sleeve wraps the raised arm instead of hanging off the panel's side.
    # So does an arm brought in front of the body: past its bone, the armpit and the panel's
    # armhole along the torso's side are behind the arm, and a strip from there to a cuff
    # inboard of them folded over, or all but (a sliver), as the arm moved by a pixel: on the
    # shared video the sleeve flipped between the two from frame to frame.
    raised = float(np.clip(-(upper @ torso.down), 0.0, 1.0))
    across = float(np.clip((inboard - ACROSS_START) / ACROSS_SPAN, 0.0, 1.0))
    turned = max(raised, across)
    square = _cross_section(root, upper, sleeve.armhole, width, top_side, least[0])
    sections_g, sections_b = [sleeve.armhole], [(1 - turned) * armhole + turned * square]
    for k in range(1, len(path) - 1):  # the elbow, when the sleeve reaches past it
        if arc[k] < reach:
            f = arc[k] / reach
            bisector = unit(unit(seg[k - 1]) + unit(seg[k]))
            sections_g.append(sleeve.section(f))
            sections_b.append(
                _cross_section(path[k], bisector, sleeve.section(f), width, top_side, least[0])
            )
    k = min(sum(a <= reach for a in arc) - 1, len(seg) - 1)
    cuff_center = path[k] + unit(seg[k]) * (reach - arc[k])
    sections_g.append(sleeve.cuff)
    sections_b.append(
        _cross_section(cuff_center, unit(seg[k]), sleeve.cuff, width, top_side, least[min(k, 1)])
    )
    # A sleeve hanging beside the body, its armhole running along the arm rather than across
    # it, is a tube as wide as the arm just below the armpit (the armpit's curve is about as
    # deep as the arm is wide): without a section there its top edge would run straight from
    # the shoulder seam to the elbow and leave the shoulder bare beside the armhole. Not for
    # an arm brought in front of the body: its bone lies inboard of the armpit. Between the
    # two (a hanging arm's bone may lie over the armpit, where the panel widened to the flank
    # puts it) the section goes part of the way, by how far inboard the bone lies, up to the
    # arm's half-width: tested as yes or no, a pixel of the bone's place flipped the sleeve
    # from one shape to the other between frames of a video.
    seam = armhole[0] - armhole[1]  # the panel's armhole (a hanging arm is not raised)
    hanging = abs(seam @ upper) > abs(cross(seam, upper))
    tube = float(np.clip(1.0 - inboard, 0.0, 1.0))  # 1: beside the body; 0: in front of it
    if hanging and tube > 0 and drop > 0:
        below = drop + _half_width(sleeve.section(drop / reach), width, least[0])
        garment = sleeve.section(below / reach)
        section = _cross_section(root + upper * below, upper, garment, width, top_side, least[0])
        along = below / min(arc[1], reach)  # where the straight strip's section would be
        if tube < 1 and along < 1:  # part of the way from the straight strip's own section
            garment = (1 - tube) * _between(sections_g[0], sections_g[1], along) + tube * garment
            section = (1 - tube) * _between(sections_b[0], sections_b[1], along) + tube * section
        folds = _folded(sections_b[0], section) or _folded(section, sections_b[1])
        if along < 1 and not folds:
            sections_g.insert(1, garment)
            sections_b.insert(1, section)
    if hanging and to_outline is not None:
        _round_cap(sections_g, sections_b, arm[0], upper, (1 - turned) * tube, to_outline)
    if _folded(sections_b[0], sections_b[1]):
        # The arm is raised so far that the strip would fold over at the armhole: start
        # it square to the arm instead (the panel's overlap band hides the seam).
        sections_b[0] = _cross_section(root, unit(seg[0]), sleeve.armhole, width, top_side)
    return sections_g, sections_b


def _round_cap(sections_g, sections_b, shoulder, upper, weight: float, to_outline) -> None:
    """Rounds a hanging sleeve's cap over the shoulder to the wearer's outline: a section
    CAP_AT of the way from the armhole to the next, its top point (the outer side: a hanging
    sleeve's top edge runs from the shoulder seam down the outside of the arm) pushed out,
    square to the upper arm, to where ``to_outline`` says the outline ends (never in), by
    ``weight`` (1 for an arm hanging beside the body; less as it turns its sleeve square to
    it, see _sleeve_on_arm). Inserted into the lists in place, unless it would fold the strip.

    From the seam, the top edge ran straight to the next section, below the armpit; but a
    shoulder is round, and the wearer's own sleeve stands out over it: between the two their
    own sleeve showed, under every catalog top (VITON-HD's 00055, 00121 and 02849 and FitDiT's
    1, the most). Sections a quarter and three quarters of the way as well rounded it closer
    (a crescent above the one section is left), but each costs as much to draw again as the
    strip's other patches: 2.8 ms a frame against 1.0 for the one, on the video.
    ``shoulder``: the upper arm's top joint, ``upper``: its unit direction."""
    garment = _between(sections_g[0], sections_g[1], CAP_AT)
    section = _between(sections_b[0], sections_b[1], CAP_AT)
    outward = perp(upper)
    outward *= np.sign((sections_b[1][0] - shoulder) @ outward) or 1.0  # the top edge's side
    bone = shoulder + ((section[0] - shoulder) @ upper) * upper  # level with its top point
    now = float((section[0] - bone) @ outward)
    edge = to_outline(bone, outward)
    if not edge > now:  # the outline ends inside the straight edge, or is not known (NaN)
        return
    section[0] = bone + (now + weight * (edge - now)) * outward
    if not (_folded(sections_b[0], section) or _folded(section, sections_b[1])):
        sections_g.insert(1, garment)
        sections_b.insert(1, section)


def _cross_section(
    center, direction, garment_section, scale: float, top_side: float, least: float = 0.0
) -> np.ndarray:
    """A (2, 2) cross-section of the arm at ``center``: as wide as ``garment_section`` times
    ``scale`` but at least ``least`` to either side, across ``direction``, its top point on
    the ``top_side`` of the arm."""
    offset = top_side * perp(direction) * _half_width(garment_section, scale, least)
    return np.array([center + offset, center - offset])


def _half_width(garment_section: np.ndarray, scale: float, least: float) -> float:
    """Half the width of a worn cross-section: the garment's, scaled, but at least ``least``."""
    return max(length(garment_section[0] - garment_section[1]) / 2 * scale, least)


def _patch(start: np.ndarray, end: np.ndarray):
    """The bilinear patch between two cross-sections, as ``bilinear_inverse`` takes it:
    origin, the top edge, the start section, and the twist. s runs along, t across."""
    q0, q1, q2, q3 = start[0], end[0], end[1], start[1]
    return q0, q1 - q0, q3 - q0, q0 - q1 + q2 - q3


def _between(start: np.ndarray, end: np.ndarray, along: float) -> np.ndarray:
    """The cross-section ``along`` (0..1) the bilinear patch between two others: splitting
    the patch there leaves it as it was."""
    return (1 - along) * start + along * end


def _folded(start: np.ndarray, end: np.ndarray) -> bool:
    """Whether the patch between two cross-sections folds over: its top and bottom edges
    cross, or its two sections do. (A mildly concave patch is fine: a worn sleeve's
    underside may run in over the torso from the armpit.)"""
    return _crossing(start[0], end[0], start[1], end[1]) or _crossing(*start, *end)


def _crossing(a0, a1, b0, b1) -> bool:
    """Whether segment a0-a1 crosses segment b0-b1."""
    da, db = a1 - a0, b1 - b0
    return (cross(da, b0 - a0) * cross(da, b1 - a0) < 0) and (
        cross(db, a0 - b0) * cross(db, a1 - b0) < 0
    )


def _bilinear(patch, s: np.ndarray, t: np.ndarray) -> np.ndarray:
    origin, a, e, f = patch
    return origin + s[:, None] * a + t[:, None] * e + (s * t)[:, None] * f


def _render(name: str, side, part: Part, box, garment_px, scale: float, reach=None) -> Layer | None:
    """Samples ``part`` into the frame region ``box`` through the inverse map ``garment_px``;
    ``reach``, if known: (h, w) bool over ``box``, the only pixels the map may reach."""
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


def _keep(layers: list[Layer | None]) -> list[Layer]:
    return [layer for layer in layers if layer is not None]
