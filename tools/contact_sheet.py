"""Contact sheets: every garment with its mask outline, landmarks and type.

    python -m tools.contact_sheet                      # the shipped catalog -> out/catalog.png
    python -m tools.contact_sheet ../shared/data/garments/*   # photos -> out/photos.png

Photos are prepared exactly as uploads are (Garment.from_image), each drawn with its own
landmarks (bottoms: waistband, crotch, hems), a photo that fails with its error message.
Orange marks the wearer's left, cyan the right; circles are the cuffs. Where a folder has a
labels.json ({"types": {file: type}}), each photo's type is checked against it, and the tally
per type is printed.
"""

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import cv2
import numpy as np

from clothes import Garment, GarmentError, load_catalog
from clothes.preview import draw_garment

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
TILE_PX = 360
LABEL_PX = 34
COLUMNS = 6


def tile(picture: np.ndarray | None, label: str, detail: str) -> np.ndarray:
    """One cell: the picture fitted into a square, two lines of text under it (RGB)."""
    cell = np.full((TILE_PX + LABEL_PX, TILE_PX, 3), 28, np.uint8)
    if picture is not None:
        scale = TILE_PX / max(picture.shape[:2])
        small = cv2.resize(picture, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        top, left = (TILE_PX - small.shape[0]) // 2, (TILE_PX - small.shape[1]) // 2
        cell[top : top + small.shape[0], left : left + small.shape[1]] = small
    font = cv2.FONT_HERSHEY_SIMPLEX
    cv2.putText(cell, label[:44], (4, TILE_PX + 14), font, 0.42, (255, 255, 255), 1, cv2.LINE_AA)
    cv2.putText(cell, detail[:52], (4, TILE_PX + 29), font, 0.38, (200, 200, 120), 1, cv2.LINE_AA)
    return cell


def sheet(cells: list[np.ndarray]) -> np.ndarray:
    blank = np.zeros_like(cells[0])
    cells = cells + [blank] * (-len(cells) % COLUMNS)
    rows = [np.hstack(cells[i : i + COLUMNS]) for i in range(0, len(cells), COLUMNS)]
    return np.vstack(rows)


def garment_cell(garment: Garment, label: str, seconds: float | None = None) -> np.ndarray:
    picture = draw_garment(garment)
    timing = f", {seconds * 1000:.0f} ms" if seconds is not None else ""
    return tile(picture, label, f"{garment.category.value}{timing}")


def photo_cell(photo: Path, expected: str | None) -> tuple[np.ndarray, str]:
    """The cell of one photo, and the type it was read as ("refused" if it failed)."""
    start = time.perf_counter()
    try:
        garment = Garment.from_image(photo)
    except GarmentError as error:
        print(f"{photo}: refused: {error}")
        return tile(None, photo.name, f"refused: {error}"), "refused"
    read, picture = garment.category.value, draw_garment(garment)
    milliseconds = (time.perf_counter() - start) * 1000
    verdict = "" if expected is None else (" right" if read == expected else f" WRONG: {expected}")
    return tile(picture, photo.name, f"{read}{verdict}, {milliseconds:.0f} ms"), read


def labels_of(folder: Path) -> dict[str, str]:
    """A folder's labels.json types, with "short-sleeve top" read as "short-sleeve"."""
    path = folder / "labels.json"
    if not path.is_file():
        return {}
    types = json.loads(path.read_text())["types"]
    return {name: kind.removesuffix(" top") for name, kind in types.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="folders of garment photos")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder to write into")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.folders:
        cells = [garment_cell(g, g.name) for g in load_catalog()]
        path = args.out / "catalog.png"
    else:
        cells, tally = [], Counter()
        for folder in args.folders:
            labels = labels_of(folder)
            for photo in sorted(p for p in folder.iterdir() if p.suffix in PHOTO_SUFFIXES):
                expected = labels.get(photo.name)
                cell, read = photo_cell(photo, expected)
                cells.append(cell)
                if expected is not None:
                    tally[expected, read == expected] += 1
        for kind in sorted({kind for kind, _ in tally}):
            right, total = tally[kind, True], tally[kind, True] + tally[kind, False]
            print(f"{kind}: {right} of {total} photos read right")
        path = args.out / "photos.png"
    cv2.imwrite(str(path), cv2.cvtColor(sheet(cells), cv2.COLOR_RGB2BGR))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
