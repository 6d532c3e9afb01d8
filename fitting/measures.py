"""The body measured on its outline: how wide its torso is, how high its shoulders, how wide
each arm (fit_body in body.py asks for these when the segmentation model's outline is there).

Everything is sampled along lines of the torso sheet (torso.py) or across the arms' bones,
asking the :class:`~fitting.silhouette.Outline` which samples are on the person: the flanks
(:class:`Flanks`) where each row of the sheet leaves the torso's silhouette, an arm beside it
ending it; the shoulders' tops, up two columns of the sheet; an arm's half-width, across the
middle of each bone.
"""

from dataclasses import dataclass

import numpy as np

from .geometry import length, perp, segment_distance, segment_side
from .silhouette import Outline
from .torso import SHOULDER_COLUMN, TorsoFrame

# Measuring the body's width from its silhouette, in half shoulder widths (u, v of the sheet).
FLANK_ROWS = np.linspace(-0.3, 4.0, 28)  # rows of the sheet: the shoulders to the thighs
FLANK_STEP = 0.05  # u between the samples of a row
FLANK_REACH = 2.6  # how far out a row is followed (wider is another person, or an arm), times
# the body's turn (see body._turn: a body seen from the side is wider than its shoulders show)
ARM_RADIUS = 0.3  # an arm's half-width: the torso ends where an arm beside it begins
ARM_REACH = 0.8  # an arm is measured this far to either side of its bones...
ARM_SAMPLES = 40  # ...in this many steps
ARM_WIDTHS = (0.15, 0.45)  # half-widths of arms as measured, within these (else ARM_RADIUS)
# How far the torso's flank stops short of each bone (x the arm's half-width): under the upper
# arm the body panel runs on halfway, to meet the sleeve wherever the sleeve's own axis lies;
# beside the forearm it stops at the arm's edge.
UNDER_ARM = (0.5, 1.0)
# Past a bone, this far (x the arm's half-width, measured or not: a margin) the silhouette is
# still the arm, its outer side; farther on it is the torso again (a forearm across the chest).
ARM_OUTER = 1.5
# Not past an upper arm brought in front of the body (drinking, a hand on the chest): past its
# bone the silhouette is the torso behind the arm or, above the armpit, the arm's shoulder,
# which a sleeve covers (below the sleeve the arm's own outline keeps its bare part in front:
# arm_outlines.upper_arm_outlines). ARM_OUTER falls to 0 as the elbow comes inboard of its
# shoulder, from this far (x the arm's half-width; a hanging elbow lies at most about as far
# inboard as its shoulder)...
IN_FRONT_START = 0.5
IN_FRONT_SPAN = 1.0  # ...to this much further
# An upper arm whose elbow is below the frame (a webcam close-up) goes where the outline's outer
# edge beside it goes: that edge is sought on rows this far below its shoulder joint (x half
# shoulder widths, down the torso; higher, the edge is the shoulder's round)...
EDGE_ROWS = np.linspace(0.5, 2.0, 16)
EDGE_STEPS = np.arange(0.0, 2.0, 0.025)  # ...out to this far past the shoulder joint
EDGE_FULL_SPAN = 1.0  # the edge's slope counts in full where its rows span this much of the
# arm's length (or it runs out of view sideways), in part over less (a frame's edge just below
# the shoulder's round): the sleeve does not jump as the frame shows more or less of the arm
SHOULDER_ROWS = np.arange(0.3, -0.61, -0.02)  # up these rows at u = +-SHOULDER_COLUMN the
# shoulders' top is sought; higher is hair or the head


@dataclass(frozen=True)
class Flanks:
    """Where the torso's silhouette ends on either side of each row of the sheet, in u:
    ``left`` (u > 0) and ``right`` (as positive distances), NaN where a row is not on the
    person. An arm beside the torso ends the torso where it begins. Past the bone of an arm
    brought in front of it the silhouette is the torso behind the arm, and above the armpit
    the arm's own shoulder, which a sleeve covers: ``left`` and ``right`` run on over both.
    ``sleeveless`` (left, right) ends the torso at such an arm as at a hanging one: a garment
    without sleeves, whose armholes leave that shoulder bare, takes it above its armpits
    (warp.tailor)."""

    rows: np.ndarray  # (K,) v
    left: np.ndarray  # (K,)
    right: np.ndarray  # (K,)
    sleeveless: tuple[np.ndarray, np.ndarray]  # (K,) each


