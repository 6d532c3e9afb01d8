"""Landmarks of bottoms: where the waistband, the crotch and the hems are.

Read from the same working mask as the garment's type (kind.py), as a pattern cutter would
mark them on the flat garment:

- **Waistband.** The two ends of the top edge (WAIST_LEFT, WAIST_RIGHT): the outermost garment
  pixels of the waistband's row, at the top edge's height in their columns.
- **Crotch.** The top of the notch between the legs (the dent kind.py found). Trousers and
  shorts are seldom photographed with their legs apart up to the crotch: their crotch is at
  most RISE_PER_WAIST of the waistband's width below it (where a notch starts lower, the
  legs touch above it), and on the centre line when their legs lie together and show no
  notch (which the garment's doubt says).
- **Hems.** Each leg's bottom corners: below the crotch the garment is split on the crotch's
  column, and on each side the outer corner is the lowest-outermost pixel, the inner one the
  lowest-innermost (a 45-degree support, as for a top's hem corners). A skirt has one hem:
  its corners are the outer points, and its middle both inner ones.

    points = bottom_landmarks(mask, crotch, centre, category)   # (7, 2) (x, y)
"""

import numpy as np

from .types import BottomPoint, Category

B = BottomPoint
RISE_PER_WAIST = 0.7  # the crotch below the waistband, x the waistband's width laid flat (a
# 27 cm rise on a 40 cm waistband; the same on shorts): the lowest a crotch is put
WAIST_BAND = 0.25  # the waistband's ends are looked for in this top share of the height


def bottom_landmarks(
    mask: np.ndarray,
    crotch: np.ndarray | None,
    centre: int,
    category: Category,
) -> np.ndarray:
    """(len(BottomPoint), 2) float32 points, in ``mask``'s pixels, of the bottoms in ``mask``
    (bool, one garment); ``crotch``: the top of the notch between the legs, if one was seen;
    ``centre``: the centre line's column."""
    ys, xs = np.nonzero(mask)
    top, bottom = int(ys.min()), int(ys.max())
    points = np.zeros((len(BottomPoint), 2), np.float32)
    band = ys <= top + WAIST_BAND * (bottom - top)
    for point, side in ((B.WAIST_RIGHT, -1), (B.WAIST_LEFT, 1)):  # top-outermost: 45 degrees
        corner = np.argmax(np.where(band, side * xs - ys, -np.inf))
        points[point] = xs[corner], ys[corner]
    if category == Category.SKIRT:
        split = np.array([[centre, top], [centre, bottom]], np.float64)
        right, left = _corners(xs, ys, split, -1)[0], _corners(xs, ys, split, 1)[0]
        middle = (right + left) / 2
        points[B.HEM_RIGHT_OUTER], points[B.HEM_LEFT_OUTER] = right, left
        points[B.HEM_RIGHT_INNER] = points[B.HEM_LEFT_INNER] = points[B.CROTCH] = middle
        return points
    waist = points[[B.WAIST_LEFT, B.WAIST_RIGHT]]
    rise = waist[:, 1].mean() + RISE_PER_WAIST * np.linalg.norm(waist[0] - waist[1])
    crotch = (centre, rise) if crotch is None else (crotch[0], min(crotch[1], rise))
    points[B.CROTCH] = crotch
    below = ys >= crotch[1]
    xs, ys = xs[below], ys[below]
    # The legs part on the line from the crotch to the middle of their hems (a photo may be
    # turned a little): first their outer corners, either side of the crotch's column...
    split = np.array([crotch, [crotch[0], bottom]], np.float64)
    outer = [_corners(xs, ys, split, side)[0] for side in (-1, 1)]
    split[1] = (outer[0] + outer[1]) / 2
    # ...then each leg's corners, either side of that line.
    for side, (out, inner) in ((-1, (B.HEM_RIGHT_OUTER, B.HEM_RIGHT_INNER)),
                               (1, (B.HEM_LEFT_OUTER, B.HEM_LEFT_INNER))):  # fmt: skip
        points[out], points[inner] = _corners(xs, ys, split, side)
    return points


def _corners(
    xs: np.ndarray, ys: np.ndarray, split: np.ndarray, side: int
) -> tuple[np.ndarray, ...]:
    """The (outer, inner) bottom corners of the garment pixels (``xs``, ``ys``) on one
    ``side`` (-1: image left, the wearer's right) of the line ``split`` (two (x, y) points):
    the lowest-outermost and the lowest-innermost, each at 45 degrees."""
    (x0, y0), (x1, y1) = split
    along = (ys - y0) / max(y1 - y0, 1e-6)
    out = side * (xs - (x0 + along * (x1 - x0)))  # how far out from the line
    mine = out >= 0
    outer = np.argmax(np.where(mine, ys + out, -np.inf))
    inner = np.argmax(np.where(mine, ys - out, -np.inf))
    return (np.array([xs[outer], ys[outer]], np.float32),
            np.array([xs[inner], ys[inner]], np.float32))  # fmt: skip
