"""Drawing the project's own sample garments: product-style renderings from a few measurements.

Each ``Design`` is a garment pattern in pixels of a square canvas, seen from the front: neck,
shoulders, sleeves, body and hem, plus its fabric (colour, stripes, knit), trims (rib collar,
cuffs, waistband) and details (hood, pocket, drawcords). ``render`` draws it supersampled, with
knit texture, soft folds, edge shading and stitched seams, and returns an RGBA image.
``design_landmarks`` gives the landmarks the drawing was built from, so a test can check the
landmark detector against them.

    rgba = render(DESIGNS[0])
    truth = design_landmarks(DESIGNS[0])    # (11, 2), rows indexed by GarmentPoint
"""

from dataclasses import dataclass

import cv2
import numpy as np

from .landmarks import Category, GarmentPoint

CANVAS_PX = 768  # side of the square canvas every design is drawn on
SUPERSAMPLE = 2  # drawn at this multiple, then scaled down for clean edges
HOOD_BASE_WIDTH = 1.45  # a hood's base is this much wider than the neck opening


@dataclass(frozen=True)
class Sleeve:
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
    sleeve: Sleeve | None  # None: sleeveless
    trim_colour: tuple[int, int, int] | None = None  # rib collar, cuffs, waistband
    stripe_colour: tuple[int, int, int] | None = None  # horizontal stripes on the main fabric
    stripe_period: float = 28.0
    rib_width: float = 14.0  # collar rib
    cuff_rib: float = 0.0  # knitted cuff height (0: hemmed sleeve)
    waistband: float = 0.0  # knitted waistband height (0: hemmed body)
    hood: bool = False
    pocket: bool = False
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
        shoulder_half_width=168,
        shoulder_drop=30,
        armpit_y=290,
        body_half_width=158,
        hem_y=650,
        hem_half_width=162,
        sleeve=Sleeve(length=150, angle_deg=32, cuff_width=112),
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
        sleeve=Sleeve(length=440, angle_deg=70, cuff_width=78),
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
        shoulder_half_width=150,
        shoulder_drop=28,
        armpit_y=330,
        body_half_width=140,
        hem_y=700,
        hem_half_width=136,
        sleeve=Sleeve(length=400, angle_deg=70, cuff_width=80),
        trim_colour=(58, 62, 70),
        cuff_rib=34,
        waistband=44,
        hood=True,
        pocket=True,
        seed=4,
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
        angle = np.radians(design.sleeve.angle_deg)
        along = np.array([side * np.cos(angle), np.sin(angle)])
        across = np.array([-side * np.sin(angle), np.cos(angle)])  # from top edge towards body
        points["cuff_top"] = points["shoulder"] + design.sleeve.length * along
        points["cuff_bottom"] = points["cuff_top"] + design.sleeve.cuff_width * across
    return points


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
            # the armhole: a deep curve from the strap top down to the armpit
            t = np.linspace(0, 1, 12)[1:-1, None]
            control = np.array([p["shoulder"][0] - side * 14, p["armpit"][1]])
            curve = (1 - t) ** 2 * p["shoulder"] + 2 * t * (1 - t) * control + t**2 * p["armpit"]
            path += list(curve)
        path += [p["armpit"], p["hem"]]
        half.append(path)
    right_half, left_half = half  # image right, image left
    hem_dip = np.array([CANVAS_PX / 2, design.hem_y + 4])
    back_neck = _neckline(design, design.back_neck_depth)  # image left -> image right
    polygon = list(back_neck) + right_half[1:] + [hem_dip] + left_half[::-1][:-1]
    return np.array(polygon, np.float64)


