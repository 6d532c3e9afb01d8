"""Plane geometry on numpy arrays: the small pieces the fit is built from.

Points are (x, y) image pixels, x to the right and y down; arrays of points are (N, 2).
"""

import math

import numpy as np


def cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """2D cross product a.x * b.y - a.y * b.x over the last axis."""
    return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]


def perp(v: np.ndarray) -> np.ndarray:
    """``v`` turned 90 degrees clockwise on screen: (1, 0), rightwards, becomes (0, 1), down."""
    return np.stack([-v[..., 1], v[..., 0]], axis=-1)


def perp_towards(v: np.ndarray, towards: np.ndarray) -> np.ndarray:
    """``v`` turned 90 degrees to the side of ``towards`` (clockwise on screen when square)."""
    square = perp(v)
    return square if square @ towards >= 0 else -square


def length(v: np.ndarray) -> float:
    """Length of one 2D vector (faster than np.linalg.norm for a single vector)."""
    return math.hypot(v[0], v[1])


def unit(v: np.ndarray) -> np.ndarray:
    return v / max(length(v), 1e-9)


def bounds(points: np.ndarray) -> np.ndarray:
    """(x0, y0, x1, y1): the box around ``points`` (N, 2)."""
    return np.concatenate([points.min(axis=0), points.max(axis=0)])


def clip_box(box: np.ndarray, frame_shape) -> tuple[int, int, int, int] | None:
    """Rounds a float (x0, y0, x1, y1) box outwards and clips it to the frame; None if empty."""
    h, w = frame_shape[:2]
    if not np.all(np.isfinite(box)):
        return None
    x0, y0 = max(int(np.floor(box[0])), 0), max(int(np.floor(box[1])), 0)
    x1, y1 = min(int(np.ceil(box[2])) + 1, w), min(int(np.ceil(box[3])) + 1, h)
    return (x0, y0, x1, y1) if x1 - x0 > 1 and y1 - y0 > 1 else None


def in_frame(point: np.ndarray, frame_shape, margin: float = 0.0) -> bool:
    """Whether ``point`` (x, y) lies in a frame of ``frame_shape``, or at most ``margin``
    pixels past its edge."""
    h, w = frame_shape[:2]
    return bool(-margin <= point[0] < w + margin and -margin <= point[1] < h + margin)


def ray_exit(point: np.ndarray, direction: np.ndarray, frame_shape) -> float:
    """How far a ray from ``point`` along the unit vector ``direction`` runs before it leaves
    a frame of ``frame_shape`` (0 from a point outside it)."""
    if not in_frame(point, frame_shape):
        return 0.0
    h, w = frame_shape[:2]
    ends = []  # where it meets the edge it runs towards, along x and along y
    for p, d, size in zip(point, direction, (w, h), strict=True):
        if d > 1e-9:
            ends.append((size - p) / d)
        elif d < -1e-9:
            ends.append(-p / d)
    return float(min(ends)) if ends else float("inf")


def union(boxes) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1): the box around ``boxes`` (each x0, y0, x1, y1)."""
    x0, y0, x1, y1 = bounds(np.reshape(boxes, (-1, 2)))
    return int(x0), int(y0), int(x1), int(y1)


def grown_within(box, margin: int, within) -> tuple[int, int, int, int]:
    """``box`` grown by ``margin`` pixels on every side, cut to the box ``within`` (it comes
    out empty, x0 >= x1 or y0 >= y1, where the two do not meet)."""
    x0, y0, x1, y1 = box
    wx0, wy0, wx1, wy1 = within
    return (max(wx0, x0 - margin), max(wy0, y0 - margin),
            min(wx1, x1 + margin), min(wy1, y1 + margin))  # fmt: skip


def overlap(a, b) -> tuple[int, int, int, int] | None:
    """Where the boxes ``a`` and ``b`` (x0, y0, x1, y1) overlap; None where they do not."""
    box = grown_within(a, 0, b)
    return box if box[0] < box[2] and box[1] < box[3] else None


def window(array: np.ndarray, region, box) -> np.ndarray:
    """The view of ``array`` (over ``region``) on ``box``, which lies within the region."""
    return array[box[1] - region[1] : box[3] - region[1], box[0] - region[0] : box[2] - region[0]]


def along(box, origin: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """(h, w) over ``box`` (x0, y0, x1, y1): each pixel's distance from ``origin`` along the
    unit vector ``direction`` (negative behind it), broadcast from a column and a row."""
    x0, y0, x1, y1 = box
    ys, xs = np.ogrid[y0:y1, x0:x1]
    return (xs - origin[0]) * direction[0] + (ys - origin[1]) * direction[1]


def segment_distance(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(...) distances of ``points`` (..., 2) from the segment a-b."""
    _, dx, dy = _from_segment(points[..., 0], points[..., 1], a, b)
    return np.hypot(dx, dy)


