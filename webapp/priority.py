"""Serving frames comes first; pose inference uses the CPU time that is left.

The engine's inference worker runs in the background: the display never waits for it (frames
are drawn with the newest keypoints), but on a small CPU it competes with decoding, drawing and
encoding the frames themselves, and the video stutters (measured on 2 cores with the browser on
the same machine: fitted frames came at 0.71x the raw rate with the worker at normal priority,
0.9-0.98x with a worker that costs nothing). At the lowest priority the worker still takes all
the CPU time the frames leave, and gives it back the moment a frame needs it: the garment
follows a little later instead of the whole picture slowing down. On Linux the worker is both
niced and put in the SCHED_IDLE class, which runs only when no normal thread wants the CPU
and is preempted at once when one wakes: with nice 19 alone the browser test's fitted / raw
frame rate ranged 0.79-1.12 over 10 runs, twice under 0.8; with SCHED_IDLE, 0.87-1.01 over 3.
"""

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)

INFERENCE_THREAD_NAME = "fitting-inference"  # the engine's worker thread (fitting/worker.py)
LOWEST_PRIORITY = 19  # Linux nice values go from -20 (first) to 19 (last)
# A thread waiting for Python's GIL asks its holder to let go after this long (Python's default
# is 5 ms). When the holder is the low-priority worker, the frame thread waited that long for
# it; at 1 ms the browser test's fitted / raw frame rate went from 0.79-0.92 (median 0.86 over 4
# runs) to 0.82-1.12 (median 0.98 over 6).
GIL_SWITCH_INTERVAL_S = 0.001


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
    message. The GIL then changes hands sooner (see ``GIL_SWITCH_INTERVAL_S``), so that the
    worker, rarely scheduled, does not hold up the frames while it holds the GIL.
    """
    workers = [t for t in threading.enumerate() if t.name == INFERENCE_THREAD_NAME]
    if not workers or sys.platform != "linux":
        log.info("inference thread priority left unchanged (Linux only, or no worker thread)")
        return False
    for worker in workers:
        try:
            os.setpriority(os.PRIO_PROCESS, worker.native_id, LOWEST_PRIORITY)
            os.sched_setscheduler(worker.native_id, os.SCHED_IDLE, os.sched_param(0))
        except OSError as error:
            log.warning("could not lower the inference thread's priority: %s", error)
            return False
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    return True
