"""Cut-out and landmarks: synthetic garments with known masks and landmarks, and real photos."""

import dataclasses
import io

import cv2
import numpy as np
import pytest
from PIL import Image
from shared_dir import SHARED_DIR

from clothes import Category, Garment, GarmentError, GarmentPoint
from clothes.config import LANDMARKS, SEGMENT
from clothes.decode import decode_image
from clothes.garment import read_landmarks
from clothes.segment import cut_out, light_rim
from clothes.shapes import dilate
from clothes.sides import hem_corner
from clothes.silhouette import Box
from tools.garment_variants import falloff, turned, vignette
from tools.garment_variants import jpeg as compressed

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
    if garment.category != Category.SLEEVELESS:
        for shoulder, armpit, side in (
            (P.SHOULDER_LEFT, P.ARMPIT_LEFT, 1),
            (P.SHOULDER_RIGHT, P.ARMPIT_RIGHT, -1),
        ):
            if side * (p[shoulder, 0] - p[armpit, 0]) < -0.02 * w:
                problems.append(f"{shoulder.name} is inboard of {armpit.name} (slices the body)")
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


def backdrop_lit(rgb: np.ndarray, mask: np.ndarray, light: np.ndarray) -> np.ndarray:
    """``rgb`` with its backdrop (off ``mask``) times ``light`` (h, w): the garment is lit
    evenly, the backdrop behind it is not."""
    out = rgb.astype(np.float32)
    out[~mask] *= light[~mask, None]
    return np.clip(out, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("light", [falloff, vignette])
@pytest.mark.parametrize(
    ("garment_rgb", "background_rgb", "outline_rgb"),
    [((40, 70, 160), (246, 246, 246), None), ((250, 250, 250), (243, 243, 243), (225, 225, 225))],
    ids=["blue-on-grey", "white-on-white"],
)
def test_a_backdrop_lit_unevenly_is_background(garment_rgb, background_rgb, outline_rgb, light):
    """Studio light falls off across a backdrop: a fifth dimmer at one end or in the corners
    (the frame then has no one colour), it is still background, followed round the frame."""
    rgb, truth_mask = photo(garment_rgb, background_rgb, outline_rgb)
    rgb = backdrop_lit(rgb, truth_mask, light(*truth_mask.shape))
    assert iou(cut_out(decode_image(jpeg(rgb))) >= 128, truth_mask) >= 0.97
    assert Garment.from_image(jpeg(rgb)).category == Category.SHORT_SLEEVE


def test_a_soft_shadow_on_the_backdrop_is_background():
    """A garment on an invisible mannequin casts a soft shadow on the backdrop behind it: a
    patch a few percent darker, without an edge, from its hem out to the frame."""
    rgb, truth_mask = photo((250, 250, 250), (243, 243, 243), (225, 225, 225))
    h, w = truth_mask.shape
    shadow = np.zeros((h, w), np.float32)
    ys, xs = np.nonzero(truth_mask)
    cv2.ellipse(shadow, (int(xs.min()), int(ys.max()) - 10), (180, 30), 0, 0, 360, 1.0, -1)
    shadow = cv2.GaussianBlur(shadow, (0, 0), 12)
    rgb = backdrop_lit(rgb, truth_mask, 1.0 - 0.04 * shadow)
    assert iou(cut_out(decode_image(jpeg(rgb))) >= 128, truth_mask) >= 0.97


@pytest.mark.parametrize("rim_px", [6, 10, 14])
def test_the_light_rim_round_a_bright_garment_is_background(rim_px):
    """JPEG's ringing leaves a rim round a red garment on white: pixels of the backdrop's colour
    that are not flat. The cut-out ends at the garment's edge, not at the rim's."""
    rgb, truth_mask = photo((200, 30, 40), (246, 246, 246))
    rim = dilate(truth_mask, rim_px) & ~truth_mask
    ringing = rgb + np.random.default_rng(1).normal(0, 1.2, rgb.shape)
    rgb = np.clip(np.where(rim[..., None], ringing, rgb), 0, 255).astype(np.uint8)
    alpha = cut_out(decode_image(jpeg(rgb)))
    outer_rim = rim & ~dilate(truth_mask, 3)  # what the soft edge may not reach
    assert np.count_nonzero((alpha >= 128) & outer_rim) / np.count_nonzero(outer_rim) <= 0.05
    assert iou(alpha >= 128, truth_mask) >= 0.98


def rim_scene(rim_colour: float, mark_rows: slice) -> tuple[np.ndarray, ...]:
    """80 x 80 pixels at the cut-out's working resolution: the backdrop the fill reached (x <
    25), then pixels ``rim_colour`` from the backdrop's colour (x 25-29), then, from x = 30,
    what stands out from the backdrop (distance 50, its edge on the outline) in ``mark_rows``
    and more of the rim's colour elsewhere: (reached, distance, outline)."""
    reached = np.zeros((80, 80), bool)
    reached[:, :25] = True
    distance = np.full((80, 80), rim_colour, np.float32)
    distance[:, :25] = 0.0
    distance[mark_rows, 30:] = 50.0
    outline = np.zeros((80, 80), bool)
    outline[mark_rows, 30] = True
    return reached, distance, outline


def test_a_light_rim_that_ends_at_the_garment_is_backdrop():
    reached, distance, outline = rim_scene(1.0, slice(None))  # a red garment's whole side
    rim = light_rim(reached, distance, 4.0, outline)
    assert rim[:, 25:30].all() and not rim[:, 30:].any()


def test_white_fabric_beside_a_grey_mark_is_not_a_rim():
    """Backdrop-coloured pixels by a short grey mark on a white garment (its shading, say,
    reached through a gap in its outline) grow into more white fabric, not up to the garment:
    they stay garment. Without the check on where each piece stops, they would not."""
    reached, distance, outline = rim_scene(2.0, slice(0, 10))
    assert not light_rim(reached, distance, 4.0, outline).any()
    unchecked = dataclasses.replace(SEGMENT, fringe_front_share=0.0)
    assert light_rim(reached, distance, 4.0, outline, unchecked)[:, 25:30].any()


def test_a_photo_of_two_garments_is_refused_with_what_to_do():
    """Shops show a set, or the front and back of a garment, side by side: reading the larger
    one alone would be a silent guess."""
    tee, _ = photo((40, 70, 160), (246, 246, 246))
    other, _ = photo((160, 40, 40), (246, 246, 246), seed=1)
    with pytest.raises(GarmentError) as refused:
        Garment.from_image(jpeg(np.hstack([tee, other])))
    assert str(refused.value) == (
        "This photo seems to show more than one garment (or two views of one). Please crop it "
        "to one garment, or use a photo of that garment alone."
    )
    assert Garment.from_image(jpeg(tee)).category == Category.SHORT_SLEEVE


OCHRE, WHITE = (200, 160, 60), (246, 246, 246)


def trousers_photo(hems_touch: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ochre trousers laid flat on a white backdrop: (photo, the trousers' mask, the gap
    between their legs). The legs touch at the crotch, 22 % of the way down, and part towards
    the hems, 24 px apart there; the backdrop in the gap is shaded grey where it narrows (the
    legs' shadow). With ``hems_touch``, a fringe along the hems closes the gap at the bottom."""
    h, w, top, bottom = 900, 600, 60, 860
    crotch = top + round(0.22 * (bottom - top))
    legs = np.array([(180, top), (420, top), (432, bottom), (312, bottom), (300, crotch),
                     (288, bottom), (168, bottom)], np.int32)  # fmt: skip
    mask, gap = np.zeros((h, w), np.uint8), np.zeros((h, w), np.uint8)
    cv2.fillPoly(mask, [legs], 1)
    cv2.fillPoly(gap, [np.array([(300, crotch), (312, bottom), (288, bottom)], np.int32)], 1)
    if hems_touch:
        cv2.rectangle(mask, (280, bottom - 8), (320, bottom), 1, -1)
    mask, gap = mask > 0, (gap > 0) & (mask == 0)
    narrowing = np.clip(1 - (np.arange(h) - crotch) / (0.6 * (bottom - crotch)), 0, 1)
    image = np.empty((h, w, 3), np.float32)
    image[:] = np.array(WHITE) - 50 * narrowing[:, None, None] * gap[..., None]
    noise = np.random.default_rng(3).normal(0, 1.5, (np.count_nonzero(mask), 3))
    image[mask] = np.array(OCHRE) + noise
    image = cv2.GaussianBlur(image, (0, 0), 0.6)  # a lens is never perfectly sharp
    return np.clip(image, 0, 255).astype(np.uint8), mask, gap


@pytest.mark.parametrize("hems_touch", [False, True], ids=["legs apart", "hems touching"])
def test_the_gap_between_trouser_legs_is_backdrop_up_to_the_crotch(hems_touch):
    """The backdrop between the legs, narrowing to the crotch and shaded there, sealed off
    where it is narrow (or by the hems touching), was kept as garment: a pale wedge between
    the wearer's thighs."""
    rgb, mask, gap = trousers_photo(hems_touch)
    alpha = cut_out(decode_image(jpeg(rgb)))
    assert np.mean(alpha[gap] < 128) >= 0.9
    fabric = cv2.erode(mask.astype(np.uint8), np.ones((5, 5))) > 0
    assert np.mean(alpha[fabric] >= 128) >= 0.99  # and the legs themselves are kept


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
    again = Garment.from_image(bytes(data), name="again")
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


def drop_shoulder_jersey(
    sleeve_out: int, sleeve_drop: int, armpit: int, stripe_rows: tuple[int, int] | None = None
) -> np.ndarray:
    """A boxy jersey on a light background whose shoulder seams drop onto the arms, its sleeves
    hanging from them ``sleeve_out`` px out and ``sleeve_drop`` px down to a 120 px cuff,
    armpits at ``armpit``; a shallow back-neck dent (the inside of the back does not show)
    and, if given, a white stripe across it at ``stripe_rows``."""
    image = np.full((720, 720, 3), 245, np.uint8)
    cuff_top = (170 - sleeve_out, 130 + sleeve_drop)
    right = [(290, 80), (170, 130), cuff_top, (cuff_top[0] + 10, cuff_top[1] + 120),
             (172, armpit), (172, 640)]  # fmt: skip
    left = [(720 - x, y) for x, y in right]
    back_neck = [(360 + 70 * np.cos(a), 80 + 35 * np.sin(a)) for a in np.linspace(0, np.pi, 20)]
    cv2.fillPoly(image, [np.array(right + left[::-1] + back_neck, np.int32)], (200, 40, 40))
    if stripe_rows is not None:
        band = image[slice(*stripe_rows)]
        band[(band == (200, 40, 40)).all(axis=2)] = 240
    return image


def test_a_stripe_across_the_chest_is_not_the_front_neckline():
    plain = Garment.from_image(drop_shoulder_jersey(110, 180, 300)).landmarks[P.NECK_CENTER]
    striped = drop_shoulder_jersey(110, 180, 300, stripe_rows=(200, 215))
    striped = Garment.from_image(striped).landmarks[P.NECK_CENTER]
    assert abs(striped[1] - plain[1]) <= 2, (plain, striped)  # a crew neck, in both


@pytest.mark.xfail(strict=True, reason="issue 13: a sleeve hanging close to the body from a "
                   "dropped shoulder sticks out too little to be read as a sleeve")  # fmt: skip
@pytest.mark.parametrize(
    "sleeve_out, sleeve_drop, armpit, category",
    [(40, 100, 380, Category.SHORT_SLEEVE), (30, 200, 500, Category.LONG_SLEEVE)],
)
def test_sleeves_hanging_from_dropped_shoulders(sleeve_out, sleeve_drop, armpit, category):
    jersey = drop_shoulder_jersey(sleeve_out, sleeve_drop, armpit)
    assert Garment.from_image(jersey).category == category


def maxi_dress(ripples: bool) -> tuple[np.ndarray, dict]:
    """A fitted maxi dress with small short sleeves on a light background: its sides curve in
    at the waist, out at the hips (past the line from the armpit to the hem) and out again
    into a flared hem, which (with ``ripples``) has small folds. Returns the photo and the
    true points of its right side (the wearer's left mirrors them)."""
    truth = {"armpit": (205, 170), "cuff": (155, 138), "hem": (170, 1150)}
    image = np.full((1200, 600, 3), 245, np.uint8)
    right = [(250, 60), (200, 80), (145, 112), (165, 165), truth["armpit"], (210, 250),
             (235, 420), (148, 620), (228, 900), truth["hem"]]  # fmt: skip
    fold = 18 if ripples else 0  # square folds: the hem steps up and down again
    hem = [
        p
        for x in range(210, 391, 60)
        for p in ((x, 1150), (x, 1150 - fold), (x + 20, 1150 - fold), (x + 20, 1150))
    ]
    left = [(600 - x, y) for x, y in right]
    back_neck = [(300 + 50 * np.cos(a), 60 + 20 * np.sin(a)) for a in np.linspace(0, np.pi, 20)]
    outline = right + hem + left[::-1] + back_neck
    cv2.fillPoly(image, [np.array(outline, np.int32)], (30, 30, 35))
    return image, truth


@pytest.mark.parametrize("ripples", [False, True])
def test_a_maxi_dress_has_its_armpits_and_sleeves_at_the_top(ripples):
    image, truth = maxi_dress(ripples)
    garment = Garment.from_image(image)
    assert garment.category == Category.DRESS
    # The garment is cropped (and scaled to 1024 px): its box is the drawn one, 140..460 x
    # 60..1150.
    ys, xs = np.nonzero(garment.rgba[..., 3] >= 128)
    scale = (1150 - 60) / (ys.max() - ys.min())
    lm = (garment.landmarks - (xs.min(), ys.min())) * scale + (140, 60)
    height = 1150 - 60
    for armpit, cuff, mirror in ((P.ARMPIT_RIGHT, P.SLEEVE_RIGHT, False),
                                 (P.ARMPIT_LEFT, P.SLEEVE_LEFT, True)):  # fmt: skip
        for point, true in ((lm[armpit], truth["armpit"]), (lm[cuff], truth["cuff"])):
            true = np.array([600 - true[0], true[1]] if mirror else true, float)
            assert np.linalg.norm(point - true) <= 0.05 * height, (armpit.name, point, true)


def test_a_hem_with_folds_ends_at_the_side_not_at_a_fold():
    half = np.zeros((500, 200), bool)  # one mirrored half: u = 0 is the centre line
    half[10:480, :100] = True
    for fold in (30, 60):  # the hem steps up 8 px (1.7% of the height) and down again
        half[472:480, fold : fold + 8] = False
    end = hem_corner(half, Box(top=10, bottom=479, height=470.0, width=200.0), LANDMARKS)
    assert end.corner[0] >= 95 and not end.blocked, end


def test_long_side_is_at_most_1024():
    rgb, _ = photo((40, 70, 160), (246, 246, 246), seed=7)
    big = cv2.resize(rgb, None, fx=3, fy=3, interpolation=cv2.INTER_LINEAR)
    assert max(Garment.from_image(big).rgba.shape[:2]) <= 1024


def long_sleeve_top(kind: str, size=(640, 560), seed=0):
    """A long-sleeved top whose sleeves hang beside the body, drawn by hand.

    ``kind``: "gap" (the sleeve hangs away from the body below the armpit), "cuff-above-hem"
    (the sleeve lies against the body from the armpit to its cuff, which ends above the hem) or
    "cuff-below-hem" (it lies against the body and its cuff hangs below the hem). Where the
    sleeve lies on the body the silhouette has no dent: only a faint seam line and the sleeve's
    slightly darker shade tell them apart. Returns (photo RGB, true mask, landmarks (11, 2)).
    """
    h, w = size
    cx = w / 2
    neck, shoulder, armpit, hem = 52, (150, 100), (132, 250), (138, 590)
    cuff_y = 620 if kind == "cuff-below-hem" else 520
    cuff_width = 58
    landmarks = np.zeros((11, 2), np.float32)
    sleeves, seams = [], []
    for side, name in ((1, "LEFT"), (-1, "RIGHT")):
        sh = np.array([cx + side * shoulder[0], shoulder[1]])
        ap = np.array([cx + side * armpit[0], armpit[1]])
        hm = np.array([cx + side * hem[0], hem[1]])
        if kind == "gap":
            inner = np.array([cx + side * (armpit[0] + 40), cuff_y])
            sleeve = [sh, inner + (side * cuff_width, -6), inner, ap]
        elif cuff_y < hem[1]:  # the inner edge runs down the body's side to the cuff
            inner = ap + (cuff_y - ap[1]) / (hm[1] - ap[1]) * (hm - ap)
            sleeve = [sh, inner + (side * cuff_width, -6), inner, ap]
        else:
            inner = np.array([hm[0], cuff_y])
            sleeve = [sh, inner + (side * cuff_width, -6), inner, hm, ap]
        sleeves.append(np.array(sleeve))
        seams.append(np.array([ap, inner]))
        landmarks[P[f"NECK_{name}"]] = (cx + side * neck, 80)
        landmarks[P[f"SHOULDER_{name}"]] = sh
        landmarks[P[f"ARMPIT_{name}"]] = ap
        landmarks[P[f"HEM_{name}"]] = hm
        landmarks[P[f"SLEEVE_{name}"]] = inner + (side * cuff_width / 2, -3)
    landmarks[P.NECK_CENTER] = (cx, 120)
    back_neck = [(cx + t * neck, 80 + 12 * (1 - t * t)) for t in np.linspace(-1, 1, 21)]
    corners = [shoulder, armpit, hem]
    body = np.array(
        back_neck + [(cx + u, y) for u, y in corners] + [(cx - u, y) for u, y in corners[::-1]]
    )
    truth = np.zeros((h, w), np.uint8)
    on_sleeve = np.zeros((h, w), np.uint8)
    for polygon, target in (
        [(body, truth)] + [(s, truth) for s in sleeves] + [(s, on_sleeve) for s in sleeves]
    ):
        cv2.fillPoly(target, [np.round(polygon).astype(np.int32)], 255)
    rng = np.random.default_rng(seed)
    colour = np.array((70, 110, 160), np.float32)
    folds = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 20)
    fabric = colour * (1 + 0.4 * folds)[..., None]
    fabric *= np.where(on_sleeve[..., None] > 0, 0.93, 1.0)  # the sleeve a shade darker
    image = np.full((h, w, 3), 246.0, np.float32)
    image[truth > 0] = fabric[truth > 0]
    seam_colour = tuple(float(c) for c in colour * 0.6)
    for seam in seams:
        cv2.polylines(image, [np.round(seam).astype(np.int32)], False, seam_colour, 2, cv2.LINE_AA)
    image = cv2.GaussianBlur(image, (0, 0), 0.6) + rng.normal(0, 1.2, (h, w, 3))
    return np.clip(image, 0, 255).astype(np.uint8), truth > 0, landmarks


@pytest.mark.parametrize("kind", ["gap", "cuff-above-hem", "cuff-below-hem"])
def test_synthetic_long_sleeves_lying_against_the_body(kind):
    rgb, truth_mask, truth = long_sleeve_top(kind)
    garment = Garment.from_image(jpeg(rgb))
    ys, xs = np.nonzero(truth_mask)
    gys, gxs = np.nonzero(garment.mask)
    offset = np.array([xs.min() - gxs.min(), ys.min() - gys.min()], np.float32)
    height = ys.max() - ys.min()
    error = np.linalg.norm(garment.landmarks + offset - truth, axis=1) / height
    assert garment.category == Category.LONG_SLEEVE
    assert sanity_problems(garment) == []
    # Where the sleeve lies on the body the armpit is hidden: it must come out within 3 % of
    # the height, not down at the cuff (the silhouette's only dent). Under a hanging sleeve it
    # is the top of the gap - whose narrow tip the cut-out seals (it cannot tell a few pixels
    # of background from fabric), so it may come out up to 7 % low. The rest is on the outline.
    armpit_tolerance = 0.07 if kind == "gap" else 0.03
    for point in P:
        tolerance = armpit_tolerance if point in (P.ARMPIT_LEFT, P.ARMPIT_RIGHT) else 0.02
        assert error[point] <= tolerance, f"{kind}: {point.name} is {error[point]:.1%} off"


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


# What each shop photo shows, by eye: the category it must get. All 30 are tops to prepare.
LONG_SLEEVED = {"00151", "00470", "09176", "09263", "09266", "09290", "10165"}
SLEEVELESS = {"02015", "04825", "07382", "09133", "09256", "14627", "14673"}


def real_photo_names() -> list[str]:
    photos = sorted((SHARED_DIR / "data" / "garments").glob("tops_*/*.jpg"))
    return [p.name for p in photos] or ["missing"]


@pytest.fixture(scope="module")
def real_garments(shared) -> dict[str, Garment]:
    """Every shop photo prepared once (as an upload is) for all the tests below."""
    photos = sorted((shared / "data" / "garments").glob("tops_*/*.jpg"))
    assert len(photos) == 30
    prepared = {}
    for photo_path in photos:
        try:
            prepared[photo_path.name] = Garment.from_image(photo_path)
        except GarmentError as error:  # kept, so the test for that photo says why
            prepared[photo_path.name] = error
    return prepared


def prepared(real_garments, name: str) -> Garment:
    garment = real_garments[name if name.endswith(".jpg") else f"{name}_00.jpg"]
    if isinstance(garment, GarmentError):
        pytest.fail(f"{name} was refused: {garment}")
    return garment


def box(garment: Garment) -> tuple[float, float, float, float]:
    """top, bottom, height, width of the garment in its cut-out."""
    ys, xs = np.nonzero(garment.mask)
    return ys.min(), ys.max(), ys.max() - ys.min(), xs.max() - xs.min()


@pytest.mark.parametrize("name", real_photo_names())
def test_real_photo_landmarks_are_sane(real_garments, name):
    garment = prepared(real_garments, name)
    assert max(garment.rgba.shape[:2]) <= 1024
    assert sanity_problems(garment) == []
    assert garment.category == labelled(name)


@pytest.mark.parametrize("name", real_photo_names())
def test_real_photos_mirrored_read_as_their_type_or_say_they_may_be_wrong(
    shared, real_garments, name
):
    """A shop photo mirrored shows the same garment: it must read as its type, or the garment
    must say why it may not (a misread is never silent). Both ways round, the reading is
    compared with the other way's."""
    mirrored = Garment.from_image(np.ascontiguousarray(shop_photo(shared, name)[:, ::-1]))
    for garment in (prepared(real_garments, name), mirrored):
        assert garment.category == labelled(name) or garment.doubt is not None


# A long tank top whose length sits on the line between a top's and a dress's: moved by one
# to three pixels down and right, it reads as a dress in 4 of the 15 ways (as many as when each
# photo was read on one grid), by 3 and 3 without a doubt.
ON_THE_LINE = pytest.mark.xfail(
    reason="a long tank top moved by 3 px reads as a dress, silently", strict=True
)


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=ON_THE_LINE) if n == "14673_00.jpg" else n for n in real_photo_names()],
)
def test_real_photos_moved_by_a_pixel_read_as_their_type_or_say_they_may_be_wrong(
    real_garments, name
):
    """Where the pixel grid falls is no part of a garment: its prepared cut-out moved by one
    or three pixels reads as its type, or says why it may not (before the readings on several
    grids were pooled, a long-sleeved top moved so read sleeveless, silently)."""
    garment = prepared(real_garments, name)
    alpha, rgb = garment.rgba[..., 3], np.ascontiguousarray(garment.rgba[..., :3])
    for shift in (1, 3):
        moved = (cv2.copyMakeBorder(image, shift, 0, shift, 0, cv2.BORDER_CONSTANT, value=0)
                 for image in (alpha, rgb))  # fmt: skip
        found = read_landmarks(*moved)
        assert found.category == labelled(name) or found.doubt is not None, shift


