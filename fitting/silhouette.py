"""People's outlines: the segmentation model's mask, split between the people in a frame.

The model says which pixels are a person, not which person. :meth:`Silhouette.split` gives
each person their own outline and says who stands in front of whom:

- **Depth**: a nearer person looks bigger. People are ordered by their body scale (half the
  shoulder width, or for a body turned sideways, whose shoulders close up, the torso length
  over the typical ratio: see ``keypoints.body_scale``), the nearest last, as the tracker
  orders them.
- **Who is who**: each person's skeleton (their seen limbs, their torso, the neck and a disk
  around the face) is drawn, and every silhouette pixel is measured against each skeleton,
  in that person's body scales. Within CLAIM_RADIUS of a skeleton a pixel is that person's,
  the nearest person first: what a nearer person claims is theirs, whoever else is near it.
  The rest of the silhouette goes to whichever skeleton is nearest, up to REACH (a loose
  coat, long hair); beyond that it is nobody's. Where a nearer person's claim reaches over
  what is nearer someone else's skeleton (round the head above all, where the person behind
  shows past the hair), the frame's edges split what each has: the silhouette has none there
  (see ``Silhouette._shown_behind``).
- **Trust**: the model is made for people near the camera and can miss a small, far or
  unusual figure, or part of a figure in the dark. A person whose own outline covers less
  than MIN_TORSO_COVERED of their torso where nobody stands in front of it (the
  quadrilateral of their shoulders and hips, the hips where a typical torso puts them when
  out of view), and less of its upper half too, is fitted by their keypoints alone; the
  people in front of them still cover them. The upper half is enough: a desk before a seated
  user hides the lower half, and the model is right to leave it out (the garment is cut at
  its edge, as at a person in front; a box or a laptop held against the body, the model takes
  for the person, and the garment covers it). So is the whole: in dim light the
  model can miss the upper chest of a dark top and find the rest (FitDiT 0223 in
  ``tools.conditions``' very dim light: 0.95 of the torso, 0.81 of its upper half); where
  the keypoints see the body it stays body (``body.Core``).
- **Pieces**: a piece of a person's outline that hangs together with none of their seen
  bones (nor through someone in front, who may cut it in pieces) is the model's, not theirs:
  below a desk's edge the model takes part of the desk for the body going on.

All of it is numpy and OpenCV on the region the model saw, at inference time.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from .geometry import grown_within, overlap, union, unit, window
from .keypoints import LIMBS, SHOULDERS, body_scale, face_center, torso_corners

PERSON = 128  # probability (0..255) from which a pixel is a person
CLAIM_RADIUS = 0.7  # x body scale: how far from its skeleton a person claims the silhouette
REACH = 2.0  # x body scale: how far from its skeleton a person's silhouette may reach
HEAD_RADIUS = 0.5  # x body scale: the disk drawn around the face, part of the skeleton
# The top of the head, where a person in front keeps their hair against whoever shows behind
# it (Silhouette._shown_behind): a disk this far above the face's centre, this wide (x body
# scale), for a head held upright. On the shared photos whose frame shows the whole head, its
# top lies 0.73-1.18 above the face's centre (0.85 at the median) and it reaches 0.34-0.84 to
# either side at the face's height; the disk lies on the person's outline but for 2% of it at
# the median (15% on a head turned to the side, which it overhangs on the background's side).
SKULL_LIFT, SKULL_RADIUS = 0.3, 0.45
# Upright, the face's centre lies this far from the shoulders' middle (x body scale; 1.08-1.38
# on the VITON-HD photos, 1.23 at the median). Closer, the head is bent towards the camera (a
# skier's, 0.49): its top is foreshortened alike, over the face, and so is the disk.
UPRIGHT_NECK = 1.2
DISTANCE_STEP = 4  # the distances to the skeletons are measured on every 4th pixel...
DISTANCE_LEVELS = 64  # ...in 1/64 body scales, as uint8 (up to 4 body scales, past REACH)
MIN_TORSO_COVERED = 0.9  # a person's outline is trusted when it covers this much of the torso
# in view, or of its upper part, down TRUST_BANDS of the way from the shoulder line to the hip
# line (on the shared photos, COCO, the scenes, close-ups and webcam scales, a figure found
# whole covers 0.98-1.00 of the torso and 0.99-1.00 of its upper half, one found in part
# 0.31-0.87 and 0.09-0.81)
TRUST_BANDS = (0.5, 1.0)
TORSO_SHRINK = 0.8  # ...the quadrilateral of shoulders and hips, shrunk to this towards its middle
FRONT, BEHIND, BACKGROUND = 1, 2, 3  # the watershed's seeds (Silhouette._shown_behind)


def _squared_entropy() -> np.ndarray:
    """(256,) float32: the square of the binary entropy, in bits, of each probability level:
    how unsure the model is of a pixel at that level (1 at 0.5, 0 at 0 and 1)."""
    p = np.clip(np.arange(256) / 255.0, 1e-6, 1 - 1e-6)
    entropy = -(p * np.log2(p) + (1 - p) * np.log2(1 - p))
    return (entropy**2).astype(np.float32)


UNSURE = _squared_entropy()


@dataclass(frozen=True)
class Silhouette:
    """The person probability over a region of a frame: ``box`` (x0, y0, x1, y1) in frame
    pixels, ``probability`` (y1 - y0, x1 - x0) uint8 in 0..255."""

    box: tuple[int, int, int, int]
    probability: np.ndarray

    @property
    def mask(self) -> np.ndarray:
        """(h, w) bool over the box: person."""
        return self.probability >= PERSON

    def steadied(self, previous: "Silhouette | None", weight: float) -> "Silhouette":
        """This silhouette, the next in a video after ``previous`` (as steadied), with each
        pixel the model is unsure of drawn towards its previous value where the two boxes
        overlap, as MediaPipe smooths its segmentation masks over time: a pixel moves
        ``weight`` times its UNSURE of the way, so a sure pixel takes the model's answer at
        once, and the edge, where a camera's noise flips pixels from one frame to the next,
        holds still. (Where no region looked last time, inside a merged box, the previous
        value is 0: a newcomer's unsure edge leans to the background for an inference.)"""
        if previous is None or weight <= 0:
            return self
        common = overlap(self.box, previous.box)
        if common is None:
            return self
        probability = self.probability.copy()
        now = window(probability, self.box, common)
        before = window(previous.probability, previous.box, common)
        pull = cv2.LUT(now, weight * UNSURE)
        change = cv2.multiply(cv2.subtract(before, now, dtype=cv2.CV_32F), pull)
        now[...] = cv2.add(now, change, dtype=cv2.CV_8U)
        return Silhouette(self.box, probability)

    @staticmethod
    def merge(parts: list["Silhouette"]) -> "Silhouette":
        """One silhouette over the union of the ``parts``' regions: at each pixel the highest
        probability any of them gives (0 where none looked)."""
        if len(parts) == 1:
            return parts[0]
        box = union([part.box for part in parts])
        probability = np.zeros((box[3] - box[1], box[2] - box[0]), np.uint8)
        for part in parts:
            region = window(probability, box, part.box)
            np.maximum(region, part.probability, out=region)
        return Silhouette(box, probability)

    def split(
        self, people: np.ndarray, min_score: float, frame: np.ndarray | None = None
    ) -> list["Outline"]:
        """Each of ``people`` (P, 17, 3) their own outline, in the order given; with the
        ``frame`` (RGB), what a nearer person claims of someone else's is split by its edges."""
        mask = self.mask
        offset = np.array([*self.box[:2], 0], np.float32)
        local = [kp - offset for kp in people]
        distance = [_skeleton_distance(kp, mask.shape, min_score) for kp in local]
        nearest = _nearest(distance) if len(people) > 1 else None  # alone: everyone's
        scales = [body_scale(kp, min_score) or 0.0 for kp in people]
        order = np.argsort(scales, kind="stable")
        claimed = np.zeros(mask.shape, bool)  # by someone nearer
        outlines: list[Outline | None] = [None] * len(people)
        for n, i in enumerate(order[::-1]):  # the nearest first
            claim = distance[i] <= CLAIM_RADIUS * DISTANCE_LEVELS
            if frame is not None and n < len(people) - 1:  # someone stands behind them
                skull = _skull(local[i], min_score, scales[i])
                behind = self._shown_behind(frame, mask, i, claim, distance[i], nearest,
                                            claimed, scales[i], skull)  # fmt: skip
                if behind is not None:
                    window, found = behind
                    claim[window] &= ~found
            rest = distance[i] <= REACH * DISTANCE_LEVELS
            if nearest is not None:
                rest &= nearest == i
            own = _attached(mask & (claim | rest) & ~claimed, claimed, local[i], min_score)
            trusted = any(
                _torso_covered(local[i], own, claimed, min_score, band) >= MIN_TORSO_COVERED
                for band in TRUST_BANDS
            )
            outlines[i] = Outline(self.box, own, claimed.copy(), trusted)
            # Whoever stands behind keeps off this person's outline, and off all the space
            # near their skeleton too, where the model may have missed a part of them.
            claimed |= own | claim
        return outlines

    def _shown_behind(self, frame, mask, i, claim, distance, nearest, claimed, scale, skull):
        """What of the silhouette the ``i``-th person claims (``claim``), though it is nearer
        another person's skeleton (``nearest``: whose each pixel is nearest), the ``frame``
        (RGB) shows to be the people behind them: (window, found), a region of the
        silhouette's box as slices and a bool mask over it; None where there is nothing to
        split. ``mask``: the silhouette (``self.mask``), ``distance``: each pixel's from their
        skeleton, ``claimed``: what the people in front of them claimed, ``scale``: their
        body scale in pixels, ``skull``: the top of their head as (centre, radius) in the
        box's pixels (see :func:`_skull`), or None.

        The claim reaches past the skeleton, over what the model may have missed of them, and
        a head is drawn as a disk, but heads and hair come in every size: the person behind
        shows inside the claim, round the head above all. The silhouette has no edge there;
        the frame has one. From seeds on the person's skeleton (limbs, torso, the disk round
        the face) and the top of their head, and on what the people behind show beyond the
        claim, a watershed floods the frame's colours until the two meet on the strongest edge
        between them, hair against a shirt. On the composed two-person scenes the garment of
        the person behind reached the hair of the person in front, where it had stopped a band
        of their own shirt short of it (their own torso covered 0.844 -> 0.981); 0.001 of it
        lay on the person in front (0.000).

        The background is walled off (see :func:`_wall_off`): it floods none of the people, nor
        does a flood run through it from one person to another. Flooded as a third party, it
        took whatever of a person matched it with no edge between them, a white shirt where it
        met a white wall, from there down to the hair in front (on twelve scenes of other
        pairs, the person behind's own torso was covered 0.869 that way, 0.920 with the wall;
        their garment on the person in front 0.0010 both ways).

        Without the top of the head among the seeds, hair took no seed of its own: where it
        met the clothes of the person behind with no edge between them (dark hair, dark
        trousers), or only a soft one (a small, far pair in a webcam's frame, where an edge is
        a ramp of two or three pixels), the flood from the person behind that reached it took
        all of it, and their garment lay on the hair in front. On the composed scenes scaled
        so that the nearer person's shoulder joints lie 70 px apart (tools/composed.py), 0.050
        of the garment of the person behind lay on the person in front; 0.005 with it."""
        others = mask & ~claimed & (nearest != i)
        contested = others & claim & (distance > 0)
        x, y, w, h = cv2.boundingRect(contested.astype(np.uint8))
        if not w:
            return None
        margin = round(CLAIM_RADIUS * scale) + 1  # to take in the seeds round it
        region = (0, 0, mask.shape[1], mask.shape[0])
        x0, y0, x1, y1 = grown_within((x, y, x + w, y + h), margin, region)
        window = np.s_[y0:y1, x0:x1]
        mask, others = mask[window], others[window]
        front = distance[window] == 0  # on their skeleton...
        if skull is not None:  # ...or the top of their head
            top = np.zeros(mask.shape, np.uint8)
            cv2.circle(top, _point(skull[0] - (x0, y0)), skull[1], 1, -1)
            front |= top.view(bool)
        front &= mask & ~claimed[window]
        theirs = others & ~claim[window]
        if not (front.any() and theirs.any()):
            return None
        seeds = np.zeros(mask.shape, np.int32)
        seeds[front], seeds[theirs] = FRONT, BEHIND
        bx, by = self.box[:2]
        rgb = cv2.GaussianBlur(frame[by + y0 : by + y1, bx + x0 : bx + x1], (3, 3), 0)
        _wall_off(rgb, mask, seeds)
        cv2.watershed(rgb, seeds)  # labels every pixel
        return window, contested[window] & (seeds == BEHIND)


@dataclass(frozen=True)
class Outline:
    """One person's silhouette (``own``) and the silhouettes of the people in front of them
    (``front``), as (h, w) bool masks over the frame region ``box``; ``trusted`` says whether
    ``own`` is good enough to fit to (see the module text)."""

    box: tuple[int, int, int, int]
    own: np.ndarray
    front: np.ndarray
    trusted: bool = True

    def inside(self, xy: np.ndarray) -> np.ndarray:
        """(N,) bool: whether each point (N, 2) in frame pixels lies on this person."""
        return _sample(self.own, xy - np.array(self.box[:2]))

    def seen_at(self, xy: np.ndarray) -> np.ndarray:
        """(N,) bool: whether each point (N, 2) in frame pixels lies in the region the outline
        was seen in (past it, whether a point is on the person is not known)."""
        x0, y0, x1, y1 = self.box
        ij = np.round(xy)
        return (ij[:, 0] >= x0) & (ij[:, 0] < x1) & (ij[:, 1] >= y0) & (ij[:, 1] < y1)

    def crop(self, mask: np.ndarray, box) -> np.ndarray:
        """``mask`` (over this outline's region) cut to ``box``; zero outside the region."""
        return crop(mask, self.box, box)


def crop(mask: np.ndarray, region, box) -> np.ndarray:
    """A (h, w) mask over ``region`` cut to another ``box`` (x0, y0, x1, y1); zero outside."""
    out = np.zeros((box[3] - box[1], box[2] - box[0]), mask.dtype)
    rx0, ry0 = region[:2]
    region = (rx0, ry0, rx0 + mask.shape[1], ry0 + mask.shape[0])
    common = overlap(box, region)
    if common is not None:
        window(out, box, common)[...] = window(mask, region, common)
    return out


def _torso_covered(
    keypoints: np.ndarray, own: np.ndarray, hidden: np.ndarray, min_score: float, band: float = 1.0
):
    """The share of the person's torso quadrilateral (see ``keypoints.torso_corners`` for hips
    out of view), cut ``band`` of the way down from the shoulder line to the hip line and
    shrunk by TORSO_SHRINK, where not ``hidden`` by someone in front, that ``own`` covers,
    within the region it was segmented in; 0 without both shoulders or with all of it hidden."""
    quad = torso_corners(keypoints, min_score)
    if quad is None:
        return 0.0
    quad[2:] = quad[1::-1] + (quad[2:] - quad[1::-1]) * band  # TORSO: shoulders, then hips
    quad = np.round(quad.mean(axis=0) + (quad - quad.mean(axis=0)) * TORSO_SHRINK).astype(int)
    x0, y0 = np.clip(quad.min(axis=0), 0, None)  # the work is done on the quad's box
    x1, y1 = np.clip(quad.max(axis=0) + 1, 0, None)
    own, hidden = own[y0:y1, x0:x1], hidden[y0:y1, x0:x1]
    if own.size == 0:  # the torso is out of the region (below a webcam's frame: leaning in)
        return 0.0
    inside = np.zeros(own.shape, np.uint8)
    cv2.fillConvexPoly(inside, (quad - (x0, y0)).astype(np.int32), 1)
    seen = (inside > 0) & ~hidden
    area = int(seen.sum())
    return float(own[seen].sum() / area) if area else 0.0


def _attached(own: np.ndarray, front: np.ndarray, keypoints: np.ndarray, min_score: float):
    """``own`` (bool) less its pieces that hang together with none of the person's bones
    between seen joints, nor their neck (8-connected, through the people in ``front``, who
    may cut them in pieces); all of ``own`` when no bone lies on it. Pieces are told apart on
    blocks of DISTANCE_STEP pixels, any pixel of each on the person, so those closer than a
    block hang together (at full resolution this cost 0.4 ms of every inference on the webcam
    video, on blocks 0.1)."""
    person = (own | front).view(np.uint8)
    step = DISTANCE_STEP
    block = np.ones((step, step), np.uint8)
    small = np.ascontiguousarray(cv2.dilate(person, block, anchor=(0, 0))[::step, ::step])
    bones = np.zeros(small.shape, np.uint8)
    _draw_bones(bones, _on_blocks(keypoints), min_score, 1, 1)
    count, labels = cv2.connectedComponents(small)
    hangs = np.zeros(count, bool)
    hangs[labels[(bones > 0) & (small > 0)]] = True
    hangs[0] = True  # off the person
    if hangs.all() or hangs.sum() == 1:  # nothing to drop, or no bone on the person
        return own
    keep = hangs[labels].view(np.uint8)
    keep = cv2.resize(keep, (small.shape[1] * step, small.shape[0] * step),
                      interpolation=cv2.INTER_NEAREST)  # fmt: skip
    return own & keep[: own.shape[0], : own.shape[1]].view(bool)


def _sample(mask: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Nearest-pixel lookup of a bool mask at (N, 2) points; False outside it."""
    ij = np.round(xy).astype(np.int64)
    h, w = mask.shape
    ok = (ij[:, 0] >= 0) & (ij[:, 0] < w) & (ij[:, 1] >= 0) & (ij[:, 1] < h)
    out = np.zeros(len(xy), bool)
    out[ok] = mask[ij[ok, 1], ij[ok, 0]]
    return out


def _skeleton_distance(keypoints: np.ndarray, shape, min_score: float) -> np.ndarray:
    """(h, w) uint8: each pixel's distance from the person's skeleton (seen limbs, torso,
    the neck and a disk around the face), in 1/DISTANCE_LEVELS of their body scales, 255 for
    that far or farther, and everywhere without shoulders. Measured at 1/DISTANCE_STEP of the
    resolution (a body scale is tens of pixels); kept in bytes, it is brought up to the full
    resolution and compared there faster than floats (the split of the webcam video's
    frames took 0.6 ms against 1.0 ms in floats here)."""
    scale = body_scale(keypoints, min_score)
    if scale is None:
        return np.full(shape, 255, np.uint8)
    small = (-(-shape[0] // DISTANCE_STEP), -(-shape[1] // DISTANCE_STEP))
    keypoints = _on_blocks(keypoints)
    scale /= DISTANCE_STEP
    skeleton = np.full(small, 255, np.uint8)  # 0 on the skeleton, for distanceTransform
    _draw_bones(skeleton, keypoints, min_score, 0, 2)
    torso = torso_corners(keypoints, min_score)
    if torso is not None:
        cv2.fillConvexPoly(skeleton, np.round(torso).astype(np.int32), 0)
    center = face_center(keypoints, min_score)
    if center is not None:  # the head
        cv2.circle(skeleton, _point(center), max(1, round(HEAD_RADIUS * scale)), 0, -1)
    if skeleton.min() == 255:  # none of it in the region: far from everything (the transform
        return np.full(shape, 255, np.uint8)  # gives FLT_MAX, which overflows to 0 below)
    distance = cv2.distanceTransform(skeleton, cv2.DIST_L2, 3)
    distance = cv2.convertScaleAbs(distance, alpha=DISTANCE_LEVELS / scale)  # rounded, <= 255
    return cv2.resize(distance, shape[::-1], interpolation=cv2.INTER_LINEAR)


def _on_blocks(keypoints: np.ndarray) -> np.ndarray:
    """A copy of ``keypoints`` (17, 3) in the pixels of a DISTANCE_STEP times smaller image."""
    keypoints = keypoints.copy()
    keypoints[:, :2] = (keypoints[:, :2] + 0.5) / DISTANCE_STEP - 0.5
    return keypoints


def _draw_bones(canvas: np.ndarray, keypoints: np.ndarray, min_score: float, value, thickness):
    """Draws the person's bones between seen joints (LIMBS) into ``canvas``, and their neck,
    from the face's centre to the seen shoulders' middle."""
    seen = keypoints[:, 2] >= min_score
    for a, b in LIMBS:
        if seen[a] and seen[b]:
            cv2.line(canvas, _point(keypoints[a]), _point(keypoints[b]), value, thickness)
    center = face_center(keypoints, min_score)
    shoulders = [k for k in SHOULDERS if seen[k]]
    if center is not None and shoulders:
        neck = _point(keypoints[shoulders, :2].mean(axis=0))
        cv2.line(canvas, _point(center), neck, value, thickness)


def _skull(keypoints: np.ndarray, min_score: float, scale: float):
    """The top of a person's head (17, 3 keypoints; ``scale``: their body scale in pixels),
    surely theirs, as (centre (2,), radius) in pixels: a disk SKULL_LIFT above the face's
    centre (away from the shoulders), SKULL_RADIUS wide, both shrunk as the neck is shorter
    than UPRIGHT_NECK. None without a face or a body scale (0: not both shoulders seen)."""
    face = face_center(keypoints, min_score)
    if face is None or scale <= 0:
        return None
    neck = face - keypoints[list(SHOULDERS), :2].mean(axis=0)  # both seen: it has a scale
    upright = min(float(np.linalg.norm(neck)) / (UPRIGHT_NECK * scale), 1.0)
    head = upright * scale  # the body scale, foreshortened with the neck
    return face + SKULL_LIFT * head * unit(neck), max(1, round(SKULL_RADIUS * head))


def _wall_off(rgb: np.ndarray, mask: np.ndarray, seeds: np.ndarray) -> None:
    """Walls the people (``mask``) off from the background for a watershed of ``rgb`` from
    ``seeds``: the background's pixels are painted as a black and white checkerboard in
    ``rgb``, and seeded BACKGROUND in ``seeds`` but for the ring of them round the people.

    A watershed floods a pixel in order of how much it differs from its flooded neighbour. On
    the board, each differs by the most from the next: the background's flood crosses the
    ring last of all, once the people's pixels are flooded from one of them (bar any that
    differ as much from every neighbour), and a flood from a person steps into the ring but
    no further."""
    board = np.zeros(mask.shape, np.uint8)
    board[1::2, ::2] = board[::2, 1::2] = 255
    cv2.copyTo(cv2.merge([board] * 3), (~mask).view(np.uint8), rgb)
    people = mask.view(np.uint8)
    ring = cv2.dilate(people, np.ones((3, 3), np.uint8)) > people
    seeds[~mask & ~ring] = BACKGROUND


def _nearest(distance: list[np.ndarray]) -> np.ndarray:
    """(h, w) uint8: at each pixel, which of the ``distance`` maps (up to 256) is least (the
    first of equals). In place of ``np.argmin`` over them: 4.3 against 11.5 ms for two people on a
    1100 x 700 region, which it stacks into one array first and reduces across."""
    best, nearest = distance[0].copy(), np.zeros(distance[0].shape, np.uint8)
    for k, other in enumerate(distance[1:], start=1):
        np.copyto(nearest, k, where=other < best)
        np.minimum(best, other, out=best)
    return nearest


def _point(xy: np.ndarray) -> tuple[int, int]:
    return int(round(float(xy[0]))), int(round(float(xy[1])))
