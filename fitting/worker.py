"""The background inference worker: one thread, many sessions, the latest frame wins.

Each session has at most one pending job. Submitting a new frame replaces the session's
pending one (an older frame is never worth computing once a newer one exists), so nothing
queues up however slow inference gets. Sessions are served in turn, so one busy visitor
cannot starve another. A job that raises is logged and the worker goes on serving.
"""

import atexit
import logging
import threading
from collections.abc import Callable, Hashable

log = logging.getLogger(__name__)


class InferenceWorker:
    def __init__(self, name: str = "fitting-inference"):
        self._cond = threading.Condition()
        self._pending: dict[Hashable, Callable[[], None]] = {}  # one job per key, oldest first
        self._busy = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()
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

    def _run(self) -> None:
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
