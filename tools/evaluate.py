"""Fit quality on real photos, with keypoints given as ground truth.

    python -m tools.evaluate [--shared ../shared] [--out out/quality]

Every real garment photo in ``shared/data/garments/tops_*`` (cut out by ``clothes``) and
every catalog garment is fitted onto every person photo (``persons/``, pseudo ground-truth
keypoints) and onto the COCO people whose shoulders and hips are annotated
(``coco_keypoints/``). For each fit:

- coverage: share of the torso quadrilateral (shoulders to hips, shrunk 20% towards its
  centre) covered by garment, not counting where a forearm, a hand or the face lies in
  front of the torso (those must stay visible; forearms are measured below). Target: mean
  >= 0.95, over the garments designed to cover a torso: a crop top or a bandeau leaves it
  bare on purpose (they are told apart by fitting each garment on a standard frontal body
  first, see ``design_coverage``), and their coverage is printed separately.
- spill: share of garment pixels outside the body (the torso quadrilateral grown 35%, plus
  capsules around the arms). Target: mean <= 0.05.
- head: garment pixels inside the face circle (around the face keypoints). Target: none.

Also printed, not targets, two checks on that proxy of the body:

- spill counting the thighs as body too. A long top or a tunic hangs over the hips and
  thighs, below the grown quadrilateral; that is spill by the measure above, and this figure
  tells it apart from a garment that misses the body;
- on the COCO people, spill off their human-annotated outlines (COCO's segmentation
  polygons): the body itself rather than a proxy. Seen from the side, shoulders and hips
  overlap and the quadrilateral shrinks to a sliver, while the body does not; in front of a
  chair or another person, the outline excludes what hides the body, and so does this
  figure, since a fit knows only keypoints.

On the webcam video, in the frames where her forearm crosses her torso (she lifts a cup),
the share of the forearm left visible with short-sleeved and sleeveless garments (a long
sleeve covers the forearm by design). Target: >= 0.80. A contact sheet of fits is written.

Smoothing, on the video's keypoints (the ones the fit uses: face, arms, hips), filtered
with each preset: jitter (RMS of the frame-to-frame acceleration, px/frame^2) and the error
on the fastest 10% of moves and on the slowest half, both against a centred (zero-lag)
7-frame average of the keypoints. Smoothing should cut jitter without adding error on fast
moves (lag).
"""

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from clothes import Category, Garment, GarmentError, load_catalog
from fitting import pipeline
from fitting.config import PRESETS, FitConfig
from fitting.keypoints import FACE, Keypoint, half_shoulder_width
from fitting.rig import GarmentRig
from fitting.tracking import OneEuroFilter

K = Keypoint
CFG = FitConfig()
TORSO = (K.LEFT_SHOULDER, K.RIGHT_SHOULDER, K.RIGHT_HIP, K.LEFT_HIP)
ARMS = (
    (K.LEFT_SHOULDER, K.LEFT_ELBOW, K.LEFT_WRIST),
    (K.RIGHT_SHOULDER, K.RIGHT_ELBOW, K.RIGHT_WRIST),
)
ARM_RADIUS = 0.5  # x half shoulder width: a loose sleeve around the arm still counts as body
FOREARM_RADIUS = 0.12  # x half shoulder width: the forearm's own half-width, for visibility
FACE_RADIUS = 1.2  # x the face keypoints' spread around their centre
THIGHS = ((K.LEFT_HIP, K.LEFT_KNEE), (K.RIGHT_HIP, K.RIGHT_KNEE))
THIGH_RADIUS = 0.6  # x half shoulder width
COVERED = 0.5  # a pixel at least this opaque counts as garment
FULL_DESIGN = 0.9  # garments covering less of a standard torso leave it bare by design
TARGETS = {"coverage": 0.95, "spill": 0.05, "head_pixels": 0, "forearm_visible": 0.80}


