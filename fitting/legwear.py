"""Bottoms worn on the legs: trousers, shorts and skirts along hips, knees and ankles.

A :class:`BottomRig` prepares a garment of bottoms once, as rig.py prepares a top: its parts
(each leg, split on the line from the waistband's middle down through the crotch, or a skirt
whole) and its cross-sections at the waistband, level with the crotch and at the hems
(``clothes.BottomPoint``). Per pose, :func:`warp_bottoms` draws each part as a strip of
bilinear patches (layers.py's strips, as sleeves are) down the body:

- the crotch lies CROTCH_DROP of the torso's length below the hip joints, and the garment is
  HIPS_PER_HIPS their span wide there; the waistband is WAIST_PER_HIPS their span wide, and
  as far above the crotch as on the garment, scaled (a high rise sits higher); the span
  counts as at least MIN_HIPS_PER_TORSO of the torso's length (a body seen side-on);
- a trouser leg then follows the knee and ends HEM_BELOW_ANKLE past the ankle, over the
  shoe; shorts keep their length, scaled with the garment, and bend at the knee when they
  reach it; across the leg each is as wide as the garment there, scaled, but at least as
  wide as the leg in it: the thigh and the shin as the outline shows them (out to its edge
  on the outer side), or a typical leg (LEG_RADIUS); below the hips it hangs straight down,
  not cut to the wearer's outline (layers.TROUSER_FLARE): wide trousers stay wide;
- a skirt hangs from its waistband, SKIRT_WAIST_RISE of the torso's length above the hip
  joints, down the body's axis, its hem square to that axis, as long and as wide at its hem
  as the garment, scaled; below the hips it is not cut to the wearer's outline (it spans the
  gap between the legs).

Bottoms are drawn only on a person whose hips are seen inside the frame, and whose knees are
seen or lie below it (body._legs).

    rig = BottomRig(trousers)
    layers = warp_bottoms(rig, body, frame.shape, ease=0.05)
"""

import dataclasses
from dataclasses import dataclass

import cv2
import numpy as np

from clothes import BottomPoint, Category

from .body import Body
from .geometry import in_frame, length, perp_towards, unit
from .layers import SKIRT_FLARE, TROUSER_FLARE, Layer, half_width, strip_layer
from .measures import measure_arm, outline_run
from .rig import SEAM_OVERLAP, make_part

B = BottomPoint
CROTCH_DROP = 0.2  # the crotch below the hip joints, x the torso's length (shoulders-hips)
SKIRT_WAIST_RISE = 0.15  # a skirt's waistband above them (it has no crotch to hang from)
WAIST_PER_HIPS = 1.5  # the waistband's width, x the hip joints' span
HIPS_PER_HIPS = 1.7  # the garment's width level with the crotch, x the hip joints' span
# A body turned sideways closes its hip joints up, but the bottoms keep their size: the joints'
# span counts as at least this much of the torso's length (the frontal full-body photos show
# 0.32 to 0.48; the bottoms, sized by it, had shrunk to a sliver seen side-on)
MIN_HIPS_PER_TORSO = 0.3
# Trousers end this far below the ankle joint, x the shin's length (an ankle joint lies about
# that far above the top of the shoe, where a hem breaks; the FitDiT people's own full-length
# trousers end 0 to 0.1 below it, and a band of them showed under hems at the joint)
HEM_BELOW_ANKLE = 0.08
LEG_RADIUS = 0.25  # a typical leg's half-width (thigh or shin), x half the shoulder width
HIP_REACH = 1.6  # level with the crotch the outline is followed this far out (x half the
# shoulder width): past the widest hips, or the flare of the wearer's own skirt over them
LEG_REACH = 0.8  # a leg's outline is followed this far out from its bones (x half the
# shoulder width): past the widest trousers
INSIDE_PX = 2  # a leg's fabric is carried out to its edge in the colour this far inside it,
FILL_ROWS = 15  # evened out over this many rows
EDGE_PAD_PX = 2  # a strip is drawn this far past its sections (its anti-aliased edge)
LEGS = {"left": (B.WAIST_LEFT, B.HEM_LEFT_OUTER, B.HEM_LEFT_INNER, 1),
        "right": (B.WAIST_RIGHT, B.HEM_RIGHT_OUTER, B.HEM_RIGHT_INNER, -1)}  # fmt: skip


