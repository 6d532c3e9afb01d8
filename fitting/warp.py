"""Warping a garment onto a body: one :class:`GarmentRig` per garment, layers per frame.

Preparation (once per garment, cached by the engine): the garment is split into its body
panel and its two sleeves along the armholes, each part's colours are bled past its edge
(so bilinear sampling never picks up background), and each part gets a small mip pyramid
(so a garment shrunk onto a distant person does not alias).

Per frame, every part is drawn by *inverse mapping*: for each output pixel near the body we
compute which garment pixel lands there, exactly on a coarse grid that is then interpolated,
and ``cv2.remap`` samples the garment. The body panel uses the torso coordinates of body.py.
A sleeve is a strip of bilinear patches: it starts at its armhole, exactly where the body
panel puts the armhole (so the seam never opens), and runs along the arm to its cuff,
with one more cross-section at the elbow when it is long enough to bend there. Raising an
arm raises the sleeve; bending the elbow bends it.
"""

import math
from dataclasses import dataclass

import cv2
import numpy as np

from clothes import Category, GarmentPoint

from .body import Body, TorsoFrame, bilinear_inverse, cross, perp

P = GarmentPoint
SIDES = {"left": (P.SHOULDER_LEFT, P.ARMPIT_LEFT, P.SLEEVE_LEFT),
         "right": (P.SHOULDER_RIGHT, P.ARMPIT_RIGHT, P.SLEEVE_RIGHT)}  # fmt: skip
LONG_SLEEVES = (Category.LONG_SLEEVE, Category.OUTERWEAR)
PYRAMID_LEVELS = 3
SEAM_OVERLAP = 0.06  # parts overlap this far (x half shoulder width) across the armhole
GRID_STEP = 10  # output pixels between the exactly mapped points of the coarse grid
BLEED_PX = 8  # how far colours are bled past a part's edge, in garment pixels
CHEST_PER_SHOULDER = 0.9  # a typical top: armpit-to-armpit width / shoulder-seam width
HEM_PER_SHOULDER = 0.9  # and its hem width / shoulder-seam width
PLAUSIBLE_SPREAD = 1.3  # size estimates within this factor of each other agree
ARMPIT_DEPTH = 0.8  # worn, a top's armpits are this far below its shoulder line (x half width)
MIN_SHOULDER_BAND = 0.6  # the band above the armpits is shortened by at most this factor
SLEEVE_PAD = 0.25  # a sleeve's curved edges may bulge this far (x its cuff width) past its strip


@dataclass(frozen=True)
class Part:
    """One piece of the garment (the body panel or a sleeve) at several resolutions."""

    levels: list[np.ndarray]  # RGBA uint8 crops; level i is 2**-i the size of level 0
    origin: np.ndarray  # (2,) garment-pixel position of the crop's top-left corner


@dataclass(frozen=True)
class Sleeve:
    """A sleeve as a strip from its armhole to its cuff, in garment pixels.

    Each end is a (2, 2) cross-section: its "top" point (on the shoulder-seam side of the
    sleeve) first, then its "bottom" point (on the armpit side).
    """

    part: Part
    armhole: np.ndarray  # shoulder seam, armpit
    cuff: np.ndarray  # the cuff's corners, top and bottom
    armhole_uv: np.ndarray  # the armhole in torso coordinates
    length: float  # from the armhole's middle to the cuff's
    top_side: float  # +1 or -1: the side of its axis the top edge is on, kept when worn
    cuff_pad: float  # how far its outline may bulge past the strip

    @classmethod
    def prepare(cls, part: Part, armhole: np.ndarray, cuff: np.ndarray, armhole_uv: np.ndarray):
        axis = cuff.mean(axis=0) - armhole.mean(axis=0)
        top_side = float(np.sign(cross(axis, armhole[0] - armhole[1])) or 1.0)
        pad = SLEEVE_PAD * _length(cuff[0] - cuff[1])
        return cls(part, armhole, cuff, armhole_uv, _length(axis), top_side, pad)

    def section(self, f: float) -> np.ndarray:
        """The cross-section a fraction ``f`` of the way from the armhole to the cuff."""
        return (1 - f) * self.armhole + f * self.cuff


