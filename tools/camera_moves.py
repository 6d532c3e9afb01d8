"""How the tracker follows people as the shared video never shows them: stepping half out of
the frame, and walking across in front of someone.

    python -m tools.camera_moves [--shared ../shared]

No images are drawn. The people are the keypoints of FitDiT's full-body photos (their pseudo
ground truth), scaled to a webcam's size (shoulder joints SPAN_PX apart) in a 640x480 frame
and moved as a camera at 30 frames a second would see them. Each frame's keypoints go to
``tracking.Tracker`` as the pose model's answer, and a keypoint the camera cannot see (past
the frame's edge, or behind the person in front) scores 0, as a pose model scores it.

- *Out of the frame*: each person walks sideways, STEP_PX a frame, until the middle of their
  shoulders is at the frame's edge, then back; to the left, then to the right. Over the frames
  with a shoulder in view: the share in which the tracker has them with both shoulders seen
  (what the fit needs to dress them), and how far its shoulders in view lie from the truth.
- *Walking by*: each person stands in the middle while the next, NEARER times their size
  and lower in the frame, walks across in front of them, WALK_PX a frame. The one behind is
  hidden where the one in front's torso, limbs, neck and head are (drawn round their
  keypoints, a limb as wide as a typical arm). Each track belongs to whichever of the two it
  lies nearest. Over the frames in which each is seen with both shoulders: the share in which
  a track of theirs follows them, and how far its shoulders lie from theirs (a frozen track
  or one smoothed from someone else's lies far); and how often a track went from one person
  to the other.
"""

import argparse
from pathlib import Path

import cv2
import numpy as np

from fitting.config import FitConfig
from fitting.keypoints import FACE, LIMBS, SHOULDERS, TORSO
from fitting.tracking import Tracker

from .evaluate import person_keypoints

FRAME = (480, 640, 3)
FPS = 30.0
SPAN_PX = 110  # shoulder joint to shoulder joint: the webcam video's median
HOME = (320.0, 180.0)  # where the middle of the shoulders stands
STEP_PX = 12  # a sideways step, a frame (360 px a second)
WALK_PX = 22  # someone walking by, a frame
NEARER = 1.3  # the one walking by: this many times the size of the one behind...
LOWER = 0.25  # ...their shoulders this many shoulder spans lower
LIMB = 0.7  # x half shoulder width: how wide an arm, a leg or the neck hides what is behind
HEAD = 0.9  # x half shoulder width: how far round the middle of the face a head hides it
CFG = FitConfig()


def load_people(shared: Path) -> list[np.ndarray]:
    """Each FitDiT full-body person's keypoints (17, 3), their shoulders' middle at the
    origin and SPAN_PX apart."""
    people = []
    for name, everyone in person_keypoints(shared):
        if not name.startswith("fitdit/"):
            continue
        kp = everyone[0].copy()
        shoulders = kp[list(SHOULDERS), :2]
        kp[:, :2] = (kp[:, :2] - shoulders.mean(axis=0)) * (
            SPAN_PX / np.linalg.norm(shoulders[0] - shoulders[1])
        )
        people.append(kp)
    return people


def unseen_past_edge(kp: np.ndarray, frame_shape) -> np.ndarray:
    """A copy of ``kp`` (..., 3) with the keypoints past the edge of a frame of
    ``frame_shape`` at score 0, as a pose model scores what the camera does not see."""
    h, w = frame_shape[:2]
    out = kp.copy()
    outside = (out[..., 0] < 0) | (out[..., 0] >= w) | (out[..., 1] < 0) | (out[..., 1] >= h)
    out[outside, 2] = 0.0
    return out


def placed(kp: np.ndarray, at, scale: float = 1.0) -> np.ndarray:
    """``kp`` (from load_people) grown ``scale`` times, its shoulders' middle at ``at``; the
    keypoints past the frame's edge score 0."""
    out = kp.copy()
    out[:, :2] = kp[:, :2] * scale + np.asarray(at, np.float32)
    return unseen_past_edge(out, FRAME)


def seen_shoulders(kp: np.ndarray) -> np.ndarray:
    return kp[list(SHOULDERS), 2] >= CFG.keypoint_score


