"""Render the sample catalog: ``python -m clothes.make_catalog``.

Draws every design in render.py, finds its landmarks with the same detector that prepares
uploads (so the catalog exercises it), and writes ``clothes/catalog/<slug>.png`` (RGBA) and
``<slug>.json`` (name, category, landmarks). The category stored is the design's own; the
script says so if the detector would have called it differently.
"""

import argparse
from pathlib import Path

import numpy as np

from .catalog import CATALOG_DIR
from .garment import Garment, _clean_edge_colours, _make
from .landmarks import find_landmarks
from .render import DESIGNS, Design, design_landmarks, render


def make_garment(design: Design) -> Garment:
    """Render one design and find its landmarks on the rendering (canvas coordinates)."""
    rgba = render(design)
    rgb, alpha = np.ascontiguousarray(rgba[..., :3]), rgba[..., 3]
    found = find_landmarks(alpha, rgb)
    if found.category != design.category:
        print(
            f"  note: the detector calls {design.slug} {found.category.value}, "
            f"the design says {design.category.value}; keeping the design's"
        )
    cleaned = np.dstack([_clean_edge_colours(rgb, alpha), alpha])
    return _make(design.name, design.category, cleaned, found.points, found.cuff_widths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=CATALOG_DIR, help="folder to write into")
    args = parser.parse_args()
    for design in DESIGNS:
        garment = make_garment(design)
        png, _ = garment.to_files(args.out, stem=design.slug)
        error = np.linalg.norm(garment.landmarks - design_landmarks(design), axis=1)
        print(
            f"{png}  {png.stat().st_size // 1024} KB  landmark error vs drawing: "
            f"mean {error.mean():.1f} px, max {error.max():.1f} px"
        )


if __name__ == "__main__":
    main()
