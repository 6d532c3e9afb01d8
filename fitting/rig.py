"""Preparing a garment for fitting: done once per garment, never per frame.

A :class:`GarmentRig` holds what the per-frame warp (warp.py) needs:

- the garment's frame: where its shoulder line lies and how wide it is, read robustly from
  its landmarks (its chest is what matches a body best), so garment pixels convert to the
  torso coordinates of torso.py, with the band above the armpits shortened as it looks
  when worn;
- its parts: the body panel and the two sleeves, split along the armholes and overlapping
  a little across them, and the back (the inside seen through the neckline, and what rises
  above the neck points: a collar's stand, a hood), shown only where the wearer's neck is
  not in front of it (see neck_hair.py);
- for each part, its colours bled past its edge (bilinear sampling then never picks up
  background) and a small mip pyramid (a garment shrunk onto a distant person does not
  alias);
- each sleeve as a strip from its armhole to its cuff;
- the body panel's half-widths row by row (:class:`Edges`), so that the warp can widen it to
  the wearer's real flanks.
"""

from dataclasses import dataclass
from math import ceil

import cv2
import numpy as np

from clothes import Category, GarmentPoint
from clothes.shapes import disk

from .geometry import bounds, cross, length, perp, unit
from .torso import LIFT_ANCHOR, LIFT_INNER, SHOULDER_COLUMN

P = GarmentPoint
SIDES = {"left": (P.SHOULDER_LEFT, P.ARMPIT_LEFT, P.SLEEVE_LEFT),
         "right": (P.SHOULDER_RIGHT, P.ARMPIT_RIGHT, P.SLEEVE_RIGHT)}  # fmt: skip
LONG_SLEEVES = (Category.LONG_SLEEVE, Category.OUTERWEAR)
PYRAMID_LEVELS = 3
SEAM_OVERLAP = 0.06  # parts overlap this far (x half shoulder width) across the armhole
SEAM_REACH = 0.1  # worn, the panel may grow this far (x half shoulder width) to meet a sleeve
BLEED_PX = 8  # how far colours are bled past a part's edge, in garment pixels
CHEST_PER_SHOULDER = 0.9  # a typical top: armpit-to-armpit width / shoulder-seam width
HEM_PER_SHOULDER = 0.9  # and its hem width / shoulder-seam width
PLAUSIBLE_SPREAD = 1.3  # size estimates within this factor of each other agree
ARMPIT_DEPTH = 0.8  # worn, a top's armpits are this far below its shoulder line (x half width)
MIN_SHOULDER_BAND = 0.6  # the band above the armpits is shortened by at most this factor
SLEEVE_PAD = 0.25  # a sleeve's curved edges may bulge this far (x its cuff width) past its strip
INSIDE_SHOWN = 0.5  # ...when the photo shows it: this much of the opening is opaque
# The garment's shoulders and back seen above its front edge (the yoke; a body leaning
# towards the camera, or hunched, shows the top of its shoulders above the shoulder line): a
# band YOKE_REACH (v) tall above the edge, over |u| <= YOKE_COLUMN where the edge runs over
# the shoulders (between v = -YOKE_REACH and YOKE_EDGE: not above a low neckline, beside a
# strap or over a hood), in the colours of the fabric just below the edge, read over
# YOKE_SAMPLE (v) and evened out across YOKE_SMOOTH (u).
YOKE_COLUMN = 0.9
YOKE_REACH = 0.3
YOKE_EDGE = 0.2
YOKE_SAMPLE = 0.08
YOKE_SMOOTH = 0.1
EDGE_ROWS = 64  # rows at which the panel's half-widths are measured
EDGE_STEP = 0.02  # u between the samples of a row
EDGE_REACH = 3.0  # how far out a row is followed


@dataclass(frozen=True)
class Part:
    """One piece of the garment (the body panel or a sleeve) at several resolutions."""

    levels: list[np.ndarray]  # RGBA uint8 crops; level i is 2**-i the size of level 0
    origin: np.ndarray  # (2,) garment-pixel position of the crop's top-left corner