@dataclass(frozen=True)
class Layer:
    """A warped part ready to blend: RGBA pixels for the frame region ``box`` (x0, y0, x1, y1)."""

    name: str
    side: str | None  # "left"/"right" for a sleeve, None for the body panel or whole garment
    box: tuple[int, int, int, int]
    rgba: np.ndarray  # (y1 - y0, x1 - x0, 4) uint8, straight (not premultiplied) alpha


class GarmentRig:
    """A garment prepared for fitting. Build once per garment; it is read-only afterwards."""

    def __init__(self, garment):
        self.name = garment.name
        self.category = Category(garment.category)
        self.long_sleeves = self.category in LONG_SLEEVES  # sleeves that cover the forearms
        lm = _armholes_outward(np.asarray(garment.landmarks, dtype=np.float64))
        # Garment pixels <-> torso coordinates: the frame spanned by the shoulder seams.
        self.origin, self.across = _shoulder_frame(lm)
        self.half_width = float(np.linalg.norm(self.across))
        if self.half_width < 4:
            raise ValueError(f"garment {garment.name!r}: its landmarks span less than 8 pixels")
        flat_armpits = (lm[[P.ARMPIT_LEFT, P.ARMPIT_RIGHT]] - self.origin) @ perp(self.across)
        self.armpit_v = max(float(flat_armpits.mean()) / self.half_width**2, 1e-3)
        self.band = float(np.clip(ARMPIT_DEPTH / self.armpit_v, MIN_SHOULDER_BAND, 1.0))
        rgba = np.ascontiguousarray(garment.rgba)
        alpha = rgba[..., 3]
        overlap = _disk(max(1, round(SEAM_OVERLAP * self.half_width)))
        self.sleeves: dict[str, Sleeve] = {}
        inside = self._panel_outline(lm, alpha.shape)
        # Panel and sleeves overlap across the armholes, so no seam can show through.
        inside_grown = cv2.dilate(inside.astype(np.uint8), overlap).astype(bool)
        panel = alpha.copy()
        panel[_inside_neckline(lm, alpha.shape)] = 0  # the inside of the back, seen through it
        if self.category != Category.SLEEVELESS:
            for side, (shoulder, armpit, cuff) in SIDES.items():
                sleeve = _component_at((alpha > 0) & ~inside, lm[cuff], self.origin[0])
                if sleeve is None:
                    continue
                panel[sleeve.astype(bool) & ~inside_grown] = 0
                grown = cv2.dilate(sleeve, overlap).astype(bool)
                part = _make_part(rgba, np.where(grown, alpha, 0).astype(np.uint8))
                armhole = lm[[shoulder, armpit]]
                cuff_width = garment.cuff_widths[0 if side == "left" else 1]
                cuff_ends = _cuff(armhole, lm[cuff], cuff_width)
                self.sleeves[side] = Sleeve.prepare(part, armhole, cuff_ends, self.to_uv(armhole))
        self.panel = _make_part(rgba, panel)
        self.whole = _make_part(rgba, alpha)  # the simple overlay draws the garment in one piece
        self.panel_uv_box = self._uv_box(panel)
        self.whole_uv_box = self._uv_box(alpha, worn=False)

    def _uv_box(self, alpha: np.ndarray, worn=True) -> np.ndarray:
        """(u0, v0, u1, v1): the torso-coordinate box around the garment pixels of ``alpha``."""
        ys, xs = np.nonzero(alpha)
        corners = np.array([[xs.min(), ys.min()], [xs.max(), ys.min()],
                            [xs.min(), ys.max()], [xs.max(), ys.max()]], float)  # fmt: skip
        return _bounds(self.to_uv(corners, worn))

    def to_uv(self, px: np.ndarray, worn: bool = True) -> np.ndarray:
        """Garment pixels (N, 2) -> torso coordinates (N, 2), as worn (see :meth:`_worn_v`)
        or, with ``worn=False``, as laid flat."""
        d = px - self.origin
        uv = np.stack([d @ self.across, d @ perp(self.across)], axis=1) / self.half_width**2
        if worn:
            uv[:, 1] = self._worn_v(uv[:, 1])
        return uv

    def to_px(self, uv: np.ndarray, worn: bool = True) -> np.ndarray:
        """Torso coordinates (N, 2) -> garment pixels (N, 2); the inverse of :meth:`to_uv`."""
        v = self._flat_v(uv[:, 1:]) if worn else uv[:, 1:]
        return self.origin + uv[:, :1] * self.across + v * perp(self.across)

    def _worn_v(self, v: np.ndarray) -> np.ndarray:
        """How far below the shoulder line a point of the garment hangs when worn.

        Laid flat, a top shows the slope of its shoulders; worn, that band lies over the
        shoulders and, from the front, looks shorter: the armpits hang ARMPIT_DEPTH below
        the shoulder line (measured on the shared photo pairs). Below the armpits the
        garment hangs as it is. So the band above the armpits is compressed (never
        stretched) and the rest shifted up with it.
        """
        top = self.armpit_v
        return np.where(v <= top, v * self.band, top * self.band + (v - top))

    def _flat_v(self, v: np.ndarray) -> np.ndarray:
        top = self.armpit_v * self.band
        return np.where(v <= top, v / self.band, v - top + self.armpit_v)

    @staticmethod
    def _panel_outline(lm: np.ndarray, shape) -> np.ndarray:
        """Inside the armholes and side seams, from the top of the image to the bottom."""
        h = shape[0]
        sl, sr, al, ar, hl, hr = (lm[i] for i in (P.SHOULDER_LEFT, P.SHOULDER_RIGHT,
                                                   P.ARMPIT_LEFT, P.ARMPIT_RIGHT,
                                                   P.HEM_LEFT, P.HEM_RIGHT))  # fmt: skip
        outline = [(sr[0], 0), sr, ar, hr, (hr[0], h), (hl[0], h), hl, al, sl, (sl[0], 0)]
        mask = np.zeros(shape, np.uint8)
        cv2.fillPoly(mask, [np.round(np.array(outline)).astype(np.int32)], 1)
        return mask.astype(bool)

    def layers(
        self, body: Body, frame_shape, follow_body: bool, sleeve_width: float
    ) -> list[Layer]:
        """The garment's parts warped onto ``body``, in drawing order (panel first)."""
        scale = _length(body.torso.across) / self.half_width  # output px per garment px
        if not follow_body:
            whole = self._panel_layer(
                "garment", self.whole, self.whole_uv_box, body.torso, scale, frame_shape, worn=False
            )
            return _keep([whole])
        layers = [
            self._panel_layer(
                "panel", self.panel, self.panel_uv_box, body.torso, scale, frame_shape
            )
        ]
        for side, sleeve in self.sleeves.items():
            layers.append(self._sleeve_layer(side, sleeve, body, scale, sleeve_width, frame_shape))
        return _keep(layers)

    def _panel_layer(
        self, name, part: Part, uv_box, torso: TorsoFrame, scale, frame_shape, worn=True
    ):
        corners = np.array([[u, v] for u in uv_box[0::2] for v in uv_box[1::2]])
        box = _clip_box(_bounds(torso.to_image(corners)), frame_shape)

        def garment_px(xy):
            return self.to_px(torso.to_garment(xy), worn)

        return _render(name, None, part, box, garment_px, scale)

    def _sleeve_layer(self, side, sleeve: Sleeve, body: Body, scale, width_factor, frame_shape):
        torso = body.torso
        armhole = torso.to_image(sleeve.armhole_uv)  # where the panel put it
        arm = body.arms.get(side)
        if arm is None:  # no elbow seen: the sleeve lies as in the photo
            sections_g = [sleeve.armhole, sleeve.cuff]
            sections_b = [armhole, torso.to_image(self.to_uv(sleeve.cuff))]
        else:
            sections_g, sections_b = self._sleeve_on_arm(
                sleeve, armhole, arm, torso, scale, width_factor
            )
        pad = sleeve.cuff_pad * scale + 2
        box = _clip_box(
            _bounds(np.vstack(sections_b)) + np.array([-pad, -pad, pad, pad]), frame_shape
        )
        patches_b = [_patch(a, b) for a, b in zip(sections_b[:-1], sections_b[1:], strict=True)]
        patches_g = [_patch(a, b) for a, b in zip(sections_g[:-1], sections_g[1:], strict=True)]

        def garment_px(xy):
            # Each pixel belongs to the last patch it lies past the start of (s >= 0).
            result = None
            for patch_b, patch_g in zip(patches_b, patches_g, strict=True):
                s, t = bilinear_inverse(xy, *patch_b)
                px = _bilinear(patch_g, s, t)
                result = px if result is None else np.where((s >= 0)[:, None], px, result)
            return result

        return _render(f"{side} sleeve", side, sleeve.part, box, garment_px, scale)

    def _sleeve_on_arm(self, sleeve, armhole, arm, torso, scale, width_factor):
        """Matching cross-sections of the sleeve (garment) and along the arm (body).

        The strip runs from the armhole's middle along the arm: elbow, then wrist. A long
        sleeve ends at the wrist; other sleeves keep their length, scaled with the garment.
        Across the arm, a worn sleeve shows ``width_factor`` of its flat width.
        """
        root = (armhole[0] + armhole[1]) / 2
        path = [root, *arm[1:]]
        seg = [b - a for a, b in zip(path[:-1], path[1:], strict=True)]
        arc = [0.0]  # distance along the arm to each joint
        for v in seg:
            arc.append(arc[-1] + max(_length(v), 1e-6))
        length = sleeve.length * scale
        if self.long_sleeves and len(arm) == 3:
            length = arc[-1]
        top_side = sleeve.top_side  # turned with the arm but never mirrored
        width = scale * width_factor
        sections_g, sections_b = [sleeve.armhole], [armhole]
        for k in range(1, len(path) - 1):  # the elbow, when the sleeve reaches past it
            if arc[k] < length:
                f = arc[k] / length
                bisector = _unit(_unit(seg[k - 1]) + _unit(seg[k]))
                sections_g.append(sleeve.section(f))
                sections_b.append(
                    _cross_section(path[k], bisector, sleeve.section(f), width, top_side)
                )
        k = min(sum(a <= length for a in arc) - 1, len(seg) - 1)
        cuff_center = path[k] + _unit(seg[k]) * (length - arc[k])
        sections_g.append(sleeve.cuff)
        sections_b.append(_cross_section(cuff_center, _unit(seg[k]), sleeve.cuff, width, top_side))
        if _folded(sections_b[0], sections_b[1]):
            # The arm is raised so far that the strip would fold over at the armhole: start
            # it square to the arm instead (the panel's overlap band hides the seam).
            sections_b[0] = _cross_section(root, _unit(seg[0]), sleeve.armhole, width, top_side)
        return sections_g, sections_b


