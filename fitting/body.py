"""Where a garment goes on a body: pure geometry from one person's keypoints.

A :class:`Body` is one person as the fit sees them: their torso as a sheet of torso
coordinates (torso.py: the garment leans, twists and foreshortens with it), each arm's joints
(sleeves.py lays a sleeve along them), and the face and forearms as :class:`Capsule` occluders.

With the person's :class:`~fitting.silhouette.Outline` (the segmentation model's mask), the
body also knows its real width, measured on the outline (measures.py): where the torso's
silhouette ends on either side of each row of the sheet (:class:`~fitting.measures.Flanks`;
an arm beside the torso ends it too), how high its shoulders reach, and how wide each arm
is. warp.py stretches the garment to reach those flanks; composite.py cuts it to the
outline.

All points are (x, y) image pixels; arrays of points are (N, 2) float32.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .config import FitConfig
from .geometry import in_frame, perp, perp_towards, ray_exit, unit
from .keypoints import (
    EDGE,
    FACE,
    HIP_JOINTS_PER_SHOULDER,
    TORSO,
    Keypoint,
    body_scale,
    down_from_shoulders,
    face_center,
    half_shoulder_width,
    knee_below_frame,
    knee_in_view,
)
from .measures import (
    ARM_RADIUS,
    FLANK_REACH,
    Flanks,
    arm_edge_slope,
    arm_half_width,
    measure_arm,
    measure_flanks,
    measure_shoulders,
)
from .silhouette import Outline
from .torso import TorsoFrame

if TYPE_CHECKING:  # arm_outlines imports this module
    from .arm_outlines import ToldForearm

UPPER_ARM_PER_HALF_SHOULDER = 1.75  # shoulder to elbow, median of the shared frontal photos
# The longest of them (49 arms; 1.97 at the 90th percentile): an unseen elbow is below the
# frame if it would be out of the frame hanging from an arm this long. (Asked of a typical arm,
# a frame ending about that far below the shoulders flipped the sleeve between hanging and as
# designed from one frame to the next: 11 times in 36 frames of the webcam video cut so.)
LONG_UPPER_ARM = 2.1
# An elbow below the frame goes along its upper arm's outer edge (measures.arm_edge_slope) out
# to this slope at most (63 degrees from hanging), never inwards of hanging (an edge drawn in,
# as a hanging arm's is below its shoulder's round, is not the arm's way)
MAX_EDGE_SLOPE = 2.0
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

BONE_SAMPLES = 12  # points along an arm's bone, to see whether the outline shows it...
BONE_SHOWN = 0.8  # ...as it does when it shows this share of them (every arm of the shared
# photos and video, in good light; a dim room or an arm the colour of the wall, less)


@dataclass(frozen=True)
class Capsule:
    """A segment with a radius: a limb or the neck, in pixels."""

    start: np.ndarray  # (2,)
    end: np.ndarray  # (2,)
    radius: float


@dataclass(frozen=True)
class Core:
    """Where a person's keypoints see their body: body, whatever the outline shows there
    (against a background of its colour, in dim light, the model can miss an arm, or part of
    the torso, that the pose model still sees). See ``_core``."""

    bones: tuple[Capsule, ...]  # the arms' bones between seen joints that the outline misses
    torso: np.ndarray | None  # (4, 2) the shoulders and hips (TORSO order), all four seen


@dataclass(frozen=True)
class Body:
    """Everything the fit needs about one person."""

    torso: TorsoFrame
    scale: float  # half the shoulder width in pixels (joint to joint)
    arms: dict[str, np.ndarray]  # "left"/"right" -> (2..3, 2) shoulder, elbow[, wrist]
    forearms: dict[str, Capsule]  # "left"/"right" forearm and hand, in front of the torso
    head: Capsule | None  # the face down to the chin, in front of all of the garment
    outline: Outline | None = None  # the person's silhouette, when a segmentation ran
    flanks: Flanks | None = None  # the torso's real width, from the outline
    shoulders: tuple[float, float] = (np.nan, np.nan)  # the silhouette's top (v) over the
    # wearer's (left, right) shoulder, at u = +-SHOULDER_COLUMN; NaN where unknown
    arm_widths: dict[str, tuple[float, float]] = field(default_factory=dict)  # "left"/"right"
    # -> half-widths in pixels of the upper arm and the forearm, from the outline
    legs: dict[str, np.ndarray] = field(default_factory=dict)  # "left"/"right" -> (2..3, 2)
    # hip, knee[, ankle]: both legs or none (bottoms need both hips and knees in view)
    turn: float = 1.0  # how much bigger the body is than its shoulder span shows (sideways)
    core: Core | None = None  # where the keypoints see the body (see composite.outline_clip)
    # the forearms told from what they lie on at the last inference, in a video, with their
    # outlines there (the tracker holds them)
    forearms_told: dict[str, "ToldForearm"] = field(default_factory=dict)

    @property
    def trusted_outline(self) -> Outline | None:
        """The outline, when it is good enough to fit to (see silhouette.py); else None."""
        return self.outline if self.outline is not None and self.outline.trusted else None

    def upper_arm(self, side: str) -> float:
        """The half-width in pixels of the upper arm on ``side``: as measured, or typical."""
        return arm_half_width(self.arm_widths.get(side, (np.nan, np.nan))[0], self.scale)


def point(keypoints: np.ndarray, k: Keypoint, min_score: float) -> np.ndarray | None:
    return keypoints[k, :2] if keypoints[k, 2] >= min_score else None


def fit_body(
    keypoints: np.ndarray,
    config: FitConfig,
    follow_body: bool = True,
    outline: Outline | None = None,
    frame_shape=None,
) -> Body | None:
    """The :class:`Body` of a person, or None without both shoulders.

    ``keypoints``: (17, 3) x, y, score. With ``follow_body=False`` the garment is only placed
    by the shoulders (scaled and rotated with them: the simple overlay), ignoring hips, head
    and arms. ``outline``: the person's silhouette, from which their real width is measured.
    ``frame_shape``: with it, an arm whose elbow would be out of the frame if it hung down
    (a webcam close up) goes down along its outline's outer edge (a hand on the hip takes the
    elbow out), or hangs beside the torso where there is no outline; its sleeve goes with it.
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
    face = face_center(kp, thr)
    down = down_from_shoulders(across, origin, face)  # for hips out of view
    hip_origin, hip_across = origin + down * length, across
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
        if face is not None:
            direction = unit(across)
            neck_shift = config.neck_follow * float(np.dot(face - origin, direction)) * direction
    torso = TorsoFrame(origin, across, hip_origin, hip_across, length, neck_shift)
    head = _head(kp, thr, config, scale, origin)
    if not follow_body:
        return Body(torso, scale, {}, {}, head, outline)

    arms, forearms, seen_elbows = {}, {}, []
    axis = hip_origin - origin  # down the torso: an elbow below the frame hangs along it
    for side, (s, e, w) in {
        "left": (left, get(Keypoint.LEFT_ELBOW), get(Keypoint.LEFT_WRIST)),
        "right": (right, get(Keypoint.RIGHT_ELBOW), get(Keypoint.RIGHT_WRIST)),
    }.items():
        if e is None:
            e, w = _elbow_below_frame(s, axis, s - origin, scale, frame_shape, outline), None
            if e is None:
                continue
        else:
            seen_elbows.append(side)
        arms[side] = np.array([s, e] if w is None else [s, e, w])
        if w is not None:
            hand = w + (w - e) * config.hand_length
            forearms[side] = Capsule(e, hand, config.forearm_radius * scale)
    legs = _legs(get, scale, frame_shape, axis)
    if outline is None or not outline.trusted:
        return Body(torso, scale, arms, forearms, head, outline, legs=legs)
    widths = {side: measure_arm(outline, joints, scale) for side, joints in arms.items()}
    turn = _turn(kp, thr, across, config)
    # A hand resting on the hip is the arm's, not the torso's flank: to the flanks, the
    # forearm runs on to the hand's end, as its capsule does.
    to_hands = {side: np.vstack([joints[:2], forearms[side].end]) if side in forearms else joints
                for side, joints in arms.items()}  # fmt: skip
    flanks = measure_flanks(torso, outline, to_hands, widths, scale, FLANK_REACH * turn)
    shoulders = measure_shoulders(torso, outline)
    core = _core(kp, thr, arms, seen_elbows, outline, scale)
    return Body(
        torso, scale, arms, forearms, head, outline, flanks, shoulders, widths, legs, turn, core
    )


