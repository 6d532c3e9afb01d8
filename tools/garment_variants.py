"""Does a garment's type hold when its photo changes a little? Each photo is read as shot and
as ten variants a shop or a user might produce of it, and every variant whose type differs
is printed, with its doubt (garment.doubt) if it has one.

    python -m tools.garment_variants ../shared/data/garments/*     # about 4 minutes here

No labels are needed: the variants are compared with the photo as shot (whose type
tools.contact_sheet checks against a folder's labels.json).
"""

import argparse
from pathlib import Path

import cv2
import numpy as np

from clothes import Garment, GarmentError
from clothes.segment import cut_out
from tools.contact_sheet import PHOTO_SUFFIXES


def turned(rgb: np.ndarray, degrees: float) -> np.ndarray:
    """Turned about its centre; the corners filled with the background at the edge."""
    h, w = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(rgb, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)


def jpeg(rgb: np.ndarray, quality: int = 60) -> np.ndarray:
    _, data = cv2.imencode(".jpg", rgb[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(data, cv2.IMREAD_COLOR)[..., ::-1]


def padded(rgb: np.ndarray, share: float = 0.15) -> np.ndarray:
    """More background all round (``share`` of the long side), as a wider shot has."""
    px = round(share * max(rgb.shape[:2]))
    return cv2.copyMakeBorder(rgb, px, px, px, px, cv2.BORDER_REPLICATE)


def lit(rgb: np.ndarray, light: np.ndarray) -> np.ndarray:
    """``rgb`` times a light falloff ``light`` (h, w)."""
    return np.clip(rgb * light[..., None], 0, 255).astype(np.uint8)


def falloff(h: int, w: int) -> np.ndarray:
    """Light a fifth dimmer at the top than at the bottom."""
    return np.repeat(np.linspace(0.8, 1.0, h, dtype=np.float32)[:, None], w, axis=1)


def vignette(h: int, w: int) -> np.ndarray:
    """Light a fifth dimmer in the corners than in the middle."""
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    return 1.0 - 0.1 * (((xs - w / 2) / (w / 2)) ** 2 + ((ys - h / 2) / (h / 2)) ** 2)


def on_a_hanger(image: np.ndarray, alpha: np.ndarray | None = None) -> np.ndarray:
    """The garment in ``image`` (RGB, or RGBA: then its alpha is the garment) hanging from a
    dark hanger's hook, standing up from the middle of its top edge, a fifteenth of its width
    across and 1.5 times that high; ``alpha``: the garment's matte in an RGB photo (else
    clothes.segment.cut_out finds it)."""
    if alpha is None:
        alpha = image[..., 3] if image.shape[2] == 4 else cut_out(np.ascontiguousarray(image))
    ys, xs = np.nonzero(alpha >= 128)
    middle, width = (xs.min() + xs.max()) // 2, xs.max() - xs.min()
    top = int(np.argmax(alpha[:, middle] >= 128))
    r, thick = width // 30, max(2, width // 80)
    hooked = np.ascontiguousarray(image.copy())
    colour = (70, 70, 75, 255)[: image.shape[2]]
    cv2.line(hooked, (middle, top + 2), (middle, top - 3 * r), colour, thick, cv2.LINE_AA)
    cv2.ellipse(hooked, (middle + r, top - 3 * r), (r, r), 0, 180, 360, colour, thick, cv2.LINE_AA)
    return hooked


VARIANTS = {
    "mirrored": lambda rgb: rgb[:, ::-1],
    "half size": lambda rgb: cv2.resize(rgb, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA),
    "turned +4 deg": lambda rgb: turned(rgb, 4.0),
    "turned -4 deg": lambda rgb: turned(rgb, -4.0),
    "more background": padded,
    "JPEG quality 60": jpeg,
    "dimmed 20%": lambda rgb: (rgb * 0.8).astype(np.uint8),
    "lit from below": lambda rgb: lit(rgb, falloff(*rgb.shape[:2])),
    "vignetted": lambda rgb: lit(rgb, vignette(*rgb.shape[:2])),
    "on a hanger": on_a_hanger,
}


def read(rgb: np.ndarray) -> tuple[str, str | None]:
    """The type a photo reads as ("refused" when it is), and its doubt."""
    try:
        garment = Garment.from_image(np.ascontiguousarray(rgb))
    except GarmentError:
        return "refused", None
    return garment.category.value, garment.doubt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path, help="folders of garment photos")
    args = parser.parse_args()
    photos = sorted(p for f in args.folders for p in f.iterdir() if p.suffix in PHOTO_SUFFIXES)
    changed = silent = 0
    for photo in photos:
        rgb = cv2.cvtColor(cv2.imread(str(photo)), cv2.COLOR_BGR2RGB)
        shot, _ = read(rgb)
        for name, variant in VARIANTS.items():
            kind, doubt = read(variant(rgb))
            if kind != shot:
                changed += 1
                silent += doubt is None and kind != "refused"
                said = "refused" if kind == "refused" else f"doubt: {doubt}" if doubt else "SILENT"
                print(f"{photo.parent.name}/{photo.name}: {shot} -> {kind} {name} ({said})")
    total = len(photos) * len(VARIANTS)
    print(f"{len(photos)} photos, {total} variants: {total - changed} read as the photo as shot,"
          f" {changed} not ({silent} of them without a doubt or a refusal)")  # fmt: skip


if __name__ == "__main__":
    main()
