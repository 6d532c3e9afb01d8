"""Serving frames comes first; pose inference uses the CPU time that is left.

The engine's inference worker runs in the background: the display never waits for it (frames
are drawn with the newest keypoints), but on a small CPU it competes with decoding, drawing and
encoding the frames themselves, and the video stutters. Giving the worker a lower priority and
half the cores keeps the video fluid; inference then runs as fast as the spare CPU allows (the
garment follows a little later, rather than the whole picture slowing down).
"""

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)

INFERENCE_THREAD_NAME = "fitting-inference"  # the engine's worker thread (fitting/worker.py)
INFERENCE_NICENESS = 5  # how much nicer (lower priority) than the process that thread runs
LOWEST_PRIORITY = 19  # Linux nice values go from -20 (first) to 19 (last)


def cpu_cores() -> int:
    """Cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def inference_threads() -> int:
    """ONNX Runtime threads per model run on the CPU: half the cores, the rest serve frames."""
    return max(1, cpu_cores() // 2)


def lower_inference_priority(niceness: int = INFERENCE_NICENESS) -> bool:
    """Lowers the priority of the engine's inference thread; False where that is not possible.

    Linux schedules threads one by one, so the thread's own nice value applies to it alone.
    Elsewhere (macOS, Windows) the priority is left as it is, with a log message.
    """
    workers = [t for t in threading.enumerate() if t.name == INFERENCE_THREAD_NAME]
    if not workers or sys.platform != "linux":
        log.info("inference thread priority left unchanged (Linux only, or no worker thread)")
        return False
    target = min(os.getpriority(os.PRIO_PROCESS, 0) + niceness, LOWEST_PRIORITY)
    for worker in workers:
        try:
            os.setpriority(os.PRIO_PROCESS, worker.native_id, target)
        except OSError as error:
            log.warning("could not lower the inference thread's priority: %s", error)
            return False
    return True
