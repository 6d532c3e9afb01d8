"""Where model files come from: OpenMMLab's model zoo, the Hugging Face Hub, or a local path.

A model spec is one of:

- a short name: ``t``, ``s``, ``m``, ``l`` (RTMPose body models), ``rtmdet-nano`` (the person
  detector) or ``mediapipe-selfie`` (the person segmentation model). The released file is
  downloaded once into the cache directory, with progress: OpenMMLab's ONNX zips are checked
  (zip CRCs, the expected file inside) and unpacked; the segmentation model is the ONNX export
  of MediaPipe Selfie Segmentation on the Hugging Face Hub, fetched as it is. Later runs use
  the cached file.
- ``hf://owner/repo/path/to/model.onnx``: fetched with ``huggingface_hub.hf_hub_download``, which
  caches under ``HF_HOME`` and honours ``HF_HUB_OFFLINE=1``. A sidecar ``model.json`` beside it
  in the repo is fetched too when it exists.
- a path to a local ``.onnx`` file.

The cache directory is ``$FITTING_CACHE``, else ``$XDG_CACHE_HOME/live-fitting``, else
``~/.cache/live-fitting``. ``FITTING_OFFLINE=1`` (or ``HF_HUB_OFFLINE=1``) forbids downloads.
Nothing here touches the network unless a model that is not cached is asked for.
"""

import contextlib
import os
import shutil
import tempfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tqdm.auto import tqdm

ZOO = "https://download.openmmlab.com/mmpose/v1/projects"


@dataclass(frozen=True)
class ZooModel:
    """An ONNX file inside one of OpenMMLab's released zips."""

    description: str
    url: str
    member: str | None  # path of the .onnx inside the zip, or a bare file name that occurs
    # once in it; None: the URL is the .onnx itself
    filename: str  # name of the cached .onnx


def _rtmpose(size: str, tag: str) -> ZooModel:
    stem = f"rtmpose-{size}_simcc-body7_pt-body7_420e-256x192-{tag}"
    return ZooModel(
        f"RTMPose-{size} (body7, COCO-17, 256x192)",
        f"{ZOO}/rtmposev1/onnx_sdk/{stem}.zip",
        "end2end.onnx",
        f"{stem}.onnx",
    )


# The released RTMPose body models by size, with the tag in their file names.
RTMPOSE_TAGS = {
    "t": "026a1439_20230504",
    "s": "acd4a1ef_20230504",
    "m": "e48f03d0_20230504",
    "l": "4dba18fc_20230504",
}
POSE_MODEL_SIZES = tuple(RTMPOSE_TAGS)
DETECTOR = "rtmdet-nano"  # the person detector's short name
SEGMENTER = "mediapipe-selfie"  # the person segmentation model's short name
# MediaPipe Selfie Segmentation (Google, Apache-2.0), general (square 256x256) model, as the
# ONNX Community exported it to the Hub (Apache-2.0).
SELFIE_URL = (
    "https://huggingface.co/onnx-community/mediapipe_selfie_segmentation/resolve/main/onnx/"
    "model.onnx"
)

ZOO_MODELS = {
    **{size: _rtmpose(size, tag) for size, tag in RTMPOSE_TAGS.items()},
    DETECTOR: ZooModel(
        "RTMDet-nano person detector (from rtmpose-cpu.zip)",
        f"{ZOO}/rtmpose/rtmpose-cpu.zip",
        "rtmpose-ort/rtmdet-nano/end2end.onnx",
        "rtmdet-nano-person_rtmpose-cpu.onnx",
    ),
    SEGMENTER: ZooModel(
        "MediaPipe Selfie Segmentation (person vs background, 256x256)",
        SELFIE_URL,
        None,
        "mediapipe-selfie-segmentation.onnx",
    ),
}


class ModelUnavailableError(RuntimeError):
    """A model file could not be found or fetched; the message says how to provide it."""


