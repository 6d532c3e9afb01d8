"""The occlusion stage: what of the wearer the frame shows in front of their garment.

``in_front`` samples the colours of the wearer's own top and skin once, and finds with them
- forearms and hands with their own outline, what the hands hold, and upper arms brought in
  front of the torso (arm_outlines.py);
- the neck, in front of the inside of the garment's back and its yoke, and long hair falling
  over the garment (neck_hair.py).

The colour models are in colours.py, the masks they make (:class:`~fitting.patches.Patch`)
in patches.py; composite.py draws the garment behind them.
"""

from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from .arm_outlines import HOLD, REACH, ToldForearm, forearm_outlines, upper_arm_outlines
from .body import Body, Capsule
from .colours import MIN_SAMPLES, Samples, colour_bins, spread_histogram
from .geometry import bounds, clip_box
from .neck_hair import hair_locks, hair_outline, hair_over_top, neck_outline
from .patches import Patch, capsule_box, capsule_mask

# The wearer's own top is sampled on their chest (this quadrilateral of torso coordinates),
# their skin on their face (within this many face radii of its axis)...
CHEST = np.array([[-0.5, 0.4], [0.5, 0.4], [0.5, 1.4], [-0.5, 1.4]])
FACE_CORE = 0.6
# ...a face whose capsule's radius is taken as at least this (x half shoulder width). A face
# placed by the nose or an ear alone (the rest above the frame's top edge) has the smallest
# capsule (body.MIN_HEAD_RADIUS), and its core held the cup at the mouth, the hand or hair
# more than skin. Where all five face keypoints are seen, the radius is 0.53-0.82 half
# shoulder widths (p10-p90) on the person photos, 0.68-0.76 on COCO's, 0.62-0.81 on the
# webcam video.
SAMPLED_FACE = 0.5


@dataclass(frozen=True)
class InFront:
    """What of the wearer the frame shows in front of their garment, each a soft mask over a
    region (:class:`Patch`); the dicts are keyed by side, "left" / "right"."""

    # forearms with their own outlines (a forearm not here keeps its capsule)
    forearms: dict[str, Patch] = field(default_factory=dict)
    # the forearms told from what they lie on, with their outlines (the tracker holds them)
    forearms_told: dict[str, ToldForearm] = field(default_factory=dict)
    # upper arms brought in front of the torso (arm_outlines.upper_arm_outlines)
    upper_arms: dict[str, Patch] = field(default_factory=dict)
    # what the hands hold: in front of every part of the garment, a long sleeve's too
    held: dict[str, Patch] = field(default_factory=dict)
    # the neck, in front of the inside of the garment's back (None: the inside is not drawn)
    neck: Patch | None = None
    hair: Patch | None = None  # hair falling over the garment
    # where hair of their top's colours may lie over that top, and the yoke is not drawn:
    # where it may hang (neck_hair.hair_over_top) when their hair looks like their top, and
    # locks standing over the shoulders (neck_hair.hair_locks). None: nowhere
    hair_over_top: Patch | None = None
    # where the frame surely shows their own top round the neck: in its colours, not their
    # skin's, nor their hair's where hair may hang (None: no neck found)
    bare_top: Patch | None = None


def in_front(frame: np.ndarray, body: Body, behind=()) -> InFront:
    """:class:`InFront` of ``body`` in ``frame`` (RGB); ``behind``: the frame boxes of the
    garment's layers drawn behind the wearer (the inside of its back, its yoke), if any."""
    samples = top_and_skin(frame, body)  # the colours of their top and skin, for all three
    forearms = forearm_outlines(frame, body, samples)
    arms = dict(forearms=forearms.arms, forearms_told=forearms.told, held=forearms.held,
                upper_arms=upper_arm_outlines(frame, body))  # fmt: skip
    if samples is None:
        return InFront(**arms)
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
        may_hang = hair_over_top(neck, body)
        locks = hair_locks(neck, body)  # hair by its shape, whatever its colours
        hair_there = may_hang
        if hair.colours is not None:  # told from the top: only the colours the hair shows
            hair_there = may_hang * hair.colours[colour_bins(frame, neck.box)]
        bare_top = Patch(neck.box, (1 - neck.alpha) * (1 - np.maximum(hair_there, locks)))
        kept_off = np.maximum(may_hang, locks) if hair.like_top else locks
        over_top = Patch(neck.box, kept_off) if kept_off.any() else None
    return InFront(**arms, neck=neck, hair=hair.patch, hair_over_top=over_top, bare_top=bare_top)


def top_and_skin(frame: np.ndarray, body: Body) -> Samples | None:
    """:class:`Samples` of the wearer's own top (their chest, arms aside) and of their
    skin (the middle of their face, its radius taken as at least SAMPLED_FACE), both within
    their silhouette where it is trusted, or None where either is too small."""
    head, torso = body.head, body.torso
    if head is None:
        return None
    chest = torso.to_image(CHEST)
    chest_box = clip_box(bounds(chest), frame.shape)
    face = replace(head, radius=max(head.radius, SAMPLED_FACE * body.scale))
    face_box = clip_box(capsule_box(face), frame.shape)
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
    skin = capsule_mask([replace(face, radius=FACE_CORE * face.radius)], face_box) >= 0.5
    if body.trusted_outline is not None:  # a face at the frame's edge, placed by one ear
        in_chest &= body.outline.crop(body.outline.own, chest_box)
        skin &= body.outline.crop(body.outline.own, face_box)
    top_index = colour_bins(frame, chest_box)[in_chest]
    skin_index = colour_bins(frame, face_box)[skin]
    if len(top_index) < MIN_SAMPLES or len(skin_index) < MIN_SAMPLES:
        return None
    (top, top_seen), (skin, _) = spread_histogram(top_index), spread_histogram(skin_index)
    return Samples(top, skin, top_seen, top_index, skin_index)