def _cross_section(center, direction, garment_section, scale: float, top_side: float) -> np.ndarray:
    """A (2, 2) cross-section of the arm at ``center``: as wide as ``garment_section`` times
    ``scale``, across ``direction``, its top point on the ``top_side`` of the arm."""
    half = _length(garment_section[0] - garment_section[1]) / 2 * scale
    offset = top_side * perp(direction) * half
    return np.array([center + offset, center - offset])


def _cuff(armhole: np.ndarray, cuff_center: np.ndarray, cuff_width: float) -> np.ndarray:
    """The cuff's corners, top first: across the sleeve's axis, the top one nearer the shoulder."""
    axis = _unit(cuff_center - armhole.mean(axis=0))
    corners = cuff_center + np.outer([1, -1], perp(axis)) * cuff_width / 2
    if np.linalg.norm(corners[0] - armhole[0]) > np.linalg.norm(corners[1] - armhole[0]):
        corners = corners[::-1]
    return corners


def _patch(start: np.ndarray, end: np.ndarray):
    """The bilinear patch between two cross-sections, as ``bilinear_inverse`` takes it:
    origin, the top edge, the start section, and the twist. s runs along, t across."""
    q0, q1, q2, q3 = start[0], end[0], end[1], start[1]
    return q0, q1 - q0, q3 - q0, q0 - q1 + q2 - q3


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


