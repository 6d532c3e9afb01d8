"""What app.py needs besides Gradio: settings, per-visitor live state, the live view and its
WebRTC connections, uploads.

Kept out of app.py so that app.py stays a readable Gradio demo (components and wiring) and
this logic can be tested without a browser.
"""

from . import live_view
from .live import Visitor, jpeg_data_url
from .photos import (
    GarmentUpload,
    caption,
    find_garment,
    garment_from_upload,
    photo_outfit,
    read_garment_upload,
    read_photo,
    thumbnail,
)
from .settings import Settings, SettingsError, inference_threads, read_settings
from .webrtc import IceServer, LiveConnections

__all__ = [
    "GarmentUpload",
    "IceServer",
    "LiveConnections",
    "Settings",
    "SettingsError",
    "Visitor",
    "caption",
    "find_garment",
    "garment_from_upload",
    "inference_threads",
    "jpeg_data_url",
    "live_view",
    "photo_outfit",
    "read_garment_upload",
    "read_photo",
    "read_settings",
    "thumbnail",
]
