"""Safe decoding of an untrusted garment image.

Uploads come from strangers. Everything is checked before pixels are decoded: the byte size,
the file type (from its first bytes, not its name), and the pixel count from the header, so a
small file that would expand to gigapixels (a decompression bomb) is refused without decoding
it. Decoding happens in memory; nothing is written to disk.

    pixels = decode_image(source)   # (H, W, 3) RGB or (H, W, 4) RGBA uint8, EXIF-rotated
    pixels = decode_image(source, long_side=1024)   # a large photo decoded at reduced size

With ``long_side``, a large JPEG is decoded at 1/2, 1/4 or 1/8 scale by the decoder itself
(Pillow's draft mode, no full-size pixels in memory), and any larger image is reduced as soon
as it is decoded, before its copies are made: the result's long side is then between
``long_side`` and a few times that. A 40-megapixel JPEG then costs some 10 MB instead of 120.
"""

import io
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from .config import DECODE, DecodeLimits
from .errors import GarmentError

# File signatures ("magic numbers") of the accepted formats.
_SIGNATURES = {
    "JPEG": (b"\xff\xd8\xff",),
    "PNG": (b"\x89PNG\r\n\x1a\n",),
}


def _sniff(data: bytes) -> str | None:
    """The image format named by the file's first bytes, or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    for name, signatures in _SIGNATURES.items():
        if data.startswith(signatures):
            return name
    return None


def unsupported_type_message() -> str:
    return (
        "This file is not a JPEG, PNG or WebP image. Please upload a photo in one of those formats."
    )


def too_large_file_message(size: int, limits: DecodeLimits) -> str:
    return (
        f"This file is too large ({size / 2**20:.1f} MB). Please upload a photo of at most "
        f"{limits.max_file_bytes // 2**20} MB (a 2000-pixel JPEG is plenty)."
    )


def too_many_pixels_message(width: int, height: int, limits: DecodeLimits) -> str:
    size = f" ({width} x {height} pixels)" if width and height else ""
    return (
        f"This image is too large{size}. Please upload a photo of at most "
        f"{limits.max_pixels // 1_000_000} megapixels."
    )


def too_small_message(width: int, height: int, limits: DecodeLimits) -> str:
    return (
        f"This image is too small ({width} x {height} pixels) to show a garment. Please upload "
        f"a photo at least {limits.min_side_px} pixels on each side (512 or more works best)."
    )


DAMAGED = (
    "This image file is damaged or incomplete and cannot be read. Please upload it again or "
    "choose another photo."
)
NOT_FOUND = (
    "Could not find the image file {path}. Please choose an existing JPEG, PNG or WebP file."
)
BAD_ARRAY = (
    "An image array must be uint8 with shape (height, width, 3) for RGB or (height, width, 4) "
    "for RGBA; got dtype {dtype} and shape {shape}."
)
BAD_SOURCE = (
    "Cannot read a garment from a {kind}. Pass a file path, the file's bytes, a PIL image or an "
    "RGB/RGBA uint8 array."
)


def read_source(source, limits: DecodeLimits = DECODE) -> bytes | Image.Image | np.ndarray:
    """Bytes of a path, or the source itself if it is already bytes, a PIL image or an array."""
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise GarmentError(NOT_FOUND.format(path=path))
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise GarmentError(too_large_file_message(size, limits))
        return path.read_bytes()
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    if isinstance(source, Image.Image | np.ndarray):
        return source
    raise GarmentError(BAD_SOURCE.format(kind=type(source).__name__))


def decode_image(source, limits: DecodeLimits = DECODE, long_side: int | None = None) -> np.ndarray:
    """RGB (H, W, 3) or RGBA (H, W, 4) uint8 pixels of an image given in any accepted form;
    an encoded image whose long side is over ``long_side`` is decoded at reduced size."""
    source = read_source(source, limits)
    if isinstance(source, np.ndarray):
        return _checked_array(source, limits)
    if isinstance(source, Image.Image):
        _check_size(*source.size, limits)
        return _to_array(source)
    return _decode_bytes(source, limits, long_side)


def _decode_bytes(data: bytes, limits: DecodeLimits, long_side: int | None) -> np.ndarray:
    if len(data) > limits.max_file_bytes:
        raise GarmentError(too_large_file_message(len(data), limits))
    kind = _sniff(data)
    if kind is None or kind not in limits.formats:
        raise GarmentError(unsupported_type_message())
    try:
        image = Image.open(io.BytesIO(data), formats=[kind])  # reads the header only
    except Image.DecompressionBombError as error:  # Pillow's own, higher, cap
        raise GarmentError(too_many_pixels_message(0, 0, limits)) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise GarmentError(DAMAGED) from error
    _check_size(*image.size, limits)  # before a single pixel is decoded
    try:
        image.seek(0)  # the first frame of an animated PNG or WebP
        if long_side is not None:
            image = _reduced(image, long_side)
        image.load()
        image = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as error:
        # Pillow reports damaged data with any of these; the user can only try another file.
        raise GarmentError(DAMAGED) from error
    return _to_array(image)


_REDUCIBLE_MODES = ("L", "LA", "RGB", "RGBA")


def _reduced(image: Image.Image, long_side: int) -> Image.Image:
    """The image decoded at the smallest scale whose long side is still at least ``long_side``:
    by the JPEG decoder itself (it scales by 1/2, 1/4 or 1/8 as it decodes), else reduced by
    an integer factor right after decoding."""
    width, height = image.size
    factor = max(width, height) // long_side
    if factor < 2:
        return image
    if image.format == "JPEG":
        image.draft(image.mode, (-(-width // factor), -(-height // factor)))
        return image
    if image.mode not in _REDUCIBLE_MODES or "transparency" in image.info:
        return image  # a palette or 16-bit image is reduced after its conversion
    image.load()
    return image.reduce(factor)


def _check_size(width: int, height: int, limits: DecodeLimits) -> None:
    if width * height > limits.max_pixels:
        raise GarmentError(too_many_pixels_message(width, height, limits))
    if min(width, height) < limits.min_side_px:
        raise GarmentError(too_small_message(width, height, limits))


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _to_array(image: Image.Image) -> np.ndarray:
    mode = "RGBA" if _has_alpha(image) else "RGB"
    if image.mode.startswith("I;16") or image.mode == "I":
        # 16-bit greyscale PNG: scale to 8 bits before the conversion clips it
        grey = (np.asarray(image, dtype=np.uint32) >> 8).astype(np.uint8)
        image = Image.fromarray(grey)
    return np.ascontiguousarray(np.asarray(image.convert(mode), dtype=np.uint8))


def _checked_array(pixels: np.ndarray, limits: DecodeLimits) -> np.ndarray:
    if pixels.dtype != np.uint8 or pixels.ndim != 3 or pixels.shape[2] not in (3, 4):
        raise GarmentError(BAD_ARRAY.format(dtype=pixels.dtype, shape=pixels.shape))
    height, width = pixels.shape[:2]
    _check_size(width, height, limits)
    return np.ascontiguousarray(pixels)