def design_landmarks(design: Design) -> np.ndarray:
    """The landmarks the design was drawn from: (11, 2) float32, rows indexed by GarmentPoint."""
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
            landmarks[GarmentPoint[f"SLEEVE_{suffix}"]] = (p["shoulder"] + p["armpit"]) / 2
    landmarks[GarmentPoint.NECK_CENTER] = (CANVAS_PX / 2, design.neck_y + design.front_neck_depth)
    return landmarks


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
    hood = np.zeros_like(mask)
    if design.hood:
        cv2.fillPoly(hood, [poly(_hood_outline(design))], 255, cv2.LINE_AA)
        mask = np.maximum(mask, hood)

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
    shade = np.where(inside > 0, shade * 0.62, shade)

    trims = np.zeros_like(mask)
    front = _neckline(design, design.front_neck_depth)
    rib_lower = front + np.array([0, design.rib_width])
    cv2.fillPoly(trims, [poly(np.concatenate([front, rib_lower[::-1]]))], 255, cv2.LINE_AA)
    if design.sleeve is None:  # binding round the armholes and the neck, down to the armpits
        binding = np.zeros_like(mask)
        width = int(design.rib_width * s * 0.8)
        cv2.polylines(binding, [poly(_outline(design))], True, 255, width, cv2.LINE_AA)
        binding[int(design.armpit_y * s) :] = 0
        trims = np.maximum(trims, binding & mask)
    for band in _cuff_bands(design) + _waistband(design):
        cv2.fillPoly(trims, [poly(band)], 255, cv2.LINE_AA)

    rgb = colour * shade[..., None]
    if design.trim_colour is not None:
        rib = _rib_texture(design, size) * shade[..., None]
        t = (trims.astype(np.float32) / 255)[..., None]
        rgb = rgb * (1 - t) + rib * t
        # inside of the back stays in shadow even where the rib overlaps it
    if design.pocket:
        rgb = _draw_pocket(design, rgb, s)
    rgb = _draw_seams(design, rgb, s)
    if design.hood:
        rgb = _draw_hood_details(design, rgb, s)

    rgba = np.dstack([np.clip(rgb, 0, 255).astype(np.uint8), mask])
    return cv2.resize(rgba, (CANVAS_PX, CANVAS_PX), interpolation=cv2.INTER_AREA)


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
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32)
    base = np.empty((size, size, 3), np.float32)
    base[:] = design.colour
    if design.stripe_colour is not None:
        stripe = ((ys / s - design.neck_y) % design.stripe_period) < design.stripe_period * 0.45
        soft = cv2.GaussianBlur(stripe.astype(np.float32), (0, 0), 0.8 * s)[..., None]
        base = base * (1 - soft) + np.array(design.stripe_colour, np.float32) * soft
    # Knit: fine columns of loops and a little heathered noise.
    loops = 1 + 0.035 * np.sin(xs / s * 2 * np.pi / 3.2) * np.sin(ys / s * 2 * np.pi / 4.0)
    heather = cv2.GaussianBlur(rng.normal(0, 1, (size, size)).astype(np.float32), (0, 0), 0.7 * s)
    return base * (loops + 0.05 * heather)[..., None]


def _rib_texture(design: Design, size: int) -> np.ndarray:
    s = SUPERSAMPLE
    xs = np.arange(size, dtype=np.float32)[None, :]
    ribs = 1 + 0.09 * np.sin(xs / s * 2 * np.pi / 4.0)
    colour = np.array(design.trim_colour, np.float32)
    return np.broadcast_to(colour, (size, size, 3)) * np.broadcast_to(ribs, (size, size))[..., None]


