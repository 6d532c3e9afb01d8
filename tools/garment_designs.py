"""Drawing the project's own sample garments: product-style renderings from a few measurements.

Each ``Design`` is a garment pattern in pixels of a square canvas, seen from the front: neck,
shoulders, sleeves, body and hem, plus its fabric (colour, stripes, knit or pique), trims (rib
collar, polo collar, cuffs, waistband) and details (hood, pocket, drawcords, placket). ``render``
draws it supersampled: knit texture, soft folds that hang with the fabric (down the body, along
each sleeve), light from the upper left, the body's roundness, stitched seams and rib trims whose
ribs run across the band. ``design_landmarks`` and ``design_cuff_widths`` give the landmarks the
drawing was built from: they are exact, so they are what the catalog stores, and a test checks
the landmark detector against them.

    rgba = render(DESIGNS[0])
    truth = design_landmarks(DESIGNS[0])    # (11, 2), rows indexed by GarmentPoint
"""

from dataclasses import dataclass

import cv2
import numpy as np

from clothes import Category, GarmentPoint
from clothes.shapes import arc_middle

CANVAS_PX = 768  # side of the square canvas every design is drawn on
SUPERSAMPLE = 2  # drawn at this multiple, then scaled down for clean edges
HOOD_BASE_WIDTH = 1.45  # a hood's base is this much wider than the neck opening
ARMHOLE_INSET = 14.0  # a sleeveless armhole curves in this far (canvas px) from its strap
FOLD_DEPTH = 0.07  # soft folds darken or lighten the fabric by up to about this much
EDGE_SHADE = 0.2  # the fabric darkens this much where it turns away at the outline


@dataclass(frozen=True)
class SleeveDesign:
    length: float  # along the sleeve's top edge, shoulder to cuff
    angle_deg: float  # below the horizontal
    cuff_width: float  # across the sleeve opening


@dataclass(frozen=True)
class Design:
    """A front-view garment pattern; x offsets are from the centre line, y from the top."""

    slug: str
    name: str
    category: Category
    colour: tuple[int, int, int]  # main fabric, RGB
    neck_y: float  # where the neckline meets the shoulder line
    neck_half_width: float
    back_neck_depth: float  # the back neckline's dip below neck_y (inside of the back shows)
    front_neck_depth: float  # the front neckline's dip below neck_y
    shoulder_half_width: float
    shoulder_drop: float
    armpit_y: float
    body_half_width: float  # at the armpits
    hem_y: float
    hem_half_width: float
    sleeve: SleeveDesign | None  # None: sleeveless
    trim_colour: tuple[int, int, int] | None = None  # rib collar, cuffs, waistband
    stripe_colour: tuple[int, int, int] | None = None  # horizontal stripes on the main fabric
    stripe_period: float = 28.0
    rib_width: float = 14.0  # collar rib
    cuff_rib: float = 0.0  # knitted cuff height (0: hemmed sleeve)
    waistband: float = 0.0  # knitted waistband height (0: hemmed body)
    hood: bool = False
    pocket: bool = False
    polo_collar: bool = False  # a flat knitted collar and a buttoned placket
    buttons: int = 0
    knit: str = "jersey"  # "jersey" (fine loops) or "pique" (a small diamond texture)
    seed: int = 0


