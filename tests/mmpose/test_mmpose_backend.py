"""The mmpose backend: real mmpose code paths, checkpoint loading, and its install story."""

import argparse
import hashlib
import io
import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch

from fitting.mmpose_backend import (
    MMPoseRTMPose,
    build_model,
    import_mmpose,
    model_zoo_checkpoint,
    pick_device,
    read_checkpoint,
    resolve_config,
)

CONFIG_T = "rtmpose-t_8xb256-420e_coco-256x192"
CONFIG_S = "rtmpose-s_8xb256-420e_coco-256x192"


@pytest.fixture(scope="module")
def checkpoint_t(tmp_path_factory, random_checkpoint):
    return random_checkpoint(CONFIG_T, tmp_path_factory.mktemp("t") / "random.pth")


def same_weights(model, checkpoint_path) -> bool:
    saved = torch.load(checkpoint_path, weights_only=True)["state_dict"]
    return all(torch.equal(value, saved[name]) for name, value in model.state_dict().items())


def test_model_is_mmposes_real_rtmpose():
    """The parity tests run mmpose's own classes, not stand-ins: CSPNeXt, RTMCCHead, SimCC."""
    model = build_model("t")
    assert type(model).__module__.startswith("mmpose.models.pose_estimators")
    assert type(model.backbone).__name__ == "CSPNeXt"
    assert type(model.backbone).__module__.startswith("mmdet.models.backbones")
    assert type(model.head).__name__ == "RTMCCHead"
    assert type(model.head.decoder).__name__ == "SimCCLabel"
    assert model.test_cfg["flip_test"] is False


def test_placeholders_stand_in_only_for_what_rtmpose_never_calls():
    import_mmpose()
    from mmengine.utils.dl_utils import mmcv_full_available

    compiled_ops = sys.modules["mmcv._ext"]
    if compiled_ops.__spec__.loader is None:  # mmcv-lite: the placeholder is in place
        assert not mmcv_full_available()
        with pytest.raises(RuntimeError, match="mmcv-lite"):
            compiled_ops.nms(None, None, 0.5)
    torchvision = sys.modules["torchvision"]
    if torchvision.__spec__.loader is None:  # torchvision not installed
        with pytest.raises(RuntimeError, match="torchvision is not installed"):
            torchvision.transforms.ToPILImage()


def test_missing_mmpose_says_how_to_install_it():
    blocked = "import sys; sys.modules['mmpose'] = None\n"
    call = "from fitting.mmpose_backend import MMPoseRTMPose; MMPoseRTMPose('s')"
    done = subprocess.run([sys.executable, "-c", blocked + call], capture_output=True, text=True)
    assert done.returncode != 0
    assert "ImportError" in done.stderr and "requirements-mmpose.txt" in done.stderr


def test_config_by_alias_name_or_path():
    by_name = resolve_config(CONFIG_S)
    assert by_name.name == f"{CONFIG_S}.py" and by_name.is_file()
    assert resolve_config("s") == by_name
    assert resolve_config(str(by_name)) == by_name


def test_model_zoo_checkpoint_comes_from_mmposes_metafile():
    url = model_zoo_checkpoint("s")
    assert url.startswith("https://download.openmmlab.com/mmpose/") and url.endswith(".pth")
    assert "rtmpose-s" in url


def test_backend_with_no_boxes_returns_empty_arrays(checkpoint_t):
    backend = MMPoseRTMPose("t", str(checkpoint_t), device="cpu")
    keypoints, scores = backend(np.zeros((480, 640, 3), np.uint8), np.zeros((0, 4), np.float32))
    assert keypoints.shape == (0, 17, 2) and scores.shape == (0, 17)


def test_backend_without_checkpoint_warns_that_weights_are_random():
    with warnings.catch_warnings(record=True) as caught:  # (pytest.warns re-emits mmpose's)
        warnings.simplefilter("always")
        MMPoseRTMPose("t", device="cpu")
    assert any("random weights" in str(warning.message) for warning in caught)


def test_device_auto_takes_cuda_only_when_pytorch_sees_it():
    assert pick_device("auto") == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(ValueError, match="device must be one of auto, cpu, cuda, got 'gpu'"):
        pick_device("gpu")


def test_mmengine_checkpoint_with_numpy_metadata_loads_without_trust(tmp_path, checkpoint_t):
    """mmengine's own checkpoints pickle numpy arrays (dataset metadata): safe to allow."""
    from mmengine.runner.checkpoint import save_checkpoint

    model = build_model("t", str(checkpoint_t))
    dataset_meta = dict(model.dataset_meta, dataset_name="coco-from-the-checkpoint")
    assert isinstance(dataset_meta["sigmas"], np.ndarray)
    path = tmp_path / "mmengine.pth"
    save_checkpoint(
        {"state_dict": model.state_dict(), "meta": {"dataset_meta": dataset_meta}}, str(path)
    )

    loaded = build_model("t", str(path))
    assert same_weights(loaded, checkpoint_t)
    assert loaded.dataset_meta["dataset_name"] == "coco-from-the-checkpoint"


