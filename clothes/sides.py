"""One side of a garment: its hem corner and its side seam (stages 4 and 5 of landmarks.py).

Each side is measured in its own mirrored half, as (u, y) points with u outward from the
centre line; :class:`Side` collects what the stages find, and sleeves.py and photo.py add to it.
"""

from dataclasses import dataclass, field
from enum import Enum

import cv2
import numpy as np

from .config import LandmarkConfig
from .errors import GarmentError
from .shapes import bottom_profile, knee_of, nearest, outer_contour, running_median
from .silhouette import NO_SHAPE, Box


class Arm(str, Enum):
    """What one side of the garment has outside its body panel."""

    STRAP = "strap"  # sleeveless: an armhole, a strap or a halter
    SLEEVE = "sleeve"  # a sleeve whose underside shows where it meets the side seam
    SLEEVE_ON_BODY = "sleeve-on-body"  # a sleeve lying against the body: the armpit is hidden


@dataclass
class Side:
    """One side of the garment, measured in its mirrored half: (u, y), u outward from the centre.

    Filled in stage by stage (see the module docstring); the points are float (u, y) arrays.
    """

    sign: int  # LEFT or RIGHT
    centre_col: int  # image column of u = 0
    half: np.ndarray  # (H, W) bool: the garment on this side of the centre line
    path: np.ndarray  # (M, 2) outline from the neck rim outwards round to the bottom centre
    neck: np.ndarray  # neck rim
    hem: np.ndarray  # hem corner
    side_end: np.ndarray  # where the visible side seam ends (the knee above the hem corner)
    side_end_index: int  # its index in path
    lean: float  # du/dy of the side line (u = hem_u + lean * (y - hem_y))
    reach: float = 0.0  # how far the garment sticks out past the side line
    arm: Arm = Arm.STRAP
    shoulder: np.ndarray = field(default_factory=lambda: np.zeros(2))
    armpit: np.ndarray = field(default_factory=lambda: np.zeros(2))
    cuff: np.ndarray = field(default_factory=lambda: np.zeros(2))
    cuff_width: float = 0.0
    sleeve_length: float = 0.0

    def side_u(self, y: float) -> float:
        """u of the side line at height y."""
        return float(self.hem[0] + self.lean * (y - self.hem[1]))

    def top_y(self, u: float) -> float:
        """The topmost garment row in column u (clamped into the half's columns)."""
        columns = np.flatnonzero(self.half.any(axis=0))
        column = int(np.clip(round(u), columns.min(), columns.max()))
        return float(np.argmax(self.half[:, column]))

    def to_image(self, point: np.ndarray) -> np.ndarray:
        return np.array([self.centre_col + self.sign * point[0], point[1]], np.float32)


@dataclass(frozen=True)
class _HemEnd:
    corner: np.ndarray  # (u, y)
    blocked: bool  # the hem ended at a step (a sleeve or a wide tie), not at a rounded corner
    level: float  # the hem's height where it ended


def balance_hems(hems: list[_HemEnd], cfg: LandmarkConfig) -> list[np.ndarray]:
    """Hem corners, one mirrored from the other side where a wide tie hid it.

    A hem that ended at a step, well inside the other side's hem corner, was blocked by a tie
    over the body's side or a wrap's overlap: its corner is put level with where the hem ended,
    as far out as the other side's.
    """
    corners = [hem.corner.copy() for hem in hems]
    for this, other in ((0, 1), (1, 0)):
        hem = hems[this]
        if hem.blocked and hem.corner[0] < cfg.hem_blocked_max_share * hems[other].corner[0]:
            corners[this] = np.array([hems[other].corner[0], hem.level])
    return corners


