"""Blending warped garment layers into the frame: occlusion, the scene's lighting, soft edges.

Everything works on the frame region a layer covers, never on the whole frame.

- Occlusion: the face and the forearms and hands lie in front of the garment; they are
  drawn as anti-aliased capsules and cut out of the layer's alpha, so an arm crossing the
  chest stays visible. A forearm whose own outline was found in the frame (arm_outlines.py) is
  cut out with that outline instead; with the wearer's outline, only where the person is.
  Everyone's face is cut out of everyone's garment, but for the wearer's own top under their
  chin (``own_face``); a bare upper arm brought in front of the chest is cut out too.
- The outline: when the body knows its silhouette, the garment is cut to it, grown by the
  ease (a loose garment keeps that much drape past the body) and softened along its edge,
  and the people standing in front of the wearer are cut out of it. Where the keypoints see
  the body (its core, body.Core) the silhouette is never missing, whatever the model says.
- Lighting: a product photo is lit by a studio's white light; on the person it takes the
  scene's (light.py), so that it is dim in a dim room and warm under warm light, as the
  wearer is. Then the person's own brightness, heavily blurred (folds, shadow sides,
  light gradients, not the print on their shirt), divided by its average over the torso,
  multiplies it, so that it darkens where the person is in shadow.
- Edges: the layer's alpha (already anti-aliased by the cut-out and the bilinear warp) is
  softened by a small blur before the usual ``out = frame + alpha (garment - frame)``.

Occlusion and edges depend only on the pose, so ``prepare_layers`` does them once per
inference; ``blend_person`` is what runs on every frame.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from clothes.shapes import disk

from .body import Body, Capsule
from .config import REST_EASE, FitConfig
from .geometry import along, grown_within, union
from .layers import Layer
from .light import SceneLight, shrink
from .occluders import InFront
from .patches import Patch, capsule_box, capsule_mask, person_mask
from .rig import SEAM_REACH
from .silhouette import crop
from .torso import TorsoFrame
from .warp import YOKE, near, past_hem

LIGHT_DOWNSAMPLE = 4  # the lighting is estimated at this fraction of the resolution
LIGHT_BLUR = 0.35  # blur radius of the lighting, x half shoulder width
LIGHT_RANGE = (0.55, 1.3)  # the lighting may darken or brighten the garment this much
OPAQUE = 250  # a layer's pixel at least this opaque (of 255) has its true colour (edge_colours)
EDGE_PX = 2  # past the softened edge, the width of a layer's anti-aliased edge (px)


def lighting(frame: np.ndarray, box, torso: TorsoFrame, scale: float, strength: float):
    """The scene's relative brightness over ``box``, as an (h, w) float32 multiplier.

    1.0 is the average brightness of the person's torso; the map is clipped to
    ``LIGHT_RANGE`` and raised to ``strength`` (0 = no shading).
    """
    x0, y0, x1, y1 = box
    if strength <= 0:
        return np.ones((y1 - y0, x1 - x0), np.float32)
    small = shrink(frame[y0:y1, x0:x1], LIGHT_DOWNSAMPLE)  # on every frame: exact blocks
    small = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY).astype(np.float32)
    small_size = small.shape[::-1]

    small = cv2.GaussianBlur(small, (0, 0), max(LIGHT_BLUR * scale / LIGHT_DOWNSAMPLE, 0.5))
    # The torso's average brightness: inside the quadrilateral shoulders - hips.
    quad = torso.to_image(np.array([[-0.8, 0.3], [0.8, 0.3], [0.8, 2.0], [-0.8, 2.0]]))
    quad = (quad - np.array([x0, y0])) * np.array(small_size) / np.array([x1 - x0, y1 - y0])
    inside = np.zeros(small.shape, np.uint8)
    cv2.fillConvexPoly(inside, np.round(quad).astype(np.int32), 1)
    reference = cv2.mean(small, inside)[0] if inside.any() else float(small.mean())
    ratio = np.clip(small / max(reference, 1.0), *LIGHT_RANGE) ** strength
    return cv2.resize(ratio, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)


def edge_colours(rgb: np.ndarray, drawn: np.ndarray, alpha: np.ndarray, reach: int):
    """``rgb`` (h, w, 3) uint8, a layer's colours, with those of its see-through pixels (its
    ``drawn`` alpha, (h, w) uint8, below OPAQUE) where they are seen (``alpha`` > 0: its
    softened edge) taken from the opaque pixels within ``reach`` px, in place. Where a part's
    map ends, the warp samples no colour but black, and blends it into the pixels beside it:
    the softened edge drew a dark line along it (across a white top where its sleeve begins,
    and round its outline)."""
    opaque = (drawn >= OPAQUE).view(np.uint8)
    edge = (alpha > 0) & ~opaque.view(bool)
    if not edge.any():
        return rgb
    size = (2 * reach + 1, 2 * reach + 1)  # sums in uint16: exact, and fast
    colours = cv2.boxFilter(cv2.bitwise_and(rgb, rgb, mask=opaque), cv2.CV_16U, size,
                            normalize=False)  # fmt: skip
    counts = cv2.boxFilter(opaque, cv2.CV_16U, size, normalize=False)
    fill = np.flatnonzero(edge & (counts > 0))
    flat = rgb.reshape(-1, 3)
    flat[fill] = colours.reshape(-1, 3)[fill] / counts.reshape(-1)[fill, None] + 0.5
    return rgb


def hanging(grow: int, rest: int) -> np.ndarray:
    """The structuring element that grows an outline by a garment's ease: ``grow`` pixels
    sideways and down (cloth hangs from the body), no more than ``rest`` up (it rests on the
    shoulders). Centred: a pixel is reached from the body within ``grow`` above and beside it.
    """
    kernel = disk(grow)
    kernel[grow + 1 :] = 0  # the body below a pixel holds no cloth up there
    r = min(rest, grow)
    kernel[grow - r : grow + r + 1, grow - r : grow + r + 1] |= disk(r)
    return kernel


def closed_gaps(cover: np.ndarray, closing: np.ndarray) -> np.ndarray:
    """(h, w) bool: the holes in ``cover`` (h, w) bool (what it leaves out, in parts that do
    not reach the edge of its region) that border on ``closing`` pixels (of the cover)."""
    count, parts = cv2.connectedComponents((~cover).view(np.uint8), connectivity=4)
    if count <= 1:
        return np.zeros(cover.shape, bool)
    edge = np.concatenate([parts[0], parts[-1], parts[:, 0], parts[:, -1]])
    near = cv2.dilate(closing.view(np.uint8), np.ones((3, 3), np.uint8)) > 0
    holes = np.zeros(count, bool)
    holes[parts[near]] = True
    holes[edge] = False
    holes[0] = False  # the cover itself
    return holes[parts]


def outline_clip(
    body: Body, ease: float, config: FitConfig, box, flare: float | None = None
) -> Patch | None:
    """Where the person's garment may be within ``box`` (x0, y0, x1, y1: its layers' region):
    their silhouette grown by ``ease`` half shoulder widths, but up by no more than REST_EASE
    (see :func:`hanging`; anywhere, when the outline is not trusted), its edge softened over
    ``feather_px``, without the people in front of them; as a :class:`Patch` over ``box`` and
    the margin its growing and softening read, within the outline's region (where the
    segmenter looked). None without an outline.

    ``flare`` (a layer that hangs free: see :class:`layers.Layer`): below the hip line the
    silhouette is grown by that many px more for every px further down, and what it reaches
    there the layer covers all the way down (it hangs: over the gap between the legs, below a
    wide jacket's hem, past the outline's region, where nothing is known of the body). A
    skirt (``flare`` > 0) also covers a gap it closes from below that the body encloses above
    (between a hanging arm and the waist): it is cloth up there too, where the dress is wider
    than the wearer."""
    outline = body.outline
    if outline is None:
        return None
    k = 2 * config.feather_px + 1
    grow = round(ease * body.scale)
    margin = grow + k // 2 + 1  # the same region whether the outline is followed or not
    hangs_free = flare is not None
    region = grown_within(box, margin, union([box, outline.box]) if hangs_free else outline.box)
    if region[0] >= region[2] or region[1] >= region[3]:  # the layers lie off the outline's
        region = (*outline.box[:2], outline.box[0] + 1, outline.box[1] + 1)
    if outline.trusted:
        own = person_mask(body, region).astype(np.uint8) * 255
        rest = round(min(ease, REST_EASE) * body.scale)
        grown = cv2.dilate(own, hanging(grow, rest)) if grow > 0 else own
        if hangs_free:
            depth = np.maximum(along(region, body.torso.hip_origin, body.torso.down), 0)
            reach = grown > 0
            if flare > 0:
                off = cv2.distanceTransform(255 - own, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
                # above the hips, only where the ease hangs from the body (see hanging)
                reach = (off <= grow + flare * depth) & (reach | (depth > 0))
            hangs = np.logical_or.accumulate(reach & (depth > 0), axis=0)  # straight down
            hung = reach | hangs
            if flare > 0:
                # and across a gap it closes below that the body encloses above: cut to the
                # outline there, a dress showed holes of the wall beside the waist (FitDiT
                # 0, 2, 3)
                hung |= closed_gaps(hung, hung & (grown == 0))
            grown = hung * np.uint8(255)
        fit = cv2.GaussianBlur(grown, (k, k), 0).astype(np.float32) * (1 / 255)
    else:
        fit = np.ones((region[3] - region[1], region[2] - region[0]), np.float32)
    front = outline.crop(outline.front, region)
    if front.any():
        fit *= 1 - cv2.GaussianBlur(front.astype(np.uint8) * 255, (k, k), 0) * (1 / 255)
    return Patch(region, fit)


@dataclass(frozen=True)
class ReadyLayer:
    """A warped part with its final opacity: all that blending it into a frame needs.

    It depends on the pose and the garment, not on the frame's pixels, so between two
    inferences it is made once and blended into every frame.
    """

    box: tuple[int, int, int, int]
    rgb: np.ndarray  # (h, w, 3) uint8
    alpha: np.ndarray  # (h, w) float32 in [0, 1]: feathered, with what is in front cut out


def prepare_layers(
    body: Body,
    layers,
    long_sleeves: bool,
    config: FitConfig,
    ease: float = 0.0,
    faces: tuple[Capsule, ...] = (),
    seen: InFront | None = None,
    light: SceneLight | None = None,
):
    """The ``layers`` of one person's garment made ready to blend (see :class:`ReadyLayer`).

    What is in front of what: the faces (the wearer's and ``faces``, everyone else's) cover
    everything but a long sleeve on a forearm come up in front of the face (see
    :func:`before_face`) and the wearer's own top under their chin (:func:`own_face`); a
    forearm covers the body panel, the other arm's sleeve, and its own sleeve too unless the
    sleeves are long (then the forearm is inside its sleeve); a bare upper arm brought in
    front of the torso, past its short sleeve's hem, covers all but that sleeve (none, in long
    sleeves); people in front of the wearer cover all of it. ``seen``: what the frame shows
    in front of the garment (see occluders.py): forearms with their own outlines, cut out
    instead of their capsules, with what their hands hold, which a long sleeve does not cover
    either; hair, cut out of everything; the neck, cut out of the layers drawn behind the
    wearer (the inside of the back, the yoke), which are not drawn at all without it (nor the
    yoke where hair of the wearer's top's colours may lie: on their shoulders it would pass
    for the top). With the body's outline, the garment is cut to it, ``ease`` half shoulder
    widths past it, but below the hips for a layer that hangs free (a skirt, a dress's skirt,
    a trouser leg: see :class:`layers.Layer`).
    ``light``: the scene's light, which the garment's colours take.
    """
    seen = seen or InFront()
    forearms = seen.forearms
    face = list(faces)  # everyone else's; the wearer's own spares their top under the chin
    mine = own_face(body.head, seen) if body.head is not None else None
    clips = {}  # each over the layers it cuts, by their flare (see outline_clip)
    if body.outline is not None:
        for flare in {layer.flare for layer in layers}:
            box = union([layer.box for layer in layers if layer.flare == flare])
            clips[flare] = outline_clip(body, ease, config, box, flare)
    # A forearm inside its long sleeve is not cut out of the panel beside that sleeve: its own
    # outline is wider than a sleeve drawn along its keypoints, and a strip of skin showed.
    sleeves = {layer.side: layer for layer in layers if layer.side is not None}
    off_the_panel = forearms
    if long_sleeves:
        reach = SEAM_REACH * body.scale
        off_the_panel = {s: beside(p, sleeves[s], reach) if s in sleeves else p
                         for s, p in forearms.items()}  # fmt: skip
    # A bare upper arm in front is bare only past its short sleeve's hem: above it the arm is in
    # the sleeve, and where the sleeve, drawn along the keypoints, is narrower than the arm, the
    # panel stays (cut out there, a sliver of skin showed between the two).
    upper_arms = {} if long_sleeves else {s: _past_sleeve(p, sleeves.get(s), body.arms[s][:2])
                                          for s, p in seen.upper_arms.items()}  # fmt: skip
    ready = []
    for layer in layers:
        if layer.inside and seen.neck is None:
            continue
        # A sleeve (layer.side) is in front of its own forearm when long; the panel never is.
        arms = [s for s in body.forearms if s != layer.side or not long_sleeves]
        capsules = face + [body.forearms[s] for s in arms if s not in forearms]
        drawn = cv2.extractChannel(layer.rgba, 3)
        k = 2 * config.feather_px + 1
        alpha = cv2.GaussianBlur(drawn, (k, k), 0) if config.feather_px > 0 else drawn
        alpha = alpha.astype(np.float32) * (1 / 255)
        clip = clips.get(layer.flare)
        if clip is not None:
            alpha *= crop(clip.alpha, clip.box, layer.box)
        if capsules or mine is not None:
            cover = capsule_mask(capsules, layer.box)
            if mine is not None:
                own = crop(mine.alpha, mine.box, layer.box)
                # A long sleeve raised to the face is in front of the wearer's own face only
                if long_sleeves and layer.side in body.forearms and before_face(body, layer.side):
                    own *= 1 - capsule_mask([body.forearms[layer.side]], layer.box)
                np.maximum(cover, own, out=cover)
            alpha *= 1 - cover
        cut = forearms if layer.side else off_the_panel  # a sleeve, or the panel (and behind)
        patches = [cut[s] for s in arms if s in cut]
        patches += [p for s, p in upper_arms.items() if s != layer.side]  # not its own sleeve
        if long_sleeves:  # what a hand holds: in front of its sleeve and the panel beside it
            patches += [p for s, p in seen.held.items() if layer.side in (s, None)]
        patches += [p for p in (seen.hair, seen.neck if layer.inside else None) if p is not None]
        if layer.name == YOKE and seen.hair_over_top is not None:
            patches.append(seen.hair_over_top)
        for patch in patches:
            alpha *= 1 - crop(patch.alpha, patch.box, layer.box)
        rgb = edge_colours(cv2.cvtColor(layer.rgba, cv2.COLOR_RGBA2RGB), drawn, alpha,
                           config.feather_px + EDGE_PX)  # fmt: skip
        if light is not None:
            rgb = light.render(rgb)
        ready.append(ReadyLayer(layer.box, rgb, alpha))
    return ready


def own_face(head: Capsule, seen: InFront) -> Patch:
    """The wearer's own face as a :class:`Patch` to cut out of their garment: its capsule,
    but for their own top under the chin. The capsule, drawn round the face keypoints with a
    margin, reaches under the chin and past the neck: cut out there whole, it left the
    wearer's own top showing beside their neck, above the garment's neckline (a round hole
    into its shoulders, a third of a head wide, in a webcam's close-up). Below the chin (the
    capsule's end) and off the face (the disk round its centre) the garment covers the
    wearer's top where the frame surely shows it (``seen.bare_top``: not where it is not
    told from their skin and hair); where that is not known at all (no frame, or their top
    not told from their skin), it is all neck or top there, and the garment's own neckline
    shows as much of the neck as it would."""
    corners = capsule_box(head) + np.array([-2, -2, 2, 2])  # and the anti-aliased rim
    box = (*np.floor(corners[:2]).astype(int), *np.ceil(corners[2:]).astype(int))
    face = capsule_mask([head], box)
    x0, y0, x1, y1 = box
    ys, xs = (grid.astype(np.float32) for grid in np.ogrid[y0:y1, x0:x1])  # broadcast
    down = head.end - head.start
    below = (xs - head.end[0]) * down[0] + (ys - head.end[1]) * down[1] > 0
    below &= np.hypot(xs - head.start[0], ys - head.start[1]) > head.radius
    top = seen.bare_top
    covered = crop(top.alpha, top.box, box) if top is not None else np.float32(1)
    face *= 1 - np.where(below, covered, np.float32(0))
    return Patch(box, face)


def before_face(body: Body, side: str) -> bool:
    """Whether the forearm on ``side`` comes up from an elbow below its shoulder: reaching the
    face so (drinking, a phone at the ear, a chin in a hand), it is in front of the face, and
    its long sleeve with it. From a raised elbow it may reach behind the head (hands clasped
    behind it), and the face stays in front."""
    shoulder, elbow = body.arms[side][:2]
    return float(np.dot(elbow - shoulder, body.torso.down)) > 0


def _past_sleeve(patch: Patch, sleeve: Layer | None, bone: np.ndarray) -> Patch:
    """``patch`` (a bare upper arm's) where it lies past the ``sleeve``'s hem down the
    ``bone`` (shoulder, elbow); all of it without a sleeve."""
    if sleeve is None:
        return patch
    return Patch(patch.box, patch.alpha * past_hem(sleeve, bone, patch.box))


def beside(patch: Patch, sleeve: Layer, reach: float) -> Patch:
    """``patch`` (a forearm's) with nothing within ``reach`` pixels of ``sleeve``."""
    return Patch(patch.box, np.where(near(sleeve, patch.box, reach), np.float32(0), patch.alpha))


def blend_person(out, frame, body: Body, ready, config: FitConfig) -> None:
    """Blends one person's ready layers into ``out`` (``frame`` is the original), in place.

    ``out = alpha * shade * garment + (1 - alpha) * out`` per layer, in one pass of
    cv2.blendLinear, ``shade`` being the scene's lighting.
    """
    if not ready:
        return
    around = union([layer.box for layer in ready])
    x0, y0 = around[:2]
    shade = lighting(frame, around, body.torso, body.scale, config.shading)
    for layer in ready:
        bx0, by0, bx1, by1 = layer.box
        local_shade = shade[by0 - y0 : by1 - y0, bx0 - x0 : bx1 - x0]
        region = out[by0:by1, bx0:bx1]
        region[:] = cv2.blendLinear(layer.rgb, region, layer.alpha * local_shade, 1 - layer.alpha)
