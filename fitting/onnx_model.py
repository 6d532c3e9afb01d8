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


def producers(path: str | Path) -> dict[str, tuple[str, list[str]]]:
    """The node that produces each tensor of an ONNX model, by tensor name: its op type and
    its inputs' names.

    Read straight from the file's protobuf (ModelProto.graph -> GraphProto.node -> NodeProto
    input, output and op_type), so that a model's last operations (a Sigmoid, say) can be
    checked without the ``onnx`` package.
    """
    model = Path(path).read_bytes()
    found = {}
    for number, graph in _fields(model):
        if number != MODEL_GRAPH:
            continue
        for field, node in _fields(graph):
            if field != GRAPH_NODE:
                continue
            parts = list(_fields(node))
            op_type = next((bytes(v).decode() for n, v in parts if n == NODE_OP_TYPE), "")
            inputs = [bytes(v).decode() for n, v in parts if n == NODE_INPUT]
            for n, value in parts:
                if n == NODE_OUTPUT:
                    found[bytes(value).decode()] = (op_type, inputs)
    return found


# Field numbers of onnx.proto: ModelProto.graph, GraphProto.node, NodeProto.input / output /
# op_type.
MODEL_GRAPH, GRAPH_NODE, NODE_INPUT, NODE_OUTPUT, NODE_OP_TYPE = 7, 1, 1, 2, 4


def _fields(message: bytes | memoryview):
    """(field number, value) of each field of a protobuf message; length-delimited values
    (strings, sub-messages) as memoryviews, the others as ints or raw bytes."""
    data, i = memoryview(message), 0
    while i < len(data):
        key, i = _varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
        elif wire == 1:
            value, i = data[i : i + 8], i + 8
        elif wire == 2:
            size, i = _varint(data, i)
            value, i = data[i : i + size], i + size
        elif wire == 5:
            value, i = data[i : i + 4], i + 4
        else:
            raise ValueError(f"not an ONNX model: protobuf wire type {wire} at byte {i}")
        yield number, value


def _varint(data: memoryview, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]
        value |= (byte & 0x7F) << shift
        i += 1
        if byte < 0x80:
            return value, i
        shift += 7