def _shading(design: Design, mask: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Soft light: broad folds, diagonal drape from the armpits, darker towards the edges."""
    s = SUPERSAMPLE
    size = mask.shape[0]
    folds = cv2.GaussianBlur(rng.normal(0, 1, (size // 8, size // 8)).astype(np.float32), (0, 0), 6)
    folds = cv2.resize(folds / (folds.std() + 1e-6), (size, size), interpolation=cv2.INTER_CUBIC)
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32) / s
    drape = np.zeros((size, size), np.float32)
    for side in (+1, -1):
        p = _key_points(design, side)
        for k in range(3):  # a few diagonal creases running in from each armpit
            ax, ay = p["armpit"][0] - side * (20 + 25 * k), p["armpit"][1] + 30 + 45 * k
            direction = np.array([-side * 0.8, 0.6])
            distance = (xs - ax) * direction[1] - (ys - ay) * direction[0]
            along = (xs - ax) * direction[0] + (ys - ay) * direction[1]
            drape -= (
                np.exp(-(distance**2) / (2 * 9.0**2))
                * np.exp(-np.maximum(along, 0) / 90)
                * (along > -10)
            )
    inside = cv2.distanceTransform((mask > 127).astype(np.uint8), cv2.DIST_L2, 5) / s
    edge = 1 - 0.22 * np.exp(-inside / 10.0)
    light = 1 + 0.05 * (0.5 - ys / CANVAS_PX)
    return (1 + 0.025 * folds + 0.08 * drape) * edge * light


def _cuff_bands(design: Design) -> list[np.ndarray]:
    if design.sleeve is None or design.cuff_rib <= 0:
        return []
    bands = []
    for side in (+1, -1):
        p = _key_points(design, side)
        angle = np.radians(design.sleeve.angle_deg)
        back = -design.cuff_rib * np.array([side * np.cos(angle), np.sin(angle)])
        bands.append(
            np.array(
                [p["cuff_top"], p["cuff_bottom"], p["cuff_bottom"] + back, p["cuff_top"] + back]
            )
        )
    return bands


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


def _stitch(
    rgb: np.ndarray, points: np.ndarray, s: int, dashed: bool = True, strength: float = 0.72
) -> np.ndarray:
    """A line of stitches (or a seam line) drawn as a slight darkening along a polyline."""
    line = np.zeros(rgb.shape[:2], np.uint8)
    pts = np.round(points * s).astype(np.int32)
    if dashed:
        for a, b in zip(pts[:-1], pts[1:], strict=True):
            length = np.linalg.norm(b - a)
            count = max(1, int(length / (7 * s)))
            for i in range(count):
                p0 = a + (b - a) * (i / count)
                p1 = a + (b - a) * ((i + 0.55) / count)
                cv2.line(
                    line,
                    tuple(np.round(p0).astype(int)),
                    tuple(np.round(p1).astype(int)),
                    255,
                    s,
                    cv2.LINE_AA,
                )
    else:
        cv2.polylines(line, [pts], False, 255, s, cv2.LINE_AA)
    t = (line.astype(np.float32) / 255)[..., None]
    return rgb * (1 - t) + rgb * strength * t


def _draw_seams(design: Design, rgb: np.ndarray, s: int) -> np.ndarray:
    centre = CANVAS_PX / 2
    for side in (+1, -1):
        p = _key_points(design, side)
        if design.sleeve is not None:
            rgb = _stitch(rgb, np.array([p["neck"], p["shoulder"]]), s, dashed=False, strength=0.8)
            t = np.linspace(0, 1, 16)[:, None]
            control = np.array(
                [p["shoulder"][0] - side * 6, (p["shoulder"][1] + p["armpit"][1]) / 2]
            )
            armhole = (1 - t) ** 2 * p["shoulder"] + 2 * t * (1 - t) * control + t**2 * p["armpit"]
            rgb = _stitch(rgb, armhole, s, dashed=False, strength=0.8)
            if design.cuff_rib <= 0:  # hemmed sleeve: a double row of stitches near the cuff
                angle = np.radians(design.sleeve.angle_deg)
                back = np.array([side * np.cos(angle), np.sin(angle)])
                for offset in (12, 16):
                    rgb = _stitch(
                        rgb,
                        np.array([p["cuff_top"] - offset * back, p["cuff_bottom"] - offset * back]),
                        s,
                    )
    if design.waistband <= 0:
        for offset in (14, 18):
            y = design.hem_y - offset
            rgb = _stitch(
                rgb,
                np.array(
                    [
                        [centre - design.hem_half_width + 6, y],
                        [centre + design.hem_half_width - 6, y],
                    ]
                ),
                s,
            )
    front = _neckline(design, design.front_neck_depth) + np.array([0, design.rib_width + 3])
    rgb = _stitch(rgb, front, s)
    return rgb


def _draw_pocket(design: Design, rgb: np.ndarray, s: int) -> np.ndarray:
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
    rgb = rgb * shade[..., None]
    for side in (+1, -1):
        slit = np.array(
            [[centre + side * half_top, top], [centre + side * half_bottom, bottom - 60]]
        )
        rgb = _stitch(rgb, slit, s, dashed=False, strength=0.55)
    rgb = _stitch(rgb, pocket[[3, 4]] + np.array([0, -8]), s)
    return rgb


def _draw_hood_details(design: Design, rgb: np.ndarray, s: int) -> np.ndarray:
    centre = CANVAS_PX / 2
    hood = _hood_outline(design)
    # the centre seam over the crown of the hood
    rgb = _stitch(
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
        t = (mask.astype(np.float32) / 255)[..., None]
        rgb = rgb * (1 - t) + np.array([236, 236, 232], np.float32) * t
        tip = np.zeros(rgb.shape[:2], np.uint8)
        cv2.line(
            tip,
            tuple(np.round(cord[-1] * s).astype(int)),
            tuple(np.round((cord[-1] + [0, 16]) * s).astype(int)),
            255,
            7 * s,
            cv2.LINE_AA,
        )
        t = (tip.astype(np.float32) / 255)[..., None]
        rgb = rgb * (1 - t) + np.array([190, 190, 196], np.float32) * t
        eyelet = tuple(np.round(np.array([x0, y0]) * s).astype(int))
        cv2.circle(rgb, eyelet, 6 * s, (150, 150, 156), 2 * s, cv2.LINE_AA)
    return rgb
