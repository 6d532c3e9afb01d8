"""Bottoms told from tops: synthetic silhouettes of every kind, and the shared product photos."""

import cv2
import numpy as np
import pytest
from shared_dir import SHARED_DIR
from synthetic import tshirt
from test_clothes_garment import sanity_problems

import clothes.garment
from clothes import BottomPoint, Category, Garment, GarmentError, GarmentPoint
from clothes.bottoms import RISE_PER_WAIST
from clothes.config import GARMENT, KIND
from clothes.garment import GRID_DISAGREES, MIRROR_DISAGREES, MIRROR_UNREADABLE
from clothes.kind import FLAT_SKIRT, LEGS_BETWEEN, NO_CROTCH, read_bottoms
from clothes.landmarks import ONE_SIDE_SLEEVELESS, find_landmarks
from clothes.types import Landmarks
from tools.contact_sheet import labels_of
from tools.garment_variants import on_a_hanger

CANVAS = (720, 640)  # height, width
B = BottomPoint

# Outlines drawn by hand, (x, y) on the canvas; the wearer's left is on the image right.
SHAPES = {
    "trousers": [(200, 60), (440, 60), (450, 260), (465, 680), (335, 680), (320, 310),
                 (305, 680), (175, 680), (190, 260)],
    "trousers, legs together": [(200, 60), (440, 60), (455, 680), (185, 680)],
    "trousers, waistband seen from above": [(200, 75), (260, 52), (320, 45), (380, 52),
                                            (440, 75), (450, 260), (465, 680), (335, 680),
                                            (320, 310), (305, 680), (175, 680), (190, 260)],
    # wide legs laid apart from a high crotch: the gap between them reaches into the hips' rows
    "trousers, legs apart from high up": [(200, 60), (440, 60), (480, 680), (370, 680), (320, 190),
                                          (270, 680), (160, 680)],
    "shorts": [(190, 200), (450, 200), (475, 420), (340, 440), (320, 370), (300, 440),
               (165, 420)],
    # its back showing above its front: the top edge dips a little in the middle
    "shorts, waistband sagging": [(190, 200), (320, 207), (450, 200), (475, 420), (340, 440),
                                  (320, 370), (300, 440), (165, 420)],
    # legs flaring out below a waist as wide as the hips: the sides above the crotch are as
    # far from convex as a top's armholes
    "wide-leg shorts": [(190, 200), (450, 200), (445, 300), (530, 440), (340, 440), (320, 380),
                        (300, 440), (110, 440), (195, 300)],
    # legs between the two lengths: knee-length shorts (legs 0.6 of the waist) and cropped
    # trousers (0.85)
    "long shorts": [(190, 200), (450, 200), (470, 330), (480, 490), (340, 490), (320, 330),
                    (300, 490), (160, 490), (170, 330)],
    "cropped trousers": [(190, 200), (450, 200), (470, 320), (485, 545), (340, 545), (320, 320),
                         (300, 545), (155, 545), (170, 320)],
    "skirt": [(230, 100), (410, 100), (500, 560), (140, 560)],
    # a narrow yoke stitched down over the hips, the pleats flaring out below it: the sides
    # curve in under the waistband, as a sleeveless top's do under its straps
    "skirt with a yoke": [(240, 100), (400, 100), (392, 150), (395, 200), (510, 560),
                          (130, 560), (245, 200), (248, 150)],
    "straight tube": [(220, 200), (420, 200), (420, 420), (220, 420)],
    "off-shoulder top": [(150, 200), (490, 200), (500, 300), (430, 320), (420, 480), (220, 480),
                         (210, 320), (140, 300)],
    # its sleeves stick out from a straight top edge over a body flaring as a skirt's would
    "off-shoulder top, flared": [(160, 200), (480, 200), (530, 290), (440, 310), (505, 560),
                                 (135, 560), (200, 310), (110, 290)],
    "top with a split hem": [(220, 100), (280, 100), (320, 135), (360, 100), (420, 100),
                             (425, 480), (330, 480), (320, 390), (310, 480), (215, 480)],
    "long sleeves hanging below the hem": [(240, 100), (400, 100), (470, 140), (480, 560),
                                           (440, 560), (430, 260), (420, 480), (220, 480),
                                           (210, 260), (200, 560), (160, 560), (170, 140)],
    # square shoulders and a neckline that hardly dips: a straight top edge, widening to the
    # cuffs as a skirt widens to its hem
    "long sleeves hanging beside the body": [(170, 100), (470, 100), (485, 560), (440, 560),
                                             (432, 240), (425, 480), (215, 480), (208, 240),
                                             (200, 560), (155, 560)],
    "cropped, sleeves held down and out": [(150, 200), (490, 200), (600, 460), (560, 480),
                                           (440, 330), (440, 460), (200, 460), (200, 330),
                                           (80, 480), (40, 460)],
    # a boxy tee (tools.design_variants, seed 61): its neckline dips less than a dent counts,
    # its shoulders hardly slope (a straight top edge), its sleeves angle down and back in to
    # the armpits, not deep enough to cut its outline far from convex; it read as a skirt
    "boxy tee, sleeves angled down": [(141, 200), (261, 172), (321, 177), (381, 172),
                                      (501, 200), (611, 268), (577, 328), (459, 372),
                                      (475, 532), (165, 532), (181, 372), (65, 328), (29, 268)],
}  # fmt: skip


