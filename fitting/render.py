"""One frame's fit, in two stages: the warp (once per pose) and the blend (every frame).

    fits = fit_people(people, rig, config, frame.shape)    # depends on the poses only
    out = draw(frame, people, fits, config)                # every frame
    out = render(frame, people, rig, config)               # both at once

In async mode the poses change only when an inference finishes, so a session keeps the
fits and only blends them into the frames in between.
"""

from dataclasses import dataclass

from .body import Body, fit_body
from .composite import ReadyLayer, blend_person, prepare_layers
from .config import FitConfig
from .drawing import draw_skeleton
from .rig import GarmentRig
from .warp import warp_garment


@dataclass(frozen=True)
class Fit:
    """One person's garment, warped and ready to blend."""

    body: Body
    layers: list[ReadyLayer]


def fit_people(people, rig: GarmentRig | None, config: FitConfig, frame_shape, use_warp=True):
    """The fits of ``rig``'s garment on each of ``people`` (P, 17, 3) who can wear it.

    ``use_warp=False`` is the simple overlay: the garment scaled and rotated by the shoulders.
    """
    if rig is None:
        return []
    fits = []
    for keypoints in people:
        body = fit_body(keypoints, config, follow_body=use_warp)
        if body is None:
            continue
        layers = warp_garment(rig, body, frame_shape, use_warp, config.sleeve_width)
        ready = prepare_layers(body, layers, rig.long_sleeves, config)
        fits.append(Fit(body, ready))
    return fits


def draw(frame, people, fits: list[Fit], config: FitConfig, show_skeleton=False, coverage=None):
    """A copy of ``frame`` with the ``fits`` blended in (in order: the tracker lists the
    farthest first, so nearer people cover them) and the skeleton of ``people`` on top.
    ``coverage``: an (H, W) float32 zero array to receive the garment's opacity per pixel."""
    out = frame.copy()
    for fit in fits:
        blend_person(out, frame, fit.body, fit.layers, config, coverage)
    if show_skeleton:
        draw_skeleton(out, people, config.keypoint_score)
    return out


def render(frame, people, rig, config, show_skeleton=False, use_warp=True, coverage=None):
    """Both stages for one frame: :func:`fit_people`, then :func:`draw`."""
    fits = fit_people(people, rig, config, frame.shape, use_warp)
    return draw(frame, people, fits, config, show_skeleton, coverage)
