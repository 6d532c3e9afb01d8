"""One frame's fit: every person's garment warped, composited, and the skeleton on top."""

import time

import numpy as np

from .body import fit_body
from .composite import composite_person
from .config import FitConfig
from .drawing import draw_skeleton
from .stats import Stats
from .warp import GarmentRig


def render(
    frame: np.ndarray,
    people: np.ndarray,
    rig: GarmentRig | None,
    config: FitConfig,
    show_skeleton: bool = False,
    use_warp: bool = True,
    stats: Stats | None = None,
    coverage: np.ndarray | None = None,
) -> np.ndarray:
    """A copy of ``frame`` with ``rig``'s garment on each of ``people`` (P, 17, 3).

    People are drawn in the given order (the tracker lists the farthest first, so nearer
    people cover them). Without a garment only the skeleton, if asked for, is drawn.
    ``use_warp=False`` is the simple overlay: the garment scaled and rotated by the shoulders.
    ``coverage``: an (H, W) float32 zero array to receive the garment's opacity per pixel.
    """
    out = frame.copy()
    warp_ms = composite_ms = 0.0
    if rig is not None:
        for keypoints in people:
            body = fit_body(keypoints, config, follow_body=use_warp)
            if body is None:
                continue
            t0 = time.perf_counter()
            layers = rig.layers(body, frame.shape, use_warp, config.sleeve_width)
            t1 = time.perf_counter()
            composite_person(
                out, frame, body, layers, rig.neck_center_uv, rig.long_sleeves, config, coverage
            )
            warp_ms += (t1 - t0) * 1e3
            composite_ms += (time.perf_counter() - t1) * 1e3
    if stats is not None and rig is not None and len(people):
        stats.add("warp", warp_ms)
        stats.add("composite", composite_ms)
    if show_skeleton:
        draw_skeleton(out, people, config.keypoint_score)
    return out
