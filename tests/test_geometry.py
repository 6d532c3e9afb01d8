"""Fit geometry on synthetic keypoints and a drawn garment: pure functions, no models."""

import cv2
import numpy as np
import pytest

from fitting import layers, pipeline
from fitting.body import fit_body
from fitting.config import FitConfig
from fitting.geometry import (
    box_distance,
    even_sides,
    grown_within,
    in_frame,
    offsets_at_ends,
    ray_exit,
    segment_distance,
    segment_side,
    union,
)
from fitting.keypoints import (
    FACE,
    HIP_JOINTS_PER_SHOULDER,
    TORSO_PER_HALF_SHOULDER,
    Keypoint,
    torso_corners,
)
from fitting.layers import Layer, strip_layer
from fitting.measures import ARM_RADIUS
from fitting.rig import SEAM_OVERLAP, YOKE_COLUMN, YOKE_EDGE, YOKE_REACH, GarmentRig, Part
from fitting.torso import TorsoFrame
from fitting.warp import past_hem, under_sleeves, warp_garment
from tests.synthetic import person, tshirt

CFG = FitConfig()
BACKGROUND = (90, 200, 90)  # green: the garment is blue and white
K = Keypoint


def frame():
    return np.full((480, 640, 3), BACKGROUND, np.uint8)


def render(image, people, rig, use_warp=True) -> np.ndarray:
    """``image`` with the garment dressed on ``people`` (P, 17, 3) blended in."""
    overlay = pipeline.dress(people, None, pipeline.Dressing(rig, use_warp), image.shape, CFG)
    return pipeline.compose(image, overlay, CFG)


def garment_pixels(out: np.ndarray) -> np.ndarray:
    """Where the output is mostly garment rather than the plain background.

    The garment's colours are all at least 270 (summed over RGB) away from the background;
    half of that marks a pixel at least half covered.
    """
    return np.abs(out.astype(int) - BACKGROUND).sum(axis=2) > 135


def test_torso_frame_inverts_exactly():
    rng = np.random.default_rng(0)
    for _ in range(20):
        origin = rng.uniform(200, 400, 2)
        across = rng.uniform([40, -15], [90, 15])
        tilt = rng.uniform(-0.15, 0.15)  # the hips' line turned from the shoulders'
        hip_across = (
            across
            * rng.uniform(0.8, 1.2)
            @ np.array([[np.cos(tilt), np.sin(tilt)], [-np.sin(tilt), np.cos(tilt)]])
        )
        torso = TorsoFrame(
            origin, across, origin + [rng.uniform(-30, 30), 180], hip_across,
            2.5, np.array([rng.uniform(-8, 8), 0.0]),
        )  # fmt: skip
        # down to a long dress's hem: the torso, the rows turning, the rows hanging square
        uv = rng.uniform([-1.5, -0.5], [1.5, 8.0], (50, 2))
        # within 0.005 half shoulder widths: a fraction of a pixel at any person size
        np.testing.assert_allclose(torso.to_garment(torso.to_image(uv)), uv, atol=5e-3)


def test_below_the_hips_a_long_garment_hangs_square_to_the_body_axis():
    origin, hips = np.array([300.0, 100.0]), np.array([310.0, 300.0])
    across, hip_across = np.array([80.0, 0.0]), np.array([70.0, 12.0])  # hips tilted
    torso = TorsoFrame(origin, across, hips, hip_across, 2.5, np.zeros(2))
    on_hips = torso.to_image(np.array([[-1.0, 2.5], [1.0, 2.5]]))
    np.testing.assert_allclose(on_hips, [hips - hip_across, hips + hip_across])
    far = torso.to_image(np.array([[-1.0, 8.0], [1.0, 8.0]]))  # a long dress's hem
    row, axis = far[1] - far[0], hips - origin
    assert abs(row @ axis) < 1e-6 * np.linalg.norm(row) * np.linalg.norm(axis)
    assert np.linalg.norm(row) == pytest.approx(2 * np.linalg.norm(hip_across))
    middle = far.mean(axis=0)  # and it goes on down the body's axis
    np.testing.assert_allclose(middle, hips + axis * (8.0 / 2.5 - 1), atol=1e-6)