def _shoulder_frame(lm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The middle of the shoulder line and half of it (wearer's right seam -> left seam).

    The garment's size is read from its chest, armpit to armpit: on the shared photos of
    people wearing the very garment of a product photo, the chest is what matches the body
    (a typical top's chest is CHEST_PER_SHOULDER of its shoulder width), while shoulder
    seams vary with the cut (straps sit inboard, dropped shoulders outboard). When the
    armpits disagree with both the shoulders and the hem by more than PLAUSIBLE_SPREAD, they
    are taken to be misplaced and the median of the three estimates is used.
    """
    pairs = [(P.ARMPIT_LEFT, P.ARMPIT_RIGHT, CHEST_PER_SHOULDER),
             (P.SHOULDER_LEFT, P.SHOULDER_RIGHT, 1.0),
             (P.HEM_LEFT, P.HEM_RIGHT, HEM_PER_SHOULDER)]  # fmt: skip
    spans = np.array([lm[left] - lm[right] for left, right, _ in pairs])
    estimates = np.array(
        [np.linalg.norm(v) / 2 / k for v, (_, _, k) in zip(spans, pairs, strict=True)]
    )
    chest, others = estimates[0], estimates[1:]
    plausible = np.any(np.abs(np.log(chest / others)) <= np.log(PLAUSIBLE_SPREAD))
    half_width = float(chest if plausible else np.median(estimates))
    direction = _unit((spans / np.linalg.norm(spans, axis=1, keepdims=True)).sum(axis=0))
    middles = np.array([(lm[left] + lm[right]) / 2 for left, right, _ in pairs])
    center = float(np.median(middles @ direction))  # the centre line, across the garment
    shoulders = (lm[P.SHOULDER_LEFT] + lm[P.SHOULDER_RIGHT]) / 2
    origin = shoulders + (center - shoulders @ direction) * direction
    return origin, direction * half_width


def _armholes_outward(lm: np.ndarray) -> np.ndarray:
    """Landmarks with each shoulder seam moved out to at least above its armpit.

    An armhole runs from the armpit up and out to the shoulder seam; a seam landmark found
    inboard of its armpit would slice the body panel, so it is moved out.
    """
    lm = lm.copy()
    middle = (lm[P.ARMPIT_LEFT] + lm[P.ARMPIT_RIGHT]) / 2
    across = _unit(lm[P.ARMPIT_LEFT] - lm[P.ARMPIT_RIGHT])
    for shoulder, armpit in ((P.SHOULDER_LEFT, P.ARMPIT_LEFT), (P.SHOULDER_RIGHT, P.ARMPIT_RIGHT)):
        sign = np.sign((lm[armpit] - middle) @ across)
        short = sign * ((lm[armpit] - lm[shoulder]) @ across)
        if short > 0:
            lm[shoulder] += sign * short * across
    return lm


def _render(name: str, side, part: Part, box, garment_px, scale: float) -> Layer | None:
    """Samples ``part`` into the frame region ``box`` through the inverse map ``garment_px``."""
    if box is None:
        return None
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    # Exact mapping on a coarse grid placed where cv2.resize samples, then interpolated.
    nx, ny = w // GRID_STEP + 2, h // GRID_STEP + 2
    gx = x0 + (np.arange(nx) + 0.5) * w / nx - 0.5
    gy = y0 + (np.arange(ny) + 0.5) * h / ny - 0.5
    grid = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)
    level = int(np.clip(np.floor(np.log2(1.0 / max(scale, 1e-6))), 0, len(part.levels) - 1))
    src = (garment_px(grid) - part.origin) / 2**level
    src = np.nan_to_num(src, nan=-1e4).astype(np.float32).reshape(ny, nx, 2)
    dense = cv2.resize(src, (w, h), interpolation=cv2.INTER_LINEAR)
    rgba = cv2.remap(
        part.levels[level], dense, None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT
    )
    return Layer(name, side, box, rgba)


def _make_part(rgba: np.ndarray, alpha: np.ndarray) -> Part:
    """Crops a part (``alpha`` > 0) with a bled colour border and builds its mip pyramid."""
    ys, xs = np.nonzero(alpha)
    pad = BLEED_PX + 2
    x0, y0 = max(xs.min() - pad, 0), max(ys.min() - pad, 0)
    x1, y1 = min(xs.max() + pad + 1, alpha.shape[1]), min(ys.max() + pad + 1, alpha.shape[0])
    rgb = _bleed(rgba[y0:y1, x0:x1, :3], alpha[y0:y1, x0:x1])
    level = np.dstack([rgb, alpha[y0:y1, x0:x1]])
    levels = [level]
    for _ in range(PYRAMID_LEVELS - 1):
        levels.append(cv2.pyrDown(levels[-1]))
    return Part(levels, np.array([x0, y0], dtype=np.float64))


def _bleed(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Colours extended past the edge of ``alpha``, so edge pixels blend with garment colour."""
    weight = (alpha.astype(np.float32) / 255)[..., None]
    ksize = 2 * BLEED_PX + 1
    spread = cv2.blur(rgb.astype(np.float32) * weight, (ksize, ksize))
    spread /= np.maximum(cv2.blur(weight, (ksize, ksize))[..., None], 1e-4)
    out = np.where(weight > 0.99, rgb, spread * (1 - weight) + rgb * weight)
    return np.clip(out, 0, 255).astype(np.uint8)


def _inside_neckline(lm: np.ndarray, shape) -> np.ndarray:
    """The opening of the front neckline: a product photo shows the inside of the garment's
    back there, which on a person is hidden by their neck and chest.

    Approximated by the half-ellipse hanging from the neck points down to the neckline's
    lowest point.
    """
    left, right, low = lm[P.NECK_LEFT], lm[P.NECK_RIGHT], lm[P.NECK_CENTER]
    center = (left + right) / 2
    half_width = np.linalg.norm(left - right) / 2
    depth = abs(cross(_unit(left - right), low - center))
    mask = np.zeros(shape, np.uint8)
    if half_width >= 1 and depth >= 1:
        angle = np.degrees(np.arctan2(*(left - right)[::-1]))
        axes = (round(half_width), round(depth))
        cv2.ellipse(mask, np.round(center).astype(int).tolist(), axes, angle, 0, 180, 1, -1)
    return mask.astype(bool)


def _component_at(mask: np.ndarray, point: np.ndarray, center_x: float) -> np.ndarray | None:
    """The connected part of ``mask`` on ``point``'s side of ``center_x`` that holds ``point``
    (or, if ``point`` misses the mask, the largest there), as a uint8 0/1 image."""
    half = mask.copy()
    xs = np.arange(mask.shape[1])
    half[:, (xs < center_x) if point[0] >= center_x else (xs >= center_x)] = False
    n, labels, stats, _ = cv2.connectedComponentsWithStats(half.astype(np.uint8))
    if n < 2:
        return None
    x, y = (int(np.clip(round(c), 0, s - 1)) for c, s in zip(point, mask.shape[::-1], strict=True))
    label = labels[y, x] or 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    return (labels == label).astype(np.uint8)


def _disk(radius: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))


def _length(v: np.ndarray) -> float:
    return math.hypot(v[0], v[1])


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(_length(v), 1e-9)


def _bounds(points: np.ndarray) -> np.ndarray:
    return np.concatenate([points.min(axis=0), points.max(axis=0)])


def _clip_box(box: np.ndarray, frame_shape) -> tuple[int, int, int, int] | None:
    """Rounds a float (x0, y0, x1, y1) box outwards and clips it to the frame; None if empty."""
    h, w = frame_shape[:2]
    if not np.all(np.isfinite(box)):
        return None
    x0, y0 = max(int(np.floor(box[0])), 0), max(int(np.floor(box[1])), 0)
    x1, y1 = min(int(np.ceil(box[2])) + 1, w), min(int(np.ceil(box[3])) + 1, h)
    return (x0, y0, x1, y1) if x1 - x0 > 1 and y1 - y0 > 1 else None


def _keep(layers: list[Layer | None]) -> list[Layer]:
    return [layer for layer in layers if layer is not None]
