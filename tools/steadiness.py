"""How still a garment's armholes hold on the webcam video, from one frame to the next.

    python -m tools.steadiness [--shared ../shared] [--garments T-shirt Breton]

Each frame of the webcam video goes through ``pipeline.infer``, as the engine runs it (the
tracker and its smoothing, the segmentation model beside the pose model, on the people as
last tracked), the pose model answering with the video's keypoints (its ground truth, as
tools.bench does), and each catalog garment named is dressed on the people found.
Per garment and armhole: the median, 90th percentile and largest move of the armhole's top
(pixels) from one frame to the next, with the silhouette and the widths measured on it held
steady by the tracker (``steady``) and taken from each frame alone (``each frame``); beside
them, the same of the tracked shoulder joint, the body's own movement.
"""

import argparse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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

from .bench import CAMERA_FPS, load_truth, load_video

CFG = FitConfig()
SHOULDERS = {"left": Keypoint.LEFT_SHOULDER, "right": Keypoint.RIGHT_SHOULDER}


class EachFrame(Tracker):
    """A tracker that leaves the silhouette, and the widths measured on it, as each frame
    gives them."""

    def steady_silhouette(self, silhouette):
        return silhouette

    def steady_flanks(self, person, flanks, t):
        return flanks


def armhole_tops(frames, truth, segmenter, rig: GarmentRig, steady: bool):
    """Per sleeve ("left"/"right"): the armhole's top (F, 2) and the tracked shoulder joint
    (F, 2) in each frame where the person wears the garment, through ``pipeline.infer``
    with the segmenter beside the pose model, as the engine runs it; the pose model answers
    with the frame's true keypoints (P, 17, 3)."""
    now = {}

    def detector(image):
        boxes = np.array([keypoints_box(kp, CFG.keypoint_score) for kp in now["truth"]])
        return boxes, np.ones(len(boxes))

    def pose(image, boxes):
        return now["truth"][:, :, :2].copy(), now["truth"][:, :, 2].copy()

    models = pipeline.Models(detector, pose, segmenter)
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
    args = parser.parse_args(argv)
    video = args.shared / "data" / "video" / "webcam_ntu_640x480.mp4"
    frames = load_video(video)
    truth = load_truth(video.with_name(video.stem + "_keypoints.json"))
    segmenter = PersonSegmenter(args.shared / "models" / "selfie-segmentation.onnx", "cpu")
    catalog = load_catalog()
    print("armhole top's move per frame, px: median p90 max   (the shoulder joint's)")
    for part in args.garments:
        garment = next((g for g in catalog if part.lower() in g.name.lower()), None)
        if garment is None:
            raise SystemExit(f"no catalog garment's name contains {part!r}")
        rig = GarmentRig(garment)
        for steady in (False, True):
            label = "steady" if steady else "each frame"
            for side, (tops, joints) in armhole_tops(frames, truth, segmenter, rig, steady).items():
                print(f"{garment.name[:28]:28} {label:10} {side:5}  {moves(tops)}"
                      f"   ({moves(joints)})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
