"""Fit quality on real photos and the webcam video, with keypoints given as ground truth.

    python -m tools.evaluate [--shared ../shared] [--out out/quality]

Every real garment photo of a top in ``shared/data/garments/tops_*`` (cut out by ``clothes``,
as an upload is) and every catalog garment is fitted onto every person of the person photos
(``persons/``: VITON-HD's frontal photos and FitDiT's full-body ones, pseudo ground-truth
keypoints) and onto the COCO people whose shoulders and hips are annotated. Each fit is the
app's: the person segmentation model (``models/selfie-segmentation.onnx``) shows it the
people's outlines, at the regular fit (before: the keypoints alone, for the contact sheet).

A person's *silhouette* is their human-annotated outline where the data has one (COCO's
``segmentation`` polygons: the visible body), else the segmentation model's mask, split
between people as the fit splits it (fitting/silhouette.py). For each person and garment:

- own-torso coverage: of the silhouette between the shoulder line and 60% of the way to the
  hip line, without both arms (capsules shoulder-elbow-wrist, radius 0.22 shoulder widths)
  and the head (a circle around the face keypoints), the share covered by the garment (at
  least half opaque). Over garments designed to cover a torso (a crop top or a bandeau
  leaves it bare on purpose: they are told apart by fitting each garment on a standard
  frontal body, see ``design_coverage``). Targets: mean >= 0.97, 10th percentile >= 0.90.
- spill: the share of the garment off the person's silhouette, not counting the sleeves'
  ease band (the silhouette grown by the fit's ease around the arms). Target: mean <= 0.03.
- cross-person spill: the share of one person's garment on the other people's annotated
  silhouettes (COCO). Target: mean <= 0.01.
- face pixels: the garment's pixels on anyone's face. Target: 0.
- the same two on two-person scenes composed from the person photos, a FitDiT person pasted
  behind a VITON-HD one with their chest just above her head (tools/composed.py): the
  garment of the person behind must not fall on the person in front. Targets as above.
- own-torso coverage and spill on close-ups of the same photos, framed as a webcam at a desk
  frames its user: cut halfway down the torso, the hips and the keypoints below unseen by the
  fit (tools/composed.py). Reported, and in summary.json.
- own-torso coverage, spill and shoulder caps on the same photos with a desk pasted over the
  lower torso, as a webcam on a monitor sees its seated user, the keypoints below its edge
  unseen by the fit (tools/composed.py): a garment on the desk is spill. Reported, and in
  summary.json.
- own-torso coverage, spill and shoulder caps on the same photos at a webcam's scale: scaled
  so that the person's shoulder joints lie 110 and 70 px apart, as a 640x480 webcam frame
  shows its user standing back (tools/composed.py); and cross-person spill on the
  two-person scenes scaled alike, by the person in front. Reported, and in summary.json.
- torso coverage as measured before the silhouette: the torso quadrilateral (shoulders to
  hips, shrunk 20% towards its centre) without forearms and face. Target: >= 0.95.
- seams: cracks inside the garment's outline where its parts, warped apart, fail to cover
  each other, per 1000 garment pixels (see ``fit_measures.seams``). Reported, and in
  summary.json.
- shoulder caps: of the silhouette round each shoulder joint, on its outer side (see
  ``fit_measures.shoulder_caps``), the share a garment with sleeves covers: the wearer's own
  sleeve shows there round a sleeve narrower than their shoulder. Reported, and in
  summary.json.

On the webcam video, in the frames where her forearm crosses her torso (she lifts a cup),
the share of the forearm left visible with short-sleeved and sleeveless garments (target:
>= 0.90), and how much of the capsule the keypoints alone would cut out around it (the
person's own top showing round the arm) the garment covers, once the forearm has its own
outline (fitting/arm_outlines.py; reported, no target). And smoothing, on the video's
keypoints, filtered with each preset as the engine filters them (through its tracker):
jitter (RMS of the frame-to-frame acceleration, px/frame^2) and the error on the fastest 10%
of moves and on the slowest half, against a centred 7-frame average.

It prints every case, the totals by person set and against the targets, writes
``summary.json`` and a contact sheet (before | after, side by side) to ``--out``.
"""

import argparse
import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import cv2
import numpy as np

from clothes import Category, Garment, GarmentError, load_catalog
from fitting import pipeline
from fitting.config import PRESETS
from fitting.geometry import segment_side
from fitting.keypoints import TORSO, Keypoint
from fitting.rig import GarmentRig
from fitting.segment import PersonSegmenter
from fitting.silhouette import crop
from fitting.tracking import Tracker
from tools import composed
from tools.fit_measures import (
    ARMS,
    CFG,
    COVERED,
    EASE,
    FOREARM_RADIUS,
    arm_capsules,
    face_circle,
    fill,
    forearms,
    half_shoulder,
    measure,
    opacity,
    scaled_quad,
    seams,
    seen,
    share,
    shoulder_caps,
    torso_zone,
)

