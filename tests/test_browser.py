"""The live page in a real browser: Debian's Chromium, headless, with a fake camera.

The camera plays the shared webcam video (as Y4M), each frame's number stamped along its top
edge (tests/browser/camera.py). The app runs with the shared random-weight RTMPose-s model, so
every inference costs what a real one does, but its answer is swapped for the video's true
keypoints (tests/browser/known_poses.py): that way "fitted" frames really show the garment.
Chromium and the app each get one of the 2 CPUs: a visitor's browser runs on their own
computer, and on 2 cores a browser on the app's core would take the CPU the measured app
needs.

What is measured is what the page shows (tests/browser/page.py): the frames the WebRTC
<video> presents and, from their stamped numbers, how long after the camera took them; the
pictures the Gradio-stream fallback is sent and those it shows. The test asserts what must
hold every time (the view is live, the raw view is the camera, the fitted view wears the
garment, each click switches, the fallback shows what it is sent and leaves no files behind)
and reports the timings against the issue's targets in out/browser.json, without failing on
them: on a shared 2-core machine a run's timings swing by more than their margins.
"""

import json
import os
import re
import time
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np
import pytest

from clothes import Category, Garment, load_catalog
from tests.browser.camera import CAMERA_SIZE, camera_fps, framed, write_still_y4m, write_y4m
from tests.browser.known_poses import KnownPoses
from tests.browser.page import (
    VIEWPORT,
    colour_share,
    cpu_seconds,
    fetch_image,
    find_chromium,
    grab,
    latencies_ms,
    launch,
    live_frames,
    presented,
    rss_mb,
    stream_received,
    watch_live,
    watch_stream,
)
from tests.browser.server import AppServer
from webapp import caption
from webapp.live import KEEPING_UP

# The targets: reported in FIGURES_FILE with met or MISSED, not asserted.
TARGETS = {
    "webrtc_fitted_fps": (">=", 25.0),
    "webrtc_latency_median_ms": ("<=", 120.0),
    "webrtc_latency_p90_ms": ("<=", 200.0),
    "webrtc_fitted_over_raw": (">=", 0.9),
    "stream_shown_over_sent": (">=", 0.9),
    "stream_shown_fps": (">=", 12.0),
    # each of 4 visitors is fitted >= KEEPING_UP of its camera's frames, or told it is not
    "visitors_4_kept_up_or_told": (">=", 1.0),
}
RSS_MAX_MB = 650  # the app process, with everything loaded and streaming: asserted (its peak
# was 421-583 MB with five catalog garments; the nine decoded now take 27 MB, not 12)
VIDEO = Path("data") / "video" / "webcam_ntu_640x480.mp4"  # the fake camera's, in ../shared
PHONE_WIDTH = 390  # px: a phone held upright
LAYOUT_SETTLE_MS = 500  # after the window is resized, before the layout is measured
FIGURES_FILE = Path(__file__).resolve().parents[1] / "out" / "browser.json"
OUTFIT_PICTURE = FIGURES_FILE.with_name("browser_outfit.png")  # to look at

LIVE_TIMEOUT_S = 30  # from pressing Start camera to the first frame shown
CYCLES = 3  # fitted, then raw, this many times
SWITCH_SETTLE_S = 1.5  # after a click, before the frames are counted...
MEASURE_S = 5.0  # ...for this long
GRABS = 3  # pictures checked per measured stretch
SWITCH_WAIT_S = 3.0  # after choosing a garment, before looking for it
STREAM_MEASURE_S = 8.0  # the fallback's measured stretch
FALLBACK_TIMEOUT_S = 30  # live_view.js gives WebRTC 15 s to connect
VISITORS = 4
# A fitted frame shows the garment's colour over this much of the picture (the tee covers
# about 7% of the frame); a raw frame shows almost none of it.
FITTED_SHARE_MIN = 0.03
RAW_SHARE_MAX = 0.005
COLOUR_DISTANCE = 60  # RGB distance from the garment's mean colour that counts as garment
FULL_BODY_PHOTO = "4.jpg"  # the outfit test's camera: a person from head to feet
UPRIGHT_CAMERA = (480, 640)  # (width, height): a phone's camera held upright
# In that frame the person is small (a full body in 480 rows): the shorts cover about 2% of
# it, the dress about 7%.
OUTFIT_SHARE_MIN = 0.008

