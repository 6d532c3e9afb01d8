"""The names the garment package gives to what it finds: landmark points and garment types."""

from dataclasses import dataclass
from enum import Enum, IntEnum

import numpy as np


class GarmentPoint(IntEnum):
    """Rows of ``Garment.landmarks``. LEFT/RIGHT are the wearer's: image right is LEFT."""

    NECK_LEFT = 0  # where the neckline meets the shoulder line
    NECK_CENTER = 1  # lowest point of the front neckline, on the centre line
    NECK_RIGHT = 2
    SHOULDER_LEFT = 3  # outer end of the shoulder line, where the sleeve starts
    SHOULDER_RIGHT = 4
    ARMPIT_LEFT = 5  # where the sleeve's underside meets the side seam
    ARMPIT_RIGHT = 6
    SLEEVE_LEFT = 7  # centre of the cuff; sleeveless: middle of the armhole
    SLEEVE_RIGHT = 8
    HEM_LEFT = 9  # bottom corners of the body panel
    HEM_RIGHT = 10


class BottomPoint(IntEnum):
    """Rows of the landmarks of bottoms (see bottoms.py). LEFT/RIGHT are the wearer's."""

    WAIST_LEFT = 0  # ends of the waistband's top edge
    WAIST_RIGHT = 1
    CROTCH = 2  # where the legs meet (a skirt: the middle of its hem)
    HEM_LEFT_OUTER = 3  # the left leg's bottom corners (a skirt: its hem's corner, and middle)
    HEM_LEFT_INNER = 4
    HEM_RIGHT_INNER = 5
    HEM_RIGHT_OUTER = 6


class Category(str, Enum):
    """What a garment is: the tops and dresses worn on the torso, and bottoms on the legs."""

    SLEEVELESS = "sleeveless"
    SHORT_SLEEVE = "short-sleeve"
    LONG_SLEEVE = "long-sleeve"
    OUTERWEAR = "outerwear"
    DRESS = "dress"
    TROUSERS = "trousers"
    SHORTS = "shorts"
    SKIRT = "skirt"

    @property
    def is_bottom(self) -> bool:
        """Worn on the legs (trousers, shorts, a skirt), with a top."""
        return self in (Category.TROUSERS, Category.SHORTS, Category.SKIRT)

    @property
    def has_sleeves(self) -> bool:
        """Sure to have sleeves (short, long, or a hooded top's); a dress may or may not."""
        return self in (Category.SHORT_SLEEVE, Category.LONG_SLEEVE, Category.OUTERWEAR)

    @property
    def points(self) -> type[IntEnum]:
        """The names of its landmarks' rows: BottomPoint for bottoms, else GarmentPoint."""
        return BottomPoint if self.is_bottom else GarmentPoint


@dataclass(frozen=True)
class Landmarks:
    points: np.ndarray  # (N, 2) float32, (x, y) pixels, rows indexed by category.points
    cuff_widths: np.ndarray  # (2,) float32, [left, right]
    category: Category
    doubt: str | None = None  # why the category may be wrong, for the user; None when clear
