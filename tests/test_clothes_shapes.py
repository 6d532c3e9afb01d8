"""Geometry on outlines and masks (clothes/shapes.py, clothes/silhouette.py), drawn here."""

import cv2
import numpy as np

from clothes.config import LANDMARKS
from clothes.shapes import knee_of, off_chord
from clothes.silhouette import opened_sleeve_gaps


def test_a_straight_path_is_on_its_chord():
    path = np.stack([np.linspace(10, 40, 31), np.linspace(0, 300, 31)], axis=1)
    np.testing.assert_allclose(off_chord(path), 0.0, atol=1e-9)


def test_a_corner_lies_off_the_chord_by_its_distance_outward():
    """A strap from (0, 0) down to an armpit at (30, 40), then a side straight down to (30,
    100): the armpit lies off the chord (0, 0)-(30, 100) outward, by 30 * 60 / |(30, 100)|."""
    strap = np.stack([np.linspace(0, 30, 31), np.linspace(0, 40, 31)], axis=1)
    side = np.stack([np.full(60, 30.0), np.linspace(41, 100, 60)], axis=1)
    path = np.concatenate([strap, side])
    index, distance = knee_of(path)
    assert index == 30
    assert distance > 0  # outward, towards larger u
    np.testing.assert_allclose(distance, 30 * 60 / np.hypot(30, 100), rtol=1e-6)
    np.testing.assert_allclose(np.abs(off_chord(path)).max(), distance, rtol=1e-6)


def test_a_path_too_short_for_a_chord_is_on_it():
    assert off_chord(np.array([[5.0, 5.0], [5.0, 5.0]])).tolist() == [0.0, 0.0]
    assert knee_of(np.array([[1.0, 2.0]])) == (0, 0.0)
    assert knee_of(np.zeros((0, 2))) == (0, 0.0)


def _enclosed(mask: np.ndarray, point) -> bool:
    """Whether the background pixel ``point`` (x, y) is cut off from the image's border."""
    _, labels = cv2.connectedComponents((~mask).astype(np.uint8), connectivity=4)
    return labels[point[1], point[0]] != labels[0, 0]


def test_a_sleeve_gap_closed_off_at_the_cuff_is_opened_and_other_holes_are_not():
    """A body 300 rows tall with four holes: a slit beside its side closed off 4 px from the
    outside (a hanging sleeve's gap, sealed where the cuff rests on the body) is opened; a
    keyhole at the neck (too high), a round hole (not a slit) and a slit in the middle (far
    from the outside) stay closed."""
    mask = np.zeros((360, 240), bool)
    mask[20:320, 40:200] = True
    holes = {
        "gap": ((44, 150), (49, 300)),  # x 44-49 beside the left side (outside from x 39)
        "keyhole": ((115, 30), (120, 90)),
        "round": ((100, 150), (130, 180)),
        "middle slit": ((150, 150), (155, 300)),
    }
    for (x0, y0), (x1, y1) in holes.values():
        mask[y0 : y1 + 1, x0 : x1 + 1] = False
    opened = opened_sleeve_gaps(mask, LANDMARKS)
    assert not _enclosed(opened, holes["gap"][0])
    for name in ("keyhole", "round", "middle slit"):
        assert _enclosed(opened, holes[name][0]), name
    assert (mask & ~opened).sum() < 30  # a cut a few pixels long, nothing more
