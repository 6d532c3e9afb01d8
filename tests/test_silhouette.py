"""The fit that follows the silhouette, on outlines drawn here: a body's width and arms
measured from a mask, the garment widened to reach it and cut to it, who stands in front of
whom, and the keypoints-only fit when the outline cannot be trusted."""

import dataclasses
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from clothes import Category
from clothes.shapes import disk
from fitting import pipeline
from fitting.body import fit_body
from fitting.composite import closed_gaps, hanging
from fitting.config import FITS, FitConfig
from fitting.measures import (
    ARM_REACH,
    ARM_SAMPLES,
    Flanks,
    arm_edge_slope,
    measure_arm,
    outline_reach,
)
from fitting.rig import GarmentRig
from fitting.silhouette import Outline, Silhouette
from fitting.stats import Stats
from fitting.torso import SHOULDER_COLUMN, Tailoring
from fitting.tracking import Tracker
from fitting.warp import MAX_RISE, straight_armhole, tailor
from tests.synthetic import person, tshirt
from tools import steadiness

CFG = FitConfig()
SHAPE = (480, 640)
K = {"ls": 5, "rs": 6, "le": 7, "re": 8, "lw": 9, "rw": 10, "lh": 11, "rh": 12}


def body_mask(kp: np.ndarray, torso_half: float, arm_half: float, shape=SHAPE) -> np.ndarray:
    """A person's outline: a torso ``torso_half`` wide either side of the keypoints' middle,
    arms ``arm_half`` thick, a neck and a head."""
    mask = np.zeros(shape, np.uint8)
    middle = (kp[K["ls"], 0] + kp[K["rs"], 0]) / 2
    top, bottom = kp[K["ls"], 1] - 10, kp[K["lh"], 1] + 40
    cv2.rectangle(mask, (round(middle - torso_half), round(top)),
                  (round(middle + torso_half), round(bottom)), 1, -1)  # fmt: skip
    for a, b, c in ((K["ls"], K["le"], K["lw"]), (K["rs"], K["re"], K["rw"])):
        for p, q in ((a, b), (b, c)):
            cv2.line(mask, tuple(map(round, kp[p, :2])), tuple(map(round, kp[q, :2])), 1,
                     round(2 * arm_half))  # fmt: skip
    head = kp[:5, :2].mean(axis=0)
    cv2.circle(mask, tuple(map(round, head)), 35, 1, -1)
    cv2.line(mask, tuple(map(round, head)), (round(middle), round(top)), 1, 40)
    return mask.astype(bool)


def silhouette_of(mask: np.ndarray) -> Silhouette:
    return Silhouette((0, 0, mask.shape[1], mask.shape[0]), mask.astype(np.uint8) * 255)


def arms_out(kp: np.ndarray) -> np.ndarray:
    """The person with both arms held out sideways (clear of the torso)."""
    return person(center=tuple(kp[[5, 6], :2].mean(axis=0)), shoulder_width=120, arms="out")


def garment_mask(overlay, shape=SHAPE, fits=None) -> np.ndarray:
    """Where the overlay's garments (or those of the ``fits`` given) are at least half opaque."""
    total = np.zeros(shape, np.float32)
    for fit in fits if fits is not None else overlay.fits:
        for layer in fit.layers:
            x0, y0, x1, y1 = layer.box
            region = total[y0:y1, x0:x1]
            region += layer.alpha * (1 - region)
    return total >= 0.5


def test_the_torso_width_and_the_arms_are_measured_from_the_outline():
    kp = arms_out(person(center=(320, 120), shoulder_width=120))
    mask = body_mask(kp, torso_half=95, arm_half=18)
    [outline] = silhouette_of(mask).split(kp[None], CFG.keypoint_score)
    body = fit_body(kp, CFG, True, outline)
    rows = body.flanks.rows[(body.flanks.rows > 0.3) & (body.flanks.rows < 2.0)]
    for sign, flank in ((1, body.flanks.left), (-1, body.flanks.right)):
        u = np.interp(rows, body.flanks.rows, flank)
        ends = body.torso.to_image(np.stack([sign * u, rows], axis=1))
        middles = body.torso.to_image(np.stack([np.zeros_like(rows), rows], axis=1))
        np.testing.assert_allclose(np.linalg.norm(ends - middles, axis=1), 95, atol=4)
    for side in ("left", "right"):
        upper, fore = body.arm_widths[side]
        assert upper == pytest.approx(18, abs=3) and fore == pytest.approx(18, abs=3)
    top = body.torso.to_garment(np.array([[0.0, kp[5, 1] - 10]]))  # the outline's top edge
    assert np.nanmax(body.shoulders) <= top[0, 1] + 0.1


def test_a_person_cut_by_the_frame_s_side_keeps_the_flank_in_view():
    """A person half out of the frame (walking in, leaning aside): the torso's middle line is
    past the frame's edge, the pose model still places the joints there, and the flank still
    in view is measured as in the whole frame. (It was lost with the middle: each row was
    followed only from a middle seen on the person, and the garment kept its own width, its
    wearer's top showing down that side.)"""
    kp = arms_out(person(center=(320, 120), shoulder_width=120))
    mask = body_mask(kp, torso_half=95, arm_half=18)
    whole = fit_body(kp, CFG, True, silhouette_of(mask).split(kp[None], CFG.keypoint_score)[0])
    edge = 340  # the frame's left edge, 20 px right of the middle line: the person's left in view
    cut = Silhouette((edge, 0, SHAPE[1], SHAPE[0]), mask[:, edge:].astype(np.uint8) * 255)
    [outline] = cut.split(kp[None], CFG.keypoint_score)
    flanks = fit_body(kp, CFG, True, outline).flanks
    rows = (flanks.rows > 0.3) & (flanks.rows < 2.0)
    np.testing.assert_allclose(flanks.left[rows], whole.flanks.left[rows])
    assert np.isnan(flanks.right).all()  # out of the frame: not known


def test_an_arm_cut_by_the_frame_s_bottom_is_not_one_the_outline_misses():
    """Close to a webcam, the frame's bottom cuts the hanging arms above the elbows, which the
    pose model still places below it: the outline shows the arms where they are in view, so
    none is added to the body's core (an arm the outline misses, kept under the garment as a
    typical arm's width: a sleeve stood out past the real arm down to the frame's edge)."""
    kp = person(center=(320, 120), shoulder_width=120)  # arms hanging down beside the body
    mask = body_mask(kp, torso_half=80, arm_half=20)
    bottom = round((kp[K["ls"], 1] + kp[K["le"], 1]) / 2)  # halfway down the upper arms
    for shape in (SHAPE, (bottom, SHAPE[1])):
        [outline] = silhouette_of(mask[: shape[0]]).split(kp[None], CFG.keypoint_score)
        assert fit_body(kp, CFG, True, outline, shape).core.bones == ()
    arm = np.zeros(SHAPE, np.uint8)  # the right upper arm off the outline: missed
    cv2.line(arm, tuple(map(round, kp[K["rs"], :2])), tuple(map(round, kp[K["re"], :2])), 1, 40)
    [outline] = silhouette_of(mask[:bottom] & (arm[:bottom] == 0)).split(
        kp[None], CFG.keypoint_score
    )
    assert len(fit_body(kp, CFG, True, outline, (bottom, SHAPE[1])).core.bones) >= 1


def test_an_arm_along_the_frame_s_edge_is_measured_on_its_side_in_view():
    """An arm held out along the frame's bottom edge, cut lengthwise by it: across its bone
    the outline ends at the edge on one side, which is the frame's, not the arm's (it was
    measured 5 px wide there, and taken for a typical arm)."""
    kp = arms_out(person(center=(320, 120), shoulder_width=120))
    mask = body_mask(kp, torso_half=95, arm_half=24)
    bottom = round(kp[K["le"], 1]) + 5  # 5 px below the left arm's bone
    [outline] = silhouette_of(mask[:bottom]).split(kp[None], CFG.keypoint_score)
    joints = kp[[K["ls"], K["le"], K["lw"]], :2]
    upper, fore = measure_arm(outline, joints, scale=60.0)
    assert upper == pytest.approx(24, abs=3) and fore == pytest.approx(24, abs=3)


