"""Driving the app's page in Debian's Chromium with a fake camera, and measuring what it shows.

Chromium is the system one (``/usr/bin/chromium``, from Debian's ``chromium`` package), driven
by Playwright's Python package; Playwright's own browser download is never used.

What the visitor sees is measured in the page itself:

- the WebRTC view: every frame the output <video> presents (``requestVideoFrameCallback``),
  with the camera frame number stamped in it (camera.py), and every frame a preview of the
  same fake camera presents, with its capture time: pairing the two numbers gives the
  camera-to-screen latency;
- the Gradio-stream view: every picture it shows (the <img>'s ``load`` events), against the
  frames the page received (which the view counts);
- several visitors at once: the frames each page's video presented, as the media pipeline
  counts them (a page that is not in front gets no requestVideoFrameCallback).
"""

import base64
import os
import shutil
import urllib.request
from pathlib import Path

import cv2
import numpy as np

from tests.browser.camera import STAMP_BITS, STAMP_BLOCK

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
OUTPUT = "#fitted-output"

# window.live.shown: [display time ms, stamped number] of every frame the output video shows;
# window.live.captured: [capture time ms, stamped number] of every frame of the camera itself.
WATCH_LIVE_JS = """
async ({output, bits, blockWidth, blockHeight, withCamera}) => {
  function reader() {
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", {willReadFrequently: true});
    return (video, mirrored) => {
      const width = video.videoWidth;
      if (!width) return -1;
      if (canvas.width !== width) { canvas.width = width; canvas.height = blockHeight; }
      context.drawImage(video, 0, 0, width, blockHeight, 0, 0, width, blockHeight);
      const data = context.getImageData(0, 0, width, blockHeight).data;
      let number = 0;
      for (let bit = 0; bit < bits; bit++) {
        const x0 = mirrored ? width - (bit + 1) * blockWidth : bit * blockWidth;
        let sum = 0, count = 0;
        for (let y = blockHeight / 4; y < blockHeight * 3 / 4; y += 2) {
          for (let x = x0 + blockWidth / 4; x < x0 + blockWidth * 3 / 4; x += 2) {
            const k = (y * width + x) * 4;
            sum += data[k] + data[k + 1] + data[k + 2];
            count += 3;
          }
        }
        number = number * 2 + (sum / count > 128 ? 1 : 0);
      }
      return number;
    };
  }
  window.live = {shown: [], captured: []};
  const video = document.querySelector(output + " video");
  const readShown = reader();
  const onShown = (now, meta) => {
    window.live.shown.push([meta.expectedDisplayTime || now, readShown(video, true)]);
    video.requestVideoFrameCallback(onShown);
  };
  video.requestVideoFrameCallback(onShown);
  if (!withCamera) return;
  const camera = document.createElement("video");
  camera.muted = true;
  camera.playsInline = true;
  camera.style = "position: fixed; left: 0; top: 0; width: 64px; opacity: 0.01";
  camera.srcObject = await navigator.mediaDevices.getUserMedia({video: {width: 640, height: 480}});
  document.body.append(camera);
  await camera.play();
  const readCaptured = reader();
  const onCaptured = (now, meta) => {
    window.live.captured.push([meta.captureTime || now, readCaptured(camera, false)]);
    camera.requestVideoFrameCallback(onCaptured);
  };
  camera.requestVideoFrameCallback(onCaptured);
}
"""

# window.stream.shown: the time of every picture the Gradio-stream view shows (its loads).
WATCH_STREAM_JS = """
(output) => {
  window.stream = {shown: []};
  const picture = document.querySelector(output + " img");
  picture.addEventListener("load", () => window.stream.shown.push(performance.now()));
}
"""
# Frames the page received from the stream so far (the live view counts them).
STREAM_RECEIVED_JS = """
(output) => Number(document.querySelector(output + " img").dataset.framesReceived || 0)
"""
# Frames the output video has presented so far: counted by the media pipeline, so that pages
# that are not in front (whose requestVideoFrameCallback is throttled) are measured too.
PRESENTED_JS = """
(output) => {
  const quality = document.querySelector(output + " video").getVideoPlaybackQuality();
  return quality.totalVideoFrames - quality.droppedVideoFrames;
}
"""

# The picture the output shows now, as a JPEG data URL, and the page's clock.
GRAB_JS = """
(output) => {
  const view = document.querySelector(output + " video:not([hidden])")
            || document.querySelector(output + " img");
  const canvas = document.createElement("canvas");
  canvas.width = view.videoWidth || view.naturalWidth;
  canvas.height = view.videoHeight || view.naturalHeight;
  canvas.getContext("2d").drawImage(view, 0, 0);
  return [performance.now(), canvas.toDataURL("image/jpeg", 0.95)];
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


def watch_live(page, with_camera: bool = True) -> None:
    """Starts recording what the WebRTC view shows (see WATCH_LIVE_JS); ``with_camera`` also
    records the camera's own frames, for the latency."""
    page.evaluate(
        WATCH_LIVE_JS,
        {"output": OUTPUT, "bits": STAMP_BITS, "withCamera": with_camera,
         "blockWidth": STAMP_BLOCK[0], "blockHeight": STAMP_BLOCK[1]},
    )  # fmt: skip


def live_frames(page) -> tuple[np.ndarray, np.ndarray]:
    """(shown, captured): (N, 2) arrays of [time ms, frame number] recorded so far."""
    shown, captured = page.evaluate("[window.live.shown, window.live.captured]")
    return np.array(shown, float).reshape(-1, 2), np.array(captured, float).reshape(-1, 2)


def latencies_ms(shown: np.ndarray, captured: np.ndarray, longest_ms: float = 2000.0):
    """Camera-to-screen latency of each shown frame whose number was captured just before."""
    out = []
    for t, number in shown:
        before = captured[(captured[:, 1] == number) & (captured[:, 0] <= t), 0]
        if len(before) and t - before.max() <= longest_ms:
            out.append(t - before.max())
    return np.array(out)


def watch_stream(page) -> None:
    page.evaluate(WATCH_STREAM_JS, OUTPUT)


def stream_received(page) -> int:
    return page.evaluate(STREAM_RECEIVED_JS, OUTPUT)


def presented(page) -> int:
    """Frames the WebRTC view has presented, in front or not."""
    return page.evaluate(PRESENTED_JS, OUTPUT)


def grab(page) -> tuple[float, np.ndarray]:
    """The page's clock (ms) and the RGB picture the live view shows at that moment."""
    ms, url = page.evaluate(GRAB_JS, OUTPUT)
    return ms, decode_data_url(url)


def decode_data_url(url: str) -> np.ndarray:
    data = np.frombuffer(base64.b64decode(url.split(",", 1)[1]), np.uint8)
    bgr = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError("not an image")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def fetch_image(url: str) -> np.ndarray:
    """The RGB pixels of an image the app serves (a snapshot, say)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        data = np.frombuffer(response.read(), np.uint8)
    bgr = cv2.imdecode(data, cv2.IMREAD_COLOR)
    if bgr is None:
        raise ValueError(f"{url} is not an image ({data.size} bytes)")
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def colour_share(image: np.ndarray, colour, max_distance: float) -> float:
    """Share of the pixels within ``max_distance`` (RGB, Euclidean) of ``colour``."""
    distance = np.linalg.norm(image.astype(np.float32) - np.asarray(colour, np.float32), axis=2)
    return float((distance < max_distance).mean())


def cpu_seconds(pid: int) -> float:
    """CPU time process ``pid`` has used so far (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of process ``pid`` in MB, from /proc."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
