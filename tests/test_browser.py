"""The live page in a real browser: Debian's Chromium, headless, with a fake camera.

The camera plays the shared webcam video (converted to Y4M). The app runs with the shared
random-weight RTMPose-s model, so every frame costs a real inference, but its answer is swapped
for the video's true keypoints (tests/browser/known_poses.py): that way "fitted" frames really
show the garment. Chromium and the app each get half of the CPUs: a visitor's browser runs on
their own computer, and on 2 cores a browser on the app's cores would take the CPU that the
measured app needs. A frame counts as fitted when the garment's colour covers a good share of it;
the raw camera shows none of that colour.

"Fit garment" is ticked and unticked three times; frames per second are counted in each
stretch once the switch has settled, so a load on the machine that comes and goes weighs on
raw and fitted alike. The figures (frames per second raw and fitted, the delay from each tick
to the first fitted frame, the server's memory) are printed; run with ``-s`` to see them.
"""

import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from clothes import load_catalog
from tests.browser.camera import write_y4m
from tests.browser.known_poses import KnownPoses
from tests.browser.page import (
    OutputWatcher,
    colour_share,
    fetch_image,
    find_chromium,
    launch,
    rss_mb,
)
from tests.browser.server import AppServer

# The targets. The two timings are measured and reported (printed, and written to
# FIGURES_FILE), not asserted: on a shared 2-core machine a run's timings swing by more than
# their margins (fitted / raw 0.83-1.01 over the last runs), and a test must not fail on that.
FPS_RATIO_MIN = 0.8  # fitted frames per second / raw frames per second
FIRST_FITTED_MAX_S = 1.0  # from ticking "Fit garment" to the first fitted frame on screen
RSS_MAX_MB = 600  # the app process, with everything loaded and streaming
FIGURES_FILE = Path(__file__).resolve().parents[1] / "out" / "browser.json"  # for the README

FIRST_FRAME_TIMEOUT_S = 30  # from pressing Record to the first output frame
SETTLE_S = 2.0  # after the stream starts, before the first click
CYCLES = 4  # fitted, then raw, this many times
SWITCH_SETTLE_S = 1.5  # after a click, before the frames per second are counted...
MEASURE_S = 5.0  # ...for this long
SWITCH_WAIT_S = 3.0  # after choosing a garment, before looking for it
# A fitted frame shows the garment's colour over this much of the picture (the tee covers
# about 7% of the frame); a raw frame shows almost none of it.
FITTED_SHARE_MIN = 0.03
RAW_SHARE_MAX = 0.005
COLOUR_DISTANCE = 60  # RGB distance from the garment's mean colour that counts as garment
FITTED_FRAMES_MIN = 0.9  # share of the fitted window's frames that must show the garment


def garment_colour(garment) -> np.ndarray:
    """Mean RGB of the garment's opaque pixels."""
    return garment.rgba[garment.rgba[..., 3] >= 128][:, :3].mean(axis=0)


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
    write_y4m(shared / "data" / "video" / "webcam_ntu_640x480.mp4", y4m)
    return y4m


@pytest.fixture(scope="module")
def fail_flag(tmp_path_factory) -> Path:
    """While this file exists, the server's inferences fail."""
    return tmp_path_factory.mktemp("flags") / "fail-inference"


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
def server(shared, fail_flag, tmp_path_factory):
    log = tmp_path_factory.mktemp("server") / "app.log"
    _, app_cpus = split_cpus()
    with AppServer.with_known_poses(shared, log, fail_flag, app_cpus) as app_server:
        yield app_server


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
def browser(chromium, camera, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    browser_cpus, _ = split_cpus()
    with cpus_for_children(browser_cpus):  # Playwright's driver, which starts Chromium
        playwright = sync_playwright().start()
    try:
        context = launch(playwright, chromium, camera, tmp_path_factory.mktemp("profile"))
        yield context
        context.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser, server):
    """The app's page with the camera on (not yet recording) and its output watched."""
    page = browser.new_page()
    page.goto(server.url)
    page.get_by_text("Click to Access Webcam").click()
    page.get_by_role("button", name="capture photo").wait_for()
    yield page
    page.close()


