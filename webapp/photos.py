"""Garments and photos from uploads, for the live tab and the still-photo tab.

Uploads are untrusted files: they are decoded with the clothes package's safe decoder, which
checks type, size and pixel count first and raises GarmentError (a ValueError) with a message
for the user.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from clothes import Category, Garment, GarmentError
from clothes.decode import decode_image, read_source
from clothes.preview import draw_garment
from fitting.keypoints import has_face

THUMBNAIL_PX = 256  # long side of the garment pictures in the gallery
PREVIEW_PX = 480  # long side of the picture of an uploaded garment as it was read
PHOTO_LONG_SIDE_PX = 2048  # a larger photo of a person is decoded at reduced size, near this


def find_garment(catalog: list[Garment], name: str) -> Garment:
    """The catalog garment called ``name``; GarmentError listing the choices otherwise."""
    for garment in catalog:
        if garment.name == name:
            return garment
    names = ", ".join(repr(g.name) for g in catalog)
    raise GarmentError(f"There is no garment called {name!r}. Choose one of {names}.")


def photo_outfit(
    catalog: list[Garment], garment_name: str, bottoms_name: str = "", own: Garment | None = None
) -> list[Garment]:
    """What the photo tab fits: the sample top or dress called ``garment_name`` and the sample
    bottoms called ``bottoms_name`` (none if empty), with the user's ``own`` garment in place
    of the sample of its kind (bottoms replace the bottoms, anything else the top)."""
    top = find_garment(catalog, garment_name)
    bottoms = find_garment(catalog, bottoms_name) if bottoms_name else None
    if own is not None and own.category.is_bottom:
        bottoms = own
    elif own is not None:
        top = own
    return [garment for garment in (top, bottoms) if garment is not None]


PERSON_PHOTO = (
    "This photo shows a person. Please upload a photo of the garment alone: laid flat, on a "
    "hanger or on an invisible mannequin, in front of a plain background."
)
FACE_MIN_SCORE = 0.5  # face keypoints scoring this much show a person's face


def garment_from_upload(
    path: str | Path,
    category: Category | str | None = None,
    find_people: Callable[[np.ndarray], np.ndarray] | None = None,
) -> Garment:
    """A garment prepared from an uploaded photo (a shop photo or a cut-out); ``category``, if
    given, is the user's word for what it is. With ``find_people`` (an image -> keypoints
    (P, 17, 3) function, such as ``FittingEngine.find_people``), a photo that shows someone's
    face is refused: it is a person, not a garment to cut out."""
    if find_people is not None:
        people = find_people(read_photo(path))
        if any(has_face(keypoints, FACE_MIN_SCORE) for keypoints in people):
            raise GarmentError(PERSON_PHOTO)
    return Garment.from_image(Path(path), name=Path(path).stem, category=category or None)


@dataclass(frozen=True)
class GarmentUpload:
    """An uploaded garment photo as it was read, to show the user before they wear it."""

    garment: Garment
    preview: np.ndarray  # RGB: the cut-out with its outline and landmarks
    message: str | None  # a doubt about its type

    @property
    def category(self) -> Category:
        """What it was read as, or what the user said it is."""
        return self.garment.category


def read_garment_upload(
    path: str | Path,
    category: Category | str | None = None,
    find_people: Callable[[np.ndarray], np.ndarray] | None = None,
) -> GarmentUpload:
    """The garment in an uploaded photo, its type and a picture of how it was read.

    Raises GarmentError (with a message for the user) when the photo shows no usable garment
    (``find_people``: see garment_from_upload).
    """
    garment = garment_from_upload(path, category, find_people)
    picture = draw_garment(garment)
    message = None
    if garment.doubt:
        message = (
            f"Read as {garment.category.value}, but {garment.doubt}. If that is wrong, choose "
            "its type."
        )
    return GarmentUpload(garment, _fitted(picture), message)


def _fitted(picture: np.ndarray, long_side: int = PREVIEW_PX) -> np.ndarray:
    """``picture`` with its long side at most ``long_side``."""
    scale = min(1.0, long_side / max(picture.shape[:2]))
    if scale == 1.0:
        return picture
    return cv2.resize(picture, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def read_photo(path: str | Path) -> np.ndarray:
    """An uploaded photo of a person as (H, W, 3) RGB uint8, EXIF-rotated."""
    pixels = decode_image(read_source(Path(path)), long_side=PHOTO_LONG_SIDE_PX)
    return np.ascontiguousarray(pixels[..., :3])


def thumbnail(garment: Garment) -> np.ndarray:
    """The garment's RGBA picture with its long side at most THUMBNAIL_PX."""
    return _fitted(garment.rgba, THUMBNAIL_PX)


def caption(garment: Garment) -> str:
    """What a thumbnail says: the garment's name up to its colour (a catalog name reads
    "type, colour"; the picture shows the colour, the readout the whole name)."""
    return garment.name.partition(",")[0]
