"""Reading the photo where the silhouette is silent: the front neckline, and the seam
between a sleeve lying against the body and the body (parts of stages 3 and 6 of
landmarks.py)."""

import cv2
import numpy as np

from .config import LandmarkConfig
from .shapes import nearest
from .sides import Arm, Side
from .silhouette import LEFT, Box, top_edge_point
from .sleeves import place_shoulder, typical_armpit_y


class Picture:
    """The photo at the working resolution: lightly smoothed CIELAB and its derivatives, each
    computed when first needed (most garments never need the derivatives)."""

    def __init__(self, lab: np.ndarray, dx: np.ndarray | None = None, dy: np.ndarray | None = None):
        self.lab = lab  # (H, W, 3) float32
        self._dx, self._dy = dx, dy

    @classmethod
    def of(cls, rgb: np.ndarray) -> "Picture":
        lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
        return cls(cv2.GaussianBlur(lab, (0, 0), 1.0))

    @property
    def dx(self) -> np.ndarray:
        """(H, W, 3) float32, d/dx."""
        if self._dx is None:
            self._dx = cv2.Sobel(self.lab, cv2.CV_32F, 1, 0, ksize=3) / 8
        return self._dx

    @property
    def dy(self) -> np.ndarray:
        """(H, W, 3) float32, d/dy."""
        if self._dy is None:
            self._dy = cv2.Sobel(self.lab, cv2.CV_32F, 0, 1, ksize=3) / 8
        return self._dy

    def half(self, side: "Side") -> "Picture":
        """The picture of one side, mirrored like its mask (outward = +u)."""
        c = side.centre_col
        if side.sign == LEFT:
            return Picture(self.lab[:, c:], self.dx[:, c:], self.dy[:, c:])
        return Picture(self.lab[:, c::-1], -self.dx[:, c::-1], self.dy[:, c::-1])


def front_neckline(
    picture: "Picture",
    mask: np.ndarray,
    box: Box,
    centre_x: float,
    neck_left: np.ndarray,
    neck_right: np.ndarray,
    cfg: LandmarkConfig,
) -> np.ndarray:
    """Lowest point of the front neckline on the centre line.

    On an invisible mannequin (and on most flat lays) the inside of the back shows through the
    neck opening, so the silhouette's dent is the *back* neckline. The front neckline is then
    the first clear colour edge below it, on the centre line, whose lower side is the garment's
    own fabric colour (the edge of a print or of a label below the back is no neckline).
    Without one, a crew neck of typical depth is assumed.
    """
    neck_width = float(neck_left[0] - neck_right[0])
    rim_y = (neck_left[1] + neck_right[1]) / 2
    dip_y = top_edge_point(mask, centre_x)[1]
    if dip_y - rim_y >= cfg.front_neck_min_depth * neck_width:
        return np.array([centre_x, dip_y], np.float32)  # the dent is the front neckline itself
    half_strip = max(1, round(cfg.front_neck_strip_frac * neck_width))
    x0, x1 = round(centre_x) - half_strip, round(centre_x) + half_strip + 1
    reach = cfg.front_neck_edge_rows
    y0 = int(dip_y + 2)
    y1 = int(min(rim_y + cfg.front_neck_max_depth * neck_width, mask.shape[0] - reach - 1))
    if y1 > y0 + 2:
        # the garment's own colour: its middle rows, off the centre where prints usually are
        body = mask.copy()
        first, last = cfg.fabric_rows
        gap = cfg.fabric_centre_gap_frac * box.width
        body[: box.top + int(first * box.height)] = False
        body[box.top + int(last * box.height) :] = False
        body[:, int(centre_x - gap) : int(centre_x + gap)] = False
        fabric = np.median(picture.lab[body], axis=0) if body.any() else picture.lab[mask].mean(0)
        strip = picture.lab[:, x0:x1]  # (H, W, 3)
        ys = np.arange(y0, y1)
        above = np.mean([strip[ys - k] for k in range(1, reach + 1)], axis=0)  # (N, W, 3)
        below = np.mean([strip[ys + k] for k in range(1, reach + 1)], axis=0)
        # an edge all across the strip (the neckline), not a few letters of a print
        step = np.median(np.linalg.norm(below - above, axis=2), axis=1)
        like_fabric = (
            np.linalg.norm(below.mean(axis=1) - fabric, axis=1) <= cfg.front_neck_fabric_tolerance
        )
        # ...and above it the inside of the back, which looks unlike the front fabric (else
        # the neckline is invisible and an edge lower down is a print's)
        cumulative = np.cumsum(strip[y0:y1].mean(axis=1), axis=0)
        seen_above = cumulative / np.arange(1, len(ys) + 1)[:, None]  # mean colour dip..y
        tolerance = cfg.front_neck_fabric_tolerance
        unlike_fabric = np.linalg.norm(seen_above - fabric, axis=1) > tolerance
        inside = mask[y0:y1, x0:x1].all(axis=1)
        # ...and an edge of the opening, not one that runs on across the garment beside it
        # with the same colours above and below (a stripe, a yoke seam)
        runs_on = np.ones(len(ys), bool)
        for sign in (-1, 1):
            x = int(np.clip(centre_x + sign * cfg.front_neck_beside_frac * neck_width,
                            0, mask.shape[1] - 1))  # fmt: skip
            column = picture.lab[:, x]
            above_x = np.mean([column[ys - k] for k in range(1, reach + 1)], axis=0)
            below_x = np.mean([column[ys + k] for k in range(1, reach + 1)], axis=0)
            runs_on &= (np.linalg.norm(above_x - above.mean(axis=1), axis=1) <= tolerance) & (
                np.linalg.norm(below_x - below.mean(axis=1), axis=1) <= tolerance
            )
        found = np.flatnonzero(
            inside & like_fabric & unlike_fabric & ~runs_on & (step >= cfg.front_neck_min_edge)
        )
        if len(found):
            return np.array([centre_x, ys[found[0]]], np.float32)
    return np.array([centre_x, rim_y + cfg.front_neck_default_depth * neck_width], np.float32)


