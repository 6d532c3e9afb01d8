"""Pictures of a garment as it was read: its cut-out, outline and landmarks.

The app shows one after an upload, so that the user sees what will be worn; the contact
sheets (python -m tools.contact_sheet) are made of them.

    picture = draw_landmarks(garment.rgba, garment.landmarks, garment.cuff_widths)  # RGB uint8
    picture = draw_landmarks(garment.rgba, garment.landmarks, points=BottomPoint)  # bottoms
    picture = draw_landmarks(cutout)    # no landmarks: the cut-out and its outline
"""

import cv2
import numpy as np

from .types import BottomPoint, GarmentPoint

# Wearer's left in orange, right in cyan, centre in white (RGB).
LEFT_COLOUR = (255, 140, 0)
RIGHT_COLOUR = (0, 200, 255)
CENTRE_COLOUR = (255, 255, 255)
OUTLINE_COLOUR = (255, 0, 80)
CARD_COLOUR = (70, 80, 90)

# Lines that make the skeleton readable: neck, shoulders, armholes, side seams, hem.
SKELETON = [
    (GarmentPoint.NECK_RIGHT, GarmentPoint.NECK_CENTER),
    (GarmentPoint.NECK_CENTER, GarmentPoint.NECK_LEFT),
    (GarmentPoint.NECK_LEFT, GarmentPoint.SHOULDER_LEFT),
    (GarmentPoint.NECK_RIGHT, GarmentPoint.SHOULDER_RIGHT),
    (GarmentPoint.SHOULDER_LEFT, GarmentPoint.SLEEVE_LEFT),
    (GarmentPoint.SLEEVE_LEFT, GarmentPoint.ARMPIT_LEFT),
    (GarmentPoint.SHOULDER_RIGHT, GarmentPoint.SLEEVE_RIGHT),
    (GarmentPoint.SLEEVE_RIGHT, GarmentPoint.ARMPIT_RIGHT),
    (GarmentPoint.ARMPIT_LEFT, GarmentPoint.HEM_LEFT),
    (GarmentPoint.ARMPIT_RIGHT, GarmentPoint.HEM_RIGHT),
    (GarmentPoint.HEM_LEFT, GarmentPoint.HEM_RIGHT),
]


# Bottoms: the waistband, each leg's outer and inner seam, and the hems.
BOTTOM_SKELETON = [
    (BottomPoint.WAIST_RIGHT, BottomPoint.WAIST_LEFT),
    (BottomPoint.WAIST_LEFT, BottomPoint.HEM_LEFT_OUTER),
    (BottomPoint.HEM_LEFT_OUTER, BottomPoint.HEM_LEFT_INNER),
    (BottomPoint.HEM_LEFT_INNER, BottomPoint.CROTCH),
    (BottomPoint.CROTCH, BottomPoint.HEM_RIGHT_INNER),
    (BottomPoint.HEM_RIGHT_INNER, BottomPoint.HEM_RIGHT_OUTER),
    (BottomPoint.HEM_RIGHT_OUTER, BottomPoint.WAIST_RIGHT),
]
SKELETONS = {GarmentPoint: SKELETON, BottomPoint: BOTTOM_SKELETON}


def point_colour(point: GarmentPoint | BottomPoint) -> tuple[int, int, int]:
    if point.name.endswith("_LEFT"):
        return LEFT_COLOUR
    if point.name.endswith("_RIGHT"):
        return RIGHT_COLOUR
    return CENTRE_COLOUR


def draw_landmarks(
    rgba: np.ndarray,
    landmarks: np.ndarray | None = None,
    cuff_widths: np.ndarray | None = None,
    outline: bool = True,
    points: type[GarmentPoint] | type[BottomPoint] = GarmentPoint,
) -> np.ndarray:
    """The garment composited on a grey card with its mask outline and named landmarks (RGB);
    ``points`` names the landmarks' rows (bottoms: BottomPoint)."""
    alpha = rgba[..., 3:4].astype(np.float32) / 255
    picture = (rgba[..., :3] * alpha + np.array(CARD_COLOUR) * (1 - alpha)).astype(np.uint8)
    size = max(rgba.shape[:2])
    thickness = max(1, round(size / 400))
    if outline:
        contours, _ = cv2.findContours(
            (rgba[..., 3] >= 128).astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE
        )
        cv2.drawContours(picture, contours, -1, OUTLINE_COLOUR, thickness, cv2.LINE_AA)
    if landmarks is None:
        return picture
    pts = np.round(landmarks).astype(int)
    for a, b in SKELETONS[points]:
        cv2.line(picture, tuple(pts[a]), tuple(pts[b]), (255, 255, 0), thickness, cv2.LINE_AA)
    if cuff_widths is not None and points is GarmentPoint:
        for point, width in (
            (GarmentPoint.SLEEVE_LEFT, cuff_widths[0]),
            (GarmentPoint.SLEEVE_RIGHT, cuff_widths[1]),
        ):
            cv2.circle(
                picture,
                tuple(pts[point]),
                max(1, round(width / 2)),
                point_colour(point),
                thickness,
                cv2.LINE_AA,
            )
    radius = max(3, round(size / 110))
    for point in points:
        cv2.circle(picture, tuple(pts[point]), radius, point_colour(point), -1, cv2.LINE_AA)
        cv2.circle(
            picture, tuple(pts[point]), radius, (0, 0, 0), max(1, thickness // 2), cv2.LINE_AA
        )
    return picture


def draw_garment(garment) -> np.ndarray:
    """A prepared ``clothes.Garment`` as it was read: :func:`draw_landmarks` with its own
    landmarks (a top's or dress's, or bottoms')."""
    points = BottomPoint if garment.category.is_bottom else GarmentPoint
    return draw_landmarks(garment.rgba, garment.landmarks, garment.cuff_widths, points=points)
