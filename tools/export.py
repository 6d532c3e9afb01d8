"""Export an mmpose RTMPose model to the ONNX file (and JSON sidecar) the engine runs.

    python -m tools.export --config rtmpose-s_8xb256-420e_coco-256x192 \\
        --checkpoint PATH_OR_URL --out models/rtmpose-s.onnx

``--config`` is a config path or the name of a config shipped with mmpose; ``--checkpoint`` a
local file or a model-zoo URL (none: random weights, for tests). The ONNX file has the I/O of
OpenMMLab's official exports: input ``input`` (N, 3, H, W) float32, the normalised RGB crop;
outputs ``simcc_x`` (N, K, W * split) and ``simcc_y`` (N, K, H * split); the batch axis is
dynamic. Beside it, ``<out>.json`` records what the engine's pre- and post-processing need.

This needs the mmpose environment (``requirements-mmpose.txt``), not the app's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from fitting.mmpose_backend import (
    RTMPOSE_COCO_CONFIGS,
    TRUST_CHECKPOINT_HELP,
    build_model,
    import_mmpose,
    resolve_config,
    test_pipeline_transform,
)

SIDECAR_FORMAT = "rtmpose-onnx/1"
INPUT_NAME = "input"
OUTPUT_NAMES = ["simcc_x", "simcc_y"]
DEFAULT_OPSET = 17
# ONNX Runtime and PyTorch order float operations differently; on RTMPose logits the outputs
# agree to ~1e-5. A difference above this means the export is wrong, not merely rounded.
MAX_EXPORT_DIFF = 1e-3
VERIFY_BATCH_SIZE = 2  # > 1, so the check also proves the batch axis is dynamic


def sidecar_path(onnx_path: str | Path) -> Path:
    """The sidecar the engine reads next to ``model.onnx``: ``model.json``."""
    return Path(onnx_path).with_suffix(".json")


def describe_model(model, config: str, checkpoint: str | None) -> dict:
    """The sidecar: what the engine needs to crop, normalise and decode like mmpose."""
    import mmpose

    preprocessor = model.cfg.model.data_preprocessor
    if not preprocessor.get("bgr_to_rgb", False):
        raise ValueError(
            f"{config} feeds BGR images to the network (bgr_to_rgb=False); the engine's ONNX "
            "format expects networks that take RGB, as every RTMPose config does."
        )
    crop = test_pipeline_transform(model, "TopdownAffine")
    if crop.use_udp:
        raise ValueError(f"{config} crops with UDP, which the engine's ONNX path does not do.")
    decoder = model.head.decoder
    if type(decoder).__name__ != "SimCCLabel" or decoder.use_dark:
        raise ValueError(f"{config} is not a SimCC model decoded by plain argmax (RTMPose).")
    id2name = model.dataset_meta["keypoint_id2name"]
    return {
        "format": SIDECAR_FORMAT,
        "input_size": [int(size) for size in decoder.input_size],  # (width, height)
        "mean": [float(value) for value in preprocessor["mean"]],  # RGB, as bgr_to_rgb=True
        "std": [float(value) for value in preprocessor["std"]],
        "simcc_split_ratio": float(decoder.simcc_split_ratio),
        "bbox_padding": float(test_pipeline_transform(model, "GetBBoxCenterScale").padding),
        "keypoint_names": [id2name[i] for i in range(len(id2name))],
        "source": {
            # a shipped config by its name (t|s|m|l spelled out), a config file by its path
            "config": config if Path(config).suffix == ".py" else resolve_config(config).stem,
            "checkpoint": checkpoint,
            "mmpose_version": mmpose.__version__,
        },
    }


def export_onnx(model, out: Path, opset: int = DEFAULT_OPSET) -> None:
    """Export the network (crop in, SimCC logits out) with a dynamic batch axis."""
    import torch

    class SimCCNetwork(torch.nn.Module):
        """The network alone: normalised crops in, (simcc_x, simcc_y) out."""

        def __init__(self):
            super().__init__()
            self.pose_estimator = model

        def forward(self, input):
            return self.pose_estimator(input, None, mode="tensor")

    width, height = model.head.decoder.input_size
    example = torch.zeros(1, 3, height, width)
    batch_axis = {0: "batch"}
    torch.onnx.export(
        SimCCNetwork().eval(),
        (example,),
        str(out),
        input_names=[INPUT_NAME],
        output_names=OUTPUT_NAMES,
        dynamic_axes={name: batch_axis for name in [INPUT_NAME, *OUTPUT_NAMES]},
        opset_version=opset,
        dynamo=False,
    )
    with torch.no_grad():
        output_shapes = [tuple(output.shape) for output in model(example, None, mode="tensor")]
    set_static_output_dims(out, output_shapes)


def set_static_output_dims(onnx_path: Path, output_shapes: list[tuple[int, ...]]) -> None:
    """Write the keypoint and bin counts into the outputs' declared shapes, as official exports do.

    The TorchScript exporter leaves every output dimension symbolic once the batch axis is
    dynamic (e.g. ``MatMulsimcc_x_dim_1`` instead of 17); the engine checks these shapes.
    """
    import onnx

    proto = onnx.load(str(onnx_path))
    for output, shape in zip(proto.graph.output, output_shapes, strict=True):
        dims = output.type.tensor_type.shape.dim
        for dim, size in zip(dims[1:], shape[1:], strict=True):  # dim 0 stays "batch"
            dim.dim_value = size
    onnx.checker.check_model(proto)
    onnx.save(proto, str(onnx_path))


def verify_onnx(model, onnx_path: Path, seed: int = 0) -> float:
    """Max abs difference between ONNX Runtime and PyTorch outputs on a random batch."""
    import onnxruntime as ort
    import torch

    width, height = model.head.decoder.input_size
    batch = np.random.default_rng(seed).standard_normal(
        (VERIFY_BATCH_SIZE, 3, height, width), dtype=np.float32
    )
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    onnx_outputs = session.run(OUTPUT_NAMES, {INPUT_NAME: batch})
    device = next(model.parameters()).device
    with torch.no_grad():
        torch_outputs = model(torch.from_numpy(batch).to(device), None, mode="tensor")
    return max(
        float(np.abs(onnx_output - torch_output.cpu().numpy()).max())
        for onnx_output, torch_output in zip(onnx_outputs, torch_outputs, strict=True)
    )


def export(
    config: str,
    out: str | Path,
    checkpoint: str | None = None,
    trust_checkpoint: bool = False,
    opset: int = DEFAULT_OPSET,
) -> tuple[Path, Path, float]:
    """Build the model, export it, check ONNX Runtime against PyTorch and write the sidecar.

    Returns the ONNX path, the sidecar path and the max abs output difference.
    """
    out = Path(out)
    if out.suffix != ".onnx":
        raise ValueError(f"--out must end in .onnx (the sidecar goes beside it), got {out}")
    model = build_model(config, checkpoint, device="cpu", trust_checkpoint=trust_checkpoint)
    sidecar = describe_model(model, config, checkpoint)
    out.parent.mkdir(parents=True, exist_ok=True)
    export_onnx(model, out, opset)
    max_diff = verify_onnx(model, out)
    if max_diff > MAX_EXPORT_DIFF:
        raise RuntimeError(
            f"ONNX Runtime and PyTorch disagree by {max_diff:.3g} (> {MAX_EXPORT_DIFF}) on "
            f"{out}: the export is wrong; try another --opset."
        )
    sidecar_path(out).write_text(json.dumps(sidecar, indent=2) + "\n")
    return out, sidecar_path(out), max_diff


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tools.export",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--config",
        required=True,
        help="mmpose config: a .py path, or the name of a config shipped with mmpose, e.g. "
        f"{RTMPOSE_COCO_CONFIGS['s']} (t|s|m|l stand for the COCO RTMPose configs)",
    )
    parser.add_argument(
        "--checkpoint",
        help="weights: a local .pth file or a model-zoo URL (downloaded once into torch.hub's "
        "cache). Without it the weights are random: useful only for tests.",
    )
    parser.add_argument("--trust-checkpoint", action="store_true", help=TRUST_CHECKPOINT_HELP)
    parser.add_argument("--out", required=True, help="the .onnx file to write")
    parser.add_argument("--opset", type=int, default=DEFAULT_OPSET, help="ONNX opset version")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import_mmpose()  # outside the mmpose environment this says how to install it
        if args.checkpoint is None:
            print("no --checkpoint: exporting RANDOM weights (for tests only)", file=sys.stderr)
        onnx_path, sidecar, max_diff = export(
            args.config, args.out, args.checkpoint, args.trust_checkpoint, args.opset
        )
    except (ImportError, OSError, ValueError, RuntimeError) as error:
        sys.exit(f"python -m tools.export: error: {error}")
    print(f"wrote {onnx_path} and {sidecar}")
    print(f"ONNX Runtime vs PyTorch on a random batch: max abs diff {max_diff:.3g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