figures: dict = {}


def garment_colour(garment) -> np.ndarray:
    """Mean RGB of the garment's opaque pixels."""
    return garment.rgba[garment.rgba[..., 3] >= 128][:, :3].mean(axis=0)


TEE = garment_colour(load_catalog()[0])  # worn from the start


def report(key: str, value) -> None:
    figures[key] = value
    if key in TARGETS:
        sign, target = TARGETS[key]
        met = value >= target if sign == ">=" else value <= target
        figures.setdefault("targets", {})[f"{key} {sign} {target}"] = "met" if met else "MISSED"
    FIGURES_FILE.parent.mkdir(parents=True, exist_ok=True)
    FIGURES_FILE.write_text(json.dumps(figures, indent=2, default=float))


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        reason = "Chromium not found: apt-get install chromium (or set CHROMIUM=/path)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the browser tests")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def camera(shared, tmp_path_factory) -> Path:
    y4m = tmp_path_factory.mktemp("camera") / "webcam.y4m"
    write_y4m(shared / VIDEO, y4m)
    return y4m


@pytest.fixture(scope="module")
def fail_flag(tmp_path_factory) -> Path:
    """While this file exists, the server's inferences fail."""
    return tmp_path_factory.mktemp("flags") / "fail-inference"


@pytest.fixture(scope="module")
def gradio_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gradio-cache")


def split_cpus() -> tuple[set[int] | None, set[int] | None]:
    """CPUs for (the browser, the app): half each, as if the visitor's browser ran on their own
    computer. (None, None) where that cannot be done (one CPU, or not Linux)."""
    if not hasattr(os, "sched_getaffinity"):
        return None, None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None, None
    half = len(cpus) // 2
    return set(cpus[:half]), set(cpus[half:])


@pytest.fixture(scope="module")
def server(shared, fail_flag, gradio_cache, tmp_path_factory):
    log = tmp_path_factory.mktemp("server") / "app.log"
    _, app_cpus = split_cpus()
    with AppServer.with_known_poses(shared, log, fail_flag, app_cpus, gradio_cache) as app:
        report("server_startup_s", round(app.startup_s, 1))
        yield app
    assert app.exceptions() == [], f"the server raised:\n{app.log()}"


@contextmanager
def cpus_for_children(cpus: set[int] | None):
    """Processes started inside run on ``cpus`` (they inherit this process's affinity)."""
    if cpus is None:
        yield
        return
    ours = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cpus)
    try:
        yield
    finally:
        os.sched_setaffinity(0, ours)


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    browser_cpus, _ = split_cpus()
    with cpus_for_children(browser_cpus):  # Playwright's driver, which starts Chromium
        driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture(scope="module")
def browser(playwright, chromium, camera, tmp_path_factory):
    context = launch(playwright, chromium, camera, tmp_path_factory.mktemp("profile"))
    yield context
    context.close()


@contextmanager
def still_camera_browser(playwright, chromium, shared, tmp_path_factory, size=CAMERA_SIZE):
    """A browser whose camera shows a still full-body photo (FitDiT's) framed as a picture
    of ``size`` (width, height)."""
    photo = shared / "data" / "persons" / "fitdit" / FULL_BODY_PHOTO
    picture, _ = framed(cv2.cvtColor(cv2.imread(str(photo)), cv2.COLOR_BGR2RGB), size=size)
    y4m = tmp_path_factory.mktemp("still") / "camera.y4m"
    write_still_y4m(picture, y4m)
    context = launch(playwright, chromium, y4m, tmp_path_factory.mktemp("profile"))
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="module")
def full_body_browser(playwright, chromium, shared, tmp_path_factory):
    """The camera a webcam's 640x480 picture: someone who stepped back far enough to show
    their legs."""
    with still_camera_browser(playwright, chromium, shared, tmp_path_factory) as context:
        yield context


@pytest.fixture(scope="module")
def upright_phone_browser(playwright, chromium, shared, tmp_path_factory):
    """The camera taller than wide, as a phone's held upright (480x640)."""
    with still_camera_browser(
        playwright, chromium, shared, tmp_path_factory, UPRIGHT_CAMERA
    ) as context:
        yield context


