"""Sleeves warped onto the arms, once per pose: each a strip along its arm (layers.py).

A sleeve's strip starts at its armhole, exactly where the body panel puts the armhole (so the
seam never opens), and runs along the arm to its cuff, with a cross-section just below the
armpit (where a hanging sleeve is already arm-wide) and one at the elbow when it is long
enough to bend there. Raising an arm raises the sleeve; bending the elbow bends it. A worn
sleeve is at least as wide as the arm it covers (a loose sleeve of the wearer's own
included), or, without the wearer's outline, as a typical upper arm (ARM_RADIUS); with it, a
hanging sleeve's cap is rounded over the shoulder to the outline. (clothes/sleeves.py finds
the sleeves in the garment's photo.)
"""

import numpy as np

from .body import Body
from .geometry import cross, length, perp, unit
from .layers import Layer, cross_section, half_width, keep, strip_layer
from .measures import outline_reach
from .rig import GarmentRig, Sleeve
from .torso import TorsoFrame

# An arm brought in front of the body turns its sleeve's armhole square to it, as a raised arm
# does: from where the bone lies this far inboard of the armpit (x the arm's half-width)...
ACROSS_START = 0.5
ACROSS_SPAN = 0.5  # ...over this much more (see _on_arm)
CAP_AT = 0.5  # a hanging sleeve's cap is rounded this far from its armhole to its next section


def warp_sleeves(
    rig: GarmentRig, body: Body, torso: TorsoFrame, scale: float, sleeve_width: float,
    ease: float, frame_shape,
) -> list[Layer]:  # fmt: skip
    """The garment's sleeves warped onto ``body``'s arms, the panel already on ``torso`` (as
    tailored); ``scale``: frame pixels per garment pixel; ``sleeve_width``: the share of its
    flat width a worn sleeve shows; ``ease``: how far (half shoulder widths) it reaches past
    the wearer's outline.

    A worn sleeve is at least as wide as the arm in it: the upper arm as measured, or
    typical (else a sleeve hanging from the shoulder would be a sliver beside the panel),
    and as measured when that is wider than any arm (past measures.ARM_WIDTHS: a loose sleeve
    of the wearer's own, which showed beside a sleeve as wide as a typical arm); the
    forearm as measured, or as wide as the capsule the forearm is cut out with (else a
    forearm across the chest, which the outline cannot measure, showed a strip of skin
    beside a narrower sleeve)."""
    sleeves = []
    for side, sleeve in rig.sleeves.items():
        measured = body.arm_widths.get(side, (np.nan, np.nan))
        upper = np.fmax(body.upper_arm(side), measured[0])  # fmax: a NaN measure is no wider
        forearm = measured[1]
        if not np.isfinite(forearm) and side in body.forearms:
            forearm = body.forearms[side].radius
        least = [upper + ease * body.scale, forearm + ease * body.scale]
        sleeves.append(
            _sleeve_layer(
                rig, side, sleeve, body, torso, scale, sleeve_width, least, frame_shape, ease
            )
        )
    return keep(sleeves)


def _sleeve_layer(
    rig, side, sleeve: Sleeve, body: Body, torso: TorsoFrame, scale, width_factor, least,
    frame_shape, ease: float,
):  # fmt: skip
    """``least``: the arm's half-widths (upper arm, forearm) in pixels that the sleeve covers
    at least (NaN: no least); ``ease``: how far (half shoulder widths) a sleeve's cap may
    reach past the wearer's outline (see _round_cap)."""
    armhole = torso.to_image(sleeve.armhole_uv)  # where the panel put it
    arm = body.arms.get(side)
    if arm is None:  # no elbow seen: the sleeve lies as in the photo
        sections_g = [sleeve.armhole, sleeve.cuff]
        sections_b = [armhole, torso.to_image(rig.to_uv(sleeve.cuff))]
    else:
        least = [w if np.isfinite(w) else 0.0 for w in least]  # an unmeasured forearm: none
        to_outline = None
        if (outline := body.trusted_outline) is not None:

            def to_outline(start, outward):  # where the wearer's outline ends, plus the ease
                return outline_reach(outline, start, outward, body.scale) + ease * body.scale

        sections_g, sections_b = _on_arm(
            rig, sleeve, armhole, arm, torso, scale, width_factor, least, to_outline
        )
    pad = sleeve.cuff_pad * scale + 2
    return strip_layer(
        f"{side} sleeve", side, sleeve.part, sections_g, sections_b, scale, pad, frame_shape
    )


