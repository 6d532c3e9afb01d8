"""Standing a garment photographed askew upright (clothes/upright.py): synthetic turns."""

import cv2
import numpy as np
import pytest
from synthetic import tshirt

from clothes import Category, Garment, GarmentPoint
from clothes.config import UPRIGHT
from clothes.upright import tilt, turn

P = GarmentPoint


def turned(rgba: np.ndarray, degrees: float, margin: int = 80) -> np.ndarray:
    """``rgba`` on a canvas ``margin`` px larger all round, turned by ``degrees``
    (counter-clockwise) about its centre."""
    rgba = cv2.copyMakeBorder(rgba, *[margin] * 4, cv2.BORDER_CONSTANT, value=0)
    h, w = rgba.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(rgba, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)


@pytest.mark.parametrize("degrees", [-7.0, -4.0, 3.0, 6.0])
def test_the_tilt_of_a_turned_garment_turns_it_back(degrees):
    assert tilt(turned(tshirt("long").rgba, degrees)[..., 3]) == pytest.approx(
        -degrees, abs=UPRIGHT.step_degrees
    )


@pytest.mark.parametrize("degrees", [0.0, 1.0, -1.0])
def test_a_garment_upright_or_nearly_is_left_as_it_is(degrees):
    assert tilt(turned(tshirt("short").rgba, degrees)[..., 3]) == 0.0


def test_turning_keeps_all_of_the_garment():
    rgba = tshirt("long").rgba  # its sleeves reach close to the canvas's edges
    rgb, alpha = turn(rgba[..., :3], rgba[..., 3], UPRIGHT.max_degrees)
    assert rgb.shape[:2] == alpha.shape
    assert alpha.sum(dtype=np.int64) == pytest.approx(rgba[..., 3].sum(dtype=np.int64), rel=0.005)


@pytest.mark.parametrize("degrees", [-5.0, 5.0])
def test_a_garment_photographed_askew_is_read_upright(degrees):
    upright = tshirt("long", color=(30, 120, 90))
    garment = Garment.from_image(turned(upright.rgba, degrees))
    assert garment.category == Category.LONG_SLEEVE
    p = garment.landmarks
    width = p[P.SHOULDER_LEFT, 0] - p[P.SHOULDER_RIGHT, 0]
    for left, right in ((P.SHOULDER_LEFT, P.SHOULDER_RIGHT), (P.HEM_LEFT, P.HEM_RIGHT)):
        assert abs(p[left, 1] - p[right, 1]) < 0.03 * width, (left.name, p[left], p[right])
    truth = upright.landmarks  # in the garment's own pixels, which are cropped differently
    assert width == pytest.approx(truth[P.SHOULDER_LEFT, 0] - truth[P.SHOULDER_RIGHT, 0], rel=0.05)
