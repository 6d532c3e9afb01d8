"""The app, with a pose model that knows the keypoints of the shared images (known_poses.py).

    FITTING_POSE_MODEL=../shared/models/rtmpose-s-random-weights.onnx \\
    FITTING_DETECTOR=../shared/models/rtmdet-nano-person.onnx \\
        python -m tests.browser.serve_known_poses ../shared

Settings come from the environment as for app.py (GRADIO_SERVER_PORT and so on). While the
file named by KNOWN_POSES_FAIL_FLAG exists, inference fails. Used by the tests that must see a
garment fitted, and for the README picture; never for real use.
"""

import logging
import os
import sys
from pathlib import Path

import app
from tests.browser.known_poses import KnownPoses

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    fail_flag = os.environ.get("KNOWN_POSES_FAIL_FLAG")
    app.engine.models.pose = KnownPoses.from_shared(
        app.engine.models.pose, Path(sys.argv[1]), Path(fail_flag) if fail_flag else None
    )
    app.demo.launch(
        server_name=app.settings.server_name, server_port=app.settings.port, css=app.PAGE_CSS
    )