def hem_corner(half: np.ndarray, box: Box, cfg: LandmarkConfig) -> _HemEnd:
    """The bottom corner of the body panel: the hem followed outwards from the centre line.

    The hem ends where the bottom edge rises steeper than ``hem_max_slope`` (the rounded corner
    into the side), or jumps by more than ``hem_step_frac`` of the height (up: the gap under a
    sleeve or a cuff ending above the hem; down: a sleeve or cuff hanging lower). A downward
    jump that comes back to the hem's height within ``hem_skip_max_frac`` of the width is a tie
    hanging over the hem, and the hem goes on past it; so does a steep rise after which the
    edge stays within a step of where it was (a fold of the hem, a scallop). A bottom edge that
    already climbs steeply next to the centre line is a bodysuit's crotch: the hem is then
    followed up the leg opening (up to ``leg_max_slope``) to the hip.
    """
    raw = bottom_profile(half)
    bottom = np.where(raw >= 0, running_median(raw), -1.0)
    if bottom[0] < 0:
        raise GarmentError(NO_SHAPE)
    jump = cfg.hem_step_frac * box.height
    resume = cfg.hem_resume_frac * box.height
    skip = max(2, round(cfg.hem_skip_max_frac * box.width))
    window = max(2, round(cfg.hem_slope_window_frac * box.width))
    crotch = cfg.crotch_max_half_width_frac * box.width / 2
    u, blocked, legs = 0, False, False
    while u + 1 < len(bottom) and bottom[u + 1] >= 0:
        step = bottom[u + 1] - bottom[u]
        back = max(0, u + 1 - window)
        max_slope = cfg.leg_max_slope if legs else cfg.hem_max_slope
        steep = bottom[back] - bottom[u + 1] > max_slope * (u + 1 - back) + 1.0
        if (steep or step < -jump) and not legs and u < crotch:
            legs = True  # a crotch: follow the leg opening up to the hip
            continue
        if not steep and -jump <= step <= jump or legs and not steep and step <= jump:
            u += 1
            continue
        if step > jump:
            # Something hangs lower here. A tie over the hem: the hem goes on past it at about
            # the same height. A sleeve beside the body: nothing hem-like follows.
            ahead = bottom[u + 1 : u + 1 + skip]
            hanging = int(np.argmin(ahead > bottom[u] + jump)) if len(ahead) else 0
            after = u + 1 + hanging
            following = bottom[after : after + cfg.hem_resume_min_columns]
            if (
                hanging > 0
                and len(following) == cfg.hem_resume_min_columns
                and np.all(following >= 0)
                and np.all(np.abs(following - bottom[u]) <= resume)
            ):
                u = after
                continue
            blocked = True
        else:
            # A rise: the corner into the side (the edge climbs to the sleeve or ends), or a
            # step up onto something hem-like (a wrap's other layer, a cuff above the hem).
            ahead = bottom[u + 1 : u + 1 + skip]
            ahead = ahead[ahead >= 0][: 3 * window]
            if len(ahead) >= cfg.hem_resume_min_columns and np.all(ahead >= bottom[u] - jump):
                u += 1  # a ripple of the hem (a fold, a scallop): it goes on no higher
                continue
            blocked = len(ahead) >= 3 and bool(
                np.all(np.abs(ahead - bottom[u]) <= cfg.hem_step_max_frac * box.height)
            )
        break
    width = max(3, round(cfg.hem_corner_window_frac * u))
    columns = np.arange(max(0, u - width), u + 1)
    columns = columns[raw[columns] >= 0]
    corner = columns[np.argmax(raw[columns] + columns)]  # lowest-outermost: 45 degree support
    return _HemEnd(np.array([corner, raw[corner]], np.float64), blocked, float(bottom[u]))


def measure_side(
    half: np.ndarray,
    centre_col: int,
    sign: int,
    neck_xy: np.ndarray,
    hem: np.ndarray,
    box: Box,
    cfg: LandmarkConfig,
) -> Side:
    """Side seam of one side, up from its hem corner (stage 5)."""
    neck = np.array([sign * (neck_xy[0] - centre_col), neck_xy[1]], np.float64)
    path = _outer_path(half, neck)
    hem_index = nearest(path, hem)
    end_index = _side_seam(path, hem_index, box, cfg)
    near_top = path[end_index, 1] - box.top < cfg.side_to_top_frac * box.height
    # A side that ended near the top with a sleeve sticking out past it (a long dress's short
    # sleeve) ended at its armpit; with nothing past it, it ran on up past the armhole.
    chest = 2 * path[end_index, 0]
    if near_top and _reach(half, path[end_index]) < cfg.sleeve_min_reach * chest:
        end_index = _armpit_above(half, path, end_index, hem_index, box, cfg)
    side = Side(
        sign=sign,
        centre_col=centre_col,
        half=half,
        path=path,
        neck=neck,
        hem=path[hem_index].copy(),
        side_end=path[end_index].copy(),
        side_end_index=end_index,
        lean=_side_lean(path[end_index : hem_index + 1], box, cfg),
    )
    side.reach = _reach(half, side.side_end)
    return side