def _core(kp, thr: float, arms, seen_elbows, outline: Outline, scale: float) -> Core:
    """The :class:`Core` of a body: the torso between its joints, and each arm's bone the
    outline misses (where it shows the bone, its edge is the better one: the joints are seldom
    on the arm's axis), as wide as a typical arm, an upper arm from one half-width below its
    shoulder joint (which lies about that far under the shoulder's top). An elbow placed
    below the frame is a guess, and so are hips out of view (a desk in front of a webcam's user
    would be covered): their bones are left out."""
    bones = []
    radius = ARM_RADIUS * scale
    for side in seen_elbows:
        joints = arms[side].copy()
        length = float(np.linalg.norm(joints[1] - joints[0]))
        joints[0] += (joints[1] - joints[0]) * min(radius / max(length, 1e-6), 1.0)
        a, b = joints[:-1], joints[1:]  # (B, 2) each: the bones
        steps = np.linspace(0, 1, BONE_SAMPLES)[:, None]
        axes = (a[:, None] + steps * (b - a)[:, None]).reshape(-1, 2)
        # Counted on the samples in the outline's region: past the frame's edge it shows none
        on = outline.inside(axes).reshape(len(a), BONE_SAMPLES).sum(axis=1)
        seen = outline.seen_at(axes).reshape(len(a), BONE_SAMPLES).sum(axis=1)
        bones += [Capsule(a[k], b[k], radius) for k in np.flatnonzero(on < BONE_SHOWN * seen)]
    corners = kp[list(TORSO)]
    return Core(tuple(bones), corners[:, :2] if (corners[:, 2] >= thr).all() else None)


