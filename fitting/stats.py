"""Per-session timings: how long each stage takes, frames per second, end-to-end latency."""

import threading
import time
from collections import deque
from contextlib import contextmanager

import numpy as np

STAGES = ("detect", "pose", "smoothing", "warp", "composite", "frame")
HISTORY = 300  # samples kept per stage


class Stats:
    """Thread-safe rolling timings in milliseconds, written by the frame and worker threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._ms = {stage: deque(maxlen=HISTORY) for stage in STAGES}
        self._frame_ends = deque(maxlen=HISTORY)

    def add(self, stage: str, ms: float) -> None:
        with self._lock:
            self._ms[stage].append(ms)
            if stage == "frame":
                self._frame_ends.append(time.perf_counter())

    @contextmanager
    def time(self, stage: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(stage, (time.perf_counter() - start) * 1e3)

    def fps(self, window: float = 2.0) -> float:
        """Frames returned per second over the last ``window`` seconds."""
        with self._lock:
            now = time.perf_counter()
            recent = [t for t in self._frame_ends if now - t <= window]
        if len(recent) < 2:
            return 0.0
        return (len(recent) - 1) / max(recent[-1] - recent[0], 1e-6)

    def samples(self, stage: str) -> np.ndarray:
        with self._lock:
            return np.array(self._ms[stage], dtype=np.float64)

    def percentiles(self, stage: str, q=(50, 95)) -> tuple[float, ...] | None:
        ms = self.samples(stage)
        return tuple(float(np.percentile(ms, p)) for p in q) if len(ms) else None

    def clear(self) -> None:
        with self._lock:
            for d in (*self._ms.values(), self._frame_ends):
                d.clear()
