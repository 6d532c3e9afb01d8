"""Contact sheets: every garment with its mask outline and landmarks.

    python -m tools.contact_sheet                      # the shipped catalog -> out/catalog.png
    python -m tools.contact_sheet ../shared/data/garments/tops_*   # photos -> out/photos.png

Photos are prepared exactly as uploads are (Garment.from_image); a photo that fails shows its
error message instead. Orange marks the wearer's left, cyan the right; circles are the cuffs.
"""

import argparse
import time
from pathlib import Path

import cv2
import numpy as np

from clothes import Garment, GarmentError, load_catalog

from .landmark_drawing import draw_landmarks

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
    picture = draw_landmarks(garment.rgba, garment.landmarks, garment.cuff_widths)
    timing = f", {seconds * 1000:.0f} ms" if seconds is not None else ""
    return tile(picture, label, f"{garment.category.value}{timing}")


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
        cells = []
        for photo in sorted(p for folder in args.folders for p in folder.iterdir() if p.is_file()):
            start = time.perf_counter()
            try:
                garment = Garment.from_image(photo)
            except GarmentError as error:
                cells.append(tile(None, photo.name, f"refused: {error}"))
                print(f"{photo}: refused: {error}")
                continue
            cells.append(garment_cell(garment, photo.name, time.perf_counter() - start))
        path = args.out / "photos.png"
    cv2.imwrite(str(path), cv2.cvtColor(sheet(cells), cv2.COLOR_RGB2BGR))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
