"""The app: its settings, each visitor's live state, and the app itself over HTTP.

The first tests run in this process with stand-in models (a fixed person, found at once), so
they know where the garment must appear. The tests at the end start the app in a subprocess
on a free localhost port with the shared models and talk to it with ``gradio_client``; those
that must see a garment fitted start it with the video's and photos' true keypoints in place of
the random-weight model's answer (tests/browser/known_poses.py).
"""

import base64
import dataclasses
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from clothes import Category, GarmentError, load_catalog
from fitting import FittingEngine
from fitting.keypoints import FACE
from tests.browser.server import REPO, AppServer, model_env
from tests.synthetic import person, tshirt
from webapp import (
    IceServer,
    Settings,
    SettingsError,
    Visitor,
    find_garment,
    inference_threads,
    jpeg_data_url,
    photo_outfit,
    read_garment_upload,
    read_photo,
    read_settings,
    thumbnail,
)
from webapp import live as live_module
from webapp.photos import PERSON_PHOTO, PREVIEW_PX

BACKGROUND = (90, 200, 90)
RED, YELLOW = (220, 30, 30), (250, 220, 20)
CLI_TIMEOUT_S = 120  # importing Gradio takes seconds; a loaded CI machine may be slow


def frame() -> np.ndarray:
    return np.full((480, 640, 3), BACKGROUND, np.uint8)


def colour_share(image, colour, max_distance=60) -> float:
    return float((np.abs(image.astype(int) - colour).sum(axis=2) < max_distance).mean())


# Settings


def test_settings_default_to_the_model_zoo_and_gradio_defaults():
    assert read_settings([], {}) == Settings(
        pose_model="s", detector="rtmdet-nano", device="auto", server_name=None, port=None
    )


def test_settings_come_from_the_environment_and_the_command_line_wins(tmp_path):
    model = tmp_path / "pose.onnx"
    model.write_bytes(b"")
    env = {
        "FITTING_POSE_MODEL": str(model),
        "FITTING_DETECTOR": "hf://someone/detectors/person.onnx",
        "FITTING_DEVICE": "cpu",
        "GRADIO_SERVER_NAME": "0.0.0.0",
        "GRADIO_SERVER_PORT": "7861",
        "GRADIO_SHARE": "true",
    }
    assert read_settings([], env) == Settings(
        pose_model=str(model),
        detector="hf://someone/detectors/person.onnx",
        device="cpu",
        server_name="0.0.0.0",
        port=7861,
        share=True,
    )
    argv = ["--pose-model", "t", "--device", "cuda", "--port", "8000", "--server-name", "::1"]
    settings = read_settings(argv, env)
    assert (settings.pose_model, settings.device, settings.port) == ("t", "cuda", 8000)
    assert settings.server_name == "::1" and settings.detector == env["FITTING_DETECTOR"]
    assert read_settings(["--share"], {}).share


def test_the_mmpose_backend_takes_mmpose_configs_and_checkpoints():
    argv = ["--backend", "mmpose", "--pose-model", "rtmpose-m_8xb256-420e_coco-256x192"]
    settings = read_settings([*argv, "--pose-checkpoint", "mine.pth"], {})
    assert (settings.backend, settings.pose_model) == ("mmpose", argv[-1])
    assert settings.pose_checkpoint == "mine.pth"
    env = {"FITTING_BACKEND": "mmpose", "FITTING_POSE_CHECKPOINT": "https://x/y.pth"}
    assert read_settings([], env) == Settings(backend="mmpose", pose_checkpoint="https://x/y.pth")
    assert read_settings(["--backend", "onnxruntime"], {"FITTING_BACKEND": "mmpose"}) == Settings()


def test_the_segmenter_is_a_setting_and_none_turns_it_off(tmp_path):
    assert read_settings([], {}).segmenter == "mediapipe-selfie"
    assert read_settings(["--segmenter", "none"], {}).segmenter == "none"
    model = tmp_path / "selfie.onnx"
    model.write_bytes(b"")
    assert read_settings([], {"FITTING_SEGMENTER": str(model)}).segmenter == str(model)
    with pytest.raises(SettingsError, match="segmenter must be one of mediapipe-selfie, none"):
        read_settings(["--segmenter", "u2net"], {})