def drawn(name: str, degrees: float = 0.0) -> np.ndarray:
    """The alpha matte of one of SHAPES, turned by ``degrees`` about the canvas centre."""
    alpha = np.zeros(CANVAS, np.uint8)
    cv2.fillPoly(alpha, [np.array(SHAPES[name], np.int32)], 255)
    if degrees:
        turn = cv2.getRotationMatrix2D((CANVAS[1] / 2, CANVAS[0] / 2), degrees, 1.0)
        alpha = cv2.warpAffine(alpha, turn, CANVAS[::-1])
    return alpha


@pytest.mark.parametrize(
    "name, category, doubt",
    [
        ("trousers", Category.TROUSERS, None),
        ("trousers, legs together", Category.TROUSERS, NO_CROTCH),
        ("trousers, waistband seen from above", Category.TROUSERS, None),
        ("trousers, legs apart from high up", Category.TROUSERS, None),
        ("shorts", Category.SHORTS, None),
        ("wide-leg shorts", Category.SHORTS, None),
        ("skirt", Category.SKIRT, None),
        ("skirt with a yoke", Category.SKIRT, None),
        ("straight tube", Category.SKIRT, FLAT_SKIRT),
    ],
)
@pytest.mark.parametrize("degrees", [0.0, -4.0, 4.0])
def test_bottoms_are_read_from_their_silhouette(name, category, doubt, degrees):
    bottoms = read_bottoms(drawn(name, degrees))
    assert bottoms is not None, name
    assert (bottoms.category, bottoms.doubt) == (category, doubt)


@pytest.mark.parametrize(
    "name, category", [("long shorts", Category.SHORTS), ("cropped trousers", Category.TROUSERS)]
)
@pytest.mark.parametrize("degrees", [0.0, -4.0, 4.0])
def test_legs_between_shorts_and_trousers_are_read_as_the_nearer_with_a_doubt(
    name, category, degrees
):
    """Legs longer than shorts' and shorter than trousers' (KindConfig.shorts_max_legs and
    trousers_min_legs, x the waist): the nearer of the two on a ratio's scale, and a doubt
    that gives the length."""
    bottoms = read_bottoms(drawn(name, degrees))
    assert bottoms.category == category
    said = LEGS_BETWEEN.split("{")[0]  # "its legs are between ... in length ("
    assert bottoms.doubt.startswith(said)
    legs = float(bottoms.doubt[len(said) :].split(" ")[0])
    assert bottoms.doubt == LEGS_BETWEEN.format(legs=legs)
    assert KIND.shorts_max_legs < legs < KIND.trousers_min_legs


