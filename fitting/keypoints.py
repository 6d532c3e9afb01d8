"""COCO-17 body keypoints: names, indices and the skeleton, as data.

Keypoint arrays throughout the project are ``(17, 3)`` float32 per person: ``x, y`` in image
pixels and a confidence ``score``, rows in COCO order (index them with :class:`Keypoint`).
Left and right are the person's own, so a person facing the camera has their left shoulder on
the right of the image.
"""

from enum import IntEnum

import numpy as np

from .geometry import in_frame, perp, ray_exit, unit


class Keypoint(IntEnum):
    NOSE = 0
    LEFT_EYE = 1
    RIGHT_EYE = 2
    LEFT_EAR = 3
    RIGHT_EAR = 4
    LEFT_SHOULDER = 5
    RIGHT_SHOULDER = 6
    LEFT_ELBOW = 7
    RIGHT_ELBOW = 8
    LEFT_WRIST = 9
    RIGHT_WRIST = 10
    LEFT_HIP = 11
    RIGHT_HIP = 12
    LEFT_KNEE = 13
    RIGHT_KNEE = 14
    LEFT_ANKLE = 15
    RIGHT_ANKLE = 16


NUM_KEYPOINTS = len(Keypoint)
KEYPOINT_NAMES = tuple(k.name.lower() for k in Keypoint)
FACE = (Keypoint.NOSE, Keypoint.LEFT_EYE, Keypoint.RIGHT_EYE, Keypoint.LEFT_EAR, Keypoint.RIGHT_EAR)

K = Keypoint
# fmt: off
# The limbs drawn for the skeleton overlay (mmpose's COCO skeleton), grouped by body part so
# each group gets its own colour.
SKELETON = {
    "face": ((K.LEFT_EAR, K.LEFT_EYE), (K.LEFT_EYE, K.NOSE), (K.NOSE, K.RIGHT_EYE),
             (K.RIGHT_EYE, K.RIGHT_EAR), (K.LEFT_EYE, K.RIGHT_EYE)),
    "torso": ((K.LEFT_SHOULDER, K.RIGHT_SHOULDER), (K.LEFT_SHOULDER, K.LEFT_HIP),
              (K.RIGHT_SHOULDER, K.RIGHT_HIP), (K.LEFT_HIP, K.RIGHT_HIP)),
    "left": ((K.LEFT_SHOULDER, K.LEFT_ELBOW), (K.LEFT_ELBOW, K.LEFT_WRIST),
             (K.LEFT_HIP, K.LEFT_KNEE), (K.LEFT_KNEE, K.LEFT_ANKLE)),
    "right": ((K.RIGHT_SHOULDER, K.RIGHT_ELBOW), (K.RIGHT_ELBOW, K.RIGHT_WRIST),
              (K.RIGHT_HIP, K.RIGHT_KNEE), (K.RIGHT_KNEE, K.RIGHT_ANKLE)),
}
# fmt: on
# The limbs that carry a body: arms, legs and the torso's edges (the skeleton without the face).
LIMBS = SKELETON["left"] + SKELETON["right"] + SKELETON["torso"]
SHOULDERS = (K.LEFT_SHOULDER, K.RIGHT_SHOULDER)
TORSO = (K.LEFT_SHOULDER, K.RIGHT_SHOULDER, K.RIGHT_HIP, K.LEFT_HIP)  # round its outline
# Each limb as its two ends and the joint between them.
LIMB_JOINTS = ((K.LEFT_SHOULDER, K.LEFT_ELBOW, K.LEFT_WRIST),
               (K.RIGHT_SHOULDER, K.RIGHT_ELBOW, K.RIGHT_WRIST),
               (K.LEFT_HIP, K.LEFT_KNEE, K.LEFT_ANKLE),
               (K.RIGHT_HIP, K.RIGHT_KNEE, K.RIGHT_ANKLE))  # fmt: skip
del K
MAX_BONE = 3.0  # x half shoulder width: longer than any upper arm, forearm, thigh or shin
# (typical: 1.75 for an upper arm, about 2 for a thigh)
EDGE = 0.3  # x half shoulder width: a joint this near the frame's edge, or past it, is partly
# out of view (a limb's half-width, as measures.ARM_RADIUS)

# A typical frontal person, measured on the shared VITON-HD photos: the shoulder line to the
# hip line is 2.8 half shoulder widths (joint to joint); the hip joints are 0.61 as far apart
# as the shoulder joints. Used where the hips are out of view, and to read hip turn.
TORSO_PER_HALF_SHOULDER = 2.8
HIP_JOINTS_PER_SHOULDER = 0.61
# Hip to knee, x half shoulder width: the median of the FitDiT photos' legs (24), and near
# their longest (2.49 at the 90th percentile): a knee is below the frame if it would be out
# of it at the end of a thigh this long (see knee_below_frame).
THIGH_PER_HALF_SHOULDER = 2.25
LONG_THIGH = 2.5


