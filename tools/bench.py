"""Speed and memory of the live path, measured on the webcam video.

    python -m tools.bench [--pose-model PATH] [--detector PATH] [--video PATH]

For sync and async inference (async as the app runs it: an idle worker, see
fitting/worker.py), with 1 and 4 concurrent sessions (each a camera at 30 fps in its own
thread), prints p50/p95 milliseconds of detect, pose, smoothing, segment, warp
(body, warp and occlusion), the whole inference, composite and the whole ``process_frame``
call, frames per second, and the bare pose-model call (one ONNX Runtime run) measured in the
same run; and 1 session again, sync and async, without the segmentation model. The cost of the
segmentation stage (inference p50 with / without it) is measured apart, with and without
the model taking turns frame by frame over several passes of the video, so that the CPU's
drift (10-20% on this machine) falls on both; so is the inference's cost on the video as a
webcam on a desk films its user, DESK_ZOOM times closer. A separate process measures the
peak RSS of an engine streaming the video.

The random-weight RTMPose models in ../shared cost exactly what the released ones cost but
find nobody; so that tracking, warp and composite work on a real person, the pose model is
run on every crop as usual and its output is then replaced by the video's ground-truth
keypoints for that frame.
"""

import argparse
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import cv2
import numpy as np

from fitting.engine import FittingEngine
from fitting.keypoints import Keypoint, keypoints_box
from fitting.stats import STAGES
from tools.camera_moves import unseen_past_edge

SHARED = Path(__file__).resolve().parents[2] / "shared"
CAMERA_FPS = 30.0
# A webcam on a desk, at arm's length, sees its user closer than the video does: their
# shoulder joints some 280 px apart in a 640 px wide frame (a laptop camera's 70-degree view
# at 65 cm), against the video's 110.
DESK_ZOOM = 2.5
DESK_SHOULDERS = 0.3  # where the middle of the shoulders stands, down the zoomed frame
FRAMING_PASSES = 1  # passes of the video as shot and zoomed, taking turns


class GroundTruthPose:
    """Runs the real pose model for its cost, then answers with the frame's true keypoints."""

    def __init__(self, pose, truth: dict[int, np.ndarray]):
        self.pose, self.truth = pose, truth

    def __call__(self, image, boxes):
        self.pose(image, boxes)
        kp = self.truth[id(image)]
        return kp[:, :, :2].copy(), kp[:, :, 2].copy()


def load_video(path: Path) -> list[np.ndarray]:
    cap = cv2.VideoCapture(str(path))
    frames = []
    while (ok_frame := cap.read())[0]:
        frames.append(cv2.cvtColor(ok_frame[1], cv2.COLOR_BGR2RGB))
    if not frames:
        raise FileNotFoundError(f"no frames in {path}")
    return frames


def load_truth(path: Path) -> list[np.ndarray]:
    frames = json.loads(path.read_text())["data"]["frames"]
    return [np.array([p["keypoints"] for p in f["people"]], np.float32) for f in frames]


def bare_pose_ms(
    engine: FittingEngine, frame: np.ndarray, box: np.ndarray, n: int = 50
) -> np.ndarray:
    """Milliseconds of single ONNX Runtime runs of the pose model on one person crop."""
    pose = engine.models.pose.pose  # the real model inside GroundTruthPose
    tensor, _, _ = pose.preprocess(frame, box[None])
    times = []
    for _ in range(n):
        start = time.perf_counter()
        pose.inference(tensor)
        times.append((time.perf_counter() - start) * 1e3)
    return np.array(times)


def streaming_session(engine: FittingEngine, garment):
    """A new session of ``engine``, wearing ``garment``, fitting every frame it is given."""
    session = engine.session()
    session.set_garment(garment)
    session.start_streaming()
    return session


def run(engine: FittingEngine, frames, garment, sessions: int, loops: int, paced: bool) -> dict:
    """Streams the video through ``sessions`` sessions at once; returns their timings."""
    group = [streaming_session(engine, garment) for _ in range(sessions)]

    def camera(session):
        for _ in range(loops):
            for frame in frames:
                start = time.perf_counter()
                session.process_frame(frame, show_skeleton=False)
                if paced:
                    time.sleep(max(0.0, 1 / CAMERA_FPS - (time.perf_counter() - start)))

    threads = [threading.Thread(target=camera, args=(s,)) for s in group]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    engine.wait_idle(10)
    result = {}
    for stage in STAGES:
        ms = np.concatenate([s.stats.samples(stage) for s in group])
        result[stage] = (np.percentile(ms, 50), np.percentile(ms, 95), len(ms)) if len(ms) else None
    result["fps"] = sessions * loops * len(frames) / wall / sessions  # per session
    inferences = sum(len(s.stats.samples("pose")) for s in group)
    result["inferences_per_s"] = inferences / wall
    for s in group:
        s.close()
    return result