def test_a_shoulder_hidden_under_hair_takes_the_other_shoulder_s_top():
    """Long hair over the wearer's right shoulder runs its column on up into the head: that
    shoulder's top cannot be read, and it takes the left's; with both hidden, neither is
    known."""
    kp = arms_out(person(center=(320, 120), shoulder_width=120))
    mask = body_mask(kp, torso_half=95, arm_half=18)
    [outline] = silhouette_of(mask).split(kp[None], CFG.keypoint_score)
    left, right = fit_body(kp, CFG, True, outline).shoulders
    assert np.isfinite(left) and right == pytest.approx(left, abs=0.05)
    hair = mask.copy()
    hair[: int(kp[K["rs"], 1]) + 20, 200:300] = True  # the right shoulder's column, to the top
    [outline] = silhouette_of(hair).split(kp[None], CFG.keypoint_score)
    assert fit_body(kp, CFG, True, outline).shoulders == (left, left)
    hair[: int(kp[K["ls"], 1]) + 20, 340:440] = True  # and the left's
    [outline] = silhouette_of(hair).split(kp[None], CFG.keypoint_score)
    assert np.isnan(fit_body(kp, CFG, True, outline).shoulders).all()


def test_an_arm_against_the_torso_ends_the_torso_where_it_begins():
    kp = person(center=(320, 120), shoulder_width=120)  # arms hanging down beside the body
    mask = body_mask(kp, torso_half=80, arm_half=20)
    [outline] = silhouette_of(mask).split(kp[None], CFG.keypoint_score)
    body = fit_body(kp, CFG, True, outline)
    arm_x = kp[K["le"], 0]  # the left elbow, beside the left flank
    rows = body.flanks.rows[(body.flanks.rows > 1.5) & (body.flanks.rows < 2.5)]
    flank = np.interp(rows, body.flanks.rows, body.flanks.left)
    assert (body.torso.to_image(np.stack([flank, rows], axis=1))[:, 0] <= arm_x).all()


def test_under_a_hanging_upper_arm_the_torso_stops_short_of_the_bone():
    """The outline of an upper arm hanging against the torso runs on past its bone to the
    arm's outer edge: that side is the arm, not the torso, so a sleeveless garment leaves it
    (the panel runs halfway under the arm, to meet a sleeve, no farther)."""
    kp = person(center=(320, 120), shoulder_width=120)  # arms hanging down beside the body
    mask = body_mask(kp, torso_half=80, arm_half=20)
    [outline] = silhouette_of(mask).split(kp[None], CFG.keypoint_score)
    body = fit_body(kp, CFG, True, outline)
    for side, sign in (("left", 1), ("right", -1)):
        shoulder, elbow = body.arms[side][:2]
        rows = body.flanks.rows[(body.flanks.rows > 0.3) & (body.flanks.rows < 1.2)]
        flank = np.interp(rows, body.flanks.rows, getattr(body.flanks, side))
        ends = body.torso.to_image(np.stack([sign * flank, rows], axis=1))
        along = (ends[:, 1] - shoulder[1]) / (elbow[1] - shoulder[1])
        bone_x = shoulder[0] + along * (elbow[0] - shoulder[0])
        assert (along > 0.2).all() and (along < 0.9).all()  # rows beside the upper arm
        assert (sign * (ends[:, 0] - bone_x) <= 0).all()  # inside its bone, not on its far side


def test_past_an_upper_arm_brought_in_front_the_torso_runs_on_to_its_flank():
    """An arm brought in front of the body (drinking: the elbow well inboard of the shoulder,
    the hand at the chin) lies over the torso, so the silhouette past its bone is the torso's
    flank behind it, not the arm's outer side: the panel reaches it. (Measured as beside a
    hanging arm, it stopped short of the bone, and the wearer's own top showed in a band down
    the outside of the arm.)"""
    middle, torso_half, arm_half = 320, 66, 18
    kp = person(center=(middle, 120), shoulder_width=120)
    kp[K["le"], :2], kp[K["lw"], :2] = (335, 215), (330, 125)
    mask = body_mask(kp, torso_half, arm_half)
    [outline] = silhouette_of(mask).split(kp[None], CFG.keypoint_score)
    body = fit_body(kp, CFG, True, outline)
    rows = body.flanks.rows
    height = body.torso.to_image(np.stack([np.zeros_like(rows), rows], axis=1))[:, 1]
    # rows beside the upper arm, where the torso's edge lies 1-1.5 arm half-widths past the
    # bone, square to it (the forearm runs up the chest, so nothing inside the bone is torso)
    beside = (height > 145) & (height < 185)
    assert beside.sum() >= 3
    ends = body.torso.to_image(np.stack([body.flanks.left[beside], rows[beside]], axis=1))
    assert (ends[:, 0] >= middle + torso_half - 4).all(), ends
    # As a sleeveless garment takes it above its armpit: ended as beside a hanging arm, short
    # of the torso's edge (or, the forearm up the chest, nowhere) on the rows nearest the bone
    stops = body.flanks.sleeveless[0][beside]
    assert (~(stops >= body.flanks.left[beside] - 0.05)).sum() >= 2, stops


def test_a_sleeveless_garment_leaves_the_shoulder_of_an_arm_in_front_bare():
    """Past an upper arm brought in front of the body, above the armpit the silhouette is the
    arm's shoulder, which a sleeve covers: a garment with sleeves is widened to it (the flank
    taken in, ``Flanks.left``), a sleeveless one, whose armhole leaves that shoulder bare, as
    beside a hanging arm (``Flanks.sleeveless``). Below the armpit both reach the torso."""
    rows = np.linspace(-0.3, 4.0, 28)
    taken_in, beside = np.full(28, 1.3), np.where(rows < 0.8, 0.9, 1.3)
    flanks = Flanks(rows, taken_in, taken_in, (beside, beside))
    body = SimpleNamespace(flanks=flanks, shoulders=(np.nan, np.nan), turn=1.0, scale=50.0)

    def rig(sleeves: dict) -> SimpleNamespace:
        return SimpleNamespace(
            edges=SimpleNamespace(at=lambda rows: (np.ones_like(rows), np.ones_like(rows))),
            sleeves=sleeves, worn_armpit_v=0.8, shoulder_tops=(0.0, 0.0),
            neck_columns=(0.3, 0.3), panel_uv_box=np.array([-1.0, 0.0, 1.0, 3.0]),
        )  # fmt: skip

    armhole = SimpleNamespace(armhole_uv=np.array([[1.0, 0.0], [1.0, 0.8]]))
    sleeveless = tailor(body, rig({}), ease=0.0)
    sleeved = tailor(body, rig({"left": armhole, "right": armhole}), ease=0.0)
    above, below = rows < 0.6, rows > 1.0  # clear of the running median's reach
    for side in ("left", "right"):
        np.testing.assert_allclose(getattr(sleeveless, side)[above], 1.0)  # not widened
        np.testing.assert_allclose(getattr(sleeved, side)[above], 1.3)
        np.testing.assert_allclose(getattr(sleeveless, side)[below], 1.3)
        np.testing.assert_allclose(getattr(sleeved, side)[below], 1.3)


def test_a_hand_resting_on_the_hip_is_the_arm_s_not_the_torso_s_flank():
    """Past the wrist the hand still belongs to the arm (as far as the forearm's capsule
    reaches): a hand against the hip is not the torso's flank, which had the garment's hem
    stick out past the hand (a loose fit most of all)."""
    middle, torso_half, arm_half = 320, 80, 20
    kp = person(center=(middle, 120), shoulder_width=120)  # arms hanging down beside the body
    mask = body_mask(kp, torso_half, arm_half).astype(np.uint8)
    mask[200:400, middle - torso_half : middle + torso_half + 1] = 1  # on down past the hands
    hands = {side: fit_body(kp, CFG, True).forearms[side].end for side in ("left", "right")}
    for wrist, side in ((K["lw"], "left"), (K["rw"], "right")):
        hand = [tuple(map(round, p)) for p in (kp[wrist, :2], hands[side])]  # wrist to end
        cv2.line(mask, *hand, 1, 2 * arm_half)
    [outline] = silhouette_of(mask.astype(bool)).split(kp[None], CFG.keypoint_score)
    body = fit_body(kp, CFG, True, outline)
    for side, sign, wrist in (("left", 1, K["lw"]), ("right", -1, K["rw"])):
        rows = body.flanks.rows
        ends = body.torso.to_image(np.stack([sign * getattr(body.flanks, side), rows], axis=1))
        beside_hand = (ends[:, 1] > kp[wrist, 1] + 10) & (ends[:, 1] < hands[side][1] + 10)
        assert beside_hand.sum() >= 3  # rows below the wrist, beside the hand
        torso_edge = middle + sign * torso_half  # not the hand's outer edge, 20-27 px further
        assert (sign * (ends[beside_hand, 0] - torso_edge) <= 2).all(), ends[beside_hand]


