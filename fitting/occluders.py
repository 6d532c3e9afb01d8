"""What of the wearer the frame shows in front of their garment: forearms and hands with
their own outline, the neck, hair.

A forearm's keypoints give its axis, not its edge, and the person's silhouette has no edge
where an arm lies across the body. The frame's colours have one: around the axis (the
forearm's :class:`~fitting.body.Capsule`), a colour histogram of the arm (its core, close
to the axis) is set against one of what it lies on (a ring around it: the person's own top,
within the person's silhouette, where the garment would be drawn), and each pixel near the
arm goes to the likelier of the two. A colour the ring does not show (a cup in the hand) is
the arm's; the core is always kept.

Where the colours do not tell the two apart (a long sleeve the colour of the shirt behind
it, a busy print) the capsule stays as it is. Where they do, the arm's edge, blurred over a
few pixels into a darker top, is matted (each pixel as much arm as its colour shows), not cut
out whole. Either way, a hand in front of the top keeps what it holds (a cup, a phone) in
front with it, of a long sleeve drawn over the forearm too.

    outlines, held = forearm_outlines(frame, body, samples)  # side -> Patch, each

An upper arm brought forward, its elbow in front of the chest (drinking), lies in front of
the torso too: below a short sleeve its bare part is found the same way
(``upper_arm_outlines``).

The same colours show two more things in front of the garment. Through the garment's
neckline the product photo shows the inside of its back, which on a person is behind their
neck: it is drawn where the frame shows the wearer's own top there, not where it shows their
neck (``neck_outline``); so is the garment's yoke, above its shoulders' edge. And long hair
falls over the garment where the silhouette shows it (``hair_outline``). ``in_front`` finds
all three.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import cv2
import numpy as np

from clothes.shapes import disk

from .body import Body, Capsule, Core
from .geometry import along, bounds, clip_box, even_sides, segment_distance
from .silhouette import Outline

CORE = 0.45  # x the capsule's radius: surely the arm (its colours are sampled; always kept)
RING = (1.6, 2.4)  # x radius: what the arm lies on, sampled for its colours
REACH = 1.25  # x radius: the arm's outline may reach this far from the axis, no farther
HOLD = 3.0  # x radius: what a hand holds may reach this far from the hand's end
# A colour fewer than this share of the samples along the forearm show is a stray there (the
# wall seen through a loose outline, a highlight), not what the arm lies on: a white cup was
# dropped wherever one pixel of the wall beside the arm was white.
STRAY = 0.01
BINS = 16  # histogram bins per colour channel
PRIOR = 0.5  # added to every bin's count, so that an unseen colour is nobody's
# The colours tell the arm apart when the ring's samples are told as the surroundings this
# often, and the core's as the arm (the core may stray off a thin arm onto the shirt).
RING_TOLD, ARM_TOLD = 0.85, 0.6
CLEARLY_AROUND = 0.25  # inside the capsule, a pixel this unlike the arm is its surroundings
EDGE = 0.3  # x radius: the surroundings are sampled this far inside the person's outline
DESPECKLE = 5  # px: the median filter that cleans the arm's mask
EDGE_BAND = 0.6  # x radius: the arm's edge may blend into its surroundings this far in
MIN_CONTRAST = 100  # RGB distance between arm and surroundings below which no matte is read
SMOOTH = 0.3  # x radius: the arm's edge is opened and closed with a disk this big
TUBE_WINDOW = 1.0  # x radius: along the bone, the arm's sides are evened out over twice this
MIN_SAMPLES = 30  # pixels of each side needed to judge
# The wearer's own top is sampled on their chest (this quadrilateral of torso coordinates),
# their skin on their face (within this many face radii of its axis).
CHEST = np.array([[-0.5, 0.4], [0.5, 0.4], [0.5, 1.4], [-0.5, 1.4]])
FACE_CORE = 0.6
# Hair is sampled on the silhouette in a ring round the face centre, level with it and above
# (x the face's radius), and found in front down to HAIR_REACH (v), out to +-HAIR_WIDTH (u).
HAIR_RING = (1.2, 1.8)
HAIR_REACH, HAIR_WIDTH = 2.5, 1.4
HAIR_STEP = 2  # hair is found on blocks of this many pixels square (averaged)
NECK_SMOOTH = 0.06  # x half shoulder width: the neck's edge is opened and closed this much
NECK_BLEND = 0.04  # x half shoulder width: the band where neck and top blend into each other
# An elbow this far in from the shoulder seams (|u| in torso coordinates), between the shoulder
# and hip lines, has come forward: its upper arm is in front of the torso.
ELBOW_IN_FRONT = 0.6
BARE_UPPER_ARM = 0.5  # ...and from this far down it to the elbow, out of a short sleeve
# Above the shoulder line, what looks like the top but stands this tall and no wider (half
# shoulder widths) is hair: a lock, a ponytail (the top there is a band: collar, shoulders)
LOCK_HEIGHT, LOCK_WIDTH = 0.5, 0.4


@dataclass(frozen=True)
class Patch:
    """A soft mask over a frame region: ``alpha`` (h, w) float32 in [0, 1] over ``box``
    (x0, y0, x1, y1)."""

    box: tuple[int, int, int, int]
    alpha: np.ndarray


class ArmOutline(NamedTuple):
    """A forearm as the frame shows it: the arm and hand (their own outline, or the capsule
    where their colours cannot be told from what they lie on) with what the hand holds
    (``arm``), and what the hand holds alone (``held``; None: nothing)."""

    arm: Patch
    held: Patch | None = None


class Samples(NamedTuple):
    """Colours of the wearer's own top and of their skin: histograms and the samples' bins."""

    top: np.ndarray  # (BINS ** 3,) probabilities
    skin: np.ndarray
    top_index: np.ndarray  # (N,) the samples' flat bin indices
    skin_index: np.ndarray


class Hair(NamedTuple):
    """Hair falling over the garment (None: none found), whether the wearer's hair is of
    their top's colours (then hair on their shoulders would pass for the top), and the colour
    bins (BINS ** 3,) bool the hair shows, where it was sampled and told from top and skin."""

    patch: Patch | None = None
    like_top: bool = False
    colours: np.ndarray | None = None


@dataclass(frozen=True)
class InFront:
    """What of the wearer the frame shows in front of their garment: their forearms with
    their own outlines (side -> Patch; a forearm not here keeps its capsule), their upper
    arms brought in front of the torso (side -> Patch; see ``upper_arm_outlines``), what
    their hands hold (side -> Patch: in front of every part of the garment, a long sleeve
    drawn over the forearm too), their neck in front of the inside of the garment's back
    (None: the inside is not drawn), hair, where hair of their top's colours may lie over that
    top (the yoke is not drawn there: where it may hang, see ``_hair_over_top``, when their
    hair looks like their top, and locks standing over the shoulders, see ``_locks``; None:
    nowhere), and where the frame surely shows their own top round the neck: in its colours,
    not their skin's, nor their hair's where hair may hang (None: no neck found)."""

    forearms: dict[str, Patch] = field(default_factory=dict)
    upper_arms: dict[str, Patch] = field(default_factory=dict)
    held: dict[str, Patch] = field(default_factory=dict)
    neck: Patch | None = None
    hair: Patch | None = None
    hair_over_top: Patch | None = None
    bare_top: Patch | None = None


def in_front(frame: np.ndarray, body: Body, behind=()) -> InFront:
    """:class:`InFront` of ``body`` in ``frame`` (RGB); ``behind``: the frame boxes of the
    garment's layers drawn behind the wearer (the inside of its back, its yoke), if any."""
    samples = _top_and_skin(frame, body)  # the colours of their top and skin, for all three
    forearms, held = forearm_outlines(frame, body, samples)
    upper_arms = upper_arm_outlines(frame, body)
    if samples is None:
        return InFront(forearms, upper_arms, held)
    # Round the neck: the layers drawn behind the wearer, and the face's capsule's end, under
    # the chin (composite.own_face)
    corners = [np.reshape(behind, (-1, 2)), capsule_box(body.head).reshape(2, 2)]
    box = clip_box(bounds(np.vstack(corners)), frame.shape)
    neck = neck_outline(frame, body, box, samples) if box is not None else None
    hair = hair_outline(frame, body, samples)
    bare_top = over_top = None
    if neck is not None:
        # The top round the neck, but where hair of its colours may lie over it (hair not
        # sampled may be of any colour), or stands over the shoulders in a lock of them
        may_hang = _hair_over_top(neck, body)
        locks = _locks(neck, body)  # hair by its shape, whatever its colours
        hair_there = may_hang
        if hair.colours is not None:  # told from the top: only the colours the hair shows
            hair_there = may_hang * hair.colours[_colours(frame, neck.box)]
        bare_top = Patch(neck.box, (1 - neck.alpha) * (1 - np.maximum(hair_there, locks)))
        kept_off = np.maximum(may_hang, locks) if hair.like_top else locks
        over_top = Patch(neck.box, kept_off) if kept_off.any() else None
    return InFront(forearms, upper_arms, held, neck, hair.patch, over_top, bare_top)


