"""A long live session in headless Chromium: does the app's memory level off, does it stay
free of exceptions, does Gradio's cache stay empty?

    python -m tools.soak [--minutes 30] [--connection webrtc|stream] [--shared ../shared]

It starts the app as the browser test does (the shared random-weight RTMPose-s for its cost,
the video's own keypoints for the fit; tests/browser/), opens the page with Chromium's fake
camera playing the shared video, goes live with "Fit garment" on, and every SAMPLE_S seconds
records the app's RSS, the frames the page shows and the entries in Gradio's cache. At the end
it prints, and writes to out/soak-<connection>.json, the RSS growth after the first
WARM_UP_MIN minutes (see ``growth``; target: <= 20 MB over 30 minutes), the server's
exceptions (target: none) and the cache's growth. Not run in CI: it takes as long as it is
asked to. (A Gradio stream ends after the app's 10-minute limit; soak it for less than that.)
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from tests.browser.camera import write_y4m
from tests.browser.page import find_chromium, launch, presented, rss_mb, stream_received
from tests.browser.server import AppServer

REPO = Path(__file__).resolve().parents[1]
SAMPLE_S = 30
WARM_UP_MIN = 5
WINDOW_MIN = 5  # memory is compared between the first and the last this many minutes after it
GROWTH_MAX_MB = 20


def growth(samples: list[dict]) -> dict:
    """What the app keeps: the lowest RSS of the last WINDOW_MIN minutes against the lowest of
    the first WINDOW_MIN after the warm-up (lowest: a buffer that comes and goes, as a video
    encoder rebuilt at a new bitrate, is no growth), and the peak after the warm-up."""
    end = samples[-1]["minute"]
    settled = [s for s in samples if s["minute"] >= WARM_UP_MIN] or samples
    first = [s["rss_mb"] for s in settled if s["minute"] < WARM_UP_MIN + WINDOW_MIN]
    last = [s["rss_mb"] for s in settled if s["minute"] > end - WINDOW_MIN]
    return {
        "rss_after_warm_up_mb": min(first),
        "rss_end_mb": min(last),
        "rss_growth_mb": round(min(last) - min(first), 1),
        "rss_peak_mb": max(s["rss_mb"] for s in settled),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--connection", choices=("webrtc", "stream"), default="webrtc")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    out = args.out or REPO / "out" / f"soak-{args.connection}.json"
    chromium = find_chromium()
    if chromium is None:
        sys.exit("Chromium not found: apt-get install chromium (or set CHROMIUM=/path)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        camera, cache = tmp / "webcam.y4m", tmp / "gradio-cache"
        cache.mkdir()
        write_y4m(args.shared / "data" / "video" / "webcam_ntu_640x480.mp4", camera)
        cpus = sorted(os.sched_getaffinity(0))
        app_cpus = set(cpus[len(cpus) // 2 :]) if len(cpus) > 1 else None
        with (
            AppServer.with_known_poses(
                args.shared, tmp / "app.log", cpus=app_cpus, temp_dir=cache
            ) as server,
            sync_playwright() as playwright,
        ):
            browser = launch(playwright, chromium, camera, tmp / "profile")
            page = browser.new_page()
            page.goto(server.url)
            if args.connection == "webrtc":
                page.locator("#fitted-output button.start").click()
                shown = lambda: presented(page)  # noqa: E731
            else:
                page.get_by_label("Gradio stream: the fallback").check()
                page.get_by_text("Click to Access Webcam").click()
                page.get_by_role("button", name="capture photo").click()
                shown = lambda: stream_received(page)  # noqa: E731
            samples, start = [], time.monotonic()
            while time.monotonic() - start < args.minutes * 60:
                page.wait_for_timeout(SAMPLE_S * 1000)
                elapsed = time.monotonic() - start
                rss, _ = rss_mb(server.process.pid)
                entries = sum(1 for _ in cache.rglob("*"))
                samples.append({"minute": round(elapsed / 60, 2), "rss_mb": round(rss, 1),
                                "frames": shown(), "cache_entries": entries})  # fmt: skip
                print(json.dumps(samples[-1]), flush=True)
            exceptions = server.exceptions(expected="\x00")  # every one counts here
            browser.close()
    result = {
        "connection": args.connection,
        "minutes": args.minutes,
        **growth(samples),
        "frames_per_s": round(samples[-1]["frames"] / (samples[-1]["minute"] * 60), 1),
        "cache_entries_end": samples[-1]["cache_entries"],
        "server_exceptions": exceptions,
        "samples": samples,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    growth_ok = result["rss_growth_mb"] <= GROWTH_MAX_MB
    print(f"RSS {result['rss_after_warm_up_mb']} MB after {WARM_UP_MIN} min -> "
          f"{result['rss_end_mb']} MB over the last {WINDOW_MIN} min "
          f"({'met' if growth_ok else 'MISSED'}: growth <= {GROWTH_MAX_MB} MB; peak "
          f"{result['rss_peak_mb']} MB); {len(exceptions)} server exceptions; "
          f"{result['cache_entries_end']} cache entries; {result['frames_per_s']} frames per "
          f"second shown; written to {out}")  # fmt: skip
    return 0 if growth_ok and not exceptions else 1


if __name__ == "__main__":
    raise SystemExit(main())