@pytest.mark.parametrize("degrees", [0.0, -4.0, 4.0])
def test_a_waistband_sagging_in_the_middle_is_no_neck(degrees):
    """Shorts laid flat show the back of their waistband above the front: the top edge dips a
    little in the middle, as a shallow neck would (stood upright first, as a photo is)."""
    shorts = Garment.from_image(as_photo(drawn("shorts, waistband sagging", degrees)))
    assert (shorts.category, shorts.doubt) == (Category.SHORTS, None)


@pytest.mark.parametrize(
    "name",
    [
        "off-shoulder top",
        "off-shoulder top, flared",
        "top with a split hem",
        "long sleeves hanging below the hem",
        "long sleeves hanging beside the body",
        "cropped, sleeves held down and out",
        "boxy tee, sleeves angled down",
    ],
)
@pytest.mark.parametrize("degrees", [0.0, -4.0, 4.0])
def test_tops_whose_outline_resembles_bottoms_stay_tops(name, degrees):
    assert read_bottoms(drawn(name, degrees)) is None


@pytest.mark.parametrize("sleeves", ["short", "long", "none"])
def test_tops_are_not_bottoms(sleeves):
    assert read_bottoms(tshirt(sleeves).rgba[..., 3]) is None


# Where the drawn bottoms' landmarks are, (x, y) on the canvas (see SHAPES). The drawn
# trousers' notch starts lower than any trousers' crotch does (the legs touch above it): their
# crotch is put RISE_PER_WAIST of their waistband's width below it.
RISE = 60 + RISE_PER_WAIST * (440 - 200)
DRAWN_LANDMARKS = {
    "trousers": [(440, 60), (200, 60), (320, RISE), (465, 680), (335, 680), (305, 680), (175, 680)],
    "trousers, legs together": [
        (440, 60),
        (200, 60),
        (320, RISE),
        (455, 680),
        (320, 680),
        (320, 680),
        (185, 680),
    ],
    "shorts": [(450, 200), (190, 200), (320, 370), (475, 420), (340, 440), (300, 440), (165, 420)],
    "skirt": [(410, 100), (230, 100), (320, 560), (500, 560), (320, 560), (320, 560), (140, 560)],
}  # fmt: skip (rows: BottomPoint)


@pytest.mark.parametrize("name", DRAWN_LANDMARKS)
@pytest.mark.parametrize("degrees", [0.0, -4.0, 4.0])
def test_bottoms_landmarks_are_read_from_their_silhouette(name, degrees):
    truth = np.array(DRAWN_LANDMARKS[name], np.float64)
    if degrees:
        turn = cv2.getRotationMatrix2D((CANVAS[1] / 2, CANVAS[0] / 2), degrees, 1.0)
        truth = truth @ turn[:, :2].T + turn[:, 2]
    found = read_bottoms(drawn(name, degrees)).landmarks
    errors = np.linalg.norm(found - truth, axis=1)
    height = np.ptp(truth[:, 1])
    assert errors.max() <= 0.03 * height, dict(zip(BottomPoint, errors.round(1), strict=True))


def as_photo(alpha: np.ndarray) -> np.ndarray:
    """An RGBA cut-out of denim-blue fabric in the shape of ``alpha``."""
    rgb = np.empty(alpha.shape + (3,), np.uint8)
    rgb[:] = (60, 90, 140)
    return np.dstack([rgb, alpha])


def test_bottoms_are_prepared_with_their_type_and_landmarks():
    shorts = Garment.from_image(as_photo(drawn("shorts")))
    assert (shorts.category, shorts.doubt) == (Category.SHORTS, None)
    assert shorts.landmarks.shape == (len(BottomPoint), 2)
    tube = Garment.from_image(as_photo(drawn("straight tube")))
    assert (tube.category, tube.doubt) == (Category.SKIRT, FLAT_SKIRT)


GRIDS = len(GARMENT.grid_shifts_px)  # readings of one photo, each on its own pixel grid


