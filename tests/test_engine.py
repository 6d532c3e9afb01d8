"""The engine and its sessions: streaming flag, async worker, isolation, bad input.

Most tests run the engine with stand-in models (a fixed person, found instantly or only
when allowed to), so they can control timing and know where the garment must appear;
the tests at the end run the real ONNX models from ../shared.
"""

import dataclasses
import importlib.util
import subprocess
import sys
import threading

import numpy as np
import pytest

from clothes import Category
from fitting import FittingEngine
from tests.synthetic import person, tshirt

BACKGROUND = (90, 200, 90)
RED, YELLOW = (220, 30, 30), (250, 220, 20)


class StubDetector:
    def __call__(self, image):
        return np.array([[100, 50, 540, 470]], np.float32), np.array([0.9], np.float32)


class StubPose:
    """Finds ``keypoints`` in every box; can be made to block or fail."""

    def __init__(self, keypoints):
        self.keypoints = keypoints
        self.calls = 0
        self.gate = threading.Event()
        self.gate.set()
        self.fail_next = False

    def __call__(self, image, boxes):
        self.calls += 1
        assert self.gate.wait(10), "test gate never opened"
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("simulated inference failure")
        kp = np.repeat(self.keypoints[None], len(boxes), axis=0)
        return kp[..., :2], kp[..., 2]


def frame():
    return np.full((480, 640, 3), BACKGROUND, np.uint8)


def colour_share(out, colour):
    return (np.abs(out.astype(int) - colour).sum(axis=2) < 60).mean()


@pytest.fixture
def engine():
    pose = StubPose(person(center=(320, 150), shoulder_width=120))
    with FittingEngine(pose, StubDetector(), garment=tshirt(color=RED, stripes=False)) as eng:
        yield eng


def test_not_streaming_returns_the_frame_itself_and_runs_nothing(engine):
    f = frame()
    assert not engine.is_streaming()
    assert engine.process_frame(f) is f
    assert engine.models.pose.calls == 0


def test_sync_mode_waits_and_fits(engine):
    engine.async_inference = False
    engine.start_streaming()
    out = engine.process_frame(frame())
    assert out.shape == (480, 640, 3) and out.dtype == np.uint8
    assert colour_share(out, RED) > 0.05


def test_async_never_waits_for_inference(engine):
    engine.models.pose.gate.clear()  # inference blocks until the test says so
    engine.start_streaming()
    done = threading.Event()
    threading.Thread(
        target=lambda: (engine.process_frame(frame()), done.set()), daemon=True
    ).start()
    assert done.wait(5), "process_frame waited for the blocked model"
    assert engine.session().people.shape == (0, 17, 3)
    engine.models.pose.gate.set()
    assert engine.wait_idle(5)
    out = engine.process_frame(frame())  # drawn with the keypoints of the finished inference
    assert colour_share(out, RED) > 0.05


def test_stopping_keeps_the_worker_serving_and_starting_again_resets_tracking(engine):
    engine.start_streaming()
    engine.process_frame(frame())
    assert engine.wait_idle(5) and len(engine.people) == 1
    engine.stop_streaming()
    engine.models.pose.gate.clear()  # the inference that starting again begins waits here
    engine.start_streaming()
    assert len(engine.people) == 0  # no stale pose from before the pause
    engine.models.pose.gate.set()
    assert engine.wait_idle(5) and len(engine.people) == 1  # the worker still serves


def test_starting_infers_at_once_on_the_newest_frame_given_while_off(engine):
    f = frame()
    assert engine.process_frame(f) is f  # not streaming: untouched, but remembered
    assert engine.models.pose.calls == 0
    engine.start_streaming()  # inference starts now, not with the next frame
    assert engine.wait_idle(5)
    assert engine.models.pose.calls == 1 and len(engine.people) == 1


def test_submit_infers_without_drawing(engine):
    engine.async_inference = False
    session = engine.session()
    session.set_garment(tshirt(color=RED, stripes=False))
    session.submit(frame())
    assert engine.models.pose.calls == 0  # not streaming: nothing happens
    session.start_streaming()
    session.submit(frame())
    assert engine.models.pose.calls == 1 and len(session.people) == 1