def test_body_frame_sits_on_the_shoulders_and_hips():
    kp = person(center=(320, 150), shoulder_width=120)
    body = fit_body(kp, CFG)
    left, right = kp[K.LEFT_SHOULDER, :2], kp[K.RIGHT_SHOULDER, :2]
    out = 1 + CFG.shoulder_outset
    mid = (left + right) / 2
    seams = body.torso.to_image(np.array([[1.0, 0.0], [-1.0, 0.0]]))
    np.testing.assert_allclose(
        seams, [mid + (left - mid) * out, mid + (right - mid) * out], atol=1e-6
    )
    hips = (kp[K.LEFT_HIP, :2] + kp[K.RIGHT_HIP, :2]) / 2
    np.testing.assert_allclose(
        body.torso.to_image(np.array([[0.0, CFG.torso_length]]))[0], hips, atol=1e-6
    )


def test_without_hips_the_torso_is_extrapolated_from_the_shoulders():
    kp = person(center=(320, 150), shoulder_width=120)
    kp[[K.LEFT_HIP, K.RIGHT_HIP], 2] = 0.0
    body = fit_body(kp, CFG)
    bottom = body.torso.to_image(np.array([[0.0, CFG.torso_length]]))[0]
    expected = np.array([320, 150 + 60 * (1 + CFG.shoulder_outset) * CFG.torso_length])
    np.testing.assert_allclose(bottom, expected, atol=1e-6)


SEEN_FROM_BEHIND = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]  # left <-> right


@pytest.mark.parametrize("view", ["front", "back", "back, head unseen"])
def test_hips_out_of_view_are_below_the_shoulders_whichever_way_the_person_faces(view):
    # Seen from behind, a person's left shoulder is on the image's left, and the square to the
    # shoulder line that points down for one facing the camera points at their head.
    kp = person(center=(320, 150), shoulder_width=120)
    if view != "front":
        kp = kp[SEEN_FROM_BEHIND]
    if view == "back, head unseen":
        kp[list(FACE), 2] = 0.0
    kp[[K.LEFT_HIP, K.RIGHT_HIP], 2] = 0.0
    hip_line = 150 + 60 * (1 + CFG.shoulder_outset) * CFG.torso_length
    np.testing.assert_allclose(fit_body(kp, CFG).torso.hip_origin, (320, hip_line), atol=1e-6)
    right_hip, left_hip = torso_corners(kp, CFG.keypoint_score)[2:]
    side = 1 if view == "front" else -1  # where the person's left is, on the image
    hip = 60 * HIP_JOINTS_PER_SHOULDER
    np.testing.assert_allclose(right_hip, (320 - side * hip, 150 + 60 * TORSO_PER_HALF_SHOULDER))
    np.testing.assert_allclose(left_hip, (320 + side * hip, 150 + 60 * TORSO_PER_HALF_SHOULDER))


def test_an_arm_below_the_frame_hangs_and_one_unseen_inside_it_is_unknown():
    kp = person(center=(320, 150), shoulder_width=120)
    kp[K.LEFT_ELBOW :, 2] = 0.0  # a webcam close up: the arms, hips and legs out of view
    close_up = (200, 640)  # the frame ends 50 px below the shoulders
    body = fit_body(kp, CFG, frame_shape=close_up)
    for side, shoulder in (("left", K.LEFT_SHOULDER), ("right", K.RIGHT_SHOULDER)):
        top, elbow = body.arms[side]
        np.testing.assert_allclose(top, kp[shoulder, :2])
        assert elbow[1] > close_up[0] and abs(elbow[0] - top[0]) < 1e-6  # straight down
    assert fit_body(kp, CFG, frame_shape=(480, 640)).arms == {}  # hidden in the frame
    assert fit_body(kp, CFG).arms == {}
    # The frame ends 1.9 half shoulder widths below the shoulders: a typical upper arm (1.75)
    # would hang inside it, a long one (2.1) would not, and the elbow is not seen. It is below
    # the frame (one hidden inside it would be seen on most arms): it hangs to the frame's edge.
    deeper = (round(150 + 1.9 * 60), 640)
    arms = fit_body(kp, CFG, frame_shape=deeper).arms
    assert set(arms) == {"left", "right"}
    for top, elbow in arms.values():
        assert elbow[1] == pytest.approx(deeper[0]) and abs(elbow[0] - top[0]) < 1e-6


def test_a_ray_leaves_the_frame_at_the_first_edge_it_meets():
    shape = (100, 200)  # h, w
    down, down_right = np.array([0.0, 1.0]), np.array([1.0, 1.0]) / np.sqrt(2)
    assert ray_exit(np.array([50.0, 40.0]), down, shape) == pytest.approx(60)
    assert ray_exit(np.array([170.0, 40.0]), down_right, shape) == pytest.approx(30 * np.sqrt(2))
    assert ray_exit(np.array([-5.0, 40.0]), down, shape) == 0  # from outside the frame