@dataclass
class Case:
    person: str
    garment: str
    coverage: float
    spill: float
    head_pixels: int
    spill_off_legs: float
    spill_off_outline: float  # NaN without an annotated outline
    full_design: bool  # the garment covers the whole torso by design (not a crop top, say)


def scaled_quad(kp: np.ndarray, factor: float) -> np.ndarray:
    quad = kp[list(TORSO), :2]
    center = quad.mean(axis=0)
    return center + (quad - center) * factor


def fill(shape, polygons=(), capsules=()) -> np.ndarray:
    """A boolean mask of filled polygons and (start, end, radius) capsules."""
    mask = np.zeros(shape[:2], np.uint8)
    for poly in polygons:
        cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], 1)
    for a, b, r in capsules:
        pa, pb = tuple(int(v) for v in np.round(a)), tuple(int(v) for v in np.round(b))
        cv2.line(mask, pa, pb, 1, max(1, round(2 * r)))
    return mask.astype(bool)


def half_shoulder(kp) -> float:
    return float(np.linalg.norm(kp[K.LEFT_SHOULDER, :2] - kp[K.RIGHT_SHOULDER, :2])) / 2


def forearms(kp, radius_factor, min_score=CFG.keypoint_score):
    r = radius_factor * half_shoulder(kp)
    return [(kp[e, :2], kp[w, :2], r) for _, e, w in ARMS if min(kp[e, 2], kp[w, 2]) >= min_score]


def measure(kp: np.ndarray, covered: np.ndarray) -> tuple[float, float, int, float]:
    """Coverage, spill, head pixels and spill off the thighs too, of one person's fit.

    ``covered`` is a boolean mask of the garment. The last figure is not a target: it counts
    as body the thighs, too, which a long top or a tunic hangs over (see the module text)."""
    shape = covered.shape
    face = face_circle(kp)
    in_front = [
        (e, w + (w - e) * CFG.hand_length, r) for e, w, r in forearms(kp, CFG.forearm_radius)
    ]
    in_front += [face] if face else []  # a head bent over the chest is in front of it too
    inner = fill(shape, [scaled_quad(kp, 0.8)]) & ~fill(shape, capsules=in_front)
    coverage = float(covered[inner].mean()) if inner.any() else float("nan")
    hw = half_shoulder(kp)
    limbs = [(a, b) for chain in ARMS for a, b in zip(chain[:-1], chain[1:], strict=True)]
    arms = [(kp[a, :2], kp[b, :2], ARM_RADIUS * hw) for a, b in limbs
            if min(kp[a, 2], kp[b, 2]) >= CFG.keypoint_score]  # fmt: skip
    body = fill(shape, [scaled_quad(kp, 1.35)], arms)
    spill = share(covered & ~body, covered)
    thighs = [(kp[h, :2], kp[k, :2], THIGH_RADIUS * hw) for h, k in THIGHS
              if min(kp[h, 2], kp[k, 2]) >= CFG.keypoint_score]  # fmt: skip
    on_legs = fill(shape, capsules=thighs)
    spill_off_legs = share(covered & ~body & ~on_legs, covered)
    head = int((covered & fill(shape, capsules=[face])).sum()) if face else 0
    return coverage, spill, head, spill_off_legs


def share(part: np.ndarray, whole: np.ndarray) -> float:
    """The share of ``whole``'s pixels in ``part`` (boolean masks; 0 for an empty whole)."""
    return float(part.sum() / max(whole.sum(), 1))


def face_circle(kp: np.ndarray):
    """The face as a (centre, centre, radius) capsule around its keypoints, or None."""
    face = kp[list(FACE)]
    face = face[face[:, 2] >= CFG.keypoint_score, :2]
    if not len(face):
        return None
    center = face.mean(axis=0)
    return center, center, FACE_RADIUS * np.linalg.norm(face - center, axis=1).max()