def test_an_arm_is_as_wide_as_its_outline():
    joints = np.array([[100.0, 100.0], [100.0, 200.0], [100.0, 300.0]])
    for thickness in (10, 20, 30):
        mask = np.zeros(SHAPE, np.uint8)
        cv2.line(mask, (100, 100), (100, 300), 1, 2 * thickness)
        upper, fore = measure_arm(seen_to(mask), joints, 60.0)
        assert upper == pytest.approx(thickness, abs=2) and fore == pytest.approx(thickness, abs=2)


DOWN, OUT = np.array([0.0, 1.0]), np.array([1.0, 0.0])  # an upright torso's, its left arm's


def seen_to(mask: np.ndarray, right: int | None = None, bottom: int | None = None) -> Outline:
    """The outline of ``mask`` as a region ending at column ``right`` and row ``bottom`` (a
    frame's side or bottom edge) shows it; by default, all of it."""
    right, bottom = right or mask.shape[1], bottom or mask.shape[0]
    seen = mask[:bottom, :right].astype(bool)
    return Outline((0, 0, right, bottom), seen, np.zeros_like(seen))


def test_tailoring_is_undone_exactly():
    rows = np.linspace(-0.3, 4.0, 20)
    tailoring = Tailoring(rows, 1 + 0.3 * np.sin(rows) ** 2, 1 + 0.2 * rows / 4, lift=(1.3, 1.1))
    uv = np.random.default_rng(0).uniform([-1.5, -0.3], [1.5, 3.5], (200, 2))
    np.testing.assert_allclose(tailoring.to_garment(tailoring.to_body(uv)), uv, atol=2e-3)


def test_above_the_shoulder_line_the_garment_is_widened_as_on_it():
    # There the outline is the neck and the garment's edge its own shoulder slope; widened by
    # their ratio, a raised shoulder seam went far past the wearer's shoulder, and a sleeve
    # hanging from it became a flap off the body (VITON-HD 00035, arms down, a tee).
    tailoring = Tailoring(np.array([-0.3, -0.14, 0.0, 0.5]), np.array([1.5, 1.5, 1.1, 1.2]),
                          np.ones(4))  # fmt: skip
    u, v = np.ones(4), np.array([-0.25, -0.1, 0.0, 0.25])
    np.testing.assert_allclose(tailoring.widening(u, v), [1.1, 1.1, 1.1, 1.15])
    np.testing.assert_allclose(tailoring.widening(-u, v), 1.0)


def test_the_armhole_stays_straight_between_shoulder_and_armpit():
    # Under the upper arm the flank stops short of the arm; widened less there than at the
    # shoulder and the armpit, the panel's armhole bowed in, away from the sleeve hanging from
    # the straight line between them: a gap of the wearer's top (FitDiT 0223, a tee).
    rows = np.array([-0.3, 0.0, 0.2, 0.4, 0.6, 0.8, 1.2])
    factor = np.array([1.5, 1.1, 1.0, 1.0, 1.0, 1.3, 1.3])
    straight = straight_armhole(factor, rows, armpit=0.8)
    np.testing.assert_allclose(straight, [1.5, 1.1, 1.15, 1.2, 1.25, 1.3, 1.3])
    assert (straight_armhole(straight + 0.1, rows, 0.8) == straight + 0.1).all()  # no dip


def test_raised_shoulders_leave_the_neckline_where_it_is():
    """The lift fades in from the garment's neck points: lifting the neckline's corners with
    the shoulders drew a peak beside the neck."""
    rows = np.linspace(-0.3, 4.0, 8)
    tailoring = Tailoring(rows, np.ones(8), np.ones(8), lift=(1.3, 1.3), neck=(0.4, 0.35))
    top = np.array([[0.4, -0.2], [-0.35, -0.2], [0.0, -0.3], [0.8, -0.1], [-1.0, -0.1]])
    body = tailoring.to_body(top)
    np.testing.assert_allclose(body[:3], top[:3], atol=1e-9)  # the neckline: not moved
    np.testing.assert_allclose(body[3:, 1], 1.0 - 1.1 * 1.3, atol=1e-9)  # shoulders: lifted
    middle = tailoring.to_body(np.array([[0.6, -0.1]]))[0, 1]
    assert 1.0 - 1.1 * 1.3 < middle < -0.1  # partly, between neck and shoulder


@pytest.mark.parametrize("sleeveless", [True, False])
def test_no_point_of_the_panel_rises_more_than_max_rise(sleeveless):
    # A tank top's panel is low over the shoulder (its armhole, v 0.77) and high between (its
    # straps, v -0.03). Lifted until the armhole's edge had risen by MAX_RISE, the straps rose
    # to the wearer's head wherever the silhouette went on up (a ponytail, FitDiT 2's hair).
    # A tee, whose shoulder is its top, is still raised (almost) all the way.
    garment_top, panel_top = (0.77, -0.03) if sleeveless else (0.02, -0.05)
    rows = np.linspace(-0.3, 4.0, 28)
    unknown = np.full(28, np.nan)
    flanks = Flanks(rows, unknown, unknown, (unknown, unknown))
    body = SimpleNamespace(flanks=flanks, shoulders=(-0.6, -0.6), turn=1.0, scale=50.0)
    rig = SimpleNamespace(
        edges=SimpleNamespace(at=lambda rows: (np.ones_like(rows), np.ones_like(rows))),
        sleeves={}, worn_armpit_v=garment_top, shoulder_tops=(garment_top, garment_top),
        neck_columns=(0.3, 0.3), panel_uv_box=np.array([-1.0, panel_top, 1.0, 3.0]),
    )  # fmt: skip
    tailoring = tailor(body, rig, ease=0.0)
    tops = np.array([[SHOULDER_COLUMN, panel_top], [-SHOULDER_COLUMN, panel_top]])
    rise = panel_top - tailoring.to_body(tops)[:, 1]
    assert (rise <= MAX_RISE + 1e-9).all()
    shoulder = np.array([[SHOULDER_COLUMN, garment_top]])
    assert garment_top - tailoring.to_body(shoulder)[0, 1] >= (0.05 if sleeveless else 0.3)