def test_the_live_connection_and_ice_servers_are_settings():
    turn = '[{"urls": ["turn:turn.example.com:3478"], "username": "u", "credential": "p"}]'
    env = {"FITTING_CONNECTION": "stream", "FITTING_ICE_SERVERS": turn}
    settings = read_settings([], env)
    assert settings.connection == "stream"
    assert settings.ice_servers == (IceServer(("turn:turn.example.com:3478",), "u", "p"),)
    stun = '{"urls": "stun:stun.example.com:3478"}'  # one server alone is taken too
    settings = read_settings(["--connection", "webrtc", "--ice-servers", stun], env)
    assert settings.connection == "webrtc"
    assert settings.ice_servers == (IceServer(("stun:stun.example.com:3478",)),)
    assert read_settings([], {}).ice_servers == ()


def test_a_bad_ice_server_setting_never_repeats_the_value_it_may_hold_a_password():
    secret = '[{"urls": "http://turn.example.com", "credential": "hunter2"}]'
    with pytest.raises(SettingsError) as caught:
        read_settings([], {"FITTING_ICE_SERVERS": secret})
    assert "stun:, turn: or turns:" in str(caught.value) and "hunter2" not in str(caught.value)


@pytest.mark.parametrize(
    "argv, env, says",
    [
        (["--port", "http"], {}, "port must be a number from 1 to 65535, got 'http'"),
        (["--port", "70000"], {}, "port must be a number from 1 to 65535"),
        (["--device", "gpu"], {}, "device must be one of auto, cpu, cuda, got 'gpu'"),
        (["--pose-model", "xl"], {}, "pose model must be one of t, s, m, l, a path"),
        (["--pose-model", "/no/such/model.onnx"], {}, "pose model file not found"),
        (["--detector", "yolo"], {}, "detector must be one of rtmdet-nano"),
        (["--backend", "torch"], {}, "backend must be one of onnxruntime, mmpose, got 'torch'"),
        ([], {"FITTING_BACKEND": "tf"}, "environment variable FITTING_BACKEND: backend must"),
        ([], {"FITTING_POSE_MODEL": "xl"}, "environment variable FITTING_POSE_MODEL: pose model"),
        (
            ["--backend", "mmpose", "--pose-model", "hf://a/b/pose.onnx"],
            {},
            ".onnx models run on --backend onnxruntime",
        ),
        (["--pose-checkpoint", "mine.pth"], {}, "a pose checkpoint needs the mmpose backend"),
        (["--colour", "red"], {}, "unrecognized arguments: --colour red"),
        (["--connection", "udp"], {}, "connection must be one of webrtc, stream, got 'udp'"),
        (["--ice-servers", "stun.example.com"], {}, "ICE servers must be a JSON list such as"),
        ([], {"GRADIO_SERVER_PORT": "abc"}, "environment variable GRADIO_SERVER_PORT: port"),
        ([], {"FITTING_DEVICE": "tpu"}, "environment variable FITTING_DEVICE: device"),
        ([], {"GRADIO_SHARE": "maybe"}, "GRADIO_SHARE: expected true or false"),
    ],
)
def test_bad_settings_say_what_to_pass_in_one_line(argv, env, says):
    with pytest.raises(SettingsError) as caught:
        read_settings(argv, env)
    assert says in str(caught.value)
    assert "\n" not in str(caught.value)


# One visitor's live state, with stand-in models


class StubDetector:
    def __call__(self, image):
        return np.array([[100, 50, 540, 470]], np.float32), np.array([0.9], np.float32)


class StubPose:
    """Finds one person in every box; ``fail`` makes every call raise."""

    def __init__(self):
        self.keypoints = person(center=(320, 150), shoulder_width=120)
        self.calls = 0
        self.fail = False

    def __call__(self, image, boxes):
        self.calls += 1
        if self.fail:
            raise RuntimeError("simulated inference failure")
        kp = np.repeat(self.keypoints[None], len(boxes), axis=0)
        return kp[..., :2], kp[..., 2]


@pytest.fixture
def engine():
    """Synchronous inference: each fitted frame is drawn with its own keypoints."""
    with FittingEngine(StubPose(), StubDetector(), async_inference=False) as eng:
        yield eng


