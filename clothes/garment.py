"""A garment ready for fitting: a clean cut-out with named landmarks.

Preparing one (decoding, cutting out, finding landmarks) is done once per garment, never per
frame, and is cached by the content hash of the source, so choosing the same garment again is
instant.

    garment = Garment.from_image("tshirt.jpg")            # or bytes, a PIL image, an RGB(A) array
    garment.rgba                                          # (H, W, 4) uint8, alpha = the garment
    garment.landmarks[GarmentPoint.SHOULDER_LEFT]         # (x, y) in garment.rgba
    garment.to_files("some/folder")                       # PNG + JSON, read by from_files
"""

import dataclasses
import hashlib
import json
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from .config import GARMENT, LANDMARKS, GarmentConfig
from .decode import decode_image, read_source
from .errors import GarmentError
from .kind import read_bottoms
from .landmarks import find_landmarks
from .segment import NO_GARMENT, alpha_from_transparency, cut_out
from .shapes import disk, largest_component
from .silhouette import hanger_hook
from .types import Category, Landmarks
from .upright import tilt, turn

FILE_FORMAT = 1  # version of the JSON written by Garment.to_files


@dataclass(frozen=True, eq=False)
class Garment:
    """A prepared garment. Arrays are read-only; compare garments by ``key``."""

    name: str
    category: Category
    rgba: np.ndarray  # (H, W, 4) uint8: straight (not premultiplied) RGB, alpha = the garment
    landmarks: np.ndarray  # (N, 2) float32, (x, y) pixels in rgba, rows indexed by
    # GarmentPoint, or BottomPoint for bottoms (category.is_bottom)
    cuff_widths: np.ndarray  # (2,) float32, [left, right] cuff width (sleeveless: armhole
    # length; bottoms: 0)
    key: str  # content hash of the prepared garment (pixels, landmarks, category)
    doubt: str | None = None  # why its category may be wrong (say so to the user); None if clear

    @classmethod
    def from_image(
        cls, source, name: str | None = None, category: Category | str | None = None
    ) -> "Garment":
        """Prepare a garment from a shop photo or a cut-out with transparency.

        ``source`` is a file path, the file's bytes, a PIL image or an RGB/RGBA uint8 array.
        ``category`` is what the garment is, when the user knows better than the photo's
        reading (its landmarks are still found in the photo). Raises GarmentError, whose message
        tells the user what to do, if it cannot be used.
        """
        if name is None:
            name = Path(source).stem if isinstance(source, str | Path) else "garment"
        category = None if category is None else _category(category)
        raw = read_source(source)
        if not isinstance(raw, bytes):
            raw = decode_image(raw)  # checks the size before hashing the pixels
        source_hash = _hash_source(raw) + (f":{category.value}" if category else "")
        with _CACHE_LOCK:
            cached = _CACHE.get(source_hash)
            if cached is not None:
                _CACHE.move_to_end(source_hash)
        if cached is None:
            cached = _prepare(raw, GARMENT, category)
            with _CACHE_LOCK:
                _CACHE[source_hash] = cached
                while len(_CACHE) > GARMENT.cache_size:
                    _CACHE.popitem(last=False)
        return dataclasses.replace(cached, name=name)

    @classmethod
    def from_cutout(
        cls,
        name: str,
        category: Category,
        rgba: np.ndarray,
        landmarks: np.ndarray,
        cuff_widths: np.ndarray,
    ) -> "Garment":
        """A garment whose landmarks are known already (a drawn one, say): ``rgba`` (H, W, 4)
        uint8 with the garment in its alpha, ``landmarks`` (N, 2) rows indexed by
        ``category.points``, ``cuff_widths`` (2,) [left, right] (bottoms: zeros)."""
        rgb, alpha = np.ascontiguousarray(rgba[..., :3]), rgba[..., 3]
        cleaned = np.dstack([_clean_edge_colours(rgb, alpha), alpha])
        return _make(name, category, cleaned, landmarks, cuff_widths)

    @property
    def mask(self) -> np.ndarray:
        """(H, W) bool: where the garment is (alpha at least half)."""
        return self.rgba[..., 3] >= 128

    def to_files(self, folder: str | Path, stem: str | None = None) -> tuple[Path, Path]:
        """Write ``<stem>.png`` (the RGBA cut-out) and ``<stem>.json`` (the rest)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        stem = stem or _slug(self.name)
        png, meta = folder / f"{stem}.png", folder / f"{stem}.json"
        Image.fromarray(self.rgba, "RGBA").save(png, optimize=True)
        metadata = {
            "format": FILE_FORMAT,
            "name": self.name,
            "category": self.category.value,
            "landmarks": {
                point.name: [float(v) for v in self.landmarks[point]]
                for point in self.category.points
            },
            "cuff_widths": [float(v) for v in self.cuff_widths],
        }
        meta.write_text(json.dumps(metadata, indent=2) + "\n")
        return png, meta

    @classmethod
    def from_files(cls, png: str | Path) -> "Garment":
        """Read a garment written by ``to_files`` (the PNG's path; the JSON sits beside it)."""
        png = Path(png)
        metadata = json.loads(png.with_suffix(".json").read_text())
        if metadata.get("format") != FILE_FORMAT:
            raise ValueError(
                f"{png.with_suffix('.json')}: unknown garment file format {metadata.get('format')}"
            )
        rgba = np.asarray(Image.open(png).convert("RGBA"), dtype=np.uint8)
        category = Category(metadata["category"])
        landmarks = np.array(
            [metadata["landmarks"][point.name] for point in category.points], np.float32
        )
        cuff_widths = np.array(metadata["cuff_widths"], np.float32)
        return _make(metadata["name"], category, rgba, landmarks, cuff_widths)


def _make(
    name: str,
    category: Category,
    rgba: np.ndarray,
    landmarks: np.ndarray,
    cuff_widths: np.ndarray,
    doubt: str | None = None,
) -> Garment:
    """A Garment with read-only arrays and its content key."""
    rgba = np.ascontiguousarray(rgba, dtype=np.uint8)
    landmarks = np.ascontiguousarray(landmarks, dtype=np.float32)
    cuff_widths = np.ascontiguousarray(cuff_widths, dtype=np.float32)
    digest = hashlib.sha256()
    for part in (np.array(rgba.shape, np.int64), rgba, landmarks, cuff_widths):
        digest.update(part.tobytes())
    digest.update(category.value.encode())
    for array in (rgba, landmarks, cuff_widths):
        array.flags.writeable = False
    return Garment(name, category, rgba, landmarks, cuff_widths, digest.hexdigest()[:16], doubt)


def _prepare(raw: bytes | np.ndarray, cfg: GarmentConfig, category: Category | None) -> Garment:
    """Decode, cut out (without a hanger's hook), crop, stand upright, tell bottoms from tops,
    find landmarks: the whole preparation of one garment; ``category``, if given, is taken
    over what the photo says."""
    pixels = decode_image(raw, long_side=cfg.max_long_side_px)
    height, width = pixels.shape[:2]
    scale = min(1.0, cfg.max_long_side_px / max(height, width))
    if scale < 1.0:
        pixels = cv2.resize(pixels, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    rgb = np.ascontiguousarray(pixels[..., :3])
    alpha = alpha_from_transparency(pixels)
    if alpha is None:
        alpha = cut_out(rgb)
    elif np.count_nonzero(alpha >= 128) < cfg.min_garment_px:
        raise GarmentError(NO_GARMENT)
    rgb, alpha = _crop(rgb, _without_hook(alpha), cfg)
    if degrees := tilt(alpha):  # askew: read it upright
        rgb, alpha = _crop(*turn(rgb, alpha, degrees), cfg)
    rgba = np.dstack([_clean_edge_colours(rgb, alpha), alpha])
    found = read_landmarks(alpha, rgb, category)
    return _make("garment", found.category, rgba, found.points, found.cuff_widths, found.doubt)


# A garment read one way round and mirrored should be read alike: where the two readings
# differ, the reading rests on a detail one pixel can tip (on the shared photos, a long tank
# top's curved hem read as the cuff of a sleeve lying on its body, making it a dress mirrored).
MIRROR_DISAGREES = "the same photo mirrored reads as {category}"
MIRROR_UNREADABLE = "the same photo mirrored could not be read"


# Nor should it hang on where the pixel grid falls. On the shared photos, the cut-out moved by
# one to three pixels moved a landmark of 11 of the 46 by more than 5% of its size (a
# shoulder seam along a dropped shoulder's curve, an armpit up a sleeve's slit, a cuff to the
# hem) and read two as another type (a long-sleeved top as sleeveless, a tank top as a dress):
# each photo is read on a few grids (GarmentConfig.grid_shifts_px) and the readings pooled.
GRID_DISAGREES = "the same photo moved by a pixel reads as {category}"


def read_landmarks(
    alpha: np.ndarray, rgb: np.ndarray, category: Category | None = None
) -> Landmarks:
    """What the garment in ``alpha`` (its matte) and ``rgb`` is and where its landmarks are:
    bottoms read by kind.py, tops and dresses by landmarks.py, on a few pixel grids
    (_read_pooled). ``category``, if given, is taken over what the photo says (and then there
    is no doubt). Otherwise the photo is also read mirrored, and a different category there,
    or none, is a doubt (MIRROR_DISAGREES, MIRROR_UNREADABLE)."""
    found = _read_pooled(alpha, rgb, category)
    if category is not None:
        return found
    try:
        mirrored = _read_pooled(
            np.ascontiguousarray(alpha[:, ::-1]), np.ascontiguousarray(rgb[:, ::-1])
        )
    except GarmentError:
        doubt = MIRROR_UNREADABLE
    else:
        if mirrored.category == found.category:
            return found
        doubt = MIRROR_DISAGREES.format(category=mirrored.category.value)
    return dataclasses.replace(found, doubt="; ".join(filter(None, [found.doubt, doubt])))


def _read_pooled(
    alpha: np.ndarray,
    rgb: np.ndarray,
    category: Category | None = None,
    cfg: GarmentConfig = GARMENT,
) -> Landmarks:
    """The garment read with its cut-out moved down and right by each of cfg.grid_shifts_px
    pixels, pooled: of the readings that give the category most of them give (the first
    reading's on a tie), the one whose landmarks lie nearest the others', with a doubt
    (GRID_DISAGREES) where a reading gave another category. Raises the first reading's
    GarmentError when none can be read."""
    readings, errors = [], []
    for shift in cfg.grid_shifts_px:
        moved = (cv2.copyMakeBorder(image, shift, 0, shift, 0, cv2.BORDER_CONSTANT, value=0)
                 for image in (alpha, rgb))  # fmt: skip
        try:
            found = _read(*moved, category)
        except GarmentError as error:
            errors.append(error)
            continue
        readings.append(dataclasses.replace(found, points=found.points - shift))
    if not readings:
        raise errors[0]
    votes = Counter(found.category for found in readings)
    most = max(votes.values())
    chosen = next(found.category for found in readings if votes[found.category] == most)
    agreeing = [found for found in readings if found.category == chosen]
    points = np.array([found.points for found in agreeing])
    spread = np.linalg.norm(points[:, None] - points[None], axis=-1).sum(axis=(1, 2))
    middle = agreeing[int(np.argmin(spread))]  # the reading nearest the others
    others = [category.value for category in votes if category != chosen]
    doubts = [middle.doubt] + [GRID_DISAGREES.format(category=c) for c in others]
    return dataclasses.replace(middle, doubt="; ".join(filter(None, doubts)) or None)


def _read(alpha: np.ndarray, rgb: np.ndarray, category: Category | None = None) -> Landmarks:
    if category is None or category.is_bottom:
        bottoms = read_bottoms(alpha, category=category)
        if bottoms is not None:
            no_cuffs = np.zeros(2, np.float32)
            return Landmarks(bottoms.landmarks, no_cuffs, bottoms.category, bottoms.doubt)
    found = find_landmarks(alpha, rgb, sleeved=category is not None and category.has_sleeves)
    if category is not None:
        return Landmarks(found.points, found.cuff_widths, category)
    return found


def _category(name: Category | str) -> Category:
    try:
        return Category(name)
    except ValueError:
        names = ", ".join(category.value for category in Category)
        raise GarmentError(f"There is no garment type {name!r}. Choose one of {names}.") from None


def _without_hook(alpha: np.ndarray) -> np.ndarray:
    """``alpha`` without the hook of the hanger the garment hangs on, if it shows one
    (silhouette.hanger_hook, at the landmarks' working resolution): read as part of the
    garment, a hook above its neck made long sleeves a hood and trousers a top."""
    scale = min(1.0, LANDMARKS.work_long_side_px / max(alpha.shape))
    small = cv2.resize(alpha, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    hook = hanger_hook(largest_component(small >= 128), LANDMARKS)
    if not hook.any():
        return alpha
    hook = cv2.resize(hook.astype(np.uint8), alpha.shape[::-1], interpolation=cv2.INTER_NEAREST)
    hook = cv2.dilate(hook, disk(round(1 / scale) + 1)) > 0  # and its soft edge
    return np.where(hook, 0, alpha).astype(np.uint8)


def _crop(rgb: np.ndarray, alpha: np.ndarray, cfg: GarmentConfig) -> tuple[np.ndarray, np.ndarray]:
    """Crop to the garment with a small transparent margin."""
    ys, xs = np.nonzero(alpha)
    margin = max(cfg.crop_margin_min_px, round(cfg.crop_margin_frac * max(alpha.shape)))
    top, left = max(0, ys.min() - margin), max(0, xs.min() - margin)
    bottom, right = (
        min(alpha.shape[0], ys.max() + 1 + margin),
        min(alpha.shape[1], xs.max() + 1 + margin),
    )
    return rgb[top:bottom, left:right], alpha[top:bottom, left:right]


def _clean_edge_colours(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """RGB with background colour removed from the soft edge and bled under the transparent part.

    An edge pixel's colour is part garment, part background; with straight alpha its RGB should
    be the garment's alone, so it takes the colour of the nearby opaque garment. The same colour
    is bled a few pixels into the transparent area, so a warp that interpolates RGB and alpha
    separately shows no light fringe.
    """
    opaque = (alpha == 255).astype(np.float32)
    weight = cv2.GaussianBlur(opaque, (0, 0), 3.0)
    nearby = cv2.GaussianBlur(rgb.astype(np.float32) * opaque[..., None], (0, 0), 3.0)
    nearby = nearby / np.maximum(weight, 1e-6)[..., None]
    replace = (alpha < 255) & (weight > 0.01)
    cleaned = rgb.copy()
    cleaned[replace] = np.clip(nearby[replace], 0, 255).astype(np.uint8)
    cleaned[(alpha < 255) & ~replace] = 0
    return cleaned


def _hash_source(raw: bytes | np.ndarray) -> str:
    """Content hash of an encoded file, or of decoded pixels."""
    digest = hashlib.sha256()
    if isinstance(raw, bytes):
        digest.update(b"file")
        digest.update(raw)
    else:
        digest.update(f"pixels {raw.shape}".encode())
        digest.update(np.ascontiguousarray(raw).tobytes())
    return digest.hexdigest()


def _slug(name: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
    return slug or "garment"


# Prepared garments by content hash of their source, most recently used last.
_CACHE: OrderedDict[str, Garment] = OrderedDict()
_CACHE_LOCK = threading.Lock()