K = Keypoint
LABEL_PX = 18  # the band over a contact sheet tile that names it
UPPER_ARM_REACH = 0.4  # x half shoulder width: an upper arm's outer side, for upper_arms_covered
LOWER_UPPER_ARM = 0.6  # ...beside its lower part, from this far down it to the elbow
MIN_ZONE_PX = 30  # a zone smaller than this is not measured
FULL_DESIGN = 0.9  # garments covering less of a standard torso leave it bare by design
TARGETS = {
    "own_torso_coverage": (">=", 0.97),
    "own_torso_coverage_p10": (">=", 0.90),
    "spill": ("<=", 0.03),
    "cross_person_spill": ("<=", 0.01),
    "face_pixels": ("<=", 0),
    "torso_coverage": (">=", 0.95),
    "forearm_visible": (">=", 0.90),
}
PERSON_SETS = ("vitonhd", "fitdit", "coco")
# What the report and summary.json give of the person photos at a webcam's scale, and at a desk
SCALE_FIGURES = ("own_torso_coverage", "own_torso_coverage_p10", "spill", "shoulder_caps")


@dataclass
class Case:
    person: str
    garment: str
    own_torso_coverage: float
    spill: float
    cross_person_spill: float  # NaN where nobody else is annotated
    face_pixels: int
    torso_coverage: float
    full_design: bool  # the garment covers the whole torso by design (not a crop top, say)
    arms_seen: bool = True  # both arms' joints are known, so the zone leaves them out
    seams: float = float("nan")  # per 1000 garment pixels, see fit_measures.seams
    shoulder_caps: float = float("nan")  # with sleeves: their share covered (fit_measures)


@dataclass
class Photo:
    name: str
    image: np.ndarray
    people: np.ndarray  # (P, 17, 3) the people to fit
    outlines: list[np.ndarray | None]  # each one's annotated outline (bool), or None
    others: list[np.ndarray]  # every annotated person's outline, the fitted ones included
    measured: np.ndarray | None = None  # (P, 17, 3) the keypoints the measures use, where the
    # fit is shown fewer (a close-up's hips are out of the frame); else ``people``


def load_rgb(path: Path) -> np.ndarray:
    bgr = cv2.imread(str(path))
    if bgr is None:
        raise FileNotFoundError(path)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def person_keypoints(shared: Path):
    """Each photo of the person sets, by its path under ``data/persons`` ("fitdit/3.png"),
    with its people's keypoints (P, 17, 3) as the shared data gives them."""
    data = shared / "data" / "persons"
    for table, folder in (("keypoints.json", ""), ("fitdit_keypoints.json", "fitdit/")):
        for name, entry in json.loads((data / table).read_text())["data"].items():
            yield folder + name, np.array([p["keypoints"] for p in entry["people"]], np.float32)


def photos(shared: Path):
    """Every person photo, as a :class:`Photo`: the person sets, then COCO."""
    for name, kp in person_keypoints(shared):
        image = load_rgb(shared / "data" / "persons" / name)
        yield Photo(name, image, kp, [None] * len(kp), [])
    coco = json.loads((shared / "data" / "coco_keypoints" / "test_coco.json").read_text())
    for image in coco["images"]:
        rgb = load_rgb(shared / "data" / "coco_keypoints" / image["file_name"])
        anns = [a for a in coco["annotations"] if a["image_id"] == image["id"]]
        outlines = [fill(rgb.shape, [np.reshape(p, (-1, 2)) for p in a["segmentation"]])
                    for a in anns]  # fmt: skip
        kp = np.array([a["keypoints"] for a in anns], np.float32).reshape(-1, 17, 3)
        kp[..., 2] = kp[..., 2] > 0  # COCO visibility 1 or 2: labelled
        torso = kp[:, list(TORSO), 2].min(axis=1) > 0  # shoulders and hips labelled
        if torso.any():
            fitted = [o for o, keep in zip(outlines, torso, strict=True) if keep]
            yield Photo(f"coco/{image['file_name']}", rgb, kp[torso], fitted, outlines)


def person_set(name: str) -> str:
    return (
        "coco" if name.startswith("coco") else "fitdit" if name.startswith("fitdit") else "vitonhd"
    )


def garments(shared: Path) -> tuple[list[Garment], list[str]]:
    """Every real garment photo of a top prepared by ``clothes``, plus the catalog's tops and
    dress; and the refused."""
    prepared, refused = [], []
    for photo in sorted((shared / "data" / "garments").glob("tops_*/*.jpg")):
        name = f"{photo.parent.name}/{photo.stem}"
        try:
            prepared.append(Garment.from_image(photo, name=name))
        except GarmentError as error:
            refused.append(f"{name}: {error}")
    return prepared + [g for g in load_catalog() if not g.category.is_bottom], refused


def silhouettes(photo: Photo, segmenter) -> tuple[pipeline.Silhouette | None, list[np.ndarray]]:
    """The segmenter's silhouette of a photo's people, and each fitted person's silhouette for
    measuring: the annotated outline where there is one, else the model's own."""
    silhouette = pipeline.segment(
        photo.image, photo.people, pipeline.Models(None, None, segmenter), CFG
    )
    split = silhouette.split(photo.people, CFG.keypoint_score)
    h, w = photo.image.shape[:2]
    masks = []
    for outline, annotated in zip(split, photo.outlines, strict=True):
        if annotated is not None:
            masks.append(annotated)
            continue
        masks.append(crop(outline.own, outline.box, (0, 0, w, h)))
    return silhouette, masks


