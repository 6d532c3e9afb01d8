"""The fitting engine: models loaded once, one background worker, a session per visitor.

    engine = FittingEngine(pose_model="s")          # loads RTMPose and the detector once
    session = engine.session()                     # one per browser tab / video stream
    session.set_garment(garment)                   # a top or dress; bottoms are worn with it
    session.start_streaming()
    out = session.process_frame(frame)             # RGB uint8 in, RGB uint8 out, same shape

While a session is not streaming, ``process_frame`` returns the frame untouched and runs no
inference. In async mode (the default) ``process_frame`` never waits for the models: it hands
the frame to the worker (replacing any frame still waiting) and blends the newest overlay the
worker made (see pipeline.py for the stages). The engine itself also acts as one session (its
"default session") for the single-user API of the original design:
``engine.start_streaming()``, ``engine.process_frame(frame)`` and so on.
"""

import logging
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

from clothes import Category

from . import pipeline
from .config import FITS, PRESETS, FitConfig
from .detector import PersonDetector
from .keypoints import NUM_KEYPOINTS
from .legwear import BottomRig
from .pipeline import NOBODY, Dressing, Models, Overlay
from .pose import RTMPose
from .rig import GarmentRig
from .segment import PersonSegmenter
from .silhouette import Silhouette
from .stats import Stats
from .tracking import Tracker
from .weights import SEGMENTER, resolve_model
from .worker import InferenceWorker

log = logging.getLogger(__name__)

NO_SEGMENTER = "none"  # the segmenter setting that turns the body's outline off
SEGMENTER_MISSING = (
    "body outline off (no segmentation model: see the server's log): the garment follows "
    "the keypoints only"
)
SEGMENTER_FAILED = (
    "body outline off (the segmentation model failed: see the server's log): the garment "
    "follows the keypoints only"
)
MAX_PIXELS = 100_000_000  # larger frames are refused rather than risking memory exhaustion
RIG_CACHE_SIZE = 8  # prepared garments kept in memory
BACKENDS = ("onnxruntime", "mmpose")