def _on_arm(rig, sleeve, armhole, arm, torso, scale, width_factor, least, to_outline=None):
    """Matching cross-sections of the sleeve (garment) and along the arm (body).

    The strip runs along the arm from level with the armhole's middle: below the armpit
    (for a hanging arm), elbow, then wrist. A long sleeve ends at the wrist; other sleeves
    keep their length, scaled with the garment. Across the arm, a worn sleeve shows
    ``width_factor`` of its flat width, but at least ``least`` (the upper arm's and the
    forearm's half-widths) on either side of the bone. With ``to_outline(start, outward)``,
    how far the wearer's outline runs on from a point (see _round_cap), a hanging sleeve's
    cap is rounded over the shoulder to it.
    """
    # The strip's axis is the arm's: it starts where the armhole's middle lies across the
    # upper arm. (Started at the armhole's middle itself, it would run from the panel's edge
    # towards the elbow: with the arm hanging, a strip along the armhole, too thin to show.)
    upper = unit(arm[1] - arm[0])
    root = arm[0] + ((armhole[0] + armhole[1]) / 2 - arm[0]) @ upper * upper
    path = [root, *arm[1:]]
    seg = [b - a for a, b in zip(path[:-1], path[1:], strict=True)]
    arc = [0.0]  # distance along the arm to each joint
    for v in seg:
        arc.append(arc[-1] + max(length(v), 1e-6))
    reach = sleeve.length * scale
    if rig.long_sleeves and len(arm) == 3:
        reach = arc[-1]
    top_side = sleeve.top_side  # turned with the arm but never mirrored
    width = scale * width_factor
    # How far the bone lies inboard of the armpit, level with it, in half-widths of the arm:
    # about 0 or less for an arm hanging beside the body, more as it comes in front of it.
    drop = float((armhole[1] - root) @ upper)  # from the root to level with the armpit
    outward = np.sign((armhole.mean(axis=0) - torso.origin) @ torso.across) * unit(torso.across)
    inboard = -float((root + upper * drop - armhole[1]) @ outward) / max(least[0], 1.0)
    # A raised arm turns the armhole with it: from where the panel put it (the arm at or
    # below the horizontal) towards square to the upper arm at its root (the arm straight
    # up), so that the sleeve wraps the raised arm instead of hanging off the panel's side.
    # So does an arm brought in front of the body: past its bone, the armpit and the panel's
    # armhole along the torso's side are behind the arm, and a strip from there to a cuff
    # inboard of them folded over, or all but (a sliver), as the arm moved by a pixel: on the
    # shared video the sleeve flipped between the two from frame to frame.
    raised = float(np.clip(-(upper @ torso.down), 0.0, 1.0))
    across = float(np.clip((inboard - ACROSS_START) / ACROSS_SPAN, 0.0, 1.0))
    turned = max(raised, across)
    square = cross_section(root, upper, sleeve.armhole, width, top_side, least[0])
    sections_g, sections_b = [sleeve.armhole], [(1 - turned) * armhole + turned * square]
    for k in range(1, len(path) - 1):  # the elbow, when the sleeve reaches past it
        if arc[k] < reach:
            f = arc[k] / reach
            bisector = unit(unit(seg[k - 1]) + unit(seg[k]))
            sections_g.append(sleeve.section(f))
            sections_b.append(
                cross_section(path[k], bisector, sleeve.section(f), width, top_side, least[0])
            )
    k = min(sum(a <= reach for a in arc) - 1, len(seg) - 1)
    cuff_center = path[k] + unit(seg[k]) * (reach - arc[k])
    sections_g.append(sleeve.cuff)
    sections_b.append(
        cross_section(cuff_center, unit(seg[k]), sleeve.cuff, width, top_side, least[min(k, 1)])
    )
    # A sleeve hanging beside the body, its armhole running along the arm rather than across
    # it, is a tube as wide as the arm just below the armpit (the armpit's curve is about as
    # deep as the arm is wide): without a section there its top edge would run straight from
    # the shoulder seam to the elbow and leave the shoulder bare beside the armhole. Not for
    # an arm brought in front of the body: its bone lies inboard of the armpit. Between the
    # two (a hanging arm's bone may lie over the armpit, where the panel widened to the flank
    # puts it) the section goes part of the way, by how far inboard the bone lies, up to the
    # arm's half-width: tested as yes or no, a pixel of the bone's place flipped the sleeve
    # from one shape to the other between frames of a video.
    seam = armhole[0] - armhole[1]  # the panel's armhole (a hanging arm is not raised)
    hanging = abs(seam @ upper) > abs(cross(seam, upper))
    tube = float(np.clip(1.0 - inboard, 0.0, 1.0))  # 1: beside the body; 0: in front of it
    if hanging and tube > 0 and drop > 0:
        below = drop + half_width(sleeve.section(drop / reach), width, least[0])
        garment = sleeve.section(below / reach)
        section = cross_section(root + upper * below, upper, garment, width, top_side, least[0])
        along = below / min(arc[1], reach)  # where the straight strip's section would be
        if tube < 1 and along < 1:  # part of the way from the straight strip's own section
            garment = (1 - tube) * _between(sections_g[0], sections_g[1], along) + tube * garment
            section = (1 - tube) * _between(sections_b[0], sections_b[1], along) + tube * section
        folds = _folded(sections_b[0], section) or _folded(section, sections_b[1])
        if along < 1 and not folds:
            sections_g.insert(1, garment)
            sections_b.insert(1, section)
    if hanging and to_outline is not None:
        _round_cap(sections_g, sections_b, arm[0], upper, (1 - turned) * tube, to_outline)
    if _folded(sections_b[0], sections_b[1]):
        # The arm is raised so far that the strip would fold over at the armhole: start
        # it square to the arm instead (the panel's overlap band hides the seam).
        sections_b[0] = cross_section(root, unit(seg[0]), sleeve.armhole, width, top_side)
    return sections_g, sections_b


