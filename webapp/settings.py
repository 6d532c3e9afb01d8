"""The app's settings, from the command line or, for Hugging Face Spaces, the environment.

    python app.py [--share] [--server-name HOST] [--port N] [--device auto|cpu|cuda]
                  [--pose-model t|s|m|l|PATH|hf://...] [--detector rtmdet-nano|PATH|hf://...]
                  [--segmenter mediapipe-selfie|PATH|hf://...|none]
                  [--backend onnxruntime|mmpose] [--pose-checkpoint PATH|URL]
                  [--connection webrtc|stream] [--ice-servers JSON]

Every option has an environment variable (the command line wins when both are given):

    FITTING_POSE_MODEL, FITTING_DETECTOR, FITTING_SEGMENTER  the models...
    FITTING_DEVICE                                           ...and where they run
    FITTING_BACKEND, FITTING_POSE_CHECKPOINT                 the optional mmpose backend
    FITTING_CONNECTION, FITTING_ICE_SERVERS                  how the live view connects
    GRADIO_SERVER_NAME, GRADIO_SERVER_PORT, GRADIO_SHARE    Gradio's own names for the others

A bad value raises SettingsError with a one-line message that says what to pass instead.
"""

import argparse
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fitting.engine import NO_SEGMENTER, check_backend
from fitting.onnx_model import check_device
from fitting.weights import DETECTOR, POSE_MODEL_SIZES, SEGMENTER

from .webrtc import IceServer

CONNECTIONS = ("webrtc", "stream")  # the live view's default: WebRTC, or the Gradio stream
TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")


class SettingsError(ValueError):
    """A setting that cannot be used; the message says which one and what to pass."""


@dataclass(frozen=True)
class Settings:
    pose_model: str = "s"
    detector: str = DETECTOR
    segmenter: str = SEGMENTER  # or NO_SEGMENTER: the fit follows the keypoints alone
    device: str = "auto"
    server_name: str | None = None  # None: Gradio's default, 127.0.0.1 (local only)
    port: int | None = None  # None: Gradio's default, 7860 or the next free port after it
    share: bool = False
    backend: str = "onnxruntime"
    pose_checkpoint: str | None = None  # the mmpose backend's .pth (None: the model zoo's)
    connection: str = "webrtc"
    ice_servers: tuple[IceServer, ...] = ()  # STUN/TURN for WebRTC beyond localhost and LANs


class _Parser(argparse.ArgumentParser):
    """argparse that raises SettingsError instead of printing usage and exiting."""

    def error(self, message: str):
        raise SettingsError(f"{message} (see python app.py --help)")


