"""Named landmarks of a garment, found from its silhouette and, where that is silent, its picture.

A garment laid flat (or on an invisible mannequin) is seen from the front, so the wearer's left
is on the image right. The detector reads the garment the way a pattern cutter would: first the
body panel (its hem and its two side seams), then whatever is attached outside it (sleeves or
straps), and only then the points that join them. Every step is a simple geometric rule on the
outline; the photo itself is only read for the front neckline and for a seam hidden under a
sleeve lying against the body. Thresholds are named in config.LandmarkConfig.
The stages live in silhouette.py (1-3), sides.py (4-5), sleeves.py (6-8) and
photo.py (what is read from the photo).

1. Clean-up: ties, bows and hanging straps (parts much thinner than the garment that hang
   below the body) are taken off the mask, so they are never read as the hem or a sleeve. The
   gap between a long sleeve and the body, where the cuff rests on the body and closes it off
   (a hole in the mask, which openings.py keeps open), is opened to the outside there, so
   that the outline runs up it to the armpit as it runs up a gap the cuff leaves open.
2. Centre line: the axis about which the silhouette is most nearly mirror-symmetric. Each side
   is then measured in its own mirrored half, with ``u`` the distance out from the centre line.
3. Neck: the dent in the top edge around the centre line; its rims are the neck points. The
   front neckline (NECK_CENTER) is that dent's bottom if it is deep, else (the inside of the
   back shows through the opening) the first clear colour edge below it on the centre line
   that has the garment's own colour below and the unlike inside of the back above (so a
   print or a label is no neckline), else a crew neck's typical depth.
4. Hem corners: the bottom edge is followed outwards from the centre line for as long as it is
   a hem (no steeper than 60 degrees, no step). It ends at the body's side, or where a sleeve
   hanging beside the body starts; a tie hanging over the hem, or a small fold in it, is
   stepped over when the hem goes on past it; a bodysuit's crotch is followed up the leg
   opening to the hip. A hem blocked by a wide tie or a wrap's overlap well inside the other
   side's corner takes that corner's width.
5. Side seam: followed up the outline from the hem corner for as long as it runs roughly
   upwards (kinks such as a side slit are stepped over, but not one after which the outline
   runs on up a sleeve's reach further out: a short sleeve's underside). Where it turns (the
   knee of the outline) the visible side ends: at the armpit of a short sleeve, at the bottom
   of an armhole, or - when a long sleeve hangs beside the body - at the top of the gap between
   them or where the sleeve's cuff rests on the body. A side that runs on up to the top (a
   halter, a bra, a shallow armhole) with no sleeve sticking out past it has its armpit at the
   knee of its upper half, or, if that is straight, where its strap widens into the body. The
   line fitted to the visible side (vertical when too little of it shows) is the body panel's
   edge.
6. What sticks out past the side's end decides each side: little (straps: sleeveless), a
   sleeve whose underside leaves the side at the knee (armpit = the knee), or a sleeve lying
   against the body: its underside runs steeply down from the knee (the gap under a hanging
   sleeve, followed up to the tip the cut-out lost), or it leaves little side visible below a
   long, narrow sleeve. There the armpit is the gap's top if that is near where an armpit
   belongs, else it is hidden, and put on the side line ``armpit_typical_drop`` shoulder
   widths below the shoulder line. When the side is hidden under the sleeve, the photo is searched
   for the seam: the straight line a sleeve's width inside the sleeve's outer edge along
   which the colour changes most steadily, with the same fabric on both sides (so a stripe's
   edge is no seam); if one stands out it is the side line. A side whose outline runs from
   the shoulder straight out to the hem like a sleeve's outer edge is searched the same way
   (a sleeve whose cuff rests on the hem corner), and so is every side read as a strap of a
   garment the user says has sleeves (long sleeves lying over the sides of a straight body
   leave the outline of a sleeveless top).
7. Shoulders: for a short sleeve, the corner where the shoulder line meets the sleeve's top
   edge (the outline's knee), but not inboard of the armpit nor far out on a flat top edge
   (off-shoulder tops), else on the top edge above the armpit; for a sleeve lying against the
   body, the corner where the shoulder line turns down into the sleeve's outer edge; for
   straps, the strap's outer top corner, or the neck rim for a halter, whose straps meet at the
   neck. A garment is symmetric: a side whose armpit lies far higher than the other's (an
   armhole the cut-out filled in) takes the other's shoulder and armpit, mirrored.
8. Sleeve: what lies outside the armhole line (shoulder to armpit), the side line and the hem
   corner, and hangs from the armhole (a dress's hips may bulge past its side line too). Its
   cuff is the far end along the sleeve's axis, the cuff width its widest cross-section there.
   Sleeveless: the middle of the armhole, and the armhole's length.

The category follows from the sleeve length against the chest width (3/4 and long sleeves are
long-sleeve; a cropped top's short body does not make short sleeves long), the body's length
against its width (a dress) and a hood rising above the shoulders (outerwear: with a hood, a
sleeve between short and long is long).

    found = find_landmarks(alpha, rgb)
    found.points        # (11, 2) float32, rows indexed by GarmentPoint
    found.cuff_widths   # (2,) float32, [left, right]
    found.category      # Category
"""