def bench_engine(args, frames, truth, garment, mode: str, segmenter) -> FittingEngine:
    """An engine on the CPU in ``mode`` ("sync" or "async", as the app runs it: an idle
    worker), its pose model answering with the video's keypoints, warmed up."""
    engine = FittingEngine(
        args.pose_model, args.detector, device="cpu", async_inference=mode == "async",
        idle_worker=mode == "async", segmenter=segmenter,
    )  # fmt: skip
    engine.models.pose = GroundTruthPose(
        engine.models.pose, {id(f): kp for f, kp in zip(frames, truth, strict=True)}
    )
    for _ in range(10):  # warm up ONNX Runtime
        engine.fit_image(frames[0], garment)
    return engine


def taking_turns(runs: dict, garment, passes: int) -> dict:
    """Inference p50 (ms) of one sync session for each of ``runs`` (name -> engine and the
    frames it is given), the sessions taking turns frame by frame (which goes first
    alternating) over ``passes`` passes: the per-pass p50s and their medians, by name.

    Taking turns frame by frame puts the CPU's drift, seconds long on this machine, on both
    sides of a ratio alike: with a pass each in turn, the ratio of one run's four passes
    ranged from 1.01x to 1.54x for the same code.
    """
    passes_ms = {name: [] for name in runs}
    for _ in range(passes):
        sessions = {name: streaming_session(engine, garment) for name, (engine, _) in runs.items()}
        for i, step in enumerate(zip(*(frames for _, frames in runs.values()), strict=True)):
            turn = list(zip(sessions.values(), step, strict=True))
            for session, frame in turn if i % 2 == 0 else turn[::-1]:
                session.process_frame(frame, show_skeleton=False)
        for name, session in sessions.items():
            passes_ms[name].append(float(np.median(session.stats.samples("inference"))))
            session.close()
    return {name: {"passes": ms, "p50": float(np.median(ms))} for name, ms in passes_ms.items()}


def segmentation_cost(args, frames, truth, garment, passes: int) -> dict:
    """Inference p50 (ms) of a sync session with and without the segmentation model, the two
    taking turns frame by frame over ``passes`` passes of the video (see :func:`taking_turns`)."""
    engines = {
        name: bench_engine(args, frames, truth, garment, "sync", segmenter)
        for name, segmenter in (("with", args.segmenter), ("without", "none"))
    }
    cost = taking_turns({name: (e, frames) for name, e in engines.items()}, garment, passes)
    for engine in engines.values():
        engine.close()
    return cost


def zoomed(frames, truth, zoom: float):
    """The video as a camera ``zoom`` times closer films it: every frame magnified about the
    first frame's middle of the shoulders, held DESK_SHOULDERS down the frame (kept within the
    frame), and the keypoints moved with it; those past the frame's edge score 0."""
    h, w = frames[0].shape[:2]
    middle = truth[0][0, [Keypoint.LEFT_SHOULDER, Keypoint.RIGHT_SHOULDER], :2].mean(axis=0)
    seen_w, seen_h = w / zoom, h / zoom
    x0 = float(np.clip(middle[0] - seen_w / 2, 0, w - seen_w))
    y0 = float(np.clip(middle[1] - DESK_SHOULDERS * seen_h, 0, h - seen_h))
    to_zoomed = np.array([[zoom, 0, -zoom * x0], [0, zoom, -zoom * y0]], np.float32)
    closer = [cv2.warpAffine(f, to_zoomed, (w, h), flags=cv2.INTER_LINEAR) for f in frames]
    moved = []
    for kp in truth:
        kp = kp.copy()
        kp[..., :2] = (kp[..., :2] - [x0, y0]) * zoom
        moved.append(unseen_past_edge(kp, frames[0].shape))
    return closer, moved


def framing_cost(args, frames, truth, garment, passes: int) -> dict:
    """Inference p50 (ms) of a sync session on the video as shot and of one on the video
    DESK_ZOOM times closer (:func:`zoomed`), taking turns frame by frame over ``passes``
    passes (see :func:`taking_turns`). The fit's work grows with the pixels the person
    covers; the models' does not."""
    closer, moved = zoomed(frames, truth, DESK_ZOOM)
    engine = bench_engine(args, frames + closer, truth + moved, garment, "sync", args.segmenter)
    cost = taking_turns({"as shot": (engine, frames), "closer": (engine, closer)}, garment, passes)
    engine.close()
    return cost