def measure_flanks(
    torso: TorsoFrame,
    outline: Outline,
    arms: dict,
    widths: dict,
    scale: float,
    reach: float = FLANK_REACH,
) -> Flanks:
    """Where the torso's silhouette ends on either side of each of FLANK_ROWS.

    Each row is followed outwards from the centre line: the flank is the outermost point
    before the row leaves the silhouette that is not on an arm (an arm hanging against the
    torso is silhouette too; a forearm across the chest is stepped over). ``arms``: each
    arm's joints from the shoulder on, its forearm running on past the wrist to the hand's
    end where the hand is known. An arm is as wide as measured (``widths``: upper arm and
    forearm half-widths), or ARM_RADIUS; the flank stops UNDER_ARM of that short of its
    bones, and the arm's outer side (up to ARM_OUTER past its bones) is not the torso's; past
    the bone of an arm brought in front of the body (see _in_front) it is, but in
    ``Flanks.sleeveless``, which takes every arm as a hanging one.
    """
    steps = np.arange(0.0, reach, FLANK_STEP)
    rows = FLANK_ROWS
    u = np.concatenate([steps, -steps])  # the left half's samples, then the right's
    # Each row of the (untailored) sheet is a straight line, evenly spaced in u: its samples
    # are its middle plus multiples of its direction, two points of the sheet per row.
    ends = torso.to_image(np.stack([np.repeat([0.0, 1.0], len(rows)), np.tile(rows, 2)], 1))
    middle, direction = ends[: len(rows)], ends[len(rows) :] - ends[: len(rows)]
    xy = (middle[:, None] + u[None, :, None] * direction[:, None]).reshape(-1, 2)
    on_person = outline.inside(xy).reshape(len(rows), 2, len(steps))
    # Past the outline's region (the frame's edge) a row goes on unseen: a person cut by the
    # frame's side still has the flank in view, whether the middle of the row is seen or not.
    going = on_person | ~outline.seen_at(xy).reshape(on_person.shape)
    leaves = np.where(going.all(axis=2), len(steps), np.argmin(going, axis=2))
    before = on_person & (np.arange(len(steps)) < leaves[..., None])  # the row's run
    # Only the run's samples can be the torso's: the arms are measured against those alone.
    run = before.reshape(-1)
    outwards = np.repeat([1.0, -1.0], len(steps))[None, :, None] * direction[:, None]
    points, outwards = xy[run], outwards.reshape(-1, 2)[run]
    outer = {side: ARM_OUTER * (1.0 - _in_front(torso, joints, widths[side][0], scale))
             for side, joints in arms.items()}  # fmt: skip
    on_arm = np.zeros(len(points), bool)  # an arm in front ends the torso at its bone...
    beside = np.zeros(len(points), bool)  # ...or, as a hanging arm does, past its outer side
    for side, joints in arms.items():
        for k in range(len(joints) - 1):  # the upper arm, then the forearm
            half_width = arm_half_width(widths[side][k], scale)
            distance, beyond = segment_side(points, joints[k], joints[k + 1], outwards)
            on_arm |= distance <= half_width * np.where(beyond, outer[side], UNDER_ARM[k])
            beside |= distance <= half_width * np.where(beyond, ARM_OUTER, UNDER_ARM[k])

    def extent(arm: np.ndarray) -> np.ndarray:  # each row's outermost torso sample, both sides
        torso_px = before.copy()
        torso_px[before] = ~arm
        last = len(steps) - 1 - np.argmax(torso_px[..., ::-1], axis=2)
        seen = torso_px.any(axis=2) & going[..., 0]
        return np.where(seen, steps[last] + FLANK_STEP / 2, np.nan).T

    left, right = extent(on_arm)
    in_front = any(o < ARM_OUTER for o in outer.values())  # most frames: none, one measure
    bare = tuple(extent(beside)) if in_front else (left, right)
    return Flanks(rows, left, right, bare)


