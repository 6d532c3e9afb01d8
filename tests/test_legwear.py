"""Bottoms on the legs (fitting/legwear.py) and outfits: drawn bottoms on stick-figure people."""

import dataclasses
import warnings

import cv2
import numpy as np
import pytest

from clothes import Category, Garment
from fitting import FittingEngine, pipeline
from fitting.body import fit_body
from fitting.config import FitConfig
from fitting.keypoints import Keypoint as K
from fitting.legwear import CROTCH_DROP, BottomRig, warp_bottoms
from fitting.rig import GarmentRig
from fitting.silhouette import Outline, Silhouette
from tests.synthetic import person, tshirt
from tests.test_clothes_kind import CANVAS, as_photo, drawn
from tests.test_engine import StubDetector, StubPose
from tests.test_silhouette import body_mask

CFG = FitConfig()
FRAME = (900, 640, 3)
BACKGROUND = (90, 200, 90)
DENIM = (60, 90, 140)  # the drawn bottoms' colour (tests.test_clothes_kind.as_photo)


def bottoms(name: str) -> Garment:
    return Garment.from_image(as_photo(drawn(name)), name=name)


def someone():
    return person(center=(320, 150), shoulder_width=140)


def worn_alpha(garment: Garment, keypoints, frame=FRAME) -> np.ndarray:
    alpha = np.zeros(frame[:2], np.uint8)
    body = fit_body(keypoints, CFG, True, None, frame)
    for layer in warp_bottoms(BottomRig(garment), body, frame, ease=0.0):
        x0, y0, x1, y1 = layer.box
        np.maximum(alpha[y0:y1, x0:x1], layer.rgba[..., 3], out=alpha[y0:y1, x0:x1])
    return alpha


def along(a, b, t):
    return np.round(a + t * (b - a)).astype(int)


@pytest.mark.parametrize("name", ["trousers", "trousers, legs together"])
def test_trouser_legs_follow_the_legs_to_the_ankles(name):
    keypoints = someone()
    alpha = worn_alpha(bottoms(name), keypoints)
    for hip, knee, ankle in ((K.LEFT_HIP, K.LEFT_KNEE, K.LEFT_ANKLE),
                             (K.RIGHT_HIP, K.RIGHT_KNEE, K.RIGHT_ANKLE)):  # fmt: skip
        h, k, a = keypoints[[hip, knee, ankle], :2]
        for point in (along(h, k, 0.5), along(k, a, 0.0), along(k, a, 0.5), along(k, a, 0.9)):
            assert alpha[point[1], point[0]] >= 128, (name, point)
    ankles = keypoints[[K.LEFT_ANKLE, K.RIGHT_ANKLE], 1].max()
    shin = np.linalg.norm(keypoints[K.LEFT_ANKLE, :2] - keypoints[K.LEFT_KNEE, :2])
    rows = np.flatnonzero((alpha >= 128).any(axis=1))
    # they end over the shoe, a little below the ankle joints (at the joints, a band of the
    # wearer's own full-length trousers showed under the hems)
    assert 0.05 * shin < rows.max() - ankles < 0.15 * shin, (rows.max(), ankles)
    # and stay on the legs: nothing wider than the hips, plus the trousers' own flare
    columns = np.flatnonzero((alpha >= 128).any(axis=0))
    hips = keypoints[[K.LEFT_HIP, K.RIGHT_HIP], 0]
    assert columns.min() > hips.min() - 70 and columns.max() < hips.max() + 70


def test_shorts_end_above_the_knees_and_a_skirt_hangs_from_the_waist():
    keypoints = someone()
    knees = keypoints[[K.LEFT_KNEE, K.RIGHT_KNEE], 1].min()
    hips = keypoints[[K.LEFT_HIP, K.RIGHT_HIP], 1].mean()
    shorts = np.flatnonzero((worn_alpha(bottoms("shorts"), keypoints) >= 128).any(axis=1))
    assert shorts.min() < hips < shorts.max() < knees
    skirt = worn_alpha(bottoms("skirt"), keypoints) >= 128
    rows = np.flatnonzero(skirt.any(axis=1))
    assert rows.min() < hips < knees < rows.max()
    widths = skirt.sum(axis=1)
    assert widths[rows.max() - 5] > 1.5 * widths[rows.min() + 5]  # it flares to its hem


