"""One visitor's live try-on: their fitting session, the frame rate they see, their snapshots.

A :class:`Visitor` is made when a browser tab opens the app and lives in that tab's
``gr.State``; nothing in it is shared with other visitors (the engine's models and worker are
shared, but each visitor has their own :class:`fitting.FittingSession`).
"""

import logging
import shutil
import tempfile
import threading
import time
from collections import deque
from pathlib import Path

import numpy as np
from PIL import Image

log = logging.getLogger(__name__)

FPS_WINDOW_S = 2.0  # the frame rate shown is measured over this many recent seconds
WARNING_INTERVAL_S = 5.0  # at most one pose-error warning this often, so toasts cannot flood


class Visitor:
    """The live state of one browser tab."""

    def __init__(self, session, garment):
        self.session = session
        self.garment_name = ""
        self.wear(garment)
        self._lock = threading.Lock()  # frames, the timer and button clicks come in on threads
        self._frame_ends: deque[float] = deque()
        self._last_frame: np.ndarray | None = None  # the last frame shown
        self._errors: list[str] = []  # problems not yet shown to the visitor
        self._last_warning = float("-inf")  # when the visitor was last warned
        self._snapshot_dir: Path | None = None

    def wear(self, garment) -> None:
        """Fits ``garment`` (a clothes.Garment) from the next frame on."""
        self.session.set_garment(garment)
        self.garment_name = garment.name

    def set_fitting(self, on: bool) -> None:
        """On: frames go through the models (inference starts at once on the camera's last
        frame). Off: the raw camera, no inference."""
        if on:
            self.session.start_streaming()
        else:
            self.session.stop_streaming()

    def process(
        self, frame: np.ndarray, fitting: bool, show_skeleton: bool, use_warp: bool
    ) -> np.ndarray:
        """The frame to show for one camera frame: fitted, or raw while ``fitting`` is off.

        ``fitting`` is the "Fit garment" box as it was when the camera took the frame.
        Never raises: a frame that cannot be fitted is shown raw and the problem is kept for
        :meth:`pending_warning`, so the stream goes on.
        """
        self.set_fitting(fitting)
        try:
            out = self.session.process_frame(frame, show_skeleton, use_warp)
        except Exception as error:
            log.exception("fitting a camera frame failed; showing it unfitted")
            out = frame
            with self._lock:
                self._errors.append(f"This frame could not be fitted ({error}).")
        now = time.perf_counter()
        with self._lock:
            self._last_frame = out
            self._frame_ends.append(now)
            while now - self._frame_ends[0] > FPS_WINDOW_S:
                self._frame_ends.popleft()
        return out

    def pending_warning(self) -> str | None:
        """A message about what went wrong since the last one, at most every few seconds."""
        error = self.session.pop_error()  # the worker's last failed inference, if any
        now = time.perf_counter()
        with self._lock:
            if error is not None:
                self._errors.append(f"Pose estimation failed ({error}).")
            if not self._errors or now - self._last_warning < WARNING_INTERVAL_S:
                return None
            latest, count = self._errors[-1], len(self._errors)
            self._errors.clear()
            self._last_warning = now
        more = f" ({count - 1} more problems since the last message.)" if count > 1 else ""
        return f"{latest} Fitting goes on with the next frames.{more}"

    def fps(self) -> float:
        """Frames shown per second over the last couple of seconds."""
        with self._lock:
            ends = list(self._frame_ends)
        if len(ends) < 2 or time.perf_counter() - ends[-1] > FPS_WINDOW_S:
            return 0.0
        return (len(ends) - 1) / max(ends[-1] - ends[0], 1e-6)

    def readout(self) -> str:
        """One line of Markdown: frame rate, processing time, the garment being worn."""
        fps = self.fps()
        if fps == 0.0:
            return "Start the camera to see yourself wearing the garment."
        parts = [f"**{fps:.1f} fps**"]
        if not self.session.is_streaming():
            parts.append("Fit garment is off: the raw camera, no inference")
            return " · ".join(parts)
        stats = self.session.stats
        if frame := stats.percentiles("frame"):
            parts.append(f"frame {frame[0]:.1f} ms (p95 {frame[1]:.1f} ms)")
        if pose := stats.percentiles("pose"):
            parts.append(f"pose model {pose[0]:.0f} ms per inference")
        parts.append(f"wearing {self.garment_name}")
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