def test_model_zoo_style_checkpoint_saved_with_numpy_1_loads_without_trust(tmp_path, checkpoint_t):
    """Model-zoo files are legacy-format pickles naming numpy 1's numpy.core.multiarray."""
    state_dict = torch.load(checkpoint_t, weights_only=True)["state_dict"]
    meta = {"dataset_meta": {"sigmas": np.ones(17, np.float32)}, "epoch": 420}
    buffer = io.BytesIO()
    torch.save(
        {"state_dict": state_dict, "meta": meta},
        buffer,
        _use_new_zipfile_serialization=False,  # as mmpose's publish_model.py saves
        pickle_protocol=2,  # module names as plain text lines, so they can be renamed here
    )
    numpy_2_pickle = buffer.getvalue()
    assert b"numpy._core.multiarray\n" in numpy_2_pickle
    path = tmp_path / "zoo-style.pth"
    path.write_bytes(
        numpy_2_pickle.replace(b"numpy._core.multiarray\n", b"numpy.core.multiarray\n")
    )

    assert same_weights(build_model("t", str(path)), checkpoint_t)


def test_checkpoint_with_arbitrary_objects_needs_explicit_trust(tmp_path, checkpoint_t):
    state_dict = torch.load(checkpoint_t, weights_only=True)["state_dict"]
    path = tmp_path / "old-style.pth"
    torch.save({"state_dict": state_dict, "meta": {"args": argparse.Namespace(lr=0.1)}}, path)

    with pytest.raises(ValueError, match=r"argparse\.Namespace.*trust_checkpoint=True"):
        build_model("t", str(path))
    assert same_weights(build_model("t", str(path), trust_checkpoint=True), checkpoint_t)


@pytest.fixture
def hub_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path / "hub"))
    return tmp_path / "hub"


def test_url_checkpoint_is_downloaded_into_torch_hub_cache(hub_dir, checkpoint_t):
    model = build_model("t", checkpoint_t.as_uri())
    assert same_weights(model, checkpoint_t)
    assert (hub_dir / "checkpoints" / checkpoint_t.name).is_file()
    with pytest.raises(ValueError, match="only for local files"):
        read_checkpoint(checkpoint_t.as_uri(), trust_checkpoint=True)


def test_model_zoo_file_names_are_checked_against_the_download(tmp_path, hub_dir, checkpoint_t):
    """Model-zoo names carry the first 8 hex digits of the file's SHA-256."""
    digest = hashlib.sha256(checkpoint_t.read_bytes()).hexdigest()[:8]
    published = tmp_path / f"rtmpose-t-{digest}_20230127.pth"
    published.write_bytes(checkpoint_t.read_bytes())
    assert same_weights(build_model("t", published.as_uri()), checkpoint_t)

    tampered = tmp_path / "rtmpose-t-0badf00d_20230127.pth"
    tampered.write_bytes(checkpoint_t.read_bytes())
    with pytest.raises(ValueError, match="corrupt"):
        read_checkpoint(tampered.as_uri())
    assert not (hub_dir / "checkpoints" / tampered.name).exists()


def test_checkpoint_for_another_config_is_refused(checkpoint_t):
    with pytest.raises(ValueError, match="does not fit config"):
        build_model("s", str(checkpoint_t))


def test_missing_checkpoint_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no-such.pth"):
        build_model("t", str(tmp_path / "no-such.pth"))


# What requirements-mmpose.txt leaves out on purpose (it says why); `pip check` lists these.
KNOWN_UNMET_REQUIREMENTS = {
    ("mmpose", "chumpy"),
    ("mmpose", "torchvision"),
    ("mmpose", "opencv-python"),
    ("mmengine", "opencv-python"),
    ("mmcv-lite", "opencv-python"),
}


def test_environment_lacks_nothing_but_what_requirements_leave_out_on_purpose():
    """Catches a dependency missing from requirements-mmpose.txt (installed with --no-deps)."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, check=False
    )
    problems = set()
    for line in done.stdout.splitlines():
        words = line.split()
        if "requires" in words and line.endswith("which is not installed."):
            problems.add((words[0], words[words.index("requires") + 1].rstrip(",")))
        else:
            problems.add((line, ""))  # a version conflict or anything else: always a problem
    assert problems <= KNOWN_UNMET_REQUIREMENTS, done.stdout


def test_threads_sets_pytorchs_process_wide_thread_count(checkpoint_t):
    before = torch.get_num_threads()
    try:
        MMPoseRTMPose("t", str(checkpoint_t), device="cpu", threads=1)
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
