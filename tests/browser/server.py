"""The app in a subprocess on a free localhost port, for tests that talk to it over HTTP."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT_S = 60  # generous for a loaded CI machine; the app is usually up in ~5 s
STOP_TIMEOUT_S = 10


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def model_env(shared: Path) -> dict[str, str]:
    """Environment that points the app at the shared models (no download, CPU)."""
    models = shared / "models"
    return {
        "FITTING_POSE_MODEL": str(models / "rtmpose-s-random-weights.onnx"),
        "FITTING_DETECTOR": str(models / "rtmdet-nano-person.onnx"),
        "FITTING_SEGMENTER": str(models / "selfie-segmentation.onnx"),
        "FITTING_DEVICE": "cpu",
    }


USER_ERROR = "gradio.exceptions.Error: "  # a message to the visitor (gr.Error), not a fault


class AppServer:
    """Runs ``command`` (from the repository root) until the page answers; stops it on exit.

    The server's output goes to ``log_path``, which failures quote.
    """

    def __init__(
        self,
        command: list[str],
        env: dict[str, str],
        log_path: Path,
        cpus: set[int] | None = None,
    ):
        """``cpus``: the CPUs the app may run on (Linux), None for all."""
        self.port = free_port()
        self.cpus = cpus
        self.url = f"http://127.0.0.1:{self.port}/"
        self.command = command
        self.env = {
            **os.environ,
            **env,
            "GRADIO_SERVER_NAME": "127.0.0.1",
            "GRADIO_SERVER_PORT": str(self.port),
            "GRADIO_ANALYTICS_ENABLED": "False",
        }
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.startup_s: float | None = None

    @classmethod
    def app(cls, shared: Path, log_path: Path) -> "AppServer":
        """``python app.py`` with the shared models."""
        return cls([sys.executable, "app.py"], model_env(shared), log_path)

    @classmethod
    def with_known_poses(
        cls,
        shared: Path,
        log_path: Path,
        fail_flag: Path | None = None,
        cpus: set[int] | None = None,
        temp_dir: Path | None = None,
    ) -> "AppServer":
        """The app whose pose model answers with the shared images' true keypoints.

        While the file ``fail_flag`` exists, its inferences fail. ``temp_dir``: Gradio's cache
        (GRADIO_TEMP_DIR), to look at what the app leaves there.
        """
        command = [sys.executable, "-m", "tests.browser.serve_known_poses", str(shared)]
        env = model_env(shared)
        if fail_flag is not None:
            env["KNOWN_POSES_FAIL_FLAG"] = str(fail_flag)
        if temp_dir is not None:
            env["GRADIO_TEMP_DIR"] = str(temp_dir)
        return cls(command, env, log_path, cpus)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def exceptions(self, expected: str = "simulated pose failure") -> list[str]:
        """The exception line of every traceback in the log, but those that say ``expected``
        (the failures a test causes on purpose) and the messages a handler shows the visitor
        as a gr.Error (Gradio logs their traceback too)."""
        found, lines = [], self.log().splitlines()
        for i, line in enumerate(lines):
            if line.startswith("Traceback (most recent call last)"):
                end = next((j for j in range(i + 1, len(lines)) if not lines[j][:1].isspace()),
                           len(lines) - 1)  # fmt: skip
                told = lines[end].startswith(USER_ERROR)
                if expected not in lines[end] and not told:
                    found.append(lines[end])
        return found

    def __enter__(self) -> "AppServer":
        start = time.perf_counter()
        with open(self.log_path, "wb") as log:
            pin = (lambda: os.sched_setaffinity(0, self.cpus)) if self.cpus else None
            self.process = subprocess.Popen(
                self.command,
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=pin,  # before the app starts, so all its threads inherit it
            )
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__()
            raise
        self.startup_s = time.perf_counter() - start
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the app exited with code {self.process.returncode}:\n{self.log()}"
                )
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise TimeoutError(
            f"the app did not answer at {self.url} in {READY_TIMEOUT_S} s:\n{self.log()}"
        )

    def __exit__(self, *exc) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
