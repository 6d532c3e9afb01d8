"""Person segmentation on ONNX Runtime: which pixels are people.

The model is MediaPipe Selfie Segmentation (Apache-2.0; person vs background, 256x256) or any
export of it. What differs between exports is read from the graph, not assumed: the input's
name, its layout (NHWC or NCHW, found by its 3-channel axis) and size, the output's name and
layout, and whether the output is a probability (the graph ends in a Sigmoid or a Softmax,
followed by nothing but layout changes) or a logit (anything else: the sigmoid, or for two
channels the softmax, is applied here). The
input is RGB scaled to [0, 1], the region stretched to the model's size, as MediaPipe feeds it.

    segmenter = PersonSegmenter("selfie-segmentation.onnx")
    silhouette = segmenter(frame, region=(x0, y0, x1, y1))   # a Silhouette of that region
"""

from pathlib import Path

import cv2
import numpy as np

from .onnx_model import OnnxModel, producers
from .silhouette import Silhouette

PROBABILITY_OPS = ("Sigmoid", "Softmax")
# Operations that only move values around: a Sigmoid before them still makes probabilities.
LAYOUT_OPS = ("Identity", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Flatten", "Cast")
PERSON_CHANNEL = -1  # of a two-channel (background, person) output
DEFAULT_SIZE = 256  # the input's height or width when the graph leaves it open
MAX_CHANNELS = 8  # an axis this short is channels; a longer one is the mask's height or width


class PersonSegmenter(OnnxModel):
    """``segmenter(image, region)``: (H, W, 3) uint8 RGB -> the :class:`Silhouette` of the
    people in ``region`` (x0, y0, x1, y1; the whole image when None)."""

    def __init__(self, model_path: str | Path, device: str = "auto", threads: int | None = None):
        super().__init__(model_path, device, threads)
        shape = list(self.input.shape)
        if len(shape) != 4 or 3 not in (shape[1], shape[3]):
            raise ValueError(
                f"{self.path} is not a person segmentation model: expected one image input "
                f"of shape (1, H, W, 3) or (1, 3, H, W), got {self.input.name} {shape}"
            )
        self.channels_last = shape[3] == 3
        spatial = shape[1:3] if self.channels_last else shape[2:4]
        height, width = (_fixed(d, DEFAULT_SIZE) for d in spatial)
        self.size = (width, height)
        output = self.session.get_outputs()[0]
        self.output_shape = list(output.shape)
        self.channels, spatial = _output_layout(self.output_shape)
        if self.channels not in (1, 2) or not _same_aspect(spatial, (height, width)):
            raise ValueError(
                f"{self.path} is not a person segmentation model: expected an output mask "
                f"shaped like its input, with 1 (person) or 2 (background, person) channels, "
                f"got {output.name} {self.output_shape}"
            )
        self.probability = _last_operation(producers(self.path), output.name) in PROBABILITY_OPS

    def __call__(self, image: np.ndarray, region=None) -> Silhouette:
        h, w = image.shape[:2]
        x0, y0, x1, y1 = region if region is not None else (0, 0, w, h)
        tensor = self.preprocess(image[y0:y1, x0:x1])
        (output,) = self.inference(tensor)[:1]
        return Silhouette((x0, y0, x1, y1), self.postprocess(output, (x1 - x0, y1 - y0)))

    def preprocess(self, crop: np.ndarray) -> np.ndarray:
        """The (1, H, W, 3) or (1, 3, H, W) float32 input: RGB in [0, 1], stretched."""
        small = shrink(crop, self.size)
        tensor = small.astype(np.float32) * (1 / 255)
        return tensor[None] if self.channels_last else tensor.transpose(2, 0, 1)[None]

    def postprocess(self, output: np.ndarray, size: tuple[int, int]) -> np.ndarray:
        """The person probability as (h, w) uint8 (0..255) at ``size`` (width, height)."""
        person = _person_plane(output, self.output_shape, self.channels)
        if not self.probability:
            if self.channels == 2:
                background = _person_plane(output, self.output_shape, 2, channel=0)
                person = person - background  # softmax over two classes = sigmoid of the gap
            person = 1 / (1 + np.exp(-np.clip(person, -30, 30)))
        person = np.clip(person * 255 + 0.5, 0, 255).astype(np.uint8)
        return cv2.resize(person, size, interpolation=cv2.INTER_LINEAR)


def shrink(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``image`` resized to ``size`` (width, height), every pixel counted: halved (a blur and
    every other pixel) while over twice too big, then bilinear, which reads every pixel of an
    image up to twice too big. On a webcam person's region this costs a sixth of INTER_AREA
    (0.1 against 0.7 ms here, at a ratio of 1.4 to 1.8) and moves 0.2% of the mask's pixels."""
    while image.shape[1] > 2 * size[0] and image.shape[0] > 2 * size[1]:
        image = cv2.pyrDown(image)
    return cv2.resize(image, size, interpolation=cv2.INTER_LINEAR)


def _last_operation(nodes: dict[str, tuple[str, list[str]]], tensor: str) -> str:
    """The op type that computes ``tensor``'s values, looking through LAYOUT_OPS."""
    op_type, inputs = nodes.get(tensor, ("", []))
    while op_type in LAYOUT_OPS and inputs:
        op_type, inputs = nodes.get(inputs[0], ("", []))
    return op_type


def _fixed(dim, default: int) -> int:
    """A static dimension, or ``default`` for a dynamic one."""
    return dim if isinstance(dim, int) and dim > 0 else default


def _output_layout(shape: list) -> tuple[int, tuple]:
    """(channels, (H, W)) of a segmentation output shaped (1, H, W), (1, H, W, C) or
    (1, C, H, W); (0, ()) for anything else."""
    if len(shape) == 3:
        return 1, tuple(shape[1:])
    if len(shape) != 4:
        return 0, ()
    if isinstance(shape[3], int) and shape[3] <= MAX_CHANNELS:
        return shape[3], tuple(shape[1:3])
    if isinstance(shape[1], int) and shape[1] <= MAX_CHANNELS:
        return shape[1], tuple(shape[2:])
    return 0, ()


def _same_aspect(spatial: tuple, size: tuple) -> bool:
    """Whether an output's (H, W) has the input's (H, W) aspect (or is dynamic)."""
    if len(spatial) != 2:
        return False
    if not all(isinstance(d, int) and d > 0 for d in (*spatial, *size)):
        return True
    return abs(spatial[0] / spatial[1] - size[0] / size[1]) <= 0.02 * size[0] / size[1]


def _person_plane(output: np.ndarray, shape: list, channels: int, channel: int = PERSON_CHANNEL):
    """One channel of the model's output as an (H, W) float32 plane."""
    out = output[0]
    if out.ndim == 2:
        return out.astype(np.float32)
    last = isinstance(shape[-1], int) and shape[-1] == channels
    plane = out[..., channel] if last else out[channel]
    return plane.astype(np.float32)
