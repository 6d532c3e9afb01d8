"""Forearms, hands and upper arms in front of the garment, with their own outline.

A forearm's keypoints give its axis, not its edge, and the person's silhouette has no edge
where an arm lies across the body. The frame's colours have one: around the axis (the
forearm's :class:`~fitting.body.Capsule`), a colour histogram of the arm (its core, close
to the axis) is set against one of what it lies on (a ring around it: the person's own top,
within the person's silhouette, where the garment would be drawn), and each pixel near the
arm goes to the likelier of the two. A colour the ring does not show (a cup in the hand) is
the arm's; one a shade off the ring's (the top in the arm's shade) is judged on both
histograms spread over their bins' neighbours. The core is always kept.

Where the colours do not tell the two apart (a long sleeve the colour of the shirt behind
it, a busy print) the capsule stays as it is. Where they do, the arm's edge, blurred over a
few pixels into a darker top, is matted (each pixel as much arm as its colour shows), not cut
out whole. Either way, a hand in front of the top keeps what it holds (a cup, a phone) in
front with it, of a long sleeve drawn over the forearm too.

    forearms = forearm_outlines(frame, body, samples)  # .arms, .held: side -> Patch; .told

An upper arm brought forward, its elbow in front of the chest (drinking), lies in front of
the torso too: below a short sleeve its bare part is found the same way
(``upper_arm_outlines``).
"""

from fractions import Fraction
from typing import NamedTuple

import cv2
import numpy as np

from clothes.shapes import disk

from .body import Body, Capsule
from .colours import (
    ARM_TOLD,
    MIN_SAMPLES,
    RING_TOLD,
    STRAY,
    Samples,
    bin_counts,
    colour_bins,
    histogram,
    seen_bins,
    spread_histogram,
)
from .geometry import (
    box_distance,
    clip_box,
    even_sides,
    offsets_at_ends,
    overlap,
    perp,
    unit,
    window,
)
from .patches import (
    DESPECKLE,
    Patch,
    capsule_box,
    capsule_mask,
    clean,
    connected_to,
    person_mask,
    soft_patch,
)
from .silhouette import Outline, crop

CORE = 0.45  # x the capsule's radius: surely the arm (its colours are sampled; always kept)
RING = (1.6, 2.4)  # x radius: what the arm lies on, sampled for its colours
REACH = 1.25  # x radius: the arm's outline may reach this far from the axis, no farther
HOLD = 3.0  # x radius: what a hand holds may reach this far from the hand's end
CLEARLY_AROUND = 0.25  # inside the capsule, a pixel this unlike the arm is its surroundings
EDGE = 0.3  # x radius: the surroundings are sampled this far inside the person's outline
EDGE_BAND = 0.6  # x radius: the arm's edge may blend into its surroundings this far in...
# ...but no farther in than this many pixels: a camera blurs an edge over a few pixels, however
# big the arm. Past them, in a high-resolution photo, the darkening is the arm's own shading
# (6 px: the band of an arm as a webcam shows it, radius 10 px)
EDGE_BAND_MAX_PX = 6
# A forearm told from what it lies on at the last inference stays told down to shares this much
# below ARM_TOLD and RING_TOLD (VITON-HD 01008's black sleeves, their ring's share between 0.81
# and 0.89 from frame to frame, flipped between their outline and the capsule)
TOLD_HYSTERESIS = 0.05
# ...and each pixel that was its outline needs a likelihood this much lower to stay the arm, one
# that was not this much higher to become it. On someone standing still, most of the pixels
# of a told arm's edge that flipped between the arm and what it lies on from one frame to the
# next had moved by less (FitDiT 0223: 780 of 1,385), across CLEARLY_AROUND or 0.5.
PIXEL_HYSTERESIS = 0.1
# A forearm whose ring is told from it but whose core is not (less than ARM_TOLD of it looks
# like the arm) may lie off its keypoints' axis, the core straddling its edge: the capsule is
# moved onto what its core shows of the arm, and judged again, up to this many times (the
# core sees CORE radii either side of the axis: each step moves it at most that far)
RECENTRE_STEPS = 3
# An arm whose capsule's radius is at least 4/3 of this (px) is read on its region of the frame
# shrunk, and its outline brought back to the frame's pixels: its colours and edge need no more
# pixels than the shared video's forearms have (radius 10-11 px). From twice DETAIL_PX the step
# is whole (each block's plain mean; read at a radius of 12-18 px), below it 4/3 or 5/3
# (STEP_PARTS: thirds of a pixel; read at 12-15 px; shrunk by areas, ten times as slow). At full
# resolution an arm of the video 2.5 times closer, as a webcam on a desk sees its user, took
# three times as long as one of the video, 1.5 and 2 times closer 1.3 and 1.6 times. (At 8,
# arms read at 8-12 px flipped more tells that lie near their thresholds: a forearm told in a
# photo and not in the photo mirrored.)
DETAIL_PX = 12
STEP_PARTS = 3
MIN_CONTRAST = 100  # RGB distance between arm and surroundings below which no matte is read
SMOOTH = 0.3  # x radius: the arm's edge is opened and closed with a disk this big
TUBE_WINDOW = 1.0  # x radius: along the bone, the arm's sides are evened out over twice this
# An elbow this far in from the shoulder seams (|u| in torso coordinates), between the shoulder
# and hip lines, has come forward: its upper arm is in front of the torso.
ELBOW_IN_FRONT = 0.6
BARE_UPPER_ARM = 0.5  # ...and from this far down it to the elbow, out of a short sleeve


