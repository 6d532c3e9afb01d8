"""Driving the app's page in Debian's Chromium with a fake camera, and reading its output.

Chromium is the system one (``/usr/bin/chromium``, from Debian's ``chromium`` package), driven
by Playwright's Python package; Playwright's own browser download is never used.
"""

import http.client
import os
import shutil
import time
import urllib.request
from pathlib import Path

import cv2
import numpy as np

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
# Flags known to work here as root with no network: no sandbox, no GPU, no background traffic.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-device-for-media-stream",  # a fake camera...
    "--use-fake-ui-for-media-stream",  # ...that needs no permission prompt
]
VIEWPORT = {"width": 1280, "height": 1000}

# Records every new picture of the output image: [milliseconds since page load, URL].
WATCH_OUTPUT_JS = """
(selector) => {
  window.outputFrames = [];
  const root = document.querySelector(selector);
  let last = null;
  const seen = () => {
    const img = root.querySelector('img');
    if (img && img.src && img.src !== last) {
      last = img.src;
      window.outputFrames.push([performance.now(), img.src]);
    }
  };
  new MutationObserver(seen).observe(
    root, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
}
"""


def find_chromium() -> str | None:
    """Path of the system Chromium, or None when it is not installed."""
    override = os.environ.get("CHROMIUM")
    if override:
        return override
    for candidate in CHROMIUM_CANDIDATES:
        if path := shutil.which(candidate):
            return path
    return None


def launch(playwright, chromium: str, camera_y4m: Path, user_data_dir: Path):
    """A headless Chromium whose camera plays ``camera_y4m``, with a fresh profile."""
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=chromium,
        headless=True,
        args=[*CHROMIUM_FLAGS, f"--use-file-for-fake-video-capture={camera_y4m}"],
        viewport=VIEWPORT,
    )


class OutputWatcher:
    """The pictures that appear in the page's output image, with the time each appeared."""

    def __init__(self, page, selector: str = "#fitted-output"):
        self.page = page
        page.evaluate(WATCH_OUTPUT_JS, selector)

    def count(self) -> int:
        return self.page.evaluate("window.outputFrames.length")

    def since(self, index: int) -> list[tuple[float, str]]:
        """(milliseconds, URL) of the pictures from number ``index`` on."""
        return [tuple(f) for f in self.page.evaluate(f"window.outputFrames.slice({index})")]

    def now_ms(self) -> float:
        return self.page.evaluate("performance.now()")


def fetch_image(url: str, tries: int = 3) -> np.ndarray:
    """The RGB pixels of an image the app serves.

    Gradio names a streamed frame by its content and rewrites the file when the same picture
    comes again (the camera sent one frame twice), so a read may meet it empty or cut short
    for a moment; it is read again then.
    """
    data = np.zeros(0, np.uint8)
    for _ in range(tries):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                data = np.frombuffer(response.read(), np.uint8)
        except http.client.IncompleteRead:
            data = np.zeros(0, np.uint8)
        if data.size:
            break
        time.sleep(0.1)
    bgr = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if bgr is None:
        raise ValueError(f"{url} is not an image ({data.size} bytes)")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def colour_share(image: np.ndarray, colour, max_distance: float) -> float:
    """Share of the pixels within ``max_distance`` (RGB, Euclidean) of ``colour``."""
    distance = np.linalg.norm(image.astype(np.float32) - np.asarray(colour, np.float32), axis=2)
    return float((distance < max_distance).mean())


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of process ``pid`` in MB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
