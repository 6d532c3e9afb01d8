"""Speed and memory of the three ways to run RTMPose, for the README.

    .venv-mmpose/bin/python tests/mmpose/bench.py [--sizes t s] [--frames 50] [--threads 2]

For each model (random weights from mmpose's config; speed does not depend on the values) and
each path, a fresh process times ``--frames`` calls on a real photo with one person box and
reports the median per-frame latency and the process's peak RSS (imports and model included).
Each is run ``--repeats`` times and the lowest median is kept, to discount other load:

- ``inference_topdown``: mmpose's own API (test pipeline, data samples), flip test off;
- ``mmpose backend``: ``fitting.mmpose_backend.MMPoseRTMPose``, the PyTorch backend;
- ``onnxruntime``: ``fitting.pose.RTMPose`` on the exported model, the engine's default.

"network only" is the forward pass alone (PyTorch, or the ONNX Runtime session) on one crop.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # a script in tests/mmpose: make the project importable
PHOTO = ROOT.parent / "shared" / "data" / "coco_keypoints" / "000000000785.jpg"
PERSON_BOX = [280.79, 44.73, 280.79 + 218.7, 44.73 + 346.68]  # its ground-truth box, xyxy
WARMUP_FRAMES = 10
PATHS = ("inference_topdown", "mmpose backend", "onnxruntime")


def median_ms(call, frames: int) -> float:
    for _ in range(WARMUP_FRAMES):
        call()
    times = []
    for _ in range(frames):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(path: str, config: str, checkpoint: str, onnx: str, frames: int, threads: int):
    """Runs in a child process: returns (per-frame ms, network-only ms or None)."""
    import cv2
    import numpy as np

    bgr = cv2.imread(str(PHOTO))
    rgb = np.ascontiguousarray(bgr[..., ::-1])
    boxes = np.array([PERSON_BOX], dtype=np.float32)

    if path == "onnxruntime":
        from fitting.pose import RTMPose

        engine = RTMPose(onnx, device="cpu", threads=threads)
        crop, _, _ = engine.preprocess(rgb, boxes)
        return median_ms(lambda: engine(rgb, boxes), frames), median_ms(
            lambda: engine.inference(crop), frames
        )

    import torch

    from fitting.mmpose_backend import MMPoseRTMPose, import_mmpose, resolve_config

    torch.set_num_threads(threads)
    if path == "inference_topdown":
        import_mmpose()  # first: it stands in for what mmcv-lite and torchvision lack
        from mmpose.apis import inference_topdown, init_model

        no_flip_test = {"model": {"test_cfg": {"flip_test": False}}}
        model = init_model(str(resolve_config(config)), checkpoint, "cpu", no_flip_test)
        return median_ms(lambda: inference_topdown(model, bgr, boxes), frames), None

    backend = MMPoseRTMPose(config, checkpoint, device="cpu", threads=threads)
    width, height = backend.model.head.decoder.input_size
    crop = torch.zeros(1, 3, height, width)

    def network_only():
        with torch.no_grad():
            backend.model(crop, None, mode="tensor")

    return median_ms(lambda: backend(rgb, boxes), frames), median_ms(network_only, frames)


def peak_rss_mb() -> float:
    """This process's peak resident memory. (Not getrusage's ru_maxrss: Linux carries that
    over from the parent through fork and exec, so every child would report the parent's.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def child(args) -> None:
    per_frame, network = measure(
        args.path, args.config, args.checkpoint, args.onnx, args.frames, args.threads
    )
    print(json.dumps({"per_frame_ms": per_frame, "network_ms": network, "rss_mb": peak_rss_mb()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["t", "s"])
    parser.add_argument("--frames", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3, help="processes per model and path")
    parser.add_argument("--path", help=argparse.SUPPRESS)  # set in the child processes
    parser.add_argument("--config", help=argparse.SUPPRESS)
    parser.add_argument("--checkpoint", help=argparse.SUPPRESS)
    parser.add_argument("--onnx", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.path:
        return child(args)

    import torch

    from fitting.mmpose_backend import RTMPOSE_COCO_CONFIGS, build_model
    from tools.export import export

    runs = {}  # (size, path) -> the results of its --repeats processes
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            config = RTMPOSE_COCO_CONFIGS[size]
            torch.manual_seed(0)
            checkpoint = Path(folder) / f"rtmpose-{size}.pth"
            torch.save({"state_dict": build_model(config).state_dict()}, checkpoint)
            onnx, _, _ = export(config, Path(folder) / f"rtmpose-{size}.onnx", str(checkpoint))
            for _ in range(args.repeats):  # round-robin, so a busy spell hits every path alike
                for path in PATHS:
                    command = [sys.executable, __file__, "--path", path, "--config", config]
                    command += ["--checkpoint", str(checkpoint), "--onnx", str(onnx)]
                    command += ["--frames", str(args.frames), "--threads", str(args.threads)]
                    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
                    if done.returncode != 0:
                        sys.exit(f"{path} on RTMPose-{size} failed:\n{done.stderr}")
                    result = json.loads(done.stdout.strip().splitlines()[-1])
                    runs.setdefault((size, path), []).append(result)

    print(
        f"\n{args.threads} threads, one person box, CPU: the lowest of {args.repeats} processes' "
        f"median over {args.frames} frames (other load on the machine only adds time)\n"
    )
    print("| model | path | per frame (ms) | network only (ms) | peak RSS (MB) |")
    print("|---|---|---:|---:|---:|")
    for (size, path), results in runs.items():
        per_frame = min(r["per_frame_ms"] for r in results)
        network = [r["network_ms"] for r in results if r["network_ms"] is not None]
        network = f"{min(network):.1f}" if network else "-"
        rss = max(r["rss_mb"] for r in results)
        print(f"| RTMPose-{size} | {path} | {per_frame:.1f} | {network} | {rss:.0f} |")


if __name__ == "__main__":
    main()