def test_no_bottoms_without_knees_in_view():
    keypoints = someone()
    keypoints[[K.LEFT_KNEE, K.RIGHT_KNEE], 2] = 0.0
    assert fit_body(keypoints, CFG, True, None).legs == {}
    assert not worn_alpha(bottoms("trousers"), keypoints).any()
    dressing = pipeline.Dressing(None, bottom=BottomRig(bottoms("trousers")))
    overlay = pipeline.dress(keypoints[None], None, dressing, FRAME, CFG)
    assert overlay.legs_unseen
    assert not pipeline.dress(someone()[None], None, dressing, FRAME, CFG).legs_unseen


def test_thighs_whose_knees_are_below_the_frame_hang_straight_down_from_the_hips():
    """A webcam that frames its user to mid-thigh: the knees are below the frame, where a pose
    model still guesses them (or sees nothing). The thighs hang down the torso from the hips,
    a typical thigh long, and the trousers cover them to the frame's edge. (No bottoms were
    drawn, and the app said the legs were not in view.) Knees the frame shows are followed."""
    keypoints = someone()  # hips at y = 346, knees at 458, ankles at 570
    dressing = pipeline.Dressing(None, bottom=BottomRig(bottoms("trousers")))
    frame = (420, 640, 3)
    for knee_score in (0.9, 0.0):  # guessed (off to one side here) or unseen
        kp = keypoints.copy()
        kp[[K.LEFT_KNEE, K.RIGHT_KNEE]] += (60, 0, knee_score - 0.9)
        legs = fit_body(kp, CFG, True, None, frame).legs
        for hip, knee in legs.values():
            assert knee[0] == pytest.approx(hip[0]) and knee[1] > frame[0]
        alpha = worn_alpha(bottoms("trousers"), kp, frame)
        for x in kp[[K.LEFT_HIP, K.RIGHT_HIP], 0].astype(int):
            assert (alpha[-1, x - 10 : x + 11] >= 128).all()  # down the thighs, to the edge
        assert not pipeline.dress(kp[None], None, dressing, frame, CFG).legs_unseen
    # the knees in view, or just past the edge, as a webcam's bottom edge puts them from frame
    # to frame: followed
    for height in (560, 452):
        knees = fit_body(keypoints, CFG, True, None, (height, 640, 3)).legs
        np.testing.assert_allclose([leg[1] for leg in knees.values()],
                                   keypoints[[K.LEFT_KNEE, K.RIGHT_KNEE], :2])  # fmt: skip
        assert pipeline.dress(keypoints[None], None, dressing, (height, 640, 3), CFG).fits[0].layers


def test_an_ankle_guessed_above_a_knee_at_the_frame_s_bottom_edge_is_left_out():
    # A photo cut at the thighs: the knees at its bottom edge, the shins below it. A pose
    # model still gives ankles, here inside the frame above the knees (FitDiT 0279).
    # Followed, they folded the trouser legs back up over the thighs.
    keypoints = someone()  # knees at y = 458
    keypoints[[K.LEFT_ANKLE, K.RIGHT_ANKLE], 1] = 400
    frame = (452, 640, 3)
    body = fit_body(keypoints, CFG, True, None, frame)
    assert [len(leg) for leg in body.legs.values()] == [2, 2]  # hip and knee
    assert len(fit_body(keypoints, CFG, True, None, FRAME).legs["left"]) == 3  # knees in view
    alpha = worn_alpha(bottoms("trousers"), keypoints, frame)
    for x in keypoints[[K.LEFT_KNEE, K.RIGHT_KNEE], 0].astype(int):
        assert (alpha[-1, x - 15 : x + 16] >= 128).all()  # down the thighs, to the edge