def test_a_new_garment_is_worn_from_the_next_inference_without_warping_on_the_frame(engine):
    engine.start_streaming()
    engine.process_frame(frame())
    assert engine.wait_idle(5)
    assert colour_share(engine.process_frame(frame(), show_skeleton=False), RED) > 0.05
    engine.models.pose.gate.clear()  # the next inference waits
    engine.set_garment(tshirt(color=YELLOW, stripes=False))
    out = engine.process_frame(frame(), show_skeleton=False)  # never waits, never warps
    assert colour_share(out, RED) > 0.05 and colour_share(out, YELLOW) == 0
    engine.models.pose.gate.set()
    assert engine.wait_idle(5)
    out = engine.process_frame(frame(), show_skeleton=False)
    assert colour_share(out, YELLOW) > 0.05 and colour_share(out, RED) == 0


def test_the_fit_follows_the_camera_to_another_frame_size(engine):
    """A visitor switches cameras, or the browser the resolution, mid-stream: the fit made for
    the old size is not drawn on the new one, and the next inference fits the new one."""
    engine.start_streaming()
    engine.process_frame(frame())
    assert engine.wait_idle(5)
    assert colour_share(engine.process_frame(frame()), RED) > 0.05
    larger = np.full((720, 1280, 3), BACKGROUND, np.uint8)  # the person where they were
    engine.models.pose.gate.clear()  # its inference waits here, so the old fit is the latest
    first = engine.process_frame(larger)
    assert colour_share(first, RED) == 0  # the old overlay is not stretched onto it
    engine.models.pose.gate.set()
    assert engine.wait_idle(5)
    assert colour_share(engine.process_frame(larger), RED) > 0.01


def test_a_session_says_when_its_newest_fit_dressed_nobody(engine):
    engine.async_inference = False
    session = engine.session()
    session.set_garment(tshirt(color=RED, stripes=False))
    session.start_streaming()
    assert not session.unfitted  # no inference yet
    session.process_frame(frame())
    assert not session.unfitted
    nobody = engine.models.pose.keypoints.copy()
    nobody[:, 2] = 0.0
    engine.models.pose.keypoints = nobody
    for _ in range(engine.config.hold_frames + 3):  # past the lost person's held fit
        session.process_frame(frame())
    assert session.unfitted
    session.take_off(tshirt(color=RED, stripes=False))
    assert not session.unfitted  # nothing worn: nothing to fit


def test_worker_errors_are_reported_and_the_stream_goes_on(engine):
    engine.start_streaming()
    engine.models.pose.fail_next = True
    engine.process_frame(frame())
    assert engine.wait_idle(5)
    error = engine.pop_error()
    assert isinstance(error, RuntimeError) and "simulated" in str(error)
    assert engine.pop_error() is None
    engine.process_frame(frame())
    assert engine.wait_idle(5)
    assert colour_share(engine.process_frame(frame()), RED) > 0.05