from dataclasses import dataclass

import cv2
import numpy as np

from .config import LANDMARKS, LandmarkConfig
from .photo import Picture, find_hidden_seams, front_neckline
from .shapes import outer_contour
from .sides import balance_hems, hem_corner, measure_side
from .silhouette import (
    LEFT,
    RIGHT,
    Box,
    find_dents,
    largest_part,
    mirrored_half,
    neck_points,
    opened_sleeve_gaps,
    symmetry_axis,
    typical_neck,
    without_hanging_parts,
)
from .sleeves import (
    agree_shoulders,
    agree_sides,
    classify_arms,
    has_armhole,
    measure_sleeve,
    place_hidden_armpits,
    place_shoulder,
)
from .types import Category, GarmentPoint, Landmarks


def find_landmarks(
    alpha: np.ndarray, rgb: np.ndarray, cfg: LandmarkConfig = LANDMARKS, sleeved: bool = False
) -> Landmarks:
    """Landmarks, cuff widths and category of the garment whose mask is ``alpha >= 128``.

    ``sleeved``: the user says it has sleeves, so a side read as a strap is searched for the
    seam of a sleeve lying over the body's side, whatever its outline (see stage 6)."""
    scale = min(1.0, cfg.work_long_side_px / max(alpha.shape))
    mask = cv2.resize(alpha, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) >= 128
    mask = largest_part(mask)
    mask = opened_sleeve_gaps(without_hanging_parts(mask, cfg), cfg)
    small = cv2.resize(rgb, (mask.shape[1], mask.shape[0]), interpolation=cv2.INTER_AREA)
    box = Box.of(mask)

    centre_x = symmetry_axis(mask, cfg)
    contour = outer_contour(mask)
    dents = find_dents(contour, cfg.min_dent_depth_frac * max(box.height, box.width))
    opening = neck_points(mask, centre_x, dents, box, cfg)
    neck_left, neck_right = opening or typical_neck(mask, centre_x, box, cfg)
    picture = Picture.of(small)
    neck_center = front_neckline(picture, mask, box, centre_x, neck_left, neck_right, cfg)

    centre_col = int(round(centre_x))
    halves = [mirrored_half(mask, centre_col, sign) for sign in (LEFT, RIGHT)]
    hems = balance_hems([hem_corner(half, box, cfg) for half in halves], cfg)
    sides = [
        measure_side(half, centre_col, sign, neck, hem, box, cfg)
        for half, sign, neck, hem in zip(
            halves, (LEFT, RIGHT), (neck_left, neck_right), hems, strict=True
        )
    ]
    classify_arms(sides, box, cfg)
    for side in sides:
        place_shoulder(side, box, cfg)
    agree_shoulders(sides, box, cfg)
    find_hidden_seams(sides, picture, box, cfg, sleeved)
    place_hidden_armpits(sides, cfg)
    sides_differed = agree_sides(sides, box, cfg)
    for side in sides:
        measure_sleeve(side, cfg)

    points = np.zeros((len(GarmentPoint), 2), np.float32)
    cuffs = np.zeros(2, np.float32)
    for side, names, column in ((sides[0], _LEFT_NAMES, 0), (sides[1], _RIGHT_NAMES, 1)):
        points[names.neck] = side.to_image(side.neck)
        points[names.shoulder] = side.to_image(side.shoulder)
        points[names.armpit] = side.to_image(side.armpit)
        points[names.sleeve] = side.to_image(side.cuff)
        points[names.hem] = side.to_image(side.hem)
        cuffs[column] = side.cuff_width
    points[GarmentPoint.NECK_CENTER] = neck_center

    neck_y = max(neck_left[1], neck_right[1])
    lengths = [s.sleeve_length for s in sides]
    chest = max(sides[0].armpit[0] + sides[1].armpit[0], 1.0)
    armhole = any(has_armhole(side, chest, cfg) for side in sides)
    category, doubt = _category(
        points, lengths, neck_y, box.top, sides_differed, armhole, opening is not None, cfg
    )
    return Landmarks(points / scale, cuffs / scale, category, doubt)


