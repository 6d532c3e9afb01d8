"""Keypoint smoothing and tracking, on synthetic keypoints."""

import numpy as np
import pytest

from fitting.arm_outlines import ToldForearm
from fitting.body import Capsule
from fitting.config import FitConfig
from fitting.keypoints import MAX_BONE, flanked, shoulder_past_edge
from fitting.patches import Patch
from fitting.tracking import OneEuroFilter, Tracker, WidthFilter, box_iou
from tests.synthetic import person
from tools import camera_moves

FPS = 30.0


def run(filt, track, scale=50.0, valid=None):
    valid = np.ones(track.shape[1], bool) if valid is None else valid
    return np.array([filt(p, valid, i / FPS, scale) for i, p in enumerate(track)])


def new_filter():
    cfg = FitConfig()
    return OneEuroFilter(
        cfg.smooth_min_cutoff, cfg.smooth_beta, cfg.smooth_d_cutoff, cfg.smooth_jump
    )


def test_jitter_of_a_still_point_drops():
    rng = np.random.default_rng(1)
    noisy = 100 + rng.normal(0, 2.0, (300, 1, 2))
    smoothed = run(new_filter(), noisy)
    assert smoothed[30:].std() < 0.5 * noisy[30:].std()


def test_a_steady_motion_is_followed_with_little_lag():
    t = np.arange(60) / FPS
    track = np.stack([100 + 300 * t, np.full_like(t, 50)], axis=1)[:, None, :]  # 300 px/s
    smoothed = run(new_filter(), track)
    lag_px = track[-1, 0, 0] - smoothed[-1, 0, 0]
    assert 0 <= lag_px < 300 / FPS  # behind by less than one frame of motion


def test_a_jump_restarts_instead_of_sliding():
    track = np.concatenate([np.full((10, 1, 2), 100.0), np.full((5, 1, 2), 400.0)])
    smoothed = run(new_filter(), track, scale=50.0)  # 300 px = 6 half shoulder widths
    assert smoothed[10, 0, 0] == 400.0


def test_invalid_points_hold_and_reappear_without_sliding():
    filt = new_filter()
    valid, invalid = np.array([True]), np.array([False])
    filt(np.array([[100.0, 100.0]]), valid, 0.0, 50.0)
    held = filt(np.array([[0.0, 0.0]]), invalid, 1 / FPS, 50.0)
    np.testing.assert_allclose(held, [[100.0, 100.0]])
    back = filt(np.array([[130.0, 100.0]]), valid, 2 / FPS, 50.0)
    np.testing.assert_allclose(back, [[130.0, 100.0]])  # a reappearing point starts afresh


def test_smoothing_is_scale_invariant():
    rng = np.random.default_rng(2)
    noisy = 100 + rng.normal(0, 1.0, (100, 1, 2))
    small = run(new_filter(), noisy, scale=20.0) - 100
    large = run(new_filter(), 10 * (noisy - 100) + 100, scale=200.0) - 100
    np.testing.assert_allclose(large, 10 * small, atol=1e-6)


def test_a_width_rises_at_once_falls_smoothly_and_is_unmeasured_where_not_measured():
    """Tracker.steady_flanks's filter: a wider measure is taken at once, a narrower one is
    low-passed, a value not measured now (NaN) stays unmeasured and starts afresh after."""
    widths = WidthFilter(cutoff=1.0)
    assert_allclose = np.testing.assert_allclose
    assert_allclose(widths(np.array([1.0, 1.0, np.nan]), 0.0), [1.0, 1.0, np.nan])
    out = widths(np.array([1.5, 0.5, 2.0]), 1 / FPS)
    assert out[0] == 1.5 and 0.9 < out[1] < 1.0 and out[2] == 2.0
    for i in range(2, int(FPS) + 2):  # a second of the narrower measure
        out = widths(np.array([1.5, 0.5, np.nan]), i / FPS)
    assert out[1] == pytest.approx(0.5, abs=0.01) and np.isnan(out[2])
    assert widths(np.array([1.5, 0.5, 0.3]), 2.0)[2] == 0.3


def test_an_arm_s_width_that_flips_between_frames_holds_near_the_wider():
    """Tracker.steady_arm_widths: per person and side, the arm's half-widths measured on the
    outline held as the flanks are, in body scales (a person twice as near, twice as wide)."""
    near, far = Tracker(FitConfig()), Tracker(FitConfig())
    near.update(person(center=(320, 150), shoulder_width=200)[None], 0.0)
    far.update(person(center=(320, 150), shoulder_width=100)[None], 0.0)
    held = []
    for i in range(12):
        upper = (24.0, 18.0)[i % 2]  # the outline beside the arm's outer side, or not
        widths = near.steady_arm_widths(0, {"left": (upper, 10.0)}, 100.0, i / FPS)
        assert set(widths) == {"left"}  # an arm not measured stays unmeasured
        held.append(widths["left"][0])
        halved = far.steady_arm_widths(0, {"left": (upper / 2, 5.0)}, 50.0, i / FPS)
        assert halved["left"] == pytest.approx((held[-1] / 2, 5.0))
    assert min(held[1:]) > 22.5  # near the wider: a strip of the arm no longer comes and goes