def forearm_outlines(
    frame: np.ndarray, body: Body, samples: Samples | None = None
) -> tuple[dict[str, Patch], dict[str, Patch]]:
    """Each of the body's forearms whose outline ``frame`` (RGB) shows, and what each hand
    holds: two dicts side -> Patch.

    With the body's trusted outline every forearm is here, cut to the person: beside a
    hanging hand, what the silhouette calls background is not the arm, and a loose garment's
    drape may cover it. A forearm whose colours are not told apart is its capsule, so cut.
    With ``samples`` of the wearer's top, a hand in front of it (HOLD radii above the hip
    line) keeps what it holds in front too; lower, beside the hips, other colours near it
    are the trousers or the skirt.
    """
    outline = body.trusted_outline
    top = _seen(samples.top_index) if samples is not None else None
    found, held = {}, {}
    for side, capsule in body.forearms.items():
        # Not what the forearm lies on: the other forearm, the face, and its own upper arm
        # where the elbow is bent past a right angle (the upper arm then lies beside it). In
        # the webcam video, drinking, their skin kept the arm a capsule in 32 of 103 frames.
        others = [c for s, c in body.forearms.items() if s != side]
        others += [body.head] if body.head is not None else []
        shoulder, elbow, wrist = body.arms[side]
        if np.dot(shoulder - elbow, wrist - elbow) > 0:
            others.append(Capsule(shoulder, elbow, body.upper_arm(side)))
        holds = top if top is not None and _above_hips(body, capsule) else None
        told = forearm_outline(frame, capsule, outline, others, holds, wrist)
        patch = told.arm if told is not None else None
        if outline is not None:
            patch = _on_person(body, patch or _capsule_patch(capsule, frame.shape))
        if patch is not None:
            found[side] = patch
        if told is not None and told.held is not None:
            held[side] = _on_person(body, told.held) if outline is not None else told.held
    return found, held


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


