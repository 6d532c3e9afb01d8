"""What of the wearer is in front of the garment, found in the frame's colours: a forearm with
its own outline, their neck in front of the inside of the garment's back, their hair."""

import dataclasses
import math
from fractions import Fraction

import cv2
import numpy as np
import pytest

from fitting import arm_outlines, pipeline
from fitting.arm_outlines import ToldForearm, forearm_outline, forearm_outlines
from fitting.body import Capsule, fit_body
from fitting.colours import BINS, colour_bins, histogram, seen_bins, spread, spread_histogram
from fitting.composite import prepare_layers
from fitting.config import FitConfig
from fitting.geometry import perp, unit
from fitting.keypoints import Keypoint as K
from fitting.layers import Layer
from fitting.neck_hair import hair_outline, neck_outline
from fitting.occluders import InFront, in_front, top_and_skin
from fitting.patches import Patch, capsule_mask
from fitting.rig import GarmentRig
from fitting.silhouette import Outline, Silhouette, crop
from fitting.stats import Stats
from fitting.tracking import Tracker
from fitting.warp import YOKE
from tests.synthetic import COLLAR_STAND, person, tshirt

CFG = FitConfig()
SHAPE = (480, 640)
SHIRT, SKIN, WALL = (35, 35, 40), (205, 150, 120), (200, 200, 205)


def bins_of(*colours) -> np.ndarray:
    """The flat colour bin of each of ``colours`` (RGB), as colours.colour_bins gives it."""
    return colour_bins(np.array([colours], np.uint8), (0, 0, len(colours), 1)).ravel()


def limb(a, b, width: int) -> np.ndarray:
    """(H, W) bool: a limb ``width`` px wide drawn from point ``a`` to point ``b``."""
    mask = np.zeros(SHAPE, np.uint8)
    cv2.line(mask, tuple(map(round, a)), tuple(map(round, b)), 1, width)
    return mask > 0


def scene(arm_from, arm_to, arm_half: int, arm_color=SKIN):
    """A dark shirt filling the frame's middle and a forearm of ``arm_half`` across it."""
    frame = np.full((*SHAPE, 3), WALL, np.uint8)
    frame[100:400, 200:440] = SHIRT
    arm = limb(arm_from, arm_to, 2 * arm_half + 1)
    frame[arm] = arm_color
    return frame, arm


def test_the_forearm_keeps_its_own_edge_not_the_capsule_s():
    # The arm is 7 px either side of its axis; the keypoints put the capsule 4 px off it and
    # 12 px wide, as a pose model's would be.
    frame, arm = scene((260, 250), (380, 250), arm_half=7)
    capsule = Capsule(np.array([262.0, 254.0]), np.array([378.0, 254.0]), 12.0)
    patch = forearm_outline(frame, capsule).arm
    x0, y0, x1, y1 = patch.box
    found = np.zeros(SHAPE, bool)
    found[y0:y1, x0:x1] = patch.alpha >= 0.5
    ys, xs = np.mgrid[0 : SHAPE[0], 0 : SHAPE[1]]
    in_capsule = (np.abs(ys - 254) <= 12) & (xs >= 262) & (xs <= 378)
    assert (found & arm & in_capsule).sum() >= 0.97 * (arm & in_capsule).sum()
    shirt_in_capsule = in_capsule & ~_grown(arm, 1)  # the shirt, past the arm's soft edge
    assert (found & shirt_in_capsule).sum() <= 0.03 * shirt_in_capsule.sum()


def test_a_forearm_whose_keypoints_lie_off_its_middle_is_told_from_the_shirt():
    """The keypoints put the capsule's axis 8 px off the middle of an arm 15 px wide: the
    core straddles the arm's edge, and less than ARM_TOLD of it looks like the arm (0.54),
    though the ring is all shirt. The capsule is moved onto the arm and the arm told; kept
    as the capsule, it showed the shirt beside the arm (VITON-HD 02849's hanging forearm,
    its elbow placed on her skirt)."""
    frame, arm = scene((260, 250), (380, 250), arm_half=7)
    capsule = Capsule(np.array([262.0, 258.0]), np.array([378.0, 258.0]), 12.0)
    seen = forearm_outline(frame, capsule)
    assert seen is not None and seen.told
    found = crop(seen.arm.alpha, seen.arm.box, (0, 0, SHAPE[1], SHAPE[0])) >= 0.5
    ys, xs = np.mgrid[0 : SHAPE[0], 0 : SHAPE[1]]
    in_capsule = (np.abs(ys - 258) <= 12) & (xs >= 262) & (xs <= 378)
    assert (found & arm & in_capsule).sum() >= 0.97 * (arm & in_capsule).sum()
    shirt_in_capsule = in_capsule & ~_grown(arm, 1)  # the shirt, past the arm's soft edge
    assert (found & shirt_in_capsule).sum() <= 0.03 * shirt_in_capsule.sum()


@pytest.mark.parametrize("moved", [0, 10])
def test_a_told_forearm_s_edge_is_held_to_its_last_outline(moved):
    """Hysteresis per pixel: a strip along the arm's edge, inside its capsule, whose colour
    is a little too much like the shirt's to be the arm (its likelihood 0.18: 1 in 10 of the
    arm's pixels and 3 in 10 of the shirt's are of it) is not the arm anew, but stays
    the arm where the last inference's outline had it, as the arm has moved since (its
    outline is moved with its capsule)."""
    blend = (225, 170, 140)  # a shade of the skin a colour bin away
    ys, xs = np.mgrid[0 : SHAPE[0], 0 : SHAPE[1]]
    pattern = (3 * xs + ys) % 10
    frame, arm = scene((260, 250), (380, 250), arm_half=7)
    frame[arm & (pattern == 0)] = blend
    frame[(frame == SHIRT).all(axis=2) & (pattern < 3)] = blend
    strip = limb((262, 250), (378, 250), 23) & ~_grown(arm, 1)  # 9-11 px off the axis
    frame[strip] = blend
    strip[:, :262] = strip[:, 379:] = False  # beside the arm, not round its ends
    capsule = Capsule(np.array([262.0, 250.0]), np.array([378.0, 250.0]), 12.0)
    # The last inference: the arm ``moved`` px higher, and as wide as the strip (its skin)
    last, _ = scene((260, 250 - moved), (380, 250 - moved), arm_half=11)
    last_capsule = Capsule(capsule.start - (0, moved), capsule.end - (0, moved), 12.0)
    before = ToldForearm(last_capsule, forearm_outline(last, last_capsule).arm)

    def strip_kept(told):
        patch = forearm_outline(frame, capsule, before=told).arm
        return (crop(patch.alpha, patch.box, (0, 0, SHAPE[1], SHAPE[0]))[strip] >= 0.5).mean()

    assert strip_kept(None) < 0.05
    assert strip_kept(before) > 0.95


def test_the_wall_inside_a_loose_outline_beside_a_hanging_arm_is_not_the_arm():
    # The segmentation model's outline runs a few pixels past the arm and closes the gap of
    # wall between a hanging arm and the body. The wall is not the arm: a colour the shirt
    # round it does not show, it was kept with the arm, a pale line on the new garment.
    frame, arm = scene((452, 200), (452, 330), arm_half=6)  # 6 px of wall from the shirt
    loose = _grown(arm, 4)
    loose[100:400, 200:440] = loose[200:330, 440:446] = True  # the body, and the gap closed
    outline = Outline((0, 0, SHAPE[1], SHAPE[0]), loose, np.zeros(SHAPE, bool))
    capsule = Capsule(np.array([452.0, 205.0]), np.array([452.0, 325.0]), 9.0)
    patch = forearm_outline(frame, capsule, outline).arm
    found = crop(patch.alpha, patch.box, (0, 0, SHAPE[1], SHAPE[0])) >= 0.5
    wall = loose & ~_grown(arm, 1) & ~(frame == SHIRT).all(axis=2)
    wall[: 205 - 9] = wall[325 + 9 :] = False  # beside the capsule (its ends are round)
    assert (found & arm).sum() >= 0.97 * arm.sum()
    assert (found & wall).sum() <= 0.03 * wall.sum()


def test_a_histogram_spread_in_one_go_is_the_histogram_spread():
    samples = np.random.default_rng(0).integers(0, BINS**3, 500)
    near, seen = spread_histogram(samples)
    np.testing.assert_allclose(near, spread(histogram(samples)), rtol=1e-5)
    np.testing.assert_array_equal(seen, seen_bins(samples))


