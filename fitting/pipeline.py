"""One frame through the fitting pipeline, stage by stage, in the order they run.

    detect -> pose -> track -> body -> warp -> occlusion      once per inference: infer()
    blend -> skeleton                                         every frame: compose()

The first half runs once per new pose (in the engine's background worker, or in the caller's
thread in sync mode) and leaves an :class:`Overlay`: the people found and the garment warped
onto them, ready to blend. The second half blends the newest overlay into every frame, so a
frame costs a blend, whatever inference costs. A still photo runs both at once
(:func:`fit_photo`). Each stage is a module of its own; this one only runs them in order.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .body import Body, fit_body
from .composite import ReadyLayer, blend_person, prepare_layers
from .config import FitConfig
from .drawing import draw_skeleton
from .keypoints import NUM_KEYPOINTS
from .rig import GarmentRig
from .stats import Stats
from .tracking import Tracker
from .warp import warp_garment

Detector = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]  # image -> boxes, scores
PoseModel = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]  # -> points, scores


@dataclass
class Models:
    """The networks, loaded once by the engine and shared by every session.

    ``detector(image)`` gives person boxes (N, 4) xyxy and scores (N,); ``pose(image, boxes)``
    gives keypoints (N, 17, 2) in image pixels and scores (N, 17).
    """

    detector: Detector
    pose: PoseModel


@dataclass(frozen=True)
class PersonFit:
    """One person's garment: their body, and its parts warped onto it, ready to blend."""

    body: Body
    layers: tuple[ReadyLayer, ...]


@dataclass(frozen=True)
class Overlay:
    """What an inference leaves for the frames until the next one."""

    people: np.ndarray  # (P, 17, 3) keypoints x, y, score, farthest person first
    fits: tuple[PersonFit, ...]  # the garment on each person who can wear it, drawing order
    rig: GarmentRig | None  # the garment it was made with,
    use_warp: bool  # whether it follows the body or is only scaled and turned with it,
    frame_shape: tuple[int, ...]  # and the frame size it was made for

    def made_for(self, rig: GarmentRig | None, use_warp: bool, frame_shape) -> bool:
        return (self.rig, self.use_warp, self.frame_shape) == (rig, use_warp, tuple(frame_shape))


NOBODY = Overlay(np.zeros((0, NUM_KEYPOINTS, 3), np.float32), (), None, True, ())


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


def infer(
    frame: np.ndarray,
    t: float,
    models: Models,
    tracker: Tracker,
    rig: GarmentRig | None,
    use_warp: bool,
    config: FitConfig,
    stats: Stats,
) -> Overlay:
    """Stages 1-6 for one frame of a video taken at time ``t`` (seconds): the tracker says
    where to look, the people found continue its tracks, and the garment is dressed on them."""
    people = estimate(frame, models, tracker.boxes_to_follow(), stats)
    with stats.time("smoothing"):
        tracker.update(people, t)
    return dress(tracker.people(), rig, use_warp, frame.shape, config, stats)


def dress(
    people: np.ndarray,
    rig: GarmentRig | None,
    use_warp: bool,
    frame_shape,
    config: FitConfig,
    stats: Stats | None = None,
) -> Overlay:
    """Stages 4-6: the garment on each of ``people`` (P, 17, 3) who can wear it.

    Body (where the garment goes), warp (its parts drawn there), occlusion (what is in front
    of it cut out, edges feathered). ``use_warp=False`` is the simple overlay: the garment
    only scaled and turned with the shoulders.
    """
    start = time.perf_counter()
    fits = []
    if rig is not None:
        for keypoints in people:
            body = fit_body(keypoints, config, follow_body=use_warp)
            if body is None:  # no shoulders: nothing to hang the garment on
                continue
            layers = warp_garment(rig, body, frame_shape, use_warp, config.sleeve_width)
            ready = prepare_layers(body, layers, rig.long_sleeves, config)
            fits.append(PersonFit(body, tuple(ready)))
    if fits and stats is not None:
        stats.add("warp", (time.perf_counter() - start) * 1e3)  # the three stages together
    return Overlay(people, tuple(fits), rig, use_warp, tuple(frame_shape))


def compose(
    frame: np.ndarray,
    overlay: Overlay,
    config: FitConfig,
    show_skeleton: bool = False,
    stats: Stats | None = None,
) -> np.ndarray:
    """Stages 7-8: a copy of ``frame`` with the overlay's garments blended in (farthest person
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
    rig: GarmentRig,
    config: FitConfig,
    keypoints: np.ndarray | None = None,
    show_skeleton: bool = False,
    use_warp: bool = True,
) -> np.ndarray:
    """Every stage at once for a still photo (no tracking, no smoothing); ``keypoints``
    (P, 17, 3) skip the models."""
    people = estimate(image, models) if keypoints is None else keypoints
    overlay = dress(people, rig, use_warp, image.shape, config)
    return compose(image, overlay, config, show_skeleton)
