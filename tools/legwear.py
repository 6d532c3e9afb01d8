"""How well bottoms and dresses are worn: every shared photo of them on every full-body person.

    python -m tools.legwear [--shared ../shared] [--out out/legwear]

Each of FitDiT's photos of bottoms (trousers, shorts, a skirt) and dresses, prepared as an
upload is, and each of the catalog's, is fitted alone (no top over bottoms) by the keypoints
and the segmentation model's outline at the regular fit onto every person of FitDiT's
full-body photos. The person's *silhouette* is the model's mask of them. Per garment and overall:

- leg coverage: of the silhouette between the hip line and the garment's hem line (trousers:
  the ankles; shorts: halfway down the thighs), without the hands and forearms, the share the
  garment covers. Skirts hang free of the legs and are not counted. Target: mean >= 0.95.
- spill: above the hip line, where bottoms and a dress's bodice follow the wearer's outline,
  the share of the garment off the silhouette grown by the fit's ease. Target: mean <= 0.03.
  Below it they hang free by design (a trouser leg as wide as the garment's, a skirt flaring
  across the gap between the legs: see fitting.layers.Layer): that share is printed apart,
  for trousers and shorts and for skirts and dresses.
- garment pixels on faces and hands (inside the feathered edge of the cut). Target: 0.

It writes a contact sheet of every person in every garment to ``--out``, and times warp and
blend (the stages bottoms add to) of a top alone and with trousers on one photo.
"""

import argparse
import time
from pathlib import Path

import cv2
import numpy as np

from clothes import Category, Garment, load_catalog
from fitting import pipeline
from fitting.body import Body
from fitting.keypoints import Keypoint as K
from fitting.legwear import BottomRig
from fitting.rig import GarmentRig
from fitting.segment import PersonSegmenter

from .evaluate import photos, silhouettes, thumbnail
from .fit_measures import CFG, COVERED, EASE, face_circle, fill, grow, opacity, share

LEG_ZONE = {Category.TROUSERS: 1.0, Category.SHORTS: 0.5}  # down to ankles, or mid-thigh
SPEED_REPEATS = 30


def leg_zone(
    kp: np.ndarray, silhouette: np.ndarray, category: Category, in_front: np.ndarray
) -> np.ndarray | None:
    """The silhouette between the hip line and the garment's hem line (rows), without what
    is ``in_front`` (forearms and hands); None for a skirt, or where the knees (and for
    trousers the ankles) are not seen inside the photo."""
    if category not in LEG_ZONE:
        return None
    needed = [K.LEFT_HIP, K.RIGHT_HIP, K.LEFT_KNEE, K.RIGHT_KNEE]
    if category == Category.TROUSERS:
        needed += [K.LEFT_ANKLE, K.RIGHT_ANKLE]
    h, w = silhouette.shape
    inside = (kp[needed, :2] >= 0).all() and (kp[needed, :2] < (w, h)).all()
    if kp[needed, 2].min() < CFG.keypoint_score or not inside:
        return None
    hips = hip_row(kp)
    if category == Category.TROUSERS:
        hem = kp[[K.LEFT_ANKLE, K.RIGHT_ANKLE], 1].mean()
    else:
        hem = hips + LEG_ZONE[category] * (kp[[K.LEFT_KNEE, K.RIGHT_KNEE], 1].mean() - hips)
    rows = np.arange(silhouette.shape[0])[:, None]
    return silhouette & (rows >= hips) & (rows <= hem) & ~in_front


def hip_row(kp: np.ndarray) -> float:
    """The hip line's height in the image: the hip joints' mean y."""
    return float(kp[[K.LEFT_HIP, K.RIGHT_HIP], 1].mean())


def hands(body: Body, shape) -> np.ndarray:
    """The forearms and hands the fit cut out of the garment (the body's capsules), less the
    feathered band along their edge."""
    capsules = [(c.start, c.end, c.radius - CFG.feather_px) for c in body.forearms.values()]
    return fill(shape, capsules=capsules)


