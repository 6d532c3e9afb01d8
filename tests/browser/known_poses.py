"""A pose model that knows the answer, so tests and the README picture show a real fit.

The shared RTMPose models have random weights: they cost what the released models cost but
find nobody, so nothing would be fitted. :class:`KnownPoses` runs that model on every crop as
usual (same cost), then answers with the ground-truth keypoints of the shared image the frame
shows: the nearest of the video's frames and the person photos, compared as small
thumbnails, mirrored ones included (the webcam component mirrors frames before sending them).
Frames that look like none of them get no person.

While the file ``fail_flag`` exists, every inference raises instead, so a test can check that
inference errors reach the visitor and the stream goes on.
"""

import json
from pathlib import Path

import cv2
import numpy as np

from fitting.keypoints import Keypoint
from tests.browser.camera import STAMP_BAND, framed

THUMBNAIL = (16, 12)  # (width, height) of the images compared
MAX_DISTANCE = 12.0  # mean absolute grey-level difference of a match (JPEG noise is ~2)
ASPECT_TOLERANCE = 0.02


def _other_side(name: str) -> str:
    """LEFT_WRIST -> RIGHT_WRIST and back; NOSE stays NOSE."""
    for side, other in (("LEFT_", "RIGHT_"), ("RIGHT_", "LEFT_")):
        if name.startswith(side):
            return other + name.removeprefix(side)
    return name


# Mirroring an image swaps the person's left and right as a pose model sees them.
MIRROR_ORDER = [Keypoint[_other_side(k.name)] for k in Keypoint]


def _thumbnail(image: np.ndarray) -> np.ndarray:
    """The picture below its top band (where the fake camera numbers its frames), shrunk."""
    below = image[round(STAMP_BAND * image.shape[0]) :]
    return cv2.resize(below, THUMBNAIL, interpolation=cv2.INTER_AREA).astype(np.float32)


class KnownPoses:
    """``(image, boxes) -> (points (P, 17, 2), scores (P, 17))``, like the engine's pose model."""

    def __init__(
        self,
        pose,
        images: list[np.ndarray],
        people: list[np.ndarray],
        fail_flag: Path | None = None,
    ):
        """``images``: RGB frames; ``people``: their keypoints (P, 17, 3) in pixels."""
        self.pose = pose
        self.fail_flag = fail_flag
        aspects, thumbnails, self.keypoints = [], [], []  # keypoints: x, y in 0..1
        for image, keypoints in zip(images, people, strict=True):
            height, width = image.shape[:2]
            normalised = np.asarray(keypoints, np.float32).reshape(-1, 17, 3).copy()
            normalised[..., 0] /= width
            normalised[..., 1] /= height
            mirrored = normalised[:, [int(k) for k in MIRROR_ORDER]].copy()
            mirrored[..., 0] = 1.0 - mirrored[..., 0]
            aspects += [width / height] * 2
            thumbnails += [_thumbnail(image), _thumbnail(image[:, ::-1])]
            self.keypoints += [normalised, mirrored]
        # All in one array, so that a lookup is one numpy operation: it runs on the inference
        # thread, and a loop in Python there would hold the GIL the frames need.
        self.aspects = np.array(aspects, np.float32)
        self.thumbnails = np.stack(thumbnails)

    @classmethod
    def from_shared(cls, pose, shared: Path, fail_flag: Path | None = None) -> "KnownPoses":
        """Knows the shared webcam video's frames, the shared person photos (VITON-HD's and
        FitDiT's), and FitDiT's full-body photos framed as a camera shows them (``framed``)."""
        images, people = [], []
        video = shared / "data" / "video" / "webcam_ntu_640x480.mp4"
        truth = json.loads(video.with_name(video.stem + "_keypoints.json").read_text())
        capture = cv2.VideoCapture(str(video))
        for frame in truth["data"]["frames"]:
            ok, bgr = capture.read()
            if not ok:
                raise ValueError(f"{video} has fewer frames than its keypoint file")
            images.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            people.append(np.array([p["keypoints"] for p in frame["people"]], np.float32))
        photos = shared / "data" / "persons"
        for folder, keypoints in ((photos, "keypoints.json"),
                                  (photos / "fitdit", "../fitdit_keypoints.json")):  # fmt: skip
            for name, entry in json.loads((folder / keypoints).read_text())["data"].items():
                rgb = cv2.cvtColor(cv2.imread(str(folder / name)), cv2.COLOR_BGR2RGB)
                truth = np.array([p["keypoints"] for p in entry["people"]], np.float32)
                images.append(rgb)
                people.append(truth)
                if folder.name == "fitdit":  # a full-body photo, played as the camera
                    picture, moved = framed(rgb, truth.reshape(-1, 17, 3))
                    images.append(picture)
                    people.append(moved)
        return cls(pose, images, people, fail_flag)

    def nearest(self, image: np.ndarray) -> tuple[int, float]:
        """The known image ``image`` shows, mirrored or not, as its index in the images given
        (for ``from_shared``: the video's frames first), and how far the match is."""
        entry, distance = self._best(image)
        return entry // 2, distance  # each image is known twice: plain, then mirrored

    def lookup(self, image: np.ndarray) -> np.ndarray:
        """Keypoints (P, 17, 3) in ``image``'s pixels of the known image it shows, or none."""
        height, width = image.shape[:2]
        entry, distance = self._best(image)
        if distance >= MAX_DISTANCE:
            return np.zeros((0, 17, 3), np.float32)
        return self.keypoints[entry] * np.array([width, height, 1.0], np.float32)

    def _best(self, image: np.ndarray) -> tuple[int, float]:
        """The nearest known thumbnail of ``image``'s shape: its entry and mean distance."""
        height, width = image.shape[:2]
        distances = np.abs(self.thumbnails - _thumbnail(image)).mean(axis=(1, 2, 3))
        same_shape = np.abs(self.aspects - width / height) <= ASPECT_TOLERANCE * self.aspects
        distances[~same_shape] = np.inf
        best = int(np.argmin(distances))
        return best, float(distances[best])

    def __call__(self, image: np.ndarray, boxes: np.ndarray):
        self.pose(image, boxes)  # the real model's cost; its random answer is not used
        if self.fail_flag is not None and self.fail_flag.exists():
            raise RuntimeError(f"simulated pose failure ({self.fail_flag} exists)")
        keypoints = self.lookup(image)
        return keypoints[..., :2].copy(), keypoints[..., 2].copy()
