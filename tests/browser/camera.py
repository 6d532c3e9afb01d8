"""A fake webcam for Chromium: the shared video written as a Y4M file.

Chromium plays a Y4M file as its camera with ``--use-fake-device-for-media-stream
--use-file-for-fake-video-capture=FILE.y4m`` (looping it). Y4M is raw YUV 4:2:0 frames after
a one-line header, so OpenCV writes it without ffmpeg.
"""

from pathlib import Path

import cv2


def write_y4m(video: Path, y4m: Path) -> tuple[int, int, int]:
    """Writes every frame of ``video`` to ``y4m``; returns (frames, width, height)."""
    capture = cv2.VideoCapture(str(video))
    fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
    frames = 0
    width = height = 0
    with open(y4m, "wb") as out:
        while True:
            ok, bgr = capture.read()
            if not ok:
                break
            if frames == 0:
                height, width = bgr.shape[:2]
                out.write(
                    f"YUV4MPEG2 W{width} H{height} F{round(fps)}:1 Ip A1:1 C420jpeg\n".encode()
                )
            out.write(b"FRAME\n")
            out.write(cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV_I420).tobytes())
            frames += 1
    capture.release()
    if frames == 0:
        raise FileNotFoundError(f"no frames could be read from {video}")
    return frames, width, height
