"""The shipped sample catalog: loads fast, covers the categories, matches its drawings."""

import time

import numpy as np

from clothes import Category, load_catalog
from clothes.catalog import CATALOG_DIR
from clothes.render import CANVAS_PX, DESIGNS, design_landmarks


def test_catalog_loads_fast_and_covers_the_categories():
    start = time.perf_counter()
    garments = load_catalog()
    assert time.perf_counter() - start < 2.0
    assert len(garments) >= 4
    categories = {g.category for g in garments}
    assert {
        Category.SLEEVELESS,
        Category.SHORT_SLEEVE,
        Category.LONG_SLEEVE,
        Category.OUTERWEAR,
    } <= categories
    for garment in garments:
        assert garment.rgba.dtype == np.uint8 and garment.rgba.shape[2] == 4
        assert max(garment.rgba.shape[:2]) <= 1024
        assert garment.landmarks.shape == (11, 2) and garment.cuff_widths.shape == (2,)
        assert 0.05 < np.count_nonzero(garment.mask) / garment.mask.size < 0.9
    assert len({g.key for g in garments}) == len(garments)


def test_shipped_files_are_small():
    for png in CATALOG_DIR.glob("*.png"):
        assert png.stat().st_size < 400 * 1024, png


def test_catalog_landmarks_match_the_drawings():
    """The stored landmarks come from the detector; the drawing knows where they should be."""
    by_name = {g.name: g for g in load_catalog()}
    for design in DESIGNS:
        garment = by_name[design.name]
        assert garment.category == design.category
        error = np.linalg.norm(garment.landmarks - design_landmarks(design), axis=1)
        assert error.mean() <= 0.04 * CANVAS_PX, (design.slug, error.round(0))
        assert error.max() <= 0.125 * CANVAS_PX, (design.slug, error.round(0))
