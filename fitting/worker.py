"""The background inference worker: one thread, many sessions, the latest frame wins.

Each session has at most one pending job. Submitting a new frame replaces the session's
pending one (an older frame is never worth computing once a newer one exists), so nothing
queues up however slow inference gets. Sessions are served in turn, so one busy visitor
cannot starve another. A job that raises is logged and the worker goes on serving.

An *idle* worker runs inference only on CPU time nothing else wants. A server that also
decodes, draws and encodes the frames competes with its own inference for the CPU, and the
video stutters: measured on 2 cores with the browser on the same machine, fitted frames came
at 0.71x the raw rate with the worker at normal priority, 0.9-0.98x with a worker that costs
nothing. At the lowest priority the worker still takes all the CPU time the frames leave, and
gives it back the moment a frame needs it: the garment follows a little later instead of the
whole picture slowing down. On Linux the thread is niced and put in the SCHED_IDLE class,
which runs only when no normal thread wants the CPU and is preempted at once when one wakes:
with nice 19 alone the browser test's fitted / raw frame rate ranged 0.79-1.12 over 10 runs,
twice under 0.8; with SCHED_IDLE, 0.87-1.01 over 3. Elsewhere the priority stays as it is.

Beside its thread the worker has a second one, ``beside``, at the same priority, for work a
job can start and collect later: one model running while another does (pipeline.infer).
"""

import atexit
import logging
import os
import sys
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Executor, ThreadPoolExecutor

log = logging.getLogger(__name__)

LOWEST_PRIORITY = 19  # Linux nice values go from -20 (first) to 19 (last)
# A thread waiting for Python's GIL asks its holder to let go after this long (Python's default
# is 5 ms). When the holder is the idle worker, rarely scheduled, the frame thread waited that
# long for it; at 1 ms the browser test's fitted / raw frame rate went from 0.79-0.92 (median
# 0.86 over 4 runs) to 0.82-1.12 (median 0.98 over 6). Python has one setting per process.
GIL_SWITCH_INTERVAL_S = 0.001


class InferenceWorker:
    def __init__(self, name: str = "fitting-inference", idle: bool = False):
        """``idle``: run at the lowest priority (see the module's text)."""
        self._cond = threading.Condition()
        self._pending: dict[Hashable, Callable[[], None]] = {}  # one job per key, oldest first
        self._busy = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, args=(idle,), name=name, daemon=True)
        self._thread.start()
        self._beside = ThreadPoolExecutor(
            1, f"{name}-beside", initializer=_lower_own_priority if idle else None
        )
        # A job still running in ONNX Runtime while Python shuts down aborts the process
        # ("terminate called without an active exception"): an unclosed worker is closed first.
        atexit.register(self.close)

    def submit(self, key: Hashable, job: Callable[[], None]) -> None:
        """Runs ``job`` soon, replacing any job of ``key`` that has not started yet."""
        with self._cond:
            if self._closed:
                raise RuntimeError("the inference worker is closed; create a new FittingEngine")
            self._pending.pop(key, None)  # re-inserting puts the key at the back of the turn
            self._pending[key] = job
            self._cond.notify_all()

    def cancel(self, key: Hashable) -> None:
        """Drops ``key``'s pending job, if any (a running job finishes)."""
        with self._cond:
            self._pending.pop(key, None)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Blocks until no job is pending or running; False if ``timeout`` ran out first."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._pending and not self._busy, timeout)

    @property
    def beside(self) -> Executor | None:
        """The second thread, for work a job starts and collects later; None once closed."""
        return None if self._closed else self._beside

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def close(self, timeout: float = 5.0) -> None:
        """Stops the thread after the running job; pending jobs are dropped."""
        atexit.unregister(self.close)
        with self._cond:
            self._closed = True
            self._pending.clear()
            self._cond.notify_all()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        self._beside.shutdown(wait=False)

    def _run(self, idle: bool) -> None:
        if idle:
            _lower_own_priority()
        while True:
            with self._cond:
                self._busy = False
                self._cond.notify_all()
                self._cond.wait_for(lambda: self._pending or self._closed)
                if self._closed:
                    return
                key = next(iter(self._pending))
                job = self._pending.pop(key)
                self._busy = True
            try:
                job()
            except Exception:
                log.exception("inference job for %r failed; the worker carries on", key)


def _lower_own_priority() -> None:
    """The calling thread at the lowest priority, and the GIL handed over sooner (Linux)."""
    if sys.platform != "linux":
        log.info("inference thread priority left unchanged (lowering it is Linux only)")
        return
    me = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, me, LOWEST_PRIORITY)  # Linux: this thread alone
        os.sched_setscheduler(me, os.SCHED_IDLE, os.sched_param(0))
    except OSError as error:
        log.warning("could not lower the inference thread's priority: %s", error)
        return
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
