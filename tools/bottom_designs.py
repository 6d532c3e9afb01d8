"""Drawing the project's own sample bottoms: trousers, shorts and a skirt, as garment_designs.py
draws the tops.

A ``BottomDesign`` is the flat front view of the garment in pixels of the same square canvas:
the waistband, the hips, the crotch and each leg's hem (a skirt: one hem). ``render_bottoms``
draws it supersampled in a woven fabric (twill, whose ribs run diagonally), with folds hanging
down the legs (a skirt: its pleats fanning out from the waist), the fabric's roundness, the
waistband with belt loops, the fly, pocket openings and stitched hems. ``bottom_design_landmarks``
gives the points it was drawn from, rows indexed by ``clothes.BottomPoint``.

    rgba = render_bottoms(BOTTOM_DESIGNS[0])
    truth = bottom_design_landmarks(BOTTOM_DESIGNS[0])    # (7, 2)
"""

from dataclasses import dataclass

import cv2
import numpy as np

from clothes import BottomPoint, Category

from .garment_designs import (
    CANVAS_PX,
    FOLD_DEPTH,
    SUPERSAMPLE,
    edge_shade,
    line_mask,
    paint,
    soft_light,
    stitch,
    streaks,
)

B = BottomPoint
CENTRE = CANVAS_PX / 2
TWILL_PERIOD = 3.0  # canvas px between the twill's diagonal ribs
BELT_LOOP = (10, 40)  # a belt loop's (width, height), canvas px
PLEAT_DEPTH = 0.14  # a pleat darkens its fold this much


@dataclass(frozen=True)
class BottomDesign:
    """A front-view pattern of bottoms; x offsets are from the centre line, y from the top.
    Image right is the wearer's left."""

    slug: str
    name: str
    category: Category  # TROUSERS, SHORTS or SKIRT
    colour: tuple[int, int, int]
    waist_y: float  # the waistband's top edge
    waist_half_width: float
    waistband: float  # the waistband's height
    hip_y: float  # the outline is widest here...
    hip_half_width: float
    hem_y: float
    hem_outer: float  # ...and at the hem, each leg's outer corner is this far out
    crotch_y: float = 0.0  # trousers and shorts: where the legs part
    hem_inner: float = 0.0  # each leg's inner hem corner (skirts: unused)
    stitch_colour: tuple[int, int, int] | None = None  # contrast topstitching (jeans)
    pleats: int = 0  # a skirt's pleats across its front
    crease: bool = False  # a pressed crease down the middle of each leg
    seed: int = 0


BOTTOM_DESIGNS = (
    BottomDesign(
        slug="06-chinos",
        name="Slim chinos, stone",
        category=Category.TROUSERS,
        colour=(196, 178, 142),
        waist_y=24,
        waist_half_width=140,
        waistband=34,
        hip_y=150,
        hip_half_width=166,
        crotch_y=204,
        hem_y=744,
        hem_outer=128,
        hem_inner=28,
        crease=True,
        seed=6,
    ),
    BottomDesign(
        slug="07-denim-shorts",
        name="Denim shorts, indigo",
        category=Category.SHORTS,
        colour=(58, 80, 124),
        waist_y=190,
        waist_half_width=150,
        waistband=32,
        hip_y=320,
        hip_half_width=180,
        crotch_y=380,
        hem_y=530,
        hem_outer=198,
        hem_inner=16,
        stitch_colour=(206, 150, 72),
        seed=7,
    ),
    BottomDesign(
        slug="08-pleated-skirt",
        name="Pleated midi skirt, bottle green",
        category=Category.SKIRT,
        colour=(38, 92, 70),
        waist_y=100,
        waist_half_width=124,
        waistband=30,
        hip_y=240,
        hip_half_width=176,
        hem_y=650,
        hem_outer=262,
        pleats=14,
        seed=8,
    ),
)


def _at(offset: float, y: float, side: int) -> np.ndarray:
    return np.array([CENTRE + side * offset, y], np.float64)


