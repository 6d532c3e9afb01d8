"""RTMPose through mmpose itself, in PyTorch: the reference the engine is checked against.

The engine normally runs RTMPose through ONNX Runtime (``fitting.pose.RTMPose``), which is
2-3x faster and much lighter to install. This module is the other way to run the same model:
mmpose's own config, weights loading, crop transforms, network and SimCC decoder. It is used

- as an optional live backend (``MMPoseRTMPose``), with the same call as ``fitting.pose.RTMPose``;
- by the exporter (``tools.export``), which turns an mmpose config and checkpoint into the
  ONNX file and JSON sidecar the engine runs;
- by the parity tests in ``tests/mmpose``, which prove both paths compute the same keypoints.

mmpose is imported lazily, only when one of these is used: the app's own environment does not
have it. Install it in a separate environment with ``requirements-mmpose.txt`` (see the README).

Two honest shortcuts make that environment install in a minute instead of a quarter of an hour;
both only apply when the real package is missing, and both raise if anything ever calls them:

- ``mmcv-lite`` is mmcv without its compiled CUDA/C++ ops (``mmcv._ext``). mmpose imports
  ``mmcv.ops`` at import time for a head RTMPose never uses (EDPose's deformable attention),
  so a placeholder ``mmcv._ext`` lets that import succeed; calling any compiled op raises.
- torchvision has no CPU build on PyPI that matches the CPU build of PyTorch, and mmpose imports
  it only for its SimCC heatmap visualiser (``torchvision.transforms.ToPILImage``). Without
  torchvision installed, a placeholder provides that one name, which raises if used.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import pickle
import re
import sys
import types
import warnings
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from .onnx_model import check_device
from .weights import POSE_MODEL_SIZES

INSTALL_COMMAND = "pip install --no-deps -r requirements-mmpose.txt"
INSTALL_HINT = (
    "install mmpose in its own virtual environment as the README's 'mmpose' section says "
    f"(python3.11 -m venv .venv-mmpose && .venv-mmpose/bin/{INSTALL_COMMAND}, then "
    "the xtcocotools line from requirements-mmpose.txt)"
)

# The RTMPose body models for COCO-17 keypoints, as named in mmpose's model zoo.
RTMPOSE_COCO_CONFIGS = {
    size: f"rtmpose-{size}_8xb256-420e_coco-256x192" for size in POSE_MODEL_SIZES
}

# Where model-zoo checkpoints are cached (torch.hub's folder, under $TORCH_HOME).
CHECKPOINT_CACHE_SUBDIR = "checkpoints"

TRUST_CHECKPOINT_HELP = (
    "load the checkpoint with torch.load(weights_only=False). Unpickling can run arbitrary code: "
    "use it only for a local file you trust (some older mmpose checkpoints pickle Python objects "
    "other than tensors and numpy arrays). Never allowed for URLs."
)


# --------------------------------------------------------------------------------------------
# Importing mmpose


def _add_placeholder_for_mmcv_compiled_ops() -> None:
    """Let ``import mmcv.ops`` succeed under mmcv-lite; any compiled op raises when called."""
    if "mmcv._ext" in sys.modules or importlib.util.find_spec("mmcv._ext") is not None:
        return  # full mmcv: its real compiled ops are used

    def missing_compiled_op(name: str):
        if name.startswith("__"):
            raise AttributeError(name)

        def compiled_op(*args, **kwargs):
            raise RuntimeError(
                f"mmcv.ops needs the compiled op {name!r}, which mmcv-lite does not have. "
                "RTMPose never calls it; for the mmpose models that do (EDPose, DEKR), "
                "install the full mmcv 2.1.0 instead of mmcv-lite (a source build of ~11 "
                "minutes on 2 cores)."
            )

        return compiled_op

    placeholder = types.ModuleType("mmcv._ext", "Placeholder for mmcv's compiled ops.")
    # loader=None tells mmengine's mmcv_full_available() the truth: this is not full mmcv.
    placeholder.__spec__ = importlib.machinery.ModuleSpec("mmcv._ext", loader=None)
    placeholder.__getattr__ = missing_compiled_op
    sys.modules["mmcv._ext"] = placeholder


def _add_placeholder_for_torchvision() -> None:
    """Provide ``torchvision.transforms.ToPILImage`` for mmpose's visualiser import, if needed."""
    if "torchvision" in sys.modules or importlib.util.find_spec("torchvision") is not None:
        return  # a real torchvision is installed and will be used

    class ToPILImage:
        def __init__(self, *args, **kwargs):
            raise RuntimeError(
                "torchvision is not installed: mmpose's SimCC heatmap visualiser needs it. "
                "Install the torchvision build that matches your PyTorch build to use it."
            )

    torchvision = types.ModuleType("torchvision", "Placeholder: torchvision is not installed.")
    transforms = types.ModuleType("torchvision.transforms")
    torchvision.__spec__ = importlib.machinery.ModuleSpec("torchvision", loader=None)
    transforms.__spec__ = importlib.machinery.ModuleSpec("torchvision.transforms", loader=None)
    transforms.ToPILImage = ToPILImage
    torchvision.transforms = transforms
    sys.modules["torchvision"] = torchvision
    sys.modules["torchvision.transforms"] = transforms