def _outer_path(half: np.ndarray, neck: np.ndarray) -> np.ndarray:
    """The half's outline from the neck rim outwards (shoulder, sleeve, side, hem) to the bottom
    of the centre line, as float (u, y) points."""
    contour = outer_contour(half).astype(np.float64)
    on_centre = np.flatnonzero(contour[:, 0] <= contour[:, 0].min() + 0.5)
    end = int(on_centre[np.argmax(contour[on_centre, 1])])
    start = nearest(contour, neck)
    count = len(contour)
    forward = contour[(start + np.arange((end - start) % count + 1)) % count]
    backward = contour[(start - np.arange((start - end) % count + 1)) % count]
    return forward if forward[:, 0].max() >= backward[:, 0].max() else backward


def _side_seam(path: np.ndarray, hem_index: int, box: Box, cfg: LandmarkConfig) -> int:
    """Where the visible side seam above the hem corner ends: its index in path.

    The outline is followed from the hem corner towards the neck while its direction (over a
    short window) stays within ``side_max_turn_deg`` of straight up; the side ends at the knee
    of the outline around where the walk stopped.
    """
    up_path = path[hem_index::-1]
    window = max(2, round(cfg.side_window_frac * box.height))
    steps = up_path[window:] - up_path[:-window]
    rise = -steps[:, 1]
    upward = (rise > 0) & (np.abs(steps[:, 0]) <= np.tan(np.radians(cfg.side_max_turn_deg)) * rise)
    # The walk may start a little above the hem's rounded corner, and steps over kinks shorter
    # than ``side_patience_frac`` (a ruffle, a side slit): it stops where the outline turns
    # for good.
    starts = np.flatnonzero(upward[: 2 * window + 1])
    if len(starts) == 0:
        return hem_index
    patience = max(1, round(cfg.side_patience_frac * box.height))
    # turned[i]: the outline points the wrong way at i and at the patience - 1 points after it
    turned = np.convolve(~upward, np.ones(patience), mode="full")[patience - 1 :] >= patience
    stops = np.flatnonzero(turned[starts[0] :])
    walked = starts[0] + (int(stops[0]) if len(stops) else len(upward) - starts[0])
    walked = _onto_sleeve(up_path, upward, starts[0], walked, window, cfg)
    # the turn lies within a window or two of where the walk stopped: its knee there
    first = max(0, walked - 2 * window)
    local, _ = knee_of(up_path[first : min(len(up_path), walked + 2 * window + 1)])
    return hem_index - max(1, first + local)


def _onto_sleeve(
    up_path: np.ndarray, upward: np.ndarray, start: int, end: int, window: int, cfg
) -> int:
    """The first kink the walk up the side stepped over that led it out onto a sleeve (its
    index in ``up_path``), else ``end``.

    A ruffle or a side slit comes back to the side line. An armpit whose sleeve's underside
    is short leads the walk up the sleeve's cuff and outer edge, a sleeve's reach further out
    (``sleeve_min_reach`` of the chest width, as classify_arms tells a sleeve from a strap):
    just past the kink, or up a cuff's edge by where the walk stopped (:func:`_up_a_cuff`).
    """
    kinked = ~upward[start:end]
    edges = np.flatnonzero(np.diff(kinked.astype(np.int8))) + 1  # where runs begin and end
    bounds = np.concatenate([[0], edges, [len(kinked)]])
    for first, last in zip(bounds[:-1], bounds[1:], strict=True):
        if not kinked[first] or last >= len(kinked):
            continue  # an upward run, or the kink where the walk stopped anyway
        kink = start + first
        reach = cfg.sleeve_min_reach * 2 * up_path[kink, 0]
        after = up_path[min(start + last + window, len(up_path) - 1), 0]
        if after - up_path[kink, 0] >= reach or _up_a_cuff(
            up_path, start, kink, end, window, reach, cfg
        ):
            return kink
    return end