def test_a_type_that_mirroring_the_photo_changes_is_a_doubt(monkeypatch):
    """The photo is read as it is and mirrored; where the two readings differ, the first is
    kept and the garment says it is unsure. (The reader is made to tip here: mirrored, it reads
    a dress.) Given a type, the photo is read as it is only."""
    real, pictures = clothes.garment.find_landmarks, []

    def tipping(alpha, rgb, sleeved=False):
        pictures.append(rgb)
        found = real(alpha, rgb, sleeved=sleeved)
        category = Category.DRESS if len(pictures) > GRIDS else found.category
        return Landmarks(found.points, found.cuff_widths, category)

    monkeypatch.setattr(clothes.garment, "find_landmarks", tipping)
    photo = tshirt("long", color=(171, 41, 61)).rgba  # a colour no other test prepares
    garment = Garment.from_image(photo)
    assert len(pictures) == 2 * GRIDS
    assert np.array_equal(pictures[GRIDS], pictures[0][:, ::-1])  # both unshifted
    assert garment.category == Category.LONG_SLEEVE
    assert garment.doubt == MIRROR_DISAGREES.format(category="dress")
    assert garment.doubt == "the same photo mirrored reads as dress"
    given = Garment.from_image(photo, category="long-sleeve")
    assert len(pictures) == 3 * GRIDS
    assert (given.category, given.doubt) == (Category.LONG_SLEEVE, None)


def test_a_photo_that_cannot_be_read_mirrored_is_kept_with_a_doubt(monkeypatch):
    """The mirrored reading only checks the first: where it fails, the garment is still
    prepared, and says its reading is unsure."""
    real, calls = clothes.garment.find_landmarks, []

    def failing_mirrored(alpha, rgb, sleeved=False):
        calls.append(rgb)
        if len(calls) > GRIDS:
            raise GarmentError("could not make out the shape")
        return real(alpha, rgb, sleeved=sleeved)

    monkeypatch.setattr(clothes.garment, "find_landmarks", failing_mirrored)
    garment = Garment.from_image(tshirt("short", color=(172, 42, 62)).rgba)  # not cached yet
    assert len(calls) == 2 * GRIDS
    assert (garment.category, garment.doubt) == (Category.SHORT_SLEEVE, MIRROR_UNREADABLE)
    assert garment.doubt == "the same photo mirrored could not be read"


def test_a_reading_one_pixel_grid_tips_is_outvoted_and_said(monkeypatch):
    """The photo is read on a few pixel grids (the cut-out moved by a pixel or two) and the
    readings pooled: the type most give, with a doubt naming the other, and the landmarks of
    one of the readings that agree, in the photo's own pixels."""
    real, calls = clothes.garment.find_landmarks, []

    def tipping_once(alpha, rgb, sleeved=False):
        calls.append(rgb)
        found = real(alpha, rgb, sleeved=sleeved)
        category = Category.DRESS if len(calls) == 2 else found.category
        return Landmarks(found.points, found.cuff_widths, category)

    photo = tshirt("short", color=(173, 43, 63)).rgba  # not cached yet
    alone = find_landmarks(photo[..., 3], photo[..., :3])
    monkeypatch.setattr(clothes.garment, "find_landmarks", tipping_once)
    found = clothes.garment.read_landmarks(photo[..., 3], photo[..., :3])
    assert found.category == Category.SHORT_SLEEVE
    assert found.doubt == GRID_DISAGREES.format(category="dress")
    assert found.doubt == "the same photo moved by a pixel reads as dress"
    assert np.abs(found.points - alone.points).max() <= 3.0


def test_a_top_with_one_sleeve_is_read_as_sleeveless_and_says_so():
    """A garment is symmetric: a sleeve on one side only means a side was misread. It is read
    as sleeveless (the side without one), with a doubt; so is its mirror image."""
    sleeved, bare = tshirt("short").rgba, tshirt("none").rgba
    one_sleeve = bare.copy()
    one_sleeve[:, 320:] = sleeved[:, 320:]  # the wearer's left: a sleeve
    for photo in (one_sleeve, np.ascontiguousarray(one_sleeve[:, ::-1])):
        garment = Garment.from_image(photo)
        assert (garment.category, garment.doubt) == (Category.SLEEVELESS, ONE_SIDE_SLEEVELESS)
    assert Garment.from_image(sleeved).doubt is None
    assert Garment.from_image(bare).doubt is None