def import_mmpose() -> types.ModuleType:
    """Import mmpose (and mmpose.apis), or raise an ImportError that says how to install it."""
    try:
        import mmcv  # noqa: F401
        import mmdet  # noqa: F401  (RTMPose's CSPNeXt backbone lives in mmdet)
        import mmengine  # noqa: F401
        import mmpose
        import torch  # noqa: F401
    except ImportError as error:
        raise ImportError(
            f"The mmpose backend and the exporter need mmpose and PyTorch ({error}). "
            f"The app's own environment does not include them: {INSTALL_HINT}."
        ) from error
    _add_placeholder_for_mmcv_compiled_ops()
    _add_placeholder_for_torchvision()
    try:
        import mmpose.apis  # noqa: F401  (imports every mmpose model, hence the placeholders)
    except RuntimeError as error:
        if "torchvision" in str(error):
            raise ImportError(
                f"torchvision is installed but does not match PyTorch ({error}). mmpose only "
                "needs it for visualisation: `pip uninstall torchvision`, or install the "
                "torchvision build made for your PyTorch build."
            ) from error
        raise
    return mmpose


# --------------------------------------------------------------------------------------------
# Configs, checkpoints and models


def resolve_config(config: str) -> Path:
    """Path of an mmpose config given as a path or as the name of a config mmpose ships."""
    as_path = Path(config).expanduser()
    if as_path.suffix == ".py" and as_path.is_file():
        return as_path
    mmpose = import_mmpose()
    shipped_configs = Path(mmpose.__file__).parent / ".mim" / "configs"
    name = RTMPOSE_COCO_CONFIGS.get(config, Path(config).name.removesuffix(".py"))
    matches = sorted(shipped_configs.rglob(f"{name}.py"))
    if not matches:
        raise FileNotFoundError(
            f"{config!r} is neither a config file nor the name of a config shipped with mmpose "
            f"{mmpose.__version__} (looked under {shipped_configs}), e.g. "
            f"{RTMPOSE_COCO_CONFIGS['s']!r}."
        )
    return matches[0]


def model_zoo_checkpoint(config: str) -> str | None:
    """URL of the model-zoo checkpoint that mmpose's metafile lists for this config, if any."""
    import yaml  # installed with mmengine

    config_path = resolve_config(config)
    for metafile in sorted(config_path.parent.glob("*.yml")):
        for model in yaml.safe_load(metafile.read_text()).get("Models", []):
            if model.get("Name") == config_path.stem:
                return model.get("Weights")
    return None


def _numpy_array_unpickling_globals() -> list:
    """What torch.load(weights_only=True) must also allow to read numpy arrays and scalars.

    mmengine stores the dataset's metadata (with numpy arrays such as the OKS sigmas) in every
    checkpoint it saves; these names only rebuild arrays, so allowing them stays safe.
    """
    try:
        from numpy._core.multiarray import _reconstruct, scalar  # numpy 2
    except ImportError:
        from numpy.core.multiarray import _reconstruct, scalar  # numpy 1
    dtype_classes = [getattr(np.dtypes, name) for name in dir(np.dtypes) if name.endswith("DType")]
    # Checkpoints saved with numpy 1 (the model zoo's) name these numpy.core.multiarray.*
    numpy_1_names = [
        (_reconstruct, "numpy.core.multiarray._reconstruct"),
        (scalar, "numpy.core.multiarray.scalar"),
    ]
    return [_reconstruct, scalar, *numpy_1_names, np.ndarray, np.dtype, *dtype_classes]