def test_a_colour_s_count_is_shared_with_its_neighbours_and_not_past_the_cube_s_faces():
    counts = np.zeros((BINS, BINS, BINS))
    counts[5, 9, 2] = 1  # inside the cube
    counts[0, BINS - 1, 0] = 1  # at a corner
    near = spread(counts.ravel()).reshape(BINS, BINS, BINS)
    blur, edge = np.array([1.0, 2.0, 1.0]), np.array([2.0, 1.0])  # edge: from the face inwards
    cube = np.einsum("i,j,k->ijk", blur, blur, blur)
    corner = np.einsum("i,j,k->ijk", edge, edge[::-1], edge)
    np.testing.assert_array_equal(near[4:7, 8:11, 1:4], cube)
    np.testing.assert_array_equal(near[:2, -2:, :2], corner)
    assert near.sum() == 64 + 27  # the corner's share past the faces is lost


def test_the_top_in_the_arm_s_shade_is_not_the_arm():
    # Beside the arm a white top lies in its shade, a shade darker than round it: one colour
    # bin off what the ring shows, not a colour the ring does not show (a cup). Taken for
    # the arm, it drew a strip of the wearer's own top beside the arm on the new garment.
    frame, arm = scene((260, 250), (380, 250), arm_half=6)
    frame[(frame == SHIRT).all(axis=2)] = (240, 240, 240)
    shade = _grown(arm, 4) & ~arm
    frame[shade] = (226, 226, 226)
    capsule = Capsule(np.array([262.0, 252.0]), np.array([378.0, 252.0]), 12.0)
    patch = forearm_outline(frame, capsule).arm
    found = crop(patch.alpha, patch.box, (0, 0, SHAPE[1], SHAPE[0])) >= 0.5
    shade &= capsule_mask([capsule], (0, 0, SHAPE[1], SHAPE[0])) >= 0.5
    shade &= ~_grown(arm, 1)  # past the arm's soft edge
    assert (found & arm).sum() >= 0.97 * arm.sum()
    assert (found & shade).sum() <= 0.05 * shade.sum()


def test_an_arm_the_colour_of_the_shirt_keeps_the_capsule():
    frame, _ = scene((260, 250), (380, 250), arm_half=7, arm_color=SHIRT)
    capsule = Capsule(np.array([262.0, 254.0]), np.array([378.0, 254.0]), 12.0)
    assert forearm_outline(frame, capsule) is None


def test_what_the_hand_holds_stays_in_front():
    # A white cup in the hand is neither skin nor shirt: it is not the shirt, so it shows.
    frame, _ = scene((260, 250), (380, 250), arm_half=7)
    frame[240:262, 262:276] = (245, 245, 245)
    capsule = Capsule(np.array([262.0, 254.0]), np.array([378.0, 254.0]), 12.0)
    patch = forearm_outline(frame, capsule).arm
    x0, y0 = patch.box[:2]
    assert (patch.alpha[240 - y0 : 262 - y0, 262 - x0 : 276 - x0] >= 0.5).mean() >= 0.95


@pytest.mark.parametrize("step", [Fraction(4, 3), Fraction(5, 3), 2, 3])
def test_a_wide_forearm_read_on_the_frame_shrunk_has_the_whole_frame_s_outline(step, monkeypatch):
    """The scene above (a cup held at the hand's end) closer, as a webcam on a desk or a
    photo shows arms: the capsule's radius is ``step`` x DETAIL_PX, and the arm is read on
    its region shrunk by ``step``. The arm's outline and what the hand holds are the ones
    read on the whole frame, to within a shrunk pixel of their edges."""
    zoom = float(step) * arm_outlines.DETAIL_PX / 12  # the scene's capsule: a radius of 12 px
    frame, _ = scene((260, 250), (380, 250), arm_half=7)
    frame[236:266, 370:390] = (245, 245, 245)
    frame = cv2.resize(frame, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_LINEAR)
    top = seen_bins(bins_of(SHIRT))
    capsule = Capsule(np.array([262.0, 254.0]) * zoom, np.array([378.0, 254.0]) * zoom, 12 * zoom)
    steps = []  # the resolution each arm is read at, in frame pixels to one of its own
    found_at = arm_outlines._found
    monkeypatch.setattr(arm_outlines, "_found", lambda *a, **k: steps.append(k.get("pixel", 1))
                        or found_at(*a, **k))  # fmt: skip
    shrunk = forearm_outline(frame, capsule, holds=top)
    # told at the last inference, its outline (the frame's pixels) held to on the shrunk one
    again = forearm_outline(frame, capsule, holds=top, before=ToldForearm(capsule, shrunk.arm))
    monkeypatch.setattr(arm_outlines, "DETAIL_PX", np.inf)
    whole = forearm_outline(frame, capsule, holds=top)
    assert steps == pytest.approx([step, step, 1])
    assert again.arm.box == shrunk.arm.box
    assert np.array_equal(again.arm.alpha >= 0.5, shrunk.arm.alpha >= 0.5)
    region = (0, 0, frame.shape[1], frame.shape[0])
    for part in ("arm", "held"):
        a, b = (getattr(seen, part) for seen in (shrunk, whole))
        a, b = (crop(p.alpha, p.box, region) >= 0.5 for p in (a, b))
        edge = cv2.morphologyEx(b.astype(np.uint8), cv2.MORPH_GRADIENT, np.ones((3, 3)))
        near_edge = _grown(edge > 0, math.ceil(step) - 1)
        assert b.sum() > 500
        assert not ((a ^ b) & ~near_edge).any()


def test_the_garment_fills_in_around_a_forearm_across_the_chest():
    kp = person(center=(320, 120), shoulder_width=120, arms="cross")
    elbow, wrist = kp[7, :2], kp[9, :2]
    hand = wrist + (wrist - elbow) * CFG.hand_length
    frame, arm = scene(elbow, hand, arm_half=6)
    rig = GarmentRig(tshirt("short", stripes=False))
    dressing = pipeline.Dressing(rig)
    shape = frame.shape
    with_frame = pipeline.dress(kp[None], None, dressing, shape, CFG, frame=frame)
    capsules = pipeline.dress(kp[None], None, dressing, shape, CFG)
    covered = [_covered(o, shape) for o in (with_frame, capsules)]
    radius = CFG.forearm_radius * 60  # the capsule: 0.2 half shoulder widths
    beside = limb(elbow, wrist, round(2 * radius)) & ~_grown(arm, 2)  # the shirt it would show
    beside[:, : round(hand[0])] = beside[:, round(elbow[0]) - 10 :] = False  # on the chest
    assert (covered[0] & beside).sum() >= 0.9 * beside.sum()  # filled in
    assert (covered[1] & beside).sum() <= 0.1 * beside.sum()  # the capsule's hole
    for c in covered:
        assert (c & arm).sum() <= 0.03 * arm.sum()  # the forearm shows either way


def test_a_forearm_raised_to_the_face_beside_its_upper_arm_keeps_its_own_edge():
    # Drinking: the forearm runs up from the elbow beside its own upper arm, the hand at the
    # face. Their skin lies round the forearm but is not what it lies on: the forearm is still
    # told from the shirt, and the shirt inside its capsule, beside the arm, is covered.
    kp, frame = neck_scene()
    shoulder = kp[K.LEFT_SHOULDER, :2]
    elbow = shoulder + np.array([-25.0, 85.0])
    wrist = elbow + np.array([-15.0, -105.0])
    kp[K.LEFT_ELBOW, :2], kp[K.LEFT_WRIST, :2] = elbow, wrist
    hand = wrist + (wrist - elbow) * CFG.hand_length  # at the face
    upper, fore = limb(shoulder, elbow, 19), limb(elbow, hand, 13)
    frame[upper | fore] = SKIN
    dressing = pipeline.Dressing(GarmentRig(tshirt("short", stripes=False)))
    overlay = pipeline.dress(kp[None], None, dressing, SHAPE, CFG, frame=frame)
    covered = _covered(overlay, SHAPE)
    radius = fit_body(kp, CFG).forearms["left"].radius  # the keypoints' capsule, to the wrist
    capsule = capsule_mask([Capsule(elbow, wrist, radius)], (0, 0, *SHAPE[::-1])) >= 0.5
    skin = _grown(upper | fore, 2)
    beside = capsule & ~skin & np.all(frame == SHIRT, axis=2)
    assert beside.sum() > 300
    assert covered[beside].mean() >= 0.9
    assert covered[fore].mean() <= 0.03  # the forearm shows