def fit(image, people, rig) -> tuple[np.ndarray, np.ndarray]:
    """The fitted image, and the garment's opacity (H, W) float32 on each of its pixels."""
    overlay = pipeline.dress(people, rig, True, image.shape, CFG)
    return pipeline.compose(image, overlay, CFG), opacity(overlay, image.shape)


def opacity(overlay: pipeline.Overlay, shape) -> np.ndarray:
    """(H, W) float32: how opaque the overlay's garments are on each pixel, as blended."""
    total = np.zeros(shape[:2], np.float32)
    for person in overlay.fits:
        for layer in person.layers:
            x0, y0, x1, y1 = layer.box
            covered = total[y0:y1, x0:x1]
            covered += layer.alpha * (1 - covered)
    return total


def load_rgb(path: Path) -> np.ndarray:
    bgr = cv2.imread(str(path))
    if bgr is None:
        raise FileNotFoundError(path)
    return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)


def people_photos(shared: Path):
    """(name, RGB image, keypoints (P, 17, 3), outlines) of every photo with full torsos.

    ``outlines``: per person, a boolean mask of their annotated outline, or None."""
    data = shared / "data"
    persons = json.loads((data / "persons" / "keypoints.json").read_text())["data"]
    for name, entry in persons.items():
        kp = np.array([p["keypoints"] for p in entry["people"]], np.float32)
        yield name, load_rgb(data / "persons" / name), kp, [None] * len(kp)
    coco = json.loads((data / "coco_keypoints" / "test_coco.json").read_text())
    for image in coco["images"]:
        rgb = load_rgb(data / "coco_keypoints" / image["file_name"])
        anns = [a for a in coco["annotations"] if a["image_id"] == image["id"]]
        kp = np.array([a["keypoints"] for a in anns], np.float32).reshape(-1, 17, 3)
        kp[..., 2] = kp[..., 2] > 0  # COCO visibility 1 or 2: labelled
        torso = kp[:, list(TORSO), 2].min(axis=1) > 0  # shoulders and hips labelled
        outlines = [
            fill(rgb.shape, [np.reshape(p, (-1, 2)) for p in a["segmentation"]])
            for a, keep in zip(anns, torso, strict=True)
            if keep
        ]
        if torso.any():
            yield f"coco/{image['file_name']}", rgb, kp[torso], outlines


def garments(shared: Path) -> tuple[list[Garment], list[str]]:
    """Every real garment photo prepared by ``clothes``, plus the catalog; and the refused."""
    prepared, refused = [], []
    for photo in sorted((shared / "data" / "garments").glob("tops_*/*.jpg")):
        name = f"{photo.parent.name}/{photo.stem}"
        try:
            prepared.append(Garment.from_image(photo, name=name))
        except GarmentError as error:
            refused.append(f"{name}: {error}")
    return prepared + load_catalog(), refused


def evaluate_photos(shared: Path, garment_list) -> tuple[list[Case], list[np.ndarray]]:
    cases, sheet = [], []
    rigs = [GarmentRig(g) for g in garment_list]
    full = [design_coverage(rig) >= FULL_DESIGN for rig in rigs]
    for i, (name, image, people, outlines) in enumerate(people_photos(shared)):
        for j, rig in enumerate(rigs):
            # Each person is measured on a fit of their own garment alone (in a crowded photo
            # a neighbour's garment may rightly cover them).
            for k, (kp, outline) in enumerate(zip(people, outlines, strict=True)):
                _, coverage = fit(image, kp[None], rig)
                covered = coverage >= COVERED
                off_outline = (
                    float("nan") if outline is None else share(covered & ~outline, covered)
                )
                figures = measure(kp, covered)
                person = f"{name}#{k}" if len(people) > 1 else name
                cases.append(Case(person, rig.name, *figures, off_outline, full_design=full[j]))
            if j % len(rigs) == i % len(rigs) or j == len(rigs) - 1:  # a sample for the sheet
                sheet.append(thumbnail(fit(image, people, rig)[0], f"{name} / {rig.name}"))
    return cases, sheet