def test_sessions_are_isolated(engine):
    """Own flag, own garment, own people: nothing of one reaches the other's output."""
    a, b = engine.session(), engine.session()
    a.set_garment(tshirt(color=RED, stripes=False))
    b.set_garment(tshirt(color=YELLOW, stripes=False))
    a.start_streaming()
    f = frame()
    assert b.process_frame(f) is f  # b is not streaming
    b.start_streaming()
    outs = {"a": [], "b": []}

    def stream(session, name):
        for _ in range(30):  # no skeleton: its face limbs are yellow too
            outs[name].append(session.process_frame(frame(), show_skeleton=False))

    threads = [threading.Thread(target=stream, args=(s, n)) for s, n in ((a, "a"), (b, "b"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert engine.wait_idle(5)
    assert colour_share(a.process_frame(frame(), False), RED) > 0.05
    assert colour_share(b.process_frame(frame(), False), YELLOW) > 0.05
    assert all(colour_share(o, YELLOW) == 0 for o in outs["a"])
    assert all(colour_share(o, RED) == 0 for o in outs["b"])


def test_toggling_from_many_threads_while_frames_flow_never_deadlocks(engine):
    sessions = [engine.session() for _ in range(4)]
    for s in sessions:
        s.set_garment(tshirt(color=RED, stripes=False))
    stop = threading.Event()
    errors = []

    def stream(session):
        f = frame()
        while not stop.is_set():
            try:
                out = session.process_frame(f)
                assert out is f or out.shape == f.shape
            except Exception as e:  # collected: an assert in a thread would be lost
                errors.append(e)

    def toggle(session, n):
        for i in range(n):
            (session.start_streaming if i % 2 == 0 else session.stop_streaming)()
            session.is_streaming()

    streamers = [threading.Thread(target=stream, args=(s,)) for s in sessions[:2]]
    togglers = [threading.Thread(target=toggle, args=(sessions[i % 4], 125)) for i in range(8)]
    for t in streamers + togglers:
        t.start()
    for t in togglers:
        t.join(30)
    stop.set()
    for t in streamers:
        t.join(30)
    assert not any(t.is_alive() for t in streamers + togglers), "a thread is stuck"
    assert errors == []
    assert engine.wait_idle(10)
    engine.async_inference = False
    sessions[0].start_streaming()
    assert colour_share(sessions[0].process_frame(frame()), RED) > 0.05  # still serving


@pytest.mark.parametrize(
    "bad, message",
    [
        (None, "frame is None: pass an RGB image as an (H, W, 3) uint8 numpy array"),
        ([[1, 2, 3]], "frame must be a numpy array, got list"),
        (np.zeros((4, 4, 3), np.float32), "frame has dtype float32; expected uint8 RGB values"),
        (np.zeros((4, 4), np.uint8), "frame is a grayscale (H, W) image; expected an RGB image"),
        (np.zeros((4, 4, 4), np.uint8), "frame is an image with 4 channels; expected an RGB image"),
        (np.zeros((2, 2, 2, 3), np.uint8), "frame is an array of shape (2, 2, 2, 3); expected"),
        (np.zeros((10001, 10001, 3), np.uint8), "frame is 10001x10001, over 100 megapixels"),
    ],
)
def test_bad_frames_are_refused_with_a_clear_message(engine, bad, message):
    engine.start_streaming()
    with pytest.raises(ValueError) as excinfo:
        engine.process_frame(bad)
    assert str(excinfo.value).startswith(message)


def test_bad_keypoints_are_refused_and_nan_means_missing(engine):
    garment = tshirt()
    with pytest.raises(ValueError, match=r"keypoints must have shape \(P, 17, 3\)"):
        engine.fit_image(frame(), garment, keypoints=np.zeros((2, 16, 3)))
    kp = person(center=(320, 150), shoulder_width=120)
    kp[5, :2] = np.nan  # left shoulder unknown: nobody to fit
    f = frame()
    assert np.array_equal(engine.fit_image(f, garment, keypoints=kp), f)
    kp[5, :2], kp[9, 2] = (380, 150), np.nan  # a NaN score: that wrist is missing
    assert colour_share(engine.fit_image(f, garment, keypoints=kp), (40, 90, 200)) > 0.02


def test_an_unknown_fit_is_refused_with_the_fits_named(engine):
    expected = "fit must be one of slim, regular, loose, got 'baggy'"
    with pytest.raises(ValueError) as excinfo:
        engine.fit_image(frame(), tshirt(), fit="baggy")
    assert str(excinfo.value) == expected
    with pytest.raises(ValueError) as excinfo:
        engine.session().set_fit("baggy")
    assert str(excinfo.value) == expected


def test_find_people_runs_the_detector_and_pose_model_on_a_photo(engine):
    people = engine.find_people(frame())
    np.testing.assert_allclose(people[0], person(center=(320, 150), shoulder_width=120))
    with pytest.raises(ValueError, match="image is None: pass an RGB image"):
        engine.find_people(None)


def test_bottoms_with_a_tops_landmarks_are_refused_with_what_to_do(engine):
    trousers = dataclasses.replace(tshirt(), name="jeans", category=Category.TROUSERS)
    expected = (
        "garment 'jeans' is trousers but has a top's landmarks: prepare it with "
        "clothes.Garment.from_image(photo, category=...)"
    )
    for wear in (engine.session().set_garment, lambda g: engine.fit_image(frame(), g)):
        with pytest.raises(ValueError) as excinfo:
            wear(trousers)
        assert str(excinfo.value) == expected


def test_unknown_preset_is_named():
    with pytest.raises(
        ValueError, match="unknown preset 'fast'; choose one of balanced, responsive, steady"
    ):
        FittingEngine(StubPose(person()), StubDetector(), config="fast")


# The real models.


@pytest.fixture(scope="module")
def real_engine(shared):
    models = shared / "models"
    with FittingEngine(
        models / "rtmpose-s-random-weights.onnx", models / "rtmdet-nano-person.onnx",
        device="cpu", async_inference=False, garment=tshirt(),
    ) as eng:  # fmt: skip
        eng.start_streaming()
        yield eng


@pytest.mark.parametrize("shape", [(1, 1, 3), (480, 640, 3), (8000, 8000, 3)])
def test_frames_with_nobody_come_back_unchanged(real_engine, shape):
    f = np.full(shape, 200, np.uint8)
    out = real_engine.process_frame(f)
    assert out.shape == shape and np.array_equal(out, f)


def test_real_models_run_end_to_end_on_the_video(real_engine, shared):
    import cv2

    cap = cv2.VideoCapture(str(shared / "data" / "video" / "webcam_ntu_640x480.mp4"))
    for _ in range(5):
        ok, bgr = cap.read()
        assert ok
        out = real_engine.process_frame(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        assert out.shape == (480, 640, 3)
    assert real_engine.stats.percentiles("detect") is not None
    assert real_engine.stats.percentiles("pose") is not None


def test_a_program_that_never_closes_its_engine_still_exits_cleanly(shared):
    # Python's shutdown used to catch the worker inside ONNX Runtime and abort the process
    # ("terminate called without an active exception").
    models = shared / "models"
    code = (
        "import numpy as np\n"
        "from fitting import FittingEngine\n"
        f"engine = FittingEngine({str(models / 'rtmpose-s-random-weights.onnx')!r}, "
        f"{str(models / 'rtmdet-nano-person.onnx')!r}, device='cpu')\n"
        "engine.start_streaming()\n"
        "for i in range(20):\n"
        "    engine.process_frame(np.full((480, 640, 3), 10 * i, np.uint8))\n"
        "print('done')\n"
    )
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
        )
        assert (done.returncode, done.stdout.strip()) == (0, "done"), done.stderr


def test_unknown_backend_and_misplaced_checkpoint_are_named():
    with pytest.raises(ValueError, match="backend must be one of onnxruntime, mmpose, got 'torch'"):
        FittingEngine(StubPose(person()), StubDetector(), backend="torch")
    with pytest.raises(ValueError, match="a pose checkpoint needs the mmpose backend"):
        FittingEngine("s", StubDetector(), pose_checkpoint="model.pth")


def test_the_mmpose_backend_without_mmpose_says_how_to_install_it():
    if importlib.util.find_spec("mmcv") is not None:
        pytest.skip("mmpose's stack is installed in this environment")
    with pytest.raises(ImportError, match="requirements-mmpose.txt"):
        FittingEngine("s", StubDetector(), backend="mmpose")


@pytest.mark.parametrize("arms", ["down", "out", "akimbo"])
def test_a_white_top_on_a_white_wall_has_no_dark_edge(engine, arms):
    """Where a sleeve's or the panel's map ends, the warp samples black, and the softened
    edge blended it in: a white sweatshirt on FitDiT 0279 had a thin dark line where each
    sleeve began, across its front, and round its outline. Nothing drawn is darker than the
    garment and the wall it lies on."""
    wall = np.full((480, 640, 3), 235, np.uint8)
    for sleeves in ("short", "long"):
        kp = person(center=(320, 150), shoulder_width=120, arms=arms)[None]
        out = engine.fit_image(wall, tshirt(sleeves, color=(250, 250, 250), stripes=False),
                               keypoints=kp)  # fmt: skip
        assert (out != wall).any()
        assert out.min() >= 225, (sleeves, np.argwhere(out.min(axis=2) < 225)[:5])
