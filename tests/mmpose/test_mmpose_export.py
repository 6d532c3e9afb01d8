"""The exporter: mmpose config + checkpoint -> ONNX with the official I/O, plus the sidecar."""

import json
import subprocess
import sys

import numpy as np
import onnxruntime as ort
import pytest

from fitting.keypoints import KEYPOINT_NAMES
from fitting.pose import PoseModelSpec, RTMPose
from tools.export import MAX_EXPORT_DIFF, export, sidecar_path

INPUT_SIZE = (192, 256)  # (width, height) of the COCO RTMPose configs
SPLIT_RATIO = 2.0


def test_export_has_official_io_with_dynamic_batch(random_rtmpose):
    session = ort.InferenceSession(str(random_rtmpose.onnx), providers=["CPUExecutionProvider"])
    (model_input,) = session.get_inputs()
    outputs = session.get_outputs()
    width, height = INPUT_SIZE
    assert model_input.name == "input"
    assert isinstance(model_input.shape[0], str), "the batch axis must be dynamic"
    assert model_input.shape[1:] == [3, height, width]
    assert [o.name for o in outputs] == ["simcc_x", "simcc_y"]
    assert [o.shape[1:] for o in outputs] == [[17, width * 2], [17, height * 2]]

    batch = np.random.default_rng(1).standard_normal((3, 3, height, width), dtype=np.float32)
    simcc_x, simcc_y = session.run(None, {"input": batch})
    assert simcc_x.shape == (3, 17, width * 2) and simcc_y.shape == (3, 17, height * 2)
    assert random_rtmpose.export_max_diff < MAX_EXPORT_DIFF


def test_sidecar_says_what_the_engine_needs(random_rtmpose):
    sidecar = json.loads(sidecar_path(random_rtmpose.onnx).read_text())
    assert sidecar == {
        "format": "rtmpose-onnx/1",
        "input_size": list(INPUT_SIZE),
        "mean": [123.675, 116.28, 103.53],
        "std": [58.395, 57.12, 57.375],
        "simcc_split_ratio": SPLIT_RATIO,
        "bbox_padding": 1.25,
        "keypoint_names": list(KEYPOINT_NAMES),
        "source": {
            "config": random_rtmpose.config,
            "checkpoint": str(random_rtmpose.checkpoint),
            "mmpose_version": "1.3.2",
        },
    }
    spec = PoseModelSpec.for_model(random_rtmpose.onnx)
    assert spec.input_size == INPUT_SIZE and spec.simcc_split_ratio == SPLIT_RATIO


def test_engine_loads_the_export_batched(random_rtmpose):
    engine = RTMPose(random_rtmpose.onnx, device="cpu")
    assert engine.batched


@pytest.mark.parametrize("size", ["t", "s"])
def test_engine_loads_official_style_exports(shared, coco_photos, size):
    """The shared random-weight ONNX files are exported like OpenMMLab's, with batch fixed to 1."""
    engine = RTMPose(shared / "models" / f"rtmpose-{size}-random-weights.onnx", device="cpu")
    photo = max(coco_photos, key=lambda p: len(p.boxes))
    keypoints, scores = engine(photo.rgb, photo.boxes)
    assert not engine.batched
    assert keypoints.shape == (len(photo.boxes), 17, 2) and scores.shape == (len(photo.boxes), 17)
    assert np.isfinite(keypoints).all() and np.isfinite(scores).all()


def test_command_line_exports_random_weights_and_reports_the_check(tmp_path):
    out = tmp_path / "models" / "rtmpose-t.onnx"
    done = subprocess.run(
        [sys.executable, "-m", "tools.export", "--config", "t", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "RANDOM weights" in done.stderr
    assert "max abs diff" in done.stdout
    assert out.is_file() and sidecar_path(out).is_file()
    source = json.loads(sidecar_path(out).read_text())["source"]
    assert source == {
        "config": "rtmpose-t_8xb256-420e_coco-256x192",
        "checkpoint": None,
        "mmpose_version": "1.3.2",
    }


def test_command_line_help_says_trust_is_for_trusted_local_files():
    done = subprocess.run(
        [sys.executable, "-m", "tools.export", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0
    help_text = " ".join(done.stdout.split())
    assert "--trust-checkpoint" in help_text
    assert "weights_only=False" in help_text and "local file you trust" in help_text


def test_out_must_be_an_onnx_file(tmp_path):
    with pytest.raises(ValueError, match=r"\.onnx"):
        export("t", tmp_path / "model.pt")


def test_unknown_config_names_what_to_pass(tmp_path):
    with pytest.raises(FileNotFoundError, match="rtmpose-s_8xb256-420e_coco-256x192"):
        export("rtmpose-x_no_such_config", tmp_path / "model.onnx")


def test_command_line_errors_are_one_line_that_says_what_to_do(tmp_path):
    out = str(tmp_path / "model.onnx")
    no_mmpose = (
        "import sys; sys.modules['mmpose'] = None\n"  # as in the app's environment
        f"from tools.export import main; main(['--config', 's', '--out', {out!r}])"
    )
    done = subprocess.run([sys.executable, "-c", no_mmpose], capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "requirements-mmpose.txt" in done.stderr

    missing = str(tmp_path / "missing.pth")
    command = [sys.executable, "-m", "tools.export", "--config", "t", "--checkpoint", missing]
    done = subprocess.run([*command, "--out", out], capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "checkpoint not found" in done.stderr
