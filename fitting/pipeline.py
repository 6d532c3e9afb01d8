"""One frame through the fitting pipeline, stage by stage, in the order they run.

    detect -> pose -> track -> segment -> body -> warp -> occlusion     per inference: infer()
              (segment beside pose, while people are tracked; warp: bottoms, then the top)
    blend -> skeleton                                                  every frame: compose()

The first half runs once per new pose (in the engine's background worker, or in the caller's
thread in sync mode) and leaves an :class:`Overlay`: the people found and the garment warped
onto them, ready to blend. The second half blends the newest overlay into every frame, so a
frame costs a blend, whatever inference costs. A still photo runs both at once
(:func:`fit_photo`). Each stage is a module of its own; this one only runs them in order.
"""

import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace

import numpy as np

from .arm_outlines import ToldForearm
from .body import Body, fit_body
from .composite import ReadyLayer, blend_person, prepare_layers
from .config import FITS, FitConfig
from .drawing import draw_skeleton
from .geometry import bounds, union
from .keypoints import (
    NUM_KEYPOINTS,
    body_scale,
    keypoints_box,
    knees_below_frame,
    torso_corners,
)
from .legwear import BottomRig, warp_bottoms
from .light import scene_light
from .occluders import in_front
from .rig import GarmentRig
from .silhouette import Silhouette
from .stats import Stats
from .tracking import Tracker
from .warp import warp_garment

Detector = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]  # image -> boxes, scores
PoseModel = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]  # -> points, scores
# image, region -> the silhouette there (None: none this time; the fit follows the keypoints)
Segmenter = Callable[[np.ndarray, tuple[int, int, int, int]], Silhouette | None]


@dataclass
class Models:
    """The networks, loaded once by the engine and shared by every session.

    ``detector(image)`` gives person boxes (N, 4) xyxy and scores (N,); ``pose(image, boxes)``
    gives keypoints (N, 17, 2) in image pixels and scores (N, 17); ``segmenter(image,
    region)``, if any, the :class:`Silhouette` of the people in a region (x0, y0, x1, y1).
    """

    detector: Detector
    pose: PoseModel
    segmenter: Segmenter | None = None


@dataclass(frozen=True)
class Dressing:
    """What a person wears and how: the garment on the torso (a top or a dress) and the
    bottoms on the legs (either may be None), whether they follow the body (or the top is
    only scaled and turned with the shoulders, and bottoms are not drawn), and the fit's ease
    past the wearer's outline. The top is drawn over the bottoms' waistband (not tucked in)."""

    rig: GarmentRig | None
    follow_body: bool = True
    ease: float = FITS["regular"]
    bottom: BottomRig | None = None


@dataclass(frozen=True)
class PersonFit:
    """One person's garment: their body, and its parts warped onto it, ready to blend."""

    person: int  # which of the overlay's people wears it
    body: Body
    layers: tuple[ReadyLayer, ...]
    # side -> the forearms told from what they lie on, with their outlines
    forearms_told: dict[str, ToldForearm] = field(default_factory=dict)


@dataclass(frozen=True)
class Overlay:
    """What an inference leaves for the frames until the next one."""

    people: np.ndarray  # (P, 17, 3) keypoints x, y, score
    fits: tuple[PersonFit, ...]  # the garment on each person who can wear it, farthest first
    frame_shape: tuple[int, ...]  # the frame size it was made for
    outlined: bool = False  # whether a silhouette shaped it
    legs_unseen: bool = False  # bottoms were to be worn, but nobody's hips and knees were in view


NOBODY = Overlay(np.zeros((0, NUM_KEYPOINTS, 3), np.float32), (), ())


def estimate(frame: np.ndarray, models: Models, boxes=None, stats: Stats | None = None):
    """Stages 1-2: keypoints (P, 17, 3) of the people in ``frame``.

    The detector runs unless ``boxes`` (N, 4) says where to look already.
    """
    stats = stats or Stats()
    if boxes is None:
        with stats.time("detect"):
            boxes, _ = models.detector(frame)
    with stats.time("pose"):
        points, scores = models.pose(frame, boxes)
    return np.concatenate([points, scores[..., None]], axis=2)


def segment(
    frame: np.ndarray, people: np.ndarray, models: Models, config: FitConfig, stats=None
) -> Silhouette | None:
    """Stage 4: the silhouette of ``people`` (None without a segmenter or anyone to fit).

    Each person's region (see :func:`person_region`) is segmented on its own, so that a
    small, far person fills the model's input as a near one does; the regions' silhouettes
    are then merged (at each pixel, the likeliest person). On the COCO photos of
    ``tools.evaluate`` (up to five people, some small), the model found 91% of the annotated
    people's pixels this way, against 69% seeing them all in one region, and 11 of 12 people
    had an outline good enough to fit to, against 6.
    """
    if models.segmenter is None:
        return None
    regions = [person_region(kp, frame.shape, config) for kp in people]
    return segment_regions(frame, regions, models, stats)


