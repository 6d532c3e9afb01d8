"""The background worker: latest frame wins, no queue, survives errors, fair between sessions."""

import os
import sys
import threading

import pytest

from fitting.worker import GIL_SWITCH_INTERVAL_S, LOWEST_PRIORITY, InferenceWorker


@pytest.fixture
def worker():
    w = InferenceWorker()
    yield w
    w.close()


def test_only_the_newest_pending_job_runs(worker):
    started, release, ran = threading.Event(), threading.Event(), []

    def blocking():
        started.set()
        release.wait(5)
        ran.append("first")

    worker.submit("a", blocking)
    assert started.wait(5)
    for i in range(10):  # arrive while the first is running: each replaces the previous
        worker.submit("a", lambda i=i: ran.append(i))
    release.set()
    assert worker.wait_idle(5)
    assert ran == ["first", 9]


def test_a_failing_job_is_logged_and_the_worker_goes_on(worker, caplog):
    ran = []

    def broken():
        raise RuntimeError("boom")

    worker.submit("a", broken)
    assert worker.wait_idle(5)
    worker.submit("a", lambda: ran.append("ok"))
    assert worker.wait_idle(5)
    assert ran == ["ok"] and worker.alive
    assert "boom" in caplog.text and "carries on" in caplog.text


def test_sessions_take_turns(worker):
    started, release, order = threading.Event(), threading.Event(), []

    def blocking():
        started.set()
        release.wait(5)

    worker.submit("busy", blocking)
    assert started.wait(5)
    worker.submit("a", lambda: order.append("a"))
    worker.submit("b", lambda: order.append("b"))
    worker.submit("a", lambda: order.append("a2"))  # replaces a's job and goes to the back
    release.set()
    assert worker.wait_idle(5)
    assert order == ["b", "a2"]


def test_cancel_drops_a_pending_job(worker):
    started, release, ran = threading.Event(), threading.Event(), []
    worker.submit("busy", lambda: (started.set(), release.wait(5)))
    assert started.wait(5)
    worker.submit("a", lambda: ran.append("a"))
    worker.cancel("a")
    release.set()
    assert worker.wait_idle(5)
    assert ran == []


def test_close_stops_the_thread_and_refuses_new_jobs():
    w = InferenceWorker()
    w.close()
    assert not w.alive and w.beside is None  # a job then runs all of its work itself
    with pytest.raises(RuntimeError, match="the inference worker is closed"):
        w.submit("a", lambda: None)


@pytest.mark.skipif(sys.platform != "linux", reason="per-thread priorities are Linux's")
def test_an_idle_worker_runs_its_jobs_at_the_lowest_priority():
    seen = {}

    def look(key="worker"):  # runs on the worker's own thread, or the thread beside it
        me = threading.get_native_id()
        seen[key] = os.getpriority(os.PRIO_PROCESS, me), os.sched_getscheduler(me)

    default_interval = sys.getswitchinterval()
    ours = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    idle = InferenceWorker(idle=True)
    try:
        idle.submit("a", look)
        assert idle.wait_idle(5)
        idle.beside.submit(look, "beside").result(5)
        lowest = (LOWEST_PRIORITY, os.SCHED_IDLE)
        assert seen == {"worker": lowest, "beside": lowest}
        assert sys.getswitchinterval() == GIL_SWITCH_INTERVAL_S
        assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == ours  # unchanged
    finally:
        idle.close()
        sys.setswitchinterval(default_interval)