def evaluate_photos(shared: Path, garment_list, segmenter, outline: bool = True):
    """Every garment on every photo; ``outline=False`` fits by the keypoints alone (the
    silhouettes still measure)."""
    return fit_photos(photos(shared), garment_list, segmenter, outline)


def evaluate_composed(shared: Path, garment_list, segmenter, outline: bool = True):
    """Every garment on the two-person scenes composed from the person photos (see
    tools/composed.py)."""
    scenes = composed.scenes(single_person_photos(shared), segmenter, CFG)
    return fit_photos(scenes, garment_list, segmenter, outline)


def evaluate_close_ups(shared: Path, garment_list, segmenter, outline: bool = True):
    """Every garment on the person photos framed as webcam close-ups (see tools/composed.py)."""
    close_ups = composed.close_ups(single_person_photos(shared), segmenter, CFG)
    return fit_photos(close_ups, garment_list, segmenter, outline)


def evaluate_desks(shared: Path, garment_list, segmenter, outline: bool = True):
    """Every garment on the person photos seated behind a desk (see tools/composed.py)."""
    desks = composed.at_a_desk(single_person_photos(shared), segmenter, CFG)
    return fit_photos(desks, garment_list, segmenter, outline)


def evaluate_webcam_scale(shared: Path, garment_list, segmenter, outline: bool = True):
    """Every garment on the person photos and on the two-person scenes, scaled to each of
    composed.WEBCAM_SPANS (pixels between the shoulder joints of the person in front):
    {span: (the photos' cases, the scenes')}."""
    photo_list = single_person_photos(shared)
    groups = (photo_list, list(composed.scenes(photo_list, segmenter, CFG)))
    return {span: tuple(fit_photos(list(composed.at_scale(group, span)), garment_list,
                                   segmenter, outline)[0] for group in groups)
            for span in composed.WEBCAM_SPANS}  # fmt: skip


def single_person_photos(shared: Path) -> list[Photo]:
    """The person sets' photos (VITON-HD, FitDiT), each of one person: COCO's left out."""
    return [photo for photo in photos(shared) if not photo.name.startswith("coco/")]


def fit_photos(photo_list, garment_list, segmenter, outline: bool = True):
    """Every garment on every photo of ``photo_list``, measured: the cases, and contact
    sheet tiles."""
    rigs = rigs_of(garment_list)
    full = [design_coverage(rig) >= FULL_DESIGN for rig in rigs]
    jobs = [(i, photo, *silhouettes(photo, segmenter)) for i, photo in enumerate(photo_list)]
    done = share_out(_fit_photo, jobs, rigs=rigs, full=full, outline=outline)
    return [c for cases, _ in done for c in cases], [t for _, sheet in done for t in sheet]


def _fit_photo(job, rigs: list[GarmentRig], full: list[bool], outline: bool):
    """Every garment on the ``i``-th photo (see fit_photos): its cases and sheet tiles."""
    i, photo, silhouette, masks = job
    cases, sheet = [], []
    truth = photo.people if photo.measured is None else photo.measured
    faces = [c for kp in truth if (c := face_circle(kp))]
    shaped = silhouette if outline else None
    for j, rig in enumerate(rigs):
        dressing = pipeline.Dressing(rig, True, EASE)
        overlay = pipeline.dress(
            photo.people, shaped, dressing, photo.image.shape, CFG, frame=photo.image
        )
        for fit in overlay.fits:
            k = fit.person
            alpha = opacity(fit, photo.image.shape)
            garment = alpha >= COVERED
            others = [o for o in photo.others if o is not photo.outlines[k]]
            figures = measure(truth[k], masks[k], garment, others, faces)
            person = f"{photo.name}#{k}" if len(photo.people) > 1 else photo.name
            arms = seen(truth[k], *(joint for arm in ARMS for joint in arm))
            gaps = seams(alpha, truth[k], faces, others)
            caps = shoulder_caps(truth[k], masks[k]) if rig.sleeves else None
            measured = caps is not None and caps.sum() >= MIN_ZONE_PX
            capped = share(garment & caps, caps) if measured else float("nan")
            cases.append(Case(person, rig.name, *figures, full[j], arms, gaps, capped))
        if j % len(rigs) == i % len(rigs):  # a sample for the sheet: before | after
            before = pipeline.dress(
                photo.people, None, dressing, photo.image.shape, CFG, frame=photo.image
            )
            pair = [pipeline.compose(photo.image, o, CFG) for o in (before, overlay)]
            sheet.append(thumbnail(np.hstack(pair), f"{photo.name} / {rig.name}", (480, 320)))
    return cases, sheet


