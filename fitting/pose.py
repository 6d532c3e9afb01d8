"""RTMPose top-down pose estimation on ONNX Runtime, computing exactly what mmpose computes.

The pipeline is mmpose's for RTMPose (``GetBBoxCenterScale`` -> ``TopdownAffine`` -> the
data preprocessor -> ``SimCCLabel.decode`` -> back to image pixels):

1. each person box becomes a centre and a scale: the box grown by ``bbox_padding`` (1.25)
   and widened or heightened to the model's 192:256 aspect;
2. the region is cropped with one affine warp (bilinear) to the 192x256 input;
3. pixels are normalised with ImageNet mean/std in RGB order (mmpose converts its BGR
   input to RGB first; our frames are RGB already);
4. the network returns SimCC logits: ``simcc_x`` (N, 17, 192*2) and ``simcc_y`` (N, 17, 256*2);
   a keypoint lies at the argmax of each, divided by the split ratio (2.0); its score is the
   smaller of the two maxima, and a keypoint whose score is not positive gets location -1;
5. input-space points map back to the image: ``p / input_size * scale + center - scale / 2``.

Models are OpenMMLab's official exports (``end2end.onnx``) or anything with the same I/O.
A JSON sidecar next to the model (``model.json`` for ``model.onnx``, written by
``python -m tools.export``) overrides input size, normalisation and split ratio.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .keypoints import NUM_KEYPOINTS
from .onnx_model import OnnxModel, normalised_nchw


@dataclass(frozen=True)
class PoseModelSpec:
    """What the pre- and post-processing need to know about a pose model."""

    input_size: tuple[int, int] = (192, 256)  # (width, height)
    mean: tuple[float, float, float] = (123.675, 116.28, 103.53)  # RGB
    std: tuple[float, float, float] = (58.395, 57.12, 57.375)  # RGB
    simcc_split_ratio: float = 2.0
    bbox_padding: float = 1.25

    @classmethod
    def for_model(cls, model_path: str | Path) -> "PoseModelSpec":
        """The sidecar's values if ``model_path`` has one (same stem, ``.json``), else defaults."""
        sidecar = Path(model_path).with_suffix(".json")
        if not sidecar.is_file():
            return cls()
        meta = json.loads(sidecar.read_text())
        if meta.get("format") != "rtmpose-onnx/1":
            raise ValueError(
                f"{sidecar} is not an RTMPose sidecar (expected format 'rtmpose-onnx/1'); "
                "re-export the model with `python -m tools.export` or remove the file"
            )
        return cls(
            input_size=tuple(meta["input_size"]),
            mean=tuple(meta["mean"]),
            std=tuple(meta["std"]),
            simcc_split_ratio=float(meta["simcc_split_ratio"]),
            bbox_padding=float(meta.get("bbox_padding", cls.bbox_padding)),
        )


def box_to_center_scale(
    boxes: np.ndarray, padding: float, aspect_ratio: float
) -> tuple[np.ndarray, np.ndarray]:
    """Person boxes to mmpose's centre and scale.

    ``boxes``: (N, 4) xyxy. Returns ``centers`` (N, 2) and ``scales`` (N, 2) as (w, h): the box
    grown by ``padding`` and then grown along one side to ``aspect_ratio`` (= width / height).
    """
    boxes = np.asarray(boxes, dtype=np.float32).reshape(-1, 4)
    centers = (boxes[:, :2] + boxes[:, 2:]) * 0.5
    w = (boxes[:, 2] - boxes[:, 0]) * padding
    h = (boxes[:, 3] - boxes[:, 1]) * padding
    too_wide = w > h * aspect_ratio
    scales = np.stack(
        [np.where(too_wide, w, h * aspect_ratio), np.where(too_wide, w / aspect_ratio, h)], axis=1
    )
    return centers, scales.astype(np.float32)


def crop_matrix(center: np.ndarray, scale: np.ndarray, input_size: tuple[int, int]) -> np.ndarray:
    """The (2, 3) affine that maps the ``scale``-sized region around ``center`` onto the input.

    The aspect of ``scale`` already matches ``input_size`` (see :func:`box_to_center_scale`),
    so the map is one uniform zoom that puts ``center`` at the middle of the input. It is
    built as mmpose builds it, from three float32 point pairs through cv2.getAffineTransform
    (the centre, a point half a width to its left, and that turned 90 degrees): a matrix equal
    to a few 1e-5 px only would already change cv2.warpAffine's fixed-point rounding of some
    crop pixels, and the keypoints would no longer be mmpose's to the bit.
    """
    w, h = input_size
    src = np.zeros((3, 2), dtype=np.float32)
    dst = np.zeros((3, 2), dtype=np.float32)
    src[0], src[1] = center, center + np.array([scale[0] * -0.5, 0.0])
    dst[0], dst[1] = (w * 0.5, h * 0.5), (0.0, h * 0.5)
    for points in (src, dst):
        d = points[0] - points[1]
        points[2] = points[1] + np.array([-d[1], d[0]], dtype=np.float32)
    return cv2.getAffineTransform(src, dst)