def test_a_narrow_garment_reaches_the_outline_and_stays_on_it():
    kp = arms_out(person(center=(320, 120), shoulder_width=120))
    mask = body_mask(kp, torso_half=80, arm_half=18)
    rig = GarmentRig(tshirt("short", stripes=False))
    overlay = pipeline.dress(kp[None], silhouette_of(mask), pipeline.Dressing(rig), SHAPE, CFG)
    keypoints_alone = pipeline.dress(kp[None], None, pipeline.Dressing(rig), SHAPE, CFG)
    fitted, plain = garment_mask(overlay), garment_mask(keypoints_alone)
    chest = np.zeros(SHAPE, bool)
    middle = round(kp[[5, 6], 0].mean())
    chest[150:300, middle - 80 : middle + 80] = True  # the torso's width below the armpits
    assert (fitted & chest).sum() >= 0.97 * chest.sum()
    assert (plain & chest).sum() < 0.9 * chest.sum()  # the tee alone is narrower than her
    grown = cv2.dilate(mask.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    assert (fitted & ~grown).sum() == 0  # never off the outline past the ease and the feather


def test_a_sleeve_covers_an_upper_arm_wider_than_a_typical_one():
    """Past ARM_WIDTHS the upper arm's measure is no arm's width to stop the torso's flank at
    (arm_half_width: another part of the outline may have run on into it), but the outline
    shows something that wide round the arm, a loose sleeve of the wearer's own: the garment's
    sleeve covers it, rather than the typical arm's width with the wearer's sleeve beside it."""
    kp = person(center=(320, 120), shoulder_width=120)  # arms hanging down beside the body
    arm_half = 0.65 * 60  # half shoulder widths: a loose sleeve's, past ARM_WIDTHS[1] (0.45)
    mask = body_mask(kp, torso_half=80, arm_half=arm_half)
    overlay = pipeline.dress(
        kp[None], silhouette_of(mask), pipeline.Dressing(GarmentRig(tshirt())), SHAPE, CFG
    )
    fitted = garment_mask(overlay)
    for side in ("left", "right"):
        shoulder, elbow = overlay.fits[0].body.arms[side][:2]
        along = (elbow - shoulder) / np.linalg.norm(elbow - shoulder)
        middle = (shoulder + elbow) / 2
        across = np.round(middle + np.outer(np.linspace(-0.9, 0.9, 19) * arm_half,
                                            [-along[1], along[0]])).astype(int)  # fmt: skip
        covered = fitted[across[:, 1], across[:, 0]]
        assert covered.mean() == 1.0, (side, covered)


def test_a_hanging_sleeve_rounds_over_the_shoulder_to_the_outline():
    """From its shoulder seam a sleeve's top edge runs straight down the arm; a shoulder is
    round, and the wearer's own sleeve showed over it. Of the outline within 0.6 half shoulder
    widths of each shoulder joint, on its outer side, the tee covered 0.65; rounded, 0.82
    (the rest: a crescent on either side of the one section the cap is rounded at, and the
    corner above the seam)."""
    kp = person(center=(320, 120), shoulder_width=120)  # arms hanging down beside the body
    mask = body_mask(kp, torso_half=80, arm_half=0.4 * 60)
    overlay = pipeline.dress(
        kp[None], silhouette_of(mask), pipeline.Dressing(GarmentRig(tshirt())), SHAPE, CFG
    )
    fitted = garment_mask(overlay)
    ys, xs = np.mgrid[0 : SHAPE[0], 0 : SHAPE[1]]
    for joint, other in ((K["ls"], K["rs"]), (K["rs"], K["ls"])):
        (x, y), (dx, dy) = kp[joint, :2], kp[joint, :2] - kp[other, :2]
        near = (xs - x) ** 2 + (ys - y) ** 2 <= (0.6 * 60) ** 2
        cap = mask & near & ((xs - x) * dx + (ys - y) * dy >= 0)
        assert fitted[cap].mean() >= 0.8, joint


def test_the_outline_s_reach_is_where_it_ends_along_a_line():
    mask = np.zeros(SHAPE, bool)
    mask[100:200, 100:300] = True
    outline = seen_to(mask)
    right, up = np.array([1.0, 0.0]), np.array([0.0, -1.0])
    step = ARM_REACH * 100 / (ARM_SAMPLES - 1)  # the samples' spacing, at a scale of 100 px
    assert outline_reach(outline, np.array([250.0, 150.0]), right, 100.0) == pytest.approx(
        50, abs=step
    )
    assert outline_reach(outline, np.array([250.0, 150.0]), up, 100.0) == pytest.approx(
        50, abs=step
    )
    assert np.isnan(outline_reach(outline, np.array([50.0, 150.0]), right, 100.0))  # off it
    assert np.isnan(outline_reach(outline, np.array([110.0, 150.0]), right, 100.0))  # runs on


def test_an_arm_the_outline_misses_keeps_its_sleeve():
    # In dim light, or against a wall of its colour, the model can miss an arm that the pose
    # model still sees: its sleeve stays, as wide as a typical arm, and stays off the rest.
    kp = arms_out(person(center=(320, 120), shoulder_width=120))
    whole = body_mask(kp, torso_half=80, arm_half=18)
    arm = np.zeros(SHAPE, np.uint8)
    cv2.line(arm, tuple(map(round, kp[K["ls"], :2] + (50, 0))), tuple(map(round, kp[K["lw"], :2])),
             1, 60)  # fmt: skip
    missed = whole & (arm == 0)  # the left arm (on the image's right) gone past the torso
    rig = GarmentRig(tshirt("short", stripes=False))
    overlay = pipeline.dress(kp[None], silhouette_of(missed), pipeline.Dressing(rig), SHAPE, CFG)
    shoulder, elbow = kp[K["ls"], :2], kp[K["le"], :2]
    sleeve = np.round(shoulder + np.linspace(0.3, 0.45, 6)[:, None] * (elbow - shoulder))
    fitted = garment_mask(overlay)
    assert fitted[sleeve[:, 1].astype(int), sleeve[:, 0].astype(int)].all()
    grown = cv2.dilate(whole.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    assert (fitted & ~grown).sum() == 0


def test_the_body_s_core_is_what_its_keypoints_see():
    kp = arms_out(person(center=(320, 120), shoulder_width=120))
    [outline] = silhouette_of(np.zeros(SHAPE, bool)).split(kp[None], CFG.keypoint_score)
    body = fit_body(kp, CFG, True, dataclasses.replace(outline, trusted=True), SHAPE)
    assert len(body.core.bones) == 4 and body.core.torso.shape == (4, 2)
    unseen = kp.copy()
    unseen[[K["le"], K["lh"]], 2] = 0  # an elbow and a hip out of view
    body = fit_body(unseen, CFG, True, dataclasses.replace(outline, trusted=True), SHAPE)
    assert len(body.core.bones) == 2  # the other arm's; the elbow placed hanging is a guess
    assert body.core.torso is None  # hips out of view: a desk may stand there


def test_a_looser_fit_reaches_further_past_the_outline():
    kp = arms_out(person(center=(320, 120), shoulder_width=120))
    mask = body_mask(kp, torso_half=95, arm_half=18)
    rig = GarmentRig(tshirt("short", stripes=False))
    areas = []
    for fit in ("slim", "regular", "loose"):
        dressing = pipeline.Dressing(rig, True, FITS[fit])
        overlay = pipeline.dress(kp[None], silhouette_of(mask), dressing, SHAPE, CFG)
        areas.append(garment_mask(overlay).sum())
    assert areas[0] < areas[1] < areas[2]


def test_the_ease_grows_an_outline_sideways_and_down_but_only_a_little_up():
    dot = np.zeros((21, 21), np.uint8)
    dot[10, 10] = 255  # a body of one pixel, in the middle
    rows, cols = np.nonzero(cv2.dilate(dot, hanging(grow=6, rest=2)))
    assert (rows.min(), rows.max(), cols.min(), cols.max()) == (8, 16, 4, 16)
    assert np.array_equal(hanging(grow=4, rest=4), disk(4))  # as much up: the regular fit


def test_a_loose_fit_hangs_further_beside_the_body_but_rests_on_its_shoulders():
    kp = person(center=(320, 120), shoulder_width=120)  # arms hanging beside the torso
    mask = body_mask(kp, torso_half=80, arm_half=18)
    rig = GarmentRig(tshirt("short", stripes=False))
    fitted = {}
    for fit in ("regular", "loose"):
        dressing = pipeline.Dressing(rig, True, FITS[fit])
        overlay = pipeline.dress(kp[None], silhouette_of(mask), dressing, SHAPE, CFG)
        fitted[fit] = garment_mask(overlay)
    middle, half_shoulder = kp[K["ls"], 0] / 2 + kp[K["rs"], 0] / 2, 60
    off_the_neck = np.r_[-0.9:-0.5:9j, 0.5:0.9:9j] * half_shoulder + middle
    tops = {fit: np.argmax(g[:, np.round(off_the_neck).astype(int)], axis=0)
            for fit, g in fitted.items()}  # fmt: skip
    # Not raised over the shoulders (by 4-5 px, 0.1 half shoulder widths, until the ease rested
    # there); a pixel is the wider panel's slope
    assert (tops["loose"] >= tops["regular"] - 1).all()
    flanks = np.zeros(SHAPE, bool)
    flanks[round(kp[K["ls"], 1]) + 30 : round(kp[K["lh"], 1]), :] = True
    beside = flanks & ~mask
    assert (fitted["loose"] & beside).sum() > 1.5 * (fitted["regular"] & beside).sum()


def test_the_garment_of_the_person_behind_never_covers_the_person_in_front():
    near = person(center=(300, 140), shoulder_width=140)  # bigger: nearer the camera
    far = person(center=(390, 110), shoulder_width=100)  # smaller, behind and to the right
    mask = body_mask(near, 100, 20) | body_mask(far, 70, 15)
    people = np.stack([far, near])
    rig = GarmentRig(tshirt("short", stripes=False))
    overlay = pipeline.dress(people, silhouette_of(mask), pipeline.Dressing(rig), SHAPE, CFG)
    near_fit = next(f for f in overlay.fits if f.person == 1)
    far_fit = next(f for f in overlay.fits if f.person == 0)
    assert [f.person for f in overlay.fits] == [0, 1]  # drawn farthest first
    near_only = body_mask(near, 100, 20) & ~body_mask(far, 70, 15)
    far_garment = garment_mask(overlay, fits=[far_fit])
    assert (far_garment & body_mask(near, 100, 20)).sum() == 0
    assert (garment_mask(overlay, fits=[near_fit]) & near_only).sum() > 0
    for kp in people:  # nobody's garment on anybody's face
        face = np.zeros(SHAPE, np.uint8)
        cv2.circle(face, tuple(map(round, kp[:5, :2].mean(axis=0))), 12, 1, -1)
        assert (garment_mask(overlay) & (face > 0)).sum() == 0


def test_the_hair_in_front_stays_in_front_of_clothes_of_its_colour_behind():
    # Dark hair against the dark clothes of the person behind: no edge splits them, and a
    # flood from the clothes took the whole of the hair (a webcam frame's small, far people
    # blur the edges there too). The top of the head is the person in front's own.
    near = person(center=(320, 330), shoulder_width=140)
    far = person(center=(320, 80), shoulder_width=100)  # behind: the hips at the near head
    face = tuple(map(round, near[:5, :2].mean(axis=0)))
    head, hair = np.zeros(SHAPE, np.uint8), np.zeros(SHAPE, np.uint8)
    cv2.circle(head, face, 35, 1, -1)
    cv2.circle(hair, face, 60, 1, -1)  # hair 0.85 half shoulder widths above the face's centre
    hair = hair.astype(bool) & ~head.astype(bool)
    near_body, far_body = body_mask(near, 100, 20) | hair, body_mask(far, 70, 15)
    frame = np.full((*SHAPE, 3), 235, np.uint8)
    frame[far_body] = frame[hair] = (35, 35, 40)
    frame[body_mask(near, 100, 20)] = (40, 60, 150)
    frame[head.astype(bool)] = (190, 140, 110)
    people = np.stack([far, near])
    rig = GarmentRig(tshirt("short", stripes=False))
    silhouette = silhouette_of(near_body | far_body)
    overlay = pipeline.dress(people, silhouette, pipeline.Dressing(rig), SHAPE, CFG, frame=frame)
    far_fit = next(f for f in overlay.fits if f.person == 0)
    assert (garment_mask(overlay, fits=[far_fit]) & far_body & ~near_body).sum() > 5000
    assert (garment_mask(overlay, fits=[far_fit]) & hair).sum() == 0


def test_an_outline_that_misses_the_person_leaves_the_keypoints_fit():
    kp = person(center=(320, 120), shoulder_width=120)
    wrong = np.zeros(SHAPE, bool)
    wrong[:, :100] = True  # the model saw someone else, far to the left
    rig = GarmentRig(tshirt("short", stripes=False))
    overlay = pipeline.dress(kp[None], silhouette_of(wrong), pipeline.Dressing(rig), SHAPE, CFG)
    alone = pipeline.dress(kp[None], None, pipeline.Dressing(rig), SHAPE, CFG)
    [outline] = silhouette_of(wrong).split(kp[None], CFG.keypoint_score)
    assert not outline.trusted
    assert garment_mask(overlay).sum() == pytest.approx(garment_mask(alone).sum(), rel=0.02)


def test_trust_counts_the_torso_nobody_stands_in_front_of():
    # Half the torso of the person behind is hidden by the head and shoulders of the person
    # in front; what shows of it is all on their outline: they are fitted to it.
    near = person(center=(300, 330), shoulder_width=140)
    far = person(center=(300, 100), shoulder_width=100)
    mask = body_mask(near, 100, 20) | body_mask(far, 70, 15)
    behind, front = silhouette_of(mask).split(np.stack([far, near]), CFG.keypoint_score)
    assert behind.front.any() and behind.trusted and front.trusted


def test_a_person_wholly_out_of_the_region_claims_none_of_it():
    """Someone whose every joint lies past the frame's edge (a pose held for a person who has
    walked out) has no skeleton in the region: they are far from all of it, not on it (their
    distances overflowed to 0, and they took the outline of the person in view, who was then
    fitted to the keypoints alone)."""
    inside = person(center=(320, 120), shoulder_width=120)
    gone = person(center=(-300, 120), shoulder_width=160)  # nearer (wider), out of the frame
    mask = body_mask(inside, 80, 18)
    gone_outline, outline = silhouette_of(mask).split(np.stack([gone, inside]), CFG.keypoint_score)
    assert not gone_outline.own.any()
    assert outline.trusted and outline.own.sum() == mask.sum()


def test_an_outline_missing_a_fifth_of_the_torso_is_not_trusted():
    # In the dark the model can find most of a person but not all: 0.80 of the torso here,
    # and 0.69 of its upper half. A figure found whole covers 0.98-1.00 of the torso on the
    # shared photos, and 0.99-1.00 of its upper half.
    kp = person(center=(320, 120), shoulder_width=120)
    mask = body_mask(kp, 80, 18)
    [whole] = silhouette_of(mask).split(kp[None], CFG.keypoint_score)
    mask[140:200, 330:400] = False
    [part] = silhouette_of(mask).split(kp[None], CFG.keypoint_score)
    assert whole.trusted and not part.trusted


def test_an_outline_that_covers_the_torso_but_not_all_of_its_upper_half_is_trusted():
    # In very dim light the model missed part of a dark top's upper chest and found the rest
    # (FitDiT 0223 in tools.conditions: 0.95 of the torso, 0.81 of its upper half): 0.93 and
    # 0.85 here.
    kp = person(center=(320, 120), shoulder_width=120)
    mask = body_mask(kp, 80, 18)
    mask[130:160, 300:330] = False
    [outline] = silhouette_of(mask).split(kp[None], CFG.keypoint_score)
    assert outline.trusted


def at_a_desk(kp: np.ndarray, edge: int) -> tuple[np.ndarray, np.ndarray]:
    """The person seated behind a desk whose edge is at row ``edge``: the keypoints, those
    below it unseen, and the outline, which ends there."""
    kp = kp.copy()
    kp[kp[:, 1] > edge, 2] = 0.0
    mask = body_mask(person(center=tuple(kp[[5, 6], :2].mean(axis=0))), 80, 18)
    mask[edge:] = False
    return kp, mask


def test_a_desk_in_front_of_the_lower_torso_leaves_the_garment_cut_at_its_edge():
    # A webcam on a monitor sees its user down to the desk, which hides the lower third of
    # the torso and the hips: the outline covers 0.81 of the torso, all of its upper half. It
    # is trusted, and the garment ends at the desk's edge; on the keypoints alone it hung
    # over the desk.
    kp, mask = at_a_desk(person(center=(320, 120), shoulder_width=120), edge=240)  # hips: 288
    [outline] = silhouette_of(mask).split(kp[None], CFG.keypoint_score)
    assert outline.trusted
    dressing = pipeline.Dressing(GarmentRig(tshirt("short", stripes=False)))
    worn = garment_mask(pipeline.dress(kp[None], silhouette_of(mask), dressing, SHAPE, CFG))
    assert worn[150:230, 280:360].all()  # the chest
    assert off_eased_outline(worn, mask, 60.0) == 0
    alone = garment_mask(pipeline.dress(kp[None], None, dressing, SHAPE, CFG))
    assert off_eased_outline(alone, mask, 60.0) > 0.1 * alone.sum()


def test_a_piece_of_the_outline_apart_from_the_body_is_not_the_person_s():
    # Below a desk's edge the model can take part of the desk for the body going on. A piece
    # that hangs together with none of the person's bones is not theirs; a hand the model
    # found apart from its arm (at a cuff of the wall's colour) is: its forearm's bone ends
    # in it.
    kp, mask = at_a_desk(person(center=(320, 120), shoulder_width=120), edge=240)
    mask[255:300, 250:390] = True  # the desk, taken for the body
    [outline] = silhouette_of(mask).split(kp[None], CFG.keypoint_score)
    assert not outline.own[255:300].any()
    assert (outline.own == mask & (np.arange(SHAPE[0])[:, None] < 240)).all()
    out = person(center=(320, 120), shoulder_width=120, arms="out")  # right wrist at x = 80
    mask = body_mask(out, 80, 18)
    mask[:, 92:100] = False  # the cuff: the hand, x < 92, apart from the arm
    [outline] = silhouette_of(mask).split(out[None], CFG.keypoint_score)
    assert (outline.own == mask).all()


def test_a_dress_hangs_across_the_gap_between_the_legs_and_a_top_does_not():
    kp = person(center=(320, 120), shoulder_width=120)  # hips at y = 288
    mask = np.zeros(SHAPE, np.uint8)
    cv2.rectangle(mask, (250, 110), (390, 300), 1, -1)  # the torso
    cv2.rectangle(mask, (250, 300), (308, 470), 1, -1)  # the legs, a gap of 24 px between
    cv2.rectangle(mask, (332, 300), (390, 470), 1, -1)
    gap = (slice(312, 330), slice(312, 328))  # between the legs, below the hips (to 336)
    for category, covered in ((Category.DRESS, True), (Category.SHORT_SLEEVE, False)):
        garment = dataclasses.replace(tshirt(), category=category, key=category.value)
        dressing = pipeline.Dressing(GarmentRig(garment))
        overlay = pipeline.dress(kp[None], silhouette_of(mask), dressing, SHAPE, CFG)
        worn = garment_mask(overlay)
        assert worn[gap].mean() > 0.9 if covered else worn[gap].mean() < 0.1, category
        assert worn[300:320, 260:300].all()  # both cover the thighs below the hips


def test_a_gap_is_closed_where_the_cover_encloses_it_and_borders_what_closes_it():
    cover = np.zeros((9, 9), bool)
    cover[:, 0:2] = cover[:, 6:9] = cover[0] = True  # a U, open at the bottom edge
    assert not closed_gaps(cover, cover).any()  # the gap reaches the region's edge
    closing = np.zeros((9, 9), bool)
    closing[7:9, 2:6] = True  # a skirt hanging across its bottom
    cover |= closing
    assert closed_gaps(cover, closing)[1:7, 2:6].all()
    assert closed_gaps(cover, closing).sum() == 6 * 4
    far = np.zeros((9, 9), bool)
    far[0, 0] = True  # a corner of the cover, nowhere near the gap
    assert not closed_gaps(cover, far).any()


def test_a_dress_hangs_across_the_gap_between_a_hanging_arm_and_the_waist():
    # The skirt closes the gap below the hand; the dress is cloth above it too, where the
    # outline alone would cut a hole in it, the wall showing through (FitDiT 0, 2 and 3).
    kp = person(center=(320, 120), shoulder_width=120)  # arms hanging; hips at y = 288
    mask = np.zeros(SHAPE, np.uint8)
    chest_to_waist = [(262, 110), (378, 110), (352, 190), (352, 300), (288, 300), (288, 190)]
    cv2.fillPoly(mask, [np.array(chest_to_waist)], 1)
    cv2.rectangle(mask, (288, 300), (316, 470), 1, -1)  # the legs
    cv2.rectangle(mask, (324, 300), (352, 470), 1, -1)
    for shoulder, elbow, wrist in ((K["ls"], K["le"], K["lw"]), (K["rs"], K["re"], K["rw"])):
        for a, b in ((shoulder, elbow), (elbow, wrist)):
            cv2.line(mask, tuple(map(round, kp[a, :2])), tuple(map(round, kp[b, :2])), 1, 24)
    gap = (slice(230, 270), slice(358, 372))  # between the left arm and the waist
    assert not mask[gap].any()
    garment = dataclasses.replace(tshirt(), category=Category.DRESS, key=Category.DRESS.value)
    dressing = pipeline.Dressing(GarmentRig(garment))
    worn = garment_mask(pipeline.dress(kp[None], silhouette_of(mask), dressing, SHAPE, CFG))
    assert worn[gap].mean() > 0.9


def test_a_dress_flares_out_from_the_hips_and_hangs_past_the_outline_s_region():
    # A dress wider than the wearer's hips leaves their outline below the hip line gradually,
    # not in a step where the outline stops counting; and it goes on down past the region
    # the segmenter saw (there, nothing says where the body ends).
    kp = person(center=(320, 120), shoulder_width=120)  # hips at y = 288
    kp[7:11, 2] = 0  # arms unseen: only the outline says where the body is
    mask = np.zeros(SHAPE, np.uint8)
    cv2.rectangle(mask, (250, 110), (390, 240), 1, -1)  # the chest
    cv2.rectangle(mask, (280, 240), (360, 300), 1, -1)  # slim hips
    cv2.rectangle(mask, (296, 300), (318, 470), 1, -1)  # and legs
    cv2.rectangle(mask, (322, 300), (344, 470), 1, -1)
    garment = dataclasses.replace(tshirt(), category=Category.DRESS, key=Category.DRESS.value)
    dressing = pipeline.Dressing(GarmentRig(garment))
    seen_to = 320  # the segmenter's region ends there
    silhouette = Silhouette((0, 0, SHAPE[1], seen_to), mask[:seen_to] * 255)
    worn = garment_mask(pipeline.dress(kp[None], silhouette, dressing, SHAPE, CFG))
    rows = np.flatnonzero(worn.any(axis=1))
    assert rows.max() >= seen_to + 10
    below = rows[rows >= 280]
    for edge in ([np.flatnonzero(worn[y]).min() for y in below],
                 [np.flatnonzero(worn[y]).max() for y in below]):  # fmt: skip
        assert np.abs(np.diff(edge)).max() <= 2
        assert abs(edge[-1] - edge[0]) >= 5  # and it does flare out


def test_a_close_up_is_fitted_to_its_outline_down_to_the_frame_s_edge():
    # A webcam at a desk sees its user's head and chest; the hips and arms are below the
    # frame. The model looks down to where the hips would be, the outline is trusted, and the
    # garment covers the body to the frame's edge, as wide as it is, and stays on it.
    whole = person(center=(320, 120), shoulder_width=120)  # elbows at y = 216, hips at 288
    close_up = (200, 640)
    kp = whole.copy()
    kp[K["le"] :, 2] = 0.0
    assert pipeline.person_region(kp, close_up, CFG)[3] == close_up[0]
    mask = body_mask(whole, torso_half=80, arm_half=18, shape=close_up)
    [outline] = silhouette_of(mask).split(kp[None], CFG.keypoint_score)
    assert outline.trusted
    dressing = pipeline.Dressing(GarmentRig(tshirt("short", stripes=False)))
    overlay = pipeline.dress(kp[None], silhouette_of(mask), dressing, close_up, CFG)
    worn = garment_mask(overlay, close_up)
    assert worn[150:, 280:360].all()  # the chest between the arms, to the frame's edge
    reach = np.flatnonzero(worn[190])
    assert reach[0] <= 240 and reach[-1] >= 400  # as wide as the outline (232..408)
    assert off_eased_outline(worn, mask, 60.0) <= 0.01 * worn.sum()


def off_eased_outline(worn: np.ndarray, mask: np.ndarray, scale: float) -> int:
    """How many ``worn`` pixels lie off the outline ``mask`` grown by the regular fit's ease
    (and the feathered edge) at a body ``scale`` in pixels."""
    ease = FITS["regular"] * scale + CFG.feather_px
    eased = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8), iterations=round(ease))
    return int((worn & ~eased.astype(bool)).sum())