def evaluate_forearm(shared: Path, garment_list, segmenter, outline: bool = True):
    """On the video's frames where a forearm crosses the torso: the mean share of the forearm
    left visible, the mean share of the garment's capsule around it (the capsule the keypoints
    alone cut out, CFG.forearm_radius wide, without the forearm, on the torso) that the garment
    covers, and the frame count."""
    video = shared / "data" / "video"
    frames = json.loads((video / "webcam_ntu_640x480_keypoints.json").read_text())["data"]["frames"]
    worn = [g for g in garment_list
            if Category(g.category) in (Category.SHORT_SLEEVE, Category.SLEEVELESS)]  # fmt: skip
    models = pipeline.Models(None, None, segmenter)
    cap = cv2.VideoCapture(str(video / "webcam_ntu_640x480.mp4"))
    jobs = []
    for index, entry in enumerate(frames):
        ok, bgr = cap.read()
        if not ok:
            break
        kp = np.array([p["keypoints"] for p in entry["people"]], np.float32)[:1]
        arms = forearms(kp[0], FOREARM_RADIUS)
        torso = fill(bgr.shape, [scaled_quad(kp[0], 1.0)])
        crossing = [a for a in arms if (fill(bgr.shape, capsules=[a]) & torso).sum()
                    > 0.5 * fill(bgr.shape, capsules=[a]).sum()]  # fmt: skip
        if not crossing:
            continue
        image = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        forearm = fill(bgr.shape, capsules=crossing)
        hsw = half_shoulder(kp[0])
        capsules = [(e, w, CFG.forearm_radius * hsw) for e, w, _ in crossing]
        around = fill(bgr.shape, capsules=capsules) & ~forearm & torso
        silhouette = pipeline.segment(image, kp, models, CFG) if outline else None
        jobs.append((index, image, kp, silhouette, forearm, around))
    done = share_out(_fit_frame, jobs, rigs=rigs_of(worn), outline=outline)
    shares = [x for frame_shares, _, _ in done for x in frame_shares]
    filled = [x for _, frame_filled, _ in done for x in frame_filled]
    sheet = [t for _, _, tiles in done for t in tiles]
    if not shares:
        return float("nan"), float("nan"), 0, sheet
    return float(np.mean(shares)), float(np.nanmean(filled)), len(jobs), sheet


def _fit_frame(job, rigs: list[GarmentRig], outline: bool):
    """Every garment on a video frame (see evaluate_forearm): the forearm's visible share and
    the share of the capsule around it covered, for each, and sheet tiles."""
    index, image, kp, silhouette, forearm, around = job
    shares, filled, sheet = [], [], []
    frame = image if outline else None
    for j, rig in enumerate(rigs):
        overlay = pipeline.dress(
            kp, silhouette, pipeline.Dressing(rig, True, EASE), image.shape, CFG, frame=frame
        )
        covered = np.zeros(image.shape[:2], bool)
        for fit in overlay.fits:
            covered |= opacity(fit, image.shape) >= COVERED
        shares.append(float(1 - covered[forearm].mean()))
        filled.append(float(covered[around].mean()) if around.any() else float("nan"))
        if index % 25 == 0 and j == 0:
            out = pipeline.compose(image, overlay, CFG)
            sheet.append(thumbnail(out, f"video frame {index} / {rig.name}", (480, 320)))
    return shares, filled, sheet


_prepared: dict[str, GarmentRig] = {}  # garment key -> its rig, built once per process


def rigs_of(garment_list) -> list[GarmentRig]:
    """The garments' rigs (a rig takes a quarter of a second to build: each is built once)."""
    for g in garment_list:
        if g.key not in _prepared:
            _prepared[g.key] = GarmentRig(g)
    return [_prepared[g.key] for g in garment_list]


MAX_WORKERS = 8  # each holds what it is given: with the 36 shared garments' rigs, 340-380 MB


def share_out(work, jobs: list, **given) -> list:
    """``work(job, **given)`` for every job, in order, shared out between processes, one per
    core (up to MAX_WORKERS), each sent ``given`` (the rigs, say) once. The fits are numpy and
    OpenCV on one core at a time: on this project's 2-core machine two processes evaluate in
    0.56 of the time one takes."""
    workers = min(os.cpu_count() or 1, len(jobs), MAX_WORKERS)
    if workers <= 1:
        return [work(job, **given) for job in jobs]
    spawn = multiprocessing.get_context("spawn")  # a fork would not carry ONNX Runtime's threads
    with ProcessPoolExecutor(workers, spawn, _start_worker, (given,)) as pool:
        return list(pool.map(partial(_with_given, work), jobs))


_given = {}  # in a worker process: what share_out sent it


def _start_worker(given: dict) -> None:
    cv2.setNumThreads(1)  # a process per core already
    _given.update(given)


def _with_given(work, job):
    return work(job, **_given)


SMOOTHED = list(range(K.LEFT_HIP + 1))  # face, arms, shoulders and hips
REFERENCE_WINDOW = 7  # frames in the centred average that stands in for the true motion