def hem_and_shoulder_widths(kp) -> tuple[float, float]:
    """The fitted garment's width at the hip line and at the shoulder line, in pixels."""
    torso = fit_body(kp, CFG).torso
    ends = torso.to_image(
        np.array([[-1, 0], [1, 0], [-1, CFG.torso_length], [1, CFG.torso_length]])
    )
    return float(np.linalg.norm(ends[3] - ends[2])), float(np.linalg.norm(ends[1] - ends[0]))


def test_the_hem_follows_the_hips_but_does_not_balloon_with_spread_legs():
    kp = person(center=(320, 150), shoulder_width=120)
    hips = np.linalg.norm(kp[K.LEFT_HIP, :2] - kp[K.RIGHT_HIP, :2])
    hem, shoulders = hem_and_shoulder_widths(kp)
    assert shoulders == pytest.approx(120 * (1 + CFG.shoulder_outset))
    # a typical body: hip joints 0.61 as far apart as the shoulder joints
    assert hem == pytest.approx(hips / 0.61 * (1 + CFG.shoulder_outset))
    kp[K.LEFT_HIP, 0] += 60  # seated, knees apart: hip keypoints wider than the shoulders
    kp[K.RIGHT_HIP, 0] -= 60
    hem, shoulders = hem_and_shoulder_widths(kp)
    assert hem == pytest.approx(1.2 * shoulders)


def test_a_body_seen_from_the_side_keeps_a_garment_as_wide_as_a_torso_is_deep():
    kp = person(center=(320, 150), shoulder_width=120)
    torso = np.linalg.norm(kp[K.LEFT_HIP, :2] + kp[K.RIGHT_HIP, :2] - kp[K.LEFT_SHOULDER, :2]
                           - kp[K.RIGHT_SHOULDER, :2]) / 2  # fmt: skip
    for left, right in (K.LEFT_SHOULDER, K.RIGHT_SHOULDER), (K.LEFT_HIP, K.RIGHT_HIP):
        middle = (kp[left, 0] + kp[right, 0]) / 2
        kp[left, 0], kp[right, 0] = middle + 2, middle - 2  # turned sideways: joints overlap
    hem, shoulders = hem_and_shoulder_widths(kp)
    assert hem == pytest.approx(2 * 0.12 * torso) and shoulders == pytest.approx(2 * 0.12 * torso)


def test_no_shoulders_no_body():
    kp = person()
    kp[K.LEFT_SHOULDER, 2] = 0.1
    assert fit_body(kp, CFG) is None


def test_simple_overlay_matches_an_independently_drawn_garment():
    """use_warp=False: the garment scaled and rotated by the shoulders, nothing else."""
    garment = tshirt("short", stripes=False)
    kp = person(center=(300, 160), shoulder_width=110)
    kp[[K.NOSE, K.LEFT_EYE, K.RIGHT_EYE, K.LEFT_EAR, K.RIGHT_EAR], 2] = 0  # no face cut-out
    # Expected: the garment's shoulder seams onto the person's shoulders, grown by the outset.
    lm = garment.landmarks
    src = np.float32([lm[4], lm[3], lm[3] + [0, 100]])  # right seam, left seam, below left
    left, right = kp[K.LEFT_SHOULDER, :2], kp[K.RIGHT_SHOULDER, :2]
    mid, out = (left + right) / 2, 1 + CFG.shoulder_outset
    dst_right, dst_left = mid + (right - mid) * out, mid + (left - mid) * out
    k = np.linalg.norm(dst_left - dst_right) / np.linalg.norm(lm[3] - lm[4])
    dst = np.float32([dst_right, dst_left, dst_left + [0, 100 * k]])
    expected = (
        cv2.warpAffine(garment.rgba[..., 3], cv2.getAffineTransform(src, dst), (640, 480)) > 127
    )
    got = garment_pixels(render(frame(), kp[None], GarmentRig(garment), use_warp=False))
    iou = (got & expected).sum() / (got | expected).sum()
    assert iou > 0.98


@pytest.mark.parametrize("arms", ["up", "out", "down"])
def test_sleeves_follow_the_arms(arms):
    garment = tshirt("long")
    kp = person(center=(320, 170), shoulder_width=100, arms=arms)
    body = fit_body(kp, CFG)
    by_name = {
        layer.name: layer
        for layer in warp_garment(GarmentRig(garment), body, (480, 640), True, 0.7)
    }
    sleeve = by_name["left sleeve"]
    ys, xs = np.nonzero(sleeve.rgba[..., 3] > 127)
    pixels = np.stack([xs, ys], axis=1) + sleeve.box[:2]
    shoulder, elbow, wrist = kp[[K.LEFT_SHOULDER, K.LEFT_ELBOW, K.LEFT_WRIST], :2]
    forearm = (wrist - elbow) / np.linalg.norm(wrist - elbow)
    reach = (pixels - wrist) @ forearm  # how far past the wrist, along the forearm
    assert abs(reach.max()) < 0.1 * 100  # the long sleeve ends at the wrist
    upper_arm = (elbow - shoulder) / np.linalg.norm(elbow - shoulder)
    assert ((pixels - shoulder) @ upper_arm > 0.5 * np.linalg.norm(elbow - shoulder)).sum() > 500