DESIGNS = (
    Design(
        slug="01-crew-tee",
        name="Crew-neck T-shirt, heather red",
        category=Category.SHORT_SLEEVE,
        colour=(178, 38, 48),
        neck_y=112,
        neck_half_width=64,
        back_neck_depth=12,
        front_neck_depth=58,
        shoulder_half_width=186,
        shoulder_drop=30,
        armpit_y=290,
        body_half_width=158,
        hem_y=650,
        hem_half_width=162,
        sleeve=SleeveDesign(length=150, angle_deg=32, cuff_width=112),
        trim_colour=(160, 32, 42),
        seed=1,
    ),
    Design(
        slug="02-breton-long-sleeve",
        name="Breton striped long-sleeve top",
        category=Category.LONG_SLEEVE,
        colour=(242, 238, 228),
        stripe_colour=(28, 40, 84),
        stripe_period=30,
        neck_y=100,
        neck_half_width=70,
        back_neck_depth=10,
        front_neck_depth=46,
        shoulder_half_width=146,
        shoulder_drop=26,
        armpit_y=270,
        body_half_width=138,
        hem_y=650,
        hem_half_width=140,
        sleeve=SleeveDesign(length=440, angle_deg=70, cuff_width=78),
        trim_colour=(28, 40, 84),
        rib_width=10,
        cuff_rib=26,
        seed=2,
    ),
    Design(
        slug="03-rib-tank",
        name="Ribbed tank top, sage",
        category=Category.SLEEVELESS,
        colour=(150, 170, 132),
        neck_y=80,
        neck_half_width=78,
        back_neck_depth=40,
        front_neck_depth=150,
        shoulder_half_width=122,
        shoulder_drop=8,
        armpit_y=300,
        body_half_width=150,
        hem_y=660,
        hem_half_width=158,
        sleeve=None,
        trim_colour=(138, 158, 120),
        rib_width=12,
        seed=3,
    ),
    Design(
        slug="04-hoodie",
        name="Pullover hoodie, charcoal",
        category=Category.OUTERWEAR,
        colour=(68, 72, 80),
        neck_y=170,
        neck_half_width=70,
        back_neck_depth=10,
        front_neck_depth=70,
        shoulder_half_width=166,
        shoulder_drop=28,
        armpit_y=330,
        body_half_width=140,
        hem_y=700,
        hem_half_width=136,
        sleeve=SleeveDesign(length=400, angle_deg=70, cuff_width=80),
        trim_colour=(58, 62, 70),
        cuff_rib=34,
        waistband=44,
        hood=True,
        pocket=True,
        seed=4,
    ),
    Design(
        slug="05-pique-polo",
        name="Pique polo shirt, navy",
        category=Category.SHORT_SLEEVE,
        colour=(34, 48, 88),
        neck_y=104,
        neck_half_width=58,
        back_neck_depth=8,
        front_neck_depth=44,
        shoulder_half_width=170,
        shoulder_drop=30,
        armpit_y=282,
        body_half_width=150,
        hem_y=650,
        hem_half_width=152,
        sleeve=SleeveDesign(length=140, angle_deg=30, cuff_width=104),
        trim_colour=(236, 236, 230),
        cuff_rib=14,
        polo_collar=True,
        buttons=2,
        knit="pique",
        seed=5,
    ),
    Design(
        slug="09-a-line-dress",
        name="A-line midi dress, coral",
        category=Category.DRESS,
        colour=(212, 106, 84),
        neck_y=40,
        neck_half_width=56,
        back_neck_depth=12,
        front_neck_depth=60,
        shoulder_half_width=108,
        shoulder_drop=26,
        armpit_y=196,
        body_half_width=104,
        hem_y=750,
        hem_half_width=236,
        sleeve=SleeveDesign(length=140, angle_deg=30, cuff_width=96),
        trim_colour=(198, 96, 76),
        rib_width=10,
        seed=9,
    ),
)


# ----------------------------------------------------------------------------------------------
# Geometry: the design's key points and outline, in canvas pixels. The wearer's left is on the
# image right, at x = centre + offset.


def _key_points(design: Design, side: int) -> dict[str, np.ndarray]:
    """Neck corner, shoulder, cuff corners, armpit and hem corner on one side (+1: image right)."""
    centre = CANVAS_PX / 2

    def at(offset: float, y: float) -> np.ndarray:
        return np.array([centre + side * offset, y], np.float64)

    points = {
        "neck": at(design.neck_half_width, design.neck_y),
        "shoulder": at(design.shoulder_half_width, design.neck_y + design.shoulder_drop),
        "armpit": at(design.body_half_width, design.armpit_y),
        "hem": at(design.hem_half_width, design.hem_y),
    }
    if design.sleeve is not None:
        along, across = _sleeve_axes(design, side)
        points["cuff_top"] = points["shoulder"] + design.sleeve.length * along
        points["cuff_bottom"] = points["cuff_top"] + design.sleeve.cuff_width * across
    return points