def upper_arms_covered(photos, rigs, segmenter, outline: bool = True) -> np.ndarray:
    """For each photo, garment and upper arm hanging down (its elbow below its shoulder): the
    share of the arm's outer side that the garment covers, beside the upper arm's lower part
    (from LOWER_UPPER_ARM of the way down to the elbow), out to UPPER_ARM_REACH half shoulder
    widths, on the person. A sleeveless garment should leave it bare; a short sleeve seldom
    reaches it."""
    shares = []
    for photo in photos:
        silhouette, masks = silhouettes(photo, segmenter)
        kp, on_person = photo.people[0], masks[0]
        h, w = on_person.shape
        pixels = np.stack(np.mgrid[0:h, 0:w][::-1], axis=-1).reshape(-1, 2).astype(np.float32)
        middle = kp[[K.LEFT_SHOULDER, K.RIGHT_SHOULDER], :2].mean(axis=0)
        zones = []
        for shoulder, elbow, _ in ARMS:
            a, b = kp[shoulder, :2], kp[elbow, :2]
            if not seen(kp, shoulder, elbow) or b[1] - a[1] < 0.5 * np.linalg.norm(b - a):
                continue
            outwards = np.tile([np.sign(a[0] - middle[0]), 0.0], (len(pixels), 1))
            lower = a + LOWER_UPPER_ARM * (b - a)
            distance, outer = segment_side(pixels, lower, b, outwards)
            near = distance < UPPER_ARM_REACH * half_shoulder(kp)
            zone = (outer & near).reshape(h, w) & on_person
            if zone.sum() >= MIN_ZONE_PX:
                zones.append(zone)
        for rig in rigs if zones else ():
            dressing = pipeline.Dressing(rig, True, EASE)
            fitted_to = silhouette if outline else None
            overlay = pipeline.dress(
                photo.people, fitted_to, dressing, photo.image.shape, CFG, frame=photo.image
            )
            if overlay.fits:
                garment = opacity(overlay.fits[0], photo.image.shape) >= COVERED
                shares += [share(garment & zone, zone) for zone in zones]
    return np.array(shares)


def evaluate_smoothing(shared: Path) -> dict[str, tuple[float, float, float]]:
    """(jitter, fast-move error, still error) per preset and unfiltered, on the video."""
    video = shared / "data" / "video" / "webcam_ntu_640x480_keypoints.json"
    data = json.loads(video.read_text())["data"]
    kp = np.array([f["people"][0]["keypoints"] for f in data["frames"]], np.float64)
    xy, valid = kp[:, SMOOTHED, :2], kp[:, SMOOTHED, 2] >= CFG.keypoint_score
    pad = REFERENCE_WINDOW // 2
    padded = np.pad(xy, ((pad, pad), (0, 0), (0, 0)), mode="edge")
    reference = np.mean([padded[i : i + len(xy)] for i in range(REFERENCE_WINDOW)], axis=0)
    speed = np.linalg.norm(np.diff(reference, axis=0), axis=2)
    both = valid[1:] & valid[:-1]
    fast, still = (
        both & (speed > np.percentile(speed, 90)),
        both & (speed < np.percentile(speed, 50)),
    )

    def figures(track):
        acc = np.linalg.norm(np.diff(track, 2, axis=0), axis=2)[
            valid[2:] & valid[1:-1] & valid[:-2]
        ]
        err = np.linalg.norm(track - reference, axis=2)[1:]
        return float(np.sqrt(np.mean(acc**2))), float(err[fast].mean()), float(err[still].mean())

    results = {"unfiltered": figures(xy)}
    width, height = data["size"]
    frame_shape = (height, width, 3)
    for name, cfg in PRESETS.items():  # through the tracker, as the engine smooths them
        tracker, track = Tracker(cfg), []
        for i, person in enumerate(kp):
            tracker.update(person[None].astype(np.float32), i / data["fps"], frame_shape)
            track.append(tracker.people()[0, SMOOTHED, :2])
        results[name] = figures(np.array(track, np.float64))
    return results


def thumbnail(image: np.ndarray, label: str, size=(240, 320)) -> np.ndarray:
    """``image`` fitted into ``size`` (w, h), under its ``label``."""
    h, w = image.shape[:2]
    k = min(size[0] / w, size[1] / h)
    small = cv2.resize(image, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA)
    tile = np.full((LABEL_PX + small.shape[0], size[0], 3), 255, np.uint8)
    tile[LABEL_PX:, : small.shape[1]] = small
    cv2.putText(tile, label[:70], (3, LABEL_PX - 5), cv2.FONT_HERSHEY_SIMPLEX, 0.35, (0, 0, 0),
                1, cv2.LINE_AA)  # fmt: skip
    return tile


def contact_sheet(tiles: list[np.ndarray], columns: int = 4) -> np.ndarray:
    """``tiles`` in rows of ``columns``, each row as tall as its tallest tile."""
    rows = []
    for i in range(0, len(tiles), columns):
        row = tiles[i : i + columns]
        height, width = max(t.shape[0] for t in row), row[0].shape[1]
        row += [np.full((0, width, 3), 255, np.uint8)] * (columns - len(row))
        rows.append(np.hstack([np.pad(t, ((0, height - t.shape[0]), (0, 0), (0, 0)),
                                      constant_values=255) for t in row]))  # fmt: skip
    return np.vstack(rows)