def test_box_iou():
    a = np.array([[0, 0, 10, 10]], np.float32)
    b = np.array([[0, 0, 10, 10], [5, 0, 15, 10], [20, 20, 30, 30]], np.float32)
    np.testing.assert_allclose(box_iou(a, b), [[1.0, 1 / 3, 0.0]], rtol=1e-5)


def test_tracker_follows_two_people_and_lets_a_lost_one_go():
    cfg = FitConfig(hold_frames=2, detect_every=5)
    tracker = Tracker(cfg)
    assert tracker.boxes_to_follow() is None  # nobody yet: detect
    a, b = (
        person(center=(150, 200), shoulder_width=100),
        person(center=(450, 200), shoulder_width=140),
    )
    tracker.update(np.stack([a, b]), 0.0)
    ids = [t.id for t in tracker.tracks]
    assert len(ids) == 2 and tracker.boxes_to_follow() is not None
    shifted = np.stack([b + [5, 0, 0], a + [5, 0, 0]])  # same people, listed the other way round
    tracker.update(shifted, 1 / FPS)
    assert [t.id for t in tracker.tracks] == ids  # matched by overlap, not by order
    for i in range(3):  # b leaves: held for hold_frames inferences, then dropped
        tracker.update(shifted[1:], (2 + i) / FPS)
        assert len(tracker.tracks) == (2 if i < 2 else 1)
        assert tracker.boxes_to_follow() is None or i == 2  # a lost track asks for detection


def test_tracker_detects_every_n_inferences():
    tracker = Tracker(FitConfig(detect_every=4))
    kp = person()[None]
    asks = []
    for i in range(9):
        asks.append(tracker.boxes_to_follow() is None)
        tracker.update(kp, i / FPS)
    assert asks == [True, False, False, False, True, False, False, False, True]


def test_a_pose_without_shoulders_starts_no_track():
    kp = person()
    kp[5:7, 2] = 0.0
    tracker = Tracker(FitConfig())
    tracker.update(kp[None], 0.0)
    assert tracker.tracks == []


@pytest.mark.parametrize("max_people", [1, 2])
def test_tracker_keeps_the_largest_people(max_people):
    tracker = Tracker(FitConfig(max_people=max_people))
    people = [person(center=(100 + 150 * i, 200), shoulder_width=60 + 20 * i) for i in range(3)]
    tracker.update(np.stack(people), 0.0)
    assert sorted(round(t.scale) for t in tracker.tracks) == [50, 40][:max_people][::-1]


def test_someone_who_jumps_keeps_one_track_and_leaves_no_ghost():
    tracker = Tracker(FitConfig())
    for i in range(5):
        tracker.update(person(center=(120, 200))[None], i / FPS)
    track_id = tracker.tracks[0].id
    far = person(center=(500, 200))
    tracker.update(far[None], 5 / FPS)
    assert [t.id for t in tracker.tracks] == [track_id]
    np.testing.assert_allclose(tracker.people()[0, :, :2], far[:, :2])  # there at once, no slide


def test_a_forearm_s_tell_is_held_for_its_track_and_forgotten_when_it_jumps():
    tracker = Tracker(FitConfig())
    tracker.update(person(center=(120, 200))[None], 0.0)
    capsule = Capsule(np.array([100.0, 240.0]), np.array([100.0, 300.0]), 8.0)
    told = {"left": ToldForearm(capsule, Patch((90, 230, 111, 311), np.ones((81, 21), np.float32)))}
    tracker.tell_forearms(0, told)
    tracker.update(person(center=(122, 200))[None], 1 / FPS)
    assert tracker.forearms_told(0) is told
    tracker.update(person(center=(500, 200))[None], 2 / FPS)  # the same track, restarted
    assert tracker.forearms_told(0) == {}


def test_a_newcomer_gets_a_track_of_their_own():
    tracker = Tracker(FitConfig())
    a, b = person(center=(120, 200)), person(center=(500, 200))
    tracker.update(a[None], 0.0)
    tracker.update(np.stack([a, b]), 1 / FPS)
    assert len(tracker.tracks) == 2