@pytest.mark.parametrize("sleeves", ["short", "long"])
def test_a_raised_arm_s_sleeve_wraps_the_arm_from_the_shoulder(sleeves):
    """Arms raised overhead turn the armholes with them: the sleeve covers the upper arm
    across its width from the shoulder joint up, rather than hanging off the panel's side
    with the wearer's own top showing between the two."""
    kp = person(center=(320, 200), shoulder_width=120, arms="up")
    body = fit_body(kp, CFG)
    alpha = np.zeros((480, 640), np.uint8)
    for layer in warp_garment(GarmentRig(tshirt(sleeves)), body, alpha.shape, True, 0.7):
        x0, y0, x1, y1 = layer.box
        np.maximum(alpha[y0:y1, x0:x1], layer.rgba[..., 3], out=alpha[y0:y1, x0:x1])
    for side in ("left", "right"):
        shoulder, elbow = body.arms[side][:2]
        along = (elbow - shoulder) / np.linalg.norm(elbow - shoulder)
        across = np.array([-along[1], along[0]])
        half = ARM_RADIUS * body.scale
        for up in (0.3 * half, 1.0 * half):
            for x, y in np.round(shoulder + up * along + np.outer((-0.8, 0, 0.8), half * across)):
                assert alpha[int(y), int(x)] >= 128, (side, up, (x, y))


@pytest.mark.parametrize("sleeves", ["short", "long"])
def test_a_hanging_sleeve_is_at_least_as_wide_as_a_typical_arm(sleeves):
    """With no silhouette to measure the arms by, a sleeve hanging from the shoulder still
    covers a typical upper arm (ARM_RADIUS to either side of the bone) from just below the
    armpit down, rather than narrowing to a sliver along the armhole."""
    kp = person(center=(320, 150), shoulder_width=120, arms="down")
    body = fit_body(kp, CFG)
    rig = GarmentRig(tshirt(sleeves))
    alpha = np.zeros((480, 640), np.uint8)
    for layer in warp_garment(rig, body, alpha.shape, True, 0.7):
        x0, y0, x1, y1 = layer.box
        np.maximum(alpha[y0:y1, x0:x1], layer.rgba[..., 3], out=alpha[y0:y1, x0:x1])
    shoulder, elbow = kp[[K.LEFT_SHOULDER, K.LEFT_ELBOW], :2]
    along = (elbow - shoulder) / np.linalg.norm(elbow - shoulder)
    across = np.array([-along[1], along[0]])
    half = ARM_RADIUS * body.scale
    armpit = body.torso.to_image(rig.sleeves["left"].armhole_uv)[1]
    for below in (1.1 * half, 1.5 * half):  # the armpit's curve is about an arm's width deep
        middle = shoulder + ((armpit - shoulder) @ along + below) * along
        for x, y in np.round([middle + 0.9 * half * across, middle - 0.9 * half * across]):
            assert alpha[int(y), int(x)] >= 128, (below, (x, y))


def distance_to_polyline(points: np.ndarray, polyline: np.ndarray) -> np.ndarray:
    """(N,) distances from points (N, 2) to the polyline through (M, 2) vertices."""
    distance = np.full(len(points), np.inf)
    for a, b in zip(polyline[:-1], polyline[1:], strict=True):
        t = np.clip((points - a) @ (b - a) / ((b - a) @ (b - a)), 0, 1)
        distance = np.minimum(distance, np.linalg.norm(points - a - t[:, None] * (b - a), axis=1))
    return distance