def summary(cases: list[Case]) -> dict[str, float]:
    """The targets' figures. Coverage counts only garments designed to cover the torso."""
    full = [c for c in cases if c.full_design]
    own = np.array([c.own_torso_coverage for c in full])
    known = own[np.array([c.arms_seen for c in full], bool)] if full else own
    own, known = own[np.isfinite(own)], known[np.isfinite(known)]
    cross = [c.cross_person_spill for c in cases if np.isfinite(c.cross_person_spill)]
    caps = np.array([c.shoulder_caps for c in cases if np.isfinite(c.shoulder_caps)])
    return {
        "own_torso_coverage": float(own.mean()) if len(own) else float("nan"),
        "own_torso_coverage_p10": float(np.percentile(own, 10)) if len(own) else float("nan"),
        "own_torso_coverage_arms_seen": float(known.mean()) if len(known) else float("nan"),
        "own_torso_coverage_arms_seen_p10": (
            float(np.percentile(known, 10)) if len(known) else float("nan")
        ),
        "spill": float(np.mean([c.spill for c in cases])),
        "cross_person_spill": float(np.mean(cross)) if cross else float("nan"),
        "face_pixels": int(sum(c.face_pixels for c in cases)),
        "torso_coverage": float(np.nanmean([c.torso_coverage for c in full])),
        "seams": float(np.nanmean([c.seams for c in cases])),
        "shoulder_caps": float(caps.mean()) if len(caps) else float("nan"),
        "shoulder_caps_p10": float(np.percentile(caps, 10)) if len(caps) else float("nan"),
    }


def standard_person() -> np.ndarray:
    """Keypoints of a frontal person with the average proportions of the shared photos."""
    kp = np.zeros((17, 3), np.float32)
    kp[:, 2] = 1.0
    kp[[K.NOSE, K.LEFT_EYE, K.RIGHT_EYE, K.LEFT_EAR, K.RIGHT_EAR], :2] = [
        (320, 60), (335, 45), (305, 45), (355, 55), (285, 55)]  # fmt: skip
    kp[[K.LEFT_SHOULDER, K.RIGHT_SHOULDER], :2] = [(420, 160), (220, 160)]
    kp[[K.LEFT_HIP, K.RIGHT_HIP], :2] = [(381, 440), (259, 440)]  # 2.8 half-widths down
    kp[[K.LEFT_ELBOW, K.RIGHT_ELBOW], :2] = [(440, 320), (200, 320)]
    kp[[K.LEFT_WRIST, K.RIGHT_WRIST], :2] = [(450, 460), (190, 460)]
    kp[K.LEFT_KNEE :, 2] = 0.0
    return kp


def standard_silhouette(kp: np.ndarray, shape) -> np.ndarray:
    """A standard person's outline: the torso a little wider than the shoulder and hip joints,
    the arms, the neck and the head."""
    hw = half_shoulder(kp)
    widen = np.array([[1.12], [1.12], [1.25], [1.25]])  # shoulders and hips, out from the middle
    quad = kp[list(TORSO), :2]
    middle = quad[:2].mean(axis=0) * 0.5 + quad[2:].mean(axis=0) * 0.5
    torso = middle + (quad - middle) * widen
    face = face_circle(kp)
    neck = (face[0], (kp[K.LEFT_SHOULDER, :2] + kp[K.RIGHT_SHOULDER, :2]) / 2, 0.35 * hw)
    limbs = arm_capsules(kp, 0.3 * hw) + [neck, (face[0], face[0], 0.6 * hw)]
    return fill(shape, [torso], limbs)


def design_coverage(rig: GarmentRig) -> float:
    """How much of a standard person's own-torso zone the garment covers, fitted to a standard
    outline: below FULL_DESIGN it is a crop top, a tank top, a deep V... that leaves part of
    the torso bare on purpose."""
    kp = standard_person()
    shape = (600, 640, 3)
    outline = standard_silhouette(kp, shape)
    silhouette = pipeline.Silhouette((0, 0, shape[1], shape[0]), outline.astype(np.uint8) * 255)
    overlay = pipeline.dress(kp[None], silhouette, pipeline.Dressing(rig), shape, CFG)
    garment = opacity(overlay.fits[0], shape) >= COVERED
    zone = torso_zone(kp, outline)
    return share(garment & zone, zone)


def met(value: float, target: tuple[str, float]) -> str:
    sign, limit = target
    return "met" if (value >= limit if sign == ">=" else value <= limit) else "MISSED"


@dataclass
class Evaluation:
    """Everything one run measures (see the module's docstring)."""

    garments: list[Garment]
    refused: list[str]  # "name: why", the shared photos clothes would not prepare
    cases: list[Case]  # every garment on every photo
    forearm: tuple[float, float, int]  # visible, covered round it, over this many frames
    sleeveless: int  # garments without sleeves...
    sleeveless_upper_arms: np.ndarray  # ...and the share they cover, per hanging upper arm
    composed: list[Case]  # on the two-person scenes
    close_ups: list[Case]
    desks: list[Case]  # the person photos behind a desk
    # The person photos and the scenes scaled: {shoulder span px: (photos' cases, scenes')}
    webcam_scale: dict[int, tuple[list[Case], list[Case]]]
    smoothing: dict[str, tuple[float, float, float]]
    tiles: list[np.ndarray]  # the contact sheet's
    outline: bool  # fitted with the segmentation model's outline (else the keypoints alone)


