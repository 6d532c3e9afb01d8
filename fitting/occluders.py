"""A forearm or hand in front of the garment, with its own outline.

A forearm's keypoints give its axis, not its edge, and the person's silhouette has no edge
where an arm lies across the body. The frame's colours have one: around the axis (the
forearm's :class:`~fitting.body.Capsule`), a colour histogram of the arm (its core, close
to the axis) is set against one of what it lies on (a ring around it: the person's own top,
within the person's silhouette, where the garment would be drawn), and each pixel near the
arm goes to the likelier of the two. A colour the ring does not show (a cup in the hand) is
the arm's; the core is always kept.

Where the colours do not tell the two apart (a long sleeve the colour of the shirt behind
it, a busy print) the capsule stays as it is: ``forearm_outline`` returns None.

    outlines = forearm_outlines(frame, body)   # side -> Patch, for the forearms told apart
"""

from dataclasses import dataclass

import cv2
import numpy as np

from clothes.shapes import disk

from .body import Body, Capsule
from .geometry import bounds, clip_box, segment_distance
from .silhouette import Outline

CORE = 0.45  # x the capsule's radius: surely the arm (its colours are sampled; always kept)
RING = (1.6, 2.4)  # x radius: what the arm lies on, sampled for its colours
REACH = 1.25  # x radius: the arm's outline may reach this far from the axis, no farther
BINS = 16  # histogram bins per colour channel
PRIOR = 0.5  # added to every bin's count, so that an unseen colour is nobody's
# The colours tell the arm apart when the ring's samples are told as the surroundings this
# often, and the core's as the arm (the core may stray off a thin arm onto the shirt).
RING_TOLD, ARM_TOLD = 0.85, 0.6
CLEARLY_AROUND = 0.25  # inside the capsule, a pixel this unlike the arm is its surroundings
EDGE = 0.3  # x radius: the surroundings are sampled this far inside the person's outline
DESPECKLE = 5  # px: the median filter that cleans the arm's mask
SMOOTH = 0.3  # x radius: the arm's edge is opened and closed with a disk this big
MIN_SAMPLES = 30  # pixels of each side needed to judge


@dataclass(frozen=True)
class Patch:
    """A soft mask over a frame region: ``alpha`` (h, w) float32 in [0, 1] over ``box``
    (x0, y0, x1, y1)."""

    box: tuple[int, int, int, int]
    alpha: np.ndarray


def forearm_outlines(frame: np.ndarray, body: Body) -> dict[str, Patch]:
    """Each of the body's forearms whose outline ``frame`` (RGB) shows: side -> Patch."""
    outline = body.outline if body.outline is not None and body.outline.trusted else None
    found = {}
    for side, capsule in body.forearms.items():
        others = [c for s, c in body.forearms.items() if s != side]
        found[side] = forearm_outline(frame, capsule, outline, others)
    return {side: patch for side, patch in found.items() if patch is not None}


def forearm_outline(
    frame: np.ndarray,
    capsule: Capsule,
    outline: Outline | None = None,
    others: list[Capsule] = (),
) -> Patch | None:
    """The forearm and hand around ``capsule`` as a :class:`Patch` of ``frame`` (RGB), or None
    where its colours cannot be told from its surroundings'. With the person's ``outline``
    the surroundings are sampled on the person only; never on the ``others`` (the other
    forearm, which may lie beside this one)."""
    r = capsule.radius
    axis = bounds(np.stack([capsule.start, capsule.end]))
    box = clip_box(axis + RING[1] * r * np.array([-1, -1, 1, 1]), frame.shape)
    if box is None:
        return None
    x0, y0, x1, y1 = box
    crop = frame[y0:y1, x0:x1]
    distance = _distance(capsule, box) / max(r, 1e-6)
    core, ring = distance <= CORE, (distance >= RING[0]) & (distance <= RING[1])
    if outline is not None:  # well inside the person: their outline's edge is not exact
        person = outline.crop(outline.own, box).astype(np.uint8)
        ring &= cv2.erode(person, disk(max(1, round(EDGE * r)))) > 0
    for other in others:
        ring &= _distance(other, box) > other.radius
    if core.sum() < MIN_SAMPLES or ring.sum() < MIN_SAMPLES:
        return None
    bins = crop.astype(np.intp) // (256 // BINS)
    index = (bins[..., 0] * BINS + bins[..., 1]) * BINS + bins[..., 2]
    arm = _histogram(index[core])
    around = _histogram(index[ring])
    seen_around = np.bincount(index[ring], minlength=BINS**3)[index] > 0
    likelihood = np.where(seen_around, arm[index] / (arm[index] + around[index]), 1.0)
    if (likelihood[core] > 0.5).mean() < ARM_TOLD or (likelihood[ring] < 0.5).mean() < RING_TOLD:
        return None
    # Within the capsule the arm stays unless the pixel clearly looks like its surroundings;
    # past it, up to REACH, the arm goes on where it looks more like the arm.
    inside = np.where(distance <= 1.0, likelihood > CLEARLY_AROUND, likelihood > 0.5)
    inside = ((inside & (distance <= REACH)) | core).astype(np.uint8) * 255
    inside = cv2.medianBlur(inside, DESPECKLE)  # single pixels of noise, either way
    # Smooth the edge: no wisps of a similar colour off it, no notches into it.
    kernel = disk(max(1, round(SMOOTH * r)))
    inside = cv2.morphologyEx(inside, cv2.MORPH_OPEN, kernel)
    inside = cv2.morphologyEx(inside, cv2.MORPH_CLOSE, kernel)
    inside |= core.astype(np.uint8) * 255
    alpha = cv2.GaussianBlur(inside, (3, 3), 0).astype(np.float32) * (1 / 255)  # anti-aliased
    return Patch(box, alpha)


def _histogram(index: np.ndarray) -> np.ndarray:
    """A colour histogram (BINS ** 3,) of flat bin indices, as probabilities."""
    counts = np.bincount(index, minlength=BINS**3).astype(np.float32) + PRIOR
    return counts / counts.sum()


def _distance(capsule: Capsule, box) -> np.ndarray:
    """(h, w): each pixel's distance in pixels from the capsule's axis."""
    x0, y0, x1, y1 = box
    ys, xs = np.mgrid[y0:y1, x0:x1]
    pixels = np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float32)
    a, b = capsule.start.astype(np.float32), capsule.end.astype(np.float32)
    return segment_distance(pixels, a, b).reshape(xs.shape)