class BottomRig:
    """Bottoms prepared for fitting. Build once per garment; read-only afterwards."""

    def __init__(self, garment):
        self.name = garment.name
        self.key = garment.key
        self.category = Category(garment.category)
        if not self.category.is_bottom:
            raise ValueError(f"garment {garment.name!r} is {self.category.value}, not bottoms")
        lm = np.asarray(garment.landmarks, np.float64)
        if lm.shape != (len(BottomPoint), 2):
            raise ValueError(
                f"garment {garment.name!r} is {self.category.value} but has a top's landmarks: "
                "prepare it with clothes.Garment.from_image(photo, category=...)"
            )
        rgba = np.ascontiguousarray(garment.rgba)
        alpha = rgba[..., 3]
        self.waist = lm[[B.WAIST_RIGHT, B.WAIST_LEFT]]
        self.waist_width = max(length(self.waist[1] - self.waist[0]), 1.0)
        waist_middle = self.waist.mean(axis=0)
        self.rise = length(lm[B.CROTCH] - waist_middle)  # how deep the seat is
        if self.category == Category.SKIRT:
            self.parts = {None: make_part(rgba, alpha)}
            hem = lm[[B.HEM_RIGHT_OUTER, B.HEM_LEFT_OUTER]]
            self.sections = {None: [self.waist, hem]}
            return
        crotch = lm[B.CROTCH]
        hem_middle = lm[[B.HEM_LEFT_INNER, B.HEM_RIGHT_INNER]].mean(axis=0)
        split = _split_columns(alpha.shape[0], [waist_middle, crotch, hem_middle])
        overlap = max(1, round(SEAM_OVERLAP * self.waist_width / 2))
        columns = np.arange(alpha.shape[1])[None, :]
        self.parts, self.sections = {}, {}
        for side, (waist, outer, inner, sign) in LEGS.items():
            mine = sign * (columns - split[:, None]) >= -overlap
            leg = np.where(mine, alpha, 0).astype(np.uint8)
            self.parts[side] = make_part(*_out_to_edge(rgba, leg, crotch, lm[inner], sign))
            level = _outer_point(alpha, crotch, sign)
            self.sections[side] = [np.array([lm[waist], waist_middle]),
                                   np.array([level, crotch]),
                                   lm[[outer, inner]]]  # fmt: skip


def warp_bottoms(rig: BottomRig, body: Body, frame_shape, ease: float = 0.0) -> list[Layer]:
    """The bottoms' parts warped onto ``body``, in drawing order; none without both legs in
    view. ``ease``: how far (half shoulder widths) the garment reaches past the body."""
    if not body.legs or not _in_view(body.legs, frame_shape):
        return []
    pelvis = _Pelvis.of(body, rig, ease)
    scale = 2 * pelvis.waist_half / rig.waist_width  # frame px per garment px
    if rig.category == Category.SKIRT:
        sections_b = _skirt(rig.sections[None], pelvis, scale)
        layer = strip_layer("skirt", None, rig.parts[None], rig.sections[None], sections_b,
                            scale, EDGE_PAD_PX, frame_shape)  # fmt: skip
        return [] if layer is None else [dataclasses.replace(layer, flare=SKIRT_FLARE)]
    layers = []
    for side in ("right", "left"):
        least = (_hip_width(body, side, pelvis, ease), *_leg_widths(body, side, ease))
        sections_g, sections_b = _leg(rig, side, body.legs[side], pelvis, scale, least)
        layer = strip_layer(f"{side} leg", None, rig.parts[side], sections_g, sections_b,
                            scale, EDGE_PAD_PX, frame_shape)  # fmt: skip
        if layer is not None:
            layers.append(dataclasses.replace(layer, flare=TROUSER_FLARE))
    return layers


@dataclass(frozen=True)
class _Pelvis:
    """Where bottoms sit on a body: the waistband's middle and half-width, the crotch, the
    garment's half-width level with it, and the body's up and across (to its left)."""

    waist: np.ndarray
    waist_half: float
    crotch: np.ndarray
    hips_half: float
    up: np.ndarray
    across: np.ndarray

    @classmethod
    def of(cls, body: Body, rig: BottomRig, ease: float) -> "_Pelvis":
        left, right = body.legs["left"][0], body.legs["right"][0]
        hips = (left + right) / 2
        up = unit(body.torso.origin - hips)
        torso = length(body.torso.origin - hips)
        span = max(length(left - right), MIN_HIPS_PER_TORSO * torso)
        waist_half = span * WAIST_PER_HIPS / 2 + ease * body.scale
        crotch = hips - up * CROTCH_DROP * torso
        if rig.category == Category.SKIRT:
            waist = hips + up * SKIRT_WAIST_RISE * torso
        else:
            waist = crotch + up * rig.rise * 2 * waist_half / rig.waist_width
        return cls(
            waist=waist,
            waist_half=waist_half,
            crotch=crotch,
            hips_half=span * HIPS_PER_HIPS / 2 + ease * body.scale,
            up=up,
            across=unit(body.torso.hip_across),  # square to the torso where the hips close up
        )


