"""Person boxes from RTMDet-nano on ONNX Runtime.

The model is mmdeploy's export from OpenMMLab's ``rtmpose-cpu.zip`` (``rtmdet-nano``), with
NMS inside the graph. Its preprocessing (from the bundle's ``pipeline.json``): resize keeping
the aspect so the long side is 320, pad bottom/right to 320x320 with 114, BGR, normalise with
mean 103.53/116.28/123.675 and std 57.375/57.12/58.395. Outputs ``dets`` (1, K, 5) as x1, y1,
x2, y2, score in input pixels and ``labels`` (1, K), 0 = person.
"""

from pathlib import Path

import cv2
import numpy as np

from .onnx_model import OnnxModel, normalised_nchw

INPUT_SIZE = 320
PAD_VALUE = 114
MEAN_BGR = np.array([103.53, 116.28, 123.675], dtype=np.float32)
STD_BGR = np.array([57.375, 57.12, 58.395], dtype=np.float32)
PERSON = 0


class PersonDetector(OnnxModel):
    """``detector(image)``: (H, W, 3) uint8 RGB -> boxes (N, 4) xyxy and scores (N,), best first."""

    def __init__(
        self,
        model_path: str | Path,
        device: str = "auto",
        threads: int | None = None,
        score_threshold: float = 0.5,
        max_people: int = 3,
    ):
        super().__init__(model_path, device, threads)
        if self.output_names != ["dets", "labels"]:
            raise ValueError(
                f"{self.path} is not an mmdeploy RTMDet export: expected outputs dets/labels, "
                f"got {self.output_names}"
            )
        self.score_threshold = score_threshold
        self.max_people = max_people

    def __call__(self, image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        tensor, ratio = self.preprocess(image)
        dets, labels = self.inference(tensor)
        return self.postprocess(dets[0], labels[0], ratio, image.shape)

    def preprocess(self, image: np.ndarray) -> tuple[np.ndarray, float]:
        """The (1, 3, 320, 320) letterboxed input tensor, and the resize factor used."""
        h, w = image.shape[:2]
        ratio = INPUT_SIZE / max(h, w)
        size = (max(1, round(w * ratio)), max(1, round(h * ratio)))
        canvas = np.full((INPUT_SIZE, INPUT_SIZE, 3), PAD_VALUE, dtype=np.uint8)
        canvas[: size[1], : size[0]] = cv2.resize(image, size, interpolation=cv2.INTER_LINEAR)
        return normalised_nchw(canvas[None, ..., ::-1], MEAN_BGR, STD_BGR), ratio  # BGR

    def postprocess(self, dets, labels, ratio, image_shape) -> tuple[np.ndarray, np.ndarray]:
        keep = (labels == PERSON) & (dets[:, 4] >= self.score_threshold)
        dets = dets[keep]
        dets = dets[np.argsort(-dets[:, 4], kind="stable")][: self.max_people]
        boxes = dets[:, :4] / ratio
        h, w = image_shape[:2]
        boxes[:, 0::2] = boxes[:, 0::2].clip(0, w)
        boxes[:, 1::2] = boxes[:, 1::2].clip(0, h)
        return boxes.astype(np.float32), dets[:, 4].astype(np.float32)