def find_hidden_seams(
    sides: list[Side], picture: Picture, box: Box, cfg: LandmarkConfig, sleeved: bool = False
) -> None:
    """The seam between a sleeve lying against the body and the body, where the photo shows it.

    For each such sleeve that hides most of the side, and for a strap side whose outline runs
    down and out from the shoulder to the hem like a sleeve's outer edge (a sleeve whose cuff
    rests on the hem) or, when the user says the garment is ``sleeved``, any strap side, the
    seam is looked for as the straight line, a sleeve's width inside the sleeve's outer edge,
    along which the picture changes most steadily (the median edge strength across the line)
    while the fabric on its two sides is alike (a seam joins the same fabric; a stripe's edge
    does not). When one stands out, it is the side line (and the hem corner moves onto it); a
    strap side with one is a sleeve lying against the body.
    """
    for side in sides:
        # a strap side that may be a sleeve lying over the body down to the hem
        strap = side.arm == Arm.STRAP and (sleeved or side.lean >= cfg.seam_outer_edge_min_lean)
        above = side.side_end[1] - side.top_y(side.side_end[0])
        covered = side.hem[1] - side.side_end[1] < cfg.on_body_max_visible_side * above
        if not (side.arm == Arm.SLEEVE_ON_BODY and covered or strap):
            continue  # a visible side (below a gap under a hanging sleeve) needs no seam
        y_top = typical_armpit_y(sides, side, cfg)
        # down to the cuff (not into the visible side below it)
        y_bottom = (side.hem[1] if strap else side.side_end[1]) - (
            cfg.seam_end_margin_frac * box.height
        )
        seam = _seam_line(side, picture.half(side), y_top, y_bottom, box, cfg)
        if seam is None:
            continue
        u_top, u_bottom = seam
        side.lean = (u_bottom - u_top) / (y_bottom - y_top)
        hem_u = u_top + side.lean * (side.hem[1] - y_top)
        hem_y = side.hem[1]
        if strap:  # the hem found was the cuff's bottom: the body's is in the seam's column
            column = side.half[:, int(np.clip(round(hem_u), 0, side.half.shape[1] - 1))]
            hem_y = np.flatnonzero(column).max() if column.any() else hem_y
        side.hem = np.array([hem_u, hem_y])
        if strap:
            side.arm = Arm.SLEEVE_ON_BODY
            side.side_end = side.hem.copy()
            side.side_end_index = nearest(side.path, side.hem)
            place_shoulder(side, box, cfg)
        else:  # where the visible side ends, on the seam
            side.side_end = np.array([side.side_u(side.side_end[1]), side.side_end[1]])


