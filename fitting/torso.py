"""Torso coordinates: where a point of a garment's body panel lies on a body.

The garment's body panel is described in *torso coordinates* ``(u, v)``: ``u`` runs across the
shoulders (-1 at the wearer's right shoulder seam, +1 at the left), ``v`` runs down in the
same unit (half a shoulder width), 0 on the shoulder line. A :class:`TorsoFrame` places those
coordinates on the body as a bilinear sheet stretched between the shoulder line and the hip
line, so the garment leans, twists and foreshortens with the torso; near the top the sheet
slides sideways with the head, so the neckline stays around the neck. A :class:`Tailoring`
alters the garment to the wearer's silhouette (wider rows, raised shoulders) on that sheet.

Pure numpy; points are (x, y) image pixels, arrays of points (N, 2).
"""

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from .geometry import bilinear_inverse, perp_towards, unit

NECK_FADE = 1.2  # the neckline's sideways slide fades out this far below the shoulder line
HANG_TURN = 1.0  # below the hip line, rows turn square to the body's axis over this many
# torso lengths: a dress's skirt hangs straight down, whatever the tilt of the hip keypoints
SHOULDER_COLUMN = 0.8  # u from the centre where a shoulder's top is measured and fully lifted
# Raising the garment's shoulders to the silhouette's: the band above LIFT_ANCHOR (v, about the
# armpits) is lengthened, not at all inside the garment's neck points (the neckline stays where
# it is: lifting it too drew a peak beside the neck) and fully from SHOULDER_COLUMN out.
LIFT_ANCHOR = 1.0
LIFT_INNER = 0.3  # u where the lift starts when a garment's neck points are not known
TAILORING_STEPS = 3


@dataclass(frozen=True)
class TorsoFrame:
    """Torso coordinates (u, v) <-> image pixels.

    ``to_image(u, v) = (1 - t) (origin + u across) + t (hip_origin + u hip_across)
    + w(v) neck_shift`` with ``t = v / length`` and ``w`` fading from 1 at the shoulders to 0
    at ``NECK_FADE``. Below the hip line (t > 1: a long top, a dress's skirt) the sheet goes
    on down the body's axis and its rows keep the hips' width, turning square to the axis
    over HANG_TURN torso lengths (see :meth:`hang`).
    """

    origin: np.ndarray  # (2,) middle of the shoulder line
    across: np.ndarray  # (2,) from the middle to the wearer's left shoulder seam
    hip_origin: np.ndarray  # (2,) middle of the hip line
    hip_across: np.ndarray  # (2,) half the garment's width at the hip line
    length: float  # v of the hip line
    neck_shift: np.ndarray  # (2,) sideways slide of the neckline towards the head
    tailoring: "Tailoring | None" = None  # the garment altered to the wearer's silhouette

    def tailored(self, tailoring: "Tailoring | None") -> "TorsoFrame":
        """The same sheet, altered by ``tailoring`` (see :class:`Tailoring`)."""
        return replace(self, tailoring=tailoring)

    def to_image(self, uv: np.ndarray) -> np.ndarray:
        if self.tailoring is not None:
            uv = self.tailoring.to_body(uv)
        u, v = uv[:, :1], uv[:, 1:]
        t = v / self.length
        axis = self.hip_origin - self.origin  # shoulders' middle to hips' middle
        # (1 - t) top + t bottom, top = origin + u across, bottom = hip_origin + u hip_across
        sheet = self.origin + u * self.across + t * (axis + u * (self.hip_across - self.across))
        low = t[:, 0] > 1
        if low.any():  # below the hip line: the rows turn square to the body's axis
            tl, ul = t[low], u[low]
            turned = np.minimum((tl - 1) / HANG_TURN, 1.0)
            row = self.hip_across + turned * (self.hang - self.hip_across)
            sheet[low] = self.hip_origin + (tl - 1) * axis + ul * row
        return sheet + self._neck_weight(v) * self.neck_shift

    @property
    def down(self) -> np.ndarray:
        """The body's axis as a unit vector: from the shoulders' middle to the hips'."""
        return unit(self.hip_origin - self.origin)

    @cached_property  # read by every mapping of a point below the hips
    def hang(self) -> np.ndarray:
        """A row's half-width far below the hips: as long as ``hip_across``, square to the
        body's axis (shoulders' middle to hips' middle), pointing the same way."""
        square = perp_towards(self.origin - self.hip_origin, self.hip_across)
        return square * (np.linalg.norm(self.hip_across) / max(np.linalg.norm(square), 1e-9))

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
        if self.tailoring is not None:
            uv = self.tailoring.to_garment(uv)
        return uv

    def _neck_weight(self, v: np.ndarray) -> np.ndarray:
        return (1.0 - v / NECK_FADE).clip(0.0, 1.0)

    def _invert_bilinear(self, xy: np.ndarray) -> np.ndarray:
        """The sheet's three bilinear pieces, inverted in turn: the torso (shoulders to hips),
        the rows turning below the hips, then the rows hanging square."""
        e = self.hip_origin - self.origin  # each piece is start + u a + t e + u t f
        u, t = bilinear_inverse(xy, self.origin, self.across, e, self.hip_across - self.across)
        turn = e * HANG_TURN
        for start, first, f, offset in (
            (self.hip_origin, self.hip_across, self.hang - self.hip_across, 1.0),
            (self.hip_origin + turn, self.hang, np.zeros(2), 1.0 + HANG_TURN),
        ):
            below = ~(t <= offset)  # NaN (unreachable above) is tried below too
            if below.any():
                u_b, s_b = bilinear_inverse(xy[below], start, first, turn, f)
                u[below], t[below] = u_b, offset + s_b * HANG_TURN
        return np.stack([u, t * self.length], axis=1)