def segment_regions(frame: np.ndarray, regions, models: Models, stats=None) -> Silhouette | None:
    """The silhouette of ``regions`` (x0, y0, x1, y1; None: none), each segmented on its own
    and merged (see :func:`segment`)."""
    with (stats or Stats()).time("segment"):
        parts = [s for r in regions if r and (s := models.segmenter(frame, r)) is not None]
    return Silhouette.merge(parts) if parts else None


def infer(
    frame: np.ndarray,
    t: float,
    models: Models,
    tracker: Tracker,
    dressing: Dressing,
    config: FitConfig,
    stats: Stats,
    beside: Executor | None = None,
) -> Overlay:
    """Stages 1-7 for one frame of a video taken at time ``t`` (seconds): the tracker says
    where to look, the people found continue its tracks, their silhouette is segmented, and
    the garment is dressed on them.

    When the tracker knows where everyone is, the segmenter does not wait for their new
    keypoints: it runs on ``beside``'s thread while the detector (every few inferences, for
    newcomers) and the pose model run, on the regions of the people as last tracked (each
    region's margin, a quarter of its size, covers what they move between two inferences).
    ONNX Runtime lets go of Python's lock, and the two models share the cores better at once
    than one after the other: on 2 cores, pose and segmenter took 8.3 ms together against
    10.5 ms in turn. Someone found outside those regions (a newcomer, a leap) is segmented
    afresh with everyone, once the keypoints are known.
    """
    boxes = tracker.boxes_to_follow()
    early, regions = None, []
    if tracker.following() and beside is not None and models.segmenter is not None:
        regions = [person_region(kp, frame.shape, config) for kp in tracker.people()]
        early = beside.submit(segment_regions, frame, regions, models, stats)
    people = estimate(frame, models, boxes, stats)
    with stats.time("smoothing"):
        tracker.update(people, t, frame.shape)
    people = tracker.people()
    silhouette = early.result() if early is not None else None
    if early is None or not all(_within(kp, regions, frame.shape, config) for kp in people):
        silhouette = segment(frame, people, models, config, stats)
    silhouette = tracker.steady_silhouette(silhouette)

    def steady(person: int, body: Body) -> Body:
        body = replace(body, forearms_told=tracker.forearms_told(person))
        if body.flanks is None:  # no outline to measure widths on
            return body
        flanks = tracker.steady_flanks(person, body.flanks, t)
        arms = tracker.steady_arm_widths(person, body.arm_widths, body.scale, t)
        return replace(body, flanks=flanks, arm_widths=arms)

    overlay = dress(people, silhouette, dressing, frame.shape, config, stats, frame, steady)
    for fit in overlay.fits:
        tracker.tell_forearms(fit.person, fit.forearms_told)
    return overlay


def dress(
    people: np.ndarray,
    silhouette: Silhouette | None,
    dressing: Dressing,
    frame_shape,
    config: FitConfig,
    stats: Stats | None = None,
    frame: np.ndarray | None = None,
    steady: Callable[[int, Body], Body] | None = None,
) -> Overlay:
    """Stages 5-7: the garment on each of ``people`` (P, 17, 3) who can wear it.

    Body (where the garment goes, and with the silhouette the person's own outline and real
    width), warp (its parts drawn there), occlusion (what is in front of it cut out: faces,
    forearms, nearer people; cut to the outline; edges feathered). People are dressed
    farthest first (see silhouette.py for who is in front). With the ``frame``'s pixels
    (occluders.py), a forearm in front of the garment keeps its own outline, not a capsule's,
    hair falling over it stays in front, and the inside of the garment's back fills the
    neckline, and its yoke the band above its shoulders, where the wearer's own top, not
    their neck, would show; and the garment takes the frame's light (light.py), whose
    white the frame's colours are compared against. In a video, ``steady(i, body)`` holds
    the widths measured on the ``i``-th person's outline (the torso's and the arms') steady
    from one inference to the next (see Tracker.steady_flanks), and gives the body the
    forearms told from what they lie on at the last one, with their outlines (each fit's
    ``forearms_told``).
    """
    start = time.perf_counter()
    order = np.argsort([body_scale(kp, config.keypoint_score) or 0.0 for kp in people],
                       kind="stable")  # fmt: skip
    outlines = silhouette.split(people, config.keypoint_score, frame) if silhouette else None
    bodies = {}
    for i in order:
        outline = outlines[i] if outlines else None
        body = fit_body(people[i], config, dressing.follow_body, outline, frame_shape)
        if body is None:  # no shoulders: nothing to hang the garment on
            continue
        if steady is not None:
            body = steady(int(i), body)
        bodies[int(i)] = body
    fits, legs_seen = [], False
    rig, bottom = dressing.rig, dressing.bottom if dressing.follow_body else None
    dressed = bodies if rig is not None or bottom is not None else {}
    light = scene_light(frame) if dressed and frame is not None else None
    exposed = light.expose(frame) if light is not None else None  # colours as in full light
    worn_light = light if config.match_light else None
    for i, body in dressed.items():
        faces = tuple(b.head for b in bodies.values() if b is not body and b.head is not None)
        layers = [] if bottom is None else warp_bottoms(bottom, body, frame_shape, dressing.ease)
        legs_seen |= bool(layers)
        if rig is not None:
            layers += warp_garment(
                rig, body, frame_shape, dressing.follow_body, config.sleeve_width, dressing.ease
            )
        long_sleeves = rig is not None and rig.long_sleeves
        seen = None
        if exposed is not None:
            seen = in_front(exposed, body, [layer.box for layer in layers if layer.inside])
        ready = prepare_layers(
            body, layers, long_sleeves, config, dressing.ease, faces, seen, worn_light
        )
        told = seen.forearms_told if seen is not None else {}
        fits.append(PersonFit(i, body, tuple(ready), told))
    if fits and stats is not None:
        stats.add("warp", (time.perf_counter() - start) * 1e3)  # the three stages together
    legs_unseen = bottom is not None and bool(bodies) and not legs_seen
    return Overlay(people, tuple(fits), tuple(frame_shape), silhouette is not None, legs_unseen)


