"""Serving frames comes first; pose inference uses the CPU time that is left.

The engine's inference worker runs in the background: the display never waits for it (frames
are drawn with the newest keypoints), but on a small CPU it competes with decoding, drawing and
encoding the frames themselves, and the video stutters (measured on 2 cores with the browser on
the same machine: fitted frames came at 0.71x the raw rate with the worker at normal priority,
0.9-0.98x with a worker that costs nothing). At the lowest priority the worker still takes all
the CPU time the frames leave, and gives it back the moment a frame needs it: the garment
follows a little later instead of the whole picture slowing down.
"""

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)

INFERENCE_THREAD_NAME = "fitting-inference"  # the engine's worker thread (fitting/worker.py)
LOWEST_PRIORITY = 19  # Linux nice values go from -20 (first) to 19 (last)


def cpu_cores() -> int:
    """Cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def inference_threads() -> int:
    """ONNX Runtime threads per model run on the CPU: half the cores, the rest serve frames.

    With one thread (2 or 3 cores) all inference runs in the worker thread, at the lowest
    priority; ONNX Runtime's extra threads on bigger machines keep the normal priority.
    """
    return max(1, cpu_cores() // 2)


def lower_inference_priority() -> bool:
    """Gives the engine's inference thread the lowest priority; False where that is impossible.

    Linux schedules threads one by one, so the thread's own nice value applies to it alone (and
    anyone may lower a priority). Elsewhere (macOS, Windows) it is left as it is, with a log
    message.
    """
    workers = [t for t in threading.enumerate() if t.name == INFERENCE_THREAD_NAME]
    if not workers or sys.platform != "linux":
        log.info("inference thread priority left unchanged (Linux only, or no worker thread)")
        return False
    for worker in workers:
        try:
            os.setpriority(os.PRIO_PROCESS, worker.native_id, LOWEST_PRIORITY)
        except OSError as error:
            log.warning("could not lower the inference thread's priority: %s", error)
            return False
    return True