def decode_simcc(
    simcc_x: np.ndarray, simcc_y: np.ndarray, split_ratio: float
) -> tuple[np.ndarray, np.ndarray]:
    """SimCC logits to input-space keypoints, as mmpose's ``get_simcc_maximum`` does.

    ``simcc_x``: (N, K, Wx), ``simcc_y``: (N, K, Wy). Returns ``points`` (N, K, 2) in input
    pixels and ``scores`` (N, K). A keypoint whose score is not positive gets location -1 (in
    SimCC bins, so -1 / split_ratio in pixels), exactly like mmpose.
    """
    x_bins = simcc_x.argmax(axis=-1)
    y_bins = simcc_y.argmax(axis=-1)
    scores = np.minimum(simcc_x.max(axis=-1), simcc_y.max(axis=-1))
    bins = np.stack([x_bins, y_bins], axis=-1).astype(np.float32)
    bins[scores <= 0] = -1
    return bins / split_ratio, scores.astype(np.float32)


class RTMPose(OnnxModel):
    """RTMPose body model (COCO-17) on ONNX Runtime.

    ``pose(image, boxes)``: ``image`` (H, W, 3) uint8 RGB, ``boxes`` (N, 4) float xyxy person
    boxes in pixels. Returns ``keypoints`` (N, 17, 2) float32 in image pixels and ``scores``
    (N, 17) float32.
    """

    def __init__(self, model_path: str | Path, device: str = "auto", threads: int | None = None):
        super().__init__(model_path, device, threads)
        self.spec = PoseModelSpec.for_model(model_path)
        w, h = self.spec.input_size
        expected = [(NUM_KEYPOINTS, int(w * self.spec.simcc_split_ratio)),
                    (NUM_KEYPOINTS, int(h * self.spec.simcc_split_ratio))]  # fmt: skip
        got = [tuple(o.shape[1:]) for o in self.session.get_outputs()]
        if self.output_names != ["simcc_x", "simcc_y"] or got != expected:
            raise ValueError(
                f"{self.path} is not an RTMPose COCO-17 {w}x{h} model: expected outputs "
                f"simcc_x/simcc_y of shapes {expected}, got {self.output_names} {got}"
            )
        # Official exports have a dynamic batch axis; some exports are fixed to batch 1.
        self.batched = not isinstance(self.input.shape[0], int)
        self._mean = np.array(self.spec.mean, dtype=np.float32)
        self._std = np.array(self.spec.std, dtype=np.float32)

    def __call__(self, image: np.ndarray, boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if len(boxes) == 0:
            return np.zeros((0, NUM_KEYPOINTS, 2), np.float32), np.zeros(
                (0, NUM_KEYPOINTS), np.float32
            )
        tensor, centers, scales = self.preprocess(image, boxes)
        if self.batched:
            simcc_x, simcc_y = self.inference(tensor)
        else:
            outputs = [self.inference(t[None]) for t in tensor]
            simcc_x = np.concatenate([o[0] for o in outputs])
            simcc_y = np.concatenate([o[1] for o in outputs])
        return self.postprocess(simcc_x, simcc_y, centers, scales)

    def preprocess(self, image: np.ndarray, boxes: np.ndarray):
        """Crops the boxes into a normalised (N, 3, H, W) tensor, with their centres and scales."""
        w, h = self.spec.input_size
        centers, scales = box_to_center_scale(boxes, self.spec.bbox_padding, w / h)
        crops = np.stack(
            [
                cv2.warpAffine(image, crop_matrix(c, s, (w, h)), (w, h), flags=cv2.INTER_LINEAR)
                for c, s in zip(centers, scales, strict=True)
            ]
        )
        return normalised_nchw(crops, self._mean, self._std), centers, scales

    def postprocess(self, simcc_x, simcc_y, centers, scales) -> tuple[np.ndarray, np.ndarray]:
        points, scores = decode_simcc(simcc_x, simcc_y, self.spec.simcc_split_ratio)
        input_size = np.array(self.spec.input_size, dtype=np.float32)
        points = points / input_size * scales[:, None] + centers[:, None] - scales[:, None] * 0.5
        return points.astype(np.float32), scores