@dataclass(frozen=True)
class _SideNames:
    neck: int
    shoulder: int
    armpit: int
    sleeve: int
    hem: int


_LEFT_NAMES = _SideNames(
    GarmentPoint.NECK_LEFT,
    GarmentPoint.SHOULDER_LEFT,
    GarmentPoint.ARMPIT_LEFT,
    GarmentPoint.SLEEVE_LEFT,
    GarmentPoint.HEM_LEFT,
)


_RIGHT_NAMES = _SideNames(
    GarmentPoint.NECK_RIGHT,
    GarmentPoint.SHOULDER_RIGHT,
    GarmentPoint.ARMPIT_RIGHT,
    GarmentPoint.SLEEVE_RIGHT,
    GarmentPoint.HEM_RIGHT,
)


SLEEVES_BETWEEN = "its sleeves are between short and long ({ratio:.2f} x the chest width)"
LENGTH_BETWEEN = "it is between a long top and a dress in length ({ratio:.1f} x its width)"
FLARE_BETWEEN = "its hem flares out to {ratio:.1f} x its chest, as a skirt's or a flared top's may"
# A garment is symmetric: sides read as different kinds mean one of them was misread.
ONE_SIDE_SLEEVELESS = "one of its sides reads as sleeveless, the other as a sleeve"
NO_ARMHOLE = (
    "no armhole was found below its shoulders, as when long sleeves lie over its sides or "
    "short sleeves are cut in one with its body"
)
# A skirt whose hips round out just below its waistband has a sleeveless top's outline, but
# no neck opening.
NO_NECK = "no neck opening was found in its top edge, as on a skirt or a strapless top or dress"
# A hooded top read without long sleeves may have them lying over its sides.
HOOD_WITHOUT_LONG_SLEEVES = "it has a hood, and hooded tops have long sleeves"
ARMPIT_INSIDE = (
    "an armpit was found less than halfway out from its middle to its shoulder, inside its "
    "body, as when sleeves lying over its sides hide them"
)


