"""Where the shared test fixtures are: ``../shared`` beside the project, or $FITTING_SHARED_DIR.

A module of its own (not conftest.py) so that test modules can import it: tests/mmpose has a
conftest.py too, and only one module can be called ``conftest``.
"""

import os
from pathlib import Path

SHARED_DIR = Path(
    os.environ.get("FITTING_SHARED_DIR", Path(__file__).resolve().parents[1].parent / "shared")
)