def test_a_forearm_in_a_long_sleeve_is_not_cut_out_beside_the_sleeve():
    # The forearm's own outline is wider than the sleeve drawn along its keypoints: cut out of
    # the panel there, it showed a strip of skin beside the sleeve. Far from the sleeve (the
    # hand past its cuff) it is still cut out.
    body = fit_body(person(center=(320, 120), shoulder_width=120, arms="cross"), CFG)
    panel = Layer("panel", None, (200, 100, 440, 400), np.full((300, 240, 4), 255, np.uint8))
    sleeve_rgba = np.zeros((300, 240, 4), np.uint8)
    sleeve_rgba[100:120, 100:200, 3] = 255  # rows 200..220 of the frame, x 300..400
    sleeve = Layer("left sleeve", "left", (200, 100, 440, 400), sleeve_rgba)
    forearm = np.zeros((300, 240), np.float32)
    forearm[96:124, 60:200] = 1.0  # 4 px wider than the sleeve each side, and the hand
    seen = InFront(forearms={"left": Patch((200, 100, 440, 400), forearm)})
    sharp = dataclasses.replace(CFG, feather_px=0)
    for long_sleeves, beside_cut in ((True, False), (False, True)):
        ready = prepare_layers(body, [panel, sleeve], long_sleeves, sharp, seen=seen)
        alpha = ready[0].alpha  # the panel's
        assert (alpha[96:100, 110:190] == 0).all() == beside_cut  # beside the sleeve
        assert (alpha[100:120, 60:80] == 0).all()  # the hand, past the cuff


def test_a_forearm_is_cut_out_only_where_the_person_is():
    """Beside a hand hanging at the body's side, its capsule reaches past the person's
    outline: a loose garment's drape there (a skirt, the ease) is not cut by it."""
    kp = person(center=(320, 120), shoulder_width=120)  # arms hanging down beside the body
    frame, _ = scene(kp[7, :2], kp[9, :2], arm_half=6, arm_color=SHIRT)  # not told apart
    outline = np.zeros(SHAPE, np.uint8)
    cv2.rectangle(outline, (258, 100), (382, 400), 1, -1)  # the torso, and the arms
    for joints in ((5, 7, 9), (6, 8, 10)):  # hanging a little apart from it
        cv2.polylines(outline, [np.round(kp[joints, :2]).astype(np.int32)], False, 1, 13)
    silhouette = Silhouette((0, 0, SHAPE[1], SHAPE[0]), outline * 255)
    [own] = silhouette.split(kp[None], CFG.keypoint_score)
    body = fit_body(kp, CFG, True, own)
    patches = forearm_outlines(frame, body).arms
    assert set(patches) == set(body.forearms)  # every forearm, told apart or not
    for side, patch in patches.items():
        x0, y0, x1, y1 = patch.box
        cut = patch.alpha >= 0.5
        on_person = outline[y0:y1, x0:x1] > 0
        capsule = capsule_mask([body.forearms[side]], patch.box) >= 0.5
        assert (capsule & ~on_person).any()  # the capsule does reach off the person...
        assert not (cut & ~on_person).any()  # ...the cut does not
        assert (cut & capsule & on_person).sum() >= 0.95 * (capsule & on_person).sum()


DRESS = (235, 235, 230)


def dress_scene(speckled: bool = False):
    """A person in a white dress, arms hanging straight at its sides, before a darker wall:
    their keypoints, the frame, and their silhouette. ``speckled``: dots of the arms' skin
    colour, 2 in 11 of the dress's and the wall's pixels."""
    kp = person(center=(320, 120), shoulder_width=120)  # arms hanging, elbows straight
    frame = np.full((*SHAPE, 3), (150, 150, 155), np.uint8)
    body = np.zeros(SHAPE, np.uint8)
    cv2.fillConvexPoly(body, np.array([[262, 110], [378, 110], [400, 420], [240, 420]]), 1)
    frame[body > 0] = DRESS
    if speckled:
        ys, xs = np.mgrid[0 : SHAPE[0], 0 : SHAPE[1]]
        frame[(3 * xs + ys) % 11 < 2] = SKIN
    cv2.circle(body, (320, 50), 26, 1, -1)
    cv2.circle(frame, (320, 50), 26, SKIN, -1)
    for shoulder, elbow, wrist in (kp[[5, 7, 9], :2], kp[[6, 8, 10], :2]):
        for a, b, half in ((shoulder, elbow, 16), (elbow, wrist, 7)):  # upper arm, forearm
            ends = tuple(map(round, a)), tuple(map(round, b))
            cv2.line(frame, *ends, SKIN, 2 * half + 1)
            cv2.line(body, *ends, 1, 2 * half + 1)
    return kp, frame, Silhouette((0, 0, SHAPE[1], SHAPE[0]), body * 255)


def test_a_straight_arm_hanging_beside_a_dress_is_told_from_it():
    """The ring round the forearm is not sampled on its own bare upper arm, past the elbow:
    its skin, taken for what the arm lies on, left the arm untold (its ring's share 0.83),
    and the capsule, wider than the arm, showed the wearer's dress beside it."""
    kp, frame, silhouette = dress_scene()
    [own] = silhouette.split(kp[None], CFG.keypoint_score)
    body = fit_body(kp, CFG, True, own)
    forearms = forearm_outlines(frame, body)
    assert forearms.told.keys() == {"left", "right"}
    for side, patch in forearms.arms.items():
        x0, y0, x1, y1 = patch.box
        capsule = capsule_mask([body.forearms[side]], patch.box) >= 0.5
        on_dress = np.all(frame[y0:y1, x0:x1] == DRESS, axis=2)
        dress = on_dress & ~_grown(~on_dress, 1)  # the dress, past the arm's soft edge
        assert (capsule & dress).sum() > 50
        assert (patch.alpha[capsule & dress] < 0.5).mean() >= 0.9


def test_a_forearm_told_at_the_last_inference_stays_told_a_little_past_the_thresholds():
    """Hysteresis: 2 in 11 of the ring's pixels the arm's colour (its share 0.82) do not tell
    the arm anew (0.85 needed), but keep it told (0.80)."""
    kp, frame, silhouette = dress_scene(speckled=True)
    [own] = silhouette.split(kp[None], CFG.keypoint_score)
    body = fit_body(kp, CFG, True, own)
    assert forearm_outlines(frame, body).told == {}
    _, plain, _ = dress_scene()
    told = forearm_outlines(plain, body).told
    held = dataclasses.replace(body, forearms_told={"left": told["left"]})
    assert forearm_outlines(frame, held).told.keys() == {"left"}


@pytest.mark.parametrize("segmented", [True, False])
def test_the_tracker_holds_a_forearm_s_tell_from_one_inference_to_the_next(segmented):
    """In a video (pipeline.infer), the forearms told at one inference are told down to the
    lower shares at the next, with the person's outline or by the keypoints alone: told on
    the plain dress, they stay told on the speckled one, which alone tells neither."""
    kp, plain, silhouette = dress_scene()
    _, speckled, _ = dress_scene(speckled=True)
    models = pipeline.Models(
        detector=lambda image: (np.array([[200.0, 0, 440, 479]]), np.array([0.9])),
        pose=lambda image, boxes: (kp[None, :, :2].copy(), kp[None, :, 2].copy()),
        segmenter=(lambda image, region: silhouette) if segmented else None,
    )
    dressing = pipeline.Dressing(GarmentRig(tshirt("short", stripes=False)))

    def told(frames):
        tracker = Tracker(CFG)
        for i, frame in enumerate(frames):
            overlay = pipeline.infer(frame, i / 30, models, tracker, dressing, CFG, Stats())
        assert tracker.forearms_told(0) is overlay.fits[0].forearms_told
        return overlay.fits[0].forearms_told.keys()

    assert told([plain]) == {"left", "right"}
    assert told([speckled]) == set()
    assert told([plain, speckled]) == {"left", "right"}


def neck_scene(shirt=SHIRT):
    """A person (keypoints) in a shirt, with a bare neck narrower than a tee's neckline."""
    kp = person(center=(320, 120), shoulder_width=120)
    frame = np.full((*SHAPE, 3), WALL, np.uint8)
    frame[108:400, 230:410] = shirt
    cv2.circle(frame, (320, 50), 24, SKIN, -1)
    frame[60:126, 306:335] = SKIN  # the neck, down into the shirt's own crew neck
    return kp, frame