def keypoints_box(keypoints: np.ndarray, min_score: float) -> np.ndarray | None:
    """Tight ``(4,)`` xyxy box around the keypoints scoring at least ``min_score``.

    ``keypoints``: ``(17, 3)``. Returns None when fewer than three keypoints are confident.
    """
    xy = keypoints[keypoints[:, 2] >= min_score, :2]
    if len(xy) < 3:
        return None
    return np.concatenate([xy.min(axis=0), xy.max(axis=0)]).astype(np.float32)


MIN_HALF_SHOULDER_PX = 2.0  # shoulders closer than this are a failed detection, not a person


def half_shoulder_width(keypoints: np.ndarray, min_score: float) -> float | None:
    """Half the distance between the shoulder joints, or None if either is missing."""
    left, right = keypoints[Keypoint.LEFT_SHOULDER], keypoints[Keypoint.RIGHT_SHOULDER]
    if min(left[2], right[2]) < min_score:
        return None
    half = float(np.hypot(*(left[:2] - right[:2]))) / 2
    return half if half >= MIN_HALF_SHOULDER_PX else None


def body_scale(keypoints: np.ndarray, min_score: float) -> float | None:
    """How big a person looks, in pixels: half the shoulder width or, for a body turned
    sideways (whose shoulders close up), the torso length over TORSO_PER_HALF_SHOULDER,
    whichever is larger. None without both shoulders."""
    half = half_shoulder_width(keypoints, min_score)
    if half is None:
        return None
    seen = keypoints[:, 2] >= min_score
    hips = [k for k in (Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP) if seen[k]]
    if not hips:
        return half
    shoulders = keypoints[[Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER], :2].mean(axis=0)
    torso = float(np.hypot(*(keypoints[hips, :2].mean(axis=0) - shoulders)))
    return max(half, torso / TORSO_PER_HALF_SHOULDER)


def face_center(keypoints: np.ndarray, min_score: float) -> np.ndarray | None:
    """The mean of the seen face keypoints (nose, eyes, ears), or None."""
    face = keypoints[list(FACE)]
    face = face[face[:, 2] >= min_score]
    return face[:, :2].mean(axis=0) if len(face) else None


def down_from_shoulders(across: np.ndarray, middle: np.ndarray, head: np.ndarray | None):
    """Square to the shoulders (``across``: from their ``middle`` to the left shoulder) and
    as long, towards where the hips are when they are out of view: away from the ``head``,
    or down the image when no part of the head is seen. (Seen from behind, a person's left
    shoulder is on the image's left: the side that is "down" for one facing the camera is
    then up.)"""
    down = perp(across)
    towards = middle - head if head is not None else np.array([0.0, 1.0])
    return down if down @ towards >= 0 else -down


def torso_corners(keypoints: np.ndarray, min_score: float) -> np.ndarray | None:
    """The torso's corners (4, 2) in TORSO order: the seen shoulders and hips, a hip out of
    view (a webcam close up, a photo cut at the waist) where a typical torso puts it. None
    without both shoulders."""
    half = half_shoulder_width(keypoints, min_score)
    if half is None:
        return None
    corners = keypoints[list(TORSO), :2].astype(np.float64)
    seen = keypoints[list(TORSO), 2] >= min_score
    if seen.all():
        return corners
    middle = corners[:2].mean(axis=0)
    across = corners[0] - middle
    down = down_from_shoulders(across, middle, face_center(keypoints, min_score))
    hip_middle = middle + down * TORSO_PER_HALF_SHOULDER
    hips = hip_middle + np.outer([-1, 1], across) * HIP_JOINTS_PER_SHOULDER
    corners[2:] = np.where(seen[2:, None], corners[2:], hips)  # TORSO: right hip, left hip
    return corners


def knee_in_view(knee: np.ndarray | None, scale: float, frame_shape) -> bool:
    """Whether the frame shows a ``knee`` (None: unseen): inside it, or at most EDGE x
    ``scale`` past its edge (at a webcam's bottom edge a knee is on either side of it from
    frame to frame). A knee further out is a guess of the pose model."""
    return knee is not None and in_frame(knee, frame_shape, EDGE * scale)


