"""How still a garment holds from one frame to the next: its armholes on the webcam video,
and the whole garment on someone standing still before a camera's noise.

    python -m tools.steadiness [--shared ../shared] [--garments T-shirt Breton]
                               [--still T-shirt] [--out out/steadiness.png]

**The armholes on the video.** Each frame of the webcam video goes through ``pipeline.infer``,
as the engine runs it (the tracker and its smoothing, the segmentation model beside the pose
model, on the people as last tracked), the pose model answering with the video's keypoints
(its ground truth, as tools.bench does), and each catalog garment named is dressed on the
people found. Per garment and armhole: the median, 90th percentile and largest move of the
armhole's top (pixels) from one frame to the next, with the silhouette and the widths measured
on it held steady by the tracker (``steady``) and taken from each frame alone (``each
frame``); beside them, the same of the tracked shoulder joint, the body's own movement.

**Someone standing still.** Each person photo (VITON-HD, FitDiT), at a webcam's scale (its
shoulder joints tools.composed.WEBCAM_SPANS[0] px apart), is filmed STILL_FRAMES times as by
a camera on a stand: fresh sensor noise and JPEG in every frame (NOISE), and the photo's
keypoints with a pose model's jitter (JITTER_PX). The ``--still`` garment is fitted on them
through ``pipeline.infer`` and ``pipeline.compose`` with the silhouette steadied from one
inference to the next (the engine's way), not steadied (``silhouette_smoothing`` 0; the
widths measured on it still held by the tracker), and without the segmentation model (the
keypoints alone). Flicker is, between two frames in a row, the share of the garment's pixels
whose colour changes by more than CHANGED levels where the camera's own frame did not: 0 is a
garment that holds still. Printed per person (the median over the frames after the first
WARM_UP) and in the mean; the contact sheet (``--out``) shows, for the people it flickers
most on, a fitted frame and where it flickered, not steadied | steadied, the brighter the
more often. About 2.5 minutes a garment on 2 cores.
"""

import argparse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from clothes import load_catalog
from fitting import pipeline
from fitting.config import FITS, FitConfig
from fitting.keypoints import Keypoint, keypoints_box
from fitting.rig import GarmentRig
from fitting.segment import PersonSegmenter
from fitting.stats import Stats
from fitting.tracking import Tracker
from fitting.warp import tailor
from tools import composed, conditions
from tools import evaluate as E

from .bench import CAMERA_FPS, load_truth, load_video

CFG = FitConfig()
SHOULDERS = {"left": Keypoint.LEFT_SHOULDER, "right": Keypoint.RIGHT_SHOULDER}
STILL_FRAMES, WARM_UP = 40, 10  # frames filmed; the first are the filters' start
NOISE = (3.0, 80)  # a camera's noise in each frame: sigma, then JPEG quality
JITTER_PX = 1.5  # a pose model's jitter on someone standing still (sigma, px, each keypoint)
WORN = 25  # a pixel the garment changes by more than this (any channel) is the garment's
CHANGED = 40  # a pixel whose colour changes by more than this between two frames changed
SHEET_ROWS = 6
STILL_FITS = ("steadied", "not steadied", "keypoints alone")


class EachFrame(Tracker):
    """A tracker that leaves the silhouette, and the widths measured on it, as each frame
    gives them."""

    def steady_silhouette(self, silhouette):
        return silhouette

    def steady_flanks(self, person, flanks, t):
        return flanks

    def steady_arm_widths(self, person, widths, scale, t):
        return widths


def truth_models(now: dict, segmenter) -> pipeline.Models:
    """Models whose detector and pose model answer with the keypoints ``now["truth"]``
    (P, 17, 3), set before each inference, and the ``segmenter``."""

    def detector(image):
        boxes = np.array([keypoints_box(kp, CFG.keypoint_score) for kp in now["truth"]])
        return boxes, np.ones(len(boxes))

    def pose(image, boxes):
        return now["truth"][:, :, :2].copy(), now["truth"][:, :, 2].copy()

    return pipeline.Models(detector, pose, segmenter)