def run(shared: Path, segmenter, outline: bool = True) -> Evaluation:
    """Every measure, on every shared photo, scene, close-up and the video."""
    garment_list, refused = garments(shared)
    cases, sheet = evaluate_photos(shared, garment_list, segmenter, outline)
    *forearm, video_sheet = evaluate_forearm(shared, garment_list, segmenter, outline)
    sleeveless = [rig for rig in rigs_of(garment_list) if not rig.sleeves]
    bare = upper_arms_covered(single_person_photos(shared), sleeveless, segmenter, outline)
    two, two_sheet = evaluate_composed(shared, garment_list, segmenter, outline)
    close, close_sheet = evaluate_close_ups(shared, garment_list, segmenter, outline)
    desks, desk_sheet = evaluate_desks(shared, garment_list, segmenter, outline)
    scaled = evaluate_webcam_scale(shared, garment_list, segmenter, outline)
    tiles = sheet + two_sheet + close_sheet + desk_sheet + video_sheet
    return Evaluation(
        garment_list, refused, cases, tuple(forearm), len(sleeveless), bare, two, close, desks,
        scaled, evaluate_smoothing(shared), tiles, outline,
    )  # fmt: skip


def totals(ev: Evaluation) -> dict[str, float]:
    """The figures of summary.json: the targets' and those reported beside them."""
    visible, around, _ = ev.forearm
    total = summary(ev.cases) | {"forearm_visible": visible, "around_forearm_covered": around}
    total["sleeveless_upper_arm_covered"] = float(ev.sleeveless_upper_arms.mean())
    pair = summary(ev.composed)
    total |= {f"composed_{key}": pair[key] for key in ("cross_person_spill", "face_pixels")}
    close = summary(ev.close_ups)
    total |= {f"close_up_{key}": close[key] for key in ("own_torso_coverage", "spill")}
    desk = summary(ev.desks)
    total |= {f"desk_{key}": desk[key] for key in SCALE_FIGURES}
    for span, (cases, scenes) in ev.webcam_scale.items():
        part = summary(cases)
        total |= {f"at_{span}px_{key}": part[key] for key in SCALE_FIGURES}
        total[f"at_{span}px_composed_cross_person_spill"] = summary(scenes)["cross_person_spill"]
    return total


