"""Shared test fixtures.

Real fixtures (photos, garments, the webcam video, ONNX models) live in ``../shared`` beside
the project and are never copied into it. Tests that need them use the ``shared`` fixture:
on a machine without that folder they skip with a clear reason, but under CI (``CI=true``)
a missing folder is an error, so a CI run can never pass by silently skipping them.
"""

import os
from pathlib import Path

import pytest
from shared_dir import SHARED_DIR

# No test reaches the network: a model named by its short name (the engine's default
# segmenter, say) is looked for in the cache only. The download tests serve their own files
# and lift this themselves; the apps the tests start inherit it.
os.environ["FITTING_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"


@pytest.fixture(scope="session")
def shared() -> Path:
    """Path of the shared fixture folder (``../shared``); skips (or fails under CI) without it."""
    if not (SHARED_DIR / "data").is_dir():
        reason = f"shared test data not found at {SHARED_DIR} (set FITTING_SHARED_DIR to its path)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run these tests, so this is an error")
        pytest.skip(reason)
    return SHARED_DIR
