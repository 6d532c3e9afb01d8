"""What app.py needs besides Gradio: settings, per-visitor live state, uploads.

Kept out of app.py so that app.py stays a readable Gradio demo (components and wiring) and
this logic can be tested without a browser.
"""

from .live import Visitor
from .photos import find_garment, garment_from_upload, read_photo, thumbnail
from .settings import Settings, SettingsError, inference_threads, read_settings

__all__ = [
    "Settings",
    "SettingsError",
    "Visitor",
    "find_garment",
    "garment_from_upload",
    "inference_threads",
    "read_photo",
    "read_settings",
    "thumbnail",
]
