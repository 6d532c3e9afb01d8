"""Per-session timings: how long each stage of the pipeline takes."""

import threading
import time
from collections import deque
from contextlib import contextmanager

import numpy as np

# The stages timed; "inference" is the whole worker job (detect to occlusion), "frame" the
# whole process_frame call.
STAGES = ("detect", "pose", "smoothing", "segment", "warp", "inference", "composite", "frame")
HISTORY = 300  # samples kept per stage


class Stats:
    """Thread-safe rolling timings in milliseconds, written by the frame and worker threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._ms = {stage: deque(maxlen=HISTORY) for stage in STAGES}

    def add(self, stage: str, ms: float) -> None:
        with self._lock:
            self._ms[stage].append(ms)

    @contextmanager
    def time(self, stage: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(stage, (time.perf_counter() - start) * 1e3)

    def samples(self, stage: str) -> np.ndarray:
        with self._lock:
            return np.array(self._ms[stage], dtype=np.float64)

    def percentiles(self, stage: str, q=(50, 95)) -> tuple[float, ...] | None:
        ms = self.samples(stage)
        return tuple(float(np.percentile(ms, p)) for p in q) if len(ms) else None