def _up_a_cuff(
    up_path: np.ndarray,
    start: int,
    kink: int,
    end: int,
    window: int,
    reach: float,
    cfg: LandmarkConfig,
) -> bool:
    """Whether the walk went on from ``kink`` up a sleeve's cuff to ``end``: a cuff's edge
    about as steep as the walk may turn is walked up in short steps, each too short to stop
    it. The outline rises outwards from the kink more steeply than a side seam may lean
    (``side_max_tilt_deg``) to the stop and to halfway there (from a kink lower down the side,
    it first runs on up the side), and ends ``reach`` past the side just below the kink (a
    notch in a ragged outline only comes back to the side)."""
    max_lean = np.tan(np.radians(cfg.side_max_tilt_deg))
    u, y = up_path[kink]
    rising_out = all(
        point[0] - u > max_lean * (y - point[1])
        for point in (up_path[end], up_path[(kink + end) // 2])
    )
    side_u = up_path[max(start, kink - 2 * window) : kink + 1, 0].max()
    return bool(rising_out and up_path[end, 0] - side_u >= reach)


def _side_lean(side: np.ndarray, box: Box, cfg: LandmarkConfig) -> float:
    """du/dy of the line fitted to a visible side (0, i.e. vertical, if too little shows)."""
    if abs(side[-1, 1] - side[0, 1]) < cfg.side_min_length_frac * box.height:
        return 0.0
    du, dy, _, _ = cv2.fitLine(side.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01)[:, 0]
    limit = np.tan(np.radians(cfg.side_max_tilt_deg))
    return float(np.clip(du / dy, -limit, limit)) if abs(dy) > 1e-6 else 0.0


def _armpit_above(
    half: np.ndarray,
    path: np.ndarray,
    top_index: int,
    hem_index: int,
    box: Box,
    cfg: LandmarkConfig,
) -> int:
    """The armpit of a side that ran on up past the armhole to the top (sleeveless).

    It is the knee of the outline in the upper half of that run: the bottom of a shallow
    armhole (the deepest point inside the line from the top to the hem corner), or where a
    halter's armhole meets the side (the point farthest out from the line from the top to
    halfway down). Where the run is straight, the side went straight on into a strap (a bra):
    the armpit is the strap's base.
    """
    straight = cfg.straight_max_bulge_frac * box.width
    middle_y = (path[top_index, 1] + path[hem_index, 1]) / 2
    knee, bulge = knee_of(path[top_index : hem_index + 1])
    if bulge <= -straight and path[top_index + knee, 1] <= middle_y:
        return top_index + knee
    lower = np.flatnonzero(path[top_index : hem_index + 1, 1] >= middle_y)
    end = top_index + (int(lower[0]) if len(lower) else hem_index - top_index)
    knee, bulge = knee_of(path[top_index : end + 1])
    if bulge >= straight:
        return top_index + knee
    return _strap_base(half, path, path[hem_index], box, cfg)


def _strap_base(
    half: np.ndarray, path: np.ndarray, hem: np.ndarray, box: Box, cfg: LandmarkConfig
) -> int:
    """Index in path where a strap that the side runs straight into widens into the body.

    The outermost run of each row is as narrow as the strap near the top, and at least twice
    that wide from the body's top edge down; the base is on the outline at that height.
    """
    rows = np.arange(box.top, int(hem[1]) + 1)
    part = half[rows]
    present = part.any(axis=1)
    outer = part.shape[1] - 1 - np.argmax(part[:, ::-1], axis=1)
    # the outermost run starts after the last empty column inside it
    inside = part & (np.arange(part.shape[1])[None, :] <= outer[:, None])
    gap = np.where(~inside & (np.arange(part.shape[1])[None, :] <= outer[:, None]), 1, 0)
    last_gap = np.where(gap.any(axis=1), part.shape[1] - 1 - np.argmax(gap[:, ::-1], axis=1), -1)
    width = np.where(present, outer - last_gap, 0)
    strap = np.median(width[present][: max(3, round(cfg.strap_top_rows_frac * len(rows)))])
    wide = np.flatnonzero(present & (width > cfg.strap_base_widening * strap))
    y = rows[wide[0]] if len(wide) else (box.top + hem[1]) / 2
    # the outline point at that height on the outer edge
    return int(np.argmax(path[:, 0] - 4 * np.abs(path[:, 1] - y)))


def _reach(half: np.ndarray, side_end: np.ndarray) -> float:
    """How far the garment sticks out, above where the visible side ends, past that end."""
    columns = np.flatnonzero(half[: int(side_end[1]) + 1].any(axis=0))
    return float(columns.max() - side_end[0]) if len(columns) else 0.0


def chest_width(sides: list[Side], y: float) -> float:
    """Width between the two side lines at height y."""
    return max(1.0, sides[0].side_u(y) + sides[1].side_u(y))