@dataclass(frozen=True)
class Tailoring:
    """A garment altered to its wearer's silhouette, as a map between the garment's torso
    coordinates (u, v) and the body's (u', v'):

    - each row is widened: u' = u times ``left`` on the wearer's left (u > 0) or ``right`` on
      their right, interpolated between the body's ``rows``;
    - the shoulders are raised: on each side, the band between the garment's top and
      ``anchor`` is lengthened upwards by ``lift`` (body band over garment band, >= 1), fully
      from SHOULDER_COLUMN out and fading to nothing at ``neck`` (u of the garment's neck
      points), so that the neckline stays as it is.
    """

    rows: np.ndarray  # (K,) v', increasing
    left: np.ndarray  # (K,) widening factors >= 1
    right: np.ndarray  # (K,)
    lift: tuple[float, float] = (1.0, 1.0)  # (left, right)
    neck: tuple[float, float] = (LIFT_INNER, LIFT_INNER)  # (left, right), as positive u
    anchor: float = LIFT_ANCHOR

    def widening(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """(N,) factors at body rows v, on the side of u. Above the shoulder line, where the
        outline is the neck and the garment's edge its own shoulder slope, their ratio says
        nothing of the fit: the shoulder line's factor holds there (the shoulder seam, raised
        to the wearer's shoulder, stays as wide as the shoulder line below it)."""
        v = np.maximum(v, 0.0)
        return np.where(
            u >= 0, np.interp(v, self.rows, self.left), np.interp(v, self.rows, self.right)
        )

    def raising(self, u: np.ndarray) -> np.ndarray:
        """(N,) the shoulder band's lengthening at body columns u."""
        return _raising(np.abs(u), self._lift_terms(u >= 0))

    def _lift_terms(self, left: np.ndarray):
        """Per point, on its side (``left``: u >= 0): the garment's neck column, the span from
        it out to SHOULDER_COLUMN, and the lift less one."""
        neck = np.where(left, *self.neck)
        gain = np.where(left, self.lift[0] - 1, self.lift[1] - 1)
        return neck, np.maximum(SHOULDER_COLUMN - neck, 1e-6), gain

    def to_garment(self, uv: np.ndarray) -> np.ndarray:
        """Body (N, 2) -> garment (N, 2) torso coordinates."""
        u, v = uv[:, 0], uv[:, 1]
        band = v < self.anchor
        garment_v = np.where(band, self.anchor - (self.anchor - v) / self.raising(u), v)
        return np.stack([u / self.widening(u, v), garment_v], axis=1)

    def to_body(self, uv: np.ndarray) -> np.ndarray:
        """Garment (N, 2) -> body (N, 2): the inverse of :meth:`to_garment`, by fixed-point
        steps (both alterations are smooth and mild, so two land within 1e-3)."""
        u, v = uv[:, 0], uv[:, 1]
        # raising()'s per-point terms are worked out once, not at every step: the widening
        # keeps each point on its side of the middle. (On the few dozen points of a part's box,
        # numpy's calls, not their arithmetic, are the cost.)
        terms, size = self._lift_terms(u >= 0), np.abs(u)
        band, depth = v < self.anchor, self.anchor - v
        body_u, body_v = u, v
        for _ in range(TAILORING_STEPS):
            widening = self.widening(u, body_v)
            body_u = u * widening
            body_v = np.where(band, self.anchor - depth * _raising(size * widening, terms), v)
        return np.stack([body_u, body_v], axis=1)


def _raising(size: np.ndarray, terms) -> np.ndarray:
    """:meth:`Tailoring.raising` at columns of absolute value ``size``, given their
    ``Tailoring._lift_terms``."""
    neck, span, gain = terms
    return 1 + np.minimum(np.maximum((size - neck) / span, 0), 1) * gain