def visitor_in(engine, colour=RED, fitting=True) -> Visitor:
    visitor = Visitor(engine.session(), tshirt(color=colour, stripes=False))
    visitor.set_fitting(fitting)
    return visitor


def test_fit_garment_off_shows_the_raw_camera_and_runs_no_inference(engine):
    visitor = visitor_in(engine, fitting=False)
    camera = frame()
    for _ in range(3):
        assert visitor.process(camera) is camera
    assert engine.models.pose.calls == 0
    visitor.set_fitting(True)
    fitted = visitor.process(frame())
    assert engine.models.pose.calls > 0
    assert colour_share(fitted, RED) > 0.05
    visitor.set_fitting(False)
    calls = engine.models.pose.calls
    for _ in range(3):
        assert visitor.process(camera) is camera
    assert engine.models.pose.calls == calls


def test_ticking_fit_garment_starts_inference_on_the_last_camera_frame(engine):
    visitor = visitor_in(engine, fitting=False)
    visitor.set_fitting(True)  # before any frame: nothing to infer on yet
    assert engine.models.pose.calls == 0
    visitor.set_fitting(False)
    visitor.process(frame())
    visitor.set_fitting(True)  # the box ticked between two frames
    assert engine.models.pose.calls == 1
    assert len(visitor.session.people) == 1  # the next frame is fitted at once


def test_the_skeleton_and_warp_switches_change_the_next_frame(engine):
    visitor = visitor_in(engine)
    plain = visitor.process(frame())
    visitor.set_skeleton(True)
    with_skeleton = visitor.process(frame())
    assert colour_share(with_skeleton, (255, 255, 255), 30) > colour_share(
        plain, (255, 255, 255), 30
    )
    visitor.set_skeleton(False)
    visitor.set_warp(False)  # the simple overlay: the garment only scaled and turned
    overlay = visitor.process(frame())
    assert colour_share(overlay, RED) > 0.05 and not np.array_equal(overlay, plain)


def test_the_page_sets_every_switch_at_once(engine):
    visitor = visitor_in(engine, fitting=False)
    camera = frame()
    assert visitor.process(camera) is camera
    visitor.set_switches(fitting=True, skeleton=True, warp=True, fit="loose")
    assert visitor.session.is_streaming()
    shown = visitor.process(frame())
    assert colour_share(shown, RED) > 0.05 and colour_share(shown, (255, 255, 255), 30) > 0
    visitor.set_switches(fitting=False, skeleton=True, warp=True, fit="loose")
    assert visitor.process(camera) is camera
    with pytest.raises(ValueError, match="^fit must be one of slim, regular, loose, got 'tight'$"):
        visitor.set_switches(fitting=True, skeleton=False, warp=True, fit="tight")
    assert not visitor.session.is_streaming()  # a bad value changes nothing


def test_two_visitors_never_affect_each_other(engine):
    alice, bob = visitor_in(engine, RED), visitor_in(engine, YELLOW, fitting=False)
    camera = frame()
    assert colour_share(alice.process(frame()), RED) > 0.05
    assert bob.process(camera) is camera  # Alice fitting: Bob still raw
    bob.set_fitting(True)
    bob_fitted = bob.process(frame())
    assert colour_share(bob_fitted, YELLOW) > 0.05 and colour_share(bob_fitted, RED) == 0
    bob.wear(tshirt(color=(30, 30, 220), stripes=False))
    alice_fitted = alice.process(frame())
    assert colour_share(alice_fitted, RED) > 0.05 and colour_share(alice_fitted, YELLOW) == 0
    bob.close()
    assert colour_share(alice.process(frame()), RED) > 0.05


def test_the_garment_chosen_in_the_gallery_stays_marked_while_it_is_worn(engine):
    catalog = load_catalog()
    top = next(i for i, g in enumerate(catalog) if g.category == Category.LONG_SLEEVE)
    bottoms = next(i for i, g in enumerate(catalog) if g.category.is_bottom)
    visitor = visitor_in(engine)
    assert visitor.chosen is None  # worn from the start, not chosen
    visitor.choose(catalog[top], top)
    assert visitor.chosen == top
    visitor.wear_upload(catalog[bottoms], corrected=False)  # bottoms: worn with the top
    assert visitor.chosen == top
    visitor.wear_upload(tshirt(color=YELLOW, stripes=False), corrected=False)  # a top instead
    assert visitor.chosen is None