def evaluate_forearm(shared: Path, garment_list) -> tuple[float, int, list[np.ndarray]]:
    """Mean visible share of forearms crossing the torso in the video, and the frame count."""
    video = shared / "data" / "video"
    frames = json.loads((video / "webcam_ntu_640x480_keypoints.json").read_text())["data"]["frames"]
    rigs = [
        GarmentRig(g)
        for g in garment_list
        if Category(g.category) in (Category.SHORT_SLEEVE, Category.SLEEVELESS)
    ]
    cap = cv2.VideoCapture(str(video / "webcam_ntu_640x480.mp4"))
    shares, sheet = [], []
    for index, entry in enumerate(frames):
        ok, bgr = cap.read()
        if not ok:
            break
        kp = np.array([p["keypoints"] for p in entry["people"]], np.float32)[:1]
        arms = forearms(kp[0], FOREARM_RADIUS)
        torso = fill(bgr.shape, [scaled_quad(kp[0], 1.0)])
        crossing = [
            a
            for a in arms
            if (fill(bgr.shape, capsules=[a]) & torso).sum()
            > 0.5 * fill(bgr.shape, capsules=[a]).sum()
        ]
        if not crossing:
            continue
        image = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        forearm = fill(bgr.shape, capsules=crossing)
        for j, rig in enumerate(rigs):
            out, coverage = fit(image, kp, rig)
            shares.append(float(1 - (coverage[forearm] >= COVERED).mean()))
            if index % 25 == 0 and j == 0:
                sheet.append(thumbnail(out, f"video frame {index} / {rig.name}"))
    n_frames = len(shares) // max(len(rigs), 1)
    return float(np.mean(shares)) if shares else float("nan"), n_frames, sheet


SMOOTHED = list(range(K.LEFT_HIP + 1))  # face, arms, shoulders and hips
REFERENCE_WINDOW = 7  # frames in the centred average that stands in for the true motion


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
    seen = valid[1:] & valid[:-1]
    fast, still = (
        seen & (speed > np.percentile(speed, 90)),
        seen & (speed < np.percentile(speed, 50)),
    )
    scale = float(np.median([half_shoulder_width(k, CFG.keypoint_score) for k in kp]))

    def figures(track):
        acc = np.linalg.norm(np.diff(track, 2, axis=0), axis=2)[
            valid[2:] & valid[1:-1] & valid[:-2]
        ]
        err = np.linalg.norm(track - reference, axis=2)[1:]
        return float(np.sqrt(np.mean(acc**2))), float(err[fast].mean()), float(err[still].mean())

    results = {"unfiltered": figures(xy)}
    for name, cfg in PRESETS.items():
        f = OneEuroFilter(
            cfg.smooth_min_cutoff, cfg.smooth_beta, cfg.smooth_d_cutoff, cfg.smooth_jump
        )
        track = np.array(
            [
                f(p, v, i / data["fps"], scale)
                for i, (p, v) in enumerate(zip(xy, valid, strict=True))
            ]
        )
        results[name] = figures(track)
    return results


def thumbnail(image: np.ndarray, label: str, size=(240, 320)) -> np.ndarray:
    h, w = image.shape[:2]
    k = min(size[0] / w, size[1] / h)
    small = cv2.resize(image, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA)
    tile = np.full((size[1] + 18, size[0], 3), 255, np.uint8)
    tile[: small.shape[0], : small.shape[1]] = small
    cv2.putText(
        tile,
        label[:38],
        (3, size[1] + 13),
        cv2.FONT_HERSHEY_SIMPLEX,
        0.35,
        (0, 0, 0),
        1,
        cv2.LINE_AA,
    )
    return tile


def contact_sheet(tiles: list[np.ndarray], columns: int = 8) -> np.ndarray:
    blank = np.full_like(tiles[0], 255)
    tiles = tiles + [blank] * (-len(tiles) % columns)
    rows = [np.hstack(tiles[i : i + columns]) for i in range(0, len(tiles), columns)]
    return np.vstack(rows)


