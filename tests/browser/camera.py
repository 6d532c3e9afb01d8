"""A fake webcam for Chromium: the shared video written as a Y4M file, its frames numbered.

Chromium plays a Y4M file as its camera with ``--use-fake-device-for-media-stream
--use-file-for-fake-video-capture=FILE.y4m`` (looping it). Y4M is raw YUV 4:2:0 frames after
a one-line header, so OpenCV writes it without ffmpeg.

Each frame carries its number in a band of black and white blocks along its top edge
(STAMP_BITS blocks, most significant bit on the left), so that a page can tell which camera
frame it shows and when: that is how the browser test measures camera-to-screen latency.
KnownPoses leaves the band out when it compares pictures.
"""

from pathlib import Path

import cv2
import numpy as np

STAMP_BITS = 8  # frame numbers 0..255; the shared video has 103 frames
STAMP_BLOCK = (40, 24)  # (width, height) of one bit's block, in pixels
STAMP_BAND = STAMP_BLOCK[1] / 480  # the band's share of a 640x480 frame's height
CAMERA_SIZE = (640, 480)  # (width, height) of a still photo played as the camera


def framed(rgb: np.ndarray, keypoints: np.ndarray | None = None, size=CAMERA_SIZE):
    """A photo fitted whole into a camera frame of ``size``, its edges carried out to the
    frame's sides (a full-body photo is taller than a webcam's frame); and ``keypoints``
    (..., 3) moved with it, if given."""
    height, width = rgb.shape[:2]
    scale = min(size[0] / width, size[1] / height)
    inner = (round(width * scale), round(height * scale))
    left, top = (size[0] - inner[0]) // 2, (size[1] - inner[1]) // 2
    small = cv2.resize(rgb, inner, interpolation=cv2.INTER_AREA)
    picture = cv2.copyMakeBorder(small, top, size[1] - inner[1] - top, left,
                                 size[0] - inner[0] - left, cv2.BORDER_REPLICATE)  # fmt: skip
    if keypoints is None:
        return picture, None
    moved = np.array(keypoints, np.float32)
    moved[..., :2] = moved[..., :2] * scale + (left, top)
    return picture, moved


def stamp(bgr: np.ndarray, number: int) -> np.ndarray:
    """``bgr`` with ``number`` written into its top band (black 0, white 1)."""
    out = bgr.copy()
    width, height = STAMP_BLOCK
    for bit in range(STAMP_BITS):
        on = (number >> (STAMP_BITS - 1 - bit)) & 1
        out[:height, bit * width : (bit + 1) * width] = 255 if on else 0
    return out


def read_stamp(rgb: np.ndarray, mirrored: bool = False) -> int:
    """The number stamped into a picture (``mirrored``: shown as in a mirror)."""
    width, height = STAMP_BLOCK
    band = cv2.cvtColor(rgb[:height], cv2.COLOR_RGB2GRAY)
    if mirrored:
        band = band[:, ::-1]
    bits = [band[height // 4 : -height // 4, i * width + width // 4 : (i + 1) * width - width // 4]
            .mean() > 128 for i in range(STAMP_BITS)]  # fmt: skip
    return int("".join("1" if b else "0" for b in bits), 2)


def write_still_y4m(rgb: np.ndarray, y4m: Path, frames: int = 30, fps: int = 30) -> None:
    """Writes ``rgb`` (a picture of the camera's size, see ``framed``) as ``frames`` frames
    of a Y4M video (Chromium loops it, so the camera shows a still person)."""
    height, width = rgb.shape[:2]
    picture = cv2.cvtColor(rgb, cv2.COLOR_RGB2YUV_I420).tobytes()
    with open(y4m, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + picture)


def camera_fps(video: Path) -> int:
    """The frame rate the fake camera plays ``video`` at, written as :func:`write_y4m` writes
    it (Y4M's rate is a fraction: whole frames per second here)."""
    capture = cv2.VideoCapture(str(video))
    fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
    capture.release()
    return round(fps)


def write_y4m(video: Path, y4m: Path, numbered: bool = True) -> tuple[int, int, int]:
    """Writes every frame of ``video`` (``numbered``: with its number stamped) to ``y4m``;
    returns (frames, width, height)."""
    fps = camera_fps(video)
    capture = cv2.VideoCapture(str(video))
    frames = 0
    width = height = 0
    with open(y4m, "wb") as out:
        while True:
            ok, bgr = capture.read()
            if not ok:
                break
            if frames == 0:
                height, width = bgr.shape[:2]
                out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
            out.write(b"FRAME\n")
            picture = stamp(bgr, frames) if numbered else bgr
            out.write(cv2.cvtColor(picture, cv2.COLOR_BGR2YUV_I420).tobytes())
            frames += 1
    capture.release()
    if frames == 0:
        raise FileNotFoundError(f"no frames could be read from {video}")
    return frames, width, height
