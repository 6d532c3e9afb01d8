"""Scenes made from the single-person photos: two people, one behind the other, for "who is in
front"; and close-ups, for how a webcam at a desk frames its user.

**Two people.**

The shared data has few photos of one person standing before another (COCO's four), too few to
guard the rule that a garment never covers a person in front of its wearer. So each FitDiT
full-body photo is paired with a VITON-HD frontal photo (in the order of their names, not
chosen by hand): the FitDiT person, scaled to PERSON_BEHIND of the nearer person's size, is
pasted behind her with their chest just above her head, where the garment of the person behind
is most likely to fall on her hair. The pairs cycle through PLACEMENTS (how far to the side
and how high). Both people's outlines are known exactly: each is the segmentation model's mask
of their own photo, and the person behind shows where the one in front does not.

    for scene in scenes(evaluate.photos(shared), segmenter):   # Photos, as evaluate's
        ...

The pasting is crude (the FitDiT photos crop some heads, a pasted person has a hard edge):
these scenes test where each garment is drawn, not how real a scene looks.

**Close-ups.** A webcam on a desk or a laptop sees its user from the head down to the chest or
the waist: the hips, and often the elbows, are out of the frame. No shared photo is framed so,
so each photo is cut CLOSE_UP of the way from the shoulder line down to the hip line, and
every keypoint below the cut is unseen. The person's outline is the model's mask of the whole
photo, cut alike (the fit segments the cut photo itself); the measures keep the whole photo's
keypoints, whose hips say where the torso ends.

    for photo in close_ups(evaluate.photos(shared), segmenter):   # Photos, as evaluate's
        ...

**At a desk.** A webcam on a monitor sees its seated user down to the desk, which hides the
lower torso and the hips. Each photo gets one: a flat colour (DESKS, in turn) with a darker
edge, pasted over everything below DESK of the way from the shoulder line to the hip line,
every keypoint below it unseen by the fit. The person's outline is the model's mask of the
whole photo down to the desk: a garment on the desk is spill. A flat colour is not a desk,
with its grain and light: this checks what the fit does with an outline that ends across
the torso, not how the model sees a real desk.

    for photo in at_a_desk(evaluate.photos(shared), segmenter):   # Photos, as evaluate's
        ...

**At a webcam's scale.** The person photos show their people large (170-520 px from shoulder
joint to shoulder joint); a webcam's 640x480 frame shows a user who stands back far less so
(the webcam video: 103-120 px, 110 at the median). Each photo is scaled so that its person's
shoulder joints lie WEBCAM_SPANS pixels apart, the fit and the measures seeing only the scaled
photo (the model segments it afresh): a rule that counts in pixels, not in body sizes, shows
up here. The two-person scenes are scaled alike, by the person in front.

    for photo in at_scale(evaluate.photos(shared), span):   # Photos, as evaluate's
        ...
"""

from dataclasses import replace

import cv2
import numpy as np

from fitting import pipeline
from fitting.config import FitConfig
from fitting.keypoints import Keypoint
from fitting.silhouette import crop

from .fit_measures import half_shoulder

K = Keypoint
PERSON_BEHIND = 0.6  # the person behind's shoulder width, x the nearer person's
CHEST = 0.3  # the point of the person behind put above the nearer head: this far down the torso
# Where it is put: (sideways, x the person behind's shoulder width; up, x the nearer person's
# half shoulder width above the top of her head)
PLACEMENTS = ((0.3, 0.3), (-0.3, 0.6), (0.0, 0.4), (0.4, 0.8))
HEAD_TOP = 1.1  # the top of the head, x half shoulder width above the nose
MIN_SCORE = 0.3  # keypoints scored lower are unknown (score 0); the rest are known (1)
CLOSE_UP = 0.55  # a close-up's bottom edge: this far from the shoulder line to the hip line
DESK = 0.75  # a desk's edge: this far from the shoulder line to the hip line
DESKS = ((150, 110, 70), (120, 120, 125), (225, 225, 220))  # its colours, in turn (RGB)
DESK_EDGE = 0.1  # x half shoulder width: the height of its edge, in a darker shade...
DESK_EDGE_SHADE = 0.7  # ...this much of its colour
# Pixels between a person's shoulder joints: the webcam video's median, and a user standing
# further back (the whole body in a 640x480 frame)
WEBCAM_SPANS = (110, 70)