@dataclass(frozen=True)
class Edges:
    """The body panel's half-widths, worn, row by row: the outermost garment pixel on the
    wearer's left (u > 0) and right of each of ``rows`` (v), NaN where a row has none."""

    rows: np.ndarray  # (K,) v, increasing
    left: np.ndarray  # (K,)
    right: np.ndarray  # (K,)

    def at(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(left, right) half-widths at other rows, NaN above and below the panel."""
        inside = (rows >= self.rows[0]) & (rows <= self.rows[-1])

        def side(widths: np.ndarray) -> np.ndarray:
            known = np.isfinite(widths)
            if not known.any():
                return np.full(rows.shape, np.nan)
            return np.where(inside, np.interp(rows, self.rows[known], widths[known]), np.nan)

        return side(self.left), side(self.right)


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
        pad = SLEEVE_PAD * length(cuff[0] - cuff[1])
        return cls(part, armhole, cuff, armhole_uv, length(axis), top_side, pad)

    def section(self, f: float) -> np.ndarray:
        """The cross-section a fraction ``f`` of the way from the armhole to the cuff."""
        return (1 - f) * self.armhole + f * self.cuff


class GarmentRig:
    """A garment prepared for fitting. Build once per garment; it is read-only afterwards."""

    def __init__(self, garment):
        self.name = garment.name
        self.key = garment.key
        self.category = Category(garment.category)
        if self.category.is_bottom:
            raise ValueError(
                f"garment {garment.name!r} is {self.category.value}: bottoms are prepared by "
                "fitting.legwear.BottomRig"
            )
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
        self.worn_armpit_v = self.armpit_v * self.band  # as worn (see _worn_v)
        rgba = np.ascontiguousarray(garment.rgba)
        alpha = rgba[..., 3]
        overlap_px = max(1, round(SEAM_OVERLAP * self.half_width))
        overlap = disk(overlap_px)
        self.sleeves: dict[str, Sleeve] = {}
        inside = self._panel_outline(lm, alpha.shape)
        # Panel and sleeves overlap across the armholes, so no seam can show through.
        inside_grown = cv2.dilate(inside.astype(np.uint8), overlap).astype(bool)
        panel = alpha.copy()
        opening = _inside_neckline(lm, alpha.shape)
        above = _above_neckline(lm, alpha.shape)
        panel[opening | above] = 0  # the back, seen through the neckline and above it...
        shown = opening.any() and (alpha[opening] >= 128).mean() >= INSIDE_SHOWN
        back = (above | (opening & shown)) & (alpha > 0)  # ...a part of its own, which like
        # the yoke reaches under the panel's edge, so no seam can show through there either
        back = cv2.dilate(back.astype(np.uint8), overlap).astype(bool) & (alpha > 0)
        self.collar = make_part(rgba, np.where(back, alpha, 0)) if back.any() else None
        self.collar_uv_box = self._uv_box(back) if back.any() else None
        self.yoke, self.yoke_uv_box = self._yoke(rgba, opening | above, overlap_px)
        if self.category != Category.SLEEVELESS:
            for side, (shoulder, armpit, cuff) in SIDES.items():
                sleeve = _component_at((alpha > 0) & ~inside, lm[cuff], self.origin[0])
                if sleeve is None:
                    continue
                panel[sleeve.astype(bool) & ~inside_grown] = 0
                grown = cv2.dilate(sleeve, overlap).astype(bool)
                part = make_part(rgba, np.where(grown, alpha, 0).astype(np.uint8))
                armhole = lm[[shoulder, armpit]]
                cuff_width = garment.cuff_widths[0 if side == "left" else 1]
                cuff_ends = _cuff(armhole, lm[cuff], cuff_width)
                self.sleeves[side] = Sleeve.prepare(part, armhole, cuff_ends, self.to_uv(armhole))
        # its colours bled as far as the warp may grow it towards the sleeves (warp.py)
        self.panel = make_part(rgba, panel, max(BLEED_PX, ceil(SEAM_REACH * self.half_width)))
        self.whole = make_part(rgba, alpha)  # the simple overlay draws the garment in one piece
        self.panel_uv_box = self._uv_box(panel)
        self.whole_uv_box = self._uv_box(alpha, worn=False)
        self.edges = self._edges(panel)
        self.shoulder_tops = self._tops(panel, SHOULDER_COLUMN)
        self.neck_columns = self._neck_columns(lm)

    def _yoke(self, rgba: np.ndarray, opening: np.ndarray, under: int):
        """The yoke (see YOKE_COLUMN) as a part and its torso-coordinate box: over each column,
        the band above the garment's first opaque pixel (the neckline's opening aside), and
        ``under`` pixels on below it, in the colour of the fabric just below that pixel.
        (None, None) where there is none.

        Worn, it is drawn behind the wearer like the inside of the back: only where the frame
        shows their own top above the garment's edge (neck_hair.py), so it covers that and
        nothing else.
        """
        top = -2 * YOKE_REACH  # the yoke rises YOKE_REACH above edges no higher than this
        corners = np.array([[u, v] for u in (-YOKE_COLUMN, YOKE_COLUMN) for v in (top, YOKE_EDGE)])
        h, w = opening.shape
        reach = np.abs(self.to_px(corners) - [w / 2, h / 2]) - [w / 2, h / 2]
        pad = int(np.ceil(max(reach.max(), 0))) + 1  # the canvas grown to hold the yoke
        rgba = cv2.copyMakeBorder(rgba, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
        opening = np.pad(opening, pad)
        ys, xs = np.mgrid[0 : h + 2 * pad, 0 : w + 2 * pad]
        uv = self.to_uv(np.stack([xs.ravel(), ys.ravel()], 1) - pad).reshape(*xs.shape, 2)
        opaque = (rgba[..., 3] >= 128) & ~opening
        first = np.where(opaque.any(axis=0), np.argmax(opaque, axis=0), opaque.shape[0])
        edge = uv[np.minimum(first, opaque.shape[0] - 1), np.arange(opaque.shape[1]), 1]
        # From over the shoulders (a column with no garment has its "edge" at the canvas's
        # bottom, far below YOKE_EDGE: no yoke).
        rises = (edge >= -YOKE_REACH) & (edge <= YOKE_EDGE)
        yoke = ((ys < first + under) & (uv[..., 1] >= edge - YOKE_REACH) & rises
                & (np.abs(uv[..., 0]) <= YOKE_COLUMN) & ~opening)  # fmt: skip
        columns = np.flatnonzero(yoke.any(axis=0))
        if len(columns) == 0:
            return None, None
        # The fabric's colour just below the edge, column by column, evened out across.
        depth = max(1, round(YOKE_SAMPLE * self.half_width))
        rows = np.clip(first[columns] + np.arange(depth)[:, None], 0, opaque.shape[0] - 1)
        below = rgba[rows, columns, :3].astype(np.float32)
        weight = opaque[rows, columns][..., None].astype(np.float32)
        colour = (below * weight).sum(axis=0) / np.maximum(weight.sum(axis=0), 1)
        every = np.arange(opaque.shape[1])
        colour = np.stack([np.interp(every, columns, c) for c in colour.T], axis=1)
        k = 2 * max(1, round(YOKE_SMOOTH * self.half_width / 2)) + 1
        colour = cv2.blur(colour[None], (k, 1))[0]
        rgba[..., :3] = np.where(yoke[..., None], colour[None].astype(np.uint8), rgba[..., :3])
        alpha = yoke.astype(np.uint8) * 255
        part = make_part(rgba, alpha)
        part = Part(part.levels, part.origin - pad)
        py, px = np.nonzero(yoke)
        return part, bounds(uv[py, px])

    def _neck_columns(self, lm: np.ndarray) -> tuple[float, float]:
        """How far out (|u|) the neckline meets the shoulders, on the wearer's (left, right);
        LIFT_INNER where that is not a number."""
        u = np.abs(self.to_uv(lm[[P.NECK_LEFT, P.NECK_RIGHT]])[:, 0])
        u = np.where(np.isfinite(u), u, LIFT_INNER)
        return float(u[0]), float(u[1])

    def _tops(self, panel: np.ndarray, column: float) -> tuple[float, float]:
        """The panel's top (v, worn) at u = +-``column``, on the wearer's (left, right)."""
        rows = np.arange(self.panel_uv_box[1], LIFT_ANCHOR, EDGE_STEP)
        tops = []
        for sign in (1, -1):
            px = np.round(self.to_px(np.stack([np.full_like(rows, sign * column), rows], 1)))
            px = px.astype(np.int64)
            h, w = panel.shape
            inside = (px[:, 0] >= 0) & (px[:, 0] < w) & (px[:, 1] >= 0) & (px[:, 1] < h)
            opaque = np.zeros(len(rows), bool)
            opaque[inside] = panel[px[inside, 1], px[inside, 0]] >= 128
            tops.append(float(rows[np.argmax(opaque)]) if opaque.any() else float("nan"))
        return tops[0], tops[1]

    def _edges(self, panel: np.ndarray) -> Edges:
        """The panel's half-widths at EDGE_ROWS rows over its height (see :class:`Edges`)."""
        rows = np.linspace(self.panel_uv_box[1], self.panel_uv_box[3], EDGE_ROWS)
        steps = np.arange(0.0, EDGE_REACH, EDGE_STEP)
        u = np.concatenate([steps, -steps])
        uv = np.stack(np.broadcast_arrays(u[None, :], rows[:, None]), axis=-1).reshape(-1, 2)
        px = np.round(self.to_px(uv)).astype(np.int64)
        h, w = panel.shape
        inside = (px[:, 0] >= 0) & (px[:, 0] < w) & (px[:, 1] >= 0) & (px[:, 1] < h)
        opaque = np.zeros(len(px), bool)
        opaque[inside] = panel[px[inside, 1], px[inside, 0]] >= 128
        opaque = opaque.reshape(len(rows), 2, len(steps))
        outermost = len(steps) - 1 - np.argmax(opaque[..., ::-1], axis=2)
        extent = np.where(opaque.any(axis=2), steps[outermost], np.nan)
        return Edges(rows, extent[:, 0], extent[:, 1])

    def _uv_box(self, alpha: np.ndarray, worn=True) -> np.ndarray:
        """(u0, v0, u1, v1): the torso-coordinate box around the garment pixels of ``alpha``."""
        ys, xs = np.nonzero(alpha)
        corners = np.array([[xs.min(), ys.min()], [xs.max(), ys.min()],
                            [xs.min(), ys.max()], [xs.max(), ys.max()]], float)  # fmt: skip
        return bounds(self.to_uv(corners, worn))

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
        return np.where(v <= top, v * self.band, self.worn_armpit_v + (v - top))

    def _flat_v(self, v: np.ndarray) -> np.ndarray:
        top = self.worn_armpit_v
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


