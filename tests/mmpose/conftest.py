"""Fixtures for the mmpose tests, which run in the mmpose environment (tests/mmpose/run.sh).

The app's environment has no mmpose, so a plain ``pytest`` there leaves this folder out; the
mmpose environment runs it with ``bash tests/mmpose/run.sh``.

No real weights can be downloaded here, so every model is built from mmpose's own config with
random weights (fixed seed): the same architecture and the same math as the released models.
Each one is saved as a plain checkpoint that all three paths load through their real code:
mmpose's ``init_model``, the exporter (``tools.export``) and the backend
(``fitting.mmpose_backend``).
"""

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

import pytest


def mmpose_is_installed() -> bool:
    # pytest puts tests/ on sys.path, where this folder passes for a namespace package "mmpose";
    # the real mmpose is a regular package, with an __init__.py as its origin.
    spec = importlib.util.find_spec("mmpose")
    return spec is not None and spec.origin is not None


if not mmpose_is_installed():
    collect_ignore_glob = ["test_*.py"]  # not the mmpose environment: run.sh runs these

MODEL_SIZES = ("t", "s")
SEED = 0
COCO_KEYPOINTS_DIR = "data/coco_keypoints"
PARITY_FIGURES = pytest.StashKey[dict]()


# Warnings from inside OpenMMLab's and PyTorch's own code that this project cannot act on
# (deprecated APIs mmengine/mmdet still call, mmpose finding its shipped dataset config).
THIRD_PARTY_WARNINGS = [
    "ignore::UserWarning:mmengine.*",
    "ignore::UserWarning:mmpose.*",
    "ignore::FutureWarning:mmdet.*",
    "ignore::DeprecationWarning:torch.*",
    "ignore:You are using the legacy TorchScript-based ONNX export:DeprecationWarning",
]


def pytest_configure(config):
    for line in THIRD_PARTY_WARNINGS:
        config.addinivalue_line("filterwarnings", line)


@dataclass(frozen=True)
class RandomRTMPose:
    """An RTMPose model with random weights, saved as a checkpoint and exported to ONNX."""

    size: str  # t | s
    config: str  # the name of the mmpose config
    checkpoint: Path
    onnx: Path
    export_max_diff: float  # ONNX Runtime vs PyTorch, as the exporter measured it


@dataclass(frozen=True)
class PhotoWithPeople:
    name: str
    bgr: "object"  # (H, W, 3) uint8, as cv2.imread gives and mmpose expects
    rgb: "object"  # (H, W, 3) uint8, as the engine gets frames
    boxes: "object"  # (N, 4) float32 xyxy ground-truth person boxes


def build_random_checkpoint(config: str, path: Path, seed: int = SEED) -> Path:
    """Build ``config`` with random weights from ``seed`` and save them as a plain checkpoint."""
    import torch

    from fitting.mmpose_backend import build_model

    torch.manual_seed(seed)
    model = build_model(config)
    torch.save({"state_dict": model.state_dict()}, path)
    return path


@pytest.fixture(scope="session")
def random_checkpoint():
    """``random_checkpoint(config, path)``: random weights from the fixed seed, saved at path."""
    return build_random_checkpoint


@pytest.fixture(scope="session", params=MODEL_SIZES, ids=lambda size: f"rtmpose-{size}")
def random_rtmpose(request, tmp_path_factory) -> RandomRTMPose:
    from fitting.mmpose_backend import RTMPOSE_COCO_CONFIGS
    from tools.export import export

    size = request.param
    config = RTMPOSE_COCO_CONFIGS[size]
    folder = tmp_path_factory.mktemp(f"rtmpose-{size}")
    checkpoint = build_random_checkpoint(config, folder / "random-weights.pth")
    onnx_path, _, max_diff = export(config, folder / f"rtmpose-{size}.onnx", str(checkpoint))
    return RandomRTMPose(size, config, checkpoint, onnx_path, max_diff)


@pytest.fixture(scope="session")
def coco_photos(shared) -> list[PhotoWithPeople]:
    """The COCO val2017 photos with their human-annotated person boxes (xywh -> xyxy)."""
    import cv2
    import numpy as np

    folder = shared / COCO_KEYPOINTS_DIR
    annotations = json.loads((folder / "test_coco.json").read_text())
    photos = []
    for image in annotations["images"]:
        boxes = [
            [x, y, x + w, y + h]
            for person in annotations["annotations"]
            if person["image_id"] == image["id"] and person["num_keypoints"] > 0
            for x, y, w, h in [person["bbox"]]
        ]
        bgr = cv2.imread(str(folder / image["file_name"]))
        rgb = np.ascontiguousarray(bgr[..., ::-1])
        photos.append(PhotoWithPeople(image["file_name"], bgr, rgb, np.float32(boxes)))
    return photos


@pytest.fixture(scope="session")
def parity_figures(pytestconfig) -> dict:
    """Where the parity tests put their measured differences, printed at the end of the run."""
    return pytestconfig.stash.setdefault(PARITY_FIGURES, {})


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    figures = config.stash.get(PARITY_FIGURES, {})
    if not figures:
        return
    terminalreporter.section("mmpose parity: max |difference| over all people")
    terminalreporter.write_line(
        "(a) mmpose inference_topdown, (b) engine on ONNX Runtime, (c) mmpose backend"
    )
    terminalreporter.write_line(f"{'model':<12}{'pair':<6}{'keypoints (px)':>16}{'scores':>12}")
    for model, pairs in sorted(figures.items()):
        for pair, (keypoint_diff, score_diff) in pairs.items():
            terminalreporter.write_line(
                f"{model:<12}{pair:<6}{keypoint_diff:>16.2e}{score_diff:>12.2e}"
            )