def box_distance(box, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(h, w) float32 over ``box`` (x0, y0, x1, y1): each pixel's distance from the segment
    a-b (as :func:`segment_distance` of the pixels, from a column and a row)."""
    x0, y0, x1, y1 = box
    xs = np.arange(x0, x1, dtype=np.float32)[None]
    ys = np.arange(y0, y1, dtype=np.float32)[:, None]
    _, dx, dy = _from_segment(xs, ys, a, b)
    return np.hypot(dx, dy)


def offsets_at_ends(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(2,): how far the straight line that fits ``points`` (N, 2) best (least squares, across
    the segment a-b) lies to one side of the segment at a and at b, along ``perp(b - a)``."""
    t, dx, dy = _from_segment(points[:, 0], points[:, 1], a, b)
    t = np.clip(t, 0.0, 1.0)
    side = unit(perp(np.asarray(b, np.float64) - a))
    across = dx * side[0] + dy * side[1]  # off the segment's nearest point: along ``side``
    ends, *_ = np.linalg.lstsq(np.stack([1 - t, t], axis=1), across, rcond=None)
    return ends


def segment_side(points: np.ndarray, a: np.ndarray, b: np.ndarray, outwards: np.ndarray):
    """(N,) distances of ``points`` (N, 2) from the segment a-b, and (N,) bool: whether each
    lies beside it (not past its ends) on the side its own direction ``outwards`` (N, 2)
    leads away from."""
    along, dx, dy = _from_segment(points[:, 0], points[:, 1], a, b)
    beside = (along > 0) & (along < 1)
    return np.hypot(dx, dy), beside & (dx * outwards[:, 0] + dy * outwards[:, 1] > 0)


def even_sides(mask: np.ndarray, box, a, b, window: int) -> np.ndarray:
    """``mask`` (h, w) bool over ``box`` (x0, y0, x1, y1) with its two sides evened out along
    the segment a-b: at each pixel step along it, how far the mask reaches on either side of
    it becomes the median of those reaches over ``window`` steps around it. Past the
    segment's ends the mask is kept as it is. A limb is a tube whose width changes slowly
    along its bone: notches into its edge and wisps off it, a few pixels long, go."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    steps = int(length(b - a))
    if steps < 2:
        return mask
    direction = unit(b - a)
    t = along(box, a, direction)
    s = along(box, a, perp(direction))  # across the segment, signed
    band = (t >= 0) & (t < steps)
    step = np.where(band, t, 0).astype(np.intp)
    reach = np.zeros((2, steps))  # how far the mask reaches on each side, step by step
    on = band & mask
    for side, sign in enumerate((1, -1)):
        there = on & (sign * s >= 0)
        np.maximum.at(reach[side], step[there], sign * s[there])
    half = window // 2  # each step's window of steps, (steps, window); past the segment's
    # ends the first and the last step's reaches stand in for the steps there
    around = np.clip(np.arange(steps)[:, None] + np.arange(-half, half + 1), 0, steps - 1)
    even = np.partition(reach[:, around], half, axis=2)[..., half]  # the medians
    # Half a pixel out: the reaches are pixel centres', which step along a slanted edge
    limit = even + 0.5
    inside = (s <= limit[0][step]) & (s >= -limit[1][step])
    return np.where(band, inside, mask)


def bilinear_inverse(xy, origin, a, e, f) -> tuple[np.ndarray, np.ndarray]:
    """Solves ``xy = origin + s a + t e + s t f`` for (s, t); ``xy`` (N, 2) -> two (N,).

    The bilinear patch spanned by ``a`` and ``e``, twisted by ``f``. Closed form: crossing
    the equation with ``a + t f`` leaves a quadratic in t. Of its roots, the one continuous
    with the untwisted (linear) case is taken; points the patch cannot reach give NaN.
    """
    q = xy - origin
    qa, qf = cross(q, a), cross(q, f)
    A, B = float(cross(e, f)), float(cross(e, a)) - qf
    with np.errstate(divide="ignore", invalid="ignore"):
        if abs(A) < 1e-9 * (abs(float(cross(e, a))) + 1e-12):  # untwisted: linear in t
            t = qa / B
        else:
            root = np.sqrt(B * B + 4 * A * qa)
            t = 2 * qa / (B + np.copysign(root, B))
        side = a + t[:, None] * f
        s = np.einsum("ij,ij->i", q - t[:, None] * e, side) / np.einsum("ij,ij->i", side, side)
    return s, t


def _from_segment(x: np.ndarray, y: np.ndarray, a: np.ndarray, b: np.ndarray):
    """Where the points ``x``, ``y`` (arrays that broadcast together) lie along the segment
    a-b (0 at a, 1 at b, unclipped), and their offsets in x and in y from its nearest point,
    in the points' own precision."""
    ax, ay, bx, by = float(a[0]), float(a[1]), float(b[0]), float(b[1])
    ex, ey = bx - ax, by - ay
    along = ((x - ax) * ex + (y - ay) * ey) / max(ex * ex + ey * ey, 1e-12)
    nearest = np.clip(along, 0.0, 1.0)
    return along, x - (ax + nearest * ex), y - (ay + nearest * ey)