def test_readout_shows_frame_rate_timings_and_the_garment(engine):
    visitor = visitor_in(engine, fitting=False)
    assert "Start the camera" in visitor.readout()
    for _ in range(3):
        visitor.process(frame())
    assert "fps" in visitor.readout() and "Fit garment is off" in visitor.readout()
    visitor.set_fitting(True)
    for _ in range(3):
        visitor.process(frame())
    readout = visitor.readout()
    # the server's rate, told from the one the page shows beside the video
    assert re.match(r"server: \*\*[\d.]+ fps\*\* sent · frame ", readout), readout
    assert "ms" in readout and visitor.wearing in readout
    assert "saturated" not in readout


def test_readout_says_when_nobody_is_fitted_and_what_to_do(engine):
    visitor = visitor_in(engine)
    for _ in range(3):
        visitor.process(frame())
    assert live_module.UNFITTED not in visitor.readout()
    turned = engine.models.pose.keypoints.copy()
    turned[[5, 6], 2] = 0.0  # the shoulders unseen: turned away, or too close to the camera
    engine.models.pose.keypoints = turned
    for _ in range(engine.config.hold_frames + 3):  # past the lost person's held fit
        visitor.process(frame())
    readout = visitor.readout()
    assert f"wearing {visitor.wearing} · {live_module.UNFITTED}" in readout, readout


def test_readout_says_saturated_against_the_rate_the_camera_takes(engine):
    visitor = visitor_in(engine, fitting=True)
    for camera_fps, saturated in ((None, False), (30, True), ("thirty", False), (1e6, False)):
        visitor.set_camera_fps(camera_fps)
        for _ in range(4):  # frames arrive and are shown at 10 fps at most
            visitor.count_camera_frame()
            visitor.process(frame())
            time.sleep(0.1)
        assert ("saturated" in visitor.readout()) is saturated, camera_fps


def test_inference_errors_become_one_warning_at_a_time_and_frames_keep_coming(monkeypatch):
    pose = StubPose()
    with FittingEngine(pose, StubDetector()) as engine:  # asynchronous, as in the app
        visitor = visitor_in(engine)
        pose.fail = True
        camera = frame()
        out = visitor.process(camera)
        assert out.shape == camera.shape  # the frame came back although inference fails
        message = None
        deadline = time.monotonic() + 10
        while message is None and time.monotonic() < deadline:
            message = visitor.pending_warning()
            time.sleep(0.01)
        assert message is not None and "Inference failed" in message
        assert "simulated inference failure" in message
        visitor.process(frame())  # fails again in the background...
        assert visitor.pending_warning() is None  # ...but the visitor was just told
        monkeypatch.setattr(live_module, "WARNING_INTERVAL_S", 0.0)
        deadline = time.monotonic() + 10
        while (message := visitor.pending_warning()) is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert message is not None and "Inference failed" in message
        pose.fail = False
        visitor.process(frame())
        engine.wait_idle(10)
        assert colour_share(visitor.process(frame()), RED) > 0.05


def test_a_frame_that_cannot_be_fitted_is_shown_as_it_is_with_a_warning(engine):
    visitor = visitor_in(engine)
    grey = np.zeros((480, 640), np.uint8)
    assert visitor.process(grey) is grey
    assert "could not be fitted" in visitor.pending_warning()


def test_snapshot_saves_the_frame_on_screen_and_leaving_deletes_it(engine):
    visitor = visitor_in(engine)
    assert visitor.snapshot() is None
    shown = visitor.process(frame())
    path = visitor.snapshot()
    assert path.suffix == ".png"
    assert np.array_equal(np.asarray(Image.open(path)), shown)
    assert visitor.snapshot() != path  # a second snapshot is a second file
    visitor.close()
    assert not path.exists()
    assert not visitor.session.is_streaming()


def test_stream_frames_are_jpeg_data_urls_the_page_shows_inline():
    image = np.zeros((48, 64, 3), np.uint8)
    image[:, :32] = RED
    url = jpeg_data_url(image)
    assert url.startswith("data:image/jpeg;base64,")
    decoded = cv2.cvtColor(
        cv2.imdecode(np.frombuffer(base64.b64decode(url.split(",", 1)[1]), np.uint8), 1),
        cv2.COLOR_BGR2RGB,
    )
    assert decoded.shape == image.shape
    assert np.abs(decoded.astype(int) - image).mean() < 6