@pytest.fixture(autouse=True)
def no_page_left_open(request):
    """Closes every page a test opened, when it ends, passed or failed: a page left live
    would hold one of the server's visitor slots (app.LIVE_VISITORS) through the tests after
    it, which then failed for want of one (seen after a failure: "4 visitors are live")."""
    yield
    for name in ("browser", "full_body_browser", "upright_phone_browser"):
        if name in request.fixturenames:
            for page in request.getfixturevalue(name).pages:
                page.close()


@pytest.fixture(scope="module")
def known_poses(shared) -> KnownPoses:
    """Tells whether a picture is one of the video's frames (mirrored or not)."""
    return KnownPoses.from_shared(pose=None, shared=shared)


def open_page(browser, server):
    page = browser.new_page()
    page.goto(server.url)
    page.locator("#fitted-output button.start").wait_for()
    return page


def go_live(page, with_camera: bool = False) -> None:
    """Presses Start camera and waits for the fitted video to show frames."""
    page.locator("#fitted-output button.start").click()
    wait_live(page, with_camera)


def wait_for_readout(page, text: str) -> None:
    """Waits until the readout under the live view says ``text``."""
    page.wait_for_function(
        "text => document.querySelector('#readout').innerText.includes(text)", arg=text
    )


def wait_live(page, with_camera: bool = False) -> None:
    """Waits for the fitted video, once started, to show frames."""
    page.locator("#fitted-output video").wait_for()
    watch_live(page, with_camera)
    deadline = time.monotonic() + LIVE_TIMEOUT_S
    while len(live_frames(page)[0]) < 10:
        assert time.monotonic() < deadline, (
            f"no live video after {LIVE_TIMEOUT_S} s: {page.inner_text('#fitted-output .status')}"
        )
        page.wait_for_timeout(200)


def marked_in_gallery(page) -> list[int]:
    """The places of the thumbnails the gallery marks as chosen."""
    return page.evaluate(
        "() => [...document.querySelectorAll('#garments .thumbnail-item')]"
        ".flatMap((item, i) => item.classList.contains('selected') ? [i] : [])"
    )


def shares(pictures) -> list[float]:
    return [colour_share(picture, TEE, COLOUR_DISTANCE) for picture in pictures]


def switch(page, fitting: bool) -> dict:
    """Toggles "Fit garment", waits for the picture to switch, then measures a stretch."""
    clicked = page.evaluate(
        "() => { document.querySelector('#fit-garment input').click(); return performance.now(); }"
    )
    switched_ms = None
    while (now := page.evaluate("performance.now()")) < clicked + SWITCH_SETTLE_S * 1000:
        ms, picture = grab(page)
        share = colour_share(picture, TEE, COLOUR_DISTANCE)
        if switched_ms is None and (share > FITTED_SHARE_MIN if fitting else share < RAW_SHARE_MAX):
            switched_ms = ms - clicked
        page.wait_for_timeout(50)
    start = now
    pictures = []
    for _ in range(GRABS):
        page.wait_for_timeout(MEASURE_S * 1000 / GRABS)
        pictures.append(grab(page)[1])
    shown, captured = live_frames(page)
    stretch = shown[(shown[:, 0] >= start) & (shown[:, 0] < start + MEASURE_S * 1000)]
    return {
        "fitting": fitting,
        "fps": len(stretch) / MEASURE_S,
        "switched_s": None if switched_ms is None else switched_ms / 1000,
        "latencies": latencies_ms(stretch, captured),
        "shares": shares(pictures),
        "last": pictures[-1],
    }