def test_the_top_is_worn_over_the_waistband_and_hands_in_front_of_the_legs():
    keypoints = person(center=(320, 150), shoulder_width=140, arms="down")
    top = tshirt("short", color=(220, 30, 30), stripes=False)
    dressing = pipeline.Dressing(GarmentRig(top), bottom=BottomRig(bottoms("trousers")))
    image = np.full(FRAME, BACKGROUND, np.uint8)
    out = pipeline.fit_photo(image, pipeline.Models(None, None), dressing, CFG, keypoints[None])
    hips = keypoints[[K.LEFT_HIP, K.RIGHT_HIP], :2].mean(axis=0).astype(int)
    assert np.abs(out[hips[1], hips[0]].astype(int) - (220, 30, 30)).sum() < 60  # the top
    knee = keypoints[K.LEFT_KNEE, :2].astype(int)
    assert np.abs(out[knee[1], knee[0]].astype(int) - DENIM).sum() < 60  # the trousers
    wrist = keypoints[K.LEFT_WRIST, :2].astype(int)
    assert np.abs(out[wrist[1], wrist[0]].astype(int) - BACKGROUND).sum() < 60  # the hand


@pytest.fixture
def engine():
    pose = StubPose(someone())
    with FittingEngine(pose, StubDetector(), garment=tshirt()) as eng:
        yield eng


def test_an_outfit_is_one_top_or_dress_and_one_of_bottoms(engine):
    top, trousers = tshirt(), bottoms("trousers")
    dress = dataclasses.replace(tshirt(), category=Category.DRESS, key="dress")
    rig, bottom = engine.outfit([top, trousers])
    assert rig.category == Category.SHORT_SLEEVE and bottom.category == Category.TROUSERS
    assert engine.outfit(trousers) == (None, bottom)
    with pytest.raises(ValueError, match="one top or dress and one of bottoms"):
        engine.outfit([top, tshirt("long")])
    with pytest.raises(ValueError, match="a dress is worn without bottoms"):
        engine.outfit([dress, trousers])
    session = engine.session()
    session.set_garment(top)
    session.set_garment(trousers)
    assert session.wearing == ["synthetic short", "trousers"]
    session.set_garment(dress)  # a dress takes the bottoms off, and bottoms the dress
    assert session.wearing == ["synthetic short"]
    session.set_garment(trousers)
    assert session.wearing == ["trousers"]
    photo = np.full((480, 640, 3), BACKGROUND, np.uint8)
    fitted = engine.fit_image(photo, [top, trousers], keypoints=someone()[None])
    assert (np.abs(fitted.astype(int) - DENIM).sum(axis=2) < 60).mean() > 0.01


def test_a_rig_of_bottoms_has_a_strip_per_leg_or_one_skirt():
    rig = BottomRig(bottoms("trousers"))
    assert set(rig.parts) == {"left", "right"} and len(rig.sections["left"]) == 3
    assert set(BottomRig(bottoms("skirt")).parts) == {None}
    with pytest.raises(ValueError, match="not bottoms"):
        BottomRig(tshirt())


def outline_of(mask: np.ndarray) -> Outline:
    return Outline((0, 0, FRAME[1], FRAME[0]), mask, np.zeros_like(mask))


def trousers_photo(keypoints, outline: np.ndarray, frame=FRAME, regions=None) -> np.ndarray:
    """The drawn trousers fitted by ``keypoints`` onto a plain photo in which the segmenter
    sees ``outline`` ((h, w) 0/1), noting in ``regions`` each region it is asked to look at."""

    def segmenter(image, region):
        if regions is not None:
            regions.append(region)
        x0, y0, x1, y1 = region
        return Silhouette(region, outline[y0:y1, x0:x1] * 255)

    dressing = pipeline.Dressing(None, bottom=BottomRig(bottoms("trousers")))
    image = np.full(frame, BACKGROUND, np.uint8)
    models = pipeline.Models(None, None, segmenter)
    return pipeline.fit_photo(image, models, dressing, CFG, keypoints[None])


def width_at(alpha: np.ndarray, row: int) -> int:
    columns = np.flatnonzero(alpha[row] >= 128)
    return int(columns[-1] - columns[0] + 1)


