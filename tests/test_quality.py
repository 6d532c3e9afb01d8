"""Fit quality on the real photos and video of ../shared, against the issue's targets.

The measurements of ``python -m tools.evaluate``, run once here (see that module for the
definitions); its report, summary and contact sheet are written to out/quality, and
scripts/test.sh prints the report after the tests.
"""

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from clothes import Category, load_catalog
from fitting import pipeline
from fitting.body import fit_body
from fitting.keypoints import Keypoint
from fitting.light import scene_light
from fitting.occluders import in_front
from fitting.rig import GarmentRig
from fitting.segment import PersonSegmenter
from fitting.silhouette import Silhouette
from fitting.warp import warp_garment
from tools import composed, conditions, evaluate, fit_measures, legwear

SEAMS_MAX = 2.0  # cracked pixels per 1000 of the garment's
SHOULDER_CAPS_MIN = 0.95  # of the outline round the shoulders that sleeves cover (0.93 before)
# At a webcam's scale, the figures as shot may fall this much (coverage) or rise (spill)
SCALE_LOSS, SCALE_SPILL = 0.02, 0.005
OUT = Path(__file__).resolve().parents[1] / "out" / "quality"  # what tools.evaluate writes


@pytest.fixture(scope="module")
def segmenter(shared):
    return PersonSegmenter(shared / "models" / "selfie-segmentation.onnx", "cpu")


@pytest.fixture(scope="module")
def evaluation(shared, segmenter):
    """What ``python -m tools.evaluate`` measures and writes, from one run."""
    ev = evaluate.run(shared, segmenter)
    evaluate.write(ev, OUT, evaluate.report(ev))
    return ev


@pytest.fixture(scope="module")
def garments(evaluation):
    assert evaluation.refused == []  # every shared product photo makes a garment
    return evaluation.garments


@pytest.fixture(scope="module")
def photo_cases(evaluation):
    return evaluation.cases


def of_set(cases, name):
    return [c for c in cases if evaluate.person_set(c.person) == name]


def test_every_real_garment_and_the_catalog_are_evaluated_on_every_person_set(
    garments, photo_cases
):
    assert len(garments) >= 30 + 4
    for name in evaluate.PERSON_SETS:
        people = {c.person for c in of_set(photo_cases, name)}
        assert len(people) >= 5, name
        assert len(of_set(photo_cases, name)) >= len(people) * len(garments) * 0.9


def test_the_wearers_own_torso_is_covered_on_the_person_photos(photo_cases):
    """The target holds on the person photos, frontal (VITON-HD) and full-body (FitDiT), for
    the people whose arms' joints are known, so that the measure can leave the arms out of
    the torso (one VITON-HD woman holds her hand on her hip with her elbow unseen: her arm
    counts as torso, 0.78). On COCO's sports photos it does not hold (see the README)."""
    mean, p10 = (evaluate.TARGETS[k][1] for k in ("own_torso_coverage", "own_torso_coverage_p10"))
    for name in ("vitonhd", "fitdit"):
        figures = evaluate.summary(of_set(photo_cases, name))
        assert figures["own_torso_coverage_arms_seen"] >= mean, name
        assert figures["own_torso_coverage_arms_seen_p10"] >= p10, name


def test_sleeves_cover_the_wearer_s_shoulders_on_the_person_photos(photo_cases):
    """Round each shoulder joint, on its outer side, a garment with sleeves covers the
    wearer's outline: their own sleeve showed there (0.928 covered on VITON-HD's people, 0.943
    on FitDiT's) while a sleeve was as wide as a typical arm and ran straight down from the
    garment's shoulder seam; it takes the arm's measured width and rounds over the shoulder.
    (A sleeve shorter than the wearer's own leaves theirs showing below it, as it should.)"""
    for name in ("vitonhd", "fitdit"):
        assert evaluate.summary(of_set(photo_cases, name))["shoulder_caps"] >= SHOULDER_CAPS_MIN


def test_little_garment_spills_off_the_wearer_or_onto_anyone_else(photo_cases):
    figures = evaluate.summary(photo_cases)
    assert figures["spill"] <= evaluate.TARGETS["spill"][1]
    assert figures["cross_person_spill"] <= evaluate.TARGETS["cross_person_spill"][1]