@pytest.mark.parametrize("sleeves", ["long", "short"])
def test_a_sleeve_stays_on_its_arm_in_any_pose(sleeves):
    """Far from the strip along the arm, a sleeve's patches extrapolate to garment pixels
    that do not belong there; none may be drawn, whichever way the arm points."""
    rig = GarmentRig(tshirt(sleeves))
    rng = np.random.default_rng(1)
    for upper, fore in rng.uniform(-np.pi, np.pi, (200, 2)):
        kp = person(center=(320, 170), shoulder_width=100)
        kp[K.LEFT_ELBOW, :2] = kp[K.LEFT_SHOULDER, :2] + 80 * np.array(
            [np.cos(upper), np.sin(upper)]
        )
        kp[K.LEFT_WRIST, :2] = kp[K.LEFT_ELBOW, :2] + 70 * np.array([np.cos(fore), np.sin(fore)])
        warped = warp_garment(rig, fit_body(kp, CFG), (480, 640), True, CFG.sleeve_width)
        (sleeve,) = [layer for layer in warped if layer.name == "left sleeve"]
        ys, xs = np.nonzero(sleeve.rgba[..., 3] > 127)
        pixels = np.stack([xs, ys], axis=1) + sleeve.box[:2]
        arm = kp[[K.LEFT_SHOULDER, K.LEFT_ELBOW, K.LEFT_WRIST], :2]
        # the sleeve's own half-width, and its armhole reaching down to the armpit
        assert distance_to_polyline(pixels, arm).max() < 1.3 * 50


def test_a_forearm_folded_back_leaves_the_sleeve_on_the_shoulder():
    """Drinking: the upper arm hangs, the forearm comes back up across the chest (a sleeve's
    cross-sections from the webcam video). Over the shoulder, the forearm's patch is far to
    its side (its inverse meaningless there): it must not take the top of the sleeve from the
    upper arm's patch, as it did, leaving the wearer's own top showing at the shoulder."""
    part = Part([np.full((700, 800, 4), 255, np.uint8)], np.zeros(2))  # opaque everywhere
    garment = [[[550, 198], [524, 330]], [[589, 306], [549, 407]], [[625, 405], [572, 479]],
               [[687, 574], [611, 601]]]  # fmt: skip
    body = [[[383, 147], [373, 222]], [[412, 241], [364, 248]], [[410, 303], [378, 266]],
            [[312, 275], [320, 247]]]  # fmt: skip  # armhole, below the armpit, elbow, cuff
    sections_g, sections_b = ([np.array(s, float) for s in x] for x in (garment, body))
    sleeve = strip_layer("left sleeve", "left", part, sections_g, sections_b, 0.4, 10, (480, 640))
    x0, y0 = sleeve.box[:2]
    for x, y in [(388, 170), (386, 160), (390, 185)]:  # between the armhole and the sleeve's top
        assert sleeve.rgba[y - y0, x - x0, 3] == 255, (x, y)


def test_a_strip_s_reach_holds_every_pixel_it_draws(monkeypatch):
    """strip_layer maps exactly only the pixels beside its strip that it may reach
    (layers.strip_reach): a strip drawn so and one mapping every pixel there are the same, on
    random strips of one to three patches, bent, twisted and folded, from a garment part
    opaque everywhere (an opaque garment pixel for every position the strip maps to)."""
    rng = np.random.default_rng(0)
    part = Part([rng.integers(0, 256, (400, 400, 4), np.uint8)], np.zeros(2))
    part.levels[0][..., 3] = 255
    reach, reaches = layers.strip_reach, []

    def recorded(*args):
        reaches.append(reach(*args))
        return reaches[-1]

    for _ in range(40):
        count = int(rng.integers(2, 5))
        sections_g = [np.array([[150.0, 60 + 90 * k], [250.0, 60 + 90 * k]]) for k in range(count)]
        sections_b = [rng.uniform(60, 420, (2, 2)) for _ in range(count)]
        args = ("sleeve", "left", part, sections_g, sections_b, 0.5, 10, (480, 480))
        monkeypatch.setattr(layers, "strip_reach", recorded)
        drawn = strip_layer(*args)
        monkeypatch.setattr(layers, "strip_reach", lambda *_: None)  # every pixel mapped
        np.testing.assert_array_equal(drawn.rgba, strip_layer(*args).rgba)
    assert sum(int((~r).sum()) for r in reaches) > 0  # the reach left some of the boxes out


