"""Render the sample catalog: ``python -m tools.make_catalog``.

Draws every design in garment_designs.py and writes ``clothes/catalog/<slug>.png`` (RGBA) and
``<slug>.json`` (name, category, landmarks, cuff widths). The garments are drawn, so their
landmarks are known exactly from the drawing's geometry: those are stored, with the category the
design was made as. The script also runs the landmark detector on each rendering and reports how
far it lands from the exact points (tests/test_clothes_catalog.py holds it to that).
"""

import argparse
from pathlib import Path

import numpy as np

from clothes import Category, Garment
from clothes.catalog import CATALOG_DIR
from clothes.landmarks import find_landmarks

from .garment_designs import DESIGNS, Design, design_cuff_widths, design_landmarks, render


def make_garment(design: Design) -> Garment:
    """Render one design, with its exact landmarks (canvas coordinates) and category."""
    return Garment.from_cutout(
        design.name,
        design.category,
        render(design),
        design_landmarks(design),
        design_cuff_widths(design),
    )


def detector_error(garment: Garment) -> tuple[np.ndarray, Category]:
    """Distance (px) of each detected landmark from the stored exact one, and the detected
    category."""
    rgb = np.ascontiguousarray(garment.rgba[..., :3])
    found = find_landmarks(garment.rgba[..., 3], rgb)
    return np.linalg.norm(found.points - garment.landmarks, axis=1), found.category


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=CATALOG_DIR, help="folder to write into")
    args = parser.parse_args()
    for design in DESIGNS:
        garment = make_garment(design)
        png, _ = garment.to_files(args.out, stem=design.slug)
        error, category = detector_error(garment)
        print(
            f"{png}  {png.stat().st_size // 1024} KB  detector vs exact landmarks: "
            f"mean {error.mean():.1f} px, max {error.max():.1f} px; "
            f"category {category.value} (design: {design.category.value})"
        )


if __name__ == "__main__":
    main()
