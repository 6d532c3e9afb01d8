"""Does a garment come out whole when worn? Two checks on its warped parts, before anything in
front of the body (a forearm, a face) cuts into them.

- **Visible cut.** A garment is cut into its body panel and sleeves along the armholes, and
  worn, a sleeve overlaps the panel across its armhole, so no cut shows. Where the sleeve does
  not cover its side of the armhole line, the line shows as a hard straight edge: a sleeve
  drawn as a block beside the body, or a sleeve misread (a dress's skirt taken for sleeves).
  Measured: the share of the armhole line (its middle 70%) whose outer side is bare, for the
  worse sleeve.
- **Detached.** The share of the garment's pixels in pieces apart from its largest, below the
  shoulder line (above it, the back of a collar or a hood, seen behind the neck, stands apart
  by design).

    python -m tools.worn_shape [--shared ../shared]

Every photo of a top or a dress in ``shared/data/garments`` (bottoms have no armholes) and
every catalog garment, on every person photo with keypoints (VITON-HD,
FitDiT), fitted by the keypoints at the regular fit. Prints each garment's mean and worst,
and the garments over the limits.
"""

import argparse
from itertools import takewhile
from pathlib import Path

import cv2
import numpy as np

from clothes import Garment, GarmentError, load_catalog
from fitting.body import Body, fit_body
from fitting.config import FITS, FitConfig
from fitting.geometry import unit
from fitting.keypoints import SHOULDERS
from fitting.rig import GarmentRig
from fitting.warp import tailor, warp_garment

from .evaluate import person_set, photos, share_out

CFG = FitConfig()
EASE = FITS["regular"]
CUT_LIMIT = 0.25  # a quarter of an armhole line bare: the cut shows
DETACHED_LIMIT = 0.01
ARMHOLE_MIDDLE = (0.15, 0.85)  # the part of the armhole line looked at (its ends are corners)
ARMHOLE_SAMPLES = 30
PROBE = 0.06  # looked at this far outside the line (x half shoulder width), at least PROBE_PX
PROBE_PX = 3


def worn_alpha(rig: GarmentRig, body: Body, shape) -> np.ndarray:
    """(H, W) uint8: the garment's opacity as warped onto ``body``, all parts together."""
    alpha = np.zeros(shape[:2], np.uint8)
    for layer in warp_garment(rig, body, shape, True, CFG.sleeve_width, EASE):
        x0, y0, x1, y1 = layer.box
        np.maximum(alpha[y0:y1, x0:x1], layer.rgba[..., 3], out=alpha[y0:y1, x0:x1])
    return alpha


def visible_cut(rig: GarmentRig, body: Body, alpha: np.ndarray) -> float:
    """The worse sleeve's share of its armhole line with nothing of the garment outside it."""
    torso = body.torso.tailored(tailor(body, rig, EASE))
    probe = max(PROBE_PX, PROBE * float(np.linalg.norm(body.torso.across)))
    centre = torso.to_image(rig.to_uv(rig.origin[None]))[0]
    height, width = alpha.shape
    worst = 0.0
    for sleeve in rig.sleeves.values():
        shoulder, armpit = sleeve.armhole
        along = np.linspace(*ARMHOLE_MIDDLE, ARMHOLE_SAMPLES)[:, None]
        line = torso.to_image(rig.to_uv(shoulder + along * (armpit - shoulder)))
        direction = unit(line[-1] - line[0])
        outward = np.array([direction[1], -direction[0]])
        if np.dot(outward, line.mean(axis=0) - centre) < 0:
            outward = -outward
        x, y = np.round(line + probe * outward).astype(int).T
        inside = (x >= 0) & (x < width) & (y >= 0) & (y < height)
        bare = np.ones(len(x), bool)
        bare[inside] = alpha[y[inside], x[inside]] < 128
        worst = max(worst, float(bare.mean()))
    return worst