def test_trousers_reach_a_wider_outline_at_the_hips_but_not_a_hand_beside_them():
    keypoints = person(center=(320, 150), shoulder_width=140, arms="down")
    hips = keypoints[[K.LEFT_HIP, K.RIGHT_HIP], :2]
    knees = keypoints[[K.LEFT_KNEE, K.RIGHT_KNEE], :2]
    wrists = keypoints[[K.LEFT_WRIST, K.RIGHT_WRIST], :2]
    body = np.zeros(FRAME[:2], np.uint8)  # the legs and the arms hanging beside the hips
    for (a, b) in ((K.LEFT_HIP, K.LEFT_ANKLE), (K.RIGHT_HIP, K.RIGHT_ANKLE),
                   (K.LEFT_SHOULDER, K.LEFT_WRIST), (K.RIGHT_SHOULDER, K.RIGHT_WRIST)):  # fmt: skip
        cv2.line(body, *(tuple(int(v) for v in keypoints[k, :2]) for k in (a, b)), 1, 36)
    flare = body.copy()  # and the wearer's own skirt flaring over the hips, to the hands
    centre, top, bottom = hips.mean(axis=0), hips[:, 1].mean(), knees[:, 1].mean()
    reach = abs(wrists[0, 0] - wrists[1, 0]) / 2
    cv2.fillPoly(flare, [np.array([[centre[0] - reach, top], [centre[0] + reach, top],
                                   [centre[0] + reach, bottom], [centre[0] - reach, bottom]],
                                  np.int32)], 1)  # fmt: skip
    trousers = BottomRig(bottoms("trousers"))

    def worn(mask):
        fitted = fit_body(keypoints, CFG, True, outline_of(mask.astype(bool)))
        alpha = np.zeros(FRAME[:2], np.uint8)
        for layer in warp_bottoms(trousers, fitted, FRAME, ease=0.0):
            x0, y0, x1, y1 = layer.box
            np.maximum(alpha[y0:y1, x0:x1], layer.rgba[..., 3], out=alpha[y0:y1, x0:x1])
        return alpha

    shoulders = keypoints[[K.LEFT_SHOULDER, K.RIGHT_SHOULDER], 1].mean()
    row = int(top + CROTCH_DROP * (top - shoulders))  # level with the crotch
    plain, flared = worn(body), worn(flare)
    assert width_at(flared, row) > 1.2 * width_at(plain, row)  # the own skirt is covered
    for x, y in wrists.astype(int):  # but the hands are not taken for hips
        assert flared[y, x] < 128 and plain[y, x] < 128


def test_trouser_legs_meet_at_the_crotch_below_a_rounded_gap():
    """Laid flat, the legs part below the crotch in a gap whose top is rounded: inside each
    leg's inner edge as worn (crotch to inner hem corner) that top is no fabric, and worn it
    left a sliver between the thighs, the wearer's own clothes showing. The legs now meet."""
    rounded_gap = np.zeros(CANVAS, np.uint8)
    outline = [(200, 60), (440, 60), (465, 680), (345, 680), (340, 220), (330, 204), (320, 200),
               (310, 204), (300, 220), (295, 680), (175, 680)]  # fmt: skip
    cv2.fillPoly(rounded_gap, [np.array(outline, np.int32)], 255)
    keypoints = someone()
    alpha = worn_alpha(Garment.from_image(as_photo(rounded_gap), name="rounded gap"), keypoints)
    pairs = ((K.LEFT_HIP, K.RIGHT_HIP), (K.LEFT_KNEE, K.RIGHT_KNEE),
             (K.LEFT_SHOULDER, K.RIGHT_SHOULDER))  # fmt: skip
    hips, knees, shoulders = (keypoints[list(pair), 1].mean() for pair in pairs)
    crotch = hips + CROTCH_DROP * (hips - shoulders)
    rows = np.arange(int(crotch) + 1, int(crotch + 0.15 * (knees - crotch)))
    middle = int(round(keypoints[[K.LEFT_HIP, K.RIGHT_HIP], 0].mean()))
    assert np.all(alpha[rows, middle] >= 128)  # none of it was, before