def summary(cases: list[Case]) -> dict[str, float]:
    """The targets' figures. Coverage counts only garments designed to cover the torso."""
    full = [c for c in cases if c.full_design]
    outlined = [c.spill_off_outline for c in cases if not np.isnan(c.spill_off_outline)]
    return {
        "coverage": float(np.nanmean([c.coverage for c in full])),
        "spill": float(np.mean([c.spill for c in cases])),
        "head_pixels": int(sum(c.head_pixels for c in cases)),
        "coverage_all_designs": float(np.nanmean([c.coverage for c in cases])),
        "spill_off_legs": float(np.mean([c.spill_off_legs for c in cases])),
        "spill_off_outline": float(np.mean(outlined)) if outlined else float("nan"),
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


def design_coverage(rig: GarmentRig) -> float:
    """How much of a standard person's torso the garment covers: below FULL_DESIGN it is a
    crop top, a bandeau, a deep V... that leaves part of the torso bare on purpose."""
    kp = standard_person()
    _, coverage = fit(np.zeros((600, 640, 3), np.uint8), kp[None], rig)
    return measure(kp, coverage >= COVERED)[0]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared"
    )
    parser.add_argument("--out", type=Path, default=Path("out/quality"))
    args = parser.parse_args(argv)
    garment_list, refused = garments(args.shared)
    for line in refused:
        print(f"refused by clothes: {line}")

    cases, sheet = evaluate_photos(args.shared, garment_list)
    forearm, n_frames, video_sheet = evaluate_forearm(args.shared, garment_list)
    print(f"{'person':34} {'garment':24} coverage  spill  head px  design")
    for c in cases:
        design = "full" if c.full_design else "partial"
        print(f"{c.person:34} {c.garment[:24]:24} {c.coverage:8.3f} {c.spill:6.3f} "
              f"{c.head_pixels:8d}  {design}")  # fmt: skip
    total = summary(cases) | {"forearm_visible": forearm}
    print(
        f"\n{len(cases)} fits of {len(garment_list)} garments; forearm over {n_frames} video frames"
    )
    partial = sorted({c.garment for c in cases if not c.full_design})
    print(f"coverage is over garments that cover a torso by design; partial designs: {partial}")
    print(f"(coverage over every garment: {total['coverage_all_designs']:.3f}; spill not "
          f"counting the thighs as off the body: {total['spill_off_legs']:.3f})")  # fmt: skip
    for key, target in TARGETS.items():
        better = "<=" if key in ("spill", "head_pixels") else ">="
        print(f"{key:16} {total[key]:8.3f}   target {better} {target}")
    for source in ("vitonhd", "coco"):
        part = summary([c for c in cases if c.person.startswith(source)])
        print(f"  {source:8} photos: coverage {part['coverage']:.3f}  spill {part['spill']:.3f}")
    print(
        "\nCOCO people, spill over all garments: by the measure above / off their annotated outline"
    )
    for person in dict.fromkeys(c.person for c in cases if c.person.startswith("coco")):
        part = summary([c for c in cases if c.person == person])
        print(f"  {person:30} {part['spill']:.3f} / {part['spill_off_outline']:.3f}")
    print(f"  {'all':30} {summary([c for c in cases if c.person.startswith('coco')])['spill']:.3f}"
          f" / {total['spill_off_outline']:.3f}")  # fmt: skip
    print("\nsmoothing on the video   jitter px/frame^2   fast-move error px   still error px")
    for name, (jitter, fast, still) in evaluate_smoothing(args.shared).items():
        print(f"{name:24} {jitter:19.2f} {fast:20.2f} {still:16.2f}")

    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "contact_sheet.png"
    cv2.imwrite(str(path), cv2.cvtColor(contact_sheet(sheet + video_sheet), cv2.COLOR_RGB2BGR))
    (args.out / "summary.json").write_text(json.dumps(total, indent=2))
    print(f"contact sheet: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