def test_the_live_video_is_the_camera_fitted_or_raw_as_the_box_says(browser, server, known_poses):
    page = open_page(browser, server)
    page.locator("#fit-garment input").uncheck()
    go_live(page, with_camera=True)
    phases = []
    for _ in range(CYCLES):
        phases.append(switch(page, fitting=True))
        phases.append(switch(page, fitting=False))
    rss, peak_rss = rss_mb(server.process.pid)
    readout = page.inner_text("#readout")
    fitted = [p for p in phases if p["fitting"]]
    raw = [p for p in phases if not p["fitting"]]

    assert all(s > FITTED_SHARE_MIN for p in fitted for s in p["shares"]), "a fitted frame lacks"
    assert all(s < RAW_SHARE_MAX for p in raw for s in p["shares"]), "a raw frame shows a garment"
    assert len(known_poses.lookup(raw[-1]["last"])) == 1, "the raw video is not the camera"
    assert all(p["switched_s"] is not None for p in phases), "a click did not switch the video"
    assert "Fit garment is off" in readout
    assert peak_rss < RSS_MAX_MB

    latency = np.concatenate([p["latencies"] for p in phases])
    fitted_latency = np.concatenate([p["latencies"] for p in fitted])
    assert len(latency) > 0, "no shown frame could be traced to a camera frame"
    fitted_fps = [p["fps"] for p in fitted]
    raw_fps = [p["fps"] for p in raw]
    ratio = float(np.median([f / r for f, r in zip(fitted_fps, raw_fps, strict=True)]))
    report("webrtc_raw_fps", round(float(np.median(raw_fps)), 1))
    report("webrtc_fitted_fps", round(float(np.median(fitted_fps)), 1))
    report("webrtc_fitted_over_raw", round(ratio, 3))
    report("webrtc_latency_median_ms", round(float(np.median(latency)), 1))
    report("webrtc_latency_p90_ms", round(float(np.percentile(latency, 90)), 1))
    report("webrtc_fitted_latency_median_ms", round(float(np.median(fitted_latency)), 1))
    report("webrtc_latency_frames", len(latency))
    report("webrtc_first_fitted_frame_s", [round(p["switched_s"], 2) for p in fitted])
    report("webrtc_first_raw_frame_s", [round(p["switched_s"], 2) for p in raw])
    report("server_rss_mb", round(rss))
    report("server_peak_rss_mb", round(peak_rss))


@contextmanager
def queue_held(page):
    """Holds back the page's calls to the app's queue, the load event's among them, as a busy
    server would, until the block ends."""
    held = []

    def hold(route) -> None:
        held.append(route)

    page.route("**/queue/join*", hold)
    yield
    assert held, "the load event was not held back: the test would prove nothing"
    for route in held:
        route.continue_()
    page.unroute("**/queue/join*", hold)


def test_start_camera_pressed_before_the_server_opened_the_session_waits_for_it(browser, server):
    """The page learns its visitor token from the app's load event, which a busy server may
    answer after Start camera was pressed: the offer waits for the token, and goes live."""
    page = browser.new_page()
    with queue_held(page):
        page.goto(server.url)
        page.locator("#fitted-output button.start").click()
        page.get_by_text("Waiting for the server to open this page's session").wait_for()
    wait_live(page)


def test_switches_set_before_the_server_opened_the_session_are_the_ones_used(browser, server):
    """A switch changed while the load event waits (a busy server) cannot reach the visitor's
    session yet: the session, once open, takes the switches as the page shows them."""
    page = browser.new_page()
    with queue_held(page):
        page.goto(server.url)
        page.locator("#fit-garment input").uncheck()
    go_live(page)
    wait_for_readout(page, "Fit garment is off")
    picture = grab(page)[1]
    assert colour_share(picture, TEE, COLOUR_DISTANCE) < RAW_SHARE_MAX


def test_choosing_a_garment_and_taking_a_snapshot(browser, server):
    tank = next(g for g in load_catalog() if "tank" in g.name.lower())
    colour = garment_colour(tank)
    page = open_page(browser, server)
    go_live(page)
    page.locator("#garments button", has_text=caption(tank)).click()
    page.wait_for_timeout(SWITCH_WAIT_S * 1000)
    assert colour_share(grab(page)[1], colour, COLOUR_DISTANCE) > FITTED_SHARE_MIN
    assert tank.name in page.inner_text("#readout")

    page.get_by_role("button", name="Snapshot").click()
    link = page.locator("#snapshot a[download]")
    link.wait_for()
    snapshot = fetch_image(link.get_attribute("href"))
    assert snapshot.shape == (480, 640, 3)
    assert colour_share(snapshot, colour, COLOUR_DISTANCE) > FITTED_SHARE_MIN