def test_the_garment_of_the_person_behind_stays_off_the_person_in_front(
    shared, garments, segmenter, evaluation
):
    """On two-person scenes composed from the photos (tools/composed.py), with the chest of the
    person behind just above the head of the person in front: their garment stays off her
    (fitted by the keypoints alone, it lies over her hair), and off both faces; and it reaches
    her hair, where the frame's edges split the two (it stopped a band of their own shirt short
    of it before: 0.844 of their own torso covered)."""
    cases = evaluation.composed
    alone, _ = evaluate.evaluate_composed(shared, garments[::3], segmenter, outline=False)
    assert len({c.person for c in cases}) >= 2 * 10
    limit = evaluate.TARGETS["cross_person_spill"][1]
    behind, behind_alone = (
        evaluate.summary([c for c in part if c.person.endswith("#0")]) for part in (cases, alone)
    )
    assert behind["cross_person_spill"] <= limit < behind_alone["cross_person_spill"]
    assert behind["own_torso_coverage"] >= 0.95
    assert evaluate.summary(cases)["cross_person_spill"] <= limit
    assert evaluate.summary(cases)["face_pixels"] == 0


def test_a_webcam_close_up_is_covered_down_to_the_frame_s_edge(evaluation):
    """On the person photos cut halfway down the torso, as a webcam at a desk frames its user
    (tools/composed.py), the hips and arms out of the frame: the fit still reaches the
    outline and stays on it. (Before, the model looked only around the seen keypoints, and
    the garment, cut to what it found, stopped at the chest: 0.62 of the torso covered.)"""
    cases = evaluation.close_ups
    assert len({c.person for c in cases}) >= 20
    figures = evaluate.summary(cases)
    for key in ("own_torso_coverage", "own_torso_coverage_p10"):
        assert figures[key] >= evaluate.TARGETS[key][1], key
    assert figures["spill"] <= evaluate.TARGETS["spill"][1]
    assert figures["face_pixels"] == 0


def test_behind_a_desk_the_garment_ends_at_its_edge(shared, garments, segmenter, evaluation):
    """On the person photos with a desk pasted over the lower torso (tools/composed.py), the
    hips and the keypoints below its edge unseen: the garment covers the torso above it and
    stays off the desk. (Before the outline was trusted on the torso's upper half, about half
    of these people were fitted by their keypoints alone, and pieces of the desk the model
    took for the body were the wearer's: spill 0.236, by the keypoints alone 0.293; now
    0.043, where the model's desk touches the body.)"""
    cases = evaluation.desks
    assert len({c.person for c in cases}) >= 20
    figures = evaluate.summary(cases)
    for key in ("own_torso_coverage", "own_torso_coverage_p10"):
        assert figures[key] >= evaluate.TARGETS[key][1], key
    alone, _ = evaluate.evaluate_desks(shared, garments[::3], segmenter, outline=False)
    assert figures["spill"] <= 0.25 * evaluate.summary(alone)["spill"]
    assert figures["face_pixels"] == 0


def test_the_fit_holds_at_a_webcam_s_scale(evaluation):
    """The person photos scaled so that the shoulder joints lie 110 or 70 px apart, as a
    640x480 webcam frame shows its user standing back (tools/composed.py): the garment covers
    the torso and shoulders and keeps off the background as on the photos as shot, which
    show their people 2-5 times larger. (Measured: own torso 0.981 as shot, 0.980 at 110 and
    at 70 px, its p10 0.957, 0.945 and 0.943; spill 0.009, 0.009 and 0.010. The fit's ease
    counted in pixels, 150 for each half shoulder width as the photos show it, spilled 0.030
    and 0.040 here against 0.012 as shot.) On the two-person scenes scaled alike, by the
    person in front, the garment of the person behind stays off them: with no seed on the top
    of their head, a flood from the person behind took their hair (0.026 of the garments lay
    on the other person at 70 px, 0.003 with it)."""
    shot = [c for c in evaluation.cases if evaluate.person_set(c.person) != "coco"]
    as_shot = evaluate.summary(shot)
    assert sorted(evaluation.webcam_scale) == [70, 110]
    for span, (cases, scenes) in evaluation.webcam_scale.items():
        assert len(cases) == len(shot) and len(scenes) == len(evaluation.composed), span
        figures = evaluate.summary(cases)
        for key in ("own_torso_coverage", "own_torso_coverage_p10", "shoulder_caps"):
            assert figures[key] >= as_shot[key] - SCALE_LOSS, (span, key)
        assert figures["spill"] <= as_shot["spill"] + SCALE_SPILL, span
        for key in ("cross_person_spill", "face_pixels"):
            assert evaluate.summary(scenes)[key] <= evaluate.TARGETS[key][1], (span, key)