# Uploads and the worker's priority


def test_unknown_garment_names_list_the_choices():
    catalog = load_catalog()
    assert find_garment(catalog, catalog[1].name) is catalog[1]
    with pytest.raises(GarmentError, match="Choose one of"):
        find_garment(catalog, "ball gown")


def test_the_photo_tab_wears_a_sample_top_and_bottoms_or_the_users_garment_in_their_place():
    catalog = load_catalog()
    tee, chinos, dress = (next(g for g in catalog if g.category == kind) for kind in
                          (Category.SHORT_SLEEVE, Category.TROUSERS, Category.DRESS))  # fmt: skip
    own_top = dataclasses.replace(tee, name="my top")
    own_shorts = dataclasses.replace(chinos, name="my shorts", category=Category.SHORTS)
    assert photo_outfit(catalog, tee.name) == [tee]
    assert photo_outfit(catalog, tee.name, chinos.name) == [tee, chinos]
    assert photo_outfit(catalog, tee.name, chinos.name, own_top) == [own_top, chinos]
    assert photo_outfit(catalog, tee.name, chinos.name, own_shorts) == [tee, own_shorts]
    assert photo_outfit(catalog, dress.name, "", own_shorts) == [dress, own_shorts]
    with pytest.raises(GarmentError, match="There is no garment called 'kilt'. Choose one of"):
        photo_outfit(catalog, tee.name, "kilt")


def test_photos_are_read_as_rgb_and_bad_files_say_why(tmp_path):
    rgba = tmp_path / "person.png"
    Image.new("RGBA", (300, 400), (200, 100, 50, 128)).save(rgba)
    assert read_photo(rgba).shape == (400, 300, 3)
    text = tmp_path / "notes.jpg"
    text.write_text("not a photo")
    with pytest.raises(GarmentError, match="not a JPEG, PNG or WebP"):
        read_photo(text)


def test_gallery_thumbnails_are_small():
    for garment in load_catalog():
        assert max(thumbnail(garment).shape[:2]) <= 256


def test_inference_gets_half_the_cores():
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert inference_threads() == max(1, cores // 2)


# The app on localhost


def run_app(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "app.py", *args],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )


def test_bad_command_line_values_give_one_line_and_no_traceback():
    done = run_app(["--device", "gpu"], {})
    assert done.returncode != 0
    assert done.stderr.strip() == (
        "app.py: error: argument --device: device must be one of auto, cpu, cuda, got 'gpu' "
        "(see python app.py --help)"
    )


def test_the_default_model_offline_and_uncached_says_how_to_provide_it(shared, tmp_path):
    env = {"FITTING_OFFLINE": "1", "FITTING_CACHE": str(tmp_path)}
    done = run_app(["--detector", model_env(shared)["FITTING_DETECTOR"]], env)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("app.py: error: RTMPose-s") and "not cached" in line
    assert "--pose-model" in line


@pytest.fixture(scope="module")
def plain_app(shared, tmp_path_factory):
    """``python app.py`` itself, with the shared (random-weight) models."""
    with AppServer.app(shared, tmp_path_factory.mktemp("plain") / "app.log") as server:
        yield server


@pytest.fixture(scope="module")
def fitting_app(shared, tmp_path_factory):
    """The app answering with the shared photos' true keypoints, so garments get fitted."""
    log = tmp_path_factory.mktemp("known") / "app.log"
    with AppServer.with_known_poses(shared, log) as server:
        yield server


def client_of(server):
    from gradio_client import Client

    return Client(server.url, verbose=False)


def test_python_app_py_serves_the_page_and_only_try_on_as_api(plain_app):
    client = client_of(plain_app)
    endpoints = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert list(endpoints) == ["/try_on"]
    print(f"\npython app.py was serving after {plain_app.startup_s:.1f} s")


def person_photo(shared, name="vitonhd_idm/00034_00.jpg") -> Path:
    return shared / "data" / "persons" / name


def rgb(path) -> np.ndarray:
    return cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)


