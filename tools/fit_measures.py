"""What ``tools.evaluate`` measures on one fit: where the garment lies against the person.

Masks are (H, W) bool over the photo; keypoints (17, 3) x, y, score, the person's measured
ones (ground truth). The torso zone (``torso_zone``) and the shoulder caps
(``shoulder_caps``) are cut from the person's silhouette; ``measure`` gives one fit's own-torso
coverage, spill, cross-person spill, face pixels and torso coverage, ``seams`` its cracks.
See tools/evaluate.py for what each figure means and its target.
"""

import cv2
import numpy as np

from fitting import pipeline
from fitting.config import FITS, FitConfig
from fitting.geometry import perp
from fitting.keypoints import FACE, TORSO, Keypoint

K = Keypoint
CFG = FitConfig()  # the fit measured: the app's defaults...
EASE = FITS["regular"]  # ...at the regular fit
ARMS = (
    (K.LEFT_SHOULDER, K.LEFT_ELBOW, K.LEFT_WRIST),
    (K.RIGHT_SHOULDER, K.RIGHT_ELBOW, K.RIGHT_WRIST),
)
ZONE_DEPTH = 0.6  # the torso zone reaches this far from the shoulder line to the hip line
ZONE_ARM_RADIUS = 0.22  # x the shoulder width (joint to joint): the arms left out of it
SLEEVE_BAND_RADIUS = 0.5  # x half shoulder width: where the sleeves' ease band may be
SEAM_OPAQUE = 0.9  # a seam: a pixel inside the garment's outline less opaque than this...
SEAM_CLOSE = 0.06  # ...where its opaque pixels closed by a square this wide (x half shoulder
# width: 7 px at the photos' scale, 3 px at a small figure's) are
FOREARM_RADIUS = 0.12  # x half shoulder width: the forearm's own half-width, for visibility
FACE_RADIUS = 1.2  # x the face keypoints' spread around their centre
COVERED = 0.5  # a pixel at least this opaque counts as garment
CAP_REACH = 0.6  # x half shoulder width: a shoulder's cap, round its joint (shoulder_caps)


def fill(shape, polygons=(), capsules=()) -> np.ndarray:
    """A boolean mask of filled polygons and (start, end, radius) capsules."""
    mask = np.zeros(shape[:2], np.uint8)
    for poly in polygons:
        cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], 1)
    for a, b, r in capsules:
        pa, pb = tuple(int(v) for v in np.round(a)), tuple(int(v) for v in np.round(b))
        cv2.line(mask, pa, pb, 1, max(1, round(2 * r)))
    return mask.astype(bool)


def grow(mask: np.ndarray, px: int) -> np.ndarray:
    """A boolean mask grown by ``px`` pixels (a square's reach) on every side."""
    return cv2.dilate(mask.astype(np.uint8), np.ones((2 * px + 1,) * 2, np.uint8)) > 0


def share(part: np.ndarray, whole: np.ndarray) -> float:
    """The share of ``whole``'s pixels in ``part`` (boolean masks; 0 for an empty whole)."""
    return float(part.sum() / max(whole.sum(), 1))


def half_shoulder(kp) -> float:
    return float(np.linalg.norm(kp[K.LEFT_SHOULDER, :2] - kp[K.RIGHT_SHOULDER, :2])) / 2


def seen(kp, *keys) -> bool:
    return bool(min(kp[k, 2] for k in keys) >= CFG.keypoint_score)


def arm_capsules(kp, radius: float):
    limbs = [(a, b) for chain in ARMS for a, b in zip(chain[:-1], chain[1:], strict=True)]
    return [(kp[a, :2], kp[b, :2], radius) for a, b in limbs if seen(kp, a, b)]


def forearms(kp, radius_factor):
    r = radius_factor * half_shoulder(kp)
    return [(kp[e, :2], kp[w, :2], r) for _, e, w in ARMS if seen(kp, e, w)]


def forearms_and_hands(kp, widen: float = 1.0):
    """The forearms with their hands, as the fit's capsules (``widen`` times as wide)."""
    return [(e, w + (w - e) * CFG.hand_length, r * widen)
            for e, w, r in forearms(kp, CFG.forearm_radius)]  # fmt: skip


def face_circle(kp: np.ndarray):
    """The face as a (centre, centre, radius) capsule around its keypoints, or None."""
    face = kp[list(FACE)]
    face = face[face[:, 2] >= CFG.keypoint_score, :2]
    if not len(face):
        return None
    center = face.mean(axis=0)
    return center, center, FACE_RADIUS * np.linalg.norm(face - center, axis=1).max()


def scaled_quad(kp: np.ndarray, factor: float) -> np.ndarray:
    quad = kp[list(TORSO), :2]
    center = quad.mean(axis=0)
    return center + (quad - center) * factor


