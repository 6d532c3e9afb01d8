"""Synthetic test data drawn from known geometry: a striped T-shirt and stick-figure people.

The garment is drawn here, independently of the engine, so tests know its exact mask and
landmarks; the people are keypoints made from a few body measurements.
"""

import hashlib
from dataclasses import dataclass

import cv2
import numpy as np

from clothes import Category, GarmentPoint

P = GarmentPoint
COLLAR_STAND = 24  # px: how high a synthetic shirt's collar rises behind the neck


@dataclass(frozen=True)
class SyntheticGarment:
    """Duck-types ``clothes.Garment``: what the engine reads of a garment."""

    name: str
    category: Category
    rgba: np.ndarray
    landmarks: np.ndarray
    cuff_widths: np.ndarray
    key: str


def tshirt(sleeves: str = "short", color=(40, 90, 200), stripes=True, back=False, collar=False):
    """A front-facing T-shirt (a SyntheticGarment) on a 640x720 canvas; ``sleeves``: "short",
    "long" or "none"; ``back``: the inside of its back shows through the neckline (in shadow);
    ``collar``: a collar's stand rises COLLAR_STAND px above the neck points, between them.

    The wearer's left is on the image's right, as in a product photo.
    """
    lm = np.zeros((len(P), 2), np.float32)
    lm[P.NECK_RIGHT], lm[P.NECK_CENTER], lm[P.NECK_LEFT] = (255, 95), (320, 150), (385, 95)
    lm[P.SHOULDER_RIGHT], lm[P.SHOULDER_LEFT] = (170, 120), (470, 120)
    lm[P.ARMPIT_RIGHT], lm[P.ARMPIT_LEFT] = (185, 270), (455, 270)
    lm[P.HEM_RIGHT], lm[P.HEM_LEFT] = (185, 660), (455, 660)
    body = [lm[i] for i in (P.NECK_RIGHT, P.SHOULDER_RIGHT, P.ARMPIT_RIGHT, P.HEM_RIGHT,
                            P.HEM_LEFT, P.ARMPIT_LEFT, P.SHOULDER_LEFT, P.NECK_LEFT)]  # fmt: skip
    neckline = [(320 + 65 * np.cos(a), 95 + 55 * np.sin(a)) for a in np.linspace(0, np.pi, 15)]
    polygons = [np.array(body + neckline)]
    cuffs = np.zeros(2, np.float32)
    length = {"short": 140, "long": 420, "none": 0}[sleeves]
    for i, (shoulder, armpit, cuff, out) in enumerate(
        [
            (P.SHOULDER_LEFT, P.ARMPIT_LEFT, P.SLEEVE_LEFT, 1),
            (P.SHOULDER_RIGHT, P.ARMPIT_RIGHT, P.SLEEVE_RIGHT, -1),
        ]  # fmt: skip
    ):
        root = (lm[shoulder] + lm[armpit]) / 2
        if not length:
            lm[cuff], cuffs[i] = root, np.linalg.norm(lm[shoulder] - lm[armpit])
            continue
        spread = 0.8 if sleeves == "short" else 0.3  # long sleeves hang closer to the body
        direction = np.array([out * spread, 1.0]) / np.hypot(spread, 1.0)
        lm[cuff] = root + direction * length
        cuffs[i] = 0.75 * np.linalg.norm(lm[shoulder] - lm[armpit])
        upper = np.array([out * direction[1], -direction[0] * out])  # across the sleeve, upwards
        half = upper * cuffs[i] / 2
        polygons.append(np.array([lm[shoulder], lm[cuff] + half, lm[cuff] - half, lm[armpit]]))
    opening = np.array([lm[P.NECK_RIGHT], *neckline[::-1], lm[P.NECK_LEFT]])
    if collar:
        up = np.array([0, COLLAR_STAND])
        polygons.append(np.array([lm[P.NECK_RIGHT], lm[P.NECK_RIGHT] + (8, 0) - up,
                                  lm[P.NECK_LEFT] - (8, 0) - up, lm[P.NECK_LEFT]]))  # fmt: skip
    alpha = _fill(polygons + ([opening] if back else []), (720, 640))
    rgb = np.empty((720, 640, 3), np.uint8)
    rgb[:] = color
    if stripes:
        rgb[(np.arange(720) // 24) % 2 == 1] = 235
    if back:
        inside = _fill([opening], (720, 640)) > 0
        rgb[inside] = rgb[inside] // 2
    rgba = np.dstack([rgb, alpha])
    category = {
        "short": Category.SHORT_SLEEVE,
        "long": Category.LONG_SLEEVE,
        "none": Category.SLEEVELESS,
    }
    key = hashlib.sha256(rgba.tobytes()).hexdigest()[:16]
    return SyntheticGarment(f"synthetic {sleeves}", category[sleeves], rgba, lm, cuffs, key)


def _fill(polygons, shape, supersample=4) -> np.ndarray:
    """Anti-aliased union of polygons as a uint8 alpha matte."""
    big = np.zeros((shape[0] * supersample, shape[1] * supersample), np.uint8)
    for poly in polygons:
        cv2.fillPoly(big, [np.round(np.asarray(poly) * supersample).astype(np.int32)], 255)
    return cv2.resize(big, shape[::-1], interpolation=cv2.INTER_AREA)


def person(center=(320.0, 240.0), shoulder_width=120.0, arms="down", score=0.9) -> np.ndarray:
    """COCO-17 keypoints (17, 3) of an upright person facing the camera.

    ``arms``: "down" (hanging), "out" (horizontal), "up" (raised), or "cross" (left forearm
    across the chest). The person's left is on the image's right.
    """
    cx, cy = center  # middle of the shoulder line
    hw = shoulder_width / 2
    kp = np.zeros((17, 3), np.float32)
    kp[:, 2] = score
    kp[0, :2] = (cx, cy - 1.1 * hw)  # nose
    kp[1, :2], kp[2, :2] = (cx + 0.2 * hw, cy - 1.25 * hw), (cx - 0.2 * hw, cy - 1.25 * hw)
    kp[3, :2], kp[4, :2] = (cx + 0.45 * hw, cy - 1.15 * hw), (cx - 0.45 * hw, cy - 1.15 * hw)
    kp[5, :2], kp[6, :2] = (cx + hw, cy), (cx - hw, cy)
    kp[11, :2], kp[12, :2] = (cx + 0.6 * hw, cy + 2.8 * hw), (cx - 0.6 * hw, cy + 2.8 * hw)
    kp[13, :2], kp[14, :2] = (cx + 0.6 * hw, cy + 4.4 * hw), (cx - 0.6 * hw, cy + 4.4 * hw)
    kp[15, :2], kp[16, :2] = (cx + 0.6 * hw, cy + 6.0 * hw), (cx - 0.6 * hw, cy + 6.0 * hw)
    upper, fore = 1.6 * hw, 1.4 * hw
    for side, sign in ((0, 1), (1, -1)):  # left arm on the image's right
        shoulder = kp[5 + side, :2]
        if arms == "out":
            elbow = shoulder + (sign * upper, 0)
            wrist = elbow + (sign * fore, 0)
        elif arms == "up":
            elbow = shoulder + (sign * 0.5 * upper, -0.85 * upper)
            wrist = elbow + (sign * 0.2 * fore, -0.95 * fore)
        else:
            elbow = shoulder + (sign * 0.15 * upper, upper)
            wrist = elbow + (sign * 0.1 * fore, fore)
            if arms == "cross" and side == 0:
                wrist = elbow + (-1.0 * fore, -0.15 * fore)
        kp[7 + side, :2], kp[9 + side, :2] = elbow, wrist
    return kp
