"""Small helpers on masks and outlines, shared by the garment stages (and the fit's rig).

Masks are (H, W) bool arrays; an outline or path is an (N, 2) array of (x, y) or (u, y)
points in order.
"""

import cv2
import numpy as np


def disk(radius: int) -> np.ndarray:
    """A filled circle of ``radius`` pixels as a structuring element for OpenCV's morphology."""
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))


def erode(mask: np.ndarray, radius: int) -> np.ndarray:
    """``mask`` (bool) eroded by a disk of ``radius`` pixels."""
    return cv2.erode(mask.astype(np.uint8), disk(radius)).astype(bool)


def dilate(mask: np.ndarray, radius: int) -> np.ndarray:
    """``mask`` (bool) dilated by a disk of ``radius`` pixels."""
    return cv2.dilate(mask.astype(np.uint8), disk(radius)).astype(bool)


def touching_frame(mask: np.ndarray) -> np.ndarray:
    """The connected parts of a boolean mask that touch the image frame."""
    count, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=4)
    frame_labels = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    frame_labels = frame_labels[frame_labels > 0]
    return np.isin(labels, frame_labels)


def largest_component(mask: np.ndarray) -> np.ndarray:
    """The largest 8-connected part of ``mask``; an empty mask comes back empty."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), 8)
    if count <= 1:
        return np.zeros(mask.shape, bool)
    return labels == 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))


def outer_contour(mask: np.ndarray) -> np.ndarray:
    """The outline (N, 2) of the largest part of ``mask``, in contour order; (0, 2) if empty."""
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return np.zeros((0, 2), np.int32)
    return max(contours, key=cv2.contourArea)[:, 0, :]


def nearest(points: np.ndarray, point: np.ndarray) -> int:
    return int(np.argmin(np.linalg.norm(points - point, axis=1)))


def bottom_profile(half: np.ndarray) -> np.ndarray:
    """Lowest garment row of every column (-1 where the column is empty), as float."""
    has = half.any(axis=0)
    bottom = half.shape[0] - 1 - np.argmax(half[::-1], axis=0)
    return np.where(has, bottom, -1).astype(np.float64)


def running_median(values: np.ndarray, size: int = 5) -> np.ndarray:
    padded = np.pad(values, size // 2, mode="edge")
    return np.median(np.lib.stride_tricks.sliding_window_view(padded, size), axis=1)


def off_chord(path: np.ndarray) -> np.ndarray:
    """Signed distance of each point of the path from the chord between its ends (positive:
    on the outward side, larger u); zeros for a path too short to have a chord."""
    if len(path) < 3:
        return np.zeros(len(path))
    chord = path[-1] - path[0]
    length = float(np.linalg.norm(chord))
    if length < 1e-6:
        return np.zeros(len(path))
    normal = np.array([chord[1], -chord[0]]) / length
    if normal[0] < 0:
        normal = -normal  # pointing outward
    return (path - path[0]) @ normal


def knee_of(path: np.ndarray) -> tuple[int, float]:
    """Index of the point farthest from the chord between the path's ends, and its signed
    distance (positive: on the outward side, larger u)."""
    distance = off_chord(path)
    if not len(distance):
        return 0, 0.0
    index = int(np.argmax(np.abs(distance)))
    return index, float(distance[index])


def arc_middle(path: np.ndarray) -> np.ndarray:
    """The point halfway along a path."""
    steps = np.linalg.norm(np.diff(path, axis=0), axis=1)
    walked = np.concatenate([[0.0], np.cumsum(steps)])
    return path[int(np.searchsorted(walked, walked[-1] / 2))].copy()