def compose(
    frame: np.ndarray,
    overlay: Overlay,
    config: FitConfig,
    show_skeleton: bool = False,
    stats: Stats | None = None,
) -> np.ndarray:
    """Stages 8-9: a copy of ``frame`` with the overlay's garments blended in (farthest person
    first, so nearer people cover them) and, if asked, the skeleton on top.

    An overlay made for another frame size has nothing to draw on this one.
    """
    out = frame.copy()
    if overlay.frame_shape != frame.shape:
        return out
    if overlay.fits:
        with (stats or Stats()).time("composite"):
            for fit in overlay.fits:
                blend_person(out, frame, fit.body, fit.layers, config)
    if show_skeleton:
        draw_skeleton(out, overlay.people, config.keypoint_score)
    return out


def fit_photo(
    image: np.ndarray,
    models: Models,
    dressing: Dressing,
    config: FitConfig,
    keypoints: np.ndarray | None = None,
    show_skeleton: bool = False,
) -> np.ndarray:
    """Every stage at once for a still photo (no tracking, no smoothing); ``keypoints``
    (P, 17, 3) skip the pose models (the segmenter, if any, still runs)."""
    people = estimate(image, models) if keypoints is None else keypoints
    silhouette = segment(image, people, models, config)
    overlay = dress(people, silhouette, dressing, image.shape, config, frame=image)
    return compose(image, overlay, config, show_skeleton)


def _within(keypoints: np.ndarray, regions, frame_shape, config: FitConfig) -> bool:
    """Whether a person's seen keypoints (17, 3), in the frame, lie within one of the
    ``regions`` (x0, y0, x1, y1; None: no region)."""
    box = keypoints_box(keypoints, config.keypoint_score)
    if box is None:  # too few keypoints seen to segment them at all
        return True
    h, w = frame_shape[:2]
    x0, y0, x1, y1 = np.clip(box, 0, [w, h, w, h])
    return any(r is not None and r[0] <= x0 and r[1] <= y0 and x1 <= r[2] and y1 <= r[3]
               for r in regions)  # fmt: skip


def person_region(keypoints: np.ndarray, frame_shape, config: FitConfig):
    """The region (x0, y0, x1, y1) the segmenter looks at for one person (17, 3): the box
    around their seen keypoints and their torso (a webcam close up sees the shoulders only,
    and the garment, cut to the silhouette found, reaches down to where the hips would be),
    grown by ``segment_margin`` of its size on every side (the keypoints miss the top of the
    head, the hair, loose clothes), and on down to knees below the frame (a webcam that
    frames its user to mid-thigh: bottoms are drawn to the frame's edge there), clipped to
    the frame. None when too few keypoints are seen."""
    box = keypoints_box(keypoints, config.keypoint_score)
    if box is None:
        return None
    torso = torso_corners(keypoints, config.keypoint_score)
    if torso is not None:
        box = bounds(np.vstack([box.reshape(2, 2), torso]))
    x0, y0, x1, y1 = box
    margin = config.segment_margin * max(x1 - x0, y1 - y0)
    h, w = frame_shape[:2]
    region = (max(0, int(x0 - margin)), max(0, int(y0 - margin)),
              min(w, int(np.ceil(x1 + margin))), min(h, int(np.ceil(y1 + margin))))  # fmt: skip
    if knees := knees_below_frame(keypoints, config.keypoint_score, frame_shape):
        region = union([region, bounds(np.clip(knees, 0, (w, h)))])
    return region if region[2] - region[0] > 1 and region[3] - region[1] > 1 else None