def report(ev: Evaluation) -> str:
    """What ``python -m tools.evaluate`` prints: every case, then the figures."""
    lines = [f"refused by clothes: {line}" for line in ev.refused]
    lines.append(f"{'person':34} {'garment':24} own torso  spill  cross  face px  torso   caps"
                 "  design")  # fmt: skip
    for c in ev.cases:
        design = "full" if c.full_design else "partial"
        lines.append(f"{c.person:34} {c.garment[:24]:24} {c.own_torso_coverage:9.3f} "
                     f"{c.spill:6.3f} {c.cross_person_spill:6.3f} {c.face_pixels:8d} "
                     f"{c.torso_coverage:6.3f} {c.shoulder_caps:6.3f}  {design}")  # fmt: skip
    total = totals(ev)
    by_set = {name: summary([c for c in ev.cases if person_set(c.person) == name])
              for name in PERSON_SETS}  # fmt: skip
    fit = f"the regular fit (ease {EASE} half shoulder widths)"
    fit = fit if ev.outline else "the keypoints alone"
    lines.append(f"\n{len(ev.cases)} fits of {len(ev.garments)} garments; forearm over "
                 f"{ev.forearm[2]} video frames; {fit}")  # fmt: skip
    partial = sorted({c.garment for c in ev.cases if not c.full_design})
    lines.append(f"coverage is over garments that cover a torso by design; partial designs: "
                 f"{partial}")  # fmt: skip
    lines.append(f"around the forearm, the garment covers {total['around_forearm_covered']:.3f} "
                 "of the capsule the keypoints alone cut out (the forearm's own outline lets it "
                 "fill in)")  # fmt: skip
    lines.append(f"seams: {total['seams']:.3f} per 1000 garment pixels are cracks inside its "
                 "outline (parts warped apart that fail to cover each other)")  # fmt: skip
    capped = sum(np.isfinite(c.shoulder_caps) for c in ev.cases)
    sets = ", ".join(f"{name} {part['shoulder_caps']:.3f}" for name, part in by_set.items())
    lines.append(f"shoulder caps: garments with sleeves cover {total['shoulder_caps']:.3f} (p10 "
                 f"{total['shoulder_caps_p10']:.3f}) of the wearer's outline round each "
                 f"shoulder joint, on its outer side ({capped} fits; {sets})")  # fmt: skip
    bare = ev.sleeveless_upper_arms
    lines.append(f"sleeveless garments ({ev.sleeveless}) cover {bare.mean():.3f} of the outer "
                 f"side of hanging upper arms ({len(bare)} fits of an arm; it should stay "
                 "bare)")  # fmt: skip
    for key, (sign, limit) in TARGETS.items():
        verdict = met(total[key], (sign, limit))
        lines.append(f"{key:24} {total[key]:8.3f}   target {sign} {limit}: {verdict}")
    lines.append(f"\n{'by person set':14} {'own torso':>9} {'p10':>6} {'arms seen':>9} "
                 f"{'p10':>6} {'spill':>6} {'cross':>6} {'face px':>7} {'torso':>6}")  # fmt: skip
    for name, part in by_set.items():
        lines.append(f"{name:14} {part['own_torso_coverage']:9.3f} "
                     f"{part['own_torso_coverage_p10']:6.3f} "
                     f"{part['own_torso_coverage_arms_seen']:9.3f} "
                     f"{part['own_torso_coverage_arms_seen_p10']:6.3f} {part['spill']:6.3f} "
                     f"{part['cross_person_spill']:6.3f} {part['face_pixels']:7d} "
                     f"{part['torso_coverage']:6.3f}")  # fmt: skip
    behind, front = (
        summary([c for c in ev.composed if c.person.endswith(k)]) for k in ("#0", "#1")
    )
    lines.append(f"\ntwo-person scenes composed from the photos (tools/composed.py), "
                 f"{len(ev.composed)} fits:")  # fmt: skip
    for role, part, other in (("behind", behind, "in front"), ("in front", front, "behind")):
        lines.append(f"  person {role:8}: own torso coverage "
                     f"{part['own_torso_coverage']:.3f}, their garment on the person {other} "
                     f"{part['cross_person_spill']:.3f}")  # fmt: skip
    pair = summary(ev.composed)
    for key in ("cross_person_spill", "face_pixels"):
        verdict = met(pair[key], TARGETS[key])
        lines.append(f"  {key:22} {pair[key]:8.3f}   target "
                     f"{' '.join(map(str, TARGETS[key]))}: {verdict}")  # fmt: skip
    part = summary(ev.close_ups)
    lines.append(f"\nclose-ups, the person photos cut {composed.CLOSE_UP} of the way from the "
                 f"shoulders to the hips (tools/composed.py), {len(ev.close_ups)} fits: own torso "
                 f"coverage {part['own_torso_coverage']:.3f} (p10 "
                 f"{part['own_torso_coverage_p10']:.3f}), spill {part['spill']:.3f}, "
                 f"shoulder caps {part['shoulder_caps']:.3f} "
                 f"(p10 {part['shoulder_caps_p10']:.3f})")  # fmt: skip
    part = summary(ev.desks)
    lines.append(f"\nat a desk, the person photos with one pasted over all below "
                 f"{composed.DESK} of the way from the shoulders to the hips (tools/composed.py), "
                 f"{len(ev.desks)} fits: own torso coverage {part['own_torso_coverage']:.3f} (p10 "
                 f"{part['own_torso_coverage_p10']:.3f}), spill (the garment on the desk) "
                 f"{part['spill']:.3f}, shoulder caps {part['shoulder_caps']:.3f}")  # fmt: skip
    lines.append("\nthe person photos and two-person scenes at a webcam's scale "
                 "(tools/composed.py), scaled so the shoulder joints of the person in front lie "
                 "this far apart:")  # fmt: skip
    shot = summary([c for c in ev.cases if person_set(c.person) != "coco"])
    groups = [("as shot", shot, pair)] + [
        (f"{span} px", summary(cases), summary(scenes))
        for span, (cases, scenes) in ev.webcam_scale.items()
    ]
    for label, part, scenes in groups:
        lines.append(f"  {label:8} own torso coverage {part['own_torso_coverage']:.3f} (p10 "
                     f"{part['own_torso_coverage_p10']:.3f}), spill {part['spill']:.3f}, "
                     f"shoulder caps {part['shoulder_caps']:.3f}; on the scenes, the garment on "
                     f"the other person {scenes['cross_person_spill']:.4f}")  # fmt: skip
    lines.append("\nCOCO people, over all garments: own torso coverage / spill / cross-person "
                 "spill")  # fmt: skip
    for person in dict.fromkeys(c.person for c in ev.cases if c.person.startswith("coco")):
        part = summary([c for c in ev.cases if c.person == person])
        lines.append(f"  {person:30} {part['own_torso_coverage']:.3f} / {part['spill']:.3f} / "
                     f"{part['cross_person_spill']:.3f}")  # fmt: skip
    lines.append("\nsmoothing on the video   jitter px/frame^2   fast-move error px   still "
                 "error px")  # fmt: skip
    for name, (jitter, fast, still) in ev.smoothing.items():
        lines.append(f"{name:24} {jitter:19.2f} {fast:20.2f} {still:16.2f}")
    return "\n".join(lines)


def write(ev: Evaluation, out: Path, text: str) -> Path:
    """The contact sheet (keypoints alone | with the outline), summary.json and the report
    ``text`` into ``out``; returns the contact sheet's path."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "contact_sheet.png"
    cv2.imwrite(str(path), cv2.cvtColor(contact_sheet(ev.tiles), cv2.COLOR_RGB2BGR))
    (out / "summary.json").write_text(json.dumps(totals(ev), indent=2))
    (out / "report.txt").write_text(text + "\n")
    return path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    shared_default = Path(__file__).resolve().parents[2] / "shared"
    parser.add_argument("--shared", type=Path, default=shared_default)
    parser.add_argument("--out", type=Path, default=Path("out/quality"))
    parser.add_argument(
        "--keypoints-only",
        action="store_true",
        help="fit by the keypoints alone, as before the segmentation (for comparison)",
    )
    args = parser.parse_args(argv)
    segmenter = PersonSegmenter(args.shared / "models" / "selfie-segmentation.onnx", "cpu")
    ev = run(args.shared, segmenter, outline=not args.keypoints_only)
    text = report(ev)
    path = write(ev, args.out, text)
    print(f"{text}\ncontact sheet (keypoints alone | with the outline): {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
