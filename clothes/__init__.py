"""Garments for the live try-on: clean cut-outs with named landmarks.

    from clothes import Garment, GarmentPoint, Category, load_catalog, GarmentError

    garment = Garment.from_image(uploaded_bytes)    # a shop photo, or a cut-out with alpha
    garment.rgba                                    # (H, W, 4) uint8, long side <= 1024
    garment.landmarks[GarmentPoint.ARMPIT_LEFT]     # (x, y); LEFT/RIGHT are the wearer's
    garment.category                                # Category.SHORT_SLEEVE, ...
    garment.doubt                                   # None, or why the category may be wrong
    Garment.from_image(photo, category="long-sleeve")  # the user's word over the photo's
    # bottoms (trousers, shorts, skirts): garment.landmarks[BottomPoint.CROTCH], ...
    catalog = load_catalog()                        # the shipped sample garments

Stages: decode (safe upload decoding), segment (cut-out), upright (a garment shot askew
turned upright), kind (bottoms told from tops, with their landmarks from bottoms), landmarks
(named points and type of tops and dresses, read in silhouette, sides, sleeves and photo),
garment (the Garment type and its cache), catalog (the shipped samples); types holds the names
(GarmentPoint, BottomPoint, Category) and preview draws a garment as it was read. The tools
``python -m tools.make_catalog`` (draws the samples), ``python -m tools.contact_sheet`` (every
garment with its outline, landmarks and type) and ``python -m tools.garment_variants`` (types
of photos changed a little) live outside the package.
"""

from .catalog import load_catalog
from .errors import GarmentError
from .garment import Garment
from .types import BottomPoint, Category, GarmentPoint

__all__ = [
    "BottomPoint",
    "Category",
    "Garment",
    "GarmentError",
    "GarmentPoint",
    "load_catalog",
]