def sleeve_steps(sleeves: str, inwards: np.ndarray, forearm) -> list[int]:
    """The pixels a left sleeve changes by as its elbow moves ``inwards`` (pixels in from
    under the shoulder, a step at a time), the wrist at ``forearm`` from the elbow (x
    pointing outwards)."""
    rig = GarmentRig(tshirt(sleeves))
    steps = []
    for step in inwards:
        kp = person(center=(320, 170), shoulder_width=100)
        shoulder = kp[K.LEFT_SHOULDER, :2]
        outward = np.sign(shoulder[0] - 320)
        kp[K.LEFT_ELBOW, :2] = shoulder + [-step * outward, 100.0]
        kp[K.LEFT_WRIST, :2] = kp[K.LEFT_ELBOW, :2] + [forearm[0] * outward, forearm[1]]
        warped = warp_garment(rig, fit_body(kp, CFG), (480, 640), True, CFG.sleeve_width)
        (sleeve,) = [layer for layer in warped if layer.name == "left sleeve"]
        drawn = np.zeros((480, 640), bool)
        x0, y0, x1, y1 = sleeve.box
        drawn[y0:y1, x0:x1] = sleeve.rgba[..., 3] > 127
        steps.append(drawn)
    return [int((a ^ b).sum()) for a, b in zip(steps[:-1], steps[1:], strict=True)]


def test_a_hanging_sleeve_changes_smoothly_as_the_arm_comes_in_front_of_the_body():
    """Moved in steps of a pixel, from beside the body to in front of it, the upper arm moves
    its sleeve by about as much each step: the tube below the armpit fades out, instead of
    going at once (a sleeve that flipped between two shapes from one video frame to the next,
    its arm hanging with the bone over the armpit)."""
    changed = sleeve_steps("long", np.arange(-10.0, 30.0), forearm=(0.0, 90.0))
    assert max(changed) < 2 * np.median(changed)


@pytest.mark.parametrize("sleeves", ["short", "long"])
def test_a_sleeve_turns_smoothly_as_its_arm_comes_across_the_body(sleeves):
    """Drinking, the upper arm moved in steps of a pixel from beside the body to well in
    front of it: the sleeve's armhole turns square to the arm by degrees (sleeves.ACROSS_START),
    and the sleeve moves by about as much each step. Before, a strip from the panel's armhole
    folded over at some step and was started square to the arm at once (steps of 28 and 9
    times the median), and between two video frames the sleeve flipped between the two."""
    changed = sleeve_steps(sleeves, np.arange(-10.0, 70.0), forearm=(-60.0, -80.0))  # to the mouth
    assert max(changed) < 3 * np.median(changed)


def test_a_sleeve_s_stray_pixel_moves_no_hem():
    """Below a short sleeve the bare upper arm is cut out of the panel (composite.py), from
    the sleeve's hem down: a speck of the sleeve's edge drawn 12 px past its cuff moved the
    hem of its column down with it, and a line of the panel showed across the arm."""
    rgba = np.zeros((60, 40, 4), np.uint8)
    rgba[:30, 5:35, 3] = 255  # the sleeve, its hem 30 px down the bone
    bone = np.array([[120.0, 100.0], [120.0, 200.0]])  # shoulder to elbow, straight down
    sleeve = Layer("left sleeve", "left", (100, 100, 140, 160), rgba)
    box = (100, 100, 140, 200)
    clean = past_hem(sleeve, bone, box)
    rgba[42, 20, 3] = 255  # a speck below the hem
    assert (past_hem(sleeve, bone, box) == clean).all()
    assert clean[31:, 5:35].all() and not clean[:30, 5:35].any()


def test_a_forearm_across_the_chest_stays_visible():
    garment = tshirt("short")
    kp = person(center=(320, 150), shoulder_width=120, arms="cross")
    out = render(frame(), kp[None], GarmentRig(garment))
    elbow, wrist = kp[K.LEFT_ELBOW, :2], kp[K.LEFT_WRIST, :2]
    start = elbow + 0.25 * (wrist - elbow)  # the short sleeve may reach just past the elbow
    forearm = np.zeros((480, 640), np.uint8)
    cv2.line(forearm, tuple(map(int, start)), tuple(map(int, wrist)), 1, 8)
    on_garment = garment_pixels(out)[forearm > 0].mean()
    assert on_garment < 0.05  # the forearm shows the scene, not the shirt
    torso_middle = garment_pixels(out)[260:300, 300:340].mean()
    assert torso_middle > 0.95  # while the chest below it is covered


def test_no_garment_on_the_face():
    kp = person(center=(320, 200), shoulder_width=140)
    out = render(frame(), kp[None], GarmentRig(tshirt("short")))
    face = kp[[K.NOSE, K.LEFT_EYE, K.RIGHT_EYE, K.LEFT_EAR, K.RIGHT_EAR], :2]
    center, radius = face.mean(axis=0), np.linalg.norm(face - face.mean(axis=0), axis=1).max()
    yy, xx = np.mgrid[:480, :640]
    assert not garment_pixels(out)[np.hypot(xx - center[0], yy - center[1]) < radius].any()