def person_mask(body: Body, box) -> np.ndarray | None:
    """(h, w) bool over ``box``: the wearer, as their trusted outline shows them, and
    wherever their keypoints see their body (``body.core``). None without a trusted outline."""
    outline = body.trusted_outline
    if outline is None:
        return None
    mask = outline.crop(outline.own, box).astype(bool)
    return mask | (core_mask(body.core, box) > 0) if body.core is not None else mask


def core_mask(core: Core, box) -> np.ndarray:
    """(h, w) uint8 0/255 over ``box`` (x0, y0, x1, y1): the body's :class:`Core`."""
    mask = np.zeros((box[3] - box[1], box[2] - box[0]), np.uint8)
    if core.bones:  # mostly none: the outline shows the arms
        mask[capsule_mask(core.bones, box) >= 0.5] = 255
    if core.torso is not None:
        cv2.fillConvexPoly(mask, np.round(core.torso - np.array(box[:2])).astype(np.int32), 255)
    return mask


def forearm_outline(
    frame: np.ndarray,
    capsule: Capsule,
    outline: Outline | None = None,
    others: list[Capsule] = (),
    holds: np.ndarray | None = None,
    tube_end: np.ndarray | None = None,
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
    Where the arm's colours cannot be told from its surroundings' (a forearm across the neck,
    a sleeve the colour of the top) its capsule stays, with what the hand holds, or None where
    it holds nothing."""
    r = capsule.radius
    box = clip_box(capsule_box(capsule, RING[1] if holds is None else HOLD), frame.shape)
    if box is None:
        return None
    pixels = _pixels(box)
    distance = _distance(capsule, pixels) / max(r, 1e-6)
    core, ring = distance <= CORE, (distance >= RING[0]) & (distance <= RING[1])
    beyond = np.zeros(core.shape, bool)  # off the person beside the arm: the wall behind them
    if outline is not None:  # well inside the person: their outline's edge is not exact
        person = outline.crop(outline.own, box).astype(np.uint8)
        edge = disk(max(1, round(EDGE * r)))
        ring &= cv2.erode(person, edge) > 0
        beyond = (distance >= 1.0) & (distance <= RING[1]) & (cv2.dilate(person, edge) == 0)
    for other in others:  # measured on the ring only: a few times faster than on the box
        ring[ring] = _distance(other, pixels[ring]) > other.radius
    if core.sum() < MIN_SAMPLES or ring.sum() < MIN_SAMPLES:
        return None
    index = _colours(frame, box)
    arm = _histogram(index[core])
    likelihood = _arm_odds(arm, index[ring])[index]
    kept = held = None
    if holds is not None:  # colours neither the top nor the forearm's surroundings show
        near_hand = _distance(Capsule(capsule.end, capsule.end, r), pixels) <= HOLD * r
        along_arm = ring & ~near_hand
        if along_arm.sum() >= MIN_SAMPLES:
            seen = holds | _seen(index[along_arm], least=STRAY)
            kept = near_hand & ~seen[index]
            held = kept & ~_seen(index[core & ~near_hand])[index]
    if (likelihood[core] > 0.5).mean() < ARM_TOLD or (likelihood[ring] < 0.5).mean() < RING_TOLD:
        return _capsule_holding(capsule, box, distance, held) if held is not None else None
    # Within the capsule the arm stays unless the pixel clearly looks like its surroundings;
    # past it, up to REACH, the arm goes on where it looks more like the arm.
    in_capsule = distance <= 1.0
    inside = np.where(in_capsule, likelihood > CLEARLY_AROUND, likelihood > 0.5)
    # Nor is the wall behind the person the arm (by the same rules, against the wall's colours
    # off the person), where it hangs together with the wall there: the person's outline runs
    # a few pixels past the arm's edge, and the wall inside it, taken for the arm (a colour
    # the ring does not show), drew a pale line round a hanging arm on a dress.
    if beyond.sum() >= MIN_SAMPLES:
        odds = _arm_odds(arm, index[beyond])  # the arm's, against the wall's
        wall = np.where(in_capsule, (odds <= CLEARLY_AROUND)[index], (odds < 0.5)[index])
        inside &= ~_with((wall & ~core) | beyond, beyond)
    inside = (inside & (distance <= REACH)) | core
    if kept is not None:
        inside |= kept
    inside = _clean(inside.astype(np.uint8) * 255, DESPECKLE, SMOOTH * r)
    if tube_end is not None:
        window = 2 * round(TUBE_WINDOW * r) + 1
        inside = even_sides(inside > 0, box, capsule.start, tube_end, window).astype(np.uint8) * 255
    inside |= core.astype(np.uint8) * 255
    if holds is not None:  # what the hand holds hangs together with it
        inside = np.where((distance <= REACH) | _with(inside, core), inside, 0).astype(np.uint8)
    patch = _soft_patch(box, inside)
    around = (inside == 0) & (likelihood < 0.5)
    colour = np.median(frame[box[1] : box[3], box[0] : box[2]][core & (likelihood > 0.5)], axis=0)
    matte = _edge_matte(frame, box, inside > 0, around, EDGE_BAND * r, colour)
    arm = Patch(box, patch.alpha * matte)
    if held is not None:
        held = _clean((held & (inside > 0)).astype(np.uint8) * 255, DESPECKLE, SMOOTH * r)
        held = Patch(box, arm.alpha * _soft_patch(box, held).alpha) if held.any() else None
    return ArmOutline(arm, held)


def _arm_odds(arm: np.ndarray, around: np.ndarray) -> np.ndarray:
    """(BINS ** 3,): for each colour bin, how likely a pixel of that colour is the arm (its
    colour histogram ``arm``) rather than what the ``around`` samples (flat bin indices)
    show; 1 for a colour they do not show."""
    return np.where(_counts(around) > 0, arm / (arm + _histogram(around)), 1.0)


def _capsule_holding(capsule: Capsule, box, distance, held) -> ArmOutline | None:
    """The forearm's capsule over ``box``, with what its hand holds (``held``: a (h, w) bool
    of the colours it may be, hanging together with the capsule), or None where it holds
    nothing."""
    in_capsule = distance <= 1.0
    held = _clean(held.astype(np.uint8) * 255, DESPECKLE, SMOOTH * capsule.radius) > 0
    held &= _with(held | in_capsule, in_capsule)
    if held.sum() < MIN_SAMPLES:
        return None
    held = _soft_patch(box, held.astype(np.uint8) * 255)
    return ArmOutline(Patch(box, np.maximum(capsule_mask([capsule], box), held.alpha)), held)


def _with(mask: np.ndarray, seed: np.ndarray) -> np.ndarray:
    """(h, w) bool: the pixels of ``mask`` that hang together with the ``seed`` pixels."""
    count, labels = cv2.connectedComponents(mask.astype(np.uint8))
    hangs = np.zeros(count, bool)
    hangs[labels[seed & (mask > 0)]] = True  # never 0, which is off the mask
    return hangs[labels]


def neck_outline(frame: np.ndarray, body: Body, box, samples: Samples | None = None):
    """What of the wearer the frame (RGB) shows in front of the inside of their garment's
    back and its yoke over ``box`` (their region), as a :class:`Patch`: everything there that is
    not their own top (their neck, the skin of a low neckline, hair, a necklace; with a trusted
    outline, all that lies off it). Their top's colours are sampled on their chest, their
    skin's on their face; None where those cannot be told apart (a top of the wearer's skin
    colour): then the inside is not drawn at all. ``samples``: those colours, from
    ``_top_and_skin``, if already taken.
    """
    samples = samples or _top_and_skin(frame, body)
    if samples is None:
        return None
    # Light and shade move a colour into the next bins: each histogram is spread over its
    # bins' neighbours, so that the shaded side of the top (its shoulders, under the chin)
    # is still the top, and the neck's shade still skin.
    top, skin = _spread(samples.top), _spread(samples.skin)
    seen_on_top = _seen(samples.top_index)

    def is_top(index):
        return seen_on_top[index] & (top[index] > skin[index])

    told = is_top(samples.top_index).mean(), (~is_top(samples.skin_index)).mean()
    if told[0] < ARM_TOLD or told[1] < RING_TOLD:
        return None
    front = (~is_top(_colours(frame, box))).astype(np.uint8) * 255
    # Their top is on them: off their trusted outline a wall of its colours (white on white)
    # is not it. Taken for it, the wall joined tips of hair above the shoulders to the top
    # below, and the yoke rose over the hair in flaps (VITON-HD 05997, FitDiT 2, 3, 5, 7).
    on_person = person_mask(body, box)
    if on_person is not None:
        front[~on_person] = 255
    front = _clean(front, DESPECKLE, NECK_SMOOTH * body.scale)
    front[_apart_above_shoulders(255 - front, box, body)] = 255
    # Where the neck meets the top, the camera blends the two over a few pixels, a colour
    # neither is: left in front, it drew a dark ring inside a neckline wider than the
    # wearer's own. The inside of the back reaches over that band.
    front = cv2.erode(front, disk(max(1, round(NECK_BLEND * body.scale))))
    return _soft_patch(box, front)


def _apart_above_shoulders(top: np.ndarray, box, body: Body) -> np.ndarray:
    """(h, w) bool over ``box``: the parts of ``top`` (uint8 0/255, what looks like the
    wearer's top) wholly above their shoulder line and apart from the rest, which goes on down
    to their chest (reaches the box's lowest row). Above the shoulders their top is only its
    collar or its shoulders, and those go on down: a part apart, in its colours, is something
    else (dark tips of hair over bare shoulders, a ponytail over a dark top)."""
    parts, lowest = _parts_lowest(top, along(box, body.torso.origin, body.torso.down))
    apart = lowest < 0
    apart[0] = False  # not the top at all
    apart[parts[-1]] = False  # goes on down
    return apart[parts]


def _parts_lowest(mask: np.ndarray, below: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The connected parts of ``mask`` (uint8; labels (h, w), 0 where it is empty), and how
    far each reaches below the shoulder line (the largest of ``below``, each pixel's distance
    below it, over the part's pixels)."""
    count, parts = cv2.connectedComponents(mask)
    lowest = np.full(count, -np.inf)
    np.maximum.at(lowest, parts.ravel(), np.broadcast_to(below, parts.shape).ravel())
    return parts, lowest


def _hair_over_top(neck: Patch, body: Body) -> np.ndarray:
    """(h, w) float32 over the ``neck``'s box: where hair of the wearer's top's colours may
    lie over that top: what looks like the top there (``neck`` is the rest), above the
    shoulder line, and hanging together there with what looks like it beside the head (at the
    face's level or higher, where it is hair: a ponytail, long hair over a shoulder). The
    top's own shoulders go with it where the hair touches them; not on a shoulder the hair
    keeps off."""
    box, head = neck.box, body.head
    above_shoulders = along(box, body.torso.origin, body.torso.down) < 0
    top = (neck.alpha < 0.5) & above_shoulders
    beside_head = top & (along(box, head.start, body.torso.down) <= 0)
    return _with(top, beside_head).astype(np.float32)


def _locks(neck: Patch, body: Body) -> np.ndarray:
    """(h, w) float32 over the ``neck``'s box: what looks like the wearer's top above their
    shoulder line but stands there taller than LOCK_HEIGHT, and but for the wide band the top
    makes on down from the shoulders (a collar, the shoulders' slope) no wider than
    LOCK_WIDTH (half shoulder widths): a lock of hair, a ponytail, in the top's colours or the
    frame's shade of them. Smoothed as the neck is, which takes off the corners where a lock
    meets the band."""
    below = along(neck.box, body.torso.origin, body.torso.down)
    top = (neck.alpha < 0.5).astype(np.uint8)
    wide = max(1, round(LOCK_WIDTH * body.scale))
    tall = max(1, round(LOCK_HEIGHT * body.scale))
    standing = cv2.morphologyEx(top * (below < 0), cv2.MORPH_OPEN, np.ones((tall, 1), np.uint8))
    parts, lowest = _parts_lowest(
        cv2.morphologyEx(top, cv2.MORPH_OPEN, np.ones((1, wide), np.uint8)), below
    )
    band = lowest >= 0  # goes on down past the shoulder line
    band[0] = False  # not wide, or not the top
    locks = ((standing > 0) & ~band[parts]).astype(np.uint8) * 255
    return _clean(locks, 1, NECK_SMOOTH * body.scale).astype(np.float32) * (1 / 255)


def hair_outline(frame: np.ndarray, body: Body, samples: Samples | None = None) -> Hair:
    """Hair falling over the garment (long hair over the shoulders or the collar), as a
    :class:`Hair`: its patch is None where there is none or it cannot be told from the
    wearer's top (which ``like_top`` then says, when most of it looks like the top).

    Needs the person's trusted silhouette, which shows their hair: it is sampled on the
    silhouette in a ring round the face (HAIR_RING), set against the top (sampled on the
    chest) and the skin (the face): ``samples``, from ``_top_and_skin``. Over the top of the
    torso (down to HAIR_REACH) each pixel of the silhouette goes to the likeliest of the
    three, and the hair's pixels that hang together with the ring's hair are the hair in
    front. Hair needs no fine detail: this runs on HAIR_STEP-pixel blocks (the region cut to
    whole blocks, which OpenCV averages 20 times faster than a box of any size).
    """
    head, outline = body.head, body.trusted_outline
    if head is None or outline is None:
        return Hair()
    samples = samples or _top_and_skin(frame, body)
    if samples is None:
        return Hair()
    top, skin = samples.top, samples.skin
    around_head = head.start + HAIR_RING[1] * head.radius * np.array([[-1, -1], [1, 1]])
    low = body.torso.to_image(np.array([[-HAIR_WIDTH, HAIR_REACH], [HAIR_WIDTH, HAIR_REACH]]))
    box = clip_box(bounds(np.vstack([around_head, low])), frame.shape)
    if box is None:
        return Hair()
    x0, y0, x1, y1 = box
    size = ((x1 - x0) // HAIR_STEP, (y1 - y0) // HAIR_STEP)
    if min(size) < 1:
        return Hair()
    x1, y1 = x0 + size[0] * HAIR_STEP, y0 + size[1] * HAIR_STEP
    box = x0, y0, x1, y1
    small = cv2.resize(frame[y0:y1, x0:x1], size, interpolation=cv2.INTER_AREA)
    person = outline.crop(outline.own, box).astype(np.uint8)
    person = cv2.resize(person, size, interpolation=cv2.INTER_NEAREST) > 0
    # each block's offset from the face centre in frame pixels, as a row and a column
    ys, xs = (grid * HAIR_STEP for grid in np.ogrid[0 : size[1], 0 : size[0]])
    xs, ys = xs - (head.start[0] - x0), ys - (head.start[1] - y0)
    from_face = (xs * xs + ys * ys) / head.radius**2  # squared, in face radii
    down = (head.end - head.start) / max(float(np.linalg.norm(head.end - head.start)), 1e-6)
    above_face = xs * down[0] + ys * down[1] <= 0
    in_ring = (from_face >= HAIR_RING[0] ** 2) & (from_face <= HAIR_RING[1] ** 2)
    ring = person & above_face & in_ring
    if ring.sum() < MIN_SAMPLES:
        return Hair()
    colours = _colours(small, (0, 0, *size))
    hair = _histogram(colours[ring])
    seen = _counts(colours[ring]) > 0

    def is_hair(index):
        return seen[index] & (hair[index] > top[index]) & (hair[index] > skin[index])

    ring_colours = colours[ring]
    if is_hair(ring_colours).mean() < ARM_TOLD:
        return Hair(like_top=bool((top[ring_colours] > skin[ring_colours]).mean() > 0.5))
    found = cv2.medianBlur((is_hair(colours) & person).astype(np.uint8) * 255, 3)
    found = _with(found, ring).astype(np.uint8) * 255
    found = _clean(found, 1, NECK_SMOOTH * body.scale / HAIR_STEP)  # despeckled above
    alpha = cv2.resize(found, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
    return Hair(Patch(box, alpha.astype(np.float32) * (1 / 255)), colours=_seen(ring_colours))


def _top_and_skin(frame: np.ndarray, body: Body) -> Samples | None:
    """:class:`Samples` of the wearer's own top (their chest, arms aside) and of their
    skin (the face's middle), both within their silhouette where it is trusted, or None where
    either is too small."""
    head, torso = body.head, body.torso
    if head is None:
        return None
    chest = torso.to_image(CHEST)
    chest_box = clip_box(bounds(chest), frame.shape)
    reach = head.radius * np.array([-1, -1, 1, 1])
    face_box = clip_box(bounds(np.stack([head.start, head.end])) + reach, frame.shape)
    if chest_box is None or face_box is None:
        return None
    in_chest = np.zeros((chest_box[3] - chest_box[1], chest_box[2] - chest_box[0]), np.uint8)
    cv2.fillConvexPoly(in_chest, np.round(chest - chest_box[:2]).astype(np.int32), 1)
    # Not the arms (an elbow may come in front of the chest), out to the farthest their own
    # outline may reach, nor the hands and what they hold (a hand past the wrist before the
    # chest, taken for the top, made the skin of a brightly lit neck read as the top).
    upper_arms = [Capsule(arm[0], arm[1], body.upper_arm(side)) for side, arm in body.arms.items()]
    forearms = body.forearms.values()
    arms = [replace(c, radius=REACH * c.radius) for c in (*forearms, *upper_arms)]
    hands = [Capsule(c.end, c.end, HOLD * c.radius) for c in forearms]
    in_chest = in_chest.astype(bool) & (capsule_mask([*arms, *hands], chest_box) < 0.5)
    skin = capsule_mask([replace(head, radius=FACE_CORE * head.radius)], face_box) >= 0.5
    if body.trusted_outline is not None:  # a face at the frame's edge, placed by one ear
        in_chest &= body.outline.crop(body.outline.own, chest_box)
        skin &= body.outline.crop(body.outline.own, face_box)
    top_index, skin_index = _colours(frame, chest_box)[in_chest], _colours(frame, face_box)[skin]
    if len(top_index) < MIN_SAMPLES or len(skin_index) < MIN_SAMPLES:
        return None
    return Samples(_histogram(top_index), _histogram(skin_index), top_index, skin_index)


def capsule_box(capsule: Capsule, radii: float = 1.0) -> np.ndarray:
    """(4,) float x0, y0, x1, y1: the box around ``capsule`` grown to ``radii`` of its radius."""
    axis = bounds(np.stack([capsule.start, capsule.end]))
    return axis + radii * capsule.radius * np.array([-1, -1, 1, 1])


def capsule_mask(capsules: Iterable[Capsule], box, dtype=np.float32) -> np.ndarray:
    """Coverage in [0, 1] of the region ``box`` (x0, y0, x1, y1) by ``capsules``."""
    x0, y0, x1, y1 = box
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    shift = 2  # cv2 drawing with 2 fractional bits: quarter-pixel precise, anti-aliased
    offset = np.array([x0, y0])
    for c in capsules:
        a = np.round((c.start - offset) * (1 << shift)).astype(int)
        b = np.round((c.end - offset) * (1 << shift)).astype(int)
        thickness = max(1, round(2 * c.radius))
        cv2.line(mask, tuple(a), tuple(b), 255, thickness, cv2.LINE_AA, shift)
    return mask.astype(dtype) / 255


def _clean(mask: np.ndarray, despeckle: int, radius: float) -> np.ndarray:
    """A uint8 0/255 mask without single pixels of noise (a ``despeckle`` px median; 1: none)
    and with a smooth edge: opened (no wisps of a similar colour off it) and closed (no
    notches into it) with a disk of ``radius`` px."""
    if despeckle > 1:
        mask = cv2.medianBlur(mask, despeckle)
    kernel = disk(max(1, round(radius)))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)


def _colours(frame: np.ndarray, box) -> np.ndarray:
    """(h, w) flat colour-histogram bin of each pixel of ``frame`` over ``box``."""
    x0, y0, x1, y1 = box
    bins = frame[y0:y1, x0:x1].astype(np.intp) // (256 // BINS)
    return (bins[..., 0] * BINS + bins[..., 1]) * BINS + bins[..., 2]


def _counts(index: np.ndarray) -> np.ndarray:
    """How many of the flat bin indices fall in each colour bin: (BINS ** 3,)."""
    return np.bincount(index, minlength=BINS**3)


def _histogram(index: np.ndarray) -> np.ndarray:
    """A colour histogram (BINS ** 3,) of flat bin indices, as probabilities."""
    counts = _counts(index).astype(np.float32) + PRIOR
    return counts / counts.sum()


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


def _soft_patch(box, mask: np.ndarray) -> Patch:
    """A :class:`Patch` over ``box`` of a uint8 0/255 mask, its edge anti-aliased."""
    return Patch(box, cv2.GaussianBlur(mask, (3, 3), 0).astype(np.float32) * (1 / 255))


def _seen(index: np.ndarray, least: float = 0.0) -> np.ndarray:
    """(BINS ** 3,) bool: the colour bins at least ``least`` of the samples (flat bin indices)
    fall in (any, by default), and their neighbours (light and shade move a colour into the
    next bin)."""
    counts = _counts(index)
    return _spread(np.where(counts >= least * len(index), counts, 0)) > 0


def _spread(histogram: np.ndarray) -> np.ndarray:
    """A flat colour histogram (BINS ** 3,) with each bin's count shared with its neighbours
    (a [1, 2, 1] blur along each channel)."""
    cube = histogram.reshape(BINS, BINS, BINS).astype(np.float32)
    for axis in range(3):
        c = np.moveaxis(cube, axis, 0)
        out = 2 * c
        out[1:] += c[:-1]
        out[:-1] += c[1:]
        cube = np.moveaxis(out, 0, axis)
    return cube.ravel()


def _pixels(box) -> np.ndarray:
    """(h, w, 2) float32: the x, y of each pixel of ``box`` (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    xs, ys = np.meshgrid(np.arange(x0, x1, dtype=np.float32), np.arange(y0, y1, dtype=np.float32))
    return np.stack([xs, ys], axis=-1)


def _distance(capsule: Capsule, pixels: np.ndarray) -> np.ndarray:
    """(...): each of ``pixels``' (..., 2) distance from the capsule's axis."""
    a, b = capsule.start.astype(np.float32), capsule.end.astype(np.float32)
    return segment_distance(pixels, a, b)