def _cuff(armhole: np.ndarray, cuff_center: np.ndarray, cuff_width: float) -> np.ndarray:
    """The cuff's corners, top first: across the sleeve's axis, the top one nearer the shoulder."""
    axis = unit(cuff_center - armhole.mean(axis=0))
    corners = cuff_center + np.outer([1, -1], perp(axis)) * cuff_width / 2
    if np.linalg.norm(corners[0] - armhole[0]) > np.linalg.norm(corners[1] - armhole[0]):
        corners = corners[::-1]
    return corners


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
    direction = unit((spans / np.linalg.norm(spans, axis=1, keepdims=True)).sum(axis=0))
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
    across = unit(lm[P.ARMPIT_LEFT] - lm[P.ARMPIT_RIGHT])
    for shoulder, armpit in ((P.SHOULDER_LEFT, P.ARMPIT_LEFT), (P.SHOULDER_RIGHT, P.ARMPIT_RIGHT)):
        sign = np.sign((lm[armpit] - middle) @ across)
        short = sign * ((lm[armpit] - lm[shoulder]) @ across)
        if short > 0:
            lm[shoulder] += sign * short * across
    return lm


def make_part(rgba: np.ndarray, alpha: np.ndarray, bleed: int = BLEED_PX) -> Part:
    """Crops a part (``alpha`` > 0) with a colour border bled ``bleed`` pixels past its edge
    and builds its mip pyramid."""
    ys, xs = np.nonzero(alpha)
    pad = bleed + 2
    x0, y0 = max(xs.min() - pad, 0), max(ys.min() - pad, 0)
    x1, y1 = min(xs.max() + pad + 1, alpha.shape[1]), min(ys.max() + pad + 1, alpha.shape[0])
    rgb = _bleed(rgba[y0:y1, x0:x1, :3], alpha[y0:y1, x0:x1], bleed)
    level = np.dstack([rgb, alpha[y0:y1, x0:x1]])
    levels = [level]
    for _ in range(PYRAMID_LEVELS - 1):
        levels.append(cv2.pyrDown(levels[-1]))
    return Part(levels, np.array([x0, y0], dtype=np.float64))