def test_people_without_shoulders_leave_the_frame_unchanged():
    kp = person()
    kp[K.RIGHT_SHOULDER, 2] = 0.0
    f = frame()
    assert np.array_equal(render(f, kp[None], GarmentRig(tshirt())), f)


def test_people_at_the_frame_edge_and_outside_do_not_crash():
    rig = GarmentRig(tshirt("long"))
    for center in [(0, 0), (640, 480), (-400, 100), (320, 2000)]:
        out = render(frame(), person(center=center, shoulder_width=150)[None], rig)
        assert out.shape == (480, 640, 3)


def test_a_sleeveless_garment_has_no_sleeves():
    rig = GarmentRig(tshirt("none"))
    assert rig.sleeves == {}
    warped = warp_garment(rig, fit_body(person(), CFG), (480, 640), True, 0.7)
    assert [layer.name for layer in warped] == ["panel"]


def test_the_yoke_is_a_band_of_the_fabric_above_the_shoulders_edge():
    rig = GarmentRig(tshirt("short", color=(40, 90, 200), stripes=False))
    u0, v0, u1, v1 = rig.yoke_uv_box
    assert -YOKE_COLUMN <= u0 < -0.5 and 0.5 < u1 <= YOKE_COLUMN
    # From edges no higher than -YOKE_REACH (the neck points here), YOKE_REACH up at most;
    # on below edges no lower than YOKE_EDGE, under the panel, as far as parts overlap.
    assert -2 * YOKE_REACH <= v0 < min(rig.shoulder_tops)
    assert YOKE_EDGE < v1 <= YOKE_EDGE + SEAM_OVERLAP
    rgba = rig.yoke.levels[0]
    colour = np.median(rgba[rgba[..., 3] == 255, :3], axis=0)
    np.testing.assert_allclose(colour, (40, 90, 200), atol=25)


def test_a_point_is_past_a_segment_only_beside_it_on_its_outward_side():
    a, b = np.array([10.0, 0.0]), np.array([10.0, 100.0])  # a vertical bone at x = 10
    points = np.array([[4.0, 50.0], [16.0, 50.0], [16.0, 120.0], [10.0, -5.0]])
    outwards = np.tile([1.0, 0.0], (4, 1))  # rows followed towards +x
    distance, past = segment_side(points, a, b, outwards)
    np.testing.assert_allclose(distance, [6.0, 6.0, np.hypot(6.0, 20.0), 5.0])
    assert past.tolist() == [False, True, False, False]  # beyond its end is not beside it
    _, past = segment_side(points, a, b, -outwards)
    assert past.tolist() == [True, False, False, False]


@pytest.mark.parametrize("b", [(37.3, 21.9), (12.25, 30.5)], ids=["slanted", "a point"])
def test_a_box_s_distances_from_a_segment_are_its_pixels_distances(b):
    a, b = np.array([12.25, 30.5], np.float32), np.array(b, np.float32)
    box = (5, 20, 45, 36)  # x0, y0, x1, y1
    xs, ys = np.meshgrid(np.arange(5, 45, dtype=np.float32), np.arange(20, 36, dtype=np.float32))
    expected = segment_distance(np.stack([xs, ys], axis=-1), a, b)
    distance = box_distance(box, a, b)
    assert distance.shape == (16, 40) and distance.dtype == np.float32
    np.testing.assert_array_equal(distance, expected)  # the same arithmetic, bit for bit
    assert distance[30 - 20, 12 - 5] == pytest.approx(np.hypot(0.25, 0.5), abs=1e-6)


def test_a_line_fitted_to_points_beside_a_segment_gives_its_offsets_at_the_ends():
    a, b = np.array([10.0, 20.0]), np.array([10.0, 120.0])  # a bone straight down the image
    t = np.linspace(0.0, 1.0, 41)
    beside = np.stack([10.0 - (6.0 * (1 - t) + 2.0 * t), 20.0 + 100.0 * t], axis=1)
    # perp((0, 100)) points to -x: the points lie 6 px to that side at a, 2 px at b
    np.testing.assert_allclose(offsets_at_ends(beside, a, b), [6.0, 2.0], atol=1e-9)
    noisy = beside + np.tile([[0.5, 0.0], [-0.5, 0.0]], (21, 1))[:41]  # evenly either side
    np.testing.assert_allclose(offsets_at_ends(noisy, a, b), [6.0, 2.0], atol=0.05)