def test_a_photo_mirrored_is_dressed_as_the_photo_mirrored(shared, segmenter):
    """Nothing in the fit favours one side of the body or of the image: each person photo,
    mirrored with its keypoints (the wearer's left and right swapped, so that they still
    face the camera) and its outline, is covered where the photo is, mirrored (measured:
    0.996-0.999 of the pixels agree), in a symmetric garment with short sleeves and one with
    long sleeves. (One upper arm's sleeve made 15% wider than the other's: 0.988.)"""
    tops = [g for g in load_catalog() if g.name.startswith(("Crew-neck T-shirt", "Breton"))]
    assert len(tops) == 2
    models = pipeline.Models(None, None, segmenter)
    for photo in evaluate.single_person_photos(shared):
        image, width = photo.image, photo.image.shape[1]
        silhouette = pipeline.segment(image, photo.people, models, evaluate.CFG)
        mirrored = (np.ascontiguousarray(image[:, ::-1]), _mirrored_people(photo.people, width),
                    _mirrored_silhouette(silhouette, width))  # fmt: skip
        for rig in evaluate.rigs_of(tops):
            dressing = pipeline.Dressing(rig, True, evaluate.EASE)
            covered = _covered(image, photo.people, silhouette, dressing)
            back = _covered(*mirrored, dressing)[:, ::-1]  # mirrored back
            agree = fit_measures.share(covered & back, covered | back)
            assert agree >= 0.99, (photo.name, rig.name)


@pytest.mark.parametrize("edge", ["side", "bottom"])
def test_a_person_cut_by_the_frame_s_edge_is_dressed_where_in_view_as_in_the_whole_photo(
    shared, segmenter, edge
):
    """A person walking into the frame or leaning out of it (its side cuts them at the middle
    of the shoulders), or close to a webcam (its bottom cuts them across the chest, 0.4 of the
    way down to the hips): each person photo cut so, the pose model's joints kept where they
    are (past the frame's edge) and the photo's outline cut with it, is covered where it is in
    view as in the whole photo (measured: 0.997 and 0.994 of the pixels agree on average).
    Before, 0.982 and 0.972: the torso's flanks were measured only on rows whose middle was
    seen, and an upper arm half below the frame was taken for one the outline misses, and kept
    the garment round it. (Where the frame cuts an unseen elbow out, its arm is placed along
    the outline and sleeved, as in a close-up, unlike in the whole photo: 0.896 at the least.)"""
    tops = [g for g in load_catalog() if g.name.startswith(("Crew-neck T-shirt", "Breton"))]
    dressings = [pipeline.Dressing(rig, True, evaluate.EASE) for rig in evaluate.rigs_of(tops)]
    models = pipeline.Models(None, None, segmenter)
    agree = []
    for photo in evaluate.single_person_photos(shared):
        (kp,), (h, w) = photo.people, photo.image.shape[:2]
        shoulders = kp[[Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER], :2].mean(axis=0)
        hips = kp[[Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP], :2].mean(axis=0)
        if edge == "side":
            box = (round(shoulders[0]), 0, w, h)
        else:
            box = (0, 0, w, round(0.6 * shoulders[1] + 0.4 * hips[1]))
        agree += _agreement_when_cut(photo, box, dressings, models)
    assert np.mean(agree) >= 0.99 and min(agree) >= 0.85, (np.mean(agree), min(agree))


def test_bottoms_on_a_person_cut_at_the_thighs_are_worn_as_in_the_whole_photo(shared, segmenter):
    """A webcam that frames its user to mid-thigh: each FitDiT photo cut halfway from the hips
    to the knees (the pose model's knees kept below its edge, the outline cut alike) wears the
    catalog's bottoms and dress where in view as the whole photo does (measured: 0.993 of the
    pixels agree on average, 0.953 at the least). No bottoms were drawn before: a knee that
    far below the frame was taken for a guess, and the legs were not known."""
    wearable = [g for g in load_catalog() if g.category.is_bottom or g.category == Category.DRESS]
    dressings = [legwear.dressing_of(garment) for garment in wearable]
    models = pipeline.Models(None, None, segmenter)
    agree = []
    for photo in evaluate.photos(shared):
        if evaluate.person_set(photo.name) != "fitdit":
            continue
        (kp,), (h, w) = photo.people, photo.image.shape[:2]
        hips = kp[[Keypoint.LEFT_HIP, Keypoint.RIGHT_HIP], 1].mean()
        knees = kp[[Keypoint.LEFT_KNEE, Keypoint.RIGHT_KNEE], 1].mean()
        thighs = round((hips + knees) / 2)
        if thighs < h:  # not already cut higher
            agree += _agreement_when_cut(photo, (0, 0, w, thighs), dressings, models)
    assert len(agree) >= 40
    assert np.mean(agree) >= 0.98 and min(agree) >= 0.9, (np.mean(agree), min(agree))


