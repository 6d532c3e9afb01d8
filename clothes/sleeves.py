"""What each side has outside its body panel, and where it joins: straps or sleeves, the
shoulder and armpit points, and the sleeve's cuff (stages 6 to 8 of landmarks.py)."""

import cv2
import numpy as np

from .config import LandmarkConfig
from .errors import GarmentError
from .shapes import arc_middle, knee_of, nearest, off_chord, running_median
from .sides import Arm, Side, chest_width
from .silhouette import NO_SHAPE, Box, largest_part

ARMHOLE_BAND_PX = 2  # a sleeve's pixels this close outside its armhole line touch it
# A part outside the body panel this small (x the largest) is no sleeve: a speck of the
# outline left by an armhole line drawn through a sleeve lying against the body.
SPECK_SHARE = 0.05


def classify_arms(sides: list[Side], box: Box, cfg: LandmarkConfig) -> None:
    """Strap, sleeve with a visible armpit, or sleeve lying against the body (stage 6).

    A sleeve lies against the body when its underside runs steeply down from the side's knee
    (the knee is the top of the gap between a hanging sleeve and the body), or when little of
    the side shows below the knee compared with the height above it and the sleeve above is
    long and narrow (its cuff rests on the body) rather than short and wide (a cropped top).
    A side that sticks out less than a sleeve's reach past its knee is a strap, unless a long
    gap runs steeply down from the knee: a narrow long sleeve hanging close beside the body.
    """
    window = max(2, round(cfg.underside_window_frac * box.height))
    steep = np.tan(np.radians(cfg.on_body_gap_min_deg))
    for side in sides:
        chest = chest_width(sides, side.side_end[1])
        side.armpit = side.side_end.copy()
        end = side.side_end_index
        # the underside's direction a little away from the knee, whose corner may be ragged
        underside = side.path[max(0, end - window)] - side.path[max(0, end - window // 4)]
        hanging = underside[1] > steep * abs(underside[0])
        gap_depth = side.path[: end + 1, 1].max() - side.side_end[1]  # down to the cuff
        long_gap = hanging and gap_depth >= cfg.on_body_min_gap_depth * box.height
        if side.reach < cfg.sleeve_min_reach * chest and not long_gap:
            side.arm = Arm.STRAP
            continue
        above = side.side_end[1] - side.top_y(side.side_end[0])
        visible = side.hem[1] - side.side_end[1]
        resting = (
            visible < cfg.on_body_max_visible_side * above
            and above > cfg.on_body_min_length * side.reach
        )
        side.arm = Arm.SLEEVE_ON_BODY if hanging or resting else Arm.SLEEVE
        if hanging:
            _extend_gap_to_apex(side, window, box, cfg)


def _extend_gap_to_apex(side: Side, window: int, box: Box, cfg: LandmarkConfig) -> None:
    """Move the top of the gap under a hanging sleeve up to where its two edges meet.

    The narrow tip of the gap is lost in the cut-out (too thin to tell from the fabric), so
    the gap's visible top is a little low. Its edges - the body's side below it and the
    sleeve's inner edge beside it - are followed up as straight lines to where they cross,
    if that is above the visible top and not far, and the gap is a narrow V (a wide one, like
    the space under a drooping short sleeve, keeps its tip)."""
    end = side.side_end_index
    inner = side.path[max(0, end - window) : end + 1]
    if len(inner) < 3 or abs(side.hem[1] - side.side_end[1]) < 1:
        return
    du, dy, u0, y0 = cv2.fitLine(inner.astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01)[:, 0]
    if abs(dy) < 1e-6:
        return
    # side line: u = hem_u + lean (y - hem_y); sleeve's inner edge: u = u0 + du/dy (y - y0)
    slope = du / dy
    angle = np.degrees(abs(np.arctan(slope) - np.arctan(side.lean)))
    if not cfg.gap_apex_min_angle_deg <= angle <= cfg.gap_apex_max_angle_deg:
        return  # nearly parallel edges cross too uncertainly; a wide gap's tip is not lost
    y = (u0 - side.hem[0] + side.lean * side.hem[1] - slope * y0) / (side.lean - slope)
    rise = side.side_end[1] - y
    if 0 < rise <= cfg.gap_apex_max_rise_frac * box.height:
        side.side_end = np.array([side.side_u(y), y])


def place_shoulder(side: Side, box: Box, cfg: LandmarkConfig) -> None:
    """Shoulder point (stage 7)."""
    straight = cfg.straight_max_bulge_frac * box.width
    armpit_index = nearest(side.path, side.armpit) if side.arm != Arm.SLEEVE_ON_BODY else 0
    if side.arm == Arm.STRAP:
        # The strap's outer top corner: the knee of the outline from the neck rim to the
        # armpit, up at the strap's top. A halter has none there (its straps meet at the neck):
        # its shoulder is the neck rim.
        knee, bulge = knee_of(side.path[: armpit_index + 1])
        corner = side.path[knee]
        up_top = corner[1] - side.neck[1] <= cfg.strap_top_max_drop * (
            side.armpit[1] - side.neck[1]
        )
        side.shoulder = corner.copy() if bulge > straight and up_top else side.neck.copy()
        return
    if side.arm == Arm.SLEEVE:
        # The corner where the shoulder line meets the sleeve's top edge: the knee of the
        # outline from the neck rim to the sleeve's tip - not inboard of the armpit, not far
        # out on a flat top edge (an off-shoulder top), not the sleeve's own corner.
        tip = int(np.argmax(side.path[: armpit_index + 1, 0]))
        knee, bulge = knee_of(side.path[: tip + 1])
        above = np.array([side.armpit[0], side.top_y(side.armpit[0])])
        corner, neck, far = side.path[knee], side.path[0], side.path[tip]
        # a knee next to the sleeve's tip is the sleeve's own corner (a straight top edge)
        clear_of_tip = np.linalg.norm(far - corner) >= cfg.shoulder_tip_clearance * np.linalg.norm(
            far - neck
        )
        outset = (corner[0] - above[0]) / max(side.armpit[0], 1.0)  # x half the chest width
        usable = bulge > straight and 0 < outset <= cfg.shoulder_max_outset and clear_of_tip
        side.shoulder = corner.copy() if usable else above
        return
    # A sleeve lying against the body: the corner where the shoulder line turns down into the
    # sleeve's outer edge, the knee of the outline from the neck rim to well down the sleeve.
    low = side.neck[1] + cfg.on_body_shoulder_depth * (side.side_end[1] - side.neck[1])
    below = np.flatnonzero(side.path[:, 1] >= low)
    end = int(below[0]) if len(below) else side.side_end_index
    knee, _ = knee_of(side.path[: end + 1])
    side.shoulder = side.path[knee].copy()


def agree_shoulders(sides: list[Side], box: Box, cfg: LandmarkConfig) -> None:
    """A garment is symmetric: where both sleeves lie against the body and one shoulder point
    lies much further in from the centre line than the other (shoulder_disagreement_frac of
    the width), the knee found on that side was another corner (a ruffled collar's), and it takes
    the other side's shoulder, mirrored."""
    if any(side.arm != Arm.SLEEVE_ON_BODY for side in sides):
        return
    inboard, outboard = sorted(sides, key=lambda side: side.shoulder[0])
    if outboard.shoulder[0] - inboard.shoulder[0] > cfg.shoulder_disagreement_frac * box.width:
        inboard.shoulder = outboard.shoulder.copy()


def _shoulder_width(sides: list[Side]) -> float:
    """Distance between the two shoulder points (their u are measured from the centre line)."""
    return max(1.0, float(sides[0].shoulder[0] + sides[1].shoulder[0]))


def typical_armpit_y(sides: list[Side], side: Side, cfg: LandmarkConfig) -> float:
    """Where an armpit that cannot be seen is assumed: ``armpit_typical_drop`` shoulder widths
    below the shoulder point."""
    return float(side.shoulder[1] + cfg.armpit_typical_drop * _shoulder_width(sides))


def place_hidden_armpits(sides: list[Side], cfg: LandmarkConfig) -> None:
    """Armpits of sleeves lying against the body: on the side line, a typical distance below
    the shoulder line - or at the side's knee (the top of the gap under a hanging sleeve) if
    that is hardly lower (stage 6)."""
    on_body = [side for side in sides if side.arm == Arm.SLEEVE_ON_BODY]
    if not on_body:
        return
    # decided once for both sides (a garment is symmetric), so that two knees either side of
    # the slack do not give two armpits far apart in height
    typical = [typical_armpit_y(sides, side, cfg) for side in on_body]
    below = np.mean([side.side_end[1] - y for side, y in zip(on_body, typical, strict=True)])
    at_knee = below <= cfg.armpit_knee_slack * _shoulder_width(sides)
    for side, y in zip(on_body, typical, strict=True):
        if at_knee:
            side.armpit = side.side_end.copy()
            continue
        hem, end = side.hem, side.side_end
        if hem[1] - end[1] >= cfg.side_min_length_frac * (hem[1] - side.shoulder[1]):
            # on the line from the hem corner through the top of the visible side, so that the
            # armhole-to-hem line never cuts a sliver off the body below the gap
            u = hem[0] + (end[0] - hem[0]) * (y - hem[1]) / (end[1] - hem[1])
        else:
            u = side.side_u(y)
        side.armpit = np.array([u, y])


def agree_sides(sides: list[Side], box: Box, cfg: LandmarkConfig) -> bool:
    """A garment is symmetric: when the two armpits are far apart in height, or one strap
    reads as a halter's (its shoulder at the neck rim) and the other has a top corner, one side
    was misread (an armhole the cut-out filled in, a strap it lost, an armhole's bottom read
    high), and the side whose armpit is higher takes the other's shoulder and armpit, mirrored.
    Returns whether the two had been read as different kinds, one with a sleeve and the other
    without (a doubt)."""
    left, right = sides
    apart = abs(left.armpit[1] - right.armpit[1]) > cfg.side_disagreement_frac * box.height
    if not apart and _is_halter(left) == _is_halter(right):
        return False
    misread, trusted = (left, right) if left.armpit[1] < right.armpit[1] else (right, left)
    kinds_differed = (misread.arm == Arm.STRAP) != (trusted.arm == Arm.STRAP)
    misread.arm = trusted.arm
    misread.shoulder = trusted.shoulder.copy()
    misread.armpit = trusted.armpit.copy()
    return kinds_differed


def _is_halter(side: Side) -> bool:
    """Whether a side reads as a halter's: a strap whose shoulder is the neck rim."""
    return side.arm == Arm.STRAP and bool(np.array_equal(side.shoulder, side.neck))


def measure_sleeve(side: Side, cfg: LandmarkConfig) -> None:
    """Cuff centre, cuff width and sleeve length (stage 8)."""
    if side.arm == Arm.STRAP:
        i = nearest(side.path, side.shoulder)
        j = nearest(side.path, side.armpit)
        armhole = side.path[min(i, j) : max(i, j) + 1]
        side.cuff = arc_middle(armhole)
        steps = np.linalg.norm(np.diff(armhole, axis=0), axis=1)
        side.cuff_width = float(steps.sum())
        side.sleeve_length = 0.0
        return
    sleeve = _sleeve_region(side)
    side.cuff, side.cuff_width = _cuff(sleeve, side.shoulder, side.armpit, cfg)
    side.sleeve_length = float(np.linalg.norm(side.cuff - (side.shoulder + side.armpit) / 2))


def has_armhole(side: Side, chest: float, cfg: LandmarkConfig) -> bool:
    """Whether a strap's side has an armhole: its armpit well below its shoulder, and no
    further out from it than below it, and its outline bending on the way from the shoulder to
    the hem corner (an armhole scoops in, or a strap meets the body at a corner). Long sleeves
    lying over a top's sides leave the outline of a sleeveless top whose side runs straight
    from the shoulder to the hem, or whose armpit is found at the shoulder. Short sleeves cut
    in one with a boxy body, their undersides running straight on down to the hem, leave one
    whose "armpit" is a sleeve's end: further out from the shoulder than below it (the shared
    photos' armpits lie at most 0.85 as far out as below, the drawn tanks' 0.75). Long sleeves
    lying over a tunic's sides, their cuffs resting on it, leave one whose "armpits" are the
    cuffs, nearly down at the hem: an armhole ends well above the hem."""
    body_length = max(side.hem[1] - side.shoulder[1], 1.0)
    drop = side.armpit[1] - side.shoulder[1]
    typical_depth = cfg.armhole_min_depth <= drop / body_length <= cfg.armhole_max_depth
    if not typical_depth or side.armpit[0] - side.shoulder[0] > drop:
        return False
    i, j = nearest(side.path, side.shoulder), nearest(side.path, side.hem)
    down = side.path[min(i, j) : max(i, j) + 1]  # never empty, as measure_sleeve's armhole
    # a cut-out's ragged edge strays a few pixels here and there; a bend is broad
    window = 2 * int(cfg.armhole_bend_window * len(down) / 2) + 1
    bend = np.abs(running_median(off_chord(down), window)).max(initial=0.0)
    return bend >= cfg.armhole_min_bend * chest


def _sleeve_region(side: Side) -> np.ndarray:
    """The half's pixels outside the body panel (outward of the armhole line from shoulder to
    armpit, of the line from the armpit to the hem corner below it, and of the hem corner
    below that) that hang from the armhole: the part touching the armhole line, else the
    largest. (A fitted dress's hips and flare bulge past the straight line to its hem: they
    may be larger than a short sleeve, but they do not touch the armhole. A speck that does,
    where the line cuts through a sleeve lying against the body, is no sleeve.)"""
    height, width = side.half.shape
    rows = np.arange(height, dtype=np.float64)
    shoulder, armpit = side.shoulder, side.armpit
    t = np.clip((rows - shoulder[1]) / max(armpit[1] - shoulder[1], 1e-6), 0, 1)
    boundary = shoulder[0] + t * (armpit[0] - shoulder[0])
    below = rows > armpit[1]
    armpit_to_hem = armpit[0] + (rows - armpit[1]) / max(side.hem[1] - armpit[1], 1e-6) * (
        side.hem[0] - armpit[0]
    )
    boundary = np.where(below, armpit_to_hem, boundary)
    boundary = np.where(rows > side.hem[1], side.hem[0], boundary)
    columns = np.arange(width)[None, :]
    outside = side.half & (columns > boundary[:, None])
    count, labels = cv2.connectedComponents(outside.astype(np.uint8))
    beside = (columns <= boundary[:, None] + ARMHOLE_BAND_PX) & (rows <= armpit[1])[:, None]
    touching = np.bincount(labels[outside & beside], minlength=count)[1:]
    sizes = np.bincount(labels[outside], minlength=count)[1:]
    touching[sizes < SPECK_SHARE * sizes.max(initial=0)] = 0
    if not touching.any():
        return largest_part(outside)
    return labels == 1 + int(np.argmax(touching))


def _cuff(
    sleeve: np.ndarray, shoulder: np.ndarray, armpit: np.ndarray, cfg: LandmarkConfig
) -> tuple[np.ndarray, float]:
    """Centre and width of the sleeve's far end, in (u, y).

    The sleeve's axis runs from the middle of the armhole line to the sleeve's centroid; the
    cuff is the widest cross-section across that axis near the far end, and its centre is the
    far end of the sleeve along the line through the middle of that cross-section.
    """
    ys, us = np.nonzero(sleeve)
    if len(ys) < 10:
        raise GarmentError(NO_SHAPE)
    pixels = np.stack([us, ys], axis=1).astype(np.float64)
    base = (shoulder + armpit) / 2
    axis = pixels.mean(axis=0) - base
    axis /= max(float(np.linalg.norm(axis)), 1e-6)
    across = np.array([-axis[1], axis[0]])
    along = (pixels - base) @ axis
    sideways = (pixels - base) @ across
    reach = float(along.max())
    widths, centres = [], []
    start, end = cfg.cuff_search
    for level in np.linspace(start * reach, end * reach, cfg.cuff_search_steps):
        row = np.abs(along - level) < 0.75
        if np.count_nonzero(row) >= 2:
            widths.append(sideways[row].max() - sideways[row].min())
            centres.append((sideways[row].max() + sideways[row].min()) / 2)
    if not widths:
        raise GarmentError(NO_SHAPE)
    best = int(np.argmax(widths))
    middle = centres[best]
    on_line = np.abs(sideways - middle) < 1.0
    end = along[on_line].max() if np.any(on_line) else reach
    return base + axis * end + across * middle, float(widths[best])
