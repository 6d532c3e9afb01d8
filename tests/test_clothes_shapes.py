"""Geometry on outlines (clothes/shapes.py), on paths drawn here."""

import numpy as np

from clothes.shapes import knee_of, off_chord


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
