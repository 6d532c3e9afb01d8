"""The fit under the conditions a webcam brings and the shared photos lack.

    python -m tools.conditions [--shared ../shared] [--every 4] [--out out/conditions]

Each person photo (VITON-HD, FitDiT) is degraded as a webcam degrades a frame: dim with sensor
noise and JPEG, very dim, motion blur, a quarter of the resolution, warm light. Every
``--every``-th of evaluate's garments is fitted at the regular fit, with the photo's own
keypoints (this checks the segmentation stage and the fit, not the pose model). Each fit is
measured against the *clean* photo's mask, so a model that sees less of the person cannot
shrink its own zone. Per condition:

- own-torso coverage, its p10, and spill, as ``tools.evaluate`` defines them;
- sleeves: for garments with sleeves, the share of each seen upper arm's first third (from
  the shoulder: where even a short sleeve lies) that the garment covers, and in how many arms
  it covers less than half (a sleeve lost with an arm the model missed);
- light: the garment's mean colour, per channel (R G B), over what the condition's light
  makes of it (the fit on the clean photo, seen through the same condition). 1 is a garment
  lit as the wearer is; above 1, a garment that glows in a dim frame or keeps its studio
  white under coloured light.

It writes a contact sheet (keypoints alone | with the outline) per condition to ``--out``.
"""

import argparse
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from fitting import pipeline
from fitting.segment import PersonSegmenter
from tools import composed
from tools import evaluate as E
from tools import fit_measures as M

SLEEVE_SPAN = (0.1, 0.35)  # of the upper arm, from the shoulder: where even a short sleeve lies
OPAQUE = 0.99  # the garment's colour is compared where it is this opaque (not its soft edge)


def dim(gain: float, noise: float, quality: int, seed: int = 0):
    """A darker frame (x ``gain``) with sensor noise (sigma ``noise``), JPEG at ``quality``;
    the same noise for the same image, whatever was degraded before."""

    def degrade(image):
        rng = np.random.default_rng(seed)
        dark = image.astype(np.float32) * gain + rng.normal(0, noise, image.shape)
        _, jpeg = cv2.imencode(".jpg", np.clip(dark, 0, 255).astype(np.uint8),
                               [cv2.IMWRITE_JPEG_QUALITY, quality])  # fmt: skip
        return cv2.imdecode(jpeg, cv2.IMREAD_UNCHANGED)

    return degrade


def motion_blur(image, length: int = 15):
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1 / length
    return cv2.filter2D(image, -1, kernel)