def check_backend(backend: str, pose_checkpoint: str | None = None) -> None:
    """A ValueError that says what to pass, for an unknown backend or a misplaced checkpoint."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    if pose_checkpoint and backend != "mmpose":
        raise ValueError(
            "a pose checkpoint needs the mmpose backend; for ONNX Runtime, export it with "
            "python -m tools.export and pass the .onnx as the pose model"
        )


def check_fit(fit: str) -> float:
    """The ease of a fit named in FITS, or a ValueError naming them."""
    if fit not in FITS:
        raise ValueError(f"fit must be one of {', '.join(FITS)}, got {fit!r}")
    return FITS[fit]


def check_frame(frame: Any, what: str = "frame") -> np.ndarray:
    """The frame as an (H, W, 3) uint8 array, or a ValueError that says what is wrong."""
    if frame is None:
        raise ValueError(f"{what} is None: pass an RGB image as an (H, W, 3) uint8 numpy array")
    if not isinstance(frame, np.ndarray):
        raise ValueError(f"{what} must be a numpy array, got {type(frame).__name__}")
    if frame.dtype != np.uint8:
        raise ValueError(
            f"{what} has dtype {frame.dtype}; expected uint8 RGB values 0..255 "
            "(for floats in 0..1 use (frame * 255).round().astype(np.uint8))"
        )
    if frame.ndim != 3 or frame.shape[2] != 3:
        kind = {2: "a grayscale (H, W) image", 3: f"an image with {frame.shape[-1]} channels"}
        got = kind.get(frame.ndim, f"an array of shape {frame.shape}")
        raise ValueError(
            f"{what} is {got}; expected an RGB image of shape (H, W, 3) "
            "(convert grayscale or RGBA to RGB first)"
        )
    if frame.shape[0] * frame.shape[1] > MAX_PIXELS:
        raise ValueError(
            f"{what} is {frame.shape[1]}x{frame.shape[0]}, over {MAX_PIXELS // 1_000_000} "
            "megapixels; resize it first"
        )
    return frame


def check_keypoints(keypoints: Any) -> np.ndarray:
    """Keypoints as (P, 17, 3) float32; NaN coordinates or scores mean "missing" (score 0)."""
    kp = np.array(keypoints, dtype=np.float32)
    if kp.ndim == 2:
        kp = kp[None]
    if kp.ndim != 3 or kp.shape[1:] != (NUM_KEYPOINTS, 3):
        raise ValueError(
            f"keypoints must have shape (P, 17, 3) (x, y, score per COCO-17 keypoint), "
            f"got {np.shape(keypoints)}"
        )
    missing = ~np.isfinite(kp).all(axis=2)
    kp[missing] = 0.0
    return kp


class FittingEngine:
    """RTMPose (ONNX Runtime) + person detector + garment fitting, built once and shared.

    - ``pose_model``: ``t|s|m|l`` (the official RTMPose zips, downloaded once), a local
      ``.onnx`` path, ``hf://owner/repo/file.onnx``, or a ready pose estimator: a callable
      ``(image, boxes) -> (keypoints (N, 17, 2), scores (N, 17))``.
    - ``detector``: ``rtmdet-nano``, a path or ``hf://`` likewise, or a callable
      ``image -> (boxes (N, 4), scores (N,))``.
    - ``device``: ``auto`` (CUDA when onnxruntime-gpu is installed), ``cpu`` or ``cuda``.
    - ``config``: a :class:`FitConfig` or the name of a preset (see ``PRESETS``).
    - ``garment``: the default session's garment (``engine.process_frame`` uses it).
    - ``threads``: ONNX Runtime's intra-op threads (None: its default, one per core).
    - ``backend``: ``onnxruntime`` (the default) or ``mmpose``: RTMPose through mmpose in
      PyTorch (needs requirements-mmpose.txt; ``pose_model`` is then t|s|m|l or an mmpose
      config, with its model-zoo checkpoint unless ``pose_checkpoint`` names another).
    - ``idle_worker``: run async inference only on CPU time that nothing else wants (see
      worker.py), for a server that also decodes and encodes the frames, as the app does.
      Sync inference runs at the priority of the thread that asks for it.
    - ``segmenter``: the person segmentation model that shows the fit the wearer's outline:
      ``mediapipe-selfie`` (downloaded once), a path, ``hf://...``, a callable
      ``(image, region) -> Silhouette``, or ``none``/None. When it cannot be loaded, or
      fails on a frame, the fit follows the keypoints alone from then on, as with ``none``
      (one log line; ``segmentation_note`` says why).

    ``engine.models`` holds the loaded networks; replacing one (a stand-in in a test, say)
    takes effect from the next inference.
    """

    def __init__(
        self,
        pose_model: str | Path = "s",
        detector: str | Path = "rtmdet-nano",
        device: str = "auto",
        async_inference: bool = True,
        config: FitConfig | str = "balanced",
        garment=None,
        threads: int | None = None,
        backend: str = "onnxruntime",
        pose_checkpoint: str | None = None,
        idle_worker: bool = False,
        segmenter=SEGMENTER,
    ):
        if isinstance(config, str):
            if config not in PRESETS:
                raise ValueError(f"unknown preset {config!r}; choose one of {', '.join(PRESETS)}")
            config = PRESETS[config]
        self.config = config
        self.async_inference = async_inference
        check_backend(backend, pose_checkpoint)
        if isinstance(pose_model, (str, Path)) and backend == "mmpose":
            from .mmpose_backend import MMPoseRTMPose  # only this backend needs mmpose

            pose_model = MMPoseRTMPose.from_pose_model(
                str(pose_model), pose_checkpoint, device=device, threads=threads
            )
        elif isinstance(pose_model, (str, Path)):
            pose_model = RTMPose(resolve_model(pose_model), device, threads)
        if isinstance(detector, (str, Path)):
            detector = PersonDetector(
                resolve_model(detector), device, threads,
                score_threshold=config.detector_score, max_people=config.max_people,
            )  # fmt: skip
        self.segmentation_note: str | None = None
        self._segmenter = self._load_segmenter(segmenter, device, threads)
        self._segmenter_lock = threading.Lock()
        segment = self._segment if self._segmenter is not None else None
        self.models = Models(detector, pose_model, segment)

        self._rigs: OrderedDict[str, GarmentRig] = OrderedDict()
        self._rigs_lock = threading.Lock()
        # The worker's thread beside also serves sync inference (the segmenter): idle, it would
        # wait for the caller's own pose model to finish.
        self._worker = InferenceWorker(idle=idle_worker and async_inference)
        self._default = self.session()
        if garment is not None:
            self._default.set_garment(garment)

    # The single-user API of the original design, served by the engine's own session.
    def start_streaming(self) -> None:
        self._default.start_streaming()

    def stop_streaming(self) -> None:
        self._default.stop_streaming()

    def is_streaming(self) -> bool:
        return self._default.is_streaming()

    def set_garment(self, garment) -> None:
        self._default.set_garment(garment)

    def process_frame(self, frame, show_skeleton: bool = True, use_warp: bool = True):
        return self._default.process_frame(frame, show_skeleton, use_warp)

    @property
    def people(self) -> np.ndarray:
        return self._default.people

    @property
    def stats(self) -> Stats:
        return self._default.stats

    def pop_error(self) -> Exception | None:
        return self._default.pop_error()

    def _load_segmenter(self, segmenter, device: str, threads: int | None):
        """The segmenter, or None (the keypoint-only fit) with a note saying why."""
        if segmenter is None or str(segmenter) == NO_SEGMENTER:
            self.segmentation_note = "body outline off: the garment follows the keypoints only"
            log.info("segmentation off (segmenter=none): the fit follows the keypoints only")
            return None
        if not isinstance(segmenter, (str, Path)):
            return segmenter
        try:
            return PersonSegmenter(resolve_model(segmenter), device, threads)
        except Exception as error:  # missing, offline, not a segmentation model, corrupt
            self.segmentation_note = SEGMENTER_MISSING
            log.warning("segmentation off, the fit follows the keypoints only: %s", error)
            return None

    def _segment(self, image: np.ndarray, region) -> Silhouette | None:
        """The segmenter's silhouette, or None after it fails: segmentation is then off for
        good (one log line, a note for the readout) and the fit follows the keypoints."""
        try:
            return self._segmenter(image, region)
        except Exception as error:
            with self._segmenter_lock:
                if self.models.segmenter is None:  # another thread got here first
                    return None
                self.models.segmenter = None
                self.segmentation_note = SEGMENTER_FAILED
            log.warning("segmentation off after it failed: %r; the fit follows the keypoints "
                        "only", error, exc_info=True)  # fmt: skip
            return None

    def session(self) -> "FittingSession":
        """A new per-visitor session sharing this engine's models and worker."""
        return FittingSession(self)

    def fit_image(
        self, image, garment, keypoints=None, show_skeleton=False, use_warp=True, fit="regular"
    ):
        """Fits ``garment`` onto everyone in a still photo (synchronous, no smoothing).

        ``garment``: a ``clothes.Garment``, or an outfit: a list of them (a top or a dress,
        and bottoms). ``keypoints`` (P, 17, 3) x, y, score in pixels skips pose estimation;
        ``fit`` is one of ``FITS`` (slim, regular, loose).
        """
        image = check_frame(image, "image")
        people = None if keypoints is None else check_keypoints(keypoints)
        top, bottom = self.outfit(garment)
        dressing = Dressing(top, use_warp, check_fit(fit), bottom)
        return pipeline.fit_photo(image, self.models, dressing, self.config, people, show_skeleton)

    def find_people(self, image) -> np.ndarray:
        """Everyone's keypoints (P, 17, 3) in a still photo: x, y in pixels and a score."""
        return pipeline.estimate(check_frame(image, "image"), self.models)

    def outfit(self, garments) -> tuple[GarmentRig | None, BottomRig | None]:
        """The prepared top (or dress) and bottoms of ``garments``: one garment or a list."""
        garments = list(garments) if isinstance(garments, list | tuple) else [garments]
        rigs = [self.rig(garment) for garment in garments]
        tops = [rig for rig in rigs if isinstance(rig, GarmentRig)]
        bottoms = [rig for rig in rigs if isinstance(rig, BottomRig)]
        if len(tops) > 1 or len(bottoms) > 1:
            raise ValueError("an outfit is one top or dress and one of bottoms: choose one each")
        if tops and bottoms and tops[0].category == Category.DRESS:
            raise ValueError("a dress is worn without bottoms: choose a top to wear with them")
        return (tops or [None])[0], (bottoms or [None])[0]

    def rig(self, garment) -> GarmentRig | BottomRig:
        """The garment prepared for fitting (bottoms: a BottomRig), from the cache when it was
        prepared before."""
        if garment is None:
            raise ValueError(
                "no garment given: pass a clothes.Garment (see clothes.load_catalog())"
            )
        with self._rigs_lock:
            if garment.key in self._rigs:
                self._rigs.move_to_end(garment.key)
                return self._rigs[garment.key]
        # Outside the lock: preparing takes a moment.
        rig = BottomRig(garment) if Category(garment.category).is_bottom else GarmentRig(garment)
        with self._rigs_lock:
            self._rigs[garment.key] = rig
            while len(self._rigs) > RIG_CACHE_SIZE:
                self._rigs.popitem(last=False)
        return rig

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Blocks until the worker has no frame to infer on; False if ``timeout`` ran out."""
        return self._worker.wait_idle(timeout)

    def close(self) -> None:
        """Stops the background thread. The engine cannot process frames afterwards."""
        self._worker.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class FittingSession:
    """One visitor's stream: their streaming flag, garment, tracks and timings.

    Sessions share the engine's models and worker; nothing of one session's state reaches
    another's output.
    """

    def __init__(self, engine: FittingEngine):
        self._engine = engine
        self._lock = threading.Lock()  # guards everything below but the tracker
        self._infer_lock = threading.Lock()  # one inference at a time updates the tracks
        self._streaming = False
        self._rig: GarmentRig | None = None
        self._bottom: BottomRig | None = None
        self._ease = FITS["regular"]
        self._tracker = Tracker(engine.config)
        self._overlay: Overlay = NOBODY
        self._latest: tuple[np.ndarray, bool] | None = None  # the newest frame and use_warp
        self._error: Exception | None = None
        self.stats = Stats()

    def start_streaming(self) -> None:
        """Fitting on: frames go through the models. Tracking starts afresh, and inference
        starts at once on the newest frame given so far (streaming or not), so the first
        fitted frame need not wait for inference on the next one."""
        with self._lock:
            if self._streaming:
                return
            self._tracker = Tracker(self._engine.config)
            self._overlay = NOBODY
            self._streaming = True
            latest = self._latest
        if latest is not None:
            self.submit(*latest)

    def stop_streaming(self) -> None:
        """Fitting off: frames come back untouched; the models stay loaded and warm."""
        with self._lock:
            self._streaming = False
        self._engine._worker.cancel(self)

    def is_streaming(self) -> bool:
        with self._lock:
            return self._streaming

    @property
    def note(self) -> str | None:
        """What the fit cannot do now and why (the engine's ``segmentation_note``), or None."""
        return self._engine.segmentation_note

    def set_garment(self, garment) -> None:
        """A garment to wear (a ``clothes.Garment``), prepared now, never per frame, and worn
        from the next inference on. A top or a dress replaces the one worn, bottoms the
        bottoms; a dress is worn without bottoms, so each takes the other off."""
        rig = self._engine.rig(garment)
        with self._lock:
            if isinstance(rig, BottomRig):
                self._bottom = rig
                if self._rig is not None and self._rig.category == Category.DRESS:
                    self._rig = None
            else:
                self._rig = rig
                if rig.category == Category.DRESS:
                    self._bottom = None

    def take_off(self, garment) -> None:
        """Stops wearing ``garment`` (a ``clothes.Garment``), if it is worn."""
        with self._lock:
            if self._rig is not None and self._rig.key == garment.key:
                self._rig = None
            if self._bottom is not None and self._bottom.key == garment.key:
                self._bottom = None

    def is_worn(self, garment) -> bool:
        """Whether ``garment`` (a ``clothes.Garment``) is worn now."""
        with self._lock:
            return any(rig is not None and rig.key == garment.key
                       for rig in (self._rig, self._bottom))  # fmt: skip

    @property
    def wearing(self) -> list[str]:
        """The names of the garments worn: the top or dress, then the bottoms."""
        with self._lock:
            return [rig.name for rig in (self._rig, self._bottom) if rig is not None]

    @property
    def unfitted(self) -> bool:
        """Whether something is worn but the newest fit dressed nobody: nobody in view, or
        nobody showing both shoulders (nothing to hang a garment on)."""
        with self._lock:
            worn = self._rig is not None or self._bottom is not None
            return worn and self._overlay is not NOBODY and not self._overlay.fits

    @property
    def legs_unseen(self) -> bool:
        """Whether bottoms are worn but the newest fit saw nobody's hips and knees."""
        with self._lock:
            return self._overlay.legs_unseen

    def set_fit(self, fit: str) -> None:
        """How the garment sits: ``slim`` (on the outline), ``regular`` or ``loose`` (with
        some ease past it; see config.FITS). Worn from the next inference on."""
        ease = check_fit(fit)
        with self._lock:
            self._ease = ease

    @property
    def outlined(self) -> bool:
        """Whether the newest fit followed the wearer's silhouette."""
        with self._lock:
            return self._overlay.outlined

    @property
    def people(self) -> np.ndarray:
        """The newest smoothed keypoints (P, 17, 3) of the people being fitted."""
        with self._lock:
            return self._overlay.people

    def pop_error(self) -> Exception | None:
        """The last inference error since the previous call (the worker survives them)."""
        with self._lock:
            error, self._error = self._error, None
        return error

    def submit(self, frame, use_warp: bool = True) -> None:
        """Hands ``frame`` to the models without drawing it: in async mode to the worker
        (replacing a frame of this session still waiting there), in sync mode now. Nothing
        happens while the session is not streaming."""
        frame = check_frame(frame)
        if not self.is_streaming():
            return
        t = time.monotonic()
        if self._engine.async_inference:
            self._engine._worker.submit(self, lambda: self._infer(frame, t, use_warp))
        else:
            self._infer(frame, t, use_warp)

    def process_frame(self, frame, show_skeleton: bool = True, use_warp: bool = True):
        """The fitted frame; the untouched ``frame`` itself while not streaming.

        The frame goes to the models (:meth:`submit`), and the newest overlay they made is
        blended into it: in async mode that is the overlay of an earlier frame, so this call
        never waits for inference.
        """
        start = time.perf_counter()
        frame = check_frame(frame)
        with self._lock:
            self._latest = (frame, use_warp)
            streaming = self._streaming
        if not streaming:
            return frame
        self.submit(frame, use_warp)
        with self._lock:
            overlay = self._overlay
        out = pipeline.compose(frame, overlay, self._engine.config, show_skeleton, self.stats)
        self.stats.add("frame", (time.perf_counter() - start) * 1e3)
        return out

    def close(self) -> None:
        """Stops fitting and forgets this session's frames."""
        self.stop_streaming()
        with self._lock:
            self._latest = None

    def _infer(self, frame: np.ndarray, t: float, use_warp: bool) -> None:
        engine = self._engine
        try:
            with self._infer_lock, self.stats.time("inference"):
                with self._lock:
                    tracker = self._tracker
                    dressing = Dressing(self._rig, use_warp, self._ease, self._bottom)
                overlay = pipeline.infer(
                    frame, t, engine.models, tracker, dressing, engine.config, self.stats,
                    engine._worker.beside,
                )  # fmt: skip
            with self._lock:
                if self._streaming and tracker is self._tracker:  # not restarted meanwhile
                    self._overlay = overlay
        except Exception as error:
            with self._lock:
                self._error = error
            raise