def _sleeve_axes(design: Design, side: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors along the sleeve (outwards) and across it (from its top edge to the body)."""
    angle = np.radians(design.sleeve.angle_deg)
    along = np.array([side * np.cos(angle), np.sin(angle)])
    across = np.array([-side * np.sin(angle), np.cos(angle)])
    return along, across


def _armhole(design: Design, side: int, samples: int = 12) -> np.ndarray:
    """A sleeveless armhole: a curve from the strap's top down and in to the armpit."""
    p = _key_points(design, side)
    t = np.linspace(0, 1, samples)[:, None]
    control = np.array([p["shoulder"][0] - side * ARMHOLE_INSET, p["armpit"][1]])
    return (1 - t) ** 2 * p["shoulder"] + 2 * t * (1 - t) * control + t**2 * p["armpit"]


def _neckline(design: Design, depth: float, samples: int = 40) -> np.ndarray:
    """A neckline curve from the image-left neck corner to the image-right one."""
    t = np.linspace(-1.0, 1.0, samples)
    x = CANVAS_PX / 2 + design.neck_half_width * t
    y = design.neck_y + depth * (1 - np.abs(t) ** 2.2) ** 0.8
    return np.stack([x, y], axis=1)


def _outline(design: Design) -> np.ndarray:
    """The garment's outline (without hood) as a closed polygon."""
    half = []
    for side in (+1, -1):
        p = _key_points(design, side)
        path = [p["neck"], p["shoulder"]]
        if design.sleeve is not None:
            path += [p["cuff_top"], p["cuff_bottom"]]
        else:
            path += list(_armhole(design, side)[1:-1])
        path += [p["armpit"], p["hem"]]
        half.append(path)
    right_half, left_half = half  # image right, image left
    hem_dip = np.array([CANVAS_PX / 2, design.hem_y + 4])
    back_neck = _neckline(design, design.back_neck_depth)  # image left -> image right
    polygon = list(back_neck) + right_half[1:] + [hem_dip] + left_half[::-1][:-1]
    return np.array(polygon, np.float64)


def _sleeve_polygon(design: Design, side: int) -> np.ndarray:
    p = _key_points(design, side)
    return np.array([p["shoulder"], p["cuff_top"], p["cuff_bottom"], p["armpit"]])


def design_landmarks(design: Design) -> np.ndarray:
    """The landmarks the design was drawn from: (11, 2) float32, rows indexed by GarmentPoint.

    Sleeveless: SLEEVE is the middle of the armhole curve (a point on the garment's edge).
    """
    landmarks = np.zeros((len(GarmentPoint), 2), np.float32)
    for side, suffix in ((+1, "LEFT"), (-1, "RIGHT")):
        p = _key_points(design, side)
        landmarks[GarmentPoint[f"NECK_{suffix}"]] = p["neck"]
        if design.hood:  # the neckline meets the shoulder line where the hood's base does
            reach = HOOD_BASE_WIDTH * design.neck_half_width
            drop = design.shoulder_drop * (reach - design.neck_half_width)
            drop /= design.shoulder_half_width - design.neck_half_width
            landmarks[GarmentPoint[f"NECK_{suffix}"]] = (
                CANVAS_PX / 2 + side * reach,
                design.neck_y + drop,
            )
        landmarks[GarmentPoint[f"SHOULDER_{suffix}"]] = p["shoulder"]
        landmarks[GarmentPoint[f"ARMPIT_{suffix}"]] = p["armpit"]
        landmarks[GarmentPoint[f"HEM_{suffix}"]] = p["hem"]
        if design.sleeve is not None:
            landmarks[GarmentPoint[f"SLEEVE_{suffix}"]] = (p["cuff_top"] + p["cuff_bottom"]) / 2
        else:
            landmarks[GarmentPoint[f"SLEEVE_{suffix}"]] = arc_middle(_armhole(design, side, 200))
    landmarks[GarmentPoint.NECK_CENTER] = (CANVAS_PX / 2, design.neck_y + design.front_neck_depth)
    return landmarks


def design_cuff_widths(design: Design) -> np.ndarray:
    """[left, right] width of the sleeve openings; sleeveless: the armhole curve's length."""
    if design.sleeve is not None:
        return np.full(2, design.sleeve.cuff_width, np.float32)
    length = np.linalg.norm(np.diff(_armhole(design, +1, 200), axis=0), axis=1).sum()
    return np.full(2, length, np.float32)


# ----------------------------------------------------------------------------------------------
# Rendering


def render(design: Design) -> np.ndarray:
    """The design as a product photo cut-out: RGBA uint8, CANVAS_PX square."""
    s = SUPERSAMPLE
    size = CANVAS_PX * s
    rng = np.random.default_rng(design.seed)

    def poly(points: np.ndarray) -> np.ndarray:
        return np.round(np.asarray(points) * s).astype(np.int32)

    mask = np.zeros((size, size), np.uint8)
    cv2.fillPoly(mask, [poly(_outline(design))], 255, cv2.LINE_AA)
    if design.hood:
        hood = np.zeros_like(mask)
        cv2.fillPoly(hood, [poly(_hood_outline(design))], 255, cv2.LINE_AA)
        mask = np.maximum(mask, hood)
    if design.polo_collar:
        stand = np.zeros_like(mask)
        cv2.fillPoly(stand, [poly(_collar_stand(design))], 255, cv2.LINE_AA)
        mask = np.maximum(mask, stand)

    colour = _fabric(design, size, rng)
    shade = _shading(design, mask, rng)

    # Inside of the back, seen through the neck opening: the same fabric, in shadow.
    inside = np.zeros_like(mask)
    neck_hole = np.concatenate(
        [
            _neckline(design, design.back_neck_depth),
            _neckline(design, design.front_neck_depth)[::-1],
        ]
    )
    cv2.fillPoly(inside, [poly(neck_hole)], 255, cv2.LINE_AA)
    inside = cv2.GaussianBlur(inside.astype(np.float32) / 255, (0, 0), 1.5 * s)
    depth = 1 - 0.38 * inside * (0.8 + 0.2 * _fraction_down(size, design.neck_y, 60.0))
    shade = shade * depth

    rgb = colour * shade[..., None]  # the details below are drawn on it, in place
    if design.trim_colour is not None:
        _draw_trims(design, rgb, shade, poly)
    if design.pocket:
        _draw_pocket(design, rgb, s)
    _draw_seams(design, rgb, s)
    if design.hood:
        _draw_hood_details(design, rgb, s)
    if design.polo_collar:
        _draw_polo_collar(design, rgb, shade, s, poly)

    rgba = np.dstack([np.clip(rgb, 0, 255).astype(np.uint8), mask])
    return cv2.resize(rgba, (CANVAS_PX, CANVAS_PX), interpolation=cv2.INTER_AREA)


def _fraction_down(size: int, top: float, span: float) -> np.ndarray:
    """(size, size) 0 at canvas row ``top``, rising to 1 over ``span`` rows below it."""
    rows = np.arange(size, dtype=np.float32)[:, None] / SUPERSAMPLE
    return np.broadcast_to(np.clip((rows - top) / span, 0, 1), (size, size))


def _hood_outline(design: Design) -> np.ndarray:
    centre = CANVAS_PX / 2
    t = np.linspace(0, np.pi, 60)
    half_width = design.neck_half_width * HOOD_BASE_WIDTH
    top = design.neck_y - 120
    x = centre - half_width * np.cos(t)
    y = design.neck_y + 20 - (design.neck_y + 20 - top) * np.sin(t) ** 0.7
    return np.stack([x, y], axis=1)


def _fabric(design: Design, size: int, rng: np.random.Generator) -> np.ndarray:
    """Base fabric colour with knit texture (and stripes), float32 RGB."""
    s = SUPERSAMPLE
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32) / s
    base = np.empty((size, size, 3), np.float32)
    base[:] = design.colour
    if design.stripe_colour is not None:
        # stripes wander a little, as a knit does
        wander = 1.2 * np.sin(xs / 57.0 + design.seed) + 0.8 * np.sin(xs / 23.0)
        stripe = (
            (ys + wander - design.neck_y) % design.stripe_period
        ) < design.stripe_period * 0.45
        soft = cv2.GaussianBlur(stripe.astype(np.float32), (0, 0), 0.8 * s)[..., None]
        base = base * (1 - soft) + np.array(design.stripe_colour, np.float32) * soft
    if design.knit == "pique":
        # a small raised diamond grid
        texture = 1 + 0.06 * np.sin((xs + ys) * 2 * np.pi / 4.5) * np.sin(
            (xs - ys) * 2 * np.pi / 4.5
        )
    else:
        # jersey: fine columns of loops
        texture = 1 + 0.03 * np.sin(xs * 2 * np.pi / 3.2) * np.sin(ys * 2 * np.pi / 4.0)
    heather = cv2.GaussianBlur(rng.normal(0, 1, (size, size)).astype(np.float32), (0, 0), 1.2 * s)
    heather /= heather.std() + 1e-6
    return base * (texture + 0.012 * heather)[..., None]