def _round_cap(sections_g, sections_b, shoulder, upper, weight: float, to_outline) -> None:
    """Rounds a hanging sleeve's cap over the shoulder to the wearer's outline: a section
    CAP_AT of the way from the armhole to the next, its top point (the outer side: a hanging
    sleeve's top edge runs from the shoulder seam down the outside of the arm) pushed out,
    square to the upper arm, to where ``to_outline`` says the outline ends (never in), by
    ``weight`` (1 for an arm hanging beside the body; less as it turns its sleeve square to
    it, see _on_arm). Inserted into the lists in place, unless it would fold the strip.

    From the seam, the top edge ran straight to the next section, below the armpit; but a
    shoulder is round, and the wearer's own sleeve stands out over it: between the two their
    own sleeve showed, under every catalog top (VITON-HD's 00055, 00121 and 02849 and FitDiT's
    1, the most). Sections a quarter and three quarters of the way as well rounded it closer
    (a crescent above the one section is left), but each costs as much to draw again as the
    strip's other patches: 2.8 ms a frame against 1.0 for the one, on the video.
    ``shoulder``: the upper arm's top joint, ``upper``: its unit direction."""
    garment = _between(sections_g[0], sections_g[1], CAP_AT)
    section = _between(sections_b[0], sections_b[1], CAP_AT)
    outward = perp(upper)
    outward *= np.sign((sections_b[1][0] - shoulder) @ outward) or 1.0  # the top edge's side
    bone = shoulder + ((section[0] - shoulder) @ upper) * upper  # level with its top point
    now = float((section[0] - bone) @ outward)
    edge = to_outline(bone, outward)
    if not edge > now:  # the outline ends inside the straight edge, or is not known (NaN)
        return
    section[0] = bone + (now + weight * (edge - now)) * outward
    if not (_folded(sections_b[0], section) or _folded(section, sections_b[1])):
        sections_g.insert(1, garment)
        sections_b.insert(1, section)


def _between(start: np.ndarray, end: np.ndarray, along: float) -> np.ndarray:
    """The cross-section ``along`` (0..1) the bilinear patch between two others: splitting
    the patch there leaves it as it was."""
    return (1 - along) * start + along * end


def _folded(start: np.ndarray, end: np.ndarray) -> bool:
    """Whether the patch between two cross-sections folds over: its top and bottom edges
    cross, or its two sections do. (A mildly concave patch is fine: a worn sleeve's
    underside may run in over the torso from the armpit.)"""
    return _crossing(start[0], end[0], start[1], end[1]) or _crossing(*start, *end)


def _crossing(a0, a1, b0, b1) -> bool:
    """Whether segment a0-a1 crosses segment b0-b1."""
    da, db = a1 - a0, b1 - b0
    return (cross(da, b0 - a0) * cross(da, b1 - a0) < 0) and (
        cross(db, a0 - b0) * cross(db, a1 - b0) < 0
    )