@pytest.mark.parametrize("name", real_photo_names())
def test_real_photos_turned_a_little_read_as_their_type(shared, name):
    """A shop photo turned by 4 degrees either way (the background filled in alike) is read
    upright (clothes/upright.py), as its type: askew, long sleeves lying against the body
    read as sleeveless."""
    photo = shop_photo(shared, name)
    for degrees in (-4.0, 4.0):
        assert Garment.from_image(turned(photo, degrees)).category == labelled(name), degrees


def test_a_notch_in_a_ragged_side_is_no_sleeve(shared):
    """The white tee on white fitdit/1 saved at JPEG quality 60: its cut-out's side has a notch
    where the compression lost the edge, and the outline coming back out of it is not a
    sleeve sticking out (it read as a dress when it was)."""
    photo = compressed(shop_photo(shared, "1.jpg"), quality=60)
    assert Garment.from_image(photo).category == Category.SHORT_SLEEVE


def shop_photo(shared, name: str) -> np.ndarray:
    """The shop photo ``name`` as RGB."""
    bgr = cv2.imread(str(next(shared.glob(f"data/garments/*/{name}"))))
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def labelled(name: str) -> Category:
    """The type a shop photo shows, by eye."""
    if name[:5] in LONG_SLEEVED:
        return Category.LONG_SLEEVE
    return Category.SLEEVELESS if name[:5] in SLEEVELESS else Category.SHORT_SLEEVE