def peak_rss_mb(args) -> float:
    """Peak RSS of a fresh process that loads the engine and streams the video once.

    Read from the kernel's VmHWM: getrusage's ru_maxrss survives exec, so a child started
    from this process (which holds the whole video) would report this process's peak.
    """
    code = (
        "import cv2\n"
        "from fitting.engine import FittingEngine\n"
        "from clothes import load_catalog\n"
        f"engine = FittingEngine({str(args.pose_model)!r}, {str(args.detector)!r}, device='cpu',"
        f" garment=load_catalog()[0], segmenter={str(args.segmenter)!r})\n"
        "engine.start_streaming()\n"
        f"cap = cv2.VideoCapture({str(args.video)!r})\n"
        "while (f := cap.read())[0]:\n"
        "    engine.process_frame(cv2.cvtColor(f[1], cv2.COLOR_BGR2RGB))\n"
        "engine.close()\n"
        "print(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1]) / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--pose-model", type=Path, default=SHARED / "models" / "rtmpose-s-random-weights.onnx"
    )
    parser.add_argument(
        "--detector", type=Path, default=SHARED / "models" / "rtmdet-nano-person.onnx"
    )
    parser.add_argument(
        "--segmenter", type=Path, default=SHARED / "models" / "selfie-segmentation.onnx"
    )
    parser.add_argument(
        "--video", type=Path, default=SHARED / "data" / "video" / "webcam_ntu_640x480.mp4"
    )
    parser.add_argument("--loops", type=int, default=2, help="times each session plays the video")
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 4])
    parser.add_argument(
        "--passes", type=int, default=8, help="passes with and without the segmentation model"
    )
    parser.add_argument("--out", type=Path, default=Path("out/bench.json"))
    args = parser.parse_args(argv)

    from clothes import load_catalog

    frames = load_video(args.video)
    truth = load_truth(args.video.with_name(args.video.stem + "_keypoints.json"))
    garment = load_catalog()[0]
    report = {}
    # The idle worker sets how often Python's threads take turns, for the whole process
    # (worker.py): the sync runs, compared with each other, come first. The async run without
    # the model says whether the app's frame call is unchanged beside it.
    runs = [("sync", args.segmenter, args.sessions), ("sync", "none", [1]),
            ("async", args.segmenter, args.sessions), ("async", "none", [1])]  # fmt: skip
    for mode, segmenter, sessions in runs:
        engine = bench_engine(args, frames, truth, garment, mode, segmenter)
        box = keypoints_box(truth[0][0], 0.0)
        for n in sessions:
            # The bare pose call is timed just before and just after the frames, so that
            # the ratio compares the two under the same conditions (this CPU's speed drifts).
            before = bare_pose_ms(engine, frames[0], box)
            result = run(engine, frames, garment, n, args.loops, paced=mode == "async")
            bare = np.concatenate([before, bare_pose_ms(engine, frames[0], box)])
            bare_stats = {
                "bare_pose": (np.percentile(bare, 50), np.percentile(bare, 95), len(bare))
            }
            label = f"{mode}, {n} session{'s' * (n > 1)}" + (
                ", no segmenter" * (segmenter == "none")
            )
            report[label] = result | bare_stats
        engine.close()
    cost = segmentation_cost(args, frames, truth, garment, args.passes)
    framing = framing_cost(args, frames, truth, garment, FRAMING_PASSES)
    rss = peak_rss_mb(args)
    print_table(report, rss, cost, framing)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    summary = {"runs": report, "segmentation_cost": cost, "framing_cost": framing,
               "peak_rss_mb": rss}  # fmt: skip
    args.out.write_text(json.dumps(summary, indent=2, default=float))
    return 0


def print_table(report: dict, rss: float, cost: dict, framing: dict) -> None:
    stages = ["bare_pose", *STAGES]
    header = (
        "| run | "
        + " | ".join(f"{s} p50/p95 ms" for s in stages)
        + " | fps/session | frame / bare pose |"
    )
    print(header)
    print("|" + "---|" * (len(stages) + 3))
    for name, r in report.items():
        cells = [f"{r[s][0]:.1f} / {r[s][1]:.1f}" if r.get(s) else "-" for s in stages]
        ratio = r["frame"][0] / r["bare_pose"][0] if r.get("frame") else float("nan")
        print(f"| {name} | " + " | ".join(cells) + f" | {r['fps']:.1f} | {ratio:.2f} |")
    print(f"\npeak RSS of a process streaming with the engine loaded: {rss:.0f} MB")
    with_seg, without = cost["with"], cost["without"]
    pairs = zip(with_seg["passes"], without["passes"], strict=True)
    each = ", ".join(f"{a:.1f} / {b:.1f}" for a, b in pairs)
    print(f"inference p50 with / without the segmentation model, {len(with_seg['passes'])} passes"
          f" taking turns: {with_seg['p50']:.1f} / {without['p50']:.1f} ms"
          f" = {with_seg['p50'] / without['p50']:.2f}x (each pass: {each})")  # fmt: skip
    shot, close = framing["as shot"]["p50"], framing["closer"]["p50"]
    print(f"inference p50 on the video as shot / {DESK_ZOOM}x closer (a webcam on a desk),"
          f" taking turns: {shot:.1f} / {close:.1f} ms = {close / shot:.2f}x")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
