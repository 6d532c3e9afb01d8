"""Garments the type rules were not written on: the catalog's designs drawn again.

    python -m tools.design_variants [--per-design 15] [--spread 0.15] [--seed 7] [--bottoms]
                                    [--out out/design_variants.png]

Each of the catalog's top and dress designs (tools/garment_designs.py), or with
``--bottoms`` its trousers, shorts and skirt (tools/bottom_designs.py), is drawn again
``--per-design`` times, every measurement (neck, shoulders, armpits, body, hem, the sleeves'
length, angle and cuff; the waist, hips, crotch and hems) scaled by a random factor within
``--spread`` of 1, in a random colour, on a white or light-grey backdrop; each drawing is
prepared as an uploaded photo is (``Garment.from_image``) and its type compared with the
design's; a drawing read as its type is also checked for landmarks put far from where the
design drew them (MISPLACED). Prints every drawing's reading, the misread ones and a tally,
and draws the misread and misplaced ones with their landmarks into ``--out``. A drawing
keeps its design's type unless the spread is so wide that the design becomes another kind (a
dress drawn much shorter is a long top; shorts drawn longer, trousers).
"""

import argparse
import dataclasses
from collections import Counter
from pathlib import Path

import cv2
import numpy as np

from clothes import Garment, GarmentError
from tools.bottom_designs import BOTTOM_DESIGNS, BottomDesign, render_bottoms
from tools.contact_sheet import garment_cell, sheet, tile
from tools.garment_designs import DESIGNS, Design, SleeveDesign, render
from tools.make_catalog import exact_landmarks

MEASURES = ("neck_y", "neck_half_width", "back_neck_depth", "front_neck_depth",
            "shoulder_half_width", "shoulder_drop", "armpit_y", "body_half_width", "hem_y",
            "hem_half_width")  # fmt: skip
# Bottoms: the widths, and the heights below the waistband's top edge
BOTTOM_MEASURES = ("waist_half_width", "waistband", "hip_half_width", "hem_outer", "hem_inner")
BOTTOM_DEPTHS = ("hip_y", "crotch_y", "hem_y")
LOWEST_HEM = 750  # canvas px: a hem drawn further down would leave the canvas
SLEEVE_ANGLES = (15.0, 80.0)  # degrees below the horizontal, from held out to hanging
BACKDROPS = (245, 232, 220)  # grey levels of the backdrop
MISPLACED = 0.1  # a landmark this far (x the garment's height) from where it was drawn
# (the catalog's readings lie within 0.05: tests/test_clothes_catalog.py)


def _scaler(spread: float, rng: np.random.Generator):
    """A function scaling a value by a random factor within ``spread`` of 1."""

    def scaled(value: float) -> float:
        return float(value) * rng.uniform(1 - spread, 1 + spread)

    return scaled


def _new_look(rng: np.random.Generator) -> dict:
    """A random colour, and a random seed for the drawing's folds and texture."""
    return {"colour": tuple(int(c) for c in rng.integers(20, 236, 3)),
            "seed": int(rng.integers(1000))}  # fmt: skip


def redrawn(design: Design, spread: float, rng: np.random.Generator) -> Design:
    """``design`` with every measurement scaled by a random factor within ``spread`` of 1."""
    scaled = _scaler(spread, rng)
    changes = {name: scaled(getattr(design, name)) for name in MEASURES}
    changes["hem_y"] = min(changes["hem_y"], LOWEST_HEM)
    if design.sleeve is not None:
        sleeve = design.sleeve
        angle = float(np.clip(scaled(sleeve.angle_deg), *SLEEVE_ANGLES))
        changes["sleeve"] = SleeveDesign(scaled(sleeve.length), angle, scaled(sleeve.cuff_width))
    return dataclasses.replace(design, **changes, **_new_look(rng))


def redrawn_bottoms(design: BottomDesign, spread: float, rng: np.random.Generator):
    """Bottoms' ``design`` with every width, and every height below the waistband's top edge,
    scaled by a random factor within ``spread`` of 1 (the hips kept above the crotch)."""
    scaled = _scaler(spread, rng)
    changes = {name: scaled(getattr(design, name)) for name in BOTTOM_MEASURES}
    for name in BOTTOM_DEPTHS:
        changes[name] = design.waist_y + scaled(getattr(design, name) - design.waist_y)
    changes["hem_y"] = min(changes["hem_y"], LOWEST_HEM)
    if design.crotch_y:
        changes["hip_y"] = min(changes["hip_y"], changes["crotch_y"])
    else:
        changes["crotch_y"] = 0.0
    return dataclasses.replace(design, **changes, **_new_look(rng))


def as_photo(design: Design | BottomDesign, backdrop: int) -> np.ndarray:
    """The design rendered on a plain backdrop of grey level ``backdrop`` (RGB)."""
    rgba = render_bottoms(design) if isinstance(design, BottomDesign) else render(design)
    alpha = rgba[..., 3:].astype(np.float32) / 255
    return np.clip(rgba[..., :3] * alpha + backdrop * (1 - alpha), 0, 255).astype(np.uint8)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--per-design", type=int, default=15)
    parser.add_argument("--spread", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--bottoms", action="store_true", help="the trousers, shorts and skirt")
    parser.add_argument("--out", type=Path, default=Path("out/design_variants.png"),
                        help="the sheet of misread and misplaced drawings, a .png")  # fmt: skip
    args = parser.parse_args(argv)
    if args.out.suffix.lower() != ".png":  # checked now, not after minutes of reading
        parser.error(f"--out names the .png file to draw the drawings into, not {args.out}")
    rng = np.random.default_rng(args.seed)
    designs, redraw = (BOTTOM_DESIGNS, redrawn_bottoms) if args.bottoms else (DESIGNS, redrawn)
    tally, cells = Counter(), []
    for design in designs:
        for i in range(args.per_design):
            drawn = redraw(design, args.spread, rng)
            photo = as_photo(drawn, int(rng.choice(BACKDROPS)))
            name = f"{design.slug} #{i}"
            try:
                garment = Garment.from_image(photo, name=name)
            except GarmentError as error:
                garment, read, doubt = None, "refused", str(error)
            else:
                read, doubt = garment.category.value, garment.doubt
            if read == design.category.value:
                verdict = "as designed"
                off = misplaced(drawn, photo, garment)
                if off:
                    where = ", ".join(f"{point} {error:.2f}" for point, error in off.items())
                    doubt = "; ".join(filter(None, (doubt, f"landmarks misplaced: {where}")))
                    verdict = "as designed, landmarks misplaced"
                    cells.append(garment_cell(garment, name))
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
        print(f"the misread and misplaced drawings: {args.out}")
    return 0


def misplaced(design: Design | BottomDesign, photo: np.ndarray, garment: Garment) -> dict:
    """{landmark name: distance} for each of the reading's landmarks further than MISPLACED of
    the garment's height from where ``design`` drew it on ``photo``. The cut-out is cropped
    (and may be scaled): both are placed by the garment's bounding box."""
    drawn = np.any(photo != photo[0, 0], axis=2)  # the backdrop is plain
    x0, y0, _, h0 = cv2.boundingRect(drawn.astype(np.uint8))
    x1, y1, _, h1 = cv2.boundingRect(garment.mask.astype(np.uint8))
    found = (garment.landmarks - (x1, y1)) * (h0 / h1) + (x0, y0)
    errors = np.linalg.norm(found - exact_landmarks(design)[0], axis=1) / h0
    return {point.name: float(errors[point]) for point in design.category.points
            if errors[point] > MISPLACED}  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