def dressing_of(garment: Garment) -> pipeline.Dressing:
    """A dress worn as a top, bottoms worn alone, at the regular fit."""
    if garment.category == Category.DRESS:
        return pipeline.Dressing(GarmentRig(garment), True, EASE)
    return pipeline.Dressing(None, True, EASE, BottomRig(garment))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=Path(__file__).parents[2] / "shared")
    parser.add_argument("--out", type=Path, default=Path("out/legwear"))
    args = parser.parse_args(argv)
    segmenter = PersonSegmenter(args.shared / "models" / "selfie-segmentation.onnx", "cpu")
    folder = args.shared / "data" / "garments" / "fitdit"
    photos_ = sorted(p for p in folder.iterdir() if p.suffix in (".jpg", ".png"))
    wearable = [Garment.from_image(p, name=p.name) for p in photos_] + load_catalog()
    wearable = [g for g in wearable if g.category.is_bottom or g.category == Category.DRESS]
    people = [p for p in photos(args.shared) if p.name.startswith("fitdit/")]
    print(f"{'person':18} {'garment':10} {'legs':>6} {'spill':>6} {'hangs':>6} "
          f"{'face+hand px':>12}")  # fmt: skip
    dressings = [dressing_of(g) for g in wearable]  # each garment prepared once
    covered, spills, touching, tiles = [], [], 0, []
    free = {"legs": [], "skirts": []}  # their share off the silhouette below the hip line
    for photo in people:
        silhouette, masks = silhouettes(photo, segmenter)
        for garment, dressing in zip(wearable, dressings, strict=True):
            overlay = pipeline.dress(photo.people, silhouette, dressing, photo.image.shape, CFG)
            for fit in overlay.fits:
                kp, own = photo.people[fit.person], masks[fit.person]
                worn = opacity(fit, photo.image.shape) >= COVERED
                in_front = hands(fit.body, worn.shape)
                zone = leg_zone(kp, own, garment.category, in_front)
                legs = share(worn & zone, zone) if zone is not None and zone.any() else np.nan
                off = worn & ~grow(own, max(1, round(EASE * fit.body.scale)))
                above = np.arange(worn.shape[0])[:, None] < hip_row(kp)
                spill, hangs = share(off & above, worn & above), share(off & ~above, worn & ~above)
                face = face_circle(kp)
                front = in_front | fill(worn.shape, capsules=[face] if face else [])
                on_front = int((worn & front).sum())
                print(f"{photo.name:18} {garment.name:10} {legs:6.3f} {spill:6.3f} {hangs:6.3f} "
                      f"{on_front:12}")  # fmt: skip
                if np.isfinite(legs):
                    covered.append(legs)
                spills.append(spill)
                skirt = garment.category in (Category.SKIRT, Category.DRESS)
                free["skirts" if skirt else "legs"].append(hangs)
                touching += on_front
            fitted = pipeline.compose(photo.image, overlay, CFG)
            tiles.append(thumbnail(fitted, f"{photo.name} / {garment.name}", (240, 320)))
    print(f"\nleg coverage {np.mean(covered):.3f} (p10 {np.percentile(covered, 10):.3f}, "
          f"{len(covered)} fits; target >= 0.95), spill above the hips {np.mean(spills):.3f} "
          f"(target <= 0.03; below them, hanging free: trousers and shorts "
          f"{np.mean(free['legs']):.3f}, skirts and dresses {np.mean(free['skirts']):.3f}), "
          f"garment pixels on faces and hands {touching} (target 0)")  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    columns = len(wearable)
    rows = [np.hstack(tiles[i : i + columns]) for i in range(0, len(tiles), columns)]
    sheet = cv2.cvtColor(np.vstack(rows), cv2.COLOR_RGB2BGR)
    cv2.imwrite(str(args.out / "contact_sheet.png"), sheet)
    print(f"contact sheet: {args.out / 'contact_sheet.png'}")
    print(speed(people, wearable, segmenter))
    return 0


def speed(people, wearable, segmenter, repeats: int = SPEED_REPEATS) -> str:
    """Warp and blend p50 of the catalog's tee alone and with each of trousers, on the first
    full-body photo (its silhouette segmented once), timed in turns in one run."""
    photo = people[0]
    silhouette, _ = silhouettes(photo, segmenter)
    top = GarmentRig(load_catalog()[0])
    trousers = next(g for g in wearable if g.category == Category.TROUSERS)
    times: dict[str, list[float]] = {"top": [], "outfit": []}
    outfits = (("top", None), ("outfit", BottomRig(trousers)))  # prepared once, as the app does
    for _ in range(repeats):
        for name, bottom in outfits:
            start = time.perf_counter()
            dressing = pipeline.Dressing(top, True, EASE, bottom)
            overlay = pipeline.dress(photo.people, silhouette, dressing, photo.image.shape, CFG)
            pipeline.compose(photo.image, overlay, CFG)
            times[name].append((time.perf_counter() - start) * 1e3)
    alone, outfit = (float(np.median(times[k])) for k in ("top", "outfit"))
    return (f"warp + blend p50 on {photo.name}: top alone {alone:.1f} ms, with trousers "
            f"{outfit:.1f} ms = {outfit / alone:.2f}x (target <= 1.6x)")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