def detached(alpha: np.ndarray, keypoints: np.ndarray) -> float:
    """The share of the garment's pixels in pieces apart from its largest, among the pieces
    whose centre lies below the shoulder line."""
    count, labels, stats, centres = cv2.connectedComponentsWithStats(
        (alpha >= 128).astype(np.uint8), connectivity=8
    )
    if count <= 2:
        return 0.0
    shoulder_y = float(keypoints[list(SHOULDERS), 1].mean())
    areas = stats[1:, cv2.CC_STAT_AREA]
    largest = int(np.argmax(areas))
    apart = [a for i, a in enumerate(areas) if i != largest and centres[1 + i, 1] > shoulder_y]
    return float(sum(apart)) / float(areas.sum())


def people(shared: Path):
    """(name, image shape, keypoints (17, 3)) of every person of the person photos (the sets
    with keypoints; evaluate's COCO people come after them and are not read)."""
    for photo in takewhile(lambda p: person_set(p.name) != "coco", photos(shared)):
        for keypoints in photo.people:
            yield photo.name, photo.image.shape, keypoints


def worn(rig: GarmentRig, persons):
    """(person name, worn alpha, body, keypoints) of the garment on each of ``persons`` who
    has shoulders to hang it on."""
    for name, shape, keypoints in persons:
        body = fit_body(keypoints, CFG, True, None)
        if body is not None:
            yield name, worn_alpha(rig, body, shape), body, keypoints


def shapes(garment_list, persons) -> list[list[tuple[str, float, float]]]:
    """For each garment, (person name, visible cut, detached) on each of ``persons`` who has
    shoulders to hang it on; the garments shared out between processes, one per core."""
    return share_out(_shapes, garment_list, persons=persons)


def _shapes(garment: Garment, persons):
    rig = GarmentRig(garment)
    return [(name, visible_cut(rig, body, alpha), detached(alpha, keypoints))
            for name, alpha, body, keypoints in worn(rig, persons)]  # fmt: skip


def garments(shared: Path) -> list[Garment]:
    photos = sorted(p for p in (shared / "data" / "garments").glob("*/*")
                    if p.suffix in (".jpg", ".png") and p.parent.name != "with_mask")  # fmt: skip
    found = []
    for photo in photos:
        name = f"{photo.parent.name}/{photo.name}"
        try:
            garment = Garment.from_image(photo, name=name)
        except GarmentError as error:
            print(f"not worn: {name}: {str(error).split('.')[0]}")
            continue
        if garment.category.is_bottom:
            print(f"not checked: {name}: {garment.category.value} have no armholes")
        else:
            found.append(garment)
    return found + [g for g in load_catalog() if not g.category.is_bottom]


def report(garment_list: list[Garment], worn_by: list) -> str:
    """What ``python -m tools.worn_shape`` prints: per garment, the visible cut and the
    detached share, mean and worst over the people (``worn_by``: ``shapes``'s result)."""
    lines, over = (
        [f"{'garment':34} {'cut mean':>8} {'worst':>6} {'detached mean':>13} {'worst':>6}"],
        [],
    )
    for garment, each in zip(garment_list, worn_by, strict=True):
        _, cuts, apart = zip(*each, strict=True)
        lines.append(f"{garment.name[:34]:34} {np.mean(cuts):8.3f} {max(cuts):6.3f} "
                     f"{np.mean(apart):13.4f} {max(apart):6.4f}")  # fmt: skip
        if max(cuts) > CUT_LIMIT or max(apart) > DETACHED_LIMIT:
            over.append(garment.name)
    lines.append(f"\n{len(over)} garments over the limits (visible cut > {CUT_LIMIT} or "
                 f"detached > {DETACHED_LIMIT} on some person): {over}")  # fmt: skip
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    shared_default = Path(__file__).resolve().parents[2] / "shared"
    parser.add_argument("--shared", type=Path, default=shared_default)
    args = parser.parse_args(argv)
    garment_list = garments(args.shared)
    print(report(garment_list, shapes(garment_list, list(people(args.shared)))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