def test_someone_stepping_out_from_behind_another_keeps_their_own_track():
    """Tracks are continued by the largest overlaps first. Taken pose by pose, her pose, back
    in full view, overlapped his track's box more than her own track's, small from while only
    her face and shoulders showed beside his head, and took it: her keypoints slid over from his."""
    tracker, frame = Tracker(FitConfig()), (480, 640, 3)
    her = person(center=(300, 150), shoulder_width=100)
    shoulders_only = her.copy()  # and her face
    shoulders_only[[3, 4, *range(7, 17)], 2] = 0.0
    steps = [(her, 520), (shoulders_only, 420), (None, 380), (None, 340), (her, 300)]
    for i, (pose, x) in enumerate(steps):
        him = person(center=(x, 170), shoulder_width=130)
        poses = [him] if pose is None else [pose, him]
        tracker.update(np.stack(poses), i / FPS, frame)
        if i == 0:
            ids = {round(float(t.keypoints[5, 0])): t.id for t in tracker.tracks}
    assert sorted(t.id for t in tracker.tracks) == sorted(ids.values())
    hers = next(t for t in tracker.tracks if t.id == ids[round(float(her[5, 0]))])
    np.testing.assert_allclose(hers.keypoints[:, :2], her[:, :2])  # where she is, not sliding


def test_a_keypoint_seen_stays_seen_until_its_score_drops_well_below_the_threshold():
    """Hysteresis: a score hovering around the threshold does not flip the keypoint (and the
    sleeve that follows it) between seen and missing at every inference."""
    cfg = FitConfig()
    tracker, kp, elbow = Tracker(cfg), person(), 7
    kp[9, 2] = 0.0  # the wrist unseen: the elbow has only its own score to go by
    seen = []
    for i, score in enumerate([0.9, 0.25, 0.35, 0.2, 0.1, 0.25, 0.35]):
        kp[elbow, 2] = score
        tracker.update(kp[None], i / FPS)
        seen.append(bool(tracker.people()[0, elbow, 2] >= cfg.keypoint_score))
    assert seen == [True, True, True, True, False, False, True]
    assert cfg.keypoint_keep_score < 0.2 < cfg.keypoint_score < 0.35


def test_a_joint_seen_stays_seen_at_any_score_between_the_seen_ends_of_its_limb():
    """An elbow raised in front of the face can score near zero while the shoulder and the
    wrist around it are plain: its forearm (kept in front of the garment) must not vanish."""
    cfg = FitConfig()
    tracker, kp, elbow = Tracker(cfg), person(arms="cross"), 7
    seen = []
    for i, (score, wrist) in enumerate([(0.9, 0.9), (0.05, 0.9), (0.05, 0.1), (0.05, 0.9)]):
        kp[elbow, 2], kp[9, 2] = score, wrist
        tracker.update(kp[None], i / FPS)
        seen.append(bool(tracker.people()[0, elbow, 2] >= cfg.keypoint_score))
    # the wrist lost with it, the elbow goes, and a low score alone does not bring it back
    assert seen == [True, True, False, False]


def test_a_joint_placed_farther_from_its_limb_s_ends_than_any_bone_is_not_flanked():
    kp, scale = person(), 60.0  # shoulder width 120
    seen = np.ones(17, bool)
    assert flanked(kp[:, :2], seen, scale)[[7, 8, 13, 14]].all()
    far = kp[:, :2].copy()
    far[7] = far[5] + (0, (MAX_BONE + 0.1) * scale)  # the left elbow too far below its shoulder
    seen[10] = False  # the right wrist unseen
    assert flanked(far, seen, scale)[[7, 8, 13, 14]].tolist() == [False, False, True, True]


def test_a_knee_where_the_leg_leaves_the_frame_stays_seen_at_any_score():
    """A webcam's bottom edge cuts the legs at the knees: the pose model sees part of each
    knee and scores it around the threshold, and bottoms (drawn only with knees seen) came
    and went from one inference to the next. Seen once, a knee at the frame's edge stays seen
    while its hip is; away from the edge a low score still drops it."""
    cfg = FitConfig()
    kp = person(center=(320, 150), shoulder_width=120)  # ankles below the knees, unseen
    kp[[15, 16], 2] = 0.0
    for frame_height, kept in ((int(kp[13, 1]) + 4, True), (480, False)):
        tracker, seen = Tracker(cfg), []
        for i, score in enumerate([0.9, 0.05, 0.1, 0.05]):
            kp[[13, 14], 2] = score
            tracker.update(kp[None], i / FPS, (frame_height, 640, 3))
            seen.append(bool((tracker.people()[0, [13, 14], 2] >= cfg.keypoint_score).all()))
        assert seen == [True, kept, kept, kept], frame_height