def scenes(photos, segmenter, config: FitConfig | None = None):
    """The composed scenes of ``photos`` (``tools.evaluate.Photo`` objects: the FitDiT ones
    go behind, the VITON-HD ones in front, as many pairs as the fewer), as Photo objects:
    people (the person behind, the person in front), each one's visible outline, and both
    outlines as the others."""
    config = config or FitConfig()
    photos = sorted(photos, key=lambda photo: photo.name)
    behind = [p for p in photos if p.name.startswith("fitdit/")]
    front = [p for p in photos if p.name.startswith("vitonhd")][::-1]
    for i, (far, near) in enumerate(zip(behind, front, strict=False)):
        image, people, far_seen, near_mask = _compose(
            person_of(far, segmenter, config),
            person_of(near, segmenter, config),
            PLACEMENTS[i % len(PLACEMENTS)],
        )
        outlines = [far_seen, near_mask]
        name = f"composed/{far.name.removeprefix('fitdit/')} behind {near.name.split('/')[-1]}"
        yield replace(near, name=name, image=image, people=people, outlines=outlines,
                      others=outlines)  # fmt: skip


def close_ups(photos, segmenter, config: FitConfig | None = None):
    """Each of ``photos`` (``tools.evaluate.Photo`` objects of one person) cut as a webcam
    close-up, as a Photo: the fit sees the keypoints above the cut, the measures all of them
    (``measured``)."""
    config = config or FitConfig()
    for photo in photos:
        image, kp, mask = person_of(photo, segmenter, config)
        cut = _down_the_torso(kp, CLOSE_UP)
        shown = kp.copy()
        shown[shown[:, 1] >= cut, 2] = 0
        yield replace(photo, name=f"close-up/{photo.name}", image=np.ascontiguousarray(image[:cut]),
                      people=shown[None], outlines=[mask[:cut]], others=[],
                      measured=kp[None])  # fmt: skip


def at_a_desk(photos, segmenter, config: FitConfig | None = None):
    """Each of ``photos`` (``tools.evaluate.Photo`` objects of one person) seated behind a
    desk, as a Photo: the fit sees the keypoints above its edge, the measures all of them
    (``measured``)."""
    config = config or FitConfig()
    for i, photo in enumerate(photos):
        image, kp, mask = person_of(photo, segmenter, config)
        edge = _down_the_torso(kp, DESK)
        colour = np.array(DESKS[i % len(DESKS)], np.float32)
        image = image.copy()
        image[edge:] = colour
        image[edge : edge + max(1, round(DESK_EDGE * half_shoulder(kp)))] = colour * DESK_EDGE_SHADE
        shown = kp.copy()
        shown[shown[:, 1] >= edge, 2] = 0
        mask = mask.copy()
        mask[edge:] = False
        yield replace(photo, name=f"desk/{photo.name}", image=image, people=shown[None],
                      outlines=[mask], others=[], measured=kp[None])  # fmt: skip