def _agreement_when_cut(photo, box, dressings, models) -> list[float]:
    """For each of ``dressings``: where the garment is on ``photo`` cut to ``box`` (x0, y0,
    x1, y1; its keypoints kept where they lie, its outline cut alike) against where it is on
    the whole photo, in the box (the IoU of the pixels it changes)."""
    x0, y0, x1, y1 = box
    silhouette = pipeline.segment(photo.image, photo.people, models, evaluate.CFG)
    cut = (np.ascontiguousarray(photo.image[y0:y1, x0:x1]), photo.people - (x0, y0, 0),
           _cut_silhouette(silhouette, box))  # fmt: skip
    agree = []
    for dressing in dressings:
        whole = _covered(photo.image, photo.people, silhouette, dressing)[y0:y1, x0:x1]
        part = _covered(*cut, dressing)
        agree.append(fit_measures.share(whole & part, whole | part))
    return agree


def _cut_silhouette(silhouette: Silhouette, box) -> Silhouette:
    """``silhouette`` of the part ``box`` (x0, y0, x1, y1) of its frame, as a frame."""
    x0, y0, x1, y1 = box
    sx0, sy0, sx1, sy1 = silhouette.box
    kx0, ky0, kx1, ky1 = max(sx0, x0), max(sy0, y0), min(sx1, x1), min(sy1, y1)
    probability = silhouette.probability[ky0 - sy0 : ky1 - sy0, kx0 - sx0 : kx1 - sx0].copy()
    return Silhouette((kx0 - x0, ky0 - y0, kx1 - x0, ky1 - y0), probability)


def _covered(image, people, silhouette, dressing) -> np.ndarray:
    """Where a garment changes ``image``: (H, W) bool."""
    overlay = pipeline.dress(people, silhouette, dressing, image.shape, evaluate.CFG, frame=image)
    return np.any(pipeline.compose(image, overlay, evaluate.CFG) != image, axis=2)


def _mirrored_people(people: np.ndarray, width: int) -> np.ndarray:
    """Keypoints (P, 17, 3) of an image mirrored left to right: x mirrored, and each left
    keypoint now the right one (a person facing the camera still faces it)."""
    swapped = [Keypoint[k.name.replace("LEFT", "-").replace("RIGHT", "LEFT").replace("-", "RIGHT")]
               for k in Keypoint]  # fmt: skip
    out = people[:, swapped].copy()
    out[..., 0] = width - 1 - out[..., 0]
    return out


def _mirrored_silhouette(silhouette: Silhouette, width: int) -> Silhouette:
    x0, y0, x1, y1 = silhouette.box
    return Silhouette((width - x1, y0, width - x0, y1), silhouette.probability[:, ::-1].copy())


def test_in_very_dim_light_no_sleeve_is_lost(shared, garments, segmenter):
    """In a dark room the model can miss an arm that the pose model still sees: its sleeve
    stays as in full light (the body's core; without it, 9 of these 245 arms lost theirs).
    A sleeve that covers little of the upper arm in full light too (an off-shoulder top's)
    is not lost."""
    clean = evaluate.single_person_photos(shared)
    dim = [dataclasses.replace(p, image=conditions.VERY_DIM(p.image)) for p in clean]
    sleeved = [rig for rig in evaluate.rigs_of(garments[::4]) if rig.sleeves]
    before, after = (conditions.sleeves_kept(photos, sleeved, segmenter) for photos in (clean, dim))
    assert len(after) == len(before) >= 200
    assert ((before >= 0.5) & (after < 0.5)).sum() == 0


