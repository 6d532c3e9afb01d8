"""Live virtual fitting: RTMPose keypoints in, a garment fitted onto the body out.

from fitting import FittingEngine
engine = FittingEngine(pose_model="s")   # RTMPose-s + RTMDet-nano on ONNX Runtime
session = engine.session()
session.set_garment(garment)             # a clothes.Garment
session.start_streaming()
fitted = session.process_frame(rgb_frame)
"""

from .config import PRESETS, FitConfig
from .engine import FittingEngine, FittingSession
from .keypoints import KEYPOINT_NAMES, SKELETON, Keypoint
from .weights import ModelUnavailableError

__all__ = [
    "PRESETS",
    "FitConfig",
    "FittingEngine",
    "FittingSession",
    "KEYPOINT_NAMES",
    "SKELETON",
    "Keypoint",
    "ModelUnavailableError",
]