def _hip_curve(design: BottomDesign, side: int, samples: int = 12) -> np.ndarray:
    """The side from the waistband's corner out over the hip, then straight to the hem."""
    waist = _at(design.waist_half_width, design.waist_y, side)
    hip = _at(design.hip_half_width, design.hip_y, side)
    hem = _at(design.hem_outer, design.hem_y, side)
    t = np.linspace(0, 1, samples)[:, None]
    # The curve leaves the hip along the straight side below it (no kink at the hip).
    middle_y = (waist[1] + hip[1]) / 2
    control = hip + (hem - hip) * (middle_y - hip[1]) / (hem[1] - hip[1])
    curve = (1 - t) ** 2 * waist + 2 * t * (1 - t) * control + t**2 * hip
    return np.vstack([curve, [hem]])


def _outline(design: BottomDesign) -> np.ndarray:
    """The garment's outline, a closed polygon (clockwise on screen)."""
    right, left = _hip_curve(design, +1), _hip_curve(design, -1)  # image right, image left
    if design.category == Category.SKIRT:
        hem = [_at(0, design.hem_y + 6, 1)]  # a hem curves down a little in its middle
    else:
        hem = [_at(design.hem_inner, design.hem_y, +1), _at(0, design.crotch_y, 1),
               _at(design.hem_inner, design.hem_y, -1)]  # fmt: skip
    return np.array([*right, *hem, *left[::-1]])


def bottom_design_landmarks(design: BottomDesign) -> np.ndarray:
    """The landmarks the design was drawn from: (7, 2) float32, rows indexed by BottomPoint."""
    points = np.zeros((len(BottomPoint), 2), np.float32)
    points[B.WAIST_LEFT] = _at(design.waist_half_width, design.waist_y, +1)
    points[B.WAIST_RIGHT] = _at(design.waist_half_width, design.waist_y, -1)
    points[B.HEM_LEFT_OUTER] = _at(design.hem_outer, design.hem_y, +1)
    points[B.HEM_RIGHT_OUTER] = _at(design.hem_outer, design.hem_y, -1)
    if design.category == Category.SKIRT:
        middle = (points[B.HEM_LEFT_OUTER] + points[B.HEM_RIGHT_OUTER]) / 2
        points[B.CROTCH] = points[B.HEM_LEFT_INNER] = points[B.HEM_RIGHT_INNER] = middle
        return points
    points[B.CROTCH] = _at(0, design.crotch_y, 1)
    points[B.HEM_LEFT_INNER] = _at(design.hem_inner, design.hem_y, +1)
    points[B.HEM_RIGHT_INNER] = _at(design.hem_inner, design.hem_y, -1)
    return points


def render_bottoms(design: BottomDesign) -> np.ndarray:
    """The design as a product photo cut-out: RGBA uint8, CANVAS_PX square."""
    s = SUPERSAMPLE
    size = CANVAS_PX * s
    rng = np.random.default_rng(design.seed)
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32) / s

    mask = np.zeros((size, size), np.uint8)
    cv2.fillPoly(mask, [np.round(_outline(design) * s).astype(np.int32)], 255, cv2.LINE_AA)

    # Woven twill: fine diagonal ribs, a little uneven (denim's slubs), and soft light.
    twill = 1 + 0.05 * np.sin((xs + ys) * 2 * np.pi / TWILL_PERIOD)
    slub = cv2.GaussianBlur(rng.normal(0, 1, (size, size)).astype(np.float32), (0, 0), 2.0 * s)
    twill = twill + 0.03 * slub / (slub.std() + 1e-6)
    shade = soft_light(xs, ys) * _folds(design, xs, ys, rng, size) * edge_shade(mask)
    rgb = np.array(design.colour, np.float32) * (twill * shade)[..., None]
    _draw_details(design, rgb, s)
    rgba = np.dstack([np.clip(rgb, 0, 255).astype(np.uint8), mask])
    return cv2.resize(rgba, (CANVAS_PX, CANVAS_PX), interpolation=cv2.INTER_AREA)