class ArmOutline(NamedTuple):
    """A forearm as the frame shows it: the arm and hand (their own outline, or the capsule
    where their colours cannot be told from what they lie on) with what the hand holds
    (``arm``), what the hand holds alone (``held``; None: nothing), and whether the arm was
    told from what it lies on (``told``: its own outline, not the capsule)."""

    arm: Patch
    held: Patch | None = None
    told: bool = True


class ToldForearm(NamedTuple):
    """A forearm told from what it lies on at an inference: its capsule there and its outline
    (the :class:`ArmOutline`'s ``arm``), which the next inference's is held to."""

    capsule: Capsule
    outline: Patch


class Forearms(NamedTuple):
    """The forearms in front of a garment: side -> :class:`Patch` of each arm (``arms``) and
    of what each hand holds (``held``), and side -> :class:`ToldForearm` of those told from
    what they lie on (``told``)."""

    arms: dict[str, Patch]
    held: dict[str, Patch]
    told: dict[str, ToldForearm]


def forearm_outlines(frame: np.ndarray, body: Body, samples: Samples | None = None) -> Forearms:
    """:class:`Forearms`: each of the body's forearms whose outline ``frame`` (RGB) shows,
    and what each hand holds.

    With the body's trusted outline every forearm is here, cut to the person: beside a
    hanging hand, what the silhouette calls background is not the arm, and a loose garment's
    drape may cover it. A forearm whose colours are not told apart is its capsule, so cut.
    With ``samples`` of the wearer's top, a hand in front of it (HOLD radii above the hip
    line) keeps what it holds in front too; lower, beside the hips, other colours near it
    are the trousers or the skirt.

    A forearm told from what it lies on at the last inference (``body.forearms_told``, held
    by the tracker) stays told down to shares TOLD_HYSTERESIS lower, its outline held to the
    last one's (see :func:`forearm_outline`).
    """
    outline = body.trusted_outline
    top = samples.top_seen if samples is not None else None
    found, held, told = {}, {}, {}
    for side, capsule in body.forearms.items():
        # Not what the forearm lies on: the other forearm, the face, and its own upper arm
        # (bent, beside the forearm; straight, past the elbow). In the webcam video, drinking,
        # their skin kept the arm a capsule in 32 of 103 frames; a straight arm hanging beside
        # a dress, sampled on its bare upper arm, was not told from the dress, and the capsule,
        # wider than the arm, showed the wearer's own dress beside it.
        others = [c for s, c in body.forearms.items() if s != side]
        others += [body.head] if body.head is not None else []
        shoulder, elbow, wrist = body.arms[side]
        others.append(Capsule(shoulder, elbow, body.upper_arm(side)))
        holds = top if top is not None and _above_hips(body, capsule) else None
        before = body.forearms_told.get(side)
        seen = forearm_outline(frame, capsule, outline, others, holds, wrist, before)
        patch = seen.arm if seen is not None else None
        if outline is not None:
            patch = _on_person(body, patch or _capsule_patch(capsule, frame.shape))
        if patch is not None:
            found[side] = patch
        if seen is not None and seen.held is not None:
            held[side] = _on_person(body, seen.held) if outline is not None else seen.held
        if seen is not None and seen.told:
            told[side] = ToldForearm(capsule, seen.arm)
    return Forearms(found, held, told)


