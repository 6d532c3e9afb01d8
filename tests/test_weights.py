"""Model resolution: zoo zips, the Hugging Face Hub cache, local paths. Never the network:
the "downloads" are file:// URLs of zips made here, and the Hub is used offline."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from fitting import weights
from fitting.weights import ModelUnavailableError, ZooModel, resolve_model

PAYLOAD = b"not really a network, but the bytes of a model"


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("FITTING_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("FITTING_OFFLINE", raising=False)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)


def zoo_zip(tmp_path, members: dict[str, bytes], name="model.zip") -> str:
    archive = tmp_path / name
    with zipfile.ZipFile(archive, "w") as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return archive.as_uri()


def use_zoo(monkeypatch, url, member="end2end.onnx"):
    model = ZooModel("Test model", url, member, "test-model.onnx")
    monkeypatch.setitem(weights.ZOO_MODELS, "test", model)
    return model


def test_a_local_path_is_used_as_it_is(tmp_path):
    path = tmp_path / "m.onnx"
    path.write_bytes(PAYLOAD)
    assert resolve_model(str(path)) == path


def test_an_unknown_spec_says_what_is_accepted():
    with pytest.raises(ModelUnavailableError) as excinfo:
        resolve_model("no-such-model.onnx")
    assert str(excinfo.value) == (
        "model 'no-such-model.onnx' not found: give a path to an .onnx file, one of t, s, m, l, "
        "rtmdet-nano, mediapipe-selfie, or hf://owner/repo/file.onnx"
    )


def test_zoo_model_is_downloaded_once_checked_and_unpacked(tmp_path, monkeypatch):
    url = zoo_zip(
        tmp_path,
        {"rtmpose-x_release/end2end.onnx": PAYLOAD, "rtmpose-x_release/deploy.json": b"{}"},
    )
    use_zoo(monkeypatch, url)
    path = resolve_model("test")
    assert path == tmp_path / "cache" / "test-model.onnx" and path.read_bytes() == PAYLOAD
    (tmp_path / "model.zip").unlink()  # a second resolve must not download again
    assert resolve_model("test") == path


def test_a_member_path_picks_one_of_several_models(tmp_path, monkeypatch):
    url = zoo_zip(
        tmp_path, {"a/rtmdet-nano/end2end.onnx": PAYLOAD, "a/rtmpose-m/end2end.onnx": b"other"}
    )
    use_zoo(monkeypatch, url, member="a/rtmdet-nano/end2end.onnx")
    assert resolve_model("test").read_bytes() == PAYLOAD
    use_zoo(monkeypatch, url, member="end2end.onnx")
    (tmp_path / "cache" / "test-model.onnx").unlink()
    with pytest.raises(
        ModelUnavailableError, match="holds 2 files named end2end.onnx, expected one"
    ):
        resolve_model("test")


def test_a_corrupt_download_is_refused_and_not_cached(tmp_path, monkeypatch):
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04 this is not a zip")
    use_zoo(monkeypatch, archive.as_uri())
    with pytest.raises(ModelUnavailableError, match="broken.zip is not a valid zip"):
        resolve_model("test")
    assert not (tmp_path / "cache" / "test-model.onnx").exists()


def test_offline_and_not_cached_says_where_from_and_how_to_provide_it(monkeypatch, tmp_path):
    monkeypatch.setenv("FITTING_OFFLINE", "1")
    with pytest.raises(ModelUnavailableError) as excinfo:
        resolve_model("s")
    message = str(excinfo.value)
    cached = (
        tmp_path / "cache" / "rtmpose-s_simcc-body7_pt-body7_420e-256x192-acd4a1ef_20230504.onnx"
    )
    assert message.startswith("RTMPose-s (body7, COCO-17, 256x192) ('s') is not cached at ")
    assert str(cached) in message and "downloads are off (offline mode)" in message
    assert (
        weights.ZOO_MODELS["s"].url in message and "--pose-model /path/to/end2end.onnx" in message
    )


def test_a_failed_download_says_how_to_provide_the_file(tmp_path, monkeypatch):
    use_zoo(monkeypatch, (tmp_path / "missing.zip").as_uri())
    with pytest.raises(ModelUnavailableError, match="download failed: .*Download file://"):
        resolve_model("test")


def hub_cache(tmp_path, repo="owner/poses", files=None) -> None:
    """Lays out a Hugging Face cache as hf_hub_download leaves it after a download."""
    commit = "0" * 40
    root = tmp_path / "hf" / "hub" / f"models--{repo.replace('/', '--')}"
    (root / "refs").mkdir(parents=True)
    (root / "refs" / "main").write_text(commit)
    for name, data in (files or {}).items():
        target = root / "snapshots" / commit / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def resolve_in_new_process(spec: str, hf_home, offline_variable: str) -> str:
    """resolve_model(spec) in a fresh Python with HF_HOME and offline mode set before start.

    huggingface_hub reads HF_HOME when it is imported, as in any real run; this process may
    have imported it already (Gradio does).
    """
    code = (
        "from fitting.weights import ModelUnavailableError, resolve_model\n"
        "try:\n"
        f"    print(resolve_model({spec!r}))\n"
        "except ModelUnavailableError as error:\n"
        "    print('error:', error)\n"
    )
    env = {**os.environ, "HF_HOME": str(hf_home), offline_variable: "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("offline_variable", ["HF_HUB_OFFLINE", "FITTING_OFFLINE"])
def test_hub_model_comes_from_the_cache_offline(tmp_path, offline_variable):
    hub_cache(tmp_path, files={"onnx/rtmpose-s.onnx": PAYLOAD, "onnx/rtmpose-s.json": b"{}"})
    found = resolve_in_new_process(
        "hf://owner/poses/onnx/rtmpose-s.onnx", tmp_path / "hf", offline_variable
    )
    path = Path(found)
    assert path.is_file(), found
    assert path.read_bytes() == PAYLOAD and path.with_suffix(".json").is_file()
    assert path.is_relative_to(tmp_path / "hf" / "hub")


def test_hub_model_not_cached_offline_is_a_clear_error(tmp_path):
    hub_cache(tmp_path)
    said = resolve_in_new_process("hf://owner/poses/m.onnx", tmp_path / "hf", "HF_HUB_OFFLINE")
    assert said.startswith(
        f"error: hf://owner/poses/m.onnx is not in the Hugging Face cache (HF_HOME={tmp_path}/hf)"
    ), said


def test_hub_spec_must_name_a_file():
    with pytest.raises(ModelUnavailableError, match="expected hf://owner/repo/path/to/model.onnx"):
        resolve_model("hf://owner/repo")