def test_a_sleeveless_top_leaves_hanging_upper_arms_bare(evaluation):
    """The outer side of an upper arm hanging against the body is the arm: the body panel
    reached it before (0.40 of it covered on average, on 392 fits of an arm), as if every
    sleeveless top had sleeves."""
    covered = evaluation.sleeveless_upper_arms
    assert evaluation.sleeveless >= 4 and len(covered) >= 200
    assert covered.mean() <= 0.1


@pytest.mark.parametrize("condition", ["dim (x0.3), noise, JPEG q55", "warm, dim light"])
def test_in_dim_or_warm_light_the_garment_is_lit_as_its_wearer(
    shared, garments, segmenter, condition
):
    """In a room at 0.3 of the light the garments glowed 3.4 times as bright as they would
    be there, and kept their studio white under a warm lamp (their blue 1.8 times), before
    they took the scene's light."""
    degrade = conditions.CONDITIONS[condition]
    clean = evaluate.single_person_photos(shared)[::3]
    photos = [dataclasses.replace(photo, image=degrade(photo.image)) for photo in clean]
    rigs = evaluate.rigs_of(garments[::8])
    light = conditions.garment_light(clean, photos, rigs, segmenter, degrade)
    assert len(light) >= 20
    np.testing.assert_allclose(light.mean(axis=0), 1.0, atol=0.05)


def test_in_very_dim_light_the_neck_is_still_told_from_the_top(shared, garments, segmenter):
    """The colour models compare colours as a full exposure shows them: at 0.15 of the light
    the neck was told from the top in 7 of the 25 photos before (23 in full light)."""
    rig = GarmentRig(next(g for g in garments if g.name.startswith("Crew-neck")))
    cfg, models = fit_measures.CFG, pipeline.Models(None, None, segmenter)
    told = {"clean": 0, "very dim": 0}
    for photo in evaluate.single_person_photos(shared):
        clean, kp, _ = composed.person_of(photo, segmenter, cfg)
        for name, image in (("clean", clean), ("very dim", conditions.VERY_DIM(clean))):
            silhouette = pipeline.segment(image, kp[None], models, cfg)
            outline = silhouette.split(kp[None], cfg.keypoint_score)[0]
            body = fit_body(kp, cfg, True, outline, image.shape)
            layers = warp_garment(rig, body, image.shape, True, cfg.sleeve_width, fit_measures.EASE)
            inside = [layer.box for layer in layers if layer.inside]
            told[name] += in_front(scene_light(image).expose(image), body, inside).neck is not None
    assert told["clean"] >= 20
    assert told["very dim"] >= told["clean"] - 3


def test_no_seam_cracks_the_garment_on_the_person_photos(photo_cases):
    """The garment's parts are warped apart (panel, sleeves, the back in the neckline); where
    they met without covering each other, the wearer's own top showed through: 4.2 cracked
    pixels per 1000 on both person sets before the panel reached under the sleeves and the
    back under the panel's edge, 1.0 and 0.8 after."""
    for name in ("vitonhd", "fitdit"):
        assert evaluate.summary(of_set(photo_cases, name))["seams"] <= SEAMS_MAX, name


def test_no_garment_on_any_face(photo_cases):
    assert evaluate.summary(photo_cases)["face_pixels"] == 0


COVERAGE_KEPT = 0.005  # the cut to the outline may cost this much own-torso coverage (feather)


def test_the_outline_takes_the_garment_off_the_background(shared, garments, segmenter):
    """Fitted by the keypoints alone, garments spill off the wearer several times as much; the
    cut to the outline costs no coverage of the wearer beyond its feathered edge."""
    some = garments[::6]
    cases, _ = evaluate.evaluate_photos(shared, some, segmenter)
    alone, _ = evaluate.evaluate_photos(shared, some, segmenter, outline=False)
    for name in ("vitonhd", "fitdit"):
        with_outline = evaluate.summary(of_set(cases, name))
        keypoints_alone = evaluate.summary(of_set(alone, name))
        assert with_outline["spill"] < 0.5 * keypoints_alone["spill"], name
        kept = keypoints_alone["own_torso_coverage"] - COVERAGE_KEPT
        assert with_outline["own_torso_coverage"] >= kept, name


