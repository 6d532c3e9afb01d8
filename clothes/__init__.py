"""Garments for the live try-on: clean cut-outs with named landmarks.

    from clothes import Garment, GarmentPoint, Category, load_catalog, GarmentError

    garment = Garment.from_image(uploaded_bytes)    # a shop photo, or a cut-out with alpha
    garment.rgba                                    # (H, W, 4) uint8, long side <= 1024
    garment.landmarks[GarmentPoint.ARMPIT_LEFT]     # (x, y); LEFT/RIGHT are the wearer's
    garment.category                                # Category.SHORT_SLEEVE, ...
    catalog = load_catalog()                        # the shipped sample garments

Stages, one module each: decode (safe upload decoding), segment (cut-out), landmarks, garment
(the Garment type and its cache), catalog (the shipped samples). Scripts:
``python -m tools.make_catalog`` renders the samples, ``python -m tools.contact_sheet``
draws every garment with its outline and landmarks into out/.
"""

from .catalog import load_catalog
from .errors import GarmentError
from .garment import Garment
from .landmarks import Category, GarmentPoint

__all__ = ["Category", "Garment", "GarmentError", "GarmentPoint", "load_catalog"]