def armhole_tops(frames, truth, segmenter, rig: GarmentRig, steady: bool):
    """Per sleeve ("left"/"right"): the armhole's top (F, 2) and the tracked shoulder joint
    (F, 2) in each frame where the person wears the garment, through ``pipeline.infer``
    with the segmenter beside the pose model, as the engine runs it; the pose model answers
    with the frame's true keypoints (P, 17, 3)."""
    now = {}
    models = truth_models(now, segmenter)
    dressing = pipeline.Dressing(rig, True, FITS["regular"])
    tracker = Tracker(CFG) if steady else EachFrame(CFG)
    tops = {side: [] for side in rig.sleeves}
    joints = {side: [] for side in rig.sleeves}
    with ThreadPoolExecutor(1) as beside:
        for i, (frame, keypoints) in enumerate(zip(frames, truth, strict=True)):
            now["truth"] = keypoints
            overlay = pipeline.infer(frame, i / CAMERA_FPS, models, tracker, dressing, CFG, Stats(),
                                     beside)  # fmt: skip
            if not overlay.fits:
                continue
            fit = overlay.fits[0]
            torso = fit.body.torso.tailored(tailor(fit.body, rig, dressing.ease))
            for side, sleeve in rig.sleeves.items():
                tops[side].append(torso.to_image(sleeve.armhole_uv)[0])
                joints[side].append(overlay.people[fit.person, SHOULDERS[side], :2])
    return {side: (np.array(tops[side]), np.array(joints[side])) for side in tops}


def film(image: np.ndarray, people: np.ndarray):
    """STILL_FRAMES frames of a camera on a stand before ``image`` and its ``people``
    (P, 17, 3): each frame with fresh noise, its keypoints with a pose model's jitter (the
    same noise and jitter for every photo)."""
    rng = np.random.default_rng(0)
    for i in range(STILL_FRAMES):
        frame = conditions.dim(1.0, *NOISE, seed=i)(image)
        jittered = people.copy()
        jittered[..., :2] += rng.normal(0, JITTER_PX, people[..., :2].shape)
        yield frame, jittered


def fitted_still(image, people, rig: GarmentRig, segmenter, config: FitConfig):
    """The frames filmed by :func:`film` and the same frames fitted, through a tracker."""
    now = {}
    models, tracker = truth_models(now, segmenter), Tracker(config)
    dressing = pipeline.Dressing(rig, True, FITS["regular"])
    frames, fitted = [], []
    for i, (frame, jittered) in enumerate(film(image, people)):
        now["truth"] = jittered
        overlay = pipeline.infer(frame, i / CAMERA_FPS, models, tracker, dressing, config,
                                 Stats())  # fmt: skip
        frames.append(frame)
        fitted.append(pipeline.compose(frame, overlay, config))
    return frames, fitted