def hands_on_hips(kp: np.ndarray, degrees: float, upper: float = 100) -> np.ndarray:
    """The person with each upper arm (``upper`` px long) turned ``degrees`` out from hanging
    and its hand back on the hip."""
    kp = kp.copy()
    for shoulder, elbow, wrist, hip in ((5, 7, 9, 11), (6, 8, 10, 12)):
        side = np.sign(kp[shoulder, 0] - kp[[5, 6], 0].mean())
        way = np.array([side * np.sin(np.radians(degrees)), np.cos(np.radians(degrees))])
        kp[elbow, :2] = kp[shoulder, :2] + upper * way
        kp[wrist, :2] = kp[hip, :2] + (side * 10, 0)
    return kp


@pytest.mark.parametrize("degrees", [0, 20, 40])
def test_an_upper_arm_s_outer_edge_says_which_way_it_goes(degrees):
    # (the elbows below every row sought: as in a close-up, where they are below the frame)
    kp = hands_on_hips(person(center=(320, 120), shoulder_width=120), degrees, upper=180)
    outline = seen_to(body_mask(kp, torso_half=70, arm_half=18))
    slope = arm_edge_slope(outline, kp[5, :2], DOWN, OUT, 60.0)  # the left arm
    assert slope == pytest.approx(np.tan(np.radians(degrees)), abs=0.08)


