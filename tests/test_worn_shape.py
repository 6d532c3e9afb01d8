"""The worn-shape checks (tools/worn_shape.py): a hard cut at an armhole, a detached piece."""

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from clothes import load_catalog
from fitting.body import fit_body
from fitting.rig import GarmentRig
from tests.synthetic import P, person, tshirt
from tools.worn_shape import (
    CFG,
    CUT_LIMIT,
    DETACHED_LIMIT,
    detached,
    garments,
    people,
    report,
    shapes,
    visible_cut,
    worn_alpha,
)

FRAME = (900, 640, 3)
REPORT = Path(__file__).resolve().parents[1] / "out" / "worn_shape.txt"


def on_synthetic_person(garment, arms: str):
    keypoints = person(center=(320, 200), shoulder_width=140, arms=arms)
    body = fit_body(keypoints, CFG, True, None)
    rig = GarmentRig(garment)
    alpha = worn_alpha(rig, body, FRAME)
    return visible_cut(rig, body, alpha), detached(alpha, keypoints)


def misread_sleeves():
    """A T-shirt whose armpits and cuffs were read at its hem, as a dress's skirt once was: the
    'sleeves' are strips of the body, and the true sleeves are cut off the panel."""
    garment = tshirt("short")
    points = garment.landmarks.copy()
    for armpit, cuff, hem, out in ((P.ARMPIT_LEFT, P.SLEEVE_LEFT, P.HEM_LEFT, 1),
                                   (P.ARMPIT_RIGHT, P.SLEEVE_RIGHT, P.HEM_RIGHT, -1)):  # fmt: skip
        points[armpit] = points[hem] - (0, 10)
        points[cuff] = points[hem] + (out * 20, 0)
    return dataclasses.replace(garment, landmarks=points, key="misread")


@pytest.mark.parametrize("arms", ["down", "out"])
@pytest.mark.parametrize(
    "garment", [g for g in load_catalog() if not g.category.is_bottom], ids=lambda g: g.name
)
def test_well_read_garments_show_no_cut_and_come_out_whole(garment, arms):
    cut, apart = on_synthetic_person(garment, arms)
    assert cut <= CUT_LIMIT and apart <= DETACHED_LIMIT, (cut, apart)


@pytest.mark.parametrize("arms", ["down", "out", "up"])
def test_misread_sleeves_show_their_cut(arms):
    cut, _ = on_synthetic_person(misread_sleeves(), arms)
    assert cut > CUT_LIMIT


def test_only_pieces_below_the_shoulders_count_as_detached():
    keypoints = person(center=(320, 200), shoulder_width=140)
    alpha = np.zeros(FRAME[:2], np.uint8)
    alpha[220:600, 200:440] = 255  # the garment: 240 x 380
    alpha[100:140, 280:360] = 255  # a hood behind the head, above the shoulders: by design
    assert detached(alpha, keypoints) == 0.0
    alpha[650:670, 300:320] = 255  # a scrap below the hem
    assert detached(alpha, keypoints) == pytest.approx(400 / (240 * 380 + 3200 + 400))


@pytest.fixture(scope="module")
def shared_shapes(shared):
    """(garment, person, visible cut, detached) of every shared garment on every person; what
    ``python -m tools.worn_shape`` prints is written to out/worn_shape.txt (scripts/test.sh
    prints it after the tests)."""
    garment_list = garments(shared)
    worn_by = shapes(garment_list, list(people(shared)))
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(report(garment_list, worn_by) + "\n")
    return [(garment.name, *shape) for garment, each in zip(garment_list, worn_by, strict=True)
            for shape in each]  # fmt: skip


def test_no_shared_garment_comes_out_in_pieces(shared_shapes):
    for garment, wearer, _, apart in shared_shapes:
        assert apart <= DETACHED_LIMIT, (garment, wearer, apart)


def test_no_shared_garment_shows_a_cut_at_its_armholes(shared_shapes):
    for garment, wearer, cut, _ in shared_shapes:
        assert cut <= CUT_LIMIT, (garment, wearer, cut)