def upper_arm_outlines(frame: np.ndarray, body: Body) -> dict[str, Patch]:
    """The upper arms brought in front of the torso, with their own outlines: side -> Patch.

    An arm cannot pass through the body: an elbow inside the torso (ELBOW_IN_FRONT) has come
    forward, and its upper arm lies in front of the torso, foreshortened. Below a short
    sleeve its bare part then covers the garment's panel (a sleeve is drawn over its own arm:
    the part inside it stays covered). Found as a forearm is, from BARE_UPPER_ARM of the way
    down the bone (a short sleeve covers the rest; started at the shoulder, the arm's core,
    always kept, showed the wearer's own sleeve there) to the elbow; where the colours do not
    tell the arm from its surroundings, nothing is found (the panel covers it, as before)."""
    found = {}
    outline = body.trusted_outline
    others = list(body.forearms.values())
    for side, joints in body.arms.items():
        shoulder, elbow = joints[:2]
        u, v = body.torso.to_garment(elbow[None])[0]
        if not (abs(u) < ELBOW_IN_FRONT and 0 < v < body.torso.length):
            continue
        start = shoulder + BARE_UPPER_ARM * (elbow - shoulder)
        capsule = Capsule(start, elbow, body.upper_arm(side))
        told = forearm_outline(frame, capsule, outline, others, tube_end=elbow)
        patch = told.arm if told is not None else None
        if outline is not None:
            patch = _on_person(body, patch)
        if patch is not None:
            found[side] = patch
    return found


def _above_hips(body: Body, forearm: Capsule) -> bool:
    """Whether the hand at the forearm's end is HOLD of its radii above the hip line."""
    depth = float(np.dot(forearm.end - body.torso.hip_origin, body.torso.down))
    return depth <= -HOLD * forearm.radius


def _capsule_patch(capsule: Capsule, frame_shape) -> Patch | None:
    """The capsule itself as a :class:`Patch`; None where it lies off the frame."""
    box = clip_box(capsule_box(capsule), frame_shape)
    return Patch(box, capsule_mask([capsule], box)) if box is not None else None


def _on_person(body: Body, patch: Patch | None) -> Patch | None:
    """``patch`` where the wearer is (see :func:`person_mask`)."""
    if patch is None:
        return None
    return Patch(patch.box, patch.alpha * person_mask(body, patch.box))


def forearm_outline(
    frame: np.ndarray,
    capsule: Capsule,
    outline: Outline | None = None,
    others: list[Capsule] = (),
    holds: np.ndarray | None = None,
    tube_end: np.ndarray | None = None,
    before: ToldForearm | None = None,
) -> ArmOutline | None:
    """The forearm and hand around ``capsule`` as an :class:`ArmOutline` of ``frame`` (RGB).
    With the person's ``outline`` the surroundings are sampled on the person only, and what
    lies behind them beside the arm (the wall, off the outline) apart: the outline is a few
    pixels loose, and the wall inside it is not the arm where it hangs together with the
    wall outside. The surroundings are never sampled on the ``others``: the wearer's parts
    that lie round the forearm but not under it (the other forearm, the face it is raised
    to, its own upper arm folded beside it; sampled as its surroundings, their skin left the
    arm's colours untold). ``holds``: the hand may
    hold something in front of the wearer's top (a cup, a phone): the colours seen on the
    top, a (BINS ** 3,) bool. Near the hand's end, up to HOLD radii, pixels of colours
    neither the top nor the surroundings along the forearm show (but in a STRAY few of its
    samples), that hang together with the hand, stay with it; of those, the ones the forearm
    itself does not show either are what it holds (and the hand, where it is not the
    forearm's colour: a hand out of a sleeve). From the capsule's start to ``tube_end``, if
    given (the wrist), the arm is a tube: its sides are evened out along it (TUBE_WINDOW).
    Where the ring is told from the arm but the core is not (the keypoints off the arm's
    middle, the core straddling its edge), the capsule is moved onto what its core shows of
    the arm and judged again (RECENTRE_STEPS). Where the arm's colours cannot be told from
    its surroundings' (a forearm across the neck, a sleeve the colour of the top) its capsule
    stays, with what the hand holds, or None where it holds nothing. An arm told ``before``
    (at the last inference) stays told down to shares TOLD_HYSTERESIS below ARM_TOLD and
    RING_TOLD, and its outline is held to the last one (PIXEL_HYSTERESIS): near those shares
    and near the likelihoods that decide each pixel, a camera's noise flipped the arm between
    its outline and its capsule, and its edge pixels between the arm and what it lies on, from
    one frame to the next. An arm of a radius of 4/3 DETAIL_PX or more is outlined on its region
    of the frame shrunk to about DETAIL_PX (:class:`_Shrunk`), and drawn at the frame's
    resolution."""
    step = _reading_step(capsule.radius)
    if step == 1:
        found = _found(frame, capsule, outline, others, holds, tube_end, before)
    else:  # found on the region round the arm shrunk by step, and brought back
        view = _Shrunk.around(frame, capsule_box(capsule, max(RING[1], HOLD)), step)
        found = None if view is None else view.grown(
            _found(view.frame, view.capsule(capsule), view.outline(outline),
                   [view.capsule(c) for c in others], holds, view.point(tube_end),
                   view.told(before), pixel=float(step))
        )  # fmt: skip
    return found.drawn(capsule) if found is not None else None