def _skirt(sections_g, pelvis: _Pelvis, scale: float) -> list[np.ndarray]:
    """A skirt's cross-sections on the body: the waistband along the hips, and the hem
    hanging straight down the body's axis, square to it (whatever the hips' tilt), as far
    and as wide as on the garment, scaled."""
    top, hem = sections_g
    drop = length(hem.mean(axis=0) - top.mean(axis=0)) * scale
    half = length(hem[1] - hem[0]) / 2 * scale
    middle = pelvis.waist - pelvis.up * drop
    across, square = pelvis.across, perp_towards(pelvis.up, pelvis.across)
    return [np.array([pelvis.waist - across * pelvis.waist_half,
                      pelvis.waist + across * pelvis.waist_half]),
            np.array([middle - square * half, middle + square * half])]  # fmt: skip


def _hip_width(body: Body, side: str, pelvis: "_Pelvis", ease: float) -> float:
    """How far out from the crotch, level with it, the garment reaches on one side: the
    hips' width, or further where the wearer's outline is wider (their own clothes over the
    hips), plus the ease."""
    outward = pelvis.across * (1 if side == "left" else -1)
    if body.trusted_outline is None:
        return pelvis.hips_half
    # a hand hanging beside the hips is not the hips
    edge = outline_run(body.outline, pelvis.crotch, outward, body.scale, HIP_REACH,
                       body.forearms.values())  # fmt: skip
    if np.isnan(edge):
        return pelvis.hips_half
    return max(pelvis.hips_half, min(edge, HIP_REACH * body.scale) + ease * body.scale)


def _leg_widths(body: Body, side: str, ease: float) -> list[tuple[float, float]]:
    """The (outer, inner) half-widths in pixels a leg of the garment covers at least on
    either side of its bones, at the knee and at the hem: the thigh and the shin as the
    outline shows them (trousers worn under the garment included), or a typical leg; plus
    the ease. Inward, where the legs touch or nearly do, the outline cannot tell one leg from
    the other: the garment takes the narrower side's width there. Outward it reaches the
    outline's edge (the bones seldom run down the middle of wide trousers)."""
    typical = LEG_RADIUS * body.scale
    ease_px = ease * body.scale
    if body.trusted_outline is None:
        return [(typical + ease_px, typical + ease_px)] * 2
    forearms = body.forearms.values()  # a hand hanging beside the leg is not the leg
    joints = body.legs[side]
    other = body.legs["right" if side == "left" else "left"]
    measured = measure_arm(body.outline, joints, body.scale)
    widths = []
    for a, b, narrower in zip(joints[:-1], joints[1:], measured[: len(joints) - 1], strict=True):
        inner = narrower if np.isfinite(narrower) and narrower > typical else typical
        normal = perp_towards(unit(b - a), joints[0] - other[0])
        outer = outline_run(body.outline, (a + b) / 2, normal, body.scale, LEG_REACH, forearms)
        outer = max(outer, inner) if np.isfinite(outer) else inner  # runs on: a dress, a hand
        widths.append((outer + ease_px, inner + ease_px))
    widths += [(typical + ease_px, typical + ease_px)] * (2 - len(widths))
    return widths


