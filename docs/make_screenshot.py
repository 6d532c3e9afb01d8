"""Makes docs/screenshot.png, the picture of the app in the README, from the shared video.

    python docs/make_screenshot.py [--shared ../shared] [--out docs/screenshot.png]

It starts the app with a fake camera in headless Chromium (Debian's ``chromium`` package) that
plays ../shared/data/video/webcam_ntu_640x480.mp4, and presses Start camera: the picture shows
the live WebRTC view. No real RTMPose weights exist on the machines this was made on, so the
app runs the shared random-weight RTMPose-s model for its cost and then uses the video's
ground-truth keypoints (tests/browser/known_poses.py); the README's caption says so.
Everything else (detector, tracking, fitting, the page, WebRTC) is the app.
"""

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser.camera import write_y4m  # noqa: E402
from tests.browser.known_poses import KnownPoses  # noqa: E402
from tests.browser.page import find_chromium, grab, launch  # noqa: E402
from tests.browser.server import AppServer  # noqa: E402

VIEWPORT = {"width": 1280, "height": 900}  # the live tab down to the garment gallery
# The picture is taken when the output shows one of these video frames: she stands facing the
# camera with the cup at her waist (later she turns and drinks); her first 20 frames look
# alike. The fake camera loops the video, and for a moment after it jumps back from her
# drinking pose the fit still follows that pose (the newest inference is a frame old, and
# smoothed): a picture taken soon after the jump showed the garment's shoulders raised and
# her raised forearm's outline, cut out of it, across her chest. So the picture is the
# SETTLED-th in a row that shows those frames: a picture and its check take some 4 frames,
# and the 4th in a row comes a dozen frames (0.4 s) after the jump.
WANTED_FRAMES = range(0, 20)
SETTLED = 4
TRIES = 200  # pictures looked at before giving up, one every SHOT_INTERVAL_MS
SHOT_INTERVAL_MS = 30


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshot.png")
    parser.add_argument(
        "--warm-up", type=float, default=4.0, help="seconds of streaming before the picture"
    )
    args = parser.parse_args(argv)

    chromium = find_chromium()
    if chromium is None:
        sys.exit("Chromium not found: apt-get install chromium (or set CHROMIUM=/path)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        camera = tmp / "webcam.y4m"
        write_y4m(args.shared / "data" / "video" / "webcam_ntu_640x480.mp4", camera, False)
        with (
            AppServer.with_known_poses(args.shared, tmp / "app.log") as server,
            sync_playwright() as playwright,
        ):
            browser = launch(playwright, chromium, camera, tmp / "profile")
            page = browser.new_page()
            page.set_viewport_size(VIEWPORT)
            page.goto(server.url)
            page.locator("#fitted-output button.start").click()
            page.get_by_text("frames shown per second").wait_for(timeout=30_000)
            page.wait_for_timeout(args.warm_up * 1000)
            known = KnownPoses.from_shared(pose=None, shared=args.shared)  # video frames first
            seen = []
            for _ in range(TRIES):
                shot = page.screenshot()
                seen.append(known.nearest(grab(page)[1])[0])
                if all(frame in WANTED_FRAMES for frame in seen[-SETTLED:]):
                    break
                page.wait_for_timeout(SHOT_INTERVAL_MS)
            else:
                sys.exit(f"the output never showed video frames {WANTED_FRAMES}: {seen}")
            args.out.write_bytes(shot)
            browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
