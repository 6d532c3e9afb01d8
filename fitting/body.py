"""Where a garment goes on a body: pure geometry from one person's keypoints.

The garment's body panel is described in *torso coordinates* ``(u, v)``: ``u`` runs across the
shoulders (-1 at the wearer's right shoulder seam, +1 at the left), ``v`` runs down in the
same unit (half a shoulder width), 0 on the shoulder line. A :class:`TorsoFrame` places those
coordinates on the body as a bilinear sheet stretched between the shoulder line and the hip
line, so the garment leans, twists and foreshortens with the torso; near the top the sheet
slides sideways with the head, so the neckline stays around the neck. Each arm is its
joints (warp.py lays a sleeve along them); the face and forearms are :class:`Capsule`
occluders.

All points are (x, y) image pixels; arrays of points are (N, 2) float32.
"""

from dataclasses import dataclass

import numpy as np

from .config import FitConfig
from .geometry import bilinear_inverse, perp
from .keypoints import FACE, Keypoint, half_shoulder_width

# A typical frontal person, measured on the shared VITON-HD photos: the shoulder line to
# the hip line is 2.8 half shoulder widths (joint to joint); the hip joints are 0.61 as far
# apart as the shoulder joints. Used when the hips are missing, and to read hip turn.
HIP_JOINTS_PER_SHOULDER = 0.61
NECK_FADE = 1.2  # the neckline's sideways slide fades out this far below the shoulder line
MIN_HEAD_RADIUS = 0.25  # x half shoulder width: the face is never smaller than this
# A garment is at least this wide (half-width per unit of torso length) on a body turned
# sideways, whose shoulder keypoints nearly meet. A frontal torso is 0.38 and one seen from
# the side about 0.2; 0.12 keeps a profile from shrinking the garment to a ribbon. Against
# the COCO people's annotated outlines (tools.evaluate), 0.2 spilled about as much as 0.12
# when tried (0.094 vs 0.095) but far more by the torso-outline measure; widening every
# turned body by its depth spilled more on both (0.108 off the outlines): torso lengths in
# sports poses are too rough a scale for it.
MIN_HALF_WIDTH_PER_TORSO = 0.12
HIP_TWIST_COS = 0.5  # hips turned more than 60 degrees from the shoulders are not followed
# The garment is at most this much wider at the hip line than at the shoulders: the widest
# hips of the shared frontal photos give 1.18 (hip joints 0.72 as far apart as the shoulders).
MAX_HIPS_PER_SHOULDERS = 1.2


CHIN_DROP = 0.5  # the chin is this many face radii below the face centre, towards the neck


@dataclass(frozen=True)
class TorsoFrame:
    """Torso coordinates (u, v) <-> image pixels.

    ``to_image(u, v) = (1 - t) (origin + u across) + t (hip_origin + u hip_across)
    + w(v) neck_shift`` with ``t = v / length`` and ``w`` fading from 1 at the shoulders to 0
    at ``NECK_FADE``.
    """

    origin: np.ndarray  # (2,) middle of the shoulder line
    across: np.ndarray  # (2,) from the middle to the wearer's left shoulder seam
    hip_origin: np.ndarray  # (2,) middle of the hip line
    hip_across: np.ndarray  # (2,) half the garment's width at the hip line
    length: float  # v of the hip line
    neck_shift: np.ndarray  # (2,) sideways slide of the neckline towards the head

    def to_image(self, uv: np.ndarray) -> np.ndarray:
        u, v = uv[:, :1], uv[:, 1:]
        t = v / self.length
        top = self.origin + u * self.across
        bottom = self.hip_origin + u * self.hip_across
        return (1 - t) * top + t * bottom + self._neck_weight(v) * self.neck_shift

    def to_garment(self, xy: np.ndarray) -> np.ndarray:
        """The inverse of :meth:`to_image`: (N, 2) pixels -> (N, 2) torso coordinates.

        Solves the bilinear map in closed form (a quadratic in t), then corrects for the
        neck slide with one fixed-point step (the slide is small and smooth, so that lands
        within a fraction of a pixel). Points the map cannot reach (a fold of the sheet, far
        outside the body) come back as NaN.
        """
        uv = self._invert_bilinear(xy)
        if self.neck_shift.any():
            uv = self._invert_bilinear(xy - self._neck_weight(uv[:, 1:]) * self.neck_shift)
        return uv

    def _neck_weight(self, v: np.ndarray) -> np.ndarray:
        return np.clip(1.0 - v / NECK_FADE, 0.0, 1.0)

    def _invert_bilinear(self, xy: np.ndarray) -> np.ndarray:
        e = self.hip_origin - self.origin  # the sheet is origin + u a + t e + u t f
        u, t = bilinear_inverse(xy, self.origin, self.across, e, self.hip_across - self.across)
        return np.stack([u, t * self.length], axis=1)


@dataclass(frozen=True)
class Capsule:
    """A segment with a radius: a limb or the neck, in pixels."""

    start: np.ndarray  # (2,)
    end: np.ndarray  # (2,)
    radius: float


@dataclass(frozen=True)
class Body:
    """Everything the fit needs about one person."""

    torso: TorsoFrame
    scale: float  # half the shoulder width in pixels (joint to joint)
    arms: dict[str, np.ndarray]  # "left"/"right" -> (2..3, 2) shoulder, elbow[, wrist]
    forearms: dict[str, Capsule]  # "left"/"right" forearm and hand, in front of the torso
    head: Capsule | None  # the face down to the chin, in front of all of the garment


