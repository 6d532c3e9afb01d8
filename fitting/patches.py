"""Soft masks over frame regions, as the occlusion stage finds and the compositor uses them: a
:class:`Patch`, capsules drawn into a region, the wearer's own pixels there, and a mask cleaned
or cut to the parts that hang together with some of its pixels."""

from collections.abc import Iterable
from dataclasses import dataclass

import cv2
import numpy as np

from clothes.shapes import disk

from .body import Body, Capsule, Core
from .geometry import bounds

DESPECKLE = 5  # px: the median filter that cleans a mask of the colours told apart


@dataclass(frozen=True)
class Patch:
    """A soft mask over a frame region: ``alpha`` (h, w) float32 in [0, 1] over ``box``
    (x0, y0, x1, y1)."""

    box: tuple[int, int, int, int]
    alpha: np.ndarray


def capsule_box(capsule: Capsule, radii: float = 1.0) -> np.ndarray:
    """(4,) float x0, y0, x1, y1: the box around ``capsule`` grown to ``radii`` of its radius."""
    axis = bounds(np.stack([capsule.start, capsule.end]))
    return axis + radii * capsule.radius * np.array([-1, -1, 1, 1])


def capsule_mask(capsules: Iterable[Capsule], box, dtype=np.float32) -> np.ndarray:
    """Coverage in [0, 1] of the region ``box`` (x0, y0, x1, y1) by ``capsules``."""
    x0, y0, x1, y1 = box
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    shift = 2  # cv2 drawing with 2 fractional bits: quarter-pixel precise, anti-aliased
    offset = np.array([x0, y0])
    for c in capsules:
        a = np.round((c.start - offset) * (1 << shift)).astype(int)
        b = np.round((c.end - offset) * (1 << shift)).astype(int)
        thickness = max(1, round(2 * c.radius))
        cv2.line(mask, tuple(a), tuple(b), 255, thickness, cv2.LINE_AA, shift)
    return mask.astype(dtype) / 255


def person_mask(body: Body, box) -> np.ndarray | None:
    """(h, w) bool over ``box``: the wearer, as their trusted outline shows them, and
    wherever their keypoints see their body (``body.core``). None without a trusted outline."""
    outline = body.trusted_outline
    if outline is None:
        return None
    mask = outline.crop(outline.own, box).astype(bool)
    return mask | (core_mask(body.core, box) > 0) if body.core is not None else mask


def core_mask(core: Core, box) -> np.ndarray:
    """(h, w) uint8 0/255 over ``box`` (x0, y0, x1, y1): the body's :class:`Core`."""
    mask = np.zeros((box[3] - box[1], box[2] - box[0]), np.uint8)
    if core.bones:  # mostly none: the outline shows the arms
        mask[capsule_mask(core.bones, box) >= 0.5] = 255
    if core.torso is not None:
        cv2.fillConvexPoly(mask, np.round(core.torso - np.array(box[:2])).astype(np.int32), 255)
    return mask


def clean(mask: np.ndarray, despeckle: int, radius: float) -> np.ndarray:
    """A uint8 0/255 mask without single pixels of noise (a ``despeckle`` px median; 1: none)
    and with a smooth edge: opened (no wisps of a similar colour off it) and closed (no
    notches into it) with a disk of ``radius`` px."""
    if despeckle > 1:
        mask = cv2.medianBlur(mask, despeckle)
    kernel = disk(max(1, round(radius)))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)


def connected_to(mask: np.ndarray, seed: np.ndarray) -> np.ndarray:
    """(h, w) bool: the pixels of ``mask`` that hang together with the ``seed`` pixels."""
    count, labels = cv2.connectedComponents(mask.astype(np.uint8))
    hangs = np.zeros(count, bool)
    hangs[labels[seed & (mask > 0)]] = True  # never 0, which is off the mask
    return hangs[labels]


def soft_patch(box, mask: np.ndarray) -> Patch:
    """A :class:`Patch` over ``box`` of a uint8 0/255 mask, its edge anti-aliased."""
    return Patch(box, cv2.GaussianBlur(mask, (3, 3), 0).astype(np.float32) * (1 / 255))