def _category(
    points: np.ndarray,
    sleeve_lengths: list[float],
    neck_y: float,
    top: float,
    sides_differed: bool,
    armhole: bool,
    neck_opening: bool,
    cfg: LandmarkConfig,
) -> tuple[Category, str | None]:
    """Category from the proportions: sleeve length against the chest width (a cropped top's
    short body would make any sleeve look long; with a hood, from the doubt band's lower end),
    a hood rising above the neck, a long body (or a shorter one whose hem flares out like a
    skirt: a knee-length A-line dress); and a doubt when a proportion lies within
    ``category_doubt_band`` of its threshold, or when one side has a sleeve and the other
    none (the garment is then read as sleeveless), or had before the sides were made to agree
    (``sides_differed``), or when a sleeveless garment has no ``armhole`` on either side (long
    sleeves lying over its sides leave it the outline of a sleeveless top with none: see
    sleeves.has_armhole), and when a garment without sleeves has no ``neck_opening`` (a skirt
    whose hips round out below its waistband, which kind.py did not take for a waistband, or a
    strapless top: the outline alone cannot tell them apart), and when an armpit lies far
    inside its shoulder (found inside the body, the chest and all it measures is wrong), and
    when a garment read as sleeveless or short-sleeved has a hood (hooded tops have long
    sleeves: of the shared photos and drawings read so, only hoodies rose a hood's height above
    their neck points; the tees and polos rose at most 0.1 of their body's length)."""
    shoulders_y = (
        points[GarmentPoint.SHOULDER_LEFT, 1] + points[GarmentPoint.SHOULDER_RIGHT, 1]
    ) / 2
    hem_y = (points[GarmentPoint.HEM_LEFT, 1] + points[GarmentPoint.HEM_RIGHT, 1]) / 2
    body_length = max(hem_y - shoulders_y, 1.0)
    chest = max(points[GarmentPoint.ARMPIT_LEFT, 0] - points[GarmentPoint.ARMPIT_RIGHT, 0], 1.0)
    sleeve = float(np.mean(sleeve_lengths)) / chest
    length = body_length / chest
    flare = (points[GarmentPoint.HEM_LEFT, 0] - points[GarmentPoint.HEM_RIGHT, 0]) / chest
    flared = flare >= cfg.flared_dress_min_flare
    hood = (neck_y - top) / body_length  # how far the garment rises above the neck points
    # Hoodies and hooded jackets have long sleeves: with a hood, a sleeve between short and
    # long (within the doubt band below the threshold; a boxy body's wide chest shortens it)
    # is read as long, and the doubt below still says so.
    hooded_long_min = cfg.long_sleeve_min * (1 - cfg.category_doubt_band)

    if sleeve >= hooded_long_min and hood >= cfg.hood_min_rise:
        category = Category.OUTERWEAR
    elif length >= cfg.dress_min_length_to_width or (
        flared and length >= cfg.flared_dress_min_length
    ):
        category = Category.DRESS
    elif min(sleeve_lengths) <= 0.0:
        category = Category.SLEEVELESS
    elif sleeve >= cfg.long_sleeve_min:
        category = Category.LONG_SLEEVE
    else:
        category = Category.SHORT_SLEEVE

    def near(ratio: float, threshold: float) -> bool:
        return abs(ratio / threshold - 1.0) < cfg.category_doubt_band

    doubts = []
    if min(sleeve_lengths) > 0.0 and near(sleeve, cfg.long_sleeve_min):
        doubts.append(SLEEVES_BETWEEN.format(ratio=sleeve))
    if min(sleeve_lengths) <= 0.0 < max(sleeve_lengths) or sides_differed:
        doubts.append(ONE_SIDE_SLEEVELESS)
    # a flared garment is a dress from the shorter length on
    dress_length = cfg.flared_dress_min_length if flared else cfg.dress_min_length_to_width
    if near(length, dress_length):
        doubts.append(LENGTH_BETWEEN.format(ratio=length))
    between = cfg.flared_dress_min_length <= length < cfg.dress_min_length_to_width
    if between and near(flare, cfg.flared_dress_min_flare):
        doubts.append(FLARE_BETWEEN.format(ratio=flare))
    if category == Category.SLEEVELESS and not armhole:
        doubts.append(NO_ARMHOLE)
    if category in (Category.SLEEVELESS, Category.SHORT_SLEEVE) and hood >= cfg.hood_min_rise:
        doubts.append(HOOD_WITHOUT_LONG_SLEEVES)
    if min(sleeve_lengths) <= 0.0 and not neck_opening:
        doubts.append(NO_NECK)
    if _armpit_inside(points, cfg):
        doubts.append(ARMPIT_INSIDE)
    return category, "; ".join(doubts) or None


def _armpit_inside(points: np.ndarray, cfg: LandmarkConfig) -> bool:
    """Whether an armpit lies less than ``min_armpit_reach`` of the way out from the middle
    (between the shoulders) to its shoulder."""
    middle = (points[GarmentPoint.SHOULDER_LEFT, 0] + points[GarmentPoint.SHOULDER_RIGHT, 0]) / 2
    for names in (_LEFT_NAMES, _RIGHT_NAMES):
        shoulder = points[names.shoulder, 0] - middle
        if abs(points[names.armpit, 0] - middle) < cfg.min_armpit_reach * abs(shoulder):
            return True
    return False
