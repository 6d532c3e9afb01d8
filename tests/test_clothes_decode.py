"""Untrusted uploads: every bad input is refused with a message that says what to do."""

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from clothes import Garment, GarmentError
from clothes.config import DecodeLimits
from clothes.decode import (
    BAD_ARRAY,
    BAD_SOURCE,
    DAMAGED,
    NOT_FOUND,
    decode_image,
    too_large_file_message,
    too_many_pixels_message,
    too_small_message,
    unsupported_type_message,
)
from clothes.segment import NO_BACKGROUND, NO_GARMENT


def encode(pixels: np.ndarray | Image.Image, fmt: str, **options) -> bytes:
    image = pixels if isinstance(pixels, Image.Image) else Image.fromarray(pixels)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def refused(source) -> str:
    with pytest.raises(GarmentError) as caught:
        Garment.from_image(source)
    return str(caught.value)


def test_garment_error_is_a_value_error():
    assert issubclass(GarmentError, ValueError)


@pytest.mark.parametrize(
    "data",
    [
        encode(np.zeros((200, 200, 3), np.uint8), "GIF"),
        encode(np.zeros((200, 200, 3), np.uint8), "BMP"),
        b"%PDF-1.4 not an image at all",
        b"",
    ],
    ids=["gif", "bmp", "pdf", "empty"],
)
def test_other_file_types_are_refused(data):
    assert refused(data) == unsupported_type_message()


def test_a_truncated_jpeg_is_refused_as_damaged():
    data = encode(np.full((300, 300, 3), 120, np.uint8), "JPEG")
    assert refused(data[: len(data) // 2]) == DAMAGED


def test_a_png_with_a_broken_body_is_refused_as_damaged():
    data = bytearray(
        encode(np.random.default_rng(0).integers(0, 255, (300, 300, 3), np.uint8), "PNG")
    )
    data[200:260] = b"\x00" * 60  # corrupt the compressed pixel data
    assert refused(bytes(data)) == DAMAGED


def test_a_decompression_bomb_is_refused_before_decoding():
    # 8000 x 8000 one-bit pixels: a few kilobytes of PNG, 64 megapixels once decoded.
    bomb = encode(Image.new("1", (8000, 8000)), "PNG")
    assert len(bomb) < 100_000
    assert refused(bomb) == too_many_pixels_message(8000, 8000, DecodeLimits())


def test_pillows_own_bomb_limit_is_reported_the_same_way():
    bomb = encode(Image.new("1", (14000, 14000)), "PNG")  # 196 MP: above Pillow's hard cap
    assert refused(bomb) == too_many_pixels_message(0, 0, DecodeLimits())


def test_an_oversized_file_is_refused():
    limits = DecodeLimits(max_file_bytes=10_000)
    data = encode(np.random.default_rng(1).integers(0, 255, (300, 300, 3), np.uint8), "PNG")
    with pytest.raises(GarmentError) as caught:
        decode_image(data, limits)
    assert str(caught.value) == too_large_file_message(len(data), limits)


def test_a_tiny_image_is_refused():
    assert refused(encode(np.full((64, 90, 3), 200, np.uint8), "PNG")) == too_small_message(
        90, 64, DecodeLimits()
    )


def test_an_empty_background_is_refused():
    assert refused(encode(np.full((400, 300, 3), 246, np.uint8), "JPEG")) == NO_GARMENT


def test_a_busy_photo_without_a_plain_background_is_refused():
    noise = np.random.default_rng(2).integers(0, 255, (400, 300, 3), np.uint8)
    assert refused(encode(noise, "JPEG", quality=95)) == NO_BACKGROUND


def test_a_missing_path_is_refused(tmp_path):
    missing = tmp_path / "nope.jpg"
    assert refused(missing) == NOT_FOUND.format(path=missing)


def test_arrays_must_be_uint8_rgb_or_rgba():
    bad = np.zeros((300, 300), np.float32)
    assert refused(bad) == BAD_ARRAY.format(dtype=bad.dtype, shape=bad.shape)


def test_other_source_types_are_refused():
    assert refused(42) == BAD_SOURCE.format(kind="int")


def test_exif_orientation_is_applied():
    pixels = np.zeros((200, 300, 3), np.uint8)
    pixels[:, :150] = 255  # left half white
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 clockwise to display"
    decoded = decode_image(encode(pixels, "JPEG", exif=exif))
    assert decoded.shape == (300, 200, 3)
    assert decoded[:100].mean() > 200 and decoded[-100:].mean() < 50  # white half now on top


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_accepted_formats_decode(fmt):
    pixels = np.full((150, 160, 3), 90, np.uint8)
    decoded = decode_image(encode(pixels, fmt))
    assert decoded.shape == (150, 160, 3)
    assert abs(int(decoded.mean()) - 90) <= 3


def test_a_png_with_transparency_decodes_to_rgba():
    rgba = np.zeros((150, 150, 4), np.uint8)
    rgba[40:110, 40:110] = (200, 30, 30, 255)
    decoded = decode_image(encode(rgba, "PNG"))
    assert decoded.shape == (150, 150, 4)
    np.testing.assert_array_equal(decoded[..., 3], rgba[..., 3])


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_large_photo_is_decoded_at_reduced_size(fmt):
    pixels = np.random.default_rng(0).integers(0, 256, (60, 80, 3), dtype=np.uint8)
    large = np.asarray(Image.fromarray(pixels).resize((4000, 3000), Image.NEAREST))
    buffer = io.BytesIO()
    Image.fromarray(large).save(buffer, format=fmt, quality=95)
    reduced = decode_image(buffer.getvalue(), long_side=1000)
    assert reduced.shape[1] in range(1000, 2000) and reduced.shape[1] * 3 == reduced.shape[0] * 4
    assert decode_image(buffer.getvalue()).shape == (3000, 4000, 3)  # without long_side: all
    expected = cv2.resize(large, reduced.shape[1::-1], interpolation=cv2.INTER_AREA)
    assert np.abs(reduced.astype(int) - expected).mean() < 8  # the same picture, smaller


def test_a_huge_jpeg_upload_costs_at_most_150_mb(tmp_path):
    """One 39.7-megapixel upload, prepared in a fresh process: peak RSS above its rest."""
    upload_memory = pytest.importorskip("tools.upload_memory")
    huge, small = tmp_path / "huge.jpg", tmp_path / "small.png"
    Image.fromarray(upload_memory.huge_photo(39.7)).save(huge, quality=90)
    Image.fromarray(upload_memory.tee_photo()).save(small)
    found = upload_memory.measure(huge, "reduced", small)
    assert found["category"]  # prepared as a garment
    assert found["peak_mb"] - found["rest_mb"] <= upload_memory.TARGET_MB, found