def _elbow_below_frame(shoulder, down, outward, scale: float, frame_shape, outline: Outline | None):
    """Where an unseen elbow is when it is below the frame: when it would be out of the frame
    if it hung along the torso (``down``, shoulders to hips) from an upper arm as long as
    LONG_UPPER_ARM. It goes along the outer edge of the upper arm where a trusted ``outline``
    shows it (``outward``: from the shoulders' middle to this shoulder), else down the torso,
    as far as a typical upper arm, or to the frame's edge if that is farther (it is not seen).
    None otherwise: out of sight in the frame, it may be anywhere, and the sleeve lies as
    designed."""
    if frame_shape is None:
        return None
    down = unit(down)
    if in_frame(shoulder + down * LONG_UPPER_ARM * scale, frame_shape):
        return None
    direction = down
    if outline is not None and outline.trusted:
        out = perp_towards(down, outward)
        slope = arm_edge_slope(outline, shoulder, down, out, scale)
        if np.isfinite(slope):
            direction = unit(down + np.clip(slope, 0.0, MAX_EDGE_SLOPE) * out)
    reach = max(UPPER_ARM_PER_HALF_SHOULDER * scale, ray_exit(shoulder, direction, frame_shape))
    return shoulder + direction * reach


def _legs(get, scale: float, frame_shape, down) -> dict[str, np.ndarray]:
    """Both legs as hip, knee[, ankle] (``get``: a keypoint's position or None), or none.

    In a frame of ``frame_shape``, a knee at its bottom edge (within EDGE x ``scale`` of it,
    or past it) has its shin below the frame: an ankle the pose model gives it is a guess,
    and is left out. Guessed inside the frame, above the knees of a photo cut at the thighs
    (FitDiT 0279), it folded the trousers' legs back up over the thighs, in black wedges.
    A knee further out of the frame is a guess too, and so is one unseen: when it would be
    below the frame (see keypoints.knee_below_frame) the thigh hangs straight down the torso
    (``down``, shoulders to hips) from its hip; anywhere else the legs are not known."""
    margin = EDGE * scale
    legs = {}
    for side, joints in {
        "left": (Keypoint.LEFT_HIP, Keypoint.LEFT_KNEE, Keypoint.LEFT_ANKLE),
        "right": (Keypoint.RIGHT_HIP, Keypoint.RIGHT_KNEE, Keypoint.RIGHT_ANKLE),
    }.items():
        hip, knee, ankle = (get(joint) for joint in joints)
        if hip is None:
            return {}
        # A knee the frame shows is followed; one it does not is placed if below the frame
        if frame_shape is not None and not knee_in_view(knee, scale, frame_shape):
            knee, ankle = knee_below_frame(hip, down, scale, frame_shape), None
        if knee is None:
            return {}
        if frame_shape is not None and knee[1] > frame_shape[0] - 1 - margin:
            ankle = None  # the shin is below the frame: an ankle given there is a guess
        legs[side] = np.array([hip, knee] if ankle is None else [hip, knee, ankle])
    return legs


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


def _turn(kp: np.ndarray, thr: float, across: np.ndarray, config: FitConfig) -> float:
    """How much bigger the body is than the garment's shoulder span shows (>= 1): a body
    turned sideways closes its shoulders up, but its torso keeps its length."""
    size = (body_scale(kp, thr) or 0.0) * (1 + config.shoulder_outset)
    return max(1.0, size / max(float(np.linalg.norm(across)), 1e-6))


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