def streaks(rng: np.random.Generator, size: int, angle_deg: float) -> np.ndarray:
    """Soft folds: smooth noise stretched along ``angle_deg`` (0: horizontal), unit spread."""
    small = size // 8
    noise = rng.normal(0, 1, (small, small)).astype(np.float32)
    noise = cv2.GaussianBlur(noise, (0, 0), sigmaX=3.5, sigmaY=16.0)  # long and narrow
    turn = cv2.getRotationMatrix2D((small / 2, small / 2), 90 - angle_deg, 1.0)
    noise = cv2.warpAffine(noise, turn, (small, small), borderMode=cv2.BORDER_REFLECT)
    noise = cv2.resize(noise, (size, size), interpolation=cv2.INTER_CUBIC)
    return noise / (noise.std() + 1e-6)


def _shading(design: Design, mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Soft light: folds hanging with the fabric, the body's roundness, darker edges."""
    s = SUPERSAMPLE
    size = mask.shape[0]
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32) / s
    centre = CANVAS_PX / 2
    light = soft_light(xs, ys)
    # the body is a rounded tube: a little darker towards its sides
    across = np.clip(np.abs(xs - centre) / design.body_half_width, 0, 1.3)
    folds = streaks(rng, size, 90.0)
    roundness = 1 - 0.08 * across**2
    if design.sleeve is not None:
        for side in (+1, -1):
            sleeve = np.zeros((size, size), np.uint8)
            cv2.fillPoly(
                sleeve, [np.round(_sleeve_polygon(design, side) * s).astype(np.int32)], 255
            )
            blend = cv2.GaussianBlur(sleeve.astype(np.float32) / 255, (0, 0), 6 * s)
            along_sleeve = streaks(rng, size, -side * design.sleeve.angle_deg)
            folds = folds * (1 - blend) + along_sleeve * blend
            # a sleeve is a tube too: darker along its edges, across its axis
            along, normal = _sleeve_axes(design, side)
            middle = _key_points(design, side)["shoulder"] + normal * design.sleeve.cuff_width / 2
            offset = np.abs((xs - middle[0]) * normal[0] + (ys - middle[1]) * normal[1])
            tube = 1 - 0.1 * np.clip(offset / (design.sleeve.cuff_width / 2), 0, 1.3) ** 2
            roundness = roundness * (1 - blend) + tube * blend
    return light * roundness * (1 + FOLD_DEPTH * np.tanh(folds)) * edge_shade(mask)