def _in_front(torso: TorsoFrame, joints: np.ndarray, measured: float, scale: float) -> float:
    """How far an arm (its ``joints`` from the shoulder on) is brought in front of the torso:
    0 while its elbow lies at most IN_FRONT_START of the upper arm's half-width (``measured``,
    or typical) inboard of its shoulder, 1 from IN_FRONT_START + IN_FRONT_SPAN on."""
    u = torso.to_garment(joints[:2])[:, 0]
    inboard = (abs(u[0]) - np.sign(u[0]) * u[1]) * length(torso.across)
    inboard /= arm_half_width(measured, scale)
    return float(np.nan_to_num(np.clip((inboard - IN_FRONT_START) / IN_FRONT_SPAN, 0.0, 1.0)))


def arm_half_width(measured: float, scale: float) -> float:
    """An arm's half-width in pixels: as ``measured`` where that is plausible (within
    ARM_WIDTHS half shoulder widths), else ARM_RADIUS. (A sleeve covers a wider measure all
    the same: warp.warp_garment.)"""
    low, high = ARM_WIDTHS[0] * scale, ARM_WIDTHS[1] * scale
    return measured if low <= measured <= high else ARM_RADIUS * scale


def measure_shoulders(torso: TorsoFrame, outline: Outline) -> tuple[float, float]:
    """The silhouette's top over each shoulder: at u = +-SHOULDER_COLUMN, the highest row (v)
    the silhouette reaches without a gap, going up from below the shoulder line.

    A column that runs on past SHOULDER_ROWS (into the head, hair or a raised arm) cannot
    be read: that shoulder takes the other's top (shoulders are level in the torso's own
    frame). NaN where neither can be read, or the column does not reach the shoulder line.
    """
    below_line = SHOULDER_ROWS >= 0
    columns = np.repeat([SHOULDER_COLUMN, -SHOULDER_COLUMN], len(SHOULDER_ROWS))
    uv = np.stack([columns, np.tile(SHOULDER_ROWS, 2)], axis=1)
    tops, hidden = [], []
    for run in outline.inside(torso.to_image(uv)).reshape(2, -1):  # the left, then the right
        hidden.append(bool(run.all()))
        reached = run[below_line].all() and not run.all()
        tops.append(float(SHOULDER_ROWS[np.argmin(run) - 1]) if reached else float("nan"))
    left, right = tops
    return (right if hidden[0] else left), (left if hidden[1] else right)


def outline_run(
    outline: Outline, start, outward, scale: float, reach: float = ARM_REACH, avoid=()
) -> float:
    """How far in pixels the outline runs on from ``start`` along the unit vector ``outward``,
    in ARM_SAMPLES steps up to ``reach`` half shoulder widths of ``scale`` pixels, ending where
    it leaves the outline or enters one of the capsules ``avoid`` (``start``, ``end``,
    ``radius``): NaN where ``start`` is off it, infinite where it runs on past ``reach``."""
    steps = np.linspace(0.0, reach * scale, ARM_SAMPLES)
    points = start + np.outer(steps, outward)
    run = outline.inside(points)
    for capsule in avoid:
        run &= segment_distance(points, capsule.start, capsule.end) > capsule.radius
    if not run[0]:
        return float("nan")
    return float(steps[np.argmin(run)]) if not run.all() else float("inf")


def outline_reach(outline: Outline, start: np.ndarray, outward: np.ndarray, scale: float):
    """How far in pixels the outline runs on from ``start`` along the unit vector ``outward``,
    followed as an arm's width is (see outline_run): NaN where ``start`` is off the outline,
    or it runs on past ARM_REACH."""
    reach = outline_run(outline, start, outward, scale)
    return reach if np.isfinite(reach) else float("nan")