def test_annotated_outlines_have_the_annotated_area(shared):
    """The outlines drawn from COCO's polygons cover the area COCO gives for them."""
    coco = json.loads((shared / "data" / "coco_keypoints" / "test_coco.json").read_text())
    files = {image["id"]: image["file_name"] for image in coco["images"]}
    photos = [p for p in evaluate.photos(shared) if p.name.startswith("coco/")]
    assert len(photos) >= 3
    for photo in photos:
        name = photo.name.removeprefix("coco/")
        areas = [a["area"] for a in coco["annotations"] if files[a["image_id"]] == name]
        drawn = [o.sum() for o in photo.others]
        np.testing.assert_allclose(drawn, areas, rtol=0.1, atol=100)  # small ones: an edge


def test_a_forearm_in_front_of_the_torso_stays_visible(shared, garments, segmenter, evaluation):
    visible, around, frames = evaluation.forearm
    assert frames >= 10  # she lifts the cup in a good part of the video
    assert visible >= evaluate.TARGETS["forearm_visible"][1]
    # With its own outline the forearm leaves less of her own top showing round it than the
    # capsule the keypoints alone cut out.
    _, around_capsules, _, _ = evaluate.evaluate_forearm(shared, garments, segmenter, False)
    assert around > around_capsules


def test_smoothing_cuts_jitter_without_lagging_fast_moves(evaluation):
    results = evaluation.smoothing
    raw_jitter, raw_fast, raw_still = results["unfiltered"]
    jitter, fast, still = results["balanced"]
    assert jitter < 0.5 * raw_jitter
    assert still < raw_still
    assert fast <= raw_fast  # no worse than unfiltered where she moves fastest
    assert results["steady"][0] < jitter < results["responsive"][0]


def test_fits_shared_out_between_processes_measure_as_in_one(shared, garments, segmenter,
                                                             monkeypatch):  # fmt: skip
    """tools.evaluate fits the photos in worker processes, one per core: the figures are the
    ones a single process gets. (Each person's outline travels to a worker with the photo and
    must still be told from the other people's: taken for another's, the person's own
    garment would count as cross-person spill.)"""
    crowds = [p for p in evaluate.photos(shared) if len(p.people) > 1][:2]
    some = garments[::12]
    shared_out, _ = evaluate.fit_photos(crowds, some, segmenter)
    monkeypatch.setattr(evaluate.os, "cpu_count", lambda: 1)
    in_one, _ = evaluate.fit_photos(crowds, some, segmenter)
    assert len(shared_out) >= 2 * len(some) * 2
    assert all(np.isfinite(case.cross_person_spill) for case in in_one)  # others measured
    np.testing.assert_equal([dataclasses.astuple(c) for c in shared_out],
                            [dataclasses.astuple(c) for c in in_one])  # fmt: skip


def test_the_measures_measure_what_they_say():
    """On masks drawn here: a garment exactly on the torso zone, one beside the person, and one
    on the face and on someone else."""
    kp = np.zeros((17, 3), np.float32)
    kp[:, 2] = 1.0
    kp[[5, 6, 11, 12], :2] = [(300, 100), (200, 100), (290, 300), (210, 300)]  # shoulders, hips
    kp[[0, 1, 2, 3, 4], :2] = [(250, 50), (260, 45), (240, 45), (270, 50), (230, 50)]
    kp[7:11, 2] = 0.0  # no arms
    shape = (400, 500)
    body = fit_measures.fill(shape, [fit_measures.scaled_quad(kp, 1.2)])
    zone = fit_measures.torso_zone(kp, body)
    faces = [fit_measures.face_circle(kp)]
    own, spill, cross, face, _ = fit_measures.measure(kp, body, zone, [], faces)
    assert own == 1.0 and spill == 0.0 and face == 0 and np.isnan(cross)
    beside = np.roll(zone, 200, axis=1)
    other = np.roll(body, 200, axis=1)
    own, spill, cross, face, _ = fit_measures.measure(kp, body, beside, [other], faces)
    assert own == 0.0 and spill == 1.0 and cross > 0.9
    on_face = zone.copy()
    on_face[40:60, 240:260] = True
    assert fit_measures.measure(kp, body, on_face, [], faces)[3] > 0
    alpha = zone.astype(np.float32)
    assert fit_measures.seams(alpha, kp, faces, []) == 0.0
    alpha[:, 248:251] *= 0.5  # a crack down the middle: three columns half covered
    cracked = 3 * zone[:, 250].sum() / zone.sum() * 1000
    assert fit_measures.seams(alpha, kp, faces, []) == pytest.approx(cracked, rel=0.05)
    assert fit_measures.seams(alpha, kp, faces, [np.ones(shape, bool)]) == 0.0  # someone in front
