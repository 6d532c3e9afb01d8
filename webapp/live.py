"""One visitor's live try-on: their fitting session, switches, frame rate, snapshots.

A :class:`Visitor` is made when a browser tab opens the app and lives in that tab's
``gr.State``; nothing in it is shared with other visitors (the engine's models and worker are
shared, but each visitor has their own :class:`fitting.FittingSession`). Its frames come from
the WebRTC connection (webrtc.py) or from the Gradio stream, the fallback; the page's
switches set how they are fitted.
"""

import base64
import logging
import secrets
import shutil
import tempfile
import threading
import time
from collections import deque
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

log = logging.getLogger(__name__)

FPS_WINDOW_S = 2.0  # the frame rates shown are measured over this many recent seconds
WARNING_INTERVAL_S = 5.0  # at most one pose-error warning this often, so toasts cannot flood
# The server keeps up while it fits at least this share of the frames the camera takes; below
# it, the readout says the server is saturated.
KEEPING_UP = 0.8
MAX_CAMERA_FPS = 240.0  # a page saying its camera is faster is not believed
GOES_ON = "Fitting goes on with the next frames."
UNFITTED = "nobody fitted: face the camera with both shoulders in view"
LEGS_UNSEEN = "step back until your hips and knees are in view to see the bottoms"
STREAM_JPEG_QUALITY = 80  # frames sent inline to the Gradio-stream view: ~40 KB at 640x480


def jpeg_data_url(image: np.ndarray, quality: int = STREAM_JPEG_QUALITY) -> str:
    """An RGB image as a ``data:image/jpeg;base64,...`` URL (about 2 ms at 640x480)."""
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR),
                            [cv2.IMWRITE_JPEG_QUALITY, quality])  # fmt: skip
    if not ok:
        raise ValueError(f"could not encode a {image.shape} image as JPEG")
    return "data:image/jpeg;base64," + base64.b64encode(jpeg.tobytes()).decode("ascii")


class _Rate:
    """Events per second over the last FPS_WINDOW_S seconds."""

    def __init__(self):
        self._ends: deque[float] = deque()

    def tick(self, now: float) -> None:
        self._ends.append(now)
        while now - self._ends[0] > FPS_WINDOW_S:
            self._ends.popleft()

    def per_second(self, now: float) -> float:
        ends = [t for t in self._ends if now - t <= FPS_WINDOW_S]
        if len(ends) < 2:
            return 0.0
        return (len(ends) - 1) / max(ends[-1] - ends[0], 1e-6)