def at_scale(photos, span: float):
    """Each of ``photos`` (``tools.evaluate.Photo`` objects) scaled so that the shoulder
    joints of its nearest person (the widest apart) lie ``span`` pixels apart, as a Photo."""
    for photo in photos:
        shoulders = photo.people[:, [K.LEFT_SHOULDER, K.RIGHT_SHOULDER], :2]
        factor = span / float(np.linalg.norm(shoulders[:, 0] - shoulders[:, 1], axis=1).max())
        image = cv2.resize(photo.image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        # Each mask once: a fitted person's outline stays the same array as the one among the
        # others (tools.evaluate tells a person's own outline from the others' by identity).
        masks = {id(m): _resized(m, image.shape[1::-1])
                 for m in [*photo.outlines, *photo.others] if m is not None}  # fmt: skip
        scaled = np.float32([factor, factor, 1])
        measured = None if photo.measured is None else photo.measured * scaled
        yield replace(photo, name=f"{span} px/{photo.name}", image=image,
                      people=photo.people * scaled,
                      outlines=[None if m is None else masks[id(m)] for m in photo.outlines],
                      others=[masks[id(m)] for m in photo.others],
                      measured=measured)  # fmt: skip


def _down_the_torso(kp: np.ndarray, fraction: float) -> int:
    """The image row ``fraction`` of the way down from a person's shoulder line to their hip
    line (``kp``: 17, 3)."""
    top = kp[[K.LEFT_SHOULDER, K.RIGHT_SHOULDER], 1].mean()
    hips = kp[[K.LEFT_HIP, K.RIGHT_HIP], 1].mean()
    return int(round(top + fraction * (hips - top)))


def _resized(mask: np.ndarray, size) -> np.ndarray:
    return cv2.resize(mask.astype(np.uint8), size, interpolation=cv2.INTER_NEAREST) > 0


def person_of(photo, segmenter, config: FitConfig):
    """A photo's first person: the image, their keypoints (17, 3) and their mask."""
    kp = photo.people[0].copy()
    kp[:, 2] = kp[:, 2] > MIN_SCORE
    models = pipeline.Models(None, None, segmenter)
    silhouette = pipeline.segment(photo.image, kp[None], models, config)
    h, w = photo.image.shape[:2]
    return photo.image, kp, crop(silhouette.mask, silhouette.box, (0, 0, w, h))


def _compose(far, near, placement):
    """The nearer photo, grown upwards by half its height, with the person behind pasted in:
    the image, people (2, 17, 3), the part of the person behind that shows, the nearer mask."""
    (far_image, far_kp, far_mask), (near_image, near_kp, near_mask) = far, near
    pad = near_image.shape[0] // 2
    image = cv2.copyMakeBorder(near_image, pad, 0, 0, 0, cv2.BORDER_REPLICATE)
    near_mask = np.pad(near_mask, ((pad, 0), (0, 0)))
    near_kp = near_kp.copy()
    near_kp[:, 1] += pad
    h, w = image.shape[:2]
    far_width, near_width = (
        float(np.linalg.norm(kp[K.LEFT_SHOULDER, :2] - kp[K.RIGHT_SHOULDER, :2]))
        for kp in (far_kp, near_kp)
    )
    scale = PERSON_BEHIND * near_width / far_width
    shoulders = far_kp[[K.LEFT_SHOULDER, K.RIGHT_SHOULDER], :2].mean(axis=0)
    hips = far_kp[[K.LEFT_HIP, K.RIGHT_HIP], :2].mean(axis=0)
    chest = (shoulders + CHEST * (hips - shoulders)) * scale
    side, up = placement
    head_top = near_kp[K.NOSE, :2] - (0, (HEAD_TOP + up) * near_width / 2)
    offset = head_top - chest + (side * far_width * scale, 0)
    move = np.float32([[scale, 0, offset[0]], [0, scale, offset[1]]])
    pasted = cv2.warpAffine(far_image, move, (w, h))
    far_mask = cv2.warpAffine(far_mask.astype(np.uint8), move, (w, h), flags=cv2.INTER_NEAREST)
    far_seen = (far_mask > 0) & ~near_mask
    image[far_seen] = pasted[far_seen]
    far_kp = far_kp.copy()
    far_kp[:, :2] = far_kp[:, :2] * scale + offset
    return image, np.stack([far_kp, near_kp]), far_seen, near_mask