def garment_colour(garment) -> np.ndarray:
    return garment.rgba[garment.rgba[..., 3] >= 128][:, :3].mean(axis=0)


def try_on(
    client,
    photo,
    garment_name=None,
    garment_photo=None,
    fit="regular",
    garment_type="",
    bottoms_name="",
) -> np.ndarray:
    from gradio_client import handle_file

    result = client.predict(
        handle_file(str(photo)),
        garment_name,
        handle_file(str(garment_photo)) if garment_photo else None,
        fit,
        garment_type,
        bottoms_name,
        api_name="/try_on",
    )
    return rgb(result)


def test_try_on_returns_the_photo_with_the_garment_on(fitting_app, shared):
    photo = person_photo(shared)
    tank = next(g for g in load_catalog() if "tank" in g.name.lower())
    fitted = try_on(client_of(fitting_app), photo, tank.name)
    original = rgb(photo)
    assert fitted.shape == original.shape
    colour = garment_colour(tank)
    assert colour_share(original, colour) < 0.01
    assert colour_share(fitted, colour) > 0.10


def test_try_on_fits_loose_wider_than_slim_and_refuses_other_fits(fitting_app, shared):
    from gradio_client.exceptions import AppError

    client, photo = client_of(fitting_app), person_photo(shared)
    tee = load_catalog()[0]
    shares = [colour_share(try_on(client, photo, tee.name, fit=fit), garment_colour(tee))
              for fit in ("slim", "loose")]  # fmt: skip
    assert shares[1] > shares[0] > 0.05
    with pytest.raises(AppError, match="'baggy'.* is not in the list of choices"):
        try_on(client, photo, tee.name, fit="baggy")


def test_try_on_fits_an_uploaded_garment_photo(fitting_app, shared):
    photo = person_photo(shared)
    garment = shared / "data" / "garments" / "tops_idm" / "04469_00.jpg"
    fitted = try_on(client_of(fitting_app), photo, garment_photo=garment)
    changed = np.abs(fitted.astype(int) - rgb(photo)).sum(axis=2) > 60
    assert changed.mean() > 0.10


def test_try_on_wears_uploaded_bottoms_with_the_chosen_top(fitting_app, shared):
    from gradio_client.exceptions import AppError

    client, photo = client_of(fitting_app), person_photo(shared, "fitdit/0.jpg")
    tee, shorts = load_catalog()[0], shared / "data" / "garments" / "fitdit" / "7.jpg"
    top_only = try_on(client, photo, tee.name)
    outfit = try_on(client, photo, tee.name, garment_photo=shorts)
    assert colour_share(outfit, garment_colour(tee)) > 0.02  # the tee is still worn
    legs = np.abs(outfit.astype(int) - top_only.astype(int)).sum(axis=2) > 60
    assert legs.mean() > 0.01  # and the shorts with it
    with pytest.raises(AppError, match="cape is not in the list of choices"):
        try_on(client, photo, garment_photo=shorts, garment_type="cape")


def test_try_on_wears_a_sample_top_with_sample_bottoms_or_a_sample_dress(fitting_app, shared):
    from gradio_client.exceptions import AppError

    client, photo = client_of(fitting_app), person_photo(shared, "fitdit/0.jpg")
    catalog = load_catalog()
    tee = catalog[0]
    chinos, dress = (next(g for g in catalog if g.category == kind)
                     for kind in (Category.TROUSERS, Category.DRESS))  # fmt: skip
    outfit = try_on(client, photo, tee.name, bottoms_name=chinos.name)
    assert colour_share(outfit, garment_colour(tee)) > 0.02
    assert colour_share(outfit, garment_colour(chinos)) > 0.03  # the legs, hips to ankles
    in_dress = try_on(client, photo, dress.name)
    assert colour_share(in_dress, garment_colour(dress)) > 0.05
    with pytest.raises(AppError, match="a dress is worn without bottoms"):
        try_on(client, photo, dress.name, bottoms_name=chinos.name)
    with pytest.raises(AppError, match="not in the list of choices"):
        try_on(client, photo, chinos.name)  # bottoms are chosen as bottoms


