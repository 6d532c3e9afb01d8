"""The speed tool's own parts: the video as a closer camera films it (tools.bench.zoomed), and
sessions taking turns frame by frame (tools.bench.taking_turns)."""

import numpy as np

from fitting.keypoints import Keypoint as K
from tools.bench import DESK_SHOULDERS, taking_turns, zoomed

SIZE = (480, 640)  # height, width


def person(points: dict[K, tuple[float, float]]) -> np.ndarray:
    """(1, 17, 3): the given keypoints seen (score 1), every other one unseen."""
    kp = np.zeros((1, len(K), 3), np.float32)
    for k, xy in points.items():
        kp[0, k] = (*xy, 1.0)
    return kp


def test_a_closer_camera_magnifies_frames_and_keypoints_alike():
    frame = np.zeros((*SIZE, 3), np.uint8)
    frame[259:262, 399:402] = 255  # a 3x3 dot round (400, 260)
    shoulders = {K.LEFT_SHOULDER: (340.0, 200.0), K.RIGHT_SHOULDER: (300.0, 200.0)}
    kp = person({**shoulders, K.LEFT_WRIST: (400.0, 260.0), K.LEFT_ANKLE: (320.0, 470.0)})

    (closer,), (moved,) = zoomed([frame], [kp], 2.0)

    # the shoulders' middle is held DESK_SHOULDERS down the frame, in the middle across
    middle = moved[0, [K.LEFT_SHOULDER, K.RIGHT_SHOULDER], :2].mean(axis=0)
    np.testing.assert_allclose(middle, [SIZE[1] / 2, DESK_SHOULDERS * SIZE[0]], atol=1e-3)
    np.testing.assert_allclose(moved[0, K.LEFT_SHOULDER, 0] - moved[0, K.RIGHT_SHOULDER, 0], 80)
    ys, xs = np.nonzero(closer[..., 0] > 128)  # the dot, now 6 px wide, under its keypoint
    np.testing.assert_allclose([xs.mean(), ys.mean()], moved[0, K.LEFT_WRIST, :2], atol=1.0)
    assert moved[0, K.LEFT_WRIST, 2] == 1.0
    assert moved[0, K.LEFT_ANKLE, 2] == 0.0, "a keypoint past the frame's edge is unseen"


def test_a_closer_camera_never_looks_past_the_frame():
    frame = np.full((*SIZE, 3), 200, np.uint8)
    kp = person({K.LEFT_SHOULDER: (30.0, 20.0), K.RIGHT_SHOULDER: (10.0, 20.0)})  # a corner

    (closer,), (moved,) = zoomed([frame], [kp], 2.5)

    assert (closer == 200).all(), "the zoomed view takes in black from past the frame"
    np.testing.assert_allclose(moved[0, K.RIGHT_SHOULDER, :2], [25.0, 50.0], atol=1e-3)


class Recorder:
    """A stand-in engine whose sessions log every frame they are given, in order, and time each
    inference as the frame's own number."""

    def __init__(self, log: list):
        self.log = log

    def session(self):
        return RecordingSession(self.log)


class RecordingSession:
    def __init__(self, log: list):
        self.log, self.inferences = log, []
        self.stats = self

    def set_garment(self, garment):
        pass

    def start_streaming(self):
        pass

    def process_frame(self, frame, show_skeleton=False):
        self.log.append((id(self), frame))
        self.inferences.append(float(frame))

    def samples(self, stage):
        return np.array(self.inferences)

    def close(self):
        pass


def test_sessions_taking_turns_go_first_in_turn_each_on_its_own_frames():
    log = []
    engine = Recorder(log)
    runs = {"a": (engine, [1, 2, 3]), "b": (engine, [10, 20, 30])}

    cost = taking_turns(runs, garment=None, passes=2)

    frames = [frame for _, frame in log]
    assert frames == [1, 10, 20, 2, 3, 30] * 2, "each frame step, the other session goes first"
    assert cost["a"] == {"passes": [2.0, 2.0], "p50": 2.0}
    assert cost["b"] == {"passes": [20.0, 20.0], "p50": 20.0}