def test_the_panel_reaches_under_and_up_to_a_sleeve_and_nowhere_else():
    # Warped apart, a sleeve may end a few pixels short of the panel's edge; the panel grows
    # to it (and under it), not along the rest of its outline, nor past the sleeve's hem
    # (where it stood out in a square step beside the bare arm).
    rgba = np.zeros((100, 100, 4), np.uint8)
    rgba[..., :3] = (200, 30, 30)  # its colours bled past its edge, as a rig's are
    rgba[:, :50, 3] = 255  # the panel: x < 50 in the frame
    panel = Layer("panel", None, (0, 0, 100, 100), rgba)
    sleeve_rgba = np.zeros((40, 30, 4), np.uint8)
    sleeve_rgba[..., 3] = 255
    sleeve = Layer("left sleeve", "left", (54, 30, 84, 70), sleeve_rgba)  # 4 px off the panel
    arm = np.array([[69.0, 20.0], [69.0, 95.0]])  # shoulder and elbow: the sleeve hangs
    grown = under_sleeves(panel, [sleeve], reach=6, arms={"left": arm}, across=np.array([1.0, 0]))
    alpha = grown.rgba[..., 3]
    assert (alpha[30:70, 50:54] == 255).all()  # the gap is closed...
    assert (alpha[:20, 50:] == 0).all() and (alpha[70:, 50:] == 0).all()  # ...only there
    assert (panel.rgba[:, 50:, 3] == 0).all()  # the panel given is left as it was


def test_the_panel_grows_sideways_to_a_sleeve_not_up_over_the_shoulder():
    # Beside a sleeve whose cap rises above the panel's shoulder, the panel grows across to
    # the sleeve, not up: grown every way, its shoulder's top stood in a step over the
    # wearer's own shoulder.
    rgba = np.zeros((100, 100, 4), np.uint8)
    rgba[30:, :50, 3] = 255  # the panel: its shoulder's top at y = 30
    panel = Layer("panel", None, (0, 0, 100, 100), rgba)
    sleeve_rgba = np.full((45, 30, 4), 255, np.uint8)
    sleeve = Layer("left sleeve", "left", (54, 25, 84, 70), sleeve_rgba)  # its cap at y = 25
    grown = under_sleeves(panel, [sleeve], reach=6, arms={}, across=np.array([1.0, 0]))
    alpha = grown.rgba[..., 3]
    assert (alpha[30:70, 50:54] == 255).all()  # the gap is closed...
    assert (alpha[:30] == 0).all()  # ...and the shoulder's top stays where it was


def test_boxes_are_joined_and_grown_within_another():
    assert union([(10, 20, 30, 40), (5, 25, 15, 50)]) == (5, 20, 30, 50)
    assert grown_within((10, 20, 30, 40), 5, (0, 0, 32, 100)) == (5, 15, 32, 45)
    x0, y0, x1, y1 = grown_within((10, 10, 20, 20), 2, (50, 50, 60, 60))
    assert x0 >= x1 and y0 >= y1  # apart: empty


def test_a_limb_s_sides_are_evened_out_along_its_bone_and_left_as_they_are_past_it():
    # A slanted tube 7 px either side of its bone, a notch 4 px deep into one side and a
    # wisp 5 px out of the other, both 8 px long; past the bone's end, a blob (a hand).
    box, a, b = (0, 0, 200, 120), np.array([30.0, 40.0]), np.array([170.0, 70.0])
    tube = np.zeros((120, 200), np.uint8)
    cv2.line(tube, (30, 40), (170, 70), 1, 15)
    mask = tube.astype(bool)
    mask[43:55, 96:104] = False  # the notch: from above the bone down to 3 px above it
    mask[62:70, 70:78] = True  # the wisp: below the tube, 4-5 px past its edge
    mask[60:80, 172:190] = True  # past the bone's end
    even = even_sides(mask, box, a, b, window=21)
    square = np.ones((3, 3), np.uint8)
    inner = cv2.erode(tube, square).astype(bool)  # the tube but its rim, which steps
    outer = cv2.dilate(tube, square).astype(bool)
    assert (inner & ~mask).sum() > 40  # the notch...
    assert even[inner].all()  # ...filled
    assert (mask & ~outer).sum() > 20  # the wisp...
    assert not (even & ~outer)[:, :165].any()  # ...gone
    assert even[60:80, 172:190].all()  # the blob past the bone's end, kept


def test_a_point_is_in_the_frame_or_within_a_margin_past_its_edge():
    shape = (100, 200)  # h, w
    assert in_frame(np.array([0.0, 99.0]), shape) and not in_frame(np.array([200.0, 50.0]), shape)
    assert in_frame(np.array([205.0, 104.0]), shape, margin=6)
    assert not in_frame(np.array([50.0, 107.0]), shape, margin=6)
    assert not in_frame(np.array([-6.5, 50.0]), shape, margin=6)