def torso_zone(kp: np.ndarray, silhouette: np.ndarray) -> np.ndarray:
    """The silhouette between the shoulder line and ZONE_DEPTH of the way to the hip line,
    without the arms and the head."""
    h, w = silhouette.shape
    shoulders = (kp[K.LEFT_SHOULDER, :2] + kp[K.RIGHT_SHOULDER, :2]) / 2
    axis = (kp[K.LEFT_HIP, :2] + kp[K.RIGHT_HIP, :2]) / 2 - shoulders
    ys, xs = np.mgrid[0:h, 0:w]
    t = ((xs - shoulders[0]) * axis[0] + (ys - shoulders[1]) * axis[1]) / max(axis @ axis, 1e-9)
    band = (t >= 0) & (t <= ZONE_DEPTH)
    face = face_circle(kp)
    radius = ZONE_ARM_RADIUS * 2 * half_shoulder(kp)
    out = fill((h, w), capsules=arm_capsules(kp, radius) + ([face] if face else []))
    return silhouette & band & ~out


def shoulder_caps(kp: np.ndarray, silhouette: np.ndarray) -> np.ndarray:
    """The silhouette over the shoulders: within CAP_REACH of each shoulder joint, on its
    outer side (past the line through the joint square to the shoulders' line), without the
    head. A garment with sleeves covers it; the wearer's own sleeve showed there beside a
    sleeve that hung straight from the garment's shoulder seam."""
    shape, radius = silhouette.shape, CAP_REACH * half_shoulder(kp)
    zone = np.zeros(shape, bool)
    for joint, other in ((K.LEFT_SHOULDER, K.RIGHT_SHOULDER), (K.RIGHT_SHOULDER, K.LEFT_SHOULDER)):
        center, outward = kp[joint, :2], kp[joint, :2] - kp[other, :2]
        outward = outward / max(float(np.linalg.norm(outward)), 1e-9) * radius
        along = perp(outward)  # the line through the joint
        outer_half = [center + along, center + along + outward, center - along + outward,
                      center - along]  # fmt: skip
        zone |= fill(shape, [outer_half]) & fill(shape, capsules=[(center, center, radius)])
    face = face_circle(kp)
    return silhouette & zone & ~fill(shape, capsules=[face] if face else [])


def measure(kp, silhouette, garment, others, faces) -> tuple:
    """The figures of one person's fit (see the module text): ``garment`` is where it is at
    least half opaque, ``others`` the other people's annotated outlines (bool), ``faces``
    everyone's face circle."""
    shape = garment.shape
    zone = torso_zone(kp, silhouette)
    own = share(garment & zone, zone) if zone.any() else float("nan")
    grown = grow(silhouette, max(1, round(EASE * half_shoulder(kp))))
    sleeves = fill(shape, capsules=arm_capsules(kp, SLEEVE_BAND_RADIUS * half_shoulder(kp)))
    spill = share(garment & ~(silhouette | (grown & sleeves)), garment)
    cross = share(garment & np.any(others, axis=0), garment) if others else float("nan")
    face_px = int((garment & fill(shape, capsules=faces)).sum()) if faces else 0
    in_front = forearms_and_hands(kp)
    face = face_circle(kp)
    inner = fill(shape, [scaled_quad(kp, 0.8)]) & ~fill(
        shape, capsules=in_front + ([face] if face else [])
    )
    torso = float(garment[inner].mean()) if inner.any() else float("nan")
    return own, spill, cross, face_px, torso


def seams(alpha: np.ndarray, kp, faces, others) -> float:
    """Cracks in a fitted garment, per 1000 of its pixels: the pixels less than SEAM_OPAQUE
    opaque inside its outline closed across SEAM_CLOSE, where parts warped apart meet without
    covering each other (the panel and a sleeve, the neckline and the inside of the back).
    Left out, as cut out of the garment on purpose: the forearms (half again as wide as their
    capsules, as their own outlines may be), the faces and the other people (``others``)."""
    solid = (alpha >= SEAM_OPAQUE).astype(np.uint8)
    width = 2 * max(1, round(SEAM_CLOSE * half_shoulder(kp) / 2)) + 1
    closed = cv2.morphologyEx(solid, cv2.MORPH_CLOSE, np.ones((width, width), np.uint8))
    on_purpose = fill(alpha.shape, capsules=forearms_and_hands(kp, 1.5) + faces)
    for other in others:
        on_purpose |= other
    cracks = (closed > 0) & ~solid.astype(bool) & ~on_purpose
    return 1000 * share(cracks, alpha >= COVERED)


def opacity(fit: pipeline.PersonFit, shape) -> np.ndarray:
    """(H, W) float32: how opaque one person's garment is on each pixel, as blended."""
    total = np.zeros(shape[:2], np.float32)
    for layer in fit.layers:
        x0, y0, x1, y1 = layer.box
        covered = total[y0:y1, x0:x1]
        covered += layer.alpha * (1 - covered)
    return total
