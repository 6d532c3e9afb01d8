"""The scene's light, estimated once per inference from the frame.

A product photo is lit by a studio's white light; a webcam's frame by the room's, at the
camera's exposure. Two stages use the estimate: the garment takes it (composite.py), so that
it is as dim as a dim room and as warm as a lamp's light; and the colour models that tell an
arm, a neck or hair from the wearer's top (colours.py) compare colours as a full exposure
would show them, so that a dim frame's few dark levels do not merge the colours they tell
apart.
"""

from dataclasses import dataclass

import cv2
import numpy as np

WHITE_SAMPLE = 96  # px: the frame is averaged down to about this long side to find its white:
BRIGHTEST = 0.01  # the mean colour of this share of its pixels, the brightest
# CIE illuminant A (a tungsten bulb) as an sRGB camera balanced for daylight shows white
TUNGSTEN = (1.0, 0.69, 0.39)
OFF_LIGHT = (0.05, 0.15)  # log units off the lights' line: still a light's colour / none
GREY_SPREAD = 2  # levels: a frame whose channels never differ by more has no colour
GREY_WEIGHTS = (0.299, 0.587, 0.114)  # the luma of an RGB colour (ITU-R BT.601)


@dataclass(frozen=True)
class SceneLight:
    """The colour white takes in a frame, and whether the frame has colour at all."""

    white: np.ndarray  # (3,) float32 in (0, 1]: white's colour in the frame, over full scale
    grey: bool = False  # the frame has no colour (a black and white photo, an infrared camera)

    def render(self, rgb: np.ndarray) -> np.ndarray:
        """Colours as white light shows them (uint8 (h, w, 3)) as this frame would show them:
        each channel times white's, and grey in a frame without colour."""
        matrix = np.outer(self.white, GREY_WEIGHTS) if self.grey else np.diag(self.white)
        return cv2.transform(rgb, matrix.astype(np.float32))

    def expose(self, frame: np.ndarray) -> np.ndarray:
        """The frame (uint8 RGB) as a full exposure would show it: each channel over white's."""
        levels = np.arange(256, dtype=np.float32)[:, None] / np.maximum(self.white, 1 / 255)
        return cv2.LUT(frame, np.clip(levels, 0, 255).astype(np.uint8)[:, None, :])


def scene_light(frame: np.ndarray) -> SceneLight:
    """The :class:`SceneLight` of a frame (uint8 RGB).

    White's colour is that of the frame's brightest surfaces (a white wall, a window, a lamp,
    skin's highlights) over full scale: the mean colour of its brightest ``BRIGHTEST`` share
    of pixels, once averaged down to about ``WHITE_SAMPLE`` px (which averages out sensor
    noise and small specular glints). That is the "bright pixels" estimate of the light
    (Joze et al., CIC 2012): about 1 in a well exposed frame with something white in it,
    0.15 in a room that dark, warm under warm light. It assumes the brightest surfaces are
    near white. When their colour is one no real light has (a green screen, a yellow wall:
    see :func:`light_trust`), the estimate is trusted that much less, down to not at all
    (white stays white).
    """
    small = shrink(frame, max(frame.shape[:2]) // WHITE_SAMPLE)
    luma = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    k = int(luma.size * (1 - BRIGHTEST))
    brightest = (luma >= np.partition(luma.ravel(), k)[k]).astype(np.uint8)
    log_white = np.log(np.maximum(cv2.mean(small, brightest)[:3], 1.0) / 255)
    white = np.exp(light_trust(log_white) * log_white).astype(np.float32)
    return SceneLight(white, _grey(small))


def shrink(image: np.ndarray, step: int) -> np.ndarray:
    """``image`` averaged over blocks of ``step`` x ``step`` pixels (at most its own size),
    its last rows and columns short of a whole block left out: ``INTER_AREA`` averages exact
    blocks 3x faster than it shrinks by a fractional ratio."""
    h, w = image.shape[:2]
    step = max(1, min(step, h, w))
    return cv2.resize(image[: h - h % step, : w - w % step], (w // step, h // step),
                      interpolation=cv2.INTER_AREA)  # fmt: skip


def light_trust(log_white: np.ndarray) -> float:
    """How much a colour (3,), in log RGB, looks like a light's: 1 on the lights' line, down
    to 0 off it.

    Lights vary from a blue sky's shade to a tungsten bulb's orange along one line of log
    colour (the Planckian locus, nearly straight there: Finlayson and Drew's intrinsic
    images rest on it). Off that line by under ``OFF_LIGHT[0]`` (log units, brightness
    aside) a colour is a light's; by over ``OFF_LIGHT[1]`` it is not (the frame's brightest
    surface is coloured, not lit).
    """
    chroma = log_white - log_white.mean()
    locus = np.log(TUNGSTEN) - np.log(TUNGSTEN).mean()
    locus /= np.linalg.norm(locus)
    off = float(np.linalg.norm(chroma - (chroma @ locus) * locus))
    return float(np.clip((OFF_LIGHT[1] - off) / (OFF_LIGHT[1] - OFF_LIGHT[0]), 0, 1))


def _grey(image: np.ndarray) -> bool:
    """Whether no pixel's red and green, or green and blue, differ by more than GREY_SPREAD."""
    r, g, b = cv2.split(image)
    return max(cv2.absdiff(r, g).max(), cv2.absdiff(g, b).max()) <= GREY_SPREAD