def flicker(frames: list[np.ndarray], fitted: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """For each two frames in a row, the share of the garment's pixels (in either) whose
    colour changed where the camera's frame did not, (N - 1,); and how often each pixel
    did, (h, w)."""
    shares, often = [], np.zeros(frames[0].shape[:2], np.int32)
    for a, b, fitted_a, fitted_b in zip(frames, frames[1:], fitted, fitted[1:], strict=False):
        worn = (_apart(fitted_a, a) > WORN) | (_apart(fitted_b, b) > WORN)
        changed = (_apart(fitted_a, fitted_b) > CHANGED) & (_apart(a, b) <= CHANGED) & worn
        shares.append(changed.sum() / max(int(worn.sum()), 1))
        often += changed
    return np.array(shares), often


def _apart(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(h, w): how far two RGB images differ at each pixel, in its most different channel."""
    return np.abs(a.astype(np.int16) - b).max(axis=-1)


def still_flicker(shared: Path, garment, segmenter, out: Path) -> None:
    """Prints the flicker of ``garment`` on each person photo filmed still, and its mean;
    writes the contact sheet to ``out``."""
    rig = GarmentRig(garment)
    fits = {
        "steadied": (segmenter, CFG),
        "not steadied": (segmenter, replace(CFG, silhouette_smoothing=0.0)),
        "keypoints alone": (None, CFG),
    }
    photos = list(composed.at_scale(E.single_person_photos(shared), composed.WEBCAM_SPANS[0]))
    print(f"\nflicker of {garment.name} on {len(photos)} people standing still, median per "
          f"frame:\n{'person':34}" + "".join(f"{fit:>16}" for fit in STILL_FITS))  # fmt: skip
    table, rows = [], []
    for photo in photos:
        figures, often, last = [], {}, {}
        for fit in STILL_FITS:
            frames, fitted = fitted_still(photo.image, photo.people, rig, *fits[fit])
            shares, often[fit] = flicker(frames[WARM_UP:], fitted[WARM_UP:])
            figures.append(float(np.median(shares)))
            last[fit] = fitted[-1]
        table.append(figures)
        print(f"{photo.name:34}" + "".join(f"{f:16.4f}" for f in figures), flush=True)
        tiles = [last["steadied"], *(_heat(often[fit]) for fit in ("not steadied", "steadied"))]
        labels = (photo.name, "not steadied", "steadied")
        rows.append((figures[1], [E.thumbnail(tile, label)
                                  for tile, label in zip(tiles, labels, strict=True)]))  # fmt: skip
    print(f"{'mean':34}" + "".join(f"{f:16.4f}" for f in np.mean(table, axis=0)))
    worst = sorted(rows, key=lambda row: row[0], reverse=True)[:SHEET_ROWS]
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet = E.contact_sheet([tile for _, tiles in worst for tile in tiles], 3)
    cv2.imwrite(str(out), cv2.cvtColor(sheet, cv2.COLOR_RGB2BGR))
    print(f"contact sheet: {out}")


def _heat(often: np.ndarray) -> np.ndarray:
    """(h, w, 3) RGB: white where a pixel flickered in half the frames or more."""
    grey = np.clip(often * (2 * 255 / (STILL_FRAMES - WARM_UP)), 0, 255).astype(np.uint8)
    return np.dstack([grey] * 3)


def moves(points: np.ndarray) -> str:
    step = np.linalg.norm(np.diff(points, axis=0), axis=1)
    return f"{np.median(step):4.1f} {np.percentile(step, 90):5.1f} {step.max():5.1f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=Path(__file__).parents[2] / "shared")
    parser.add_argument("--garments", nargs="+", default=["T-shirt", "Breton"],
                        help="catalog garments, by a part of their names")  # fmt: skip
    parser.add_argument("--still", default="T-shirt", help="the garment worn standing still")
    parser.add_argument("--out", type=Path, default=Path("out/steadiness.png"))
    args = parser.parse_args(argv)
    video = args.shared / "data" / "video" / "webcam_ntu_640x480.mp4"
    frames = load_video(video)
    truth = load_truth(video.with_name(video.stem + "_keypoints.json"))
    segmenter = PersonSegmenter(args.shared / "models" / "selfie-segmentation.onnx", "cpu")
    catalog = load_catalog()
    print("armhole top's move per frame, px: median p90 max   (the shoulder joint's)")
    for part in args.garments:
        garment = named(catalog, part)
        rig = GarmentRig(garment)
        for steady in (False, True):
            label = "steady" if steady else "each frame"
            for side, (tops, joints) in armhole_tops(frames, truth, segmenter, rig, steady).items():
                print(f"{garment.name[:28]:28} {label:10} {side:5}  {moves(tops)}"
                      f"   ({moves(joints)})")  # fmt: skip
    still_flicker(args.shared, named(catalog, args.still), segmenter, args.out)
    return 0


def named(catalog, part: str):
    """The catalog garment whose name contains ``part``."""
    garment = next((g for g in catalog if part.lower() in g.name.lower()), None)
    if garment is None:
        raise SystemExit(f"no catalog garment's name contains {part!r}")
    return garment


if __name__ == "__main__":
    raise SystemExit(main())
