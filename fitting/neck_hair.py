"""The wearer's neck and hair in front of the garment, told from their own top by its colours.

Through the garment's neckline the product photo shows the inside of its back, which on a
person is behind their neck: it is drawn where the frame shows the wearer's own top there, not
where it shows their neck (``neck_outline``); so is the garment's yoke, above its shoulders'
edge. Long hair falls over the garment where the silhouette shows it (``hair_outline``); hair
of the top's own colours, which the colours cannot tell, is found by where it may hang
(``hair_over_top``) and by its shape (``hair_locks``).
"""

from typing import NamedTuple

import cv2
import numpy as np

from clothes.shapes import disk

from .body import Body
from .colours import (
    ARM_TOLD,
    MIN_SAMPLES,
    RING_TOLD,
    STRAY,
    Samples,
    colour_bins,
    seen_bins,
    spread_histogram,
)
from .geometry import along, bounds, clip_box
from .patches import DESPECKLE, Patch, clean, connected_to, person_mask, soft_patch

# Hair is sampled on the silhouette in a ring round the face centre, level with it and above
# (x the face's radius), and found in front down to HAIR_REACH (v), out to +-HAIR_WIDTH (u).
HAIR_RING = (1.2, 1.8)
HAIR_REACH, HAIR_WIDTH = 2.5, 1.4
HAIR_STEP = 2  # hair is found on blocks of this many pixels square (averaged)
NECK_SMOOTH = 0.06  # x half shoulder width: the neck's edge is opened and closed this much
NECK_BLEND = 0.04  # x half shoulder width: the band where neck and top blend into each other
# Above the shoulder line, what looks like the top but stands this tall and no wider (half
# shoulder widths) is hair: a lock, a ponytail (the top there is a band: collar, shoulders)
LOCK_HEIGHT, LOCK_WIDTH = 0.5, 0.4


class Hair(NamedTuple):
    """Hair falling over the garment (None: none found), whether the wearer's hair is of
    their top's colours (then hair on their shoulders would pass for the top), and the colour
    bins (BINS ** 3,) bool the hair shows, where it was sampled and told from top and skin."""

    patch: Patch | None = None
    like_top: bool = False
    colours: np.ndarray | None = None


def neck_outline(frame: np.ndarray, body: Body, box, samples: Samples | None):
    """What of the wearer the frame (RGB) shows in front of the inside of their garment's
    back and its yoke over ``box`` (their region), as a :class:`Patch`: everything there that is
    not their own top (their neck, the skin of a low neckline, hair, a necklace; with a trusted
    outline, all that lies off it). ``samples``: their top's colours, sampled on their chest,
    and their skin's, on their face (``occluders.top_and_skin``); None where there were too few
    or they cannot be told apart (a top of the wearer's skin colour): then the inside is not
    drawn at all.
    """
    if samples is None:
        return None
    top, skin = samples.top, samples.skin  # spread over their bins' neighbours

    def is_top(index):
        return samples.top_seen[index] & (top[index] > skin[index])

    told = is_top(samples.top_index).mean(), (~is_top(samples.skin_index)).mean()
    if told[0] < ARM_TOLD or told[1] < RING_TOLD:
        return None
    front = (~is_top(colour_bins(frame, box))).astype(np.uint8) * 255
    # Their top is on them: off their trusted outline a wall of its colours (white on white)
    # is not it. Taken for it, the wall joined tips of hair above the shoulders to the top
    # below, and the yoke rose over the hair in flaps (VITON-HD 05997, FitDiT 2, 3, 5, 7).
    on_person = person_mask(body, box)
    if on_person is not None:
        front[~on_person] = 255
    front = clean(front, DESPECKLE, NECK_SMOOTH * body.scale)
    front[_apart_above_shoulders(255 - front, box, body)] = 255
    # Where the neck meets the top, the camera blends the two over a few pixels, a colour
    # neither is: left in front, it drew a dark ring inside a neckline wider than the
    # wearer's own. The inside of the back reaches over that band.
    front = cv2.erode(front, disk(max(1, round(NECK_BLEND * body.scale))))
    return soft_patch(box, front)


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


def hair_over_top(neck: Patch, body: Body) -> np.ndarray:
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
    return connected_to(top, beside_head).astype(np.float32)


def hair_locks(neck: Patch, body: Body) -> np.ndarray:
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
    return clean(locks, 1, NECK_SMOOTH * body.scale).astype(np.float32) * (1 / 255)


def hair_outline(frame: np.ndarray, body: Body, samples: Samples | None) -> Hair:
    """Hair falling over the garment (long hair over the shoulders or the collar), as a
    :class:`Hair`: its patch is None where there is none or it cannot be told from the
    wearer's top (which ``like_top`` then says, when most of it looks like the top).

    Needs the person's trusted silhouette, which shows their hair: it is sampled on the
    silhouette in a ring round the face (HAIR_RING), set against the top (sampled on the
    chest) and the skin (the face): ``samples`` (``occluders.top_and_skin``; None: no hair is
    found). Over the top of the torso (down to HAIR_REACH) each pixel of the silhouette goes
    to the likeliest of the three, each histogram spread over its bins' neighbours as the
    top's and the skin's are (a lock in the light, or in shade, is a bin off the hair round
    the face: :class:`~fitting.colours.Samples`); a colour only a STRAY few of the ring's
    samples show is not the hair's (the wall, seen through the outline's loose edge round the
    hair, is the grey of a white top's shade). The hair's pixels that hang together with the
    ring's hair are the hair in front. Hair needs no fine detail: this runs on
    HAIR_STEP-pixel blocks (the region cut to whole blocks, which OpenCV averages 20 times
    faster than a box of any size).
    """
    head, outline = body.head, body.trusted_outline
    if head is None or outline is None or samples is None:
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
    colours = colour_bins(small, (0, 0, *size))
    hair, _ = spread_histogram(colours[ring])
    seen = seen_bins(colours[ring], least=STRAY)

    def is_hair(index):
        return seen[index] & (hair[index] > top[index]) & (hair[index] > skin[index])

    ring_colours = colours[ring]
    if is_hair(ring_colours).mean() < ARM_TOLD:
        return Hair(like_top=bool((top[ring_colours] > skin[ring_colours]).mean() > 0.5))
    found = cv2.medianBlur((is_hair(colours) & person).astype(np.uint8) * 255, 3)
    found = connected_to(found, ring).astype(np.uint8) * 255
    found = clean(found, 1, NECK_SMOOTH * body.scale / HAIR_STEP)  # despeckled above
    alpha = cv2.resize(found, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
    return Hair(Patch(box, alpha.astype(np.float32) * (1 / 255)), colours=seen)