def _folds(design: BottomDesign, xs, ys, rng, size) -> np.ndarray:
    """Folds hanging down the legs and each leg's roundness; a skirt's pleats instead."""
    if design.category == Category.SKIRT:
        # The pleats fan out from a point above the waist, through the hem's width.
        apex_y = design.waist_y - design.waist_half_width * (design.hem_y - design.waist_y) / (
            design.hem_outer - design.waist_half_width
        )
        angle = np.arctan2(xs - CENTRE, ys - apex_y)
        spread = np.arctan2(design.hem_outer, design.hem_y - apex_y)
        phase = (angle / spread + 1) * design.pleats / 2  # 0..pleats across the hem
        pleat = 1 - PLEAT_DEPTH * np.abs(2 * (phase % 1) - 1) ** 3  # a dark fold per pleat
        return pleat * (1 + FOLD_DEPTH * np.tanh(streaks(rng, size, 90.0)))
    leg_middle = (design.hip_half_width + design.hem_outer + design.hem_inner) / 4
    across = np.clip(np.abs(np.abs(xs - CENTRE) - leg_middle) / leg_middle, 0, 1.3)
    roundness = 1 - 0.1 * across**2 * (ys > design.crotch_y)
    return roundness * (1 + FOLD_DEPTH * np.tanh(streaks(rng, size, 90.0)))


def _draw_details(design: BottomDesign, rgb: np.ndarray, s: int) -> None:
    """Waistband, belt loops, fly, pockets, side seams, crease and hems, stitched on ``rgb``
    (in place)."""
    colour = design.stitch_colour

    def sew(points, dashed=True, strength=0.72):
        points = np.asarray(points, np.float64)
        stitch(rgb, points, s, dashed=dashed, strength=strength)
        if colour is not None and dashed:  # contrast thread over the stitch line
            paint(rgb, line_mask(rgb.shape[:2], points, s, dashed=False), colour, 0.7)

    band_y = design.waist_y + design.waistband
    half = (
        design.waist_half_width
        + design.waistband
        * ((design.hip_half_width - design.waist_half_width) / (design.hip_y - design.waist_y))
        * 0.5
    )
    sew([[CENTRE - half, band_y], [CENTRE + half, band_y]], dashed=False, strength=0.7)
    sew([[CENTRE - half + 4, band_y - 5], [CENTRE + half - 4, band_y - 5]])
    if design.category == Category.SKIRT:
        hem = design.hem_y - 14
        sew([[CENTRE - design.hem_outer + 8, hem], [CENTRE, hem + 6],
             [CENTRE + design.hem_outer - 8, hem]])  # fmt: skip
        return
    # Belt loops: small raised tabs over the waistband.
    width, height = BELT_LOOP
    for x in (-0.75, 0.0, 0.75):
        loop = np.array([[CENTRE + x * half - width / 2, design.waist_y - 2],
                         [CENTRE + x * half + width / 2, band_y + 6]])  # fmt: skip
        (x0, y0), (x1, y1) = np.round(loop * s).astype(int)
        rgb[y0:y1, x0:x1] *= 1.08
        for y in (loop[0, 1] + 4, loop[1, 1] - 4):
            sew([[loop[0, 0], y], [loop[1, 0], y]], dashed=False, strength=0.8)
    # The fly: a J of stitches on the wearer's left of the centre, and the front's seam.
    crotch = design.crotch_y
    fly = np.array([[CENTRE + 26, band_y], [CENTRE + 26, crotch - 50],
                    [CENTRE + 14, crotch - 24], [CENTRE, crotch - 16]])  # fmt: skip
    sew(fly)
    sew([[CENTRE, band_y], [CENTRE, design.crotch_y]], dashed=False, strength=0.75)
    for side in (+1, -1):
        # A slanted pocket opening from the waistband to the hip.
        pocket = [_at(half - 70, band_y, side), _at(half - 20, band_y + 60, side),
                  _at(design.hip_half_width - 4, design.hip_y - 30, side)]  # fmt: skip
        sew(pocket, dashed=False, strength=0.6)
        sew(np.array(pocket) + [-side * 6, 4])
        hem = design.hem_y - 14
        sew([_at(design.hem_outer - 6, hem, side), _at(design.hem_inner + 6, hem, side)])
        if design.crease:
            middle = (design.hip_half_width + design.hem_outer + design.hem_inner) / 4
            crease = [
                _at(middle + 10, design.crotch_y - 40, side),
                _at((design.hem_outer + design.hem_inner) / 2, design.hem_y - 4, side),
            ]
            stitch(rgb, np.array(crease), s, dashed=False, strength=0.93)
