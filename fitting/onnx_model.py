"""ONNX Runtime plumbing shared by the detector and the pose model.

A model is a callable in three steps, as in rtmlib: ``preprocess`` turns an image into the
network's input tensor, ``inference`` runs the ONNX Runtime session, ``postprocess`` turns
the raw outputs back into image-space results.
"""

import logging
from pathlib import Path

import numpy as np
import onnxruntime as ort

log = logging.getLogger(__name__)

DEVICES = ("auto", "cpu", "cuda")


def normalised_nchw(images: np.ndarray, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    """(N, H, W, 3) uint8 images -> (N, 3, H, W) float32 ``(image - mean) / std`` per channel.

    One strided copy into the network's layout, then normalised in place: ~0.2 ms a pose crop,
    where converting first and transposing after took ~2 ms.
    """
    tensor = np.empty((images.shape[0], 3, *images.shape[1:3]), np.float32)
    np.copyto(tensor, images.transpose(0, 3, 1, 2))
    tensor -= mean[:, None, None]
    tensor /= std[:, None, None]
    return tensor


def check_device(device: str) -> str:
    """``device`` if it is one of DEVICES, else a ValueError naming them."""
    if device not in DEVICES:
        raise ValueError(f"device must be one of {', '.join(DEVICES)}, got {device!r}")
    return device


def providers_for(device: str) -> list[str]:
    """ONNX Runtime execution providers for ``device`` ("auto", "cpu" or "cuda")."""
    check_device(device)
    has_cuda = "CUDAExecutionProvider" in ort.get_available_providers()
    if device == "cuda" and not has_cuda:
        raise ValueError(
            "device='cuda' was asked for, but this onnxruntime has no CUDA provider: "
            "install the GPU build (pip uninstall onnxruntime && pip install onnxruntime-gpu) "
            "or use device='auto' to fall back to the CPU"
        )
    if device == "cpu" or not has_cuda:
        return ["CPUExecutionProvider"]
    return ["CUDAExecutionProvider", "CPUExecutionProvider"]


class OnnxModel:
    """An ONNX Runtime session plus the names of its inputs and outputs."""

    def __init__(self, path: str | Path, device: str = "auto", threads: int | None = None):
        """``threads``: intra-op threads (None: one per core)."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"ONNX model not found: {path}")
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        # Idle threads sleep instead of busy-waiting for the next run. The engine has two
        # sessions (detector and pose) and draws frames between runs: a spinning pool took the
        # cores the others needed (2-core CPU, sync mode: detector p50 34-37 ms spinning vs
        # 18-20 ms not, whole frame 29-30 vs 23-26 ms).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # errors only: ORT's CUDA-fallback chatter is not ours
        self.path = path
        providers = providers_for(device)
        if providers[0] == "CUDAExecutionProvider" and hasattr(ort, "preload_dlls"):
            ort.preload_dlls()  # CUDA and cuDNN from the nvidia-* pip packages, when installed
        self.session = ort.InferenceSession(str(path), sess_options=options, providers=providers)
        self.input = self.session.get_inputs()[0]
        self.output_names = [o.name for o in self.session.get_outputs()]
        self.device = "cuda" if "CUDA" in self.session.get_providers()[0] else "cpu"
        log.info("loaded %s on %s", path.name, self.device)

    def inference(self, tensor):
        return self.session.run(self.output_names, {self.input.name: tensor})