def _parser(env: Settings) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="app.py",
        description="Live virtual try-on in the browser.",
        epilog="Each option can also be set by the environment variable named in its help.",
    )
    parser.add_argument(
        "--share",
        action="store_true",
        default=env.share,
        help="also serve on a public gradio.live link (GRADIO_SHARE)",
    )
    parser.add_argument(
        "--server-name",
        default=env.server_name,
        metavar="HOST",
        help="address to listen on, 0.0.0.0 for every interface (GRADIO_SERVER_NAME, "
        "default 127.0.0.1)",
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=env.port,
        metavar="N",
        help="port to listen on (GRADIO_SERVER_PORT, default 7860 or the next free one)",
    )
    parser.add_argument(
        "--device",
        type=_device,
        default=env.device,
        metavar="auto|cpu|cuda",
        help="where the pose model runs: auto (the GPU when onnxruntime-gpu finds one), cpu "
        "or cuda (FITTING_DEVICE, default %(default)s)",
    )
    parser.add_argument(
        "--pose-model",
        metavar="t|s|m|l|PATH|hf://...",
        help="RTMPose size from the model zoo, a local .onnx file or "
        "hf://owner/repo/file.onnx; with --backend mmpose, t|s|m|l or an mmpose config name "
        f"or .py path (FITTING_POSE_MODEL, default {env.pose_model})",
    )
    parser.add_argument(
        "--detector",
        type=_detector,
        default=env.detector,
        metavar="rtmdet-nano|PATH|hf://...",
        help="person detector (FITTING_DETECTOR, default %(default)s)",
    )
    parser.add_argument(
        "--segmenter",
        type=_segmenter,
        default=env.segmenter,
        metavar=f"{SEGMENTER}|PATH|hf://...|{NO_SEGMENTER}",
        help="person segmentation model, which shows the fit the wearer's outline; none: "
        "the keypoints alone (FITTING_SEGMENTER, default %(default)s)",
    )
    parser.add_argument(
        "--backend",
        type=_backend,
        default=env.backend,
        metavar="onnxruntime|mmpose",
        help="how RTMPose runs: onnxruntime, or mmpose in PyTorch (needs "
        "requirements-mmpose.txt; see the README) (FITTING_BACKEND, default %(default)s)",
    )
    parser.add_argument(
        "--pose-checkpoint",
        default=env.pose_checkpoint,
        metavar="PATH|URL",
        help="with --backend mmpose: the checkpoint for --pose-model's config (default: its "
        "model-zoo checkpoint) (FITTING_POSE_CHECKPOINT)",
    )
    parser.add_argument(
        "--connection",
        type=_connection,
        default=env.connection,
        metavar="webrtc|stream",
        help="the live view's default connection: webrtc (live video), or stream (Gradio's "
        "own streaming, the fallback) (FITTING_CONNECTION, default %(default)s)",
    )
    parser.add_argument(
        "--ice-servers",
        type=_ice_servers,
        default=env.ice_servers,
        metavar="JSON",
        help="STUN/TURN servers for WebRTC beyond localhost and LANs, as a JSON list of "
        'RTCIceServer, e.g. \'[{"urls": "turn:turn.example.com:3478", "username": "u", '
        '"credential": "p"}]\' (FITTING_ICE_SERVERS, default: none)',
    )
    return parser


def read_settings(argv: Sequence[str] = (), environ: Mapping[str, str] = os.environ) -> Settings:
    """Settings from ``environ``, overridden by the command-line arguments ``argv``."""
    env = _from_environment(environ)
    args = _parser(env).parse_args(list(argv))
    # The pose model is checked once the backend is known: each runs different model files.
    if args.pose_model is None:
        pose_model, source = env.pose_model, "environment variable FITTING_POSE_MODEL: "
    else:
        pose_model, source = args.pose_model, ""
    try:
        pose_model = _pose_model(pose_model, args.backend)
    except argparse.ArgumentTypeError as error:
        raise SettingsError(f"{source}{error}") from None
    try:
        check_backend(args.backend, args.pose_checkpoint)
    except ValueError as error:
        raise SettingsError(f"{error} (see python app.py --help)") from None
    return Settings(
        pose_model=pose_model,
        detector=args.detector,
        segmenter=args.segmenter,
        device=args.device,
        server_name=args.server_name,
        port=args.port,
        share=args.share,
        backend=args.backend,
        pose_checkpoint=args.pose_checkpoint or None,
        connection=args.connection,
        ice_servers=args.ice_servers,
    )


def _from_environment(environ: Mapping[str, str]) -> Settings:
    defaults = Settings()

    def get(name: str, default: str, check=lambda value: value):
        value = environ.get(name, "").strip()
        if not value:
            return default
        try:
            return check(value)
        except (argparse.ArgumentTypeError, SettingsError) as error:
            raise SettingsError(f"environment variable {name}: {error}") from None

    return Settings(
        pose_model=get("FITTING_POSE_MODEL", defaults.pose_model),  # checked with the backend
        detector=get("FITTING_DETECTOR", defaults.detector, _detector),
        segmenter=get("FITTING_SEGMENTER", defaults.segmenter, _segmenter),
        device=get("FITTING_DEVICE", defaults.device, _device),
        server_name=get("GRADIO_SERVER_NAME", defaults.server_name),
        port=get("GRADIO_SERVER_PORT", defaults.port, _port),
        share=get("GRADIO_SHARE", defaults.share, _flag),
        backend=get("FITTING_BACKEND", defaults.backend, _backend),
        pose_checkpoint=get("FITTING_POSE_CHECKPOINT", defaults.pose_checkpoint),
        connection=get("FITTING_CONNECTION", defaults.connection, _connection),
        ice_servers=get("FITTING_ICE_SERVERS", defaults.ice_servers, _ice_servers),
    )


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be a number from 1 to 65535, got {value!r}")
    return port