def point(keypoints: np.ndarray, k: Keypoint, min_score: float) -> np.ndarray | None:
    return keypoints[k, :2] if keypoints[k, 2] >= min_score else None


def fit_body(keypoints: np.ndarray, config: FitConfig, follow_body: bool = True) -> Body | None:
    """The :class:`Body` of a person, or None without both shoulders.

    ``keypoints``: (17, 3) x, y, score. With ``follow_body=False`` the garment is only placed
    by the shoulders (scaled and rotated with them: the simple overlay), ignoring hips, head
    and arms.
    """
    kp = np.asarray(keypoints, dtype=np.float64)
    thr = config.keypoint_score

    def get(k):
        return point(kp, k, thr)

    scale = half_shoulder_width(kp, thr)
    if scale is None:
        return None
    left, right = get(Keypoint.LEFT_SHOULDER), get(Keypoint.RIGHT_SHOULDER)
    origin = (left + right) / 2
    across = (left - origin) * (1 + config.shoulder_outset)
    length = config.torso_length
    hip_origin, hip_across = origin + perp(across) * length, across
    hips = get(Keypoint.LEFT_HIP), get(Keypoint.RIGHT_HIP)
    neck_shift = np.zeros(2)
    if follow_body:
        if hips[0] is not None and hips[1] is not None:
            hip_origin = (hips[0] + hips[1]) / 2
            hip_across = _hip_across(hips[0] - hip_origin, across, config)
            # A body turned sideways shows shoulders and hips close together, but its torso
            # is still as wide as it is deep: keep the garment at least that wide.
            least = MIN_HALF_WIDTH_PER_TORSO * float(np.linalg.norm(hip_origin - origin))
            across, hip_across = (
                _at_least(across, least, hip_origin - origin),
                _at_least(hip_across, least, hip_origin - origin),
            )
        head = _face_center(kp, thr)
        if head is not None:
            direction = across / np.linalg.norm(across)
            neck_shift = config.neck_follow * float(np.dot(head - origin, direction)) * direction
    torso = TorsoFrame(origin, across, hip_origin, hip_across, length, neck_shift)
    head = _head(kp, thr, config, scale, origin)
    if not follow_body:
        return Body(torso, scale, {}, {}, head)

    arms, forearms = {}, {}
    for side, (s, e, w) in {
        "left": (left, get(Keypoint.LEFT_ELBOW), get(Keypoint.LEFT_WRIST)),
        "right": (right, get(Keypoint.RIGHT_ELBOW), get(Keypoint.RIGHT_WRIST)),
    }.items():
        if e is None:
            continue
        arms[side] = np.array([s, e] if w is None else [s, e, w])
        if w is not None:
            hand = w + (w - e) * config.hand_length
            forearms[side] = Capsule(e, hand, config.forearm_radius * scale)
    return Body(torso, scale, arms, forearms, head)


def _hip_across(half_hips: np.ndarray, across: np.ndarray, config: FitConfig) -> np.ndarray:
    """Half the garment's width at the hip line, from half the hip joints' span.

    Hips turned far from the shoulders (or swapped) would fold the sheet over, so the hem
    then keeps the shoulders' direction; hips spread wider than MAX_HIPS_PER_SHOULDERS are
    legs apart or a seated person, not a wider body, and the hem does not balloon with them.
    """
    hip_across = half_hips * (1 + config.shoulder_outset) / HIP_JOINTS_PER_SHOULDER
    width, shoulders = float(np.linalg.norm(hip_across)), float(np.linalg.norm(across))
    if np.dot(hip_across, across) < HIP_TWIST_COS * width * shoulders:
        hip_across = across / shoulders * width
    return hip_across * min(1.0, MAX_HIPS_PER_SHOULDERS * shoulders / max(width, 1e-9))


def _at_least(across: np.ndarray, half_width: float, down: np.ndarray) -> np.ndarray:
    """``across`` lengthened to ``half_width`` if shorter, turned square to ``down`` as it
    grows (the direction of a very short across is mostly noise), keeping its side."""
    length = float(np.linalg.norm(across))
    if length >= half_width:
        return across
    square = -perp(down) / max(float(np.linalg.norm(down)), 1e-9)  # rightwards for upright
    square *= np.sign(np.dot(square, across)) or 1.0
    w = length / half_width  # 1: trust the shoulders' direction; 0: square to the torso
    direction = w * across / max(length, 1e-9) + (1 - w) * square
    return direction / max(float(np.linalg.norm(direction)), 1e-9) * half_width


def _face_center(kp: np.ndarray, thr: float) -> np.ndarray | None:
    face = kp[list(FACE)]
    face = face[face[:, 2] >= thr]
    return face[:, :2].mean(axis=0) if len(face) else None


def _head(kp, thr: float, config: FitConfig, scale: float, neck: np.ndarray) -> Capsule | None:
    """The face as a capsule from its centre towards the neck, ending at the chin."""
    face = kp[list(FACE)]
    face = face[face[:, 2] >= thr, :2]
    if not len(face):
        return None
    center = face.mean(axis=0)
    spread = float(np.linalg.norm(face - center, axis=1).max()) if len(face) > 1 else 0.0
    radius = max(config.head_radius * spread, MIN_HEAD_RADIUS * scale)
    down = neck - center
    chin = center + down / max(float(np.linalg.norm(down)), 1e-6) * CHIN_DROP * radius
    return Capsule(center, chin, radius)