def cache_dir() -> Path:
    if os.environ.get("FITTING_CACHE"):
        return Path(os.environ["FITTING_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "live-fitting"


def offline() -> bool:
    return any(
        os.environ.get(v, "").lower() in ("1", "true", "yes")
        for v in ("FITTING_OFFLINE", "HF_HUB_OFFLINE")
    )


def resolve_model(spec: str | Path) -> Path:
    """The local path of the ONNX file that ``spec`` names, fetching it once if needed."""
    spec = str(spec)
    if spec in ZOO_MODELS:
        return _zoo_model(ZOO_MODELS[spec], spec)
    if spec.startswith("hf://"):
        return _hub_model(spec)
    path = Path(spec).expanduser()
    if path.is_file():
        return path
    known = ", ".join(ZOO_MODELS)
    raise ModelUnavailableError(
        f"model {spec!r} not found: give a path to an .onnx file, one of {known}, "
        "or hf://owner/repo/file.onnx"
    )


def _zoo_model(model: ZooModel, name: str) -> Path:
    target = cache_dir() / model.filename
    if target.is_file():
        return target
    if offline():
        raise ModelUnavailableError(
            _how_to_provide(model, name, target, "downloads are off (offline mode)")
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        archive = Path(tmp) / Path(model.url).name
        try:
            _download(model.url, archive, model.description)
        except OSError as err:  # URLError and HTTPError are OSErrors
            raise ModelUnavailableError(
                _how_to_provide(model, name, target, f"download failed: {err}")
            ) from err
        if model.member is None:
            archive.replace(target)  # the file itself, complete
        else:
            _extract(archive, model.member, target)
    return target


def _download(url: str, dest: Path, description: str) -> None:
    with urllib.request.urlopen(url, timeout=30) as response, open(dest, "wb") as out:
        total = int(response.headers.get("Content-Length") or 0) or None
        with tqdm(total=total, unit="B", unit_scale=True, desc=f"Downloading {description}") as bar:
            while chunk := response.read(1 << 16):
                out.write(chunk)
                bar.update(len(chunk))


def _extract(archive: Path, member: str, target: Path) -> None:
    """Checks the zip's CRCs, then writes its ``member`` atomically to ``target``."""
    try:
        with zipfile.ZipFile(archive) as zf:
            if (bad := zf.testzip()) is not None:
                raise ModelUnavailableError(
                    f"{archive.name} is corrupt ({bad} fails its CRC); try again"
                )
            names = [n for n in zf.namelist() if n == member or n.rsplit("/", 1)[-1] == member]
            if len(names) != 1:
                raise ModelUnavailableError(
                    f"{archive.name} holds {len(names)} files named {member}, expected one; "
                    "is the URL right?"
                )
            partial = target.with_suffix(".partial")
            with zf.open(names[0]) as src, open(partial, "wb") as dst:
                shutil.copyfileobj(src, dst)
    except zipfile.BadZipFile as err:
        raise ModelUnavailableError(
            f"{archive.name} is not a valid zip ({err}); try again"
        ) from err
    partial.replace(target)


def _how_to_provide(model: ZooModel, name: str, target: Path, reason: str) -> str:
    inside = f"its {model.member}" if model.member else "it"
    return (
        f"{model.description} ('{name}') is not cached at {target} and {reason}. "
        f"Download {model.url} on a machine with internet, then either put {inside} at "
        f"{target} or pass the .onnx path directly (e.g. --pose-model /path/to/end2end.onnx, "
        "--detector for the detector, --segmenter for the segmentation model)."
    )


def _hub_model(spec: str) -> Path:
    parts = spec.removeprefix("hf://").split("/")
    if len(parts) < 3 or not spec.endswith(".onnx"):
        raise ModelUnavailableError(f"{spec!r}: expected hf://owner/repo/path/to/model.onnx")
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import EntryNotFoundError, LocalEntryNotFoundError

    repo_id, filename = "/".join(parts[:2]), "/".join(parts[2:])
    try:
        path = Path(hf_hub_download(repo_id, filename, local_files_only=offline()))
    except LocalEntryNotFoundError as err:
        hf_home = os.environ.get("HF_HOME", "~/.cache/huggingface")
        raise ModelUnavailableError(
            f"{spec} is not in the Hugging Face cache (HF_HOME={hf_home}) and cannot be "
            "downloaded (offline, or the Hub is unreachable). Run once with internet, or "
            "download the file yourself and pass its local path."
        ) from err
    except Exception as err:  # repository missing, gated, or no such file
        raise ModelUnavailableError(
            f"could not fetch {spec} from the Hugging Face Hub: {err}"
        ) from err
    # The optional sidecar written by `python -m tools.export`. Without one (or with none
    # cached, offline) the model uses RTMPose's standard settings.
    with contextlib.suppress(EntryNotFoundError, LocalEntryNotFoundError):
        hf_hub_download(
            repo_id, str(Path(filename).with_suffix(".json")), local_files_only=offline()
        )
    return path