def measure_arm(outline: Outline, joints: np.ndarray, scale: float) -> tuple[float, float]:
    """Half-widths in pixels of the upper arm and the forearm, across their middles.

    Across each bone the silhouette is followed to both sides; where one side runs on into the
    torso (the arm against the body) the other side's distance is taken for both. NaN where
    the bone is not known (no wrist) or not on the person.
    """
    a, b = joints[:-1], joints[1:]  # (B, 2) each: the bones
    normal = perp((b - a) / np.maximum(np.linalg.norm(b - a, axis=1, keepdims=True), 1e-6))
    middles = np.repeat((a + b) / 2, 2, axis=0)  # each bone's, for both sides
    sides = (np.array([1.0, -1.0])[None, :, None] * normal[:, None]).reshape(-1, 2)
    on, seen, reach = _followed(outline, middles, sides, scale)
    on, seen = on.reshape(len(a), 2, ARM_SAMPLES), seen.reshape(len(a), 2, ARM_SAMPLES)
    # Past the region's edge (the frame's) the arm goes on unseen: that side is not its edge.
    runs = on | ~seen
    ends = np.where(runs.all(axis=2), np.inf, reach[np.argmin(runs, axis=2)]).min(axis=1)
    halves = [float(end) if middle_on and end < np.inf else float("nan")
              for middle_on, end in zip(on[:, 0, 0], ends, strict=True)]  # fmt: skip
    halves += [float("nan")] * (2 - len(halves))
    return halves[0], halves[1]


def arm_edge_slope(outline: Outline, shoulder, down, out, scale: float) -> float:
    """How far out (along the unit vector ``out``) the outline's outer edge beside an upper
    arm goes per unit down the torso (the unit vector ``down``), from the arm's ``shoulder``
    joint on EDGE_ROWS, in part where little of it shows (EDGE_FULL_SPAN); NaN where fewer
    than two rows show it.

    A row's edge is where its outermost sample on the person ends. Where the outline's region
    ends there instead, at its side, the arm goes on out of view: that point is on the edge,
    the rows below it are not seen (at its bottom, that row's edge is not seen). The slope is
    the median of the slopes between every two of the edge's points (Theil-Sen), so a few
    rows off the arm (a hand held out) do not move it."""
    points = shoulder + (EDGE_ROWS[:, None, None] * down + EDGE_STEPS[None, :, None] * out) * scale
    on = outline.inside(points.reshape(-1, 2)).reshape(points.shape[:2])  # (rows, steps)
    last = len(EDGE_STEPS) - 1
    outermost = last - np.argmax(on[:, ::-1], axis=1)
    following = points[np.arange(len(EDGE_ROWS)), np.minimum(outermost + 1, last)]
    past = ~outline.seen_at(following)  # the region ends there, not (as far as known) the person
    x0, _, x1, _ = outline.box
    column = np.round(following[:, 0])
    sideways = past & ((column < x0) | (column >= x1))
    edged = on.any(axis=1) & outline.seen_at(points[:, 0]) & (outermost < last) & (~past | sideways)
    leaves = edged & sideways
    shown = edged & (np.cumsum(leaves) - leaves == 0)  # no row above it left the region
    down_by, out_by = EDGE_ROWS[shown], EDGE_STEPS[outermost[shown]]
    if shown.sum() < 2:
        return float("nan")
    i, j = np.triu_indices(len(down_by), 1)
    slope = np.median((out_by[j] - out_by[i]) / (down_by[j] - down_by[i]))
    span = 1.0 if leaves.any() else (down_by[-1] - down_by[0]) / EDGE_FULL_SPAN
    return float(slope * min(span, 1.0))


def _followed(outline: Outline, starts: np.ndarray, outwards: np.ndarray, scale: float):
    """The outline followed from each of ``starts`` (N, 2) along the unit vectors ``outwards``
    (N, 2), in ARM_SAMPLES steps up to ARM_REACH half shoulder widths of ``scale`` pixels:
    (N, ARM_SAMPLES) bool each, whether each step is on it and whether in its region, and the
    steps in pixels."""
    steps = np.linspace(0.0, ARM_REACH * scale, ARM_SAMPLES)
    points = (starts[:, None] + steps[None, :, None] * outwards[:, None]).reshape(-1, 2)
    shape = (len(starts), ARM_SAMPLES)
    return outline.inside(points).reshape(shape), outline.seen_at(points).reshape(shape), steps