@pytest.mark.parametrize("width", [VIEWPORT["width"], PHONE_WIDTH])
def test_every_catalog_garment_shows_whole_below_the_gallery_label(browser, server, width):
    """And its caption whole, within the thumbnail (Gradio cuts a caption to one line)."""
    page = open_page(browser, server)
    page.set_viewport_size({**VIEWPORT, "width": width})
    page.wait_for_timeout(LAYOUT_SETTLE_MS)
    gallery = page.locator("#garments").bounding_box()
    label = page.locator("#garments label").first.bounding_box()
    thumbnails = page.locator("#garments button.thumbnail-item")
    assert thumbnails.count() == len(load_catalog())
    for box in (thumbnails.nth(i).bounding_box() for i in range(thumbnails.count())):
        assert box["y"] >= label["y"] + label["height"]  # not under the label
        assert box["x"] + box["width"] <= gallery["x"] + gallery["width"]  # no scrolling
        assert box["y"] + box["height"] <= gallery["y"] + gallery["height"]
    captions = page.locator("#garments .caption-label")
    assert captions.all_inner_texts() == [caption(g) for g in load_catalog()]
    for i in range(captions.count()):
        shown = captions.nth(i).evaluate(
            "c => [c.scrollWidth - c.clientWidth, c.scrollHeight - c.clientHeight]"
        )
        assert shown == [0, 0]  # nothing cut off
        inner, outer = captions.nth(i).bounding_box(), thumbnails.nth(i).bounding_box()
        assert outer["x"] <= inner["x"]
        assert inner["x"] + inner["width"] <= outer["x"] + outer["width"]


def test_on_a_phone_the_live_view_comes_first_then_the_garments_then_the_settings(browser, server):
    """On a desktop the settings and garments are beside the live view; on a phone, where
    the columns stack, the visitor sees the camera and its Start button first."""
    page = open_page(browser, server)
    parts = ("#fitted-output", "#garments", "#connection")
    page.set_viewport_size({**VIEWPORT, "width": PHONE_WIDTH})
    page.wait_for_timeout(LAYOUT_SETTLE_MS)
    tops = [page.locator(part).bounding_box()["y"] for part in parts]
    assert tops == sorted(tops), dict(zip(parts, tops, strict=True))
    page.set_viewport_size(VIEWPORT)
    page.wait_for_timeout(LAYOUT_SETTLE_MS)
    live, settings = (page.locator(part).bounding_box() for part in parts[::2])
    assert live["x"] >= settings["x"] + settings["width"]  # beside, on the right


def test_a_camera_that_is_not_4_by_3_fills_a_view_of_its_own_shape(upright_phone_browser, server):
    """A phone held upright sends a picture taller than a webcam's (Chromium makes this one's
    square): the view takes the camera's shape rather than fitting it, small, into 4:3."""
    page = open_page(upright_phone_browser, server)
    page.set_viewport_size({**VIEWPORT, "width": PHONE_WIDTH})
    go_live(page)
    video = page.locator("#fitted-output video")
    width, height = video.evaluate("v => [v.videoWidth, v.videoHeight]")
    box = video.bounding_box()
    assert abs(width / height - 4 / 3) > 0.1, (width, height)  # the camera is not 4:3...
    assert box["width"] / box["height"] == pytest.approx(
        width / height, rel=0.02
    )  # ...nor is the view


def wear_from_gallery(page, garment, readout: str) -> np.ndarray:
    """Clicks ``garment`` in the gallery, waits until the readout says ``readout`` and the
    video has had time to switch, and returns the picture the live view shows."""
    page.locator("#garments button", has_text=caption(garment)).click()
    wait_for_readout(page, readout)
    page.wait_for_timeout(SWITCH_WAIT_S * 1000)
    return grab(page)[1]