def test_an_upper_arm_s_edge_that_leaves_the_outline_s_region_is_followed_to_there():
    # The arm runs out of the region the model saw (the frame's side, say) 54 px below its
    # shoulder: the rows below do not show where its edge goes, and do not flatten it.
    kp = hands_on_hips(person(center=(320, 120), shoulder_width=120), 40, upper=180)
    mask = body_mask(kp, torso_half=70, arm_half=18)
    slope = arm_edge_slope(seen_to(mask, right=450), kp[5, :2], DOWN, OUT, 60.0)
    assert slope == pytest.approx(np.tan(np.radians(40)), abs=0.1)
    slope = arm_edge_slope(seen_to(mask, right=430), kp[5, :2], DOWN, OUT, 60.0)
    assert np.isnan(slope)  # too few rows show it


def test_an_upper_arm_s_edge_seen_over_a_short_span_counts_in_part():
    # The frame ends 0.95 half shoulder widths below the shoulder: the edge shows on the rows
    # from 0.5 to 0.9 of them, a span of 0.4, and its slope counts 0.4 (EDGE_FULL_SPAN 1), so
    # the sleeve turns smoothly, not at once, as the frame shows more of the arm.
    kp = hands_on_hips(person(center=(320, 120), shoulder_width=120), 40, upper=180)
    mask = body_mask(kp, torso_half=70, arm_half=18)
    outline = seen_to(mask, bottom=round(kp[5, 1] + 0.95 * 60))
    slope = arm_edge_slope(outline, kp[5, :2], DOWN, OUT, 60.0)
    assert slope == pytest.approx(0.4 * np.tan(np.radians(40)), abs=0.05)


