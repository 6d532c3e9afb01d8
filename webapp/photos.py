"""Garments and photos from uploads, for the live tab and the still-photo tab.

Uploads are untrusted files: they are decoded with the clothes package's safe decoder, which
checks type, size and pixel count first and raises GarmentError (a ValueError) with a message
for the user.
"""

from pathlib import Path

import cv2
import numpy as np

from clothes import Garment, GarmentError
from clothes.decode import decode_image, read_source

THUMBNAIL_PX = 256  # long side of the garment pictures in the gallery
PHOTO_LONG_SIDE_PX = 2048  # a larger photo of a person is decoded at reduced size, near this


def find_garment(catalog: list[Garment], name: str) -> Garment:
    """The catalog garment called ``name``; GarmentError listing the choices otherwise."""
    for garment in catalog:
        if garment.name == name:
            return garment
    names = ", ".join(repr(g.name) for g in catalog)
    raise GarmentError(f"There is no garment called {name!r}. Choose one of {names}.")


def garment_from_upload(path: str | Path) -> Garment:
    """A garment prepared from an uploaded photo (a shop photo or a cut-out)."""
    return Garment.from_image(Path(path), name=Path(path).stem)


def read_photo(path: str | Path) -> np.ndarray:
    """An uploaded photo of a person as (H, W, 3) RGB uint8, EXIF-rotated."""
    pixels = decode_image(read_source(Path(path)), long_side=PHOTO_LONG_SIDE_PX)
    return np.ascontiguousarray(pixels[..., :3])


def thumbnail(garment: Garment) -> np.ndarray:
    """The garment's RGBA picture with its long side at most THUMBNAIL_PX."""
    height, width = garment.rgba.shape[:2]
    scale = min(1.0, THUMBNAIL_PX / max(height, width))
    if scale == 1.0:
        return garment.rgba
    return cv2.resize(garment.rgba, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