def test_a_top_with_bottoms_then_a_dress_on_someone_seen_head_to_feet(full_body_browser, server):
    catalog = load_catalog()
    tee = catalog[0]
    shorts, dress = (next(g for g in catalog if g.category == kind)
                     for kind in (Category.SHORTS, Category.DRESS))  # fmt: skip
    page = open_page(full_body_browser, server)
    go_live(page)
    outfit = wear_from_gallery(page, shorts, f"wearing {tee.name} + {shorts.name}")
    assert colour_share(outfit, garment_colour(tee), COLOUR_DISTANCE) > OUTFIT_SHARE_MIN
    assert colour_share(outfit, garment_colour(shorts), COLOUR_DISTANCE) > OUTFIT_SHARE_MIN
    assert "step back" not in page.inner_text("#readout")  # the legs are in view

    picture = wear_from_gallery(page, dress, f"wearing {dress.name}")  # a dress: no bottoms
    assert colour_share(picture, garment_colour(dress), COLOUR_DISTANCE) > OUTFIT_SHARE_MIN
    assert colour_share(picture, garment_colour(shorts), COLOUR_DISTANCE) < RAW_SHARE_MAX
    assert " + " not in page.inner_text("#readout")
    OUTFIT_PICTURE.parent.mkdir(parents=True, exist_ok=True)
    both = cv2.cvtColor(np.hstack([outfit, picture]), cv2.COLOR_RGB2BGR)
    cv2.imwrite(str(OUTFIT_PICTURE), both)


def test_an_uploaded_garment_is_shown_as_read_and_its_type_can_be_corrected(
    browser, server, shared
):
    folder = shared / "data" / "garments" / "fitdit"
    page = open_page(browser, server)
    go_live(page)
    tops = [g for g in load_catalog() if not g.category.is_bottom]
    page.locator("#garments .thumbnail-item").nth(1).click()  # a top from the gallery
    wait_for_readout(page, f"wearing {tops[1].name}")
    assert marked_in_gallery(page) == [1]
    upload = page.locator("#garment-upload input[type=file]")
    upload.set_input_files(str(folder / "4.jpg"))  # trousers: worn with the top
    page.locator("#garment-preview img").wait_for()
    page.get_by_text("Read as: trousers").wait_for()
    wait_for_readout(page, " + 4")
    assert marked_in_gallery(page) == [1], "the top chosen in the gallery is still worn"

    page.locator("#garment-type input").click()  # corrected: worn as the top instead
    page.get_by_role("option", name="sleeveless", exact=True).click()
    page.get_by_text("Read as: sleeveless").wait_for()
    wait_for_readout(page, "wearing 4")
    assert " + 4" not in page.inner_text("#readout")
    assert marked_in_gallery(page) == [], "the gallery marks a top no longer worn"

    top = folder / "0.jpg"  # a short-sleeve top, worn as soon as it is read
    page.locator("#garment-upload button[aria-label=Clear]").click()
    upload.set_input_files(str(top))
    page.get_by_text("Read as: short-sleeve").wait_for()
    wait_for_readout(page, "wearing 0")
    page.wait_for_timeout(SWITCH_WAIT_S * 1000)
    colour = garment_colour(Garment.from_image(top))
    assert colour_share(grab(page)[1], colour, COLOUR_DISTANCE) > FITTED_SHARE_MIN

    page.locator("#garment-upload button[aria-label=Clear]").click()  # a person: refused
    upload.set_input_files(str(shared / "data" / "persons" / "vitonhd_ootd" / "01008_00.jpg"))
    page.get_by_text("This photo shows a person. Please upload a photo of").first.wait_for()
    assert "wearing 0" in page.inner_text("#readout")


def test_inference_errors_warn_the_visitor_and_the_video_goes_on(browser, server, fail_flag):
    page = open_page(browser, server)
    go_live(page)
    try:
        fail_flag.touch()
        page.get_by_text("Inference failed").first.wait_for(timeout=15_000)
        before = len(live_frames(page)[0])
        page.wait_for_timeout(2000)
        assert len(live_frames(page)[0]) > before + 10, "the video stopped after an error"
    finally:
        fail_flag.unlink(missing_ok=True)