def test_an_upload_is_shown_as_read_with_its_type_and_can_be_corrected(shared):
    folder = shared / "data" / "garments" / "fitdit"
    top = read_garment_upload(folder / "0.jpg")
    assert top.garment is not None and top.category == Category.SHORT_SLEEVE
    assert top.message is None and max(top.preview.shape[:2]) == PREVIEW_PX
    trousers = read_garment_upload(folder / "4.jpg")
    assert trousers.garment.category == trousers.category == Category.TROUSERS
    assert trousers.message is None and trousers.preview.shape[2] == 3
    corrected = read_garment_upload(folder / "4.jpg", "sleeveless")
    assert corrected.garment.category == corrected.category == Category.SLEEVELESS
    with pytest.raises(GarmentError, match="There is no garment type 'cape'. Choose one of"):
        read_garment_upload(folder / "4.jpg", "cape")


def test_a_photo_of_a_person_is_refused_as_a_garment(shared):
    top = shared / "data" / "garments" / "fitdit" / "0.jpg"
    someone = person(center=(320, 200), shoulder_width=150)[None]  # face keypoints scored 0.9
    mannequin = someone.copy()
    mannequin[0, list(FACE), 2] = 0.1  # a body, but no face: a garment on a mannequin
    with pytest.raises(GarmentError) as refused:
        read_garment_upload(top, find_people=lambda image: someone)
    assert str(refused.value) == PERSON_PHOTO
    assert read_garment_upload(top, find_people=lambda image: mannequin).garment is not None
    assert read_garment_upload(top, find_people=lambda image: someone[:0]).garment is not None


def test_try_on_refuses_a_person_photo_as_the_garment(fitting_app, shared):
    from gradio_client.exceptions import AppError

    photo, someone = person_photo(shared), person_photo(shared, "vitonhd_ootd/01008_00.jpg")
    with pytest.raises(AppError, match="This photo shows a person. Please upload a photo of"):
        try_on(client_of(fitting_app), photo, garment_photo=someone)


@pytest.mark.parametrize(
    "upload, says",
    [
        ("text", "This file is not a JPEG, PNG or WebP image"),
        ("truncated", "This image file is damaged or incomplete"),
        ("blank garment", "Could not find a garment in this photo"),
        ("tiny", "is too small"),
    ],
)
def test_bad_uploads_give_a_clear_error(plain_app, shared, tmp_path, upload, says):
    from gradio_client.exceptions import AppError

    photo = person_photo(shared)
    garment_photo = None
    if upload == "text":
        photo = tmp_path / "photo.png"
        photo.write_text("this is not an image")
    elif upload == "truncated":
        photo = tmp_path / "photo.jpg"
        photo.write_bytes(person_photo(shared).read_bytes()[:5000])
    elif upload == "blank garment":
        garment_photo = tmp_path / "white.png"
        Image.new("RGB", (400, 500), "white").save(garment_photo)
    elif upload == "tiny":
        photo = tmp_path / "tiny.png"
        Image.new("RGB", (40, 60), "gray").save(photo)
    with pytest.raises(AppError, match=says):
        try_on(client_of(plain_app), photo, garment_photo=garment_photo)


def test_try_on_without_a_photo_or_with_an_unknown_garment_says_so(plain_app, shared):
    from gradio_client.exceptions import AppError

    client = client_of(plain_app)
    with pytest.raises(AppError, match="Upload a photo of a person first"):
        client.predict(None, None, None, api_name="/try_on")
    with pytest.raises(AppError, match="not in the list of choices"):
        try_on(client, person_photo(shared), "ball gown")


def test_two_clients_at_once_each_get_their_own_result(fitting_app, shared):
    catalog = load_catalog()
    jobs = [
        (person_photo(shared, "vitonhd_idm/00034_00.jpg"), catalog[0].name),
        (person_photo(shared, "vitonhd_ootd/01008_00.jpg"), catalog[3].name),
    ]
    alone = [try_on(client_of(fitting_app), photo, name) for photo, name in jobs]
    assert not np.array_equal(alone[0], alone[1])
    clients = [client_of(fitting_app), client_of(fitting_app)]
    for _ in range(2):
        with ThreadPoolExecutor(len(jobs)) as pool:
            together = list(
                pool.map(lambda c, job: try_on(c, *job), clients, jobs)  # noqa: B023
            )
        for mine, expected in zip(together, alone, strict=True):
            assert np.array_equal(mine, expected)
