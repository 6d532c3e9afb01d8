"""Cut-out and landmarks: synthetic garments with known masks and landmarks, and real photos."""

import io
import time

import cv2
import numpy as np
import pytest
from PIL import Image

from clothes import Category, Garment, GarmentPoint
from clothes.decode import decode_image
from clothes.segment import cut_out

P = GarmentPoint
PAIRS = [
    (P.NECK_LEFT, P.NECK_RIGHT),
    (P.SHOULDER_LEFT, P.SHOULDER_RIGHT),
    (P.ARMPIT_LEFT, P.ARMPIT_RIGHT),
    (P.SLEEVE_LEFT, P.SLEEVE_RIGHT),
    (P.HEM_LEFT, P.HEM_RIGHT),
]


def tshirt(size=(640, 560)) -> tuple[np.ndarray, np.ndarray]:
    """A T-shirt outline and its landmarks, drawn by hand: (polygon (N, 2), landmarks (11, 2))."""
    h, w = size
    cx = w / 2
    pts = {
        "neck": (60, 90),
        "shoulder": (150, 120),
        "cuff_top": (250, 190),
        "cuff_bottom": (205, 260),
        "armpit": (140, 230),
        "hem": (145, 560),
    }
    right = [(cx - x, y) for x, y in pts.values()]  # image left = wearer's right
    left = [(cx + x, y) for x, y in pts.values()]
    back_neck = [(cx + t * 60, 90 + 14 * (1 - t * t)) for t in np.linspace(-1, 1, 21)]
    polygon = np.array(back_neck + left[1:] + right[::-1][:-1], np.float64)
    landmarks = np.zeros((11, 2), np.float32)
    for side, pt in (
        ("LEFT", dict(zip(pts, left, strict=True))),
        ("RIGHT", dict(zip(pts, right, strict=True))),
    ):
        landmarks[P[f"NECK_{side}"]] = pt["neck"]
        landmarks[P[f"SHOULDER_{side}"]] = pt["shoulder"]
        landmarks[P[f"ARMPIT_{side}"]] = pt["armpit"]
        landmarks[P[f"SLEEVE_{side}"]] = np.mean([pt["cuff_top"], pt["cuff_bottom"]], axis=0)
        landmarks[P[f"HEM_{side}"]] = pt["hem"]
    landmarks[P.NECK_CENTER] = (cx, 90 + 14)
    return polygon, landmarks


def photo(garment_rgb, background_rgb, outline_rgb=None, seed=0) -> tuple[np.ndarray, np.ndarray]:
    """A shop photo of the T-shirt: fabric with gentle shading and noise on a plain background."""
    polygon, _ = tshirt()
    h, w = 640, 560
    mask = np.zeros((h, w), np.uint8)
    cv2.fillPoly(mask, [np.round(polygon).astype(np.int32)], 255)
    rng = np.random.default_rng(seed)
    shading = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 25)
    shading = 1 + 0.02 * shading / shading.std()
    fabric = np.clip(
        np.array(garment_rgb, np.float32) * shading[..., None] + rng.normal(0, 1.5, (h, w, 3)),
        0,
        255,
    )
    image = np.empty((h, w, 3), np.float32)
    image[:] = background_rgb
    image[mask > 0] = fabric[mask > 0]
    if outline_rgb is not None:  # the faint seam/shadow line that outlines a white garment
        cv2.polylines(
            image, [np.round(polygon).astype(np.int32)], True, outline_rgb, 1, cv2.LINE_AA
        )
    image = cv2.GaussianBlur(image, (0, 0), 0.6)  # a lens is never perfectly sharp
    return np.clip(image, 0, 255).astype(np.uint8), mask > 0