def knee_below_frame(hip: np.ndarray, down: np.ndarray, scale: float, frame_shape):
    """Where a knee the frame does not show is when it is below the frame: when it would be
    out of the frame if it hung straight down the torso (``down``) from a thigh as long as
    LONG_THIGH, it does so, as far as a typical thigh or to the frame's edge if that is
    farther. None otherwise (the hip out of the frame, or the knee hidden within it)."""
    if not in_frame(hip, frame_shape):
        return None
    down = unit(down)
    if in_frame(hip + down * LONG_THIGH * scale, frame_shape):
        return None
    return hip + down * max(THIGH_PER_HALF_SHOULDER * scale, ray_exit(hip, down, frame_shape))


def knees_below_frame(keypoints: np.ndarray, min_score: float, frame_shape) -> list[np.ndarray]:
    """Where the fit places the knees of a person's keypoints (17, 3) that the frame does not
    show (see knee_in_view) but that are below it (see knee_below_frame; body.py draws bottoms
    on those thighs). Empty without both shoulders and both hips seen."""
    torso = torso_corners(keypoints, min_score)
    if torso is None or keypoints[[Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP], 2].min() < min_score:
        return []
    scale = half_shoulder_width(keypoints, min_score)
    down = torso[2:].mean(axis=0) - torso[:2].mean(axis=0)  # TORSO: shoulders, then hips
    knees = []
    for hip, knee in ((Keypoint.LEFT_HIP, Keypoint.LEFT_KNEE),
                      (Keypoint.RIGHT_HIP, Keypoint.RIGHT_KNEE)):  # fmt: skip
        seen = keypoints[knee, :2] if keypoints[knee, 2] >= min_score else None
        if knee_in_view(seen, scale, frame_shape):
            continue
        if (placed := knee_below_frame(keypoints[hip, :2], down, scale, frame_shape)) is not None:
            knees.append(placed)
    return knees


FACE_MIN_SEEN = 3  # of the five face keypoints, this many seen make a face


def has_face(keypoints: np.ndarray, min_score: float) -> bool:
    """Whether a person's keypoints (17, 3) show their face: at least FACE_MIN_SEEN of the
    nose, eyes and ears scoring ``min_score`` or more (a garment on a mannequin has none)."""
    return int(np.count_nonzero(keypoints[list(FACE), 2] >= min_score)) >= FACE_MIN_SEEN


def flanked(points: np.ndarray, seen: np.ndarray, scale: float, frame_shape=None) -> np.ndarray:
    """(17,) bool: the middle joints (elbows, knees) whose limb is in view around them: its
    two ends ``seen`` (17,), or, in a frame of ``frame_shape``, its upper end (shoulder, hip)
    seen and the joint at the frame's edge (within EDGE x ``scale`` of it, or past it); each
    bone from a seen end (``points`` (17, 2)) no longer than MAX_BONE x ``scale``. Where the
    pose model puts such a joint, the limb is there, whatever the joint's own score says: an
    elbow raised in front of the face scores low, and so does a knee where the leg leaves the
    frame (a webcam's bottom edge)."""
    at_edge = np.zeros(len(points), bool)
    if frame_shape is not None:
        h, w = frame_shape[:2]
        margin = EDGE * scale
        x, y = points[:, 0], points[:, 1]
        at_edge = (x < margin) | (y < margin) | (x > w - 1 - margin) | (y > h - 1 - margin)
    out = np.zeros(len(points), bool)
    for end, joint, other in LIMB_JOINTS:
        short = np.linalg.norm(points[[end, other]] - points[joint], axis=1) <= MAX_BONE * scale
        between = seen[end] and seen[other] and short.all()
        out[joint] = between or bool(seen[end] and at_edge[joint] and short[0])
    return out


def shoulder_past_edge(keypoints: np.ndarray, last: np.ndarray, min_score: float, frame_shape):
    """A person's keypoints (17, 3), with a shoulder that has left the frame put back: where
    one shoulder is seen and the other is not, and the person's ``last`` keypoints (17, 3) saw
    both, the unseen one goes where it was then against the seen one; if that is at the frame's
    edge (within EDGE x the last half shoulder width) or past it, it counts as seen
    (``min_score``). A pose model scores a joint outside the image low, and someone stepping
    half out of the frame lost their garment: held where they had been, then gone. A shoulder
    unseen inside the frame (turned away, hidden) stays unseen."""
    seen = keypoints[list(SHOULDERS), 2] >= min_score
    scale = half_shoulder_width(last, min_score)
    if seen.all() or not seen.any() or scale is None:
        return keypoints
    have, lost = SHOULDERS if seen[0] else SHOULDERS[::-1]
    placed = keypoints[have, :2] + last[lost, :2] - last[have, :2]
    if in_frame(placed, frame_shape, -EDGE * scale):
        return keypoints
    out = keypoints.copy()
    out[lost] = (*placed, min_score)
    return out