def _leg(rig: BottomRig, side: str, leg: np.ndarray, pelvis: _Pelvis, scale, least):
    """One leg's matching cross-sections, garment and body: the waistband's half, level with
    the crotch (``least[0]`` out from it), the knee (when the leg reaches it) and the hem
    (trousers: just below the ankle), at least ``least[1:]`` (knee, hem) half-widths across."""
    outward = pelvis.across * (1 if side == "left" else -1)
    waist_g, level_g, hem_g = rig.sections[side]
    sections_g = [waist_g, level_g]
    waist_b = np.array([pelvis.waist + outward * pelvis.waist_half, pelvis.waist])
    level_b = np.array([pelvis.crotch + outward * least[0], pelvis.crotch])
    sections_b = [waist_b, level_b]
    path = np.array([sections_b[1].mean(axis=0), *leg[1:]])
    # A bone with no length (a shin pointing at the camera, its two joints one point) has no
    # direction to lay the garment across: the leg goes on along the bone before it.
    path = path[np.r_[True, np.linalg.norm(np.diff(path, axis=0), axis=1) >= 1.0]]
    arcs = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(path, axis=0), axis=1))])
    reach = length(hem_g.mean(axis=0) - level_g.mean(axis=0)) * scale
    if rig.category == Category.TROUSERS and len(leg) == 3:
        reach = arcs[-1] + HEM_BELOW_ANKLE * (arcs[-1] - arcs[-2])  # over the shoe
    if arcs[1] < reach:  # the knee, when the leg reaches past it
        f = arcs[1] / reach
        knee_g = (1 - f) * level_g + f * hem_g
        along = unit(path[1] - path[0])
        if len(path) > 2:
            along = unit(along + unit(path[2] - path[1]))
        sections_g.append(knee_g)
        sections_b.append(_across(path[1], along, knee_g, scale, least[1], outward))
    k = min(int(np.searchsorted(arcs, reach, side="right")) - 1, len(path) - 2)
    direction = unit(path[k + 1] - path[k])
    hem_centre = path[k] + direction * (reach - arcs[k])
    sections_g.append(hem_g)
    sections_b.append(
        _across(hem_centre, direction, hem_g, scale, least[2 if k > 0 else 1], outward)
    )
    return sections_g, sections_b


def _in_view(legs: dict[str, np.ndarray], frame_shape) -> bool:
    """Whether both hips lie inside the frame (the knees are in view, just past its edge, or
    placed below it: body._legs)."""
    return all(in_frame(leg[0], frame_shape) for leg in legs.values())


def _across(centre, along, garment_section, scale, least, outward) -> np.ndarray:
    """The (outer, inner) cross-section of a leg at ``centre``, square to ``along``: as wide
    as ``garment_section`` scaled, but reaching at least ``least`` (outer, inner) to either
    side."""
    normal = perp_towards(along, outward)
    outer, inner = (half_width(garment_section, scale, side) for side in least)
    return np.array([centre + normal * outer, centre - normal * inner])


def _out_to_edge(rgba: np.ndarray, alpha: np.ndarray, crotch, hem_inner, sign: int):
    """One leg's (rgba, alpha) carried out to its inner edge as it is worn: the line from the
    crotch to the leg's inner hem corner. Where the legs part below the crotch, the gap
    between them is rounded: inside that line its top is the backdrop, which worn between
    the thighs showed the wearer's own clothes. Each row's fabric is carried out to the line
    in the colour of its inner side (INSIDE_PX in, evened out over FILL_ROWS rows: a single
    pixel's, row by row, streaked); ``sign``: 1 for the leg on the image's right."""
    (x0, y0), (x1, y1) = crotch, hem_inner
    rows, gaps, colours = [], [], []
    for y in range(int(np.ceil(y0)), int(y1) + 1):
        line = x0 + (y - y0) / max(y1 - y0, 1e-6) * (x1 - x0)
        fabric = np.flatnonzero(alpha[y] >= 128)
        fabric = fabric[sign * (fabric - line) >= 0]  # this leg's side of its edge
        if not len(fabric):
            continue
        edge = fabric.min() if sign > 0 else fabric.max()
        gap = slice(int(np.ceil(line)), edge) if sign > 0 else slice(edge + 1, int(line) + 1)
        rows.append(y)
        gaps.append(gap)
        colours.append(rgba[y, np.clip(edge + sign * INSIDE_PX, 0, alpha.shape[1] - 1), :3])
    if not any(gap.stop > gap.start for gap in gaps):
        return rgba, alpha
    colours = cv2.blur(np.float32(colours)[:, None], (1, FILL_ROWS))[:, 0]
    rgba, alpha = rgba.copy(), alpha.copy()
    for y, gap, colour in zip(rows, gaps, colours, strict=True):
        rgba[y, gap, :3] = colour
        alpha[y, gap] = 255
    return rgba, alpha


def _split_columns(height: int, polyline) -> np.ndarray:
    """The column of the line between the legs at every row: the waistband's middle, the
    crotch and the middle of the hems joined, held level above and below."""
    points = np.array(polyline, np.float64)
    return np.interp(np.arange(height), points[:, 1], points[:, 0])


def _outer_point(alpha: np.ndarray, crotch: np.ndarray, sign: int) -> np.ndarray:
    """The garment's outermost pixel on one side in the crotch's row."""
    row = int(np.clip(round(crotch[1]), 0, alpha.shape[0] - 1))
    columns = np.flatnonzero(alpha[row] >= 128)
    column = columns[-1] if sign > 0 else columns[0]
    return np.array([column, crotch[1]], np.float64)