def test_trouser_legs_reach_the_outer_edge_of_wide_trousers_worn_under_them():
    """A leg's bones seldom run down the middle of wide trousers: the joints lie nearer the
    inner edge. Each leg of the garment reaches the outline's edge on its outer side (the
    wearer's own trousers showed there in a stripe from hip to ankle). Inward, where the
    outline cannot tell one leg from the other, it is not widened with it."""
    keypoints = someone()
    outer_px, inner_px = 48, 20  # the own trousers' edges out and in from the bones
    mask = np.zeros(FRAME[:2], np.uint8)
    for hip, ankle, out in ((K.LEFT_HIP, K.LEFT_ANKLE, 1), (K.RIGHT_HIP, K.RIGHT_ANKLE, -1)):
        (hx, hy), (ax, ay) = keypoints[[hip, ankle], :2]
        edges = [(hx + out * outer_px, hy), (ax + out * outer_px, ay),
                 (ax - out * inner_px, ay), (hx - out * inner_px, hy)]  # fmt: skip
        cv2.fillPoly(mask, [np.round(edges).astype(np.int32)], 1)
    body = fit_body(keypoints, CFG, True, outline_of(mask.astype(bool)), FRAME)
    layers = warp_bottoms(BottomRig(bottoms("trousers")), body, FRAME, ease=0.0)
    for layer, (knee, ankle, out) in zip(
        layers, ((K.RIGHT_KNEE, K.RIGHT_ANKLE, -1), (K.LEFT_KNEE, K.LEFT_ANKLE, 1)), strict=True
    ):  # each leg its own layer, the right first
        x, y = along(keypoints[knee, :2], keypoints[ankle, :2], 0.5)  # mid-shin
        x0, y0 = layer.box[:2]
        worn = x0 + np.flatnonzero(layer.rgba[y - y0, :, 3] >= 128)
        right_of, left_of = worn.max() - x, x - worn.min()
        reach, inward = (right_of, left_of) if out > 0 else (left_of, right_of)
        assert reach >= outer_px - 3 and inward < outer_px - 6, (knee, reach, inward)


def test_trousers_reach_the_frame_s_edge_below_knees_too_faint_to_be_seen():
    """A webcam that frames its user to mid-thigh: a pose model scores knees below the frame
    low, and a photo, or a first frame with no tracker to keep them yet, has them unseen. The
    fit puts them below the frame, and the segmenter now looks down to them: it looked at a
    margin round the seen keypoints, which ended above the frame's edge, and the trousers,
    cut to the outline found there, stopped in a straight hem above it, like shorts."""
    keypoints = someone()  # hips at y = 346, knees at 458
    keypoints[[K.LEFT_KNEE, K.RIGHT_KNEE, K.LEFT_ANKLE, K.RIGHT_ANKLE], 2] = 0.1
    frame = (480, 640, 3)  # hips 134 px above its edge, a long thigh 175 px long
    outline = body_mask(keypoints, torso_half=80, arm_half=18, shape=frame[:2]).astype(np.uint8)
    for hip in (K.LEFT_HIP, K.RIGHT_HIP):
        x, y = np.round(keypoints[hip, :2]).astype(int)
        cv2.line(outline, (x, y), (x, frame[0] + 50), 1, 50)  # the thighs, out of the frame
    regions = []
    out = trousers_photo(keypoints, outline, frame, regions)
    assert [region[3] for region in regions] == [frame[0]]
    for x in np.round(keypoints[[K.LEFT_HIP, K.RIGHT_HIP], 0]).astype(int):
        bottom = out[-6:, x - 10 : x + 11].astype(int)
        assert (np.abs(bottom - DENIM).sum(axis=2) < 60).all()  # down the thighs, to the edge