def _seam_line(
    side: Side,
    picture: Picture,
    y_top: float,
    y_bottom: float,
    box: Box,
    cfg: LandmarkConfig,
) -> tuple[float, float] | None:
    """The seam line's u at y_top and at y_bottom, or None if the photo shows no clear one."""
    if y_bottom - y_top < cfg.seam_min_length_frac * box.height:
        return None
    half = side.half
    inside = cv2.erode(half.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
    outer = half.shape[1] - 1 - np.argmax(half[:, ::-1], axis=1)  # outermost column per row
    reach = float(outer[box.top : box.bottom + 1].max())
    widths = np.linspace(cfg.seam_min_width, cfg.seam_max_width, cfg.seam_steps) * reach
    top_u = outer[int(y_top)] - widths
    bottom_u = outer[int(y_bottom)] - widths
    u0, u1 = (a.reshape(-1) for a in np.meshgrid(top_u, bottom_u, indexing="ij"))  # (K,)
    t = np.linspace(0.1, 0.9, cfg.seam_samples)
    ys = y_top + t * (y_bottom - y_top)  # (S,)
    us = u0[:, None] + (u1 - u0)[:, None] * t[None, :]  # (K, S)
    direction = np.stack([u1 - u0, np.full_like(u0, y_bottom - y_top)], axis=1)
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    normal = np.stack([direction[:, 1], -direction[:, 0]], axis=1)  # (K, 2), outward

    def sample(image: np.ndarray, offset: float) -> np.ndarray:
        """Values of image at the candidate lines' points moved ``offset`` px along the normal."""
        rows = np.round(ys[None, :] + offset * normal[:, 1:2]).astype(int)
        cols = np.round(us + offset * normal[:, 0:1]).astype(int)
        rows = np.clip(rows, 0, half.shape[0] - 1)
        cols = np.clip(cols, 0, half.shape[1] - 1)
        return image[rows, cols]

    band = cfg.seam_band_px
    valid = sample(inside, -band).all(axis=1) & sample(inside, band).all(axis=1)
    valid &= us.min(axis=1) > 0
    if not valid.any():
        return None
    # Edge strength across each line: the colour change along the normal, the strongest within
    # a couple of pixels of the line (a seam is a thin line, not always a step).
    across = np.max(
        [
            np.linalg.norm(
                sample(picture.dx, offset) * normal[:, None, 0:1]
                + sample(picture.dy, offset) * normal[:, None, 1:2],
                axis=2,
            )
            for offset in (-2, -1, 0, 1, 2)
        ],
        axis=0,
    )
    strength = np.median(across, axis=1)  # (K,)
    # The same fabric on both sides: the mean colour of a strip on either side of the line.
    inner = sample(picture.lab, -band).mean(axis=1)
    outer_colour = sample(picture.lab, band).mean(axis=1)
    alike = np.linalg.norm(inner - outer_colour, axis=1) <= cfg.seam_max_side_difference
    candidates = valid & alike
    if not candidates.any():
        return None
    strength = np.where(candidates, strength, 0.0)
    best = int(np.argmax(strength))
    typical = float(np.median(strength[candidates]))
    if strength[best] < cfg.seam_min_edge or strength[best] < cfg.seam_min_contrast * typical:
        return None
    return float(u0[best]), float(u1[best])