def out_of_frame(person: np.ndarray, side: int) -> tuple[list[bool], list[float]]:
    """The person walking out by the left (``side`` -1) or right (1) edge until their
    shoulders' middle is on it, and back: per frame with a shoulder in view, whether the
    tracker has both shoulders, and the largest distance of a shoulder in view from the truth
    (px; NaN when not tracked)."""
    tracker = Tracker(CFG)
    edge = 0.0 if side < 0 else FRAME[1] - 1.0
    steps = int(abs(edge - HOME[0]) // STEP_PX)
    xs = HOME[0] + side * STEP_PX * np.r_[np.arange(steps + 1), np.arange(steps, -1, -1)]
    both, errors = [], []
    for i, x in enumerate(xs):
        truth = placed(person, (x, HOME[1]))
        tracker.update(truth[None], i / FPS, FRAME)
        seen = seen_shoulders(truth)
        if not seen.any():
            continue
        tracked = tracker.people()
        if not len(tracked):
            both.append(False)
            errors.append(np.nan)
            continue
        both.append(bool(seen_shoulders(tracked[0]).all()))
        shoulders = list(np.array(SHOULDERS)[seen])
        errors.append(
            float(np.linalg.norm(tracked[0, shoulders, :2] - truth[shoulders, :2], axis=1).max())
        )
    return both, errors


def hidden_behind(front: np.ndarray, back: np.ndarray, scale: float) -> np.ndarray:
    """``back``'s keypoints with those behind ``front``'s body at score 0: its torso, limbs
    and neck as ``scale`` (its half shoulder width) times LIMB wide, and its head, HEAD wide
    round the middle of its face. Past the side of the neck, beside the head, the person
    behind shows."""
    body = np.zeros(FRAME[:2], np.uint8)
    xy = np.round(front[:, :2]).astype(np.int32)
    cv2.fillConvexPoly(body, xy[list(TORSO)], 1)
    thick = max(1, round(LIMB * scale))
    face = xy[list(FACE)].mean(axis=0).astype(np.int32)
    neck = xy[list(SHOULDERS)].mean(axis=0).astype(np.int32)
    for a, b in [(xy[a], xy[b]) for a, b in LIMBS] + [(face, neck)]:
        cv2.line(body, tuple(map(int, a)), tuple(map(int, b)), 1, thick)
    cv2.circle(body, tuple(map(int, face)), round(HEAD * scale), 1, -1)
    out = back.copy()
    x, y = np.round(out[:, 0]).astype(int), np.round(out[:, 1]).astype(int)
    inside = (x >= 0) & (x < FRAME[1]) & (y >= 0) & (y < FRAME[0])
    out[inside & (body[y.clip(0, FRAME[0] - 1), x.clip(0, FRAME[1] - 1)] > 0), 2] = 0.0
    return out


def walking_by(behind: np.ndarray, front: np.ndarray) -> tuple[dict[str, list[float]], int]:
    """``front`` walking across in front of ``behind`` from beyond the right edge to beyond
    the left. Each track belongs to whichever of the two it lies nearest. Per person ("behind",
    "in front"), in each frame in which they are seen with both shoulders, the distance (px)
    between their shoulders and their nearest own track's (inf with none); and the swaps: how
    often a track that was one person's became the other's."""
    tracker = Tracker(CFG)
    lower = HOME[1] + LOWER * SPAN_PX
    reach = NEARER * SPAN_PX * 2
    xs = np.arange(FRAME[1] + reach, -reach, -WALK_PX)
    owner: dict[int, str] = {}
    distances: dict[str, list[float]] = {"behind": [], "in front": []}
    swaps = 0
    for i, x in enumerate(xs):
        near = placed(front, (x, lower), NEARER)
        far = hidden_behind(near, placed(behind, HOME), NEARER * SPAN_PX / 2)
        tracker.update(np.stack([far, near]), i / FPS, FRAME)
        people = {"behind": far, "in front": near}
        for track in tracker.tracks:
            apart = {name: _apart(track.keypoints, truth) for name, truth in people.items()}
            nearest = min(apart, key=apart.get)
            swaps += owner.get(track.id, nearest) != nearest
            owner[track.id] = nearest
        for name, truth in people.items():
            if seen_shoulders(truth).all():
                own = [_apart(t.keypoints, truth) for t in tracker.tracks if owner[t.id] == name]
                distances[name].append(min(own, default=np.inf))
    return distances, swaps


def _apart(a: np.ndarray, b: np.ndarray) -> float:
    """The larger distance between the two people's shoulder joints (px)."""
    shoulders = list(SHOULDERS)
    return float(np.linalg.norm(a[shoulders, :2] - b[shoulders, :2], axis=1).max())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=Path(__file__).parents[2] / "shared")
    args = parser.parse_args(argv)
    people = load_people(args.shared)

    both, errors = [], []
    for person in people:
        for side in (-1, 1):
            b, e = out_of_frame(person, side)
            both += b
            errors += e
    errors = np.array(errors)
    print(f"out of the frame, {len(people)} people, both ways, {STEP_PX} px a frame: "
          f"{len(both)} frames with a shoulder in view; tracked with both shoulders in "
          f"{np.mean(both):.3f}; the shoulders in view off the truth by "
          f"{np.nanmedian(errors):.1f} px at the median, {np.nanmax(errors):.1f} "
          f"at most")  # fmt: skip

    kept: dict[str, list[float]] = {"behind": [], "in front": []}
    swaps = 0
    for behind, front in zip(people, people[1:] + people[:1], strict=True):
        distances, swapped = walking_by(behind, front)
        swaps += swapped
        for name in kept:
            kept[name] += distances[name]
    print(f"walking by, {len(people)} pairs, {WALK_PX} px a frame: a track went from one "
          f"person to the other {swaps} times")  # fmt: skip
    for name, distances in kept.items():
        distances = np.array(distances)
        tracked = distances[np.isfinite(distances)]
        print(f"  the person {name}: {len(distances)} frames seen with both shoulders, "
              f"tracked in {len(tracked) / len(distances):.3f}; their track's shoulders off "
              f"theirs by {np.median(tracked):.1f} px at the median, {tracked.max():.1f} "
              f"at most")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