@pytest.mark.parametrize(
    "rgba, category",
    [(tshirt("long").rgba, Category.LONG_SLEEVE), (as_photo(drawn("trousers")), Category.TROUSERS),
     (tshirt("none").rgba, Category.SLEEVELESS)],
    ids=["long sleeves", "trousers", "sleeveless"],
)  # fmt: skip
def test_a_hanger_hook_is_no_part_of_the_garment(rgba, category):
    """A garment photographed on a hanger shows its hook above the neck (or waistband): read
    as part of the garment, it made long sleeves a hood and trousers a top. It is taken off
    the cut-out; the garment keeps its own top edge."""
    hooked = on_a_hanger(rgba)
    garment, plain = Garment.from_image(hooked), Garment.from_image(rgba)
    assert (garment.category, garment.doubt) == (category, None)
    height = plain.rgba.shape[0]
    assert abs(garment.rgba.shape[0] - height) <= 2  # cropped to the garment, not the hook
    assert np.abs(garment.landmarks - plain.landmarks).max() <= 0.015 * height


def test_the_type_the_user_gives_wins():
    tube = as_photo(drawn("straight tube"))
    garment = Garment.from_image(tube, category="sleeveless")
    assert garment.category == Category.SLEEVELESS
    assert garment.doubt is None
    assert garment.landmarks.shape == (len(GarmentPoint), 2)
    trousers = Garment.from_image(tshirt("short").rgba, category=Category.TROUSERS)
    assert trousers.category == Category.TROUSERS
    assert trousers.landmarks.shape == (len(BottomPoint), 2)


def fitdit_photos() -> list[str]:
    return sorted(labels_of(SHARED_DIR / "data" / "garments" / "fitdit")) or ["missing"]


@pytest.mark.parametrize("name", fitdit_photos())
def test_every_shared_photo_gets_its_type(shared, name):
    folder = shared / "data" / "garments" / "fitdit"
    expected = Category(labels_of(folder)[name])
    garment = Garment.from_image(folder / name)
    assert garment.category == expected
    if expected.is_bottom:
        skirt = expected == Category.SKIRT
        assert_bottoms_landmarks_sane(garment.landmarks, garment.rgba[..., 3], skirt)
    else:  # a knit vest's armhole read short on one side once put that shoulder at its neck
        assert sanity_problems(garment) == []


def assert_bottoms_landmarks_sane(points: np.ndarray, alpha: np.ndarray, skirt: bool) -> None:
    """The waistband at the top, the hems at the bottom (a leg opening may slant), the crotch
    between them near the middle (a skirt: its hem's middle), the wearer's left on the image
    right."""
    ys, xs = np.nonzero(alpha >= 128)
    height, width = np.ptp(ys), np.ptp(xs)
    waist = points[[B.WAIST_LEFT, B.WAIST_RIGHT]]
    hems = points[[B.HEM_LEFT_OUTER, B.HEM_LEFT_INNER, B.HEM_RIGHT_INNER, B.HEM_RIGHT_OUTER]]
    assert np.all(np.abs(waist[:, 1] - ys.min()) <= 0.05 * height), waist
    assert np.all(np.abs(hems[:, 1] - ys.max()) <= 0.2 * height), hems
    assert waist[0, 0] > waist[1, 0] and np.all(np.diff(hems[:, 0]) <= 0), hems
    crotch = points[B.CROTCH]
    assert abs(crotch[0] - waist[:, 0].mean()) <= 0.1 * width
    if skirt:
        assert np.allclose(crotch, hems[[0, 3]].mean(axis=0)), (crotch, hems)
    else:
        assert waist[:, 1].max() < crotch[1] < hems[:, 1].min(), (crotch, hems)
