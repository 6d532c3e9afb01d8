"""The sample garments that ship with the project.

They are rendered by ``python -m tools.make_catalog`` (no photos: nothing with someone
else's licence ships) and stored as RGBA PNGs with their landmarks in JSON beside them, so
loading them decodes a few PNGs and runs no segmentation.

    garments = load_catalog()
"""

from functools import lru_cache
from pathlib import Path

from .garment import Garment

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"


def load_catalog() -> list[Garment]:
    """The shipped sample garments, in a fixed order (file name)."""
    return list(_load(CATALOG_DIR))


@lru_cache(maxsize=4)
def _load(folder: Path) -> tuple[Garment, ...]:
    pngs = sorted(folder.glob("*.png"))
    if not pngs:
        raise FileNotFoundError(f"no sample garments in {folder}; run python -m tools.make_catalog")
    return tuple(Garment.from_files(png) for png in pngs)
