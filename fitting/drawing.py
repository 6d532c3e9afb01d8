"""Drawing the COCO skeleton over a frame."""

import cv2
import numpy as np

from .keypoints import SKELETON

COLORS = {  # RGB, one per body part
    "face": (255, 214, 10),
    "torso": (240, 240, 240),
    "left": (40, 200, 255),
    "right": (255, 90, 140),
}


def draw_skeleton(image: np.ndarray, people: np.ndarray, min_score: float) -> None:
    """Draws every person's limbs and joints onto the RGB ``image``, in place.

    ``people``: (P, 17, 3) x, y, score. Keypoints scoring below ``min_score`` are left out,
    with the limbs that touch them. Line width follows the image size.
    """
    thickness = max(1, round(max(image.shape[:2]) / 320))
    for keypoints in people:
        seen = keypoints[:, 2] >= min_score
        xy = np.round(keypoints[:, :2]).astype(int)
        for part, limbs in SKELETON.items():
            for a, b in limbs:
                if seen[a] and seen[b]:
                    pa, pb = tuple(xy[a]), tuple(xy[b])
                    cv2.line(image, pa, pb, COLORS[part], thickness, cv2.LINE_AA)
        for x, y in xy[seen]:
            cv2.circle(image, (int(x), int(y)), thickness + 2, (20, 20, 20), -1, cv2.LINE_AA)
            cv2.circle(image, (int(x), int(y)), thickness + 1, (255, 255, 255), -1, cv2.LINE_AA)