def test_the_inside_of_the_back_fills_the_neckline_where_the_wearer_s_top_shows():
    # The tee's neckline (u +-0.43: x 294..346) is wider than the neck (x 306..334): beside
    # the neck, the wearer's own shirt would show through it; the inside of the back covers
    # it, and the neck stays in front.
    kp, frame = neck_scene()
    dressing = pipeline.Dressing(GarmentRig(tshirt("short", stripes=False, back=True)))
    with_frame = pipeline.dress(kp[None], None, dressing, frame.shape, CFG, frame=frame)
    without = pipeline.dress(kp[None], None, dressing, frame.shape, CFG)
    covered = [_covered(o, frame.shape) for o in (with_frame, without)]
    beside = np.zeros(SHAPE, bool)
    beside[116:124, 296:302] = beside[116:124, 338:344] = True
    neck = np.zeros(SHAPE, bool)
    neck[100:124, 310:331] = True
    assert covered[0][beside].mean() >= 0.9  # the own shirt is covered...
    assert covered[1][beside].mean() <= 0.1  # ...where the bare opening showed it
    assert covered[0][neck].mean() <= 0.03  # the neck is in front


def test_the_band_where_the_neck_blends_into_the_top_is_covered():
    # The camera blends neck and top over a few pixels into a colour neither is: left in
    # front, it drew a dark ring inside the garment's wider neckline.
    kp, frame = neck_scene()
    blend = tuple((np.array(SKIN) + SHIRT) // 2)
    frame[108:128, 304:306] = frame[108:128, 335:337] = frame[126:128, 304:337] = blend
    dressing = pipeline.Dressing(GarmentRig(tshirt("short", stripes=False, back=True)))
    overlay = pipeline.dress(kp[None], None, dressing, frame.shape, CFG, frame=frame)
    band = np.all(frame == blend, axis=2)
    band[:116] = False  # inside the tee's neckline
    assert _covered(overlay, frame.shape)[band].mean() >= 0.9


def test_no_seam_shows_between_the_neckline_and_the_inside_of_the_back():
    # Two soft edges side by side let a quarter of the frame through; the inside of the back
    # reaches under the panel's edge, as the sleeves do across the armholes.
    kp, frame = neck_scene()
    dressing = pipeline.Dressing(GarmentRig(tshirt("short", stripes=False, back=True)))
    overlay = pipeline.dress(kp[None], None, dressing, frame.shape, CFG, frame=frame)
    cover = _coverage(overlay, frame.shape)
    beside_neck = np.r_[cover[116:134, 290:304].ravel(), cover[116:134, 336:350].ravel()]
    assert beside_neck.min() >= 0.97


def test_a_collar_s_stand_is_behind_the_neck():
    # A shirt's product photo shows the back of its collar rising above its neck points; worn,
    # it is behind the neck, which stays in front; it covers only the wearer's own top.
    kp, frame = neck_scene()
    rig = GarmentRig(tshirt("short", stripes=False, collar=True))
    stand = np.array([320, 95 - COLLAR_STAND // 2])  # garment pixels
    assert _opaque(rig.collar, stand) and not _opaque(rig.panel, stand)
    overlay = pipeline.dress(kp[None], None, pipeline.Dressing(rig), frame.shape, CFG, frame=frame)
    neck = np.zeros(SHAPE, bool)
    neck[60:124, 310:331] = True
    assert _covered(overlay, frame.shape)[neck].mean() <= 0.03


def test_a_top_the_colour_of_the_skin_leaves_the_neckline_open():
    kp, frame = neck_scene(shirt=SKIN)
    body = fit_body(kp, CFG)
    assert neck_outline(frame, body, (290, 100, 350, 135), top_and_skin(frame, body)) is None


def test_the_top_is_sampled_beside_an_arm_brought_in_front_of_the_chest():
    # Drinking: the elbow comes forward in front of the chest, the forearm up to the chin.
    # Sampled on the bare upper arm too, the top's colours were mostly skin, the top was not
    # told from the skin, and the inside of the garment's back was not drawn.
    kp, frame = neck_scene()
    kp[K.LEFT_ELBOW, :2], kp[K.LEFT_WRIST, :2] = (322, 205), (318, 100)
    cv2.line(frame, (380, 120), (322, 205), SKIN, 44)  # the upper arm, over 3/4 of the chest
    cv2.line(frame, (322, 205), (318, 100), SKIN, 30)
    body = fit_body(kp, CFG)
    assert neck_outline(frame, body, (290, 100, 350, 135), top_and_skin(frame, body)) is not None


def test_a_hand_before_the_chest_is_not_sampled_as_the_top():
    # Drinking, the hand round a cup lies before the chest, wider than the forearm's capsule,
    # and in the light, as the neck is (the face, lower, is in shade): sampled as the top,
    # the hand's colours made the lit neck read as the top, and the inside of the garment's
    # back was drawn over it.
    lit = (240, 190, 155)
    kp, frame = neck_scene()
    frame[95:126, 306:335] = lit
    kp[K.LEFT_ELBOW, :2], kp[K.LEFT_WRIST, :2] = (410, 205), (350, 185)
    forearm = fit_body(kp, CFG).forearms["left"]
    cv2.line(frame, (410, 205), (350, 185), lit, 24)
    cv2.circle(frame, tuple(map(round, forearm.end)), round(2 * forearm.radius), lit, -1)
    dressing = pipeline.Dressing(GarmentRig(tshirt("short", stripes=False, back=True)))
    overlay = pipeline.dress(kp[None], None, dressing, frame.shape, CFG, frame=frame)
    covered = _covered(overlay, frame.shape)
    neck, beside = np.zeros(SHAPE, bool), np.zeros(SHAPE, bool)
    neck[100:124, 310:331] = True
    beside[116:124, 296:302] = beside[116:124, 338:344] = True
    assert covered[neck].mean() <= 0.03
    assert covered[beside].mean() >= 0.9  # the top, still told, is covered beside the neck


def test_the_skin_is_sampled_on_the_person_only():
    # A white shirt by a white wall, the face's keypoints half off the face (as one ear at the
    # frame's edge places it): sampled there, the wall's white was "skin", so the shirt was.
    kp, frame = neck_scene(shirt=WALL)
    kp[: K.RIGHT_EAR + 1, 0] += 26
    person = np.all(frame == SKIN, axis=2)
    person[108:400, 230:410] = True
    silhouette = Silhouette((0, 0, SHAPE[1], SHAPE[0]), person.astype(np.uint8) * 255)
    [outline] = silhouette.split(kp[None], CFG.keypoint_score)
    body = fit_body(kp, CFG, True, outline)
    assert neck_outline(frame, body, (290, 100, 350, 135), top_and_skin(frame, body)) is not None


def test_a_face_placed_by_the_nose_alone_is_sampled_for_skin_past_the_cup_at_its_mouth():
    # A webcam close up cuts the face at the nose: eyes and ears are above the frame, the face
    # gets the smallest capsule, and drinking, the cup at the mouth filled its core. Taken for
    # the skin, the cup's white left the face's shaded skin unsampled: it read as a dark top,
    # and the inside of a hood was drawn over the chin.
    cup = (250, 250, 250)
    kp, frame = neck_scene()
    kp[K.LEFT_EYE : K.RIGHT_EAR + 1, 2] = 0
    frame[44:68, 308:332] = cup
    samples = top_and_skin(frame, fit_body(kp, CFG))
    on_cup = samples.skin_index == bins_of(cup)[0]
    assert on_cup.mean() <= 0.5


def test_the_garment_covers_the_wearer_s_top_showing_above_its_shoulders():
    # A hunched wearer: their shirt rises above the tee's shoulder edge on both sides of the
    # neck, a shade darker than on the chest. With their outline the garment's yoke covers
    # it; the neck stays in front; without the frame's colours nothing is drawn there.
    kp, frame = neck_scene()
    rise = np.zeros(SHAPE, bool)
    rise[88:110, 262:302] = rise[88:110, 338:378] = True
    frame[rise] = np.subtract(SHIRT, 12)
    person = np.all(frame != WALL, axis=2)
    silhouette = Silhouette((0, 0, SHAPE[1], SHAPE[0]), person.astype(np.uint8) * 255)
    dressing = pipeline.Dressing(GarmentRig(tshirt("short", stripes=False)))
    fits = [pipeline.dress(kp[None], silhouette, dressing, frame.shape, CFG, frame=f)
            for f in (frame, None)]  # fmt: skip
    covered = [_covered(o, frame.shape) for o in fits]
    band = np.zeros(SHAPE, bool)
    band[90:100, 278:286] = band[90:100, 354:362] = True  # by the neck, where the lift fades
    neck = np.zeros(SHAPE, bool)
    neck[90:108, 310:331] = True
    assert covered[1][band].mean() <= 0.1  # the shirt showed above the garment...
    assert covered[0][band].mean() >= 0.85  # ...and is covered by it now
    assert covered[0][neck].mean() <= 0.03
    assert covered[0][:86].sum() == 0  # no higher than the shirt


def covered_beside_a_lock(dark_wall: bool = False) -> np.ndarray:
    """Where a tee covers ``neck_scene``'s wearer (bool) with the tip of a dark lock resting
    above their left shoulder, apart from the shirt (the wall between, down to the shirt at
    row 108), and the shirt rising above the right shoulder, both of the shirt's colours;
    ``dark_wall``: that wall as dark as they are, off the wearer's silhouette all the same."""
    kp, frame = neck_scene()
    apart, rising = np.zeros(SHAPE, bool), np.zeros(SHAPE, bool)
    apart[84:97, 262:300] = True  # left: wall between it and the shirt (from row 108)
    rising[88:110, 340:378] = True  # right: going on down into the shirt
    frame[apart | rising] = np.subtract(SHIRT, 12)
    person = np.all(frame != WALL, axis=2)
    if dark_wall:
        frame[97:108, 262:300] = np.subtract(SHIRT, 12)  # the wall behind, below the lock
    silhouette = Silhouette((0, 0, SHAPE[1], SHAPE[0]), person.astype(np.uint8) * 255)
    dressing = pipeline.Dressing(GarmentRig(tshirt("short", stripes=False)))
    overlay = pipeline.dress(kp[None], silhouette, dressing, frame.shape, CFG, frame=frame)
    return _covered(overlay, frame.shape)


BESIDE_THE_NECK = np.s_[88:96, 278:286]  # left of it, where the yoke would cover a rising shirt


def test_what_looks_like_the_top_above_the_shoulders_but_stays_apart_from_it_is_not_covered():
    # The tip of a dark lock resting above a bare shoulder, in the colours of the wearer's
    # dark top but apart from it: the yoke, which covers their own top above the garment's
    # shoulders, is not drawn over it, as it is over the same colours rising from the top.
    covered = covered_beside_a_lock()
    assert covered[BESIDE_THE_NECK].mean() <= 0.1
    assert np.fliplr(covered)[BESIDE_THE_NECK].mean() >= 0.85


def test_background_of_the_top_s_colours_does_not_join_a_lock_to_the_top():
    # The same lock, but the wall between it and the shirt is as dark as they are (a dark
    # room behind a dark top). Off the wearer's outline, that wall is not their top: the lock
    # stays apart from it, and the yoke is not drawn over the lock.
    covered = covered_beside_a_lock(dark_wall=True)
    assert covered[BESIDE_THE_NECK].mean() <= 0.1
    assert np.fliplr(covered)[BESIDE_THE_NECK].mean() >= 0.85


HAIR = (120, 70, 30)


def hair_scene(hair=HAIR, head=((320, 40), 58), lock_to=190):
    """A person in a shirt with hair round their head (``head``: centre, radius) and a lock of
    it falling over their left shoulder down to ``lock_to`` (y), and their silhouette (hair
    included)."""
    kp, frame = neck_scene()
    lock = np.zeros(SHAPE, np.uint8)
    cv2.circle(lock, *head, 1, -1)  # the hair round the head...
    lock[40:lock_to, 348:366] = 1  # ...and a lock hanging over the shoulder
    frame[lock > 0] = hair
    cv2.circle(frame, (320, 50), 24, SKIN, -1)  # the face in front of it
    person = np.any(frame != WALL, axis=2).astype(np.uint8) * 255
    return kp, frame, Silhouette((0, 0, SHAPE[1], SHAPE[0]), person)


def test_long_hair_over_the_shoulder_stays_in_front_of_the_garment():
    kp, frame, silhouette = hair_scene()
    dressing = pipeline.Dressing(GarmentRig(tshirt("short", stripes=False)))
    fits = [pipeline.dress(kp[None], silhouette, dressing, frame.shape, CFG, frame=f)
            for f in (frame, None)]  # fmt: skip
    covered = [_covered(o, frame.shape) for o in fits]
    lock = np.zeros(SHAPE, bool)
    lock[125:188, 350:364] = True  # over the shirt, where the garment is
    shirt = np.zeros(SHAPE, bool)
    shirt[140:190, 250:340] = True
    assert covered[1][lock].mean() >= 0.9  # the garment covered the hair...
    assert covered[0][lock].mean() <= 0.03  # ...which now falls over it
    assert covered[0][shirt].mean() >= 0.97  # and nothing else is cut out


LOCK = (350, 125, 364, 188)  # the hair_scene's lock over the shirt, its edges aside


def _hair(kp, frame, silhouette):
    """neck_hair.hair_outline of the person ``kp`` in ``frame``, with their silhouette."""
    body = fit_body(kp, CFG, True, silhouette.split(kp[None], CFG.keypoint_score)[0])
    return hair_outline(frame, body, top_and_skin(frame, body))


def test_a_lock_a_shade_lighter_than_the_hair_round_the_face_is_hair():
    # Light falls on a lock over the shoulder: its colour moves into the next bin of each
    # channel from the hair sampled round the face, as light and shade move the top's and the
    # skin's. Taken only in the bins the ring showed, on a camera's frames the lock came and
    # went from one frame to the next.
    kp, frame, silhouette = hair_scene()
    frame[110:190, 348:366] = tuple(c + 16 for c in HAIR)  # the next bin up in R, G and B
    hair = _hair(kp, frame, silhouette)
    assert crop(hair.patch.alpha, hair.patch.box, LOCK).min() >= 0.5


def test_a_colour_a_stray_few_of_the_hair_s_samples_show_is_not_hair():
    # The outline round the hair is loose: the ring round the face sees the wall in a few
    # places. The shade of the top beside the lock is the wall's grey; taken for the hair's
    # colour, it was kept in front of the garment, a pale fringe round the lock.
    kp, frame, silhouette = hair_scene()
    for angle in np.radians([200, 270, 340]):  # on the ring, 52 px round the face's centre
        x, y = np.round((320, 49) + 52 * np.array([np.cos(angle), np.sin(angle)])).astype(int)
        frame[y - 2 : y + 2, x - 2 : x + 2] = WALL
    frame[150:190, 366:384] = WALL  # on the shirt, beside the lock
    hair = _hair(kp, frame, silhouette)
    assert crop(hair.patch.alpha, hair.patch.box, (368, 152, 382, 188)).max() == 0
    assert crop(hair.patch.alpha, hair.patch.box, LOCK).min() >= 0.5


def test_hair_the_colour_of_the_top_is_not_cut_out():
    hair = _hair(*hair_scene(hair=SHIRT))
    assert hair.patch is None
    assert hair.like_top  # said, so that the yoke is not drawn over it


def _grown(mask: np.ndarray, px: int) -> np.ndarray:
    return cv2.dilate(mask.astype(np.uint8), np.ones((2 * px + 1,) * 2, np.uint8)) > 0


def _opaque(part, xy) -> bool:
    """Whether a rig's part is opaque at garment pixel ``xy``."""
    x, y = np.round(xy - part.origin).astype(int)
    level = part.levels[0]
    return 0 <= y < level.shape[0] and 0 <= x < level.shape[1] and level[y, x, 3] >= 128


def _coverage(overlay, shape) -> np.ndarray:
    """How much of each pixel the overlay's layers cover, together."""
    total = np.zeros(shape[:2], np.float32)
    for fit in overlay.fits:
        for layer in fit.layers:
            x0, y0, x1, y1 = layer.box
            region = total[y0:y1, x0:x1]
            region += layer.alpha * (1 - region)
    return total


def _covered(overlay, shape) -> np.ndarray:
    return _coverage(overlay, shape) >= 0.5


def test_a_long_sleeve_stays_on_a_forearm_raised_in_front_of_the_face():
    # Drinking, the forearm comes up from an elbow at the chest and lies in front of the chin:
    # its long sleeve is drawn there, up to the wrist. With the elbow raised beside the head
    # (hands clasped behind it), the forearm may be behind the head: the face stays in front.
    sharp = dataclasses.replace(CFG, feather_px=0)
    kp = person(center=(320, 240), shoulder_width=120)
    nose = kp[K.NOSE, :2]
    for elbow, before in (((350, 312), True), ((416, 186), False)):
        kp[K.LEFT_ELBOW, :2], kp[K.LEFT_WRIST, :2] = elbow, nose + (6, 12)
        body = fit_body(kp, CFG)
        joints = np.round(kp[[K.LEFT_SHOULDER, K.LEFT_ELBOW, K.LEFT_WRIST], :2]).astype(np.int32)
        rgba = np.zeros((*SHAPE, 4), np.uint8)
        cv2.polylines(rgba, [joints], False, (90, 90, 90, 255), 24)
        sleeve = Layer("left sleeve", "left", (0, 0, SHAPE[1], SHAPE[0]), rgba)
        [ready] = prepare_layers(body, [sleeve], True, sharp)
        forearm = kp[K.LEFT_ELBOW, :2] + np.linspace(0, 1, 50)[:, None] * (nose + (6, 12) - elbow)
        on_face = capsule_mask([body.head], (0, 0, SHAPE[1], SHAPE[0]))
        xy = np.round(forearm).astype(int)
        before_face = on_face[xy[:, 1], xy[:, 0]] > 0.5
        assert before_face.sum() >= 10  # the wrist's end of the forearm is over the face
        drawn = ready.alpha[xy[before_face, 1], xy[before_face, 0]]
        assert (drawn > 0.9).all() if before else (drawn < 0.1).all()


def test_a_long_sleeve_raised_to_the_face_stays_off_another_person_s_face():
    # The sleeve of a forearm come up to its wearer's face is in front of that face only:
    # another person's face there (someone in front) still covers it.
    sharp = dataclasses.replace(CFG, feather_px=0)
    kp = person(center=(320, 240), shoulder_width=120)
    wrist = kp[K.NOSE, :2] + (6, 12)
    kp[K.LEFT_ELBOW, :2], kp[K.LEFT_WRIST, :2] = (350, 312), wrist
    body = fit_body(kp, CFG)
    rgba = np.zeros((*SHAPE, 4), np.uint8)
    joints = np.round(kp[[K.LEFT_SHOULDER, K.LEFT_ELBOW, K.LEFT_WRIST], :2]).astype(np.int32)
    cv2.polylines(rgba, [joints], False, (90, 90, 90, 255), 24)
    sleeve = Layer("left sleeve", "left", (0, 0, SHAPE[1], SHAPE[0]), rgba)
    other_face = Capsule(wrist, wrist, 15.0)
    [ready] = prepare_layers(body, [sleeve], True, sharp, faces=(other_face,))
    on_other = capsule_mask([other_face], (0, 0, SHAPE[1], SHAPE[0])) == 1
    assert ready.alpha[on_other].max() < 0.1


def test_the_forearm_s_blurred_edge_does_not_draw_a_dark_line_on_the_garment():
    # A camera blurs the arm's edge into the dark shirt it lies on over a few pixels. Cut out
    # whole, those dark pixels drew a line round the arm on a light garment; matted, the
    # garment shows through them as much as they are shirt.
    frame, arm = scene((260, 250), (380, 250), arm_half=9)
    frame = cv2.GaussianBlur(frame, (0, 0), 2.0)
    capsule = Capsule(np.array([262.0, 250.0]), np.array([378.0, 250.0]), 12.0)
    patch = forearm_outline(frame, capsule).arm
    x0, y0, x1, y1 = patch.box
    garment = np.array([230.0, 60.0, 60.0])  # a red top drawn behind the arm
    alpha = patch.alpha[..., None]
    out = alpha * frame[y0:y1, x0:x1] + (1 - alpha) * garment
    column = 320 - x0  # across the arm's middle, from above it to below it
    luminance = out[:, column].mean(axis=1)
    arm_rows = np.flatnonzero(arm[y0:y1, 320])
    assert luminance.min() >= min(np.mean(SKIN), garment.mean()) - 15
    # The arm itself stays whole, but for its blurred edge: 3 px in, a blur of 2 px leaves
    # 93% of a pixel the arm's
    assert (patch.alpha[arm_rows[3:-3], column] > 0.9).all()


def test_an_arm_s_shade_fading_into_a_dark_top_leaves_no_dark_blobs_on_the_garment():
    # A hanging arm against the body: its inner side darkens into the black top over more
    # than the edge's band (shade, then blur), and the keypoints put the capsule's axis on that
    # side. Matted against the arm's nearest pixel (the shade itself), the shade stayed whole,
    # in dark blobs on the garment.
    frame, arm = scene((260, 250), (380, 250), arm_half=8)
    fade = np.linspace(1.0, 0.0, 20)[:, None, None]  # rows 259-278: skin to the shirt's black
    frame[259:279, 260:381] = (fade * SKIN + (1 - fade) * np.array(SHIRT)).astype(np.uint8)
    frame = cv2.GaussianBlur(frame, (0, 0), 1.0)
    capsule = Capsule(np.array([262.0, 262.0]), np.array([378.0, 262.0]), 12.0)
    patch = forearm_outline(frame, capsule).arm
    x0, y0, x1, y1 = patch.box
    garment = np.array([230.0, 60.0, 60.0])
    alpha = patch.alpha[..., None]
    out = alpha * frame[y0:y1, x0:x1] + (1 - alpha) * garment
    luminance = out[:, 280 - x0 : 360 - x0].mean(axis=2)  # along the arm, away from its ends
    assert luminance.min() >= 0.8 * min(np.mean(SKIN), garment.mean())  # 0.69 before
    assert (patch.alpha[250 - y0, 280 - x0 : 360 - x0] > 0.9).all()  # the arm's middle stays


def test_a_large_arm_s_own_shading_is_not_matted_as_blur():
    # A high-resolution photo: the arm 45 px across, darker towards its sides (its shading
    # over its outer 14 px) on a dark top. A camera blurs an edge over a few pixels whatever
    # the arm's size; matted as far in as the arm is wide, its shading let a new garment show
    # through the arm in a pale ghost of the garment's colour along it.
    frame, arm = scene((220, 250), (420, 250), arm_half=22)
    rows = np.arange(250 - 22, 250 + 23)
    shade = np.clip((22 - np.abs(rows - 250)) / 14, 0.6, 1.0)[:, None, None]
    frame[rows, 220:421] = (shade * SKIN).astype(np.uint8)
    frame = cv2.GaussianBlur(frame, (0, 0), 1.0)
    capsule = Capsule(np.array([222.0, 250.0]), np.array([418.0, 250.0]), 24.0)
    patch = forearm_outline(frame, capsule).arm
    x0, y0 = patch.box[:2]
    inner = slice(250 - 22 + 5 - y0, 250 + 23 - 5 - y0)  # the arm but its outer 5 px
    assert (patch.alpha[inner, 260 - x0 : 380 - x0] > 0.95).all()


def test_a_shadow_beside_the_arm_a_shade_off_the_top_does_not_matte_the_arm_away():
    # A white top with grey folds; between the arm and the body, a shadow a shade darker than
    # the folds, and the arm's own side shaded. The shadow is not the arm, but the ring does
    # not show it: matted against it, the arm's shaded side went half transparent, a block of
    # the new garment's colour on the arm (FitDiT 2).
    frame, arm = scene((260, 250), (380, 250), arm_half=8)
    top = (frame == SHIRT).all(axis=2)
    frame[top] = (240, 240, 240)
    frame[top & (np.arange(SHAPE[0])[:, None] % 6 < 2)] = (100, 100, 100)  # the folds
    frame[259:262, 260:381] = (90, 90, 90)  # the shadow under the arm
    frame[254:259, 260:381] = (150, 110, 88)  # the arm's shaded lower side
    capsule = Capsule(np.array([262.0, 250.0]), np.array([378.0, 250.0]), 12.0)
    patch = forearm_outline(frame, capsule).arm
    x0, y0 = patch.box[:2]
    assert (patch.alpha[242 + 1 - y0 : 258 - 1 - y0, 280 - x0 : 360 - x0] > 0.9).all()


def test_a_pale_arm_s_highlights_on_a_white_top_are_not_matted():
    # Against lighter surroundings a highlight along the arm lies between the arm's colour and
    # the top's, as blur would: it stays the arm's (matted, the garment streaked the hand).
    frame, arm = scene((260, 250), (380, 250), arm_half=9, arm_color=(225, 195, 180))
    frame[100:400, 200:440][~arm[100:400, 200:440]] = (240, 240, 240)  # a white top
    frame[242:245, 260:380] = (238, 222, 212)  # a highlight along the arm's upper side
    frame = cv2.GaussianBlur(frame, (0, 0), 1.0)
    patch = forearm_outline(
        frame, Capsule(np.array([262.0, 250.0]), np.array([378.0, 250.0]), 12.0)
    ).arm
    x0, y0 = patch.box[:2]
    rows = np.flatnonzero(arm[:, 320])[1:-1] - y0
    assert (patch.alpha[rows, 320 - x0] > 0.9).all()


def test_the_yoke_is_not_drawn_where_hair_is_of_the_top_s_colours():
    # The yoke is drawn where the frame shows the wearer's own top above the garment's
    # shoulders; hair of the top's colours on a shoulder would pass for the top, so the yoke
    # keeps off where such hair may lie (the collar, inside the neckline, does not).
    body = fit_body(person(center=(320, 240), shoulder_width=120), CFG)
    box = (200, 150, 440, 260)
    rgba = np.full((110, 240, 4), 255, np.uint8)
    layers = [Layer(name, None, box, rgba, inside=True) for name in ("collar", YOKE)]
    neck = Patch(box, np.zeros((110, 240), np.float32))  # nothing of the neck in front
    hair = np.zeros((110, 240), np.float32)
    hair[:, 150:] = 1.0  # over the left shoulder
    seen = InFront(neck=neck, hair_over_top=Patch(box, hair))
    collar, yoke = prepare_layers(body, layers, False, dataclasses.replace(CFG, feather_px=0),
                                  seen=seen)  # fmt: skip
    hair_side, other_side = np.s_[:, 190:], np.s_[:, :50]  # both away from the face
    assert (yoke.alpha[hair_side] == 0).all() and (collar.alpha[hair_side] == 1).all()
    assert (yoke.alpha[other_side] == 1).all()


def test_hair_of_the_top_s_colours_is_kept_off_only_where_it_may_hang():
    # Hair the colour of the top cannot be told from it by colour, but it hangs from the
    # head: above the shoulder line, what looks like the top and hangs together with what
    # looks like it beside the head may be hair (the ponytail, the shoulder it touches); on
    # the other shoulder the top is bare, and the garment covers it up to the neck.
    # Hair of the shirt's colour on the head and a ponytail down to the left shoulder
    kp, frame, silhouette = hair_scene(SHIRT, head=((320, 34), 36), lock_to=120)
    outline = silhouette.split(kp[None], CFG.keypoint_score)[0]
    seen = in_front(frame, fit_body(kp, CFG, True, outline), [(230, 60, 410, 140)])
    whole = (0, 0, *SHAPE[::-1])
    hair = crop(seen.hair_over_top.alpha, seen.hair_over_top.box, whole)
    bare = crop(seen.bare_top.alpha, seen.bare_top.box, whole)
    tail, its_shoulder = (slice(90, 118), slice(350, 364)), (slice(110, 118), slice(370, 400))
    far_shoulder = (slice(110, 118), slice(240, 304))  # to the neck
    for part in (tail, its_shoulder):
        assert (hair[part] == 1).all() and (bare[part] == 0).all()
    assert (hair[far_shoulder] == 0).all() and (bare[far_shoulder] == 1).all()


def test_the_top_round_the_neck_is_bare_where_no_hair_was_sampled():
    # A shaved head (or hair the ring round the face misses: a face turned, a padded face
    # circle): nothing to sample the hair on. The top round the neck is still the top, and the
    # garment covers it up to the neck under the chin; before, nothing was, and the wearer's
    # own top showed in a wedge beside the neck wherever the face's circle reached.
    kp, frame = neck_scene()
    person_mask = np.any(frame != WALL, axis=2).astype(np.uint8) * 255
    silhouette = Silhouette((0, 0, SHAPE[1], SHAPE[0]), person_mask)
    body = fit_body(kp, CFG, True, silhouette.split(kp[None], CFG.keypoint_score)[0])
    assert hair_outline(frame, body, top_and_skin(frame, body)).colours is None  # no hair sampled
    seen = in_front(frame, body, [(230, 60, 410, 140)])
    bare = crop(seen.bare_top.alpha, seen.bare_top.box, (0, 0, *SHAPE[::-1]))
    assert (bare[110:118, 240:300] == 1).all() and (bare[110:118, 340:400] == 1).all()
    assert (bare[70:120, 310:331] == 0).all()  # the neck is not the top
    assert seen.hair_over_top is None  # and the yoke is kept off nowhere


def test_a_lock_of_the_top_s_colours_standing_above_the_shoulders_is_kept_in_front():
    # A ponytail lit brown at the head and of the black top's colours below it, hanging
    # beside the neck to the shoulder: colour cannot tell its lower part from the top, nor
    # join it to the hair. Its shape can: above the shoulder line the top is a wide, low band,
    # and this stands tall and narrow. The yoke is kept off it and so is the garment under
    # the chin; the band of the shoulder it rests on stays covered, as does the other.
    kp, frame, silhouette = hair_scene(HAIR, head=((320, 34), 36), lock_to=120)
    frame[60:120, 348:366] = SHIRT
    outline = silhouette.split(kp[None], CFG.keypoint_score)[0]
    seen = in_front(frame, fit_body(kp, CFG, True, outline), [(230, 60, 410, 140)])
    whole = (0, 0, *SHAPE[::-1])
    kept_off = crop(seen.hair_over_top.alpha, seen.hair_over_top.box, whole)
    bare = crop(seen.bare_top.alpha, seen.bare_top.box, whole)
    lock = (slice(66, 104), slice(351, 363))
    assert (kept_off[lock] == 1).all() and (bare[lock] == 0).all()
    for shoulder in ((slice(112, 118), slice(372, 400)), (slice(110, 118), slice(240, 304))):
        assert (kept_off[shoulder] == 0).all() and (bare[shoulder] == 1).all()


def cup_scene(arm_color=SKIN):
    """A forearm across the chest of ``neck_scene``'s shirt, a white cup against its hand's
    end, and a print of the same white on the shirt below the hand: keypoints, frame, and
    the masks of the arm's skin, of the cup off the arm, and of the print."""
    kp, frame = neck_scene()
    kp[:] = person(center=(320, 120), shoulder_width=120, arms="cross")
    elbow, wrist = kp[K.LEFT_ELBOW, :2], kp[K.LEFT_WRIST, :2]
    hand = wrist + (wrist - elbow) * CFG.hand_length
    arm = limb(elbow, hand, 17)
    frame[arm] = arm_color
    cup, print_ = np.zeros(SHAPE, bool), np.zeros(SHAPE, bool)
    cup[185:212, 246:268] = True  # against the hand's end
    print_[218:228, 276:290] = True  # below the hand, the shirt between
    frame[cup | print_] = (240, 240, 240)
    return kp, frame, arm & ~cup, cup & ~arm, print_


def test_what_a_hand_holds_in_front_of_the_top_stays_in_front():
    # A cup held in the hand of a forearm across the chest reaches past the hand's capsule:
    # it stays in front of the garment, as the hand does. A patch of the same white on the
    # shirt near the hand, apart from it, is the shirt's (a print), and is covered.
    kp, frame, _, cup, print_ = cup_scene()
    wearer = np.any(frame != WALL, axis=2).astype(np.uint8) * 255
    silhouette = Silhouette((0, 0, SHAPE[1], SHAPE[0]), wearer)
    dressing = pipeline.Dressing(GarmentRig(tshirt("short", stripes=False)))
    overlay = pipeline.dress(kp[None], silhouette, dressing, SHAPE, CFG, frame=frame)
    covered = _covered(overlay, SHAPE)
    assert covered[cup].mean() <= 0.1
    assert covered[print_].mean() >= 0.9


def test_what_a_hand_holds_is_told_from_the_arm_that_holds_it():
    # A long sleeve is drawn over its own forearm, not over what the hand holds: of the
    # forearm's outline, the cup alone is what it holds.
    kp, frame, arm, cup, _ = cup_scene()
    found = held_by_the_left_hand(frame, fit_body(kp, CFG))
    assert found[cup].mean() >= 0.9
    assert not (found & ~_grown(~arm, 2)).any()  # the arm, within its soft edge


def held_by_the_left_hand(frame, body) -> np.ndarray:
    """(H, W) bool: what the left hand holds, by ``in_front`` (the right holds nothing)."""
    held = in_front(frame, body).held
    assert set(held) == {"left"}
    return crop(held["left"].alpha, held["left"].box, (0, 0, *SHAPE[::-1])) >= 0.5


def test_a_few_pixels_of_what_the_hand_holds_beside_the_arm_do_not_make_it_the_top():
    # The wall seen through a loose outline beside the arm, a highlight: a colour a few of the
    # samples along the forearm show is a stray there, not what the arm lies on. The white
    # cup in the hand stays what it holds (one white pixel beside the arm dropped it).
    kp, frame, _, cup, _ = cup_scene()
    body = fit_body(kp, CFG)
    capsule = body.forearms["left"]
    along = capsule.end - capsule.start
    beside = capsule.start + 0.15 * along + 2 * capsule.radius * perp(unit(along))
    x, y = np.round(beside).astype(int)
    frame[y : y + 2, x : x + 2] = (240, 240, 240)  # 4 of 2,574 samples along the arm
    assert held_by_the_left_hand(frame, body)[cup].mean() >= 0.9


def test_a_forearm_not_told_from_the_top_keeps_its_capsule_and_what_its_hand_holds():
    # A sleeve the shirt's colour across the chest cannot be told from it: the capsule is
    # cut out, as without the frame; the cup in the hand is still neither, and stays too.
    kp, frame, _, cup, print_ = cup_scene(arm_color=SHIRT)
    body = fit_body(kp, CFG)
    seen = in_front(frame, body)
    for patches in (seen.forearms, seen.held):
        x0, y0, x1, y1 = patches["left"].box
        found = np.zeros(SHAPE, bool)
        found[y0:y1, x0:x1] = patches["left"].alpha >= 0.5
        assert found[cup].mean() >= 0.9
        assert not found[print_].any()
    capsule = capsule_mask([body.forearms["left"]], seen.forearms["left"].box) >= 0.5
    assert (seen.forearms["left"].alpha[capsule] >= 0.5).all()


def test_what_a_hand_holds_is_in_front_of_a_long_sleeve_and_the_panel_beside_it():
    # The forearm inside a long sleeve is covered by it; what its hand holds is not, nor by
    # the panel beside the sleeve.
    body = fit_body(person(center=(320, 120), shoulder_width=120), CFG)  # arms hanging
    box = (200, 100, 440, 400)
    panel = Layer("panel", None, box, np.full((300, 240, 4), 255, np.uint8))
    sleeve = Layer("left sleeve", "left", box, np.full((300, 240, 4), 255, np.uint8))
    forearm, cup = np.zeros((300, 240), np.float32), np.zeros((300, 240), np.float32)
    forearm[150:170, 60:110] = cup[140:180, 110:130] = 1.0  # across the chest, and the cup
    sharp = dataclasses.replace(CFG, feather_px=0)
    for held, drawn in (({}, 1.0), ({"left": Patch(box, cup)}, 0.0)):
        seen = InFront(forearms={"left": Patch(box, np.maximum(forearm, cup))}, held=held)
        panel_ready, sleeve_ready = prepare_layers(body, [panel, sleeve], True, sharp, seen=seen)
        for ready in (panel_ready, sleeve_ready):
            assert ready.alpha[145:175, 112:128] == pytest.approx(drawn)  # the cup
        assert (sleeve_ready.alpha[152:168, 62:108] == 1.0).all()  # on its own forearm


def test_the_face_cut_spares_the_wearer_s_own_top_under_the_chin():
    # The face's capsule reaches under the chin, past the neck: there the garment covers
    # what the frame surely shows of the wearer's own top (else it showed beside their
    # neck); none of it where the top was not told from the hair; all of it where nothing is
    # known of the frame (the garment's own neckline shows the neck). The face stays cut.
    body = fit_body(person(center=(320, 240), shoulder_width=120), CFG)
    head = body.head
    down = (head.end - head.start) / np.linalg.norm(head.end - head.start)
    under_chin = np.round(head.end + down * 0.7 * head.radius).astype(int)
    face = np.round(head.start).astype(int)
    box = (0, 0, 640, 480)
    panel = Layer("panel", None, box, np.full((480, 640, 4), 255, np.uint8))
    known = {"top": np.ones((480, 640), np.float32), "hair": np.zeros((480, 640), np.float32)}
    for bare_top, spared in ((Patch(box, known["top"]), 1.0), (Patch(box, known["hair"]), 0.0),
                             (None, 1.0)):  # fmt: skip
        seen = InFront(bare_top=bare_top)
        (ready,) = prepare_layers(body, [panel], False, CFG, seen=seen)
        assert ready.alpha[under_chin[1], under_chin[0]] == pytest.approx(spared, abs=0.05)
        assert ready.alpha[face[1], face[0]] == 0


def test_a_bare_upper_arm_brought_in_front_of_the_chest_stays_in_front():
    # Drinking, the elbow comes forward in front of the chest: the upper arm, out of a short
    # sleeve, lies in front of the garment's panel (an arm cannot pass through the body),
    # and its bare lower half stays visible; the shirt beside it is covered.
    kp, frame = neck_scene()
    shoulder = kp[K.LEFT_SHOULDER, :2]
    elbow = shoulder + np.array([-40.0, 80.0])  # in front of the chest, u about 0.3
    kp[K.LEFT_ELBOW, :2], kp[K.LEFT_WRIST, :2] = elbow, elbow + np.array([-20.0, -90.0])
    frame[limb(shoulder, elbow, 19) | limb(elbow, kp[K.LEFT_WRIST, :2], 19)] = SKIN
    wearer = np.any(frame != WALL, axis=2).astype(np.uint8) * 255
    silhouette = Silhouette((0, 0, SHAPE[1], SHAPE[0]), wearer)
    dressing = pipeline.Dressing(GarmentRig(tshirt("short", stripes=False)))
    overlay = pipeline.dress(kp[None], silhouette, dressing, SHAPE, CFG, frame=frame)
    covered = _covered(overlay, SHAPE)
    bare = np.zeros(SHAPE, bool)  # the upper arm's axis, from 0.7 of the way to the elbow
    for t in np.linspace(0.7, 0.9, 5):
        x, y = np.round(shoulder + t * (elbow - shoulder)).astype(int)
        bare[y - 2 : y + 3, x - 2 : x + 3] = True
    beside = np.zeros(SHAPE, bool)
    x, y = np.round(shoulder + 0.8 * (elbow - shoulder)).astype(int)
    beside[y - 3 : y + 3, x + 25 : x + 35] = True  # the shirt, outboard of the arm
    assert covered[bare].mean() <= 0.1
    assert covered[beside].mean() >= 0.9


def test_a_bare_upper_arm_is_cut_out_of_the_panel_only_past_its_sleeve_s_hem():
    # Above its hem the arm is inside its short sleeve: where the arm is wider than the sleeve
    # drawn along its keypoints, the panel covers it (cut out, a sliver of skin showed).
    body = fit_body(person(center=(320, 120), shoulder_width=120), CFG)  # arms hanging
    shoulder, elbow = body.arms["left"][:2]
    down = (elbow - shoulder) / np.linalg.norm(elbow - shoulder)
    across = np.array([-down[1], down[0]])
    box = (200, 60, 500, 400)
    h, w = box[3] - box[1], box[2] - box[0]
    hem = shoulder + 0.5 * (elbow - shoulder)
    sleeve_alpha = capsule_mask([Capsule(shoulder, hem, 8.0)], box) >= 0.5
    sleeve_rgba = np.zeros((h, w, 4), np.uint8)
    sleeve_rgba[sleeve_alpha] = 255
    panel = Layer("panel", None, box, np.full((h, w, 4), 255, np.uint8))
    sleeve = Layer("left sleeve", "left", box, sleeve_rgba)
    arm = Patch(box, capsule_mask([Capsule(shoulder, elbow, 20.0)], box))
    sharp = dataclasses.replace(CFG, feather_px=0)
    panel_ready, _ = prepare_layers(
        body, [panel, sleeve], False, sharp, seen=InFront(upper_arms={"left": arm})
    )

    def alpha_at(along, off):
        x, y = np.round(shoulder + along * (elbow - shoulder) + off * across).astype(int)
        return panel_ready.alpha[y - box[1], x - box[0]]

    for off in (-14, 14):  # beside the sleeve, within the arm
        assert alpha_at(0.3, off) == 1.0
    for along in (0.7, 0.9):
        assert alpha_at(along, 0) == 0.0