@pytest.mark.parametrize("name", ["00470", "09176", "00151", "09263", "10165"])
def test_sleeves_lying_against_the_body_have_their_armpits_high_up(real_garments, name):
    """No dent where the sleeve lies on the body: the armpit must not slide down to the cuffs."""
    garment = prepared(real_garments, name)
    top, _, height, _ = box(garment)
    p = garment.landmarks
    for armpit, sleeve in ((P.ARMPIT_LEFT, P.SLEEVE_LEFT), (P.ARMPIT_RIGHT, P.SLEEVE_RIGHT)):
        assert p[armpit, 1] - top < 0.45 * height, f"{armpit.name} is in the lower part"
        assert p[sleeve, 1] - p[armpit, 1] > 0.35 * height, f"{armpit.name} is near the cuff"
        assert p[sleeve, 1] - top > 0.6 * height, f"{sleeve.name} is not at the sleeve's end"


@pytest.mark.parametrize("name", ["09236", "04469", "14627"])
def test_ties_and_hanging_straps_are_not_the_hem(real_garments, name):
    """A tie (09236, 04469) or straps (14627) hang below the hem; the hem corners stay level
    at the body panel's bottom, well above the garment's lowest point."""
    garment = prepared(real_garments, name)
    _, bottom, height, _ = box(garment)
    p = garment.landmarks
    for hem in (P.HEM_LEFT, P.HEM_RIGHT):
        assert bottom - p[hem, 1] > 0.08 * height, f"{hem.name} is down on the tie"
    assert abs(p[P.HEM_LEFT, 1] - p[P.HEM_RIGHT, 1]) < 0.05 * height