def test_rows_that_run_out_of_the_frame_s_bottom_do_not_show_the_edge():
    # A torso leaning over: the rows run out and down, and the lowest ones leave the frame
    # through its bottom before they reach the arm's edge. That is not the arm going out of
    # view at the frame's side (which would count the slope in full): those rows show nothing.
    kp = hands_on_hips(person(center=(320, 120), shoulder_width=120), 25, upper=180)
    mask = body_mask(kp, torso_half=70, arm_half=18)
    down, out = np.array([-0.3, 1.0]) / np.hypot(0.3, 1), np.array([1.0, 0.3]) / np.hypot(1, 0.3)
    whole = arm_edge_slope(seen_to(mask), kp[5, :2], down, out, 60.0)
    cut = arm_edge_slope(
        seen_to(mask, bottom=round(kp[5, 1] + 1.2 * 60)), kp[5, :2], down, out, 60.0
    )
    assert 0 < cut <= 0.5 * whole  # counted in part (read as leaving sideways: 0.84 of it)


def test_an_elbow_below_a_close_up_goes_where_its_arm_s_outline_goes():
    # A webcam close-up of a person with her hands on her hips: the elbows are below the
    # frame, and the outline shows the upper arms going out. Each elbow goes their way, and so
    # do the sleeves; hung straight down, they lay on the chest as flaps.
    whole = hands_on_hips(person(center=(320, 120), shoulder_width=120), 35)
    close_up = (200, 640)  # 80 px below the shoulders; an elbow hanging would be 105 px
    kp = whole.copy()
    kp[K["le"] :, 2] = 0.0
    mask = body_mask(whole, torso_half=70, arm_half=18, shape=close_up)
    [outline] = silhouette_of(mask).split(kp[None], CFG.keypoint_score)
    body = fit_body(kp, CFG, True, outline, close_up)
    for side, shoulder, elbow in (("left", K["ls"], K["le"]), ("right", K["rs"], K["re"])):
        way = body.arms[side][1] - body.arms[side][0]
        true = whole[elbow, :2] - whole[shoulder, :2]
        angle = np.degrees(np.arccos(way @ true / np.linalg.norm(way) / np.linalg.norm(true)))
        assert angle < 6
    hung = fit_body(kp, CFG, True, None, close_up)  # no outline: hanging, as before
    assert abs(hung.arms["left"][1, 0] - kp[K["ls"], 0]) < 1e-6
    dressing = pipeline.Dressing(GarmentRig(tshirt("short", stripes=False)))
    overlay = pipeline.dress(kp[None], silhouette_of(mask), dressing, close_up, CFG)
    worn = garment_mask(overlay, close_up)
    for shoulder, elbow in ((K["ls"], K["le"]), (K["rs"], K["re"])):
        a, b = whole[shoulder, :2], whole[elbow, :2]
        on_arm = np.round(a + np.linspace(0.3, 0.5, 6)[:, None] * (b - a)).astype(int)
        assert worn[on_arm[:, 1], on_arm[:, 0]].all()  # the sleeve lies on the arm
    assert off_eased_outline(worn, mask, 60.0) <= 0.01 * worn.sum()


def test_merged_silhouettes_keep_the_likeliest_person_at_each_pixel():
    a = Silhouette((10, 20, 30, 40), np.full((20, 20), 200, np.uint8))
    b = Silhouette((25, 0, 45, 30), np.full((30, 20), 100, np.uint8))
    merged = Silhouette.merge([a, b])
    assert merged.box == (10, 0, 45, 40)
    p = merged.probability  # over the union box: y from 0, x from 10
    assert p[25, 5] == 200 and p[5, 30] == 100 and p[25, 17] == 200  # a; b; both: a's
    assert p[5, 5] == 0 and p[35, 30] == 0  # neither looked there


def test_each_person_is_segmented_in_a_region_of_their_own():
    small = person(center=(100, 100), shoulder_width=40)
    big = person(center=(450, 120), shoulder_width=100)
    regions = []

    def segmenter(image, region):
        regions.append(region)
        x0, y0, x1, y1 = region
        return Silhouette(region, np.full((y1 - y0, x1 - x0), 255, np.uint8))

    models = pipeline.Models(None, None, segmenter)
    image = np.zeros((*SHAPE, 3), np.uint8)
    silhouette = pipeline.segment(image, np.stack([small, big]), models, CFG)
    assert len(regions) == 2
    for region, kp in zip(regions, (small, big), strict=True):
        x0, y0, x1, y1 = region
        inside = (kp[:, 0] >= x0) & (kp[:, 0] <= x1) & (kp[:, 1] >= y0) & (kp[:, 1] <= y1)
        assert inside.all()
    assert regions[0][2] < 200 < regions[1][0]  # the small person's region is theirs alone
    assert silhouette.box == (min(r[0] for r in regions), min(r[1] for r in regions),
                              max(r[2] for r in regions), max(r[3] for r in regions))  # fmt: skip


def test_a_body_turned_sideways_is_fitted_to_its_outline():
    # Seen from the side her shoulder joints are 40 px apart, but her torso is as deep as a
    # frontal one 120 px wide is broad: the garment reaches her outline all the same.
    kp = person(center=(320, 120), shoulder_width=120)
    kp[5:17, 0] = 320 + (kp[5:17, 0] - 320) / 3
    kp[7:11, 2] = 0  # the arms hidden behind her
    mask = np.zeros(SHAPE, np.uint8)
    cv2.rectangle(mask, (320 - 55, 110), (320 + 55, 330), 1, -1)
    cv2.circle(mask, (320, 50), 35, 1, -1)
    mask = mask.astype(bool)
    rig = GarmentRig(tshirt("short", stripes=False))
    overlay = pipeline.dress(kp[None], silhouette_of(mask), pipeline.Dressing(rig), SHAPE, CFG)
    alone = pipeline.dress(kp[None], None, pipeline.Dressing(rig), SHAPE, CFG)
    chest = np.zeros(SHAPE, bool)
    chest[150:250, 320 - 55 : 320 + 55] = True
    assert (garment_mask(overlay) & chest).sum() >= 0.95 * chest.sum()
    assert (garment_mask(alone) & chest).sum() < 0.6 * chest.sum()
    grown = cv2.dilate(mask.astype(np.uint8), np.ones((9, 9), np.uint8)) > 0
    assert (garment_mask(overlay) & ~grown).sum() == 0


