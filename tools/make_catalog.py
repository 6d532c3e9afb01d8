"""Render the sample catalog: ``python -m tools.make_catalog``.

Draws every design in garment_designs.py (tops and a dress) and bottom_designs.py (trousers,
shorts, a skirt) and writes ``clothes/catalog/<slug>.png`` (RGBA) and
``<slug>.json`` (name, category, landmarks, cuff widths). The garments are drawn, so their
landmarks are known exactly from the drawing's geometry: those are stored, with the category the
design was made as. The script also runs the landmark detector on each rendering and reports how
far it lands from the exact points (tests/test_clothes_catalog.py holds it to that).
"""

import argparse
from pathlib import Path

import numpy as np

from clothes import Garment
from clothes.catalog import CATALOG_DIR
from clothes.garment import read_landmarks
from clothes.types import Landmarks

from .bottom_designs import BOTTOM_DESIGNS, BottomDesign, bottom_design_landmarks, render_bottoms
from .garment_designs import DESIGNS, Design, design_cuff_widths, design_landmarks, render

ALL_DESIGNS = DESIGNS + BOTTOM_DESIGNS  # the catalog's order is their slugs'


def exact_landmarks(design: Design | BottomDesign) -> tuple[np.ndarray, np.ndarray]:
    """(landmarks, cuff widths) the design was drawn from; bottoms have no cuffs (zeros)."""
    if isinstance(design, BottomDesign):
        return bottom_design_landmarks(design), np.zeros(2, np.float32)
    return design_landmarks(design), design_cuff_widths(design)


def make_garment(design: Design | BottomDesign) -> Garment:
    """Render one design, with its exact landmarks (canvas coordinates) and category."""
    rgba = render_bottoms(design) if isinstance(design, BottomDesign) else render(design)
    return Garment.from_cutout(design.name, design.category, rgba, *exact_landmarks(design))


def detector_error(garment: Garment) -> tuple[np.ndarray, Landmarks]:
    """Distance (px) of each detected landmark from the stored exact one, and what the
    detector read (its category, doubt and points)."""
    rgb = np.ascontiguousarray(garment.rgba[..., :3])
    found = read_landmarks(garment.rgba[..., 3], rgb)
    if found.points.shape != garment.landmarks.shape:  # read as the other kind of garment
        return np.full(len(garment.landmarks), np.inf), found
    return np.linalg.norm(found.points - garment.landmarks, axis=1), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=CATALOG_DIR, help="folder to write into")
    args = parser.parse_args()
    for design in ALL_DESIGNS:
        garment = make_garment(design)
        png, _ = garment.to_files(args.out, stem=design.slug)
        error, found = detector_error(garment)
        print(
            f"{png}  {png.stat().st_size // 1024} KB  detector vs exact landmarks: "
            f"mean {error.mean():.1f} px, max {error.max():.1f} px; "
            f"category {found.category.value} (design: {design.category.value})"
        )


if __name__ == "__main__":
    main()