def _reading_step(radius: float) -> Fraction:
    """The frame's pixels to one an arm of ``radius`` is read at: the largest whole step that
    leaves it DETAIL_PX (a block's plain mean), else the largest in STEP_PARTS-ths; 1 for arms
    narrower than 4/3 DETAIL_PX."""
    if radius >= 2 * DETAIL_PX:
        return Fraction(int(radius // DETAIL_PX))
    return max(Fraction(int(STEP_PARTS * radius // DETAIL_PX), STEP_PARTS), Fraction(1))


def _found(
    frame: np.ndarray,
    capsule: Capsule,
    outline: Outline | None,
    others: list[Capsule],
    holds: np.ndarray | None,
    tube_end: np.ndarray | None,
    before: ToldForearm | None,
    pixel: float = 1,
) -> "_Found | None":
    """:func:`forearm_outline`'s arm, found on ``frame`` as given, each of its pixels
    ``pixel`` of the camera's (the edge's blur, EDGE_BAND_MAX_PX, is the camera's)."""
    margin = TOLD_HYSTERESIS if before is not None else 0.0
    first = _sampled(frame, capsule, outline, others, holds)
    if first is None:
        return None
    seen, axis, tube = first, capsule, tube_end
    for _ in range(RECENTRE_STEPS):  # told round the arm, not on its axis: move onto the arm
        if seen.told(margin) or not seen.ring_told(margin):
            break
        moved = _onto_arm(axis, seen, capsule)
        again = _sampled(frame, moved, outline, others, holds) if moved is not None else None
        if again is None:
            break
        tube = None if tube_end is None else _moved_along(tube_end, capsule, moved)
        seen, axis = again, moved
    if not seen.told(margin):
        _, held = _holding(first, capsule, holds)
        held = _held_by_capsule(capsule, first.distance, held) if held is not None else None
        return _Found(first.box, None, None, held) if held is not None else None
    r, box, distance, core = axis.radius, seen.box, seen.distance, seen.core
    likelihood, index, ring, beyond = seen.likelihood, seen.index, seen.ring, seen.beyond
    kept, held = _holding(seen, axis, holds)
    # Within the capsule the arm stays unless the pixel clearly looks like its surroundings;
    # past it, up to REACH, the arm goes on where it looks more like the arm.
    in_capsule = distance <= 1.0
    threshold = np.where(in_capsule, CLEARLY_AROUND, 0.5)
    if before is not None:
        threshold += np.where(_was_arm(before, capsule, box), -PIXEL_HYSTERESIS, PIXEL_HYSTERESIS)
    inside = likelihood > threshold
    # Nor is the wall behind the person the arm (by the same rules, against the wall's colours
    # off the person), where it hangs together with the wall there: the person's outline runs
    # a few pixels past the arm's edge, and the wall inside it, taken for the arm (a colour
    # the ring does not show), drew a pale line round a hanging arm on a dress.
    if beyond.sum() >= MIN_SAMPLES:
        odds = _arm_odds(seen.arm, seen.arm_near, index[beyond])  # the arm's, against the wall's
        wall = np.where(in_capsule, (odds <= CLEARLY_AROUND)[index], (odds < 0.5)[index])
        inside &= ~connected_to((wall & ~core) | beyond, beyond)
    inside = (inside & (distance <= REACH)) | core
    if kept is not None:
        inside |= kept
    inside = clean(inside.astype(np.uint8) * 255, DESPECKLE, SMOOTH * r)
    if tube is not None:
        span = 2 * round(TUBE_WINDOW * r) + 1
        inside = even_sides(inside > 0, box, axis.start, tube, span).astype(np.uint8) * 255
    inside |= core.astype(np.uint8) * 255
    if holds is not None:  # what the hand holds hangs together with it
        hangs = (distance <= REACH) | connected_to(inside, core)
        inside = np.where(hangs, inside, 0).astype(np.uint8)
    # The edge is matted against the colours the ring shows, not a shade off them: a shadow
    # between a pale arm and the body, a shade of the top, matted the arm's own shaded side
    # half away (FitDiT 2)
    around = (inside == 0) & (likelihood < 0.5) & (bin_counts(index[ring]) > 0)[index]
    colour = np.median(frame[box[1] : box[3], box[0] : box[2]][core & (likelihood > 0.5)], axis=0)
    band = min(EDGE_BAND * r, EDGE_BAND_MAX_PX / pixel)
    matte = _edge_matte(frame, box, inside > 0, around, band, colour)
    if held is not None:
        held = clean((held & (inside > 0)).astype(np.uint8) * 255, DESPECKLE, SMOOTH * r)
    return _Found(box, inside, matte, held if held is not None and held.any() else None)


class _Found(NamedTuple):
    """A forearm as found over ``box``, to be drawn (:meth:`drawn`): its pixels (``inside``,
    uint8 0/255; None where it is not told from what it lies on, and its capsule is drawn),
    how much of each is the arm at its edge (``matte``), and what its hand holds (``held``,
    uint8 0/255; None: nothing)."""

    box: tuple[int, int, int, int]
    inside: np.ndarray | None
    matte: np.ndarray | None
    held: np.ndarray | None

    def drawn(self, capsule: Capsule) -> ArmOutline:
        """The :class:`ArmOutline`, its edges anti-aliased; ``capsule`` where not told."""
        held = soft_patch(self.box, self.held) if self.held is not None else None
        if self.inside is None:
            arm = np.maximum(capsule_mask([capsule], self.box), held.alpha)
            return ArmOutline(Patch(self.box, arm), held, told=False)
        arm = Patch(self.box, soft_patch(self.box, self.inside).alpha * self.matte)
        return ArmOutline(
            arm, Patch(self.box, arm.alpha * held.alpha) if held is not None else None
        )


class _Shrunk(NamedTuple):
    """A region of the frame shrunk by ``step``, a fraction p / q: each block of p x p of the
    frame's pixels becomes q x q, by their areas. Its corner is at ``origin`` (x, y) in the
    frame, on the frame's grid of blocks, so that what stands still is shrunk alike from one
    frame to the next. What an arm's outline is found from is brought to it, and the outline
    brought back."""

    frame: np.ndarray
    origin: np.ndarray
    step: Fraction

    @classmethod
    def around(cls, frame: np.ndarray, box: np.ndarray, step: Fraction) -> "_Shrunk | None":
        """The frame's pixels in ``box`` (grown to whole blocks, within the frame), shrunk;
        None where that is less than two shrunk pixels wide or high."""
        box = clip_box(box, frame.shape)
        if box is None:
            return None
        p, q = step.numerator, step.denominator
        x0, y0 = box[0] - box[0] % p, box[1] - box[1] % p
        w = min(-(-(box[2] - x0) // p), (frame.shape[1] - x0) // p)
        h = min(-(-(box[3] - y0) // p), (frame.shape[0] - y0) // p)
        if w * q < 2 or h * q < 2:
            return None
        region = frame[y0 : y0 + h * p, x0 : x0 + w * p]
        small = cv2.resize(region, (w * q, h * q), interpolation=cv2.INTER_AREA)
        return cls(small, np.array([x0, y0], np.float64), step)

    @property
    def box(self) -> tuple[int, int, int, int]:
        """The region's box in the frame."""
        (x0, y0), (h, w) = self.origin.astype(int), self.frame.shape[:2]
        return x0, y0, x0 + int(w * self.step), y0 + int(h * self.step)

    def point(self, xy: np.ndarray | None) -> np.ndarray | None:
        """``xy`` (frame pixels) in the shrunk region's pixels: a shrunk pixel's centre is the
        centre of the frame's step x step pixels it stands for (as ``cv2.resize`` takes it,
        both ways)."""
        return None if xy is None else (xy - self.origin + 0.5) / float(self.step) - 0.5

    def capsule(self, c: Capsule) -> Capsule:
        return Capsule(self.point(c.start), self.point(c.end), c.radius / float(self.step))

    def mask(self, mask: np.ndarray, box) -> np.ndarray:
        """(h, w) float32 over the shrunk region: ``mask`` over the frame's ``box``, each
        pixel the share of the frame's step x step pixels it stands for that ``mask`` covers."""
        region = crop(mask, box, self.box).astype(np.float32)
        return cv2.resize(region, self.frame.shape[1::-1], interpolation=cv2.INTER_AREA)

    def outline(self, outline: Outline | None) -> Outline | None:
        if outline is None:
            return None
        own, front = (self.mask(m, outline.box) >= 0.5 for m in (outline.own, outline.front))
        return Outline((0, 0, *self.frame.shape[1::-1]), own, front, outline.trusted)

    def told(self, told: ToldForearm | None) -> ToldForearm | None:
        if told is None:
            return None
        alpha = self.mask(told.outline.alpha, told.outline.box)
        return ToldForearm(self.capsule(told.capsule), Patch((0, 0, *alpha.shape[::-1]), alpha))

    def grown(self, found: _Found | None) -> _Found | None:
        """``found`` on the shrunk region, brought to the frame's pixels: its masks' edges
        run smoothly between the shrunk pixels (anti-aliased, bilinear, cut at half), not in
        steps of them."""
        if found is None:
            return None
        # the box in the frame's pixels: exact at a whole step, to a third of one at thirds
        x0, y0, x1, y1 = (round(self.step * v) for v in found.box)
        ox, oy = self.origin.astype(int)
        size = (x1 - x0, y1 - y0)

        def mask_back(m: np.ndarray | None) -> np.ndarray | None:
            if m is None:
                return None
            smooth = cv2.resize(
                cv2.GaussianBlur(m, (3, 3), 0), size, interpolation=cv2.INTER_LINEAR
            )
            return (smooth >= 128).astype(np.uint8) * 255

        matte = found.matte
        matte = None if matte is None else cv2.resize(matte, size, interpolation=cv2.INTER_LINEAR)
        box = (ox + x0, oy + y0, ox + x1, oy + y1)
        return _Found(box, mask_back(found.inside), matte, mask_back(found.held))


def _arm_odds(arm: np.ndarray, arm_near: np.ndarray, around: np.ndarray) -> np.ndarray:
    """(BINS ** 3,): for each colour bin, how likely a pixel of that colour is the arm (its
    colour histogram ``arm``) rather than what the ``around`` samples (flat bin indices)
    show; 1 for a colour they do not show. A colour one bin off theirs (light and shade
    move a colour into the next bin: the top in the arm's shade) is judged on both
    histograms spread over their bins' neighbours (``arm_near``: the arm's, spread)."""
    shown = histogram(around)
    shown_near, seen = spread_histogram(around)
    odds = np.where(seen, arm_near / (arm_near + shown_near), 1.0)
    return np.where(bin_counts(around) > 0, arm / (arm + shown), odds)


def _was_arm(before: ToldForearm, capsule: Capsule, box) -> np.ndarray:
    """(h, w) bool over ``box``: the forearm's outline at the last inference (``before``),
    moved as the middle of its capsule has moved since (a turn of the arm is left out: a
    pixel's hysteresis decides only pixels of likelihoods near the thresholds)."""
    middle = (capsule.start + capsule.end - before.capsule.start - before.capsule.end) / 2
    moved = np.asarray(before.outline.box) + np.tile(np.round(middle).astype(int), 2)
    return crop(before.outline.alpha, moved, box) > 0.5


class _Sampled(NamedTuple):
    """The colours round a forearm's capsule (see :func:`forearm_outline`), over ``box``:
    each pixel's ``distance`` from the axis in radii, the ``core`` (the arm's samples), the
    ``ring`` (what it lies on), what is ``beyond`` the person beside it, the pixels' colour
    bins (``index``), the arm's histograms (``arm``, and ``arm_near`` spread) and each pixel's
    ``likelihood`` of being the arm; the shares of the core that look like the arm and of the
    ring that do not."""

    box: tuple[int, int, int, int]
    distance: np.ndarray
    core: np.ndarray
    ring: np.ndarray
    beyond: np.ndarray
    index: np.ndarray
    arm: np.ndarray
    arm_near: np.ndarray
    likelihood: np.ndarray
    arm_share: float
    ring_share: float

    def ring_told(self, margin: float) -> bool:
        """Whether RING_TOLD of the ring (less ``margin``) does not look like the arm."""
        return self.ring_share >= RING_TOLD - margin

    def told(self, margin: float) -> bool:
        """Whether the arm is told from what it lies on: the ring is (``ring_told``), and
        ARM_TOLD of the core (less ``margin``) looks like the arm."""
        return self.ring_told(margin) and self.arm_share >= ARM_TOLD - margin


def _sampled(
    frame: np.ndarray,
    capsule: Capsule,
    outline: Outline | None,
    others: list[Capsule],
    holds: np.ndarray | None,
) -> _Sampled | None:
    """The colours round ``capsule`` (see :class:`_Sampled`), or None where it is off the
    frame or either the core or the ring has too few pixels to sample."""
    r = capsule.radius
    box = clip_box(capsule_box(capsule, RING[1] if holds is None else HOLD), frame.shape)
    if box is None:
        return None
    distance = _distance(capsule, box) / max(r, 1e-6)
    core, ring = distance <= CORE, (distance >= RING[0]) & (distance <= RING[1])
    beyond = np.zeros(core.shape, bool)  # off the person beside the arm: the wall behind them
    if outline is not None:  # well inside the person: their outline's edge is not exact
        person = outline.crop(outline.own, box).astype(np.uint8)
        edge = disk(max(1, round(EDGE * r)))
        ring &= cv2.erode(person, edge) > 0
        beyond = (distance >= 1.0) & (distance <= RING[1]) & (cv2.dilate(person, edge) == 0)
    for other in others:
        _off_capsule(ring, box, other, frame.shape)
    if core.sum() < MIN_SAMPLES or ring.sum() < MIN_SAMPLES:
        return None
    index = colour_bins(frame, box)
    arm = histogram(index[core])
    arm_near, _ = spread_histogram(index[core])  # for colours a shade off the ring's
    likelihood = _arm_odds(arm, arm_near, index[ring])[index]
    arm_share = float((likelihood[core] > 0.5).mean())
    ring_share = float((likelihood[ring] < 0.5).mean())
    return _Sampled(box, distance, core, ring, beyond, index, arm, arm_near, likelihood,
                    arm_share, ring_share)  # fmt: skip


def _holding(seen: _Sampled, capsule: Capsule, holds: np.ndarray | None):
    """Near the hand's end of ``capsule`` (HOLD radii), the pixels of colours neither the top
    (``holds``) nor the surroundings along the forearm show (``kept``), and of those the ones
    the forearm does not show either (``held``), over ``seen.box``; (None, None) without
    ``holds`` or samples along the forearm."""
    if holds is None:
        return None, None
    r, box, index = capsule.radius, seen.box, seen.index
    near_hand = _distance(Capsule(capsule.end, capsule.end, r), box) <= HOLD * r
    along_arm = seen.ring & ~near_hand
    if along_arm.sum() < MIN_SAMPLES:
        return None, None
    shown = holds | seen_bins(index[along_arm], least=STRAY)
    kept = near_hand & ~shown[index]
    return kept, kept & ~seen_bins(index[seen.core & ~near_hand])[index]


def _onto_arm(capsule: Capsule, seen: _Sampled, keypoints: Capsule) -> Capsule | None:
    """``capsule`` moved across its bone onto the pixels of its core that look like the arm
    (``seen``): each end as far as the straight line that fits those pixels lies off the axis
    there, and no farther than its radius from where the ``keypoints`` put it. None where
    too few pixels of the core look like the arm."""
    ys, xs = np.nonzero(seen.core & (seen.likelihood > 0.5))
    if len(xs) < MIN_SAMPLES:
        return None
    points = np.stack([xs + seen.box[0], ys + seen.box[1]], axis=1).astype(np.float64)
    offsets = offsets_at_ends(points, capsule.start, capsule.end)
    side = unit(perp(capsule.end - capsule.start))
    placed = np.stack([keypoints.start, keypoints.end])
    moves = np.stack([capsule.start, capsule.end]) + offsets[:, None] * side - placed
    within = np.minimum(1.0, keypoints.radius / np.maximum(np.hypot(*moves.T), 1e-9))
    ends = placed + moves * within[:, None]
    return Capsule(ends[0], ends[1], capsule.radius)


def _moved_along(point: np.ndarray, capsule: Capsule, moved: Capsule) -> np.ndarray:
    """The point as far along ``moved`` as ``point`` lies along ``capsule``."""
    axis = capsule.end - capsule.start
    t = float((point - capsule.start) @ axis) / max(float(axis @ axis), 1e-12)
    return moved.start + t * (moved.end - moved.start)


def _held_by_capsule(capsule: Capsule, distance, held) -> np.ndarray | None:
    """What the hand of a forearm kept as its capsule holds: of ``held`` (a (h, w) bool of the
    colours it may be), what hangs together with the capsule (``distance`` from its axis in
    radii), as uint8 0/255; None where it holds nothing."""
    in_capsule = distance <= 1.0
    held = clean(held.astype(np.uint8) * 255, DESPECKLE, SMOOTH * capsule.radius) > 0
    held &= connected_to(held | in_capsule, in_capsule)
    return held.astype(np.uint8) * 255 if held.sum() >= MIN_SAMPLES else None


def _edge_matte(
    frame: np.ndarray, box, arm: np.ndarray, around: np.ndarray, band: float, arm_colour: np.ndarray
) -> np.ndarray:
    """(h, w) float32 over ``box``: how much of each pixel of the ``arm`` mask's edge band
    (within ``band`` px of pixels that look like ``around`` it) is the arm, 1 elsewhere.

    An arm's edge blends into what it lies on over a few pixels (the camera's blur, its
    shaded side against the body): cut out whole, that band drew a dark line round the arm on
    the new garment where the arm lay on a dark top. Each pixel's colour is placed on the line
    between the arm's colour (``arm_colour``, RGB: its core's) and its surroundings' there
    (the nearest pixel that looks like them), and is that much arm. Not the arm's nearest
    pixel: where the arm's shaded side fades into a dark top over more than the band, that
    pixel is the shade itself, and the shade stayed, in dark blobs on the garment. Only
    against clearly darker surroundings (MIN_CONTRAST): against lighter or similar ones the
    arm's own highlights and shading would read as blur, and the edge is left as it is."""
    b = max(1, round(band))
    near_around = cv2.dilate(around.astype(np.uint8), disk(b)) > 0
    edge = (cv2.dilate(arm.astype(np.uint8), disk(1)) > 0) & near_around  # and anti-aliasing
    matte = np.ones(arm.shape, np.float32)
    if not edge.any() or not around.any():
        return matte
    ys, xs = np.nonzero(edge)  # the work is done on the band and the pixels near it
    y0, y1 = max(ys.min() - 2 * b, 0), min(ys.max() + 2 * b + 1, arm.shape[0])
    x0, x1 = max(xs.min() - 2 * b, 0), min(xs.max() + 2 * b + 1, arm.shape[1])
    around, edge = around[y0:y1, x0:x1], edge[y0:y1, x0:x1]
    if not around.any():
        return matte
    rgb = frame[box[1] + y0 : box[1] + y1, box[0] + x0 : box[0] + x1].astype(np.float32)
    smooth = cv2.blur(rgb, (3, 3))  # the surroundings' colours, a little denoised
    arm_colour = np.asarray(arm_colour, np.float32)[None]
    around_colour = _nearest_colour(smooth, around, edge)
    step = arm_colour - around_colour
    contrast = np.einsum("nc,nc->n", step, step)
    share = np.einsum("nc,nc->n", rgb[edge] - around_colour, step) / np.maximum(contrast, 1e-6)
    # Only against darker surroundings: there a darker pixel is the blur or the arm's shaded
    # edge, both drawn as a dark line. Against lighter or similar ones the arm's highlights
    # and shading read as blur (a pale hand on a white top came out streaked, FitDiT 2).
    darker = around_colour.sum(axis=1) < arm_colour.sum(axis=1)
    share = np.where((contrast >= MIN_CONTRAST**2) & darker, np.clip(share, 0, 1), 1)
    # The nearest pixels change from one pixel to the next: medians (over the arm's shares,
    # 1 inside it and 0 off it) even out the streaks. Two 3x3 ones: OpenCV's 5x5 median
    # takes ten times as long on a region under ~80 px wide.
    local = arm[y0:y1, x0:x1].astype(np.float32)
    local[edge] = share
    local = cv2.medianBlur(cv2.medianBlur((local * 255).astype(np.uint8), 3), 3)
    local = local.astype(np.float32) * (1 / 255)
    matte[y0:y1, x0:x1] = np.where(edge, local, 1)
    return matte


def _nearest_colour(rgb: np.ndarray, mask: np.ndarray, at: np.ndarray) -> np.ndarray:
    """(N, 3): for each of the N pixels ``at`` (a bool mask), the colour of the nearest pixel
    of ``mask``."""
    _, labels = cv2.distanceTransformWithLabels(
        (~mask).astype(np.uint8), cv2.DIST_L2, 3, labelType=cv2.DIST_LABEL_PIXEL
    )  # the mask's pixels are labelled 1, 2, ... in row-major order, as np.nonzero has them
    return rgb.reshape(-1, 3)[np.flatnonzero(mask)[labels[at] - 1]]


def _off_capsule(mask: np.ndarray, box, capsule: Capsule, frame_shape) -> None:
    """Clears the pixels of ``mask`` (h, w) bool over ``box`` that lie within ``capsule``,
    measured only where the capsule's own box meets ``box``: every pixel past it is more than
    a pixel farther from the axis than its radius."""
    near = clip_box(capsule_box(capsule), frame_shape)
    common = overlap(near, box) if near is not None else None
    if common is not None:
        window(mask, box, common)[...] &= _distance(capsule, common) > capsule.radius


def _distance(capsule: Capsule, box) -> np.ndarray:
    """(h, w) float32: each pixel of ``box``'s distance from the capsule's axis."""
    return box_distance(box, capsule.start.astype(np.float32), capsule.end.astype(np.float32))