def download_checkpoint(url: str) -> Path:
    """Download a checkpoint once into torch.hub's cache folder; return the cached file.

    Model-zoo files are named ``...-<first 8 hex digits of their SHA-256>_<date>.pth``
    (mmpose's publish_model.py); when the name has that form, the download is checked.
    """
    import torch

    cached = Path(torch.hub.get_dir()) / CHECKPOINT_CACHE_SUBDIR / Path(urlparse(url).path).name
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        torch.hub.download_url_to_file(url, str(cached), progress=sys.stderr.isatty())
    published = re.search(r"-([0-9a-f]{8})_\d{8}\.pth$", cached.name)
    if published:
        digest = hashlib.sha256(cached.read_bytes()).hexdigest()
        if not digest.startswith(published.group(1)):
            cached.unlink()
            raise ValueError(
                f"{url} downloaded with SHA-256 {digest[:8]}..., but its name says "
                f"{published.group(1)}: the download is corrupt or not the published file. "
                "Deleted it; try again."
            )
    return cached


def read_checkpoint(checkpoint: str, trust_checkpoint: bool = False) -> dict:
    """Read a checkpoint from a local path or a URL (downloaded once into torch.hub's cache).

    By default only tensors, numpy arrays and plain containers are unpickled
    (``weights_only=True``). ``trust_checkpoint=True`` lifts that for trusted local files.
    """
    import torch

    is_url = "://" in checkpoint
    if is_url and trust_checkpoint:
        raise ValueError(
            "trust_checkpoint is only for local files you trust: download the checkpoint, "
            "check where it comes from, and pass its local path."
        )
    path = download_checkpoint(checkpoint) if is_url else Path(checkpoint).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint not found: {checkpoint}")
    try:
        with torch.serialization.safe_globals(_numpy_array_unpickling_globals()):
            return torch.load(path, map_location="cpu", weights_only=not trust_checkpoint)
    except pickle.UnpicklingError as error:
        refused = re.search(r"GLOBAL (\S+)", str(error))
        raise ValueError(
            f"{checkpoint} pickles Python objects other than tensors and numpy arrays "
            f"({refused.group(1) if refused else 'see the error above'}), which PyTorch refuses "
            "to load by default because unpickling can run arbitrary code. If it is a local "
            "file you trust, load it with trust_checkpoint=True (--trust-checkpoint)."
        ) from error


def build_model(
    config: str,
    checkpoint: str | None = None,
    device: str = "cpu",
    trust_checkpoint: bool = False,
):
    """Build an mmpose top-down model with mmpose's ``init_model``, flip test off.

    With ``checkpoint=None`` the weights are random (PyTorch's default initialisation, so
    ``torch.manual_seed`` beforehand makes them reproducible).
    """
    import_mmpose()
    from mmengine.runner.checkpoint import _load_checkpoint_to_model
    from mmpose.apis import init_model

    no_flip_test = {"model": {"test_cfg": {"flip_test": False}}}
    model = init_model(str(resolve_config(config)), None, device="cpu", cfg_options=no_flip_test)
    if checkpoint is not None:
        loaded = read_checkpoint(checkpoint, trust_checkpoint)
        try:
            _load_checkpoint_to_model(model, loaded, strict=True)
        except RuntimeError as error:
            raise ValueError(
                f"checkpoint {checkpoint} does not fit config {config}: {error}. "
                "Pass the config the checkpoint was trained with."
            ) from error
        dataset_meta = loaded.get("meta", {}).get("dataset_meta")
        if dataset_meta:  # init_model's order: the checkpoint's metadata over the config's
            model.dataset_meta = dataset_meta
    return model.to(device).eval()


def pick_device(device: str) -> str:
    """'auto' -> 'cuda' when PyTorch sees a GPU, else 'cpu'; 'cpu' and 'cuda' pass through."""
    import torch

    if check_device(device) == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("device='cuda' but PyTorch sees no GPU: use device='cpu' or 'auto'.")
    return device


def test_pipeline_transform(model, transform_type: str):
    """The transform of the given type from the model's test pipeline, built by mmpose."""
    from mmpose.registry import TRANSFORMS

    for step in model.cfg.test_dataloader.dataset.pipeline:
        if step["type"] == transform_type:
            return TRANSFORMS.build(step)
    raise ValueError(f"the config's test pipeline has no {transform_type} step")


# --------------------------------------------------------------------------------------------
# The live backend