@pytest.mark.parametrize("score, followed", [(0.2, True), (0.1, False)])
def test_a_shoulder_seen_stays_seen_for_the_track_down_to_the_lower_score(score, followed):
    """As every keypoint does once seen; a pose whose shoulder dipped below keypoint_score was
    a miss, and its track held still where it had been while the person moved on."""
    cfg = FitConfig()
    tracker = Tracker(cfg)
    tracker.update(person(center=(300, 200))[None], 0.0)
    moved = person(center=(310, 200))
    moved[5, 2] = score
    tracker.update(moved[None], 1 / FPS)
    assert (tracker.tracks[0].misses == 0) == followed
    assert (tracker.people()[0, 6, 0] > person(center=(300, 200))[6, 0]) == followed


def test_a_shoulder_past_the_frame_s_edge_is_put_back_beside_the_seen_one():
    """Where it was against the seen shoulder at the last inference, if that is at the
    frame's edge or past it; an unseen shoulder inside the frame stays unseen."""
    frame, last = (480, 640, 3), person(center=(100, 200), shoulder_width=100)
    now = person(center=(30, 210), shoulder_width=100)  # right shoulder at x = -20
    now[6, 2] = 0.0
    put_back = shoulder_past_edge(now, last, 0.3, frame)
    np.testing.assert_allclose(put_back[6], [now[5, 0] - 100, now[5, 1], 0.3])
    np.testing.assert_array_equal(np.delete(put_back, 6, axis=0), np.delete(now, 6, axis=0))
    right = person(center=(610, 210), shoulder_width=100)  # left shoulder at x = 660
    right[5, 2] = 0.0
    put_back = shoulder_past_edge(right, last, 0.3, frame)
    np.testing.assert_allclose(put_back[5], [right[6, 0] + 100, right[6, 1], 0.3])
    inside = person(center=(300, 210), shoulder_width=100)
    inside[6, 2] = 0.0  # hidden, not gone: 200 px from the edge
    assert shoulder_past_edge(inside, last, 0.3, frame) is inside
    last[5, 2] = 0.0  # the last inference did not see both: no span to go by
    assert shoulder_past_edge(now, last, 0.3, frame) is now


def test_someone_stepping_half_out_of_the_frame_is_followed_not_frozen():
    """A pose model scores a shoulder outside the image low. That pose was a miss, so the
    track froze where the person had been (their garment held there, beside them, for
    hold_frames inferences) and was then dropped."""
    cfg, frame = FitConfig(), (480, 640, 3)
    tracker = Tracker(cfg)
    for i in range(12):  # walking left, 12 px an inference: the right shoulder leaves at i = 5
        kp = person(center=(110 - 12 * i, 200), shoulder_width=100)
        kp[kp[:, 0] < 0, 2] = 0.0
        tracker.update(kp[None], i / FPS, frame)
    assert len(tracker.tracks) == 1 and tracker.tracks[0].misses == 0
    shoulders = tracker.people()[0, [5, 6]]
    assert (shoulders[:, 2] >= cfg.keypoint_score).all()
    np.testing.assert_allclose(shoulders[:, 0], kp[[5, 6], 0], atol=12)  # within a step


def test_fitdit_s_people_are_followed_out_of_the_frame_and_walking_by_each_other(shared):
    """tools.camera_moves on FitDiT's people's keypoints: with a shoulder in view, everyone
    is tracked with both shoulders (0.963 of the frames before shoulders past the edge were
    put back); walking by, no track goes from one person to the other (3 did before tracks
    were continued by the largest overlaps first)."""
    people = camera_moves.load_people(shared)
    for one in people:
        for side in (-1, 1):
            both, _ = camera_moves.out_of_frame(one, side)
            assert all(both)
    for behind, front in zip(people, people[1:] + people[:1], strict=True):
        _, swaps = camera_moves.walking_by(behind, front)
        assert swaps == 0


def test_a_still_person_stays_still_when_their_shoulder_span_jitters():
    """Speeds are measured in shoulder widths, positions are not: divided by a span measured
    anew (with its noise) at every step, a still point far from the image's corner moved with
    every change of the span (by 25 px here, more than the unfiltered keypoints' jitter)."""
    tracker, rng = Tracker(FitConfig()), np.random.default_rng(0)
    still = person(center=(500.0, 400.0))
    nose = []
    for i in range(30):
        kp = still.copy()
        middle = kp[[5, 6], :2].mean(axis=0)
        kp[[5, 6], :2] = middle + (kp[[5, 6], :2] - middle) * (1 + rng.uniform(-0.05, 0.05))
        tracker.update(kp[None], i / FPS)
        nose.append(tracker.people()[0, 0, :2])
    np.testing.assert_allclose(nose, np.broadcast_to(still[0, :2], (30, 2)), atol=0.5)