@pytest.mark.parametrize("name", ["09133", "09256", "07382", "14627", "02015", "04825"])
def test_strappy_tops_have_their_armpits_below_the_straps(real_garments, name):
    """Ruffled straps, a shallow cut-away armhole, a racer back, a bra, a cami, a halter."""
    garment = prepared(real_garments, name)
    top, _, height, _ = box(garment)
    p = garment.landmarks
    for shoulder, armpit in ((P.SHOULDER_LEFT, P.ARMPIT_LEFT), (P.SHOULDER_RIGHT, P.ARMPIT_RIGHT)):
        assert p[shoulder, 1] - top < 0.2 * height, f"{shoulder.name} is not up on the strap"
        assert p[armpit, 1] - p[shoulder, 1] > 0.08 * height, f"{armpit.name} is up at the strap"


@pytest.mark.parametrize("name", ["10297", "02305"])
def test_off_shoulder_sleeves_start_on_the_top_edge(real_garments, name):
    """Off-shoulder puff sleeves: the shoulder points are where the sleeves start on the
    straight top edge, above the armpits - not out at the puffs' far corners."""
    garment = prepared(real_garments, name)
    _, _, _, width = box(garment)
    p = garment.landmarks
    for shoulder, armpit, sleeve in (
        (P.SHOULDER_LEFT, P.ARMPIT_LEFT, P.SLEEVE_LEFT),
        (P.SHOULDER_RIGHT, P.ARMPIT_RIGHT, P.SLEEVE_RIGHT),
    ):
        assert abs(p[shoulder, 0] - p[armpit, 0]) < 0.08 * width
        assert abs(p[sleeve, 0] - p[shoulder, 0]) > 0.15 * width