class MMPoseRTMPose:
    """Top-down RTMPose through mmpose in PyTorch, called like ``fitting.pose.RTMPose``.

    One forward pass for all boxes, flip test off: the same work as the ONNX Runtime path.

    Args:
        config: an mmpose config path, the name of a config mmpose ships
            (e.g. "rtmpose-s_8xb256-420e_coco-256x192"), or t|s|m|l for the COCO RTMPose models.
        checkpoint: local path or URL of the weights; None gives random weights (tests only).
        device: "cpu", "cuda" or "auto" (CUDA when PyTorch sees a GPU).
        trust_checkpoint: allow a local checkpoint that pickles arbitrary Python objects.
        threads: PyTorch's intra-op threads. PyTorch has one setting per process
            (``torch.set_num_threads``), so this sets it for the whole process; None keeps it.
    """

    def __init__(
        self,
        config: str,
        checkpoint: str | None = None,
        device: str = "auto",
        trust_checkpoint: bool = False,
        threads: int | None = None,
    ):
        if threads:
            import torch

            torch.set_num_threads(threads)
        if checkpoint is None:
            warnings.warn(
                "MMPoseRTMPose without a checkpoint has random weights: its keypoints are "
                "meaningless (use it for tests only).",
                stacklevel=2,
            )
        self.device = pick_device(device)
        self.model = build_model(config, checkpoint, self.device, trust_checkpoint)
        self.bbox_to_center_scale = test_pipeline_transform(self.model, "GetBBoxCenterScale")
        self.crop = test_pipeline_transform(self.model, "TopdownAffine")
        self.output_keypoint_indices = self.model.test_cfg.get("output_keypoint_indices")
        self.num_keypoints = len(self.model.dataset_meta["keypoint_id2name"])

    @classmethod
    def from_pose_model(
        cls,
        pose_model: str,
        checkpoint: str | None = None,
        device: str = "auto",
        threads: int | None = None,
    ) -> MMPoseRTMPose:
        """The engine's ``pose_model`` for this backend: t|s|m|l, a config name or a config path.

        Without ``checkpoint``, the model-zoo checkpoint mmpose lists for that config is
        downloaded once into torch.hub's cache.
        """
        if checkpoint is None:
            checkpoint = model_zoo_checkpoint(pose_model)
            if checkpoint is None:
                raise ValueError(
                    f"mmpose lists no model-zoo checkpoint for {pose_model!r}: pass checkpoint="
                )
        return cls(pose_model, checkpoint, device, threads=threads)

    def __call__(self, image: np.ndarray, boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """image: (H, W, 3) uint8 RGB. boxes: (N, 4) float xyxy person boxes in pixels.

        Returns keypoints (N, K, 2) float32 in image pixels and scores (N, K) float32.
        """
        boxes = np.asarray(boxes, dtype=np.float32).reshape(-1, 4)
        if len(boxes) == 0:
            empty = np.zeros((0, self.num_keypoints), np.float32)
            return np.zeros((0, self.num_keypoints, 2), np.float32), empty

        crops, centers, scales = [], [], []
        for box in boxes:
            # mmpose's own test-pipeline transforms: padding, aspect ratio fix, affine crop.
            sample = self.crop(self.bbox_to_center_scale({"img": image, "bbox": box[None]}))
            # The model's data preprocessor expects BGR (as cv2.imread gives) and converts it
            # to RGB before normalising; the engine hands us RGB, so flip the small crop back.
            crops.append(np.ascontiguousarray(sample["img"][..., ::-1]))
            centers.append(sample["input_center"])
            scales.append(sample["input_scale"])
        input_size = np.array(sample["input_size"], dtype=np.float32)

        import torch
        from mmpose.structures import PoseDataSample

        batch = {
            "inputs": [torch.from_numpy(crop).permute(2, 0, 1) for crop in crops],
            "data_samples": [PoseDataSample() for _ in crops],
        }
        with torch.no_grad():
            inputs = self.model.data_preprocessor(batch)["inputs"]
            simcc = self.model(inputs, None, mode="tensor")
            predictions = self.model.head.decode(simcc)

        # From crop pixels back to image pixels, as TopdownPoseEstimator.add_pred_to_datasample.
        keypoints = np.concatenate([p.keypoints for p in predictions])[..., :2]
        scores = np.concatenate([p.keypoint_scores for p in predictions])
        centers, scales = np.array(centers)[:, None], np.array(scales)[:, None]
        keypoints = keypoints / input_size * scales + centers - 0.5 * scales
        if self.output_keypoint_indices is not None:
            keypoints = keypoints[:, self.output_keypoint_indices]
            scores = scores[:, self.output_keypoint_indices]
        return keypoints.astype(np.float32), scores.astype(np.float32)