def test_four_visitors_at_once_each_keep_their_video(browser, server, shared):
    pages = [open_page(browser, server) for _ in range(VISITORS)]
    go_live(pages[0])
    pages[0].wait_for_timeout(SWITCH_SETTLE_S * 1000)
    alone = count_shown(pages[:1])[0]
    alone_fitted = fitted_fps(pages[0].inner_text("#readout"))
    for page in pages[1:]:
        go_live(page)
    pages[0].wait_for_timeout(SWITCH_SETTLE_S * 1000)
    cpu = cpu_seconds(server.process.pid)
    together = count_shown(pages)
    server_busy = (cpu_seconds(server.process.pid) - cpu) / MEASURE_S  # share of its one core
    readouts = [page.inner_text("#readout") for page in pages]
    fitted = [fitted_fps(readout) for readout in readouts]  # the same readout that may say so
    assert all(fps > 0 for fps in together), f"a visitor's video stopped: {together}"
    worst = min(together) / alone
    report("visitors_1_fps", round(alone, 1))
    report("visitors_4_fps", [round(fps, 1) for fps in together])
    report("visitors_4_each_over_alone", round(worst, 3))
    report("visitors_4_saturated_readouts", sum("saturated" in r for r in readouts))
    report("visitors_1_server_fps", alone_fitted)
    report("visitors_4_server_fps", fitted)
    report("visitors_4_server_each_over_alone", round(min(fitted) / alone_fitted, 3))
    report("visitors_4_server_core_busy", round(server_busy, 2))
    camera = camera_fps(shared / VIDEO)  # what the readout's "saturated" is measured against
    told = [
        fps >= KEEPING_UP * camera or "saturated" in readout
        for fps, readout in zip(fitted, readouts, strict=True)
    ]
    report("visitors_4_kept_up_or_told", sum(told) / len(told))
    report("visitors_4_readouts", readouts)


def fitted_fps(readout: str) -> float:
    """The frames per second the server fits for a page, as its readout says."""
    return float(re.search(r"([\d.]+) fps", readout).group(1))


def count_shown(pages) -> list[float]:
    """Frames per second each page's video presents over MEASURE_S, measured at once."""
    before = [presented(page) for page in pages]
    pages[0].wait_for_timeout(MEASURE_S * 1000)
    return [(presented(p) - b) / MEASURE_S for p, b in zip(pages, before, strict=True)]


def cache_entries(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*"))


def test_the_gradio_stream_shows_every_frame_it_sends_and_leaves_no_files(
    browser, server, gradio_cache
):
    page = open_page(browser, server)
    page.get_by_label("Gradio stream: the fallback").check()
    view = page.locator("#fitted-output img")
    view.wait_for(state="hidden")  # no frame yet: no alt text over a broken-image icon...
    assert page.locator("#fitted-output video").is_visible()  # ...the empty view holds its place
    page.get_by_text("Click to Access Webcam").click()
    page.get_by_role("button", name="capture photo").wait_for()
    watch_stream(page)
    before = cache_entries(gradio_cache)
    page.get_by_role("button", name="capture photo").click()
    page.wait_for_timeout(SWITCH_SETTLE_S * 1000)
    start, received = page.evaluate("performance.now()"), stream_received(page)
    page.wait_for_timeout(STREAM_MEASURE_S * 1000)
    sent = stream_received(page) - received
    shown = [t for t in page.evaluate("window.stream.shown") if t >= start]
    picture = grab(page)[1]
    assert len(shown) > 0, "the Gradio stream showed nothing"
    assert view.is_visible()
    assert colour_share(picture, TEE, COLOUR_DISTANCE) > FITTED_SHARE_MIN
    assert cache_entries(gradio_cache) == before, "streamed frames left files in Gradio's cache"
    report("stream_sent_fps", round(sent / STREAM_MEASURE_S, 1))
    report("stream_shown_fps", round(len(shown) / STREAM_MEASURE_S, 1))
    report("stream_shown_over_sent", round(len(shown) / max(sent, 1), 3))


def test_a_page_that_cannot_connect_over_webrtc_falls_back_to_the_stream(browser, server):
    page = browser.new_page()
    # As behind a firewall: the page's connections may only use TURN relays, and it has none.
    page.add_init_script(
        "const Peer = window.RTCPeerConnection;"
        "window.RTCPeerConnection = function (config) {"
        "  return new Peer({...(config || {}), iceTransportPolicy: 'relay'}); };"
    )
    page.goto(server.url)
    start = time.monotonic()
    page.locator("#fitted-output button.start").click()
    page.get_by_text("The live video could not connect").first.wait_for(
        timeout=FALLBACK_TIMEOUT_S * 1000
    )
    assert page.get_by_label("Gradio stream: the fallback").is_checked()
    assert page.locator("#camera").is_visible()
    report("fallback_after_s", round(time.monotonic() - start, 1))