@pytest.fixture(scope="module")
def known_poses(shared) -> KnownPoses:
    """Tells whether a picture is one of the video's frames (mirrored or not)."""
    return KnownPoses.from_shared(pose=None, shared=shared)


def record(page) -> OutputWatcher:
    watcher = OutputWatcher(page)
    page.get_by_role("button", name="capture photo").click()
    deadline = time.monotonic() + FIRST_FRAME_TIMEOUT_S
    while watcher.count() == 0:
        assert time.monotonic() < deadline, "no output frame arrived after starting the camera"
        page.wait_for_timeout(100)
    return watcher


def click_fit_garment(page) -> float:
    """Toggles "Fit garment"; returns the page's clock (ms) at the click."""
    return page.evaluate(
        "() => { document.querySelector('#fit-garment input').click(); return performance.now(); }"
    )


def shares(frames, colour) -> list[float]:
    return [colour_share(fetch_image(url), colour, COLOUR_DISTANCE) for _, url in frames]


@dataclass
class Phase:
    """One stretch of the stream with "Fit garment" on or off, from the click that began it."""

    fitting: bool
    clicked_ms: float
    frames: list[tuple[float, str]]  # (ms, URL) of every output picture after the click
    shares: list[float] = field(default_factory=list)  # the garment's share of each picture

    def in_window(self, ms: float) -> bool:
        """Whether a picture at ``ms`` falls in the measuring window (the switch settled)."""
        start = self.clicked_ms + SWITCH_SETTLE_S * 1000
        return start <= ms < start + MEASURE_S * 1000

    def measured_shares(self) -> list[float]:
        """The garment's share of each picture in the measuring window."""
        return [
            s for (ms, _), s in zip(self.frames, self.shares, strict=True) if self.in_window(ms)
        ]

    def first_switched_s(self) -> float | None:
        """Seconds from the click to the first picture in the new mode."""
        for (ms, _), share in zip(self.frames, self.shares, strict=True):
            if (share > FITTED_SHARE_MIN) if self.fitting else (share < RAW_SHARE_MAX):
                return (ms - self.clicked_ms) / 1000
        return None


def run_phase(page, watcher: OutputWatcher, fitting: bool) -> Phase:
    start = watcher.count()
    clicked_ms = click_fit_garment(page)
    page.wait_for_timeout((SWITCH_SETTLE_S + MEASURE_S) * 1000)
    return Phase(fitting, clicked_ms, watcher.since(start))