def jpeg(rgb: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def iou(a: np.ndarray, b: np.ndarray) -> float:
    return np.count_nonzero(a & b) / np.count_nonzero(a | b)


def sanity_problems(garment: Garment) -> list[str]:
    """What is wrong with a garment's landmarks, by the rules any garment must satisfy."""
    p = garment.landmarks
    h, w = garment.rgba.shape[:2]
    problems = []
    for left, right in PAIRS:
        if not p[left, 0] > p[right, 0]:
            problems.append(f"{left.name} is not right of {right.name} in the image")
    shoulder_y = max(p[P.SHOULDER_LEFT, 1], p[P.SHOULDER_RIGHT, 1])
    armpit_top, armpit_bottom = sorted([p[P.ARMPIT_LEFT, 1], p[P.ARMPIT_RIGHT, 1]])
    if not shoulder_y < armpit_top:
        problems.append("shoulders are not above the armpits")
    if not armpit_bottom < min(p[P.HEM_LEFT, 1], p[P.HEM_RIGHT, 1]):
        problems.append("armpits are not above the hem")
    for sleeve, neck, side in ((P.SLEEVE_LEFT, P.NECK_LEFT, 1), (P.SLEEVE_RIGHT, P.NECK_RIGHT, -1)):
        if not side * (p[sleeve, 0] - p[neck, 0]) > 0:
            problems.append(f"{sleeve.name} is inside the neck")
    if garment.category not in (Category.SLEEVELESS,):
        for sleeve, armpit, side in (
            (P.SLEEVE_LEFT, P.ARMPIT_LEFT, 1),
            (P.SLEEVE_RIGHT, P.ARMPIT_RIGHT, -1),
        ):
            if not side * (p[sleeve, 0] - p[armpit, 0]) > 0:
                problems.append(f"{sleeve.name} is not outside the body")
    centre = p[P.NECK_CENTER, 0]
    for left, right in PAIRS:
        if abs((p[left, 0] - centre) - (centre - p[right, 0])) > 0.15 * w:
            problems.append(f"{left.name}/{right.name} are not symmetric in x")
        if abs(p[left, 1] - p[right, 1]) > 0.1 * h:
            problems.append(f"{left.name}/{right.name} are not level")
    return problems


# ---------------------------------------------------------------------------------------------
# Synthetic garments with known masks and landmarks


@pytest.mark.parametrize(
    ("garment_rgb", "background_rgb", "outline_rgb"),
    [
        ((40, 70, 160), (246, 246, 246), None),  # blue on light grey
        ((20, 20, 22), (255, 255, 255), None),  # black on white
        ((250, 250, 250), (243, 243, 243), (225, 225, 225)),  # white on white, faint outline
        ((238, 238, 236), (246, 246, 246), (222, 222, 222)),  # off-white on light grey
    ],
    ids=["blue-on-grey", "black-on-white", "white-on-white", "offwhite-on-grey"],
)
def test_synthetic_tshirt_mask_and_landmarks(garment_rgb, background_rgb, outline_rgb):
    rgb, truth_mask = photo(garment_rgb, background_rgb, outline_rgb)
    alpha = cut_out(decode_image(jpeg(rgb)))
    assert iou(alpha >= 128, truth_mask) >= 0.97

    garment = Garment.from_image(jpeg(rgb))
    _, truth = tshirt()
    # from_image crops to the garment: compare in the crop's frame via the mask's bounding box
    ys, xs = np.nonzero(truth_mask)
    gys, gxs = np.nonzero(garment.mask)
    offset = np.array([xs.min() - gxs.min(), ys.min() - gys.min()], np.float32)
    error = np.linalg.norm(garment.landmarks + offset - truth, axis=1)
    height = ys.max() - ys.min()
    assert garment.category == Category.SHORT_SLEEVE
    assert sanity_problems(garment) == []
    for point in P:
        if point == P.NECK_CENTER:
            continue  # a flat drawing has no front neckline distinct from the back
        assert error[point] <= 0.07 * height, f"{point.name} is {error[point]:.0f} px off"


def test_transparent_input_uses_its_alpha_as_the_mask():
    polygon, truth = tshirt()
    rgba = np.zeros((640, 560, 4), np.uint8)
    cv2.fillPoly(rgba, [np.round(polygon).astype(np.int32)], (200, 40, 60, 255))
    garment = Garment.from_image(rgba)
    ys, xs = np.nonzero(rgba[..., 3])
    gys, gxs = np.nonzero(garment.rgba[..., 3])
    assert len(gys) == len(ys)  # exactly the given alpha, only cropped
    crop = garment.rgba[..., 3]
    top, left = ys.min() - gys.min(), xs.min() - gxs.min()
    np.testing.assert_array_equal(
        crop[gys.min() : gys.max() + 1, gxs.min() : gxs.max() + 1],
        rgba[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1, 3],
    )
    offset = np.array([left, top], np.float32)
    error = np.linalg.norm(garment.landmarks + offset - truth, axis=1)
    assert np.all(np.delete(error, P.NECK_CENTER) <= 0.05 * 470)


def test_preparation_is_cached_by_content():
    rgb, _ = photo((120, 30, 90), (246, 246, 246), seed=5)
    data = jpeg(rgb)
    first = Garment.from_image(data, name="first")
    start = time.perf_counter()
    again = Garment.from_image(bytes(data), name="again")
    assert time.perf_counter() - start < 0.05
    assert again.key == first.key and again.name == "again" and first.name == "first"
    assert again.rgba is first.rgba  # the same prepared pixels, not a second preparation
    assert not again.rgba.flags.writeable


def test_files_round_trip(tmp_path):
    rgb, _ = photo((30, 120, 60), (246, 246, 246), seed=6)
    garment = Garment.from_image(jpeg(rgb), name="Green tee")
    png, meta = garment.to_files(tmp_path)
    assert png.name == "green-tee.png" and meta.exists()
    loaded = Garment.from_files(png)
    assert loaded.key == garment.key and loaded.name == "Green tee"
    assert loaded.category == garment.category
    np.testing.assert_allclose(loaded.landmarks, garment.landmarks, atol=0.01)


def test_long_side_is_at_most_1024():
    rgb, _ = photo((40, 70, 160), (246, 246, 246), seed=7)
    big = cv2.resize(rgb, None, fx=3, fy=3, interpolation=cv2.INTER_LINEAR)
    assert max(Garment.from_image(big).rgba.shape[:2]) <= 1024


# ---------------------------------------------------------------------------------------------
# Real photos (../shared): these run in CI


def test_real_masks_iou(shared):
    folder = shared / "data" / "garments" / "with_mask"
    ious = {}
    for photo_path in sorted((folder / "cloth").glob("*.jpg")):
        truth = np.asarray(Image.open(folder / "cloth_mask" / photo_path.name).convert("L")) >= 128
        alpha = cut_out(decode_image(photo_path))
        ious[photo_path.name] = iou(alpha >= 128, truth)
    assert len(ious) == 3
    print(
        "mask IoU:", {k: round(v, 4) for k, v in ious.items()}, "mean", np.mean(list(ious.values()))
    )
    assert min(ious.values()) >= 0.95, ious
    assert np.mean(list(ious.values())) >= 0.97, ious


# Photos whose landmarks are known not to be sane yet, with the reason seen on the contact sheet.
# strict: if one starts passing, the test says so and it must come off this list.
KNOWN_WEAK = {
    "04469_00.jpg": "wrap top: the tie hanging on one side pulls that side's armpit and hem down",
    "09133_00.jpg": "white tank with ruffled straps: the ruffle's dents are taken for the armhole",
    "09176_00.jpg": "long sleeves lying against the body: no dent between sleeve and body",
    "09236_00.jpg": "tee with a long tie hanging below the hem: no armpit dent is found",
    "09256_00.jpg": "sleeveless with a cut-away armhole: the armhole dent is too shallow",
    "14627_00.jpg": "bra top with loose straps hanging down: not a top's silhouette",
    "00470_00.jpg": "long sleeves lying against the body: no dent between sleeve and body",
    "04825_00.jpg": "halter top: no shoulders, the armholes run up to the neck",
    "07382_00.jpg": "sports crop top: racer-back armholes, one armpit found too low",
}


def real_photos():
    from conftest import SHARED_DIR

    folders = sorted((SHARED_DIR / "data" / "garments").glob("tops_*"))
    photos = sorted(p for folder in folders for p in folder.glob("*.jpg"))
    return [
        pytest.param(p.name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_WEAK[p.name]))
        if p.name in KNOWN_WEAK
        else p.name
        for p in photos
    ] or ["missing"]


@pytest.mark.parametrize("name", real_photos())
def test_real_photo_landmarks_are_sane(shared, name):
    folders = sorted((shared / "data" / "garments").glob("tops_*"))
    photos = {p.name: p for folder in folders for p in folder.glob("*.jpg")}
    assert len(photos) == 30
    garment = Garment.from_image(photos[name])
    assert max(garment.rgba.shape[:2]) <= 1024
    assert sanity_problems(garment) == []