def _device(value: str) -> str:
    try:
        return check_device(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _model(value: str, names: Sequence[str], what: str) -> str:
    """A model name, an hf:// address or an existing .onnx file."""
    if value in names or value.startswith("hf://"):
        return value
    path = Path(value).expanduser()
    if path.suffix != ".onnx":
        raise argparse.ArgumentTypeError(
            f"{what} must be one of {', '.join(names)}, a path to an .onnx file or "
            f"hf://owner/repo/file.onnx, got {value!r}"
        )
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"{what} file not found: {value}")
    return str(path)


def _backend(value: str) -> str:
    try:
        check_backend(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


def _pose_model(value: str, backend: str) -> str:
    if backend == "mmpose":  # t|s|m|l or an mmpose config: mmpose itself says if it is unknown
        if value.endswith(".onnx") or value.startswith("hf://"):
            raise argparse.ArgumentTypeError(
                f"the mmpose backend runs an mmpose config (t, s, m, l, a config name or a .py "
                f"file), not {value!r}; .onnx models run on --backend onnxruntime"
            )
        return value
    return _model(value, POSE_MODEL_SIZES, "pose model")


def _detector(value: str) -> str:
    return _model(value, (DETECTOR,), "detector")


def _segmenter(value: str) -> str:
    return _model(value, (SEGMENTER, NO_SEGMENTER), "segmenter")


def _connection(value: str) -> str:
    if value not in CONNECTIONS:
        raise argparse.ArgumentTypeError(
            f"connection must be one of {', '.join(CONNECTIONS)}, got {value!r}"
        )
    return value


def _ice_servers(value: str) -> tuple[IceServer, ...]:
    """A JSON list of RTCIceServer objects: {"urls": "..." or [...], "username", "credential"}.

    Messages never repeat the value: it may hold a TURN password."""
    example = '[{"urls": "stun:stun.example.com:3478"}]'
    try:
        servers = json.loads(value)
    except json.JSONDecodeError as error:
        raise argparse.ArgumentTypeError(
            f"ICE servers must be a JSON list such as {example} ({error})"
        ) from None
    if isinstance(servers, dict):
        servers = [servers]
    parsed = []
    for server in servers if isinstance(servers, list) else [None]:
        urls = server.get("urls") if isinstance(server, dict) else None
        urls = [urls] if isinstance(urls, str) else urls
        if not urls or not all(
            isinstance(u, str) and u.startswith(("stun:", "turn:", "turns:")) for u in urls
        ):
            raise argparse.ArgumentTypeError(
                f'each ICE server needs "urls" starting with stun:, turn: or turns:, such '
                f"as {example}"
            )
        parsed.append(IceServer(tuple(urls), server.get("username"), server.get("credential")))
    return tuple(parsed)


def _flag(value: str) -> bool:
    if value.lower() in TRUE_WORDS:
        return True
    if value.lower() in FALSE_WORDS:
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {value!r}")


def inference_threads() -> int:
    """ONNX Runtime threads per model run on the CPU: half the cores, the rest serve frames.

    With one thread (2 or 3 cores) all inference runs in the engine's idle worker thread;
    ONNX Runtime's extra threads on bigger machines keep the normal priority.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cores or 1) // 2)