def test_a_flank_that_flips_between_frames_holds_still_in_a_video():
    """A loose sleeve whose outline reaches past the arm's outer side in one frame and not in
    the next flips the torso's measured width beside the upper arm (measures.measure_flanks); in a
    video (pipeline.infer, with a tracker) the width taken holds still, near the wider."""
    kp = person(center=(320, 120), shoulder_width=120)  # arms hanging down beside the body
    plain = body_mask(kp, torso_half=80, arm_half=20)
    loose = plain.astype(np.uint8)
    shoulder, elbow = kp[K["ls"], :2], kp[K["le"], :2]
    cv2.line(loose, tuple(map(round, shoulder + (8, 0))), tuple(map(round, elbow + (8, 0))), 1,
             56)  # fmt: skip
    masks = [silhouette_of(m) for m in (plain, loose.astype(bool))]
    models = pipeline.Models(
        detector=lambda image: (np.array([[200.0, 0, 440, 479]]), np.array([0.9])),
        pose=lambda image, boxes: (kp[None, :, :2].copy(), kp[None, :, 2].copy()),
        segmenter=lambda image, region: masks[int(image[0, 0, 0])],
    )
    dressing = pipeline.Dressing(GarmentRig(tshirt("short", stripes=False)), True, FITS["regular"])
    tracker, row = Tracker(CFG), 6  # a row beside the upper arm (v 0.66)
    steady, alone = [], []
    for i in range(12):
        frame = np.full((*SHAPE, 3), i % 2, np.uint8)  # the segmenter sees the sleeve or not
        overlay = pipeline.infer(frame, i / 30, models, tracker, dressing, CFG, Stats())
        steady.append(overlay.fits[0].body.flanks.left[row])
        overlay = pipeline.dress(kp[None], masks[i % 2], dressing, SHAPE, CFG)
        alone.append(overlay.fits[0].body.flanks.left[row])
    assert np.ptp(alone) > 0.3  # each frame alone: the width flips by a fifth of the shoulders
    assert np.ptp(steady[1:]) < 0.25 * np.ptp(alone)
    assert min(steady[1:]) > max(alone) - 0.25 * np.ptp(alone)


SHIRT, HAIR, WALL = (200, 40, 40), (40, 30, 25), (200, 200, 200)


def one_behind_another(hair_colour, shirt=SHIRT):
    """The person behind stands close behind, their chest (a ``shirt``, red unless said) round
    the head of the person in front, whose hair reaches past the disk the split draws round a
    face, before a wall: the people (2, 17, 3), the frame, the silhouette, the true masks of
    both and of the hair."""
    near = person(center=(320, 330), shoulder_width=140)
    far = person(center=(320, 180), shoulder_width=110)
    face = tuple(map(round, near[:5, :2].mean(axis=0)))
    hair = np.zeros(SHAPE, np.uint8)
    cv2.circle(hair, face, 55, 1, -1)
    hair = hair.astype(bool)
    near_mask = body_mask(near, 100, 20) | hair
    far_mask = body_mask(far, 80, 18) & ~near_mask
    frame = np.full((*SHAPE, 3), WALL, np.uint8)
    frame[far_mask] = shirt
    frame[near_mask] = (60, 120, 200)  # a blue top
    frame[hair] = hair_colour
    cv2.circle(frame, face, 30, (205, 150, 120), -1)  # the face
    noise = np.random.default_rng(0).normal(0, 6, frame.shape)  # a camera's
    frame = np.clip(frame + noise, 0, 255).astype(np.uint8)
    silhouette = silhouette_of(near_mask | far_mask)
    return np.stack([far, near]), frame, silhouette, far_mask, hair, face


def test_the_frame_s_edges_split_what_the_person_in_front_claims_from_the_person_behind():
    # The silhouette has no edge between hair and shirt; the frame has.
    people, frame, silhouette, far_mask, hair, face = one_behind_another(HAIR)
    behind, front = silhouette.split(people, CFG.keypoint_score, frame)
    blind_behind, blind_front = silhouette.split(people, CFG.keypoint_score)
    ys = np.arange(SHAPE[0])[:, None]
    over_head = far_mask & ~blind_behind.own & (ys < face[1])  # the shirt claimed over it
    assert over_head.sum() > 5000
    # the edge itself, a line of pixels where the two meet, stays with the person in front
    assert behind.own[over_head].mean() > 0.95 and front.own[over_head].mean() < 0.05
    beside_neck = far_mask & ~blind_behind.own & (ys >= face[1])  # down to the shoulders
    assert beside_neck.sum() > 5000 and behind.own[beside_neck].mean() > 0.9
    assert not behind.own[hair].any() and front.own[hair].all()
    gained = behind.own & ~blind_behind.own  # all of it their shirt; nothing else changes
    assert not (gained & ~far_mask).any() and (blind_behind.own <= behind.own).all()
    assert (behind.front == blind_behind.front & ~gained).all()
    assert (front.own == blind_front.own & ~gained).all()


def test_a_shirt_the_colour_of_the_wall_is_split_from_the_hair_in_front_as_any_other():
    # The silhouette has the shirt, the frame shows no edge between it and the wall: the
    # background takes no part in the split (flooded from the wall, it took the shirt).
    people, frame, silhouette, far_mask, hair, face = one_behind_another(HAIR, shirt=WALL)
    behind, front = silhouette.split(people, CFG.keypoint_score, frame)
    blind_behind, _ = silhouette.split(people, CFG.keypoint_score)
    over_head = far_mask & ~blind_behind.own & (np.arange(SHAPE[0])[:, None] < face[1])
    assert over_head.sum() > 5000 and behind.own[over_head].mean() > 0.95
    assert not behind.own[hair].any() and front.own[hair].all()


def test_hair_the_colour_of_the_shirt_behind_it_stays_with_the_person_in_front():
    # No edge to find: the floods meet where they meet, and the person in front, seeded on
    # their head, keeps their hair (the person behind, seeded beyond the claim, does not
    # reach it).
    people, frame, silhouette, _, hair, _ = one_behind_another(SHIRT)
    behind, front = silhouette.split(people, CFG.keypoint_score, frame)
    assert behind.own[hair].mean() < 0.05 and front.own[hair].mean() > 0.95


def unsure(level: int) -> float:
    """The square of the binary entropy, in bits, of a probability level (0..255)."""
    p = level / 255
    return (-(p * np.log2(p) + (1 - p) * np.log2(1 - p))) ** 2


def test_a_pixel_the_model_is_unsure_of_moves_towards_its_last_value():
    now = Silhouette((10, 0, 14, 2), np.array([[0, 128, 255, 128], [200, 200, 60, 60]], np.uint8))
    before = Silhouette((11, 0, 20, 2), np.array([[255] * 9, [0] * 9], np.uint8))
    steadied = now.steadied(before, 0.7).probability
    assert steadied[0, 0] == 0 and steadied[1, 0] == 200  # before the previous one's box
    assert steadied[0, 2] == 255  # sure: the model's answer, whatever it was before
    assert steadied[0, 1] == round(128 + 0.7 * unsure(128) * 127)  # unsure: pulled up...
    assert steadied[1, 1] == round(200 - 0.7 * unsure(200) * 200)  # ...or down
    assert steadied[1, 2] == round(60 - 0.7 * unsure(60) * 60)
    assert now.probability[0, 1] == 128  # the model's own is left as it was
    assert now.steadied(before, 0.0) is now and now.steadied(None, 0.7) is now
    apart = Silhouette((30, 0, 34, 2), np.zeros((2, 4), np.uint8))
    assert now.steadied(apart, 0.7) is now


def test_an_edge_that_flips_between_frames_holds_still_in_a_video():
    """A band of the outline the model calls person in one frame (150) and not in the next
    (60), as a camera's noise makes it do at the edge: steadied, it stays one or the other."""
    tracker = Tracker(CFG)
    probability = np.full((40, 40), 255, np.uint8)
    probability[:, 30:] = 0
    raw, steady = [], []
    for i in range(12):
        probability[:, 25:30] = (150, 60)[i % 2]
        silhouette = Silhouette((100, 100, 140, 140), probability.copy())
        raw.append(silhouette.mask[0, 27])
        steady.append(tracker.steady_silhouette(silhouette).mask[0, 27])
    assert len(set(raw)) == 2 and len(set(steady[2:])) == 1
    assert tracker.steady_silhouette(None) is None  # none this time: nothing to steady by
    fresh = Silhouette((100, 100, 140, 140), probability.copy())
    assert tracker.steady_silhouette(fresh) is fresh


def test_flicker_is_the_share_of_the_garment_that_changes_where_the_frame_does_not():
    frame = np.full((20, 20, 3), 100, np.uint8)
    moved = frame.copy()
    moved[15:, :] = 200  # the camera's own frame changes there: not the garment's flicker
    fitted = [frame.copy() for _ in range(3)]
    for image in fitted:
        image[:10, :10] = (200, 0, 0)  # a garment of 100 pixels...
    fitted[1][:10, 10:12] = (200, 0, 0)  # ...20 pixels wider in the second frame
    fitted[2][15:, :] = 200  # as the frame
    shares, often = steadiness.flicker([frame, frame, moved], fitted)
    assert shares == pytest.approx([20 / 120, 20 / 120])
    assert often.sum() == 40 and often[:10, 10:12].min() == 2