def test_fit_garment_switches_the_stream_between_raw_and_fitted(page, server, known_poses):
    colour = garment_colour(load_catalog()[0])  # the tee, worn from the start
    page.locator("#fit-garment input").uncheck()
    watcher = record(page)
    page.wait_for_timeout(SETTLE_S * 1000)
    phases = []
    for _ in range(CYCLES):
        phases.append(run_phase(page, watcher, fitting=True))
        phases.append(run_phase(page, watcher, fitting=False))
    rss, peak_rss = rss_mb(server.process.pid)
    readout = page.inner_text("#readout")

    for phase in phases:
        phase.shares = shares(phase.frames, colour)
    raw = [p for p in phases if not p.fitting]
    fitted = [p for p in phases if p.fitting]
    raw_shares = [share for p in raw for share in p.measured_shares()]
    fitted_shares = [share for p in fitted for share in p.measured_shares()]
    assert raw_shares and fitted_shares, "no output frames in the measuring windows"
    # Frames per second of each stretch; the ratio is the median over the cycles of fitted /
    # raw in the same cycle, so that one stretch disturbed by other load cannot decide it.
    raw_fps = [len(p.measured_shares()) / MEASURE_S for p in raw]
    fitted_fps = [len(p.measured_shares()) / MEASURE_S for p in fitted]
    fps_ratio = float(np.median([f / r for f, r in zip(fitted_fps, raw_fps, strict=True)]))
    to_fitted = [p.first_switched_s() for p in fitted]
    to_raw = [p.first_switched_s() for p in raw]

    # Raw: the camera's own pictures, no garment. Fitted: the garment on nearly every one.
    assert max(raw_shares) < RAW_SHARE_MAX, "a raw frame shows the garment"
    _, url = raw[-1].frames[-1]
    assert len(known_poses.lookup(fetch_image(url))) == 1, "raw output is not the camera picture"
    shown = np.mean([share > FITTED_SHARE_MIN for share in fitted_shares])
    assert shown >= FITTED_FRAMES_MIN, f"only {shown:.0%} of the fitted frames show the garment"
    assert None not in to_fitted, "ticking the box gave no fitted frame"
    assert None not in to_raw, "unticking the box gave no raw frame"
    assert "Fit garment is off" in readout

    first_fitted_s = float(np.median(to_fitted))
    figures = {
        "raw_fps": round(float(np.median(raw_fps)), 2),
        "fitted_fps": round(float(np.median(fitted_fps)), 2),
        "fps_ratio": round(fps_ratio, 3),
        "raw_fps_each": raw_fps,
        "fitted_fps_each": fitted_fps,
        "first_fitted_frame_s": [round(s, 3) for s in to_fitted],
        "first_raw_frame_s": [round(s, 3) for s in to_raw],
        "measured_s_each": CYCLES * MEASURE_S,
        "server_rss_mb": round(rss),
        "server_peak_rss_mb": round(peak_rss),
        "server_startup_s": round(server.startup_s, 1),
    }
    figures["targets"] = {
        f"fps_ratio >= {FPS_RATIO_MIN}": "met" if fps_ratio >= FPS_RATIO_MIN else "MISSED",
        f"median first_fitted_frame_s <= {FIRST_FITTED_MAX_S}": (
            "met" if first_fitted_s <= FIRST_FITTED_MAX_S else "MISSED"
        ),
    }
    FIGURES_FILE.parent.mkdir(parents=True, exist_ok=True)
    FIGURES_FILE.write_text(json.dumps(figures, indent=2))
    print("\nbrowser figures:", json.dumps(figures))
    assert peak_rss < RSS_MAX_MB, figures


def test_choosing_a_garment_and_taking_a_snapshot(page):
    tank = next(g for g in load_catalog() if "tank" in g.name.lower())
    colour = garment_colour(tank)
    watcher = record(page)  # "Fit garment" is on from the start
    start = watcher.count()
    page.locator("#garments button", has_text=tank.name).click()
    page.wait_for_timeout(SWITCH_WAIT_S * 1000)
    after_click = watcher.since(start)
    assert max(shares(after_click[-5:], colour)) > FITTED_SHARE_MIN, "the tank top is not worn"
    assert tank.name in page.inner_text("#readout")

    page.get_by_role("button", name="Snapshot").click()
    link = page.locator("#snapshot a[download]")
    link.wait_for()
    snapshot = fetch_image(link.get_attribute("href"))
    assert snapshot.shape == (480, 640, 3)
    assert colour_share(snapshot, colour, COLOUR_DISTANCE) > FITTED_SHARE_MIN


def test_inference_errors_warn_the_visitor_and_the_stream_goes_on(page, fail_flag):
    watcher = record(page)
    try:
        fail_flag.touch()
        warning = page.get_by_text("Pose estimation failed").first
        warning.wait_for(timeout=15_000)
        start = watcher.count()
        page.wait_for_timeout(2000)
        assert watcher.count() > start, "the stream stopped after an inference error"
    finally:
        fail_flag.unlink(missing_ok=True)
