"""Garments the type rules were not written on: the catalog's tops and dress drawn again.

    python -m tools.design_variants [--per-design 15] [--spread 0.15] [--seed 7]

Each of the catalog's top and dress designs (tools/garment_designs.py) is drawn again
``--per-design`` times, every measurement (neck, shoulders, armpits, body, hem, the sleeves'
length, angle and cuff) scaled by a random factor within ``--spread`` of 1, in a random
colour, on a white or light-grey backdrop; each drawing is prepared as an uploaded photo is
(``Garment.from_image``) and its type compared with the design's. Prints every drawing's
reading, the misread ones and a tally, and draws the misread ones with their landmarks into
``out/design_variants.png``. A drawing keeps its design's type unless the spread is so wide
that the design becomes another kind (a dress drawn much shorter is a long top).
"""

import argparse
import dataclasses
from collections import Counter
from pathlib import Path

import cv2
import numpy as np

from clothes import Garment, GarmentError
from tools.contact_sheet import garment_cell, sheet, tile
from tools.garment_designs import DESIGNS, Design, SleeveDesign, render

MEASURES = ("neck_y", "neck_half_width", "back_neck_depth", "front_neck_depth",
            "shoulder_half_width", "shoulder_drop", "armpit_y", "body_half_width", "hem_y",
            "hem_half_width")  # fmt: skip
LOWEST_HEM = 750  # canvas px: a hem drawn further down would leave the canvas
SLEEVE_ANGLES = (15.0, 80.0)  # degrees below the horizontal, from held out to hanging
BACKDROPS = (245, 232, 220)  # grey levels of the backdrop


def redrawn(design: Design, spread: float, rng: np.random.Generator) -> Design:
    """``design`` with every measurement scaled by a random factor within ``spread`` of 1."""

    def scaled(value: float) -> float:
        return float(value) * rng.uniform(1 - spread, 1 + spread)

    changes = {name: scaled(getattr(design, name)) for name in MEASURES}
    changes["hem_y"] = min(changes["hem_y"], LOWEST_HEM)
    if design.sleeve is not None:
        sleeve = design.sleeve
        angle = float(np.clip(scaled(sleeve.angle_deg), *SLEEVE_ANGLES))
        changes["sleeve"] = SleeveDesign(scaled(sleeve.length), angle, scaled(sleeve.cuff_width))
    changes["colour"] = tuple(int(c) for c in rng.integers(20, 236, 3))
    changes["seed"] = int(rng.integers(1000))
    return dataclasses.replace(design, **changes)


def as_photo(design: Design, backdrop: int) -> np.ndarray:
    """The design rendered on a plain backdrop of grey level ``backdrop`` (RGB)."""
    rgba = render(design)
    alpha = rgba[..., 3:].astype(np.float32) / 255
    return np.clip(rgba[..., :3] * alpha + backdrop * (1 - alpha), 0, 255).astype(np.uint8)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--per-design", type=int, default=15)
    parser.add_argument("--spread", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("out/design_variants.png"))
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    tally, cells = Counter(), []
    for design in DESIGNS:
        for i in range(args.per_design):
            photo = as_photo(redrawn(design, args.spread, rng), int(rng.choice(BACKDROPS)))
            name = f"{design.slug} #{i}"
            try:
                garment = Garment.from_image(photo, name=name)
            except GarmentError as error:
                garment, read, doubt = None, "refused", str(error)
            else:
                read, doubt = garment.category.value, garment.doubt
            if read == design.category.value:
                verdict = "as designed"
            elif garment is None:
                verdict = "refused"
                cells.append(tile(photo, name, f"refused: {doubt}"))
            else:
                verdict = "another type, with a doubt" if doubt else "another type, silently"
                cells.append(garment_cell(garment, name))
            tally[verdict] += 1
            print(f"{name:28} {design.category.value:13} -> {read:13} {verdict}"
                  f"{'  (' + doubt + ')' if doubt else ''}")  # fmt: skip
    print(f"\n{sum(tally.values())} drawings, spread {args.spread}: " +
          ", ".join(f"{n} {verdict}" for verdict, n in tally.most_common()))  # fmt: skip
    if cells:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(args.out), cv2.cvtColor(sheet(cells), cv2.COLOR_RGB2BGR))
        print(f"the misread drawings: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