def quarter_resolution(image):
    h, w = image.shape[:2]
    small = cv2.resize(image, (w // 4, h // 4), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def warm_light(image):
    warm = image.astype(np.float32) * np.array([1.15, 0.95, 0.7]) * 0.8
    return np.clip(warm, 0, 255).astype(np.uint8)


VERY_DIM = dim(0.15, 8, 50)
CONDITIONS = {
    "clean": lambda image: image,
    "dim (x0.3), noise, JPEG q55": dim(0.3, 6, 55),
    "very dim (x0.15), noise, JPEG q50": VERY_DIM,
    "motion blur, 15 px": motion_blur,
    "quarter resolution": quarter_resolution,
    "warm, dim light": warm_light,
}


def sleeves_kept(photos, rigs, segmenter) -> np.ndarray:
    """For each photo, sleeved garment and seen upper arm: the share of SLEEVE_SPAN of the
    upper arm the garment covers."""
    shares = []
    span = np.linspace(*SLEEVE_SPAN, 8)[:, None]
    for photo in photos:
        silhouette, _ = E.silhouettes(photo, segmenter)
        kp = photo.people[0]
        for rig in rigs:
            dressing = pipeline.Dressing(rig, True, M.EASE)
            overlay = pipeline.dress(
                photo.people, silhouette, dressing, photo.image.shape, M.CFG, frame=photo.image
            )
            if not overlay.fits:
                continue
            garment = M.opacity(overlay.fits[0], photo.image.shape) >= M.COVERED
            for shoulder, elbow, _ in M.ARMS:
                if M.seen(kp, shoulder, elbow):
                    xy = np.round(kp[shoulder, :2] + span * (kp[elbow, :2] - kp[shoulder, :2]))
                    shares.append(garment[xy[:, 1].astype(int), xy[:, 0].astype(int)].mean())
    return np.array(shares)


def garment_light(clean_photos, photos, rigs, segmenter, degrade) -> np.ndarray:
    """(fits, 3): for each photo and garment, the garment's mean colour per channel on the
    degraded photo over the clean photo's fit seen through ``degrade``, where both fits are
    opaque."""
    ratios = []
    for clean, photo in zip(clean_photos, photos, strict=True):
        overlays = []
        for p in (clean, photo):
            silhouette, _ = E.silhouettes(p, segmenter)
            overlays.append([
                pipeline.dress(p.people, silhouette, pipeline.Dressing(rig, True, M.EASE),
                               p.image.shape, M.CFG, frame=p.image)
                for rig in rigs
            ])  # fmt: skip
        for before, after in zip(*overlays, strict=True):
            if not (before.fits and after.fits):
                continue
            shape = photo.image.shape
            both = (M.opacity(before.fits[0], shape) > OPAQUE) & (
                M.opacity(after.fits[0], shape) > OPAQUE
            )
            mask = both.astype(np.uint8)
            truth = cv2.mean(degrade(pipeline.compose(clean.image, before, M.CFG)), mask)[:3]
            seen = cv2.mean(pipeline.compose(photo.image, after, M.CFG), mask)[:3]
            ratios.append(np.array(seen) / np.maximum(truth, 1.0))
    return np.array(ratios)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    shared_default = Path(__file__).resolve().parents[2] / "shared"
    parser.add_argument("--shared", type=Path, default=shared_default)
    parser.add_argument("--every", type=int, default=4, help="every n-th garment of evaluate's")
    parser.add_argument("--out", type=Path, default=Path("out/conditions"))
    args = parser.parse_args(argv)
    segmenter = PersonSegmenter(args.shared / "models" / "selfie-segmentation.onnx", "cpu")
    garment_list = E.garments(args.shared)[0][:: args.every]
    rigs = E.rigs_of(garment_list)
    sleeved = [rig for rig in rigs if rig.sleeves]
    base = E.single_person_photos(args.shared)
    clean = [composed.person_of(photo, segmenter, M.CFG) for photo in base]
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"{len(base)} photos, {len(rigs)} garments ({len(sleeved)} with sleeves)")
    print(f"{'condition':36} own torso    p10  spill  sleeves  lost  light R    G    B")
    clean_photos = [
        replace(photo, image=image, people=kp[None], outlines=[mask], others=[])
        for photo, (image, kp, mask) in zip(base, clean, strict=True)
    ]
    for i, (name, degrade) in enumerate(CONDITIONS.items()):
        photos = [
            replace(photo, name=f"{name}/{photo.name}", image=degrade(photo.image))
            for photo in clean_photos
        ]
        cases, sheet = E.fit_photos(photos, garment_list, segmenter)
        total = E.summary(cases)
        sleeves = sleeves_kept(photos, sleeved, segmenter)
        own, p10, spill = (
            total[k] for k in ("own_torso_coverage", "own_torso_coverage_p10", "spill")
        )
        lost = int((sleeves < 0.5).sum())
        light = garment_light(clean_photos, photos, rigs, segmenter, degrade).mean(axis=0)
        print(f"{name:36} {own:9.3f} {p10:6.3f} {spill:6.3f} {sleeves.mean():8.3f} "
              f"{lost:2d}/{len(sleeves)}  {' '.join(f'{c:4.2f}' for c in light)}",
              flush=True)  # fmt: skip
        path = args.out / f"{i}.png"
        cv2.imwrite(str(path), cv2.cvtColor(E.contact_sheet(sheet[:8], 4), cv2.COLOR_RGB2BGR))
    print(f"contact sheets: {args.out}/<condition number>.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