class Visitor:
    """The live state of one browser tab."""

    def __init__(self, session, garment):
        self.session = session
        self.token = secrets.token_urlsafe(16)  # what this tab's live connection names it by
        self.wear(garment)
        self._upload = None  # the last garment uploaded
        self._chosen = None  # (garment, its place in the gallery): the last one chosen there
        self._lock = threading.Lock()  # frames, the timer and button clicks come in on threads
        self._show_skeleton = False
        self._use_warp = True
        self._shown = _Rate()  # frames fitted and sent back
        self._from_camera = _Rate()  # frames the camera sent over WebRTC (some are dropped)
        self._camera_fps: float | None = None  # the rate the camera takes frames at, if known
        self._last_frame: np.ndarray | None = None  # the last frame shown
        self._errors: list[str] = []  # problems not yet shown to the visitor
        self._last_warning = float("-inf")  # when the visitor was last warned
        self._snapshot_dir: Path | None = None

    def wear(self, garment) -> None:
        """Fits ``garment`` (a clothes.Garment: a top or a dress, or bottoms worn with the
        top) from the next inference on."""
        self.session.set_garment(garment)

    def choose(self, garment, place: int) -> None:
        """Wears ``garment``, chosen in the gallery, where it is the ``place``-th."""
        self.wear(garment)
        with self._lock:
            self._chosen = (garment, place)

    @property
    def chosen(self) -> int | None:
        """The gallery's place of the garment last chosen there while it is still worn (an
        uploaded garment of its kind takes it off); None otherwise."""
        with self._lock:
            chosen = self._chosen
        return chosen[1] if chosen is not None and self.session.is_worn(chosen[0]) else None

    def wear_upload(self, garment, corrected: bool) -> None:
        """Wears an uploaded garment; one whose type the visitor ``corrected`` replaces the
        same photo read as the other type."""
        if corrected and self._upload is not None:
            self.session.take_off(self._upload)
        self.wear(garment)
        self._upload = garment

    @property
    def wearing(self) -> str:
        """What is worn, as the readout says it: "top + bottoms"."""
        return " + ".join(self.session.wearing)

    def set_fitting(self, on: bool) -> None:
        """On: frames go through the models (inference starts at once on the camera's last
        frame). Off: the raw camera, no inference."""
        if on:
            self.session.start_streaming()
        else:
            self.session.stop_streaming()

    def set_switches(self, fitting: bool, skeleton: bool, warp: bool, fit: str) -> None:
        """All the page's switches at once (see the setters below); an unknown ``fit`` is a
        ValueError that changes none of them."""
        self.set_fit(fit)
        self.set_fitting(fitting)
        self.set_skeleton(skeleton)
        self.set_warp(warp)

    def set_skeleton(self, on: bool) -> None:
        with self._lock:
            self._show_skeleton = on

    def set_fit(self, fit: str) -> None:
        """slim, regular or loose (see fitting.config.FITS), from the next inference on."""
        self.session.set_fit(fit)

    def set_warp(self, on: bool) -> None:
        """On: the garment follows the body. Off: it is only scaled and turned with it."""
        with self._lock:
            self._use_warp = on

    def set_camera_fps(self, fps) -> None:
        """The frame rate the visitor's camera takes, as their page says (None: unknown).

        A saturated server receives fewer frames too (it decodes them on the same CPU, and
        the page's encoder slows down with it), so what arrives is no measure of keeping up.
        """
        try:
            fps = float(fps)
        except (TypeError, ValueError):
            fps = None
        with self._lock:
            self._camera_fps = fps if fps and 0 < fps <= MAX_CAMERA_FPS else None

    def count_camera_frame(self) -> None:
        """A frame arrived from the camera (fitted or, when the server is behind, dropped)."""
        now = time.perf_counter()
        with self._lock:
            self._from_camera.tick(now)

    def process(self, frame: np.ndarray) -> np.ndarray:
        """The frame to show for one camera frame: fitted, or raw while fitting is off.

        Never raises: a frame that cannot be fitted is shown raw and the problem is kept for
        :meth:`pending_warning`, so the stream goes on.
        """
        with self._lock:
            show_skeleton, use_warp = self._show_skeleton, self._use_warp
        try:
            out = self.session.process_frame(frame, show_skeleton, use_warp)
        except Exception as error:
            log.exception("fitting a camera frame failed; showing it unfitted")
            out = frame
            with self._lock:
                self._errors.append(f"This frame could not be fitted ({error}). {GOES_ON}")
        now = time.perf_counter()
        with self._lock:
            self._last_frame = out
            self._shown.tick(now)
        return out

    def warn(self, message: str) -> None:
        """A problem to tell the visitor with the next readout (a failed connection, say)."""
        with self._lock:
            self._errors.append(message)
            self._last_warning = float("-inf")  # told at once, not after the quiet interval

    def pending_warning(self) -> str | None:
        """A message about what went wrong since the last one, at most every few seconds."""
        error = self.session.pop_error()  # the worker's last failed inference, if any
        now = time.perf_counter()
        with self._lock:
            if error is not None:
                self._errors.append(f"Inference failed ({error}). {GOES_ON}")
            if not self._errors or now - self._last_warning < WARNING_INTERVAL_S:
                return None
            latest, count = self._errors[-1], len(self._errors)
            self._errors.clear()
            self._last_warning = now
        more = f" ({count - 1} more problems since the last message.)" if count > 1 else ""
        return latest + more

    def fps(self) -> float:
        """Frames shown per second over the last couple of seconds."""
        with self._lock:
            return self._shown.per_second(time.perf_counter())

    def readout(self) -> str:
        """One line of Markdown: the frames sent per second (the page counts those it shows),
        processing time, the garment being worn."""
        now = time.perf_counter()
        with self._lock:
            fps, camera = self._shown.per_second(now), self._from_camera.per_second(now)
            camera = max(camera, self._camera_fps or 0.0) if camera else 0.0
        if fps == 0.0:
            return "Start the camera to see yourself wearing the garment."
        parts = [f"server: **{fps:.1f} fps** sent"]  # the page says how many it shows
        if camera and fps < KEEPING_UP * camera:
            parts.append(
                f"the server is saturated: it fits {fps:.0f} of the {camera:.0f} frames per "
                "second your camera takes"
            )
        if not self.session.is_streaming():
            parts.append("Fit garment is off: the raw camera, no inference")
            return " · ".join(parts)
        stats = self.session.stats
        if frame := stats.percentiles("frame"):
            parts.append(f"frame {frame[0]:.1f} ms (p95 {frame[1]:.1f} ms)")
        if pose := stats.percentiles("pose"):
            parts.append(f"pose model {pose[0]:.0f} ms per inference")
        parts.append(f"wearing {self.wearing}")
        if self.session.unfitted:
            parts.append(UNFITTED)
        if self.session.legs_unseen:
            parts.append(LEGS_UNSEEN)
        if note := self.session.note:
            parts.append(note)
        return " · ".join(parts)

    def snapshot(self) -> Path | None:
        """The frame on screen now, saved as a PNG for download; None before the first frame."""
        with self._lock:
            frame = self._last_frame
            if frame is None:
                return None
            if self._snapshot_dir is None:
                self._snapshot_dir = Path(tempfile.mkdtemp(prefix="live-fitting-snapshots-"))
            folder = self._snapshot_dir
        millis = int(time.time() * 1000) % 1000  # two snapshots in one second get two files
        path = folder / f"try-on-{time.strftime('%Y%m%d-%H%M%S')}-{millis:03d}.png"
        Image.fromarray(frame).save(path)
        return path

    def close(self) -> None:
        """The visitor left: stop fitting and delete their snapshots."""
        self.session.close()
        with self._lock:
            folder, self._snapshot_dir = self._snapshot_dir, None
            self._last_frame = None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