def soft_light(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Light from the upper left over the canvas (``xs``, ``ys``: canvas px of each pixel)."""
    return 1 + 0.05 * (0.5 - ys / CANVAS_PX) + 0.03 * (0.5 - xs / CANVAS_PX)


def edge_shade(mask: np.ndarray) -> np.ndarray:
    """The fabric darkening where it turns away at the outline of ``mask`` (supersampled)."""
    inside = cv2.distanceTransform((mask > 127).astype(np.uint8), cv2.DIST_L2, 5) / SUPERSAMPLE
    return 1 - EDGE_SHADE * np.exp(-inside / 7.0)


def _rib(design: Design, shade: np.ndarray, phase: np.ndarray) -> np.ndarray:
    """Rib knit in the trim colour: ridges across the band, following ``phase`` (px)."""
    ribs = 1 + 0.1 * np.sin(phase * 2 * np.pi / 4.0)
    colour = np.array(design.trim_colour, np.float32)
    return colour * (ribs * shade)[..., None]


def _blend_rib(design: Design, rgb: np.ndarray, shade: np.ndarray, band: np.ndarray, phase):
    """Blends rib knit (see :func:`_rib`) into ``rgb`` in place, as opaque as ``band``
    (uint8, 255: fully), within the band's bounding box; ``phase(xs, ys)`` gives the ribs'
    phase from canvas px."""
    x, y, w, h = cv2.boundingRect(band)
    rows, cols = slice(y, y + h), slice(x, x + w)
    ys = np.arange(y, y + h, dtype=np.float32)[:, None] / SUPERSAMPLE
    xs = np.arange(x, x + w, dtype=np.float32)[None, :] / SUPERSAMPLE
    t = (band[rows, cols].astype(np.float32) / 255)[..., None]
    window = rgb[rows, cols]
    window[:] = window * (1 - t) + _rib(design, shade[rows, cols], phase(xs, ys)) * t


def _draw_trims(design: Design, rgb: np.ndarray, shade: np.ndarray, poly) -> None:
    """Rib collar (ribs radiating from the neck), cuffs (ribs along the sleeve), waistband:
    drawn on ``rgb`` in place."""
    s = SUPERSAMPLE
    size = rgb.shape[0]
    centre = np.array([CANVAS_PX / 2, design.neck_y])
    bands = []  # (mask, the ribs' phase (px across them) from canvas px xs, ys)
    if not design.polo_collar:
        collar = np.zeros((size, size), np.uint8)
        front = _neckline(design, design.front_neck_depth)
        lower = front + np.array([0, design.rib_width])
        cv2.fillPoly(collar, [poly(np.concatenate([front, lower[::-1]]))], 255, cv2.LINE_AA)
        if design.sleeve is None:  # binding round the armholes, down to the armpits
            for side in (+1, -1):
                binding = np.zeros_like(collar)
                cv2.polylines(
                    binding,
                    [poly(_armhole(design, side))],
                    False,
                    255,
                    int(1.6 * design.rib_width * s),
                )
                collar = np.maximum(collar, binding)

        def radiating(xs, ys):
            radius = np.hypot(xs - centre[0], ys - centre[1])
            return np.arctan2(ys - centre[1], xs - centre[0]) * np.maximum(radius, 1.0)

        bands.append((collar, radiating))
    for side in (+1, -1):
        for band in _cuff_bands(design, side):
            cuff = np.zeros((size, size), np.uint8)
            cv2.fillPoly(cuff, [poly(band)], 255, cv2.LINE_AA)
            _, across = _sleeve_axes(design, side)
            bands.append((cuff, lambda xs, ys, across=across: xs * across[0] + ys * across[1]))
    for band in _waistband(design):
        waist = np.zeros((size, size), np.uint8)
        cv2.fillPoly(waist, [poly(band)], 255, cv2.LINE_AA)
        bands.append((waist, lambda xs, ys: xs))
    for band_mask, phase in bands:
        _blend_rib(design, rgb, shade, band_mask, phase)


def _cuff_bands(design: Design, side: int) -> list[np.ndarray]:
    if design.sleeve is None or design.cuff_rib <= 0:
        return []
    p = _key_points(design, side)
    along, _ = _sleeve_axes(design, side)
    back = -design.cuff_rib * along
    return [
        np.array([p["cuff_top"], p["cuff_bottom"], p["cuff_bottom"] + back, p["cuff_top"] + back])
    ]


def _waistband(design: Design) -> list[np.ndarray]:
    if design.waistband <= 0:
        return []
    centre = CANVAS_PX / 2
    top = design.hem_y - design.waistband
    inset = (
        (design.hem_half_width - design.body_half_width)
        * design.waistband
        / (design.hem_y - design.armpit_y)
    )
    return [
        np.array(
            [
                [centre - design.hem_half_width + inset - 1, top],
                [centre + design.hem_half_width - inset + 1, top],
                [centre + design.hem_half_width, design.hem_y + 6],
                [centre - design.hem_half_width, design.hem_y + 6],
            ]
        )
    ]


def line_window(shape: tuple[int, int], points: np.ndarray, s: int, reach: int):
    """(rows, columns) slices of a canvas ``shape`` (supersampled ``s`` times) holding a
    polyline through ``points`` (canvas px) and ``reach`` px round it. Its corner is at even
    pixels: np.round rounds halves to even, so a line drawn in the window with its points
    moved by an even offset falls on the pixels it would on the whole canvas."""
    x0, y0 = (np.floor(points.min(axis=0) * s).astype(int) - reach) // 2 * 2
    x1, y1 = np.ceil(points.max(axis=0) * s).astype(int) + reach + 1
    return slice(max(y0, 0), min(y1, shape[0])), slice(max(x0, 0), min(x1, shape[1]))


def line_mask(shape: tuple[int, int], points: np.ndarray, s: int, dashed: bool,
              origin: tuple[int, int] = (0, 0)) -> np.ndarray:  # fmt: skip
    """(h, w) uint8: a polyline through ``points`` (canvas px), drawn at ``s`` times on a
    mask whose top-left pixel is the supersampled canvas's ``origin`` (x, y)."""
    line = np.zeros(shape, np.uint8)
    pts = np.round(points * s).astype(np.int32) - np.array(origin, np.int32)
    if not dashed:
        cv2.polylines(line, [pts], False, 255, s, cv2.LINE_AA)
        return line
    for a, b in zip(pts[:-1], pts[1:], strict=True):
        count = max(1, int(np.linalg.norm(b - a) / (7 * s)))
        for i in range(count):
            p0 = a + (b - a) * (i / count)
            p1 = a + (b - a) * ((i + 0.55) / count)
            p0, p1 = tuple(np.round(p0).astype(int)), tuple(np.round(p1).astype(int))
            cv2.line(line, p0, p1, 255, s, cv2.LINE_AA)
    return line


def paint(rgb: np.ndarray, mask: np.ndarray, colour, opacity: float = 1.0) -> None:
    """Blends ``colour`` into ``rgb`` in place, as opaque as ``mask`` (uint8, 255: fully)
    times ``opacity``, within the mask's bounding box."""
    x, y, w, h = cv2.boundingRect(mask)
    t = (mask[y : y + h, x : x + w].astype(np.float32) / 255 * opacity)[..., None]
    window = rgb[y : y + h, x : x + w]
    window[:] = window * (1 - t) + np.array(colour, np.float32) * t


STITCH_LIFT = 1.2  # x s: the blur of the highlight beside a stitch line (sigma, px)


def stitch(
    rgb: np.ndarray, points: np.ndarray, s: int, dashed: bool = True, strength: float = 0.72
) -> None:
    """Draws a line of stitches (or a seam) on ``rgb``, in place: a slight darkening along a
    polyline, with a faint highlight just below it where the fabric rises over the seam
    allowance. Only the window the line and its highlight reach is touched."""
    reach = int(np.ceil(4 * STITCH_LIFT * s)) + 3 * s  # the blur's kernel, the shift, the line
    rows, cols = line_window(rgb.shape[:2], points, s, reach)
    window = rgb[rows, cols]
    line = line_mask(window.shape[:2], points, s, dashed, (cols.start, rows.start))
    line = line.astype(np.float32) / 255
    lift = np.roll(cv2.GaussianBlur(line, (0, 0), STITCH_LIFT * s), 2 * s, axis=0)
    t = line[..., None]
    window[:] = window * (1 - t) + window * strength * t
    window *= 1 + 0.06 * (1 - strength) / 0.28 * lift[..., None]


def _draw_seams(design: Design, rgb: np.ndarray, s: int) -> None:
    centre = CANVAS_PX / 2
    for side in (+1, -1):
        p = _key_points(design, side)
        if design.sleeve is not None:
            stitch(rgb, np.array([p["neck"], p["shoulder"]]), s, dashed=False, strength=0.8)
            t = np.linspace(0, 1, 16)[:, None]
            control = np.array(
                [p["shoulder"][0] - side * 6, (p["shoulder"][1] + p["armpit"][1]) / 2]
            )
            armhole = (1 - t) ** 2 * p["shoulder"] + 2 * t * (1 - t) * control + t**2 * p["armpit"]
            stitch(rgb, armhole, s, dashed=False, strength=0.8)
            if design.cuff_rib <= 0:  # hemmed sleeve: a double row of stitches near the cuff
                along, _ = _sleeve_axes(design, side)
                for offset in (12, 16):
                    stitch(
                        rgb,
                        np.array(
                            [p["cuff_top"] - offset * along, p["cuff_bottom"] - offset * along]
                        ),
                        s,
                    )
        # the side seam, a little inside the outline
        inward = np.array([-side * 3.0, 0.0])
        bottom = p["hem"] - np.array([0.0, design.waistband + 4])
        stitch(rgb, np.array([p["armpit"] + inward, bottom + inward]), s, False, 0.86)
    if design.waistband <= 0:
        for offset in (14, 18):
            y = design.hem_y - offset
            stitch(
                rgb,
                np.array(
                    [
                        [centre - design.hem_half_width + 6, y],
                        [centre + design.hem_half_width - 6, y],
                    ]
                ),
                s,
            )
    if not design.polo_collar:
        front = _neckline(design, design.front_neck_depth) + np.array([0, design.rib_width + 3])
        stitch(rgb, front, s)


def _draw_pocket(design: Design, rgb: np.ndarray, s: int) -> None:
    centre = CANVAS_PX / 2
    top, bottom = design.hem_y - design.waistband - 190, design.hem_y - design.waistband - 18
    half_top, half_bottom = 70, 118
    pocket = np.array(
        [
            [centre - half_top, top],
            [centre + half_top, top],
            [centre + half_bottom, bottom - 60],
            [centre + half_bottom, bottom],
            [centre - half_bottom, bottom],
            [centre - half_bottom, bottom - 60],
        ]
    )
    mask = np.zeros(rgb.shape[:2], np.uint8)
    cv2.fillPoly(mask, [np.round(pocket * s).astype(np.int32)], 255, cv2.LINE_AA)
    inside = cv2.distanceTransform((mask > 127).astype(np.uint8), cv2.DIST_L2, 5) / s
    # the pocket's raised edge casts a soft shadow inward; its openings are darker slits
    shade = 1 - 0.12 * np.exp(-inside / 5.0) * (mask > 0)
    rgb *= shade[..., None]
    for side in (+1, -1):
        slit = np.array(
            [[centre + side * half_top, top], [centre + side * half_bottom, bottom - 60]]
        )
        stitch(rgb, slit, s, dashed=False, strength=0.55)
    stitch(rgb, pocket[[3, 4]] + np.array([0, -8]), s)


def _draw_hood_details(design: Design, rgb: np.ndarray, s: int) -> None:
    centre = CANVAS_PX / 2
    hood = _hood_outline(design)
    # the centre seam over the crown of the hood
    stitch(
        rgb,
        np.array([[centre, hood[:, 1].min() + 4], [centre, design.neck_y + 8]]),
        s,
        dashed=False,
        strength=0.8,
    )
    # drawcords with metal tips, hanging from the neckline
    for side in (+1, -1):
        x0 = centre + side * 24
        y0 = design.neck_y + design.front_neck_depth - 6
        cord = np.array([[x0, y0], [x0 + side * 4, y0 + 60], [x0 + side * 2, y0 + 130]])
        mask = np.zeros(rgb.shape[:2], np.uint8)
        cv2.polylines(mask, [np.round(cord * s).astype(np.int32)], False, 255, 6 * s, cv2.LINE_AA)
        paint(rgb, mask, (236, 236, 232))
        tip = np.zeros(rgb.shape[:2], np.uint8)
        cv2.line(
            tip,
            tuple(np.round(cord[-1] * s).astype(int)),
            tuple(np.round((cord[-1] + [0, 16]) * s).astype(int)),
            255,
            7 * s,
            cv2.LINE_AA,
        )
        paint(rgb, tip, (190, 190, 196))
        eyelet = tuple(np.round(np.array([x0, y0]) * s).astype(int))
        cv2.circle(rgb, eyelet, 6 * s, (150, 150, 156), 2 * s, cv2.LINE_AA)


def _collar_stand(design: Design) -> np.ndarray:
    """The polo collar's band standing up round the back of the neck (part of the silhouette)."""
    back = _neckline(design, design.back_neck_depth)
    top = back + np.array([0.0, -10.0])
    return np.concatenate([back, top[::-1]])


def _collar_leaf(design: Design, side: int) -> np.ndarray:
    """One flat leaf of a polo collar, folded down over the shoulder towards the placket."""
    centre = CANVAS_PX / 2
    y = design.neck_y
    w = design.neck_half_width
    return np.array(
        [
            [centre + side * 2, y - 10],
            [centre + side * (w + 16), y - 4],
            [centre + side * (w + 22), y + 10],
            [centre + side * 40, y + design.front_neck_depth + 30],
            [centre + side * 6, y + design.front_neck_depth + 2],
            [centre + side * (w * 0.55), y + 8],
        ]
    )


def _draw_polo_collar(design: Design, rgb: np.ndarray, shade: np.ndarray, s: int, poly) -> None:
    """Placket with buttons, then the two collar leaves with a soft shadow under them: drawn
    on ``rgb`` in place."""
    centre = CANVAS_PX / 2
    size = rgb.shape[0]
    top = design.neck_y + design.front_neck_depth
    placket = np.array([[centre - 13, top], [centre + 13, top], [centre + 13, top + 118],
                        [centre - 13, top + 118]])  # fmt: skip
    stitch(rgb, placket[[1, 2, 3, 0]], s, dashed=False, strength=0.75)
    stitch(rgb, placket[[1, 2, 3, 0]] + np.array([[-4, 0], [-4, -4], [4, -4], [4, 0]]), s)
    for i in range(design.buttons):
        c = np.array([centre, top + 34 + i * 46]) * s
        cv2.circle(rgb, tuple(np.round(c + 1.5 * s).astype(int)), 7 * s, (0, 0, 0), -1, cv2.LINE_AA)
        np.clip(rgb, 0, None, out=rgb)
        cv2.circle(rgb, tuple(np.round(c).astype(int)), 7 * s, (228, 226, 218), -1, cv2.LINE_AA)
        for dx, dy in ((-2, -2), (2, -2), (-2, 2), (2, 2)):
            hole = tuple(np.round(c + np.array([dx, dy]) * s).astype(int))
            cv2.circle(rgb, hole, s, (150, 148, 140), -1, cv2.LINE_AA)
    leaves = np.zeros((size, size), np.uint8)
    for side in (+1, -1):
        cv2.fillPoly(leaves, [poly(_collar_leaf(design, side))], 255, cv2.LINE_AA)
    stand = np.zeros_like(leaves)
    cv2.fillPoly(stand, [poly(_collar_stand(design))], 255, cv2.LINE_AA)
    leaves = np.maximum(leaves, stand)
    t = (leaves.astype(np.float32) / 255)[..., None]
    shadow = np.roll(cv2.GaussianBlur(t[..., 0], (0, 0), 3 * s), (3 * s, 2 * s), axis=(0, 1))
    rgb *= (1 - 0.35 * np.clip(shadow - t[..., 0], 0, 1))[..., None]
    inside = cv2.distanceTransform((leaves > 127).astype(np.uint8), cv2.DIST_L2, 5) / s
    collar_shade = shade * (1 - 0.12 * np.exp(-inside / 4.0))
    _blend_rib(design, rgb, collar_shade, leaves, lambda xs, ys: xs * 0.7 + ys * 0.7)
    for side in (+1, -1):
        leaf = _collar_leaf(design, side)
        stitch(rgb, leaf[[1, 2, 3]] - np.array([side * 4.0, -3.0]), s, strength=0.85)