def side_on(keypoints: np.ndarray, degrees: float) -> np.ndarray:
    """The person turned ``degrees`` about their upright axis: across the image, every joint
    closes up on the torso's middle."""
    turned = keypoints.copy()
    middle = turned[[K.LEFT_SHOULDER, K.RIGHT_SHOULDER, K.LEFT_HIP, K.RIGHT_HIP], 0].mean()
    turned[:, 0] = middle + (turned[:, 0] - middle) * np.cos(np.radians(degrees))
    return turned


@pytest.mark.parametrize("name", ["skirt", "shorts"])
def test_bottoms_seen_side_on_keep_their_length(name):
    """Turned sideways, a body closes its hip joints up, and bottoms sized by their span
    shrank with them: side-on a skirt was a tenth of its length, above the hips. They now
    shrink no further than a narrow frontal body's would (legwear.MIN_HIPS_PER_TORSO)."""
    lengths = []
    for degrees in (0, 60, 85):
        worn = worn_alpha(bottoms(name), side_on(someone(), degrees)) >= 128
        rows = np.flatnonzero(worn.any(axis=1))
        lengths.append(rows.max() - rows.min())
    assert min(lengths[1:]) >= 0.6 * lengths[0], lengths


def test_bottoms_on_joints_that_coincide_are_drawn_whole():
    """Hips on one point (side-on) or a knee on its ankle (a shin pointing at the camera)
    gave a bone no direction, and the garment's cross-sections no width: NaN coordinates."""
    hips_together, shin_at_camera = someone(), someone()
    hips_together[K.RIGHT_HIP, :2] = hips_together[K.LEFT_HIP, :2]
    shin_at_camera[K.LEFT_ANKLE, :2] = shin_at_camera[K.LEFT_KNEE, :2]
    for keypoints in (hips_together, shin_at_camera):
        body = fit_body(keypoints, CFG, True, None, FRAME)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # numpy's "invalid value" on NaN
            layers = warp_bottoms(BottomRig(bottoms("trousers")), body, FRAME, ease=0.05)
        assert len(layers) == 2 and all(layer.rgba[..., 3].any() for layer in layers)


def test_trouser_legs_hang_as_wide_as_the_garment_s_below_the_wearer_s_own_shorts():
    """Below the hips a trouser leg hangs straight, as wide as the garment's leg: it is not
    cut to the wearer's outline. Cut to it, trousers wider than bare legs came out skinny,
    stepped in where the wearer's own shorts ended, and had holes wherever the segmenter's
    mask did between the legs (FitDiT 0, 1 and 4 in FitDiT's wide trousers)."""
    keypoints = someone()  # hips at y = 346, knees at 458, ankles at 570
    shorts_hem = int(keypoints[[K.LEFT_KNEE, K.RIGHT_KNEE], 1].mean()) - 40
    outline = body_mask(keypoints, torso_half=80, arm_half=18, shape=FRAME[:2]).astype(np.uint8)
    for hip, ankle in ((K.LEFT_HIP, K.LEFT_ANKLE), (K.RIGHT_HIP, K.RIGHT_ANKLE)):
        points = np.round(keypoints[[hip, ankle], :2]).astype(int)
        cv2.line(outline, *map(tuple, points), 1, 24)  # bare legs, thinner than the trousers
    hips = keypoints[[K.LEFT_HIP, K.RIGHT_HIP], :2]
    top = int(hips[:, 1].mean())
    x0, x1 = int(hips[:, 0].min()) - 50, int(hips[:, 0].max()) + 50
    outline[top:shorts_hem, x0:x1] = 1  # the wearer's own wide shorts
    shin = int(keypoints[[K.LEFT_KNEE, K.LEFT_ANKLE], 1].mean())
    out = trousers_photo(keypoints, outline)
    worn = ((np.abs(out.astype(int) - DENIM).sum(axis=2) < 60) * 255).astype(np.uint8)
    above, below = width_at(worn, shorts_hem - 5), width_at(worn, shorts_hem + 5)
    assert below > 0.9 * above, (above, below)  # no step in at the shorts' hem
    legs = (outline[shin] > 0).sum()
    assert (worn[shin] > 0).sum() > 1.5 * legs  # the garment's width, not the bare legs'