def _bleed(rgb: np.ndarray, alpha: np.ndarray, bleed: int) -> np.ndarray:
    """Colours extended ``bleed`` pixels past the edge of ``alpha``, so edge pixels blend with
    garment colour."""
    weight = (alpha.astype(np.float32) / 255)[..., None]
    ksize = 2 * bleed + 1
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
    depth = abs(cross(unit(left - right), low - center))
    mask = np.zeros(shape, np.uint8)
    if half_width >= 1 and depth >= 1:
        angle = np.degrees(np.arctan2(*(left - right)[::-1]))
        axes = (round(half_width), round(depth))
        cv2.ellipse(mask, np.round(center).astype(int).tolist(), axes, angle, 0, 180, 1, -1)
    return mask.astype(bool)


def _above_neckline(lm: np.ndarray, shape) -> np.ndarray:
    """What a product photo shows above the line between the neck points, between them: the
    garment's back rising behind the neck (a collar's stand and its label, a hood, a halter's
    band), which on a person their neck hides."""
    left, right = lm[P.NECK_LEFT], lm[P.NECK_RIGHT]
    chord = left - right
    if length(chord) < 1:
        return np.zeros(shape, bool)
    ys, xs = np.mgrid[0 : shape[0], 0 : shape[1]]
    offset = np.stack([xs - right[0], ys - right[1]], axis=-1)
    along = offset @ chord / float(chord @ chord)
    up = -np.sign(perp(chord)[1]) * perp(chord)  # the chord's normal pointing up (y < 0)
    return (along > 0) & (along < 1) & (offset @ up > 0)


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
