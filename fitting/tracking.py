"""Who is who from one inference to the next, and steady keypoints for each of them.

A :class:`Tracker` belongs to one visitor's session. Each inference it is given the poses the
model found and the time; it matches them to its tracks by box overlap, smooths each track's
keypoints with a One Euro filter (and the silhouette, and the torso's and arms' widths
measured on it: :meth:`Tracker.steady_silhouette`, :meth:`Tracker.steady_flanks`,
:meth:`Tracker.steady_arm_widths`; and which forearms were told from what they lie on, with
their outlines: :meth:`Tracker.tell_forearms`), keeps a lost person's last good pose on
screen for a few inferences (no flicker when someone is briefly occluded) and then lets them
go. It also says where to look next: boxes around the current tracks, or None when the
detector must run.
"""

from dataclasses import dataclass, field
from itertools import count

import numpy as np

from .arm_outlines import ToldForearm
from .config import FitConfig
from .keypoints import (
    SHOULDERS,
    flanked,
    half_shoulder_width,
    keypoints_box,
    shoulder_past_edge,
)
from .measures import Flanks
from .silhouette import Silhouette


class OneEuroFilter:
    """One Euro filter over a (K, 2) array of points (Casiez, Roussel, Vogel; CHI 2012).

    A low-pass filter whose cutoff rises with speed: still points are smoothed hard (jitter
    drops), moving points lightly (little lag). Speeds and jumps are measured in ``scale``
    units (the person's half shoulder width), so one setting fits people at any distance;
    positions stay in pixels: ``scale`` is measured anew, with its own noise, at every step,
    and divided by it a still point 380 px from the image's corner moved by up to 20 px
    whenever the shoulders' span changed by 5%. Points whose ``valid`` flag is False keep
    their last value; a point that reappears, or that jumps farther
    than ``jump`` in one step, starts afresh instead of sliding across the frame.
    """

    def __init__(self, min_cutoff: float, beta: float, d_cutoff: float, jump: float):
        self.min_cutoff, self.beta, self.d_cutoff, self.jump = min_cutoff, beta, d_cutoff, jump
        self.x: np.ndarray | None = None  # (K, 2) last filtered positions, in pixels
        self.dx: np.ndarray | None = None  # (K, 2) last filtered speeds, pixels per second
        self.t: float | None = None
        self.valid: np.ndarray | None = None  # (K,) whether each point was valid last time

    def __call__(self, points: np.ndarray, valid: np.ndarray, t: float, scale: float) -> np.ndarray:
        """``points`` (K, 2) pixels, ``valid`` (K,) bool, ``t`` seconds -> filtered (K, 2)."""
        x = np.asarray(points, np.float64)
        if self.x is None:
            self.x, self.dx, self.t, self.valid = x.copy(), np.zeros_like(x), t, valid.copy()
            return points.copy()
        dt = max(t - self.t, 1e-3)
        self.t = t
        dx = (x - self.x) / dt
        dx_hat = self.dx + _alpha(self.d_cutoff, dt) * (dx - self.dx)
        speed = np.linalg.norm(dx_hat, axis=1, keepdims=True) / scale
        x_hat = self.x + _alpha(self.min_cutoff + self.beta * speed, dt) * (x - self.x)
        restart = (np.linalg.norm(x - self.x, axis=1) / scale > self.jump) | (valid & ~self.valid)
        x_hat[restart], dx_hat[restart] = x[restart], 0.0
        hold = ~valid
        x_hat[hold], dx_hat[hold] = self.x[hold], self.dx[hold]
        self.x, self.dx, self.valid = x_hat, dx_hat, valid.copy()
        return x_hat


class WidthFilter:
    """Steady widths from an array of widths measured over time, NaN where not measured: a
    width that grows is taken at once, one that shrinks is low-passed (``cutoff``, Hz), one
    not measured now stays NaN (and starts afresh when measured again).

    Growing at once, a garment covers whatever its wearer's outline shows, and a width that
    flips between two values from one frame to the next holds near the wider; where it is
    too wide for a moment, the outline cuts the garment off (composite.outline_clip)."""

    def __init__(self, cutoff: float):
        self.cutoff = cutoff
        self.x: np.ndarray | None = None
        self.t: float | None = None

    def __call__(self, x: np.ndarray, t: float) -> np.ndarray:
        if self.x is not None:
            alpha = _alpha(self.cutoff, max(t - self.t, 1e-3))
            shrinks = np.isfinite(self.x) & (x < self.x)
            x = np.where(shrinks, self.x + alpha * (x - self.x), x)
        self.x, self.t = x, t
        return x


def _alpha(cutoff: float, dt: float) -> float:
    """The weight of a new sample in a low-pass with ``cutoff`` (Hz), ``dt`` seconds on."""
    tau = 1.0 / (2.0 * np.pi * cutoff)
    return 1.0 / (1.0 + tau / dt)


def box_iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU of every box in ``a`` (N, 4) with every box in ``b`` (M, 4), xyxy -> (N, M)."""
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.prod(np.clip(rb - lt, 0, None), axis=2)
    area_a = np.prod(a[:, 2:] - a[:, :2], axis=1)
    area_b = np.prod(b[:, 2:] - b[:, :2], axis=1)
    return inter / np.maximum(area_a[:, None] + area_b[None, :] - inter, 1e-6)


_track_ids = count(1)
ARM_SIDES = ("left", "right")


@dataclass(eq=False)  # tracks are compared by identity
class Track:
    """One person followed over time."""

    keypoints: np.ndarray  # (17, 3) smoothed x, y, score
    box: np.ndarray  # (4,) xyxy around the raw keypoints, where to look next time
    filter: OneEuroFilter
    scale: float  # half shoulder width in pixels, last measured
    widths: WidthFilter  # the torso's width measured on the silhouette (steady_flanks)...
    arm_widths: WidthFilter  # ...and the arms' (steady_arm_widths)
    misses: int = 0  # inferences in a row without a good pose
    # side -> the forearms told from what they lie on at the last inference
    forearms_told: dict[str, ToldForearm] = field(default_factory=dict)
    id: int = field(default_factory=lambda: next(_track_ids))


class Tracker:
    """Tracks and smooths the people of one video stream (one visitor's session)."""

    BOX_GROWTH = 1.2  # a box around keypoints misses the top of the head, hands and feet

    def __init__(self, config: FitConfig):
        self.config = config
        self.tracks: list[Track] = []
        self.inferences = 0
        self.silhouette: Silhouette | None = None  # the last one steadied

    def following(self) -> bool:
        """Whether the tracker knows where everyone is: it has tracks, and found each of them
        at the last inference."""
        return bool(self.tracks) and not any(t.misses for t in self.tracks)

    def boxes_to_follow(self) -> np.ndarray | None:
        """Where to run the pose model next: boxes around the tracks, or None to detect afresh
        (nobody or someone lost, or every ``detect_every`` inferences, for newcomers)."""
        if not self.following() or self.inferences % self.config.detect_every == 0:
            return None
        return np.stack([t.box for t in self.tracks])

    def update(self, keypoints: np.ndarray, t: float, frame_shape=None) -> None:
        """Takes the poses found at time ``t``: ``keypoints`` (P, 17, 3), x, y, score, in a
        frame of ``frame_shape`` (for the joints at its edge; None: not known)."""
        cfg = self.config
        self.inferences += 1
        boxes = [keypoints_box(k, cfg.keypoint_score) for k in keypoints]
        found = [(k, self._grow(b)) for k, b in zip(keypoints, boxes, strict=True) if b is not None]
        taken: dict[int, int] = {}  # pose -> the track it continues
        for p, i in self._claims([box for _, box in found]):
            if p in taken or i in taken.values():
                continue
            k, box = found[p]
            k = self._shoulders_kept(k, self.tracks[i], frame_shape)
            if half_shoulder_width(k, cfg.keypoint_score) is not None:
                found[p], taken[p] = (k, box), i
        unmatched = [i for i in range(len(self.tracks)) if i not in taken.values()]
        matched: list[Track] = []
        new: list[tuple[np.ndarray, np.ndarray, float]] = []
        for p, (k, box) in enumerate(found):
            scale = half_shoulder_width(k, cfg.keypoint_score)
            if scale is None:
                continue  # no shoulders, nothing to fit: a matching track counts it as a miss
            if p not in taken:
                new.append((k, box, scale))
                continue
            track = self.tracks[taken[p]]
            self._smooth(track, k, box, scale, t, frame_shape)
            matched.append(track)
        for k, box, scale in new:
            # A pose that overlaps no track: a newcomer, or someone who moved too far between
            # two inferences. The latter takes over their lost track, restarting its filter,
            # so their garment jumps with them instead of leaving a ghost behind.
            i = self._nearest(box, unmatched)
            if i is None:
                track = Track(
                    k, box, self._new_filter(), scale, self._new_widths(), self._new_widths()
                )
            else:
                track = self.tracks[i]
                track.filter = self._new_filter()
                track.widths, track.arm_widths = self._new_widths(), self._new_widths()
                track.forearms_told = {}
                unmatched.remove(i)
            self._smooth(track, k, box, scale, t, frame_shape)
            matched.append(track)
        for i in unmatched:
            self.tracks[i].misses += 1
        kept = [self.tracks[i] for i in unmatched if self.tracks[i].misses <= cfg.hold_frames]
        self.tracks = sorted(matched + kept, key=lambda tr: tr.scale)[-cfg.max_people :]

    def people(self) -> np.ndarray:
        """Smoothed keypoints (P, 17, 3) of everyone on screen, smallest (farthest) first."""
        if not self.tracks:
            return np.zeros((0, 17, 3), np.float32)
        return np.stack([t.keypoints for t in self.tracks])

    def steady_flanks(self, person: int, flanks: Flanks, t: float) -> Flanks:
        """The ``person``-th of :meth:`people`'s ``flanks``, measured at time ``t``, held
        steady (see :class:`WidthFilter`: a flank that moves out is taken at once, one that
        moves in follows slowly). Measured on the silhouette, a row's flank can flip between
        two places from one frame to the next (where the outline beside a hanging arm reaches
        just past the arm's outer side, or not: measures.measure_flanks), and the garment's
        armhole with it, by 10-15 px on the shared video while the shoulders moved 1.5, the
        wearer's own top showing at the shoulder in every other frame. In torso coordinates
        the body's own movement is not in the flanks: what changes them (an arm raised, a
        turn) is slow beside that."""
        sides = self.tracks[person].widths(
            np.stack([flanks.left, flanks.right, *flanks.sleeveless]), t
        )
        return Flanks(flanks.rows, sides[0], sides[1], (sides[2], sides[3]))

    def steady_arm_widths(self, person: int, widths: dict, scale: float, t: float) -> dict:
        """The ``person``-th of :meth:`people`'s arm ``widths`` ("left"/"right" -> the upper
        arm's and the forearm's half-widths in pixels, NaN where not measured), measured at
        time ``t`` on a body ``scale`` (half shoulder width, px) across, held steady as the
        flanks are: a sleeve as wide as the arm measured in one frame and a little narrower in
        the next showed a strip of the wearer's own sleeve beside it, on and off, on someone
        standing still (tools.steadiness)."""
        measured = np.array([widths.get(side, (np.nan, np.nan)) for side in ARM_SIDES], float)
        steady = self.tracks[person].arm_widths(measured.ravel() / scale, t) * scale
        return {side: (steady[2 * k], steady[2 * k + 1])
                for k, side in enumerate(ARM_SIDES) if side in widths}  # fmt: skip

    def forearms_told(self, person: int) -> dict[str, ToldForearm]:
        """Side -> the forearms the ``person``-th of :meth:`people` had told from what they
        lie on at the last inference (see :meth:`tell_forearms`)."""
        return self.tracks[person].forearms_told

    def tell_forearms(self, person: int, told: dict[str, ToldForearm]) -> None:
        """Remembers the forearms ``told`` from what they lie on at this inference (side ->
        each), for the next: a tell and its outline are held with hysteresis
        (arm_outlines.forearm_outline), or a camera's noise flips a forearm between its own
        outline and its capsule, and its edge, from one frame to the next."""
        self.tracks[person].forearms_told = told

    def steady_silhouette(self, silhouette: Silhouette | None) -> Silhouette | None:
        """The ``silhouette`` segmented at this inference (None: none), steadied by the one
        before it (see :meth:`Silhouette.steadied`). Segmented anew on a camera's noisy
        frames, the outline of someone standing still moves by a pixel or two at every
        inference, and with it the garment's width, its sleeves and the hair kept in front
        of it, a flicker all round the garment's edge."""
        smoothing = self.config.silhouette_smoothing
        if silhouette is not None:
            silhouette = silhouette.steadied(self.silhouette, smoothing)
        self.silhouette = silhouette
        return silhouette

    def _claims(self, boxes: list[np.ndarray]) -> list[tuple[int, int]]:
        """(pose, track) index pairs whose boxes overlap by track_iou or more, the largest
        overlap first: a pose continues the track it overlaps most, unless another pose
        overlaps that track more. Taken pose by pose, someone stepping out from behind another
        person took the other's track (their own track's box, from while they were half hidden,
        was small), and their garment slid across from the other to them."""
        if not boxes or not self.tracks:
            return []
        ious = box_iou(np.stack(boxes), np.stack([track.box for track in self.tracks]))
        order = np.argsort(ious, axis=None, kind="stable")[::-1]
        pairs = [np.unravel_index(flat, ious.shape) for flat in order]
        return [(int(p), int(i)) for p, i in pairs if ious[p, i] >= self.config.track_iou]

    def _shoulders_kept(self, keypoints: np.ndarray, track: Track, frame_shape) -> np.ndarray:
        """``keypoints`` (17, 3) with the shoulders ``track`` keeps seen: one it saw stays seen
        down to keypoint_keep_score, as every keypoint does in _smooth, and one that has left
        the frame is put back (keypoints.shoulder_past_edge). A pose is a miss without both
        shoulders: one whose shoulder dipped below keypoint_score for an inference held its
        track still where it had been."""
        cfg, shoulders = self.config, list(SHOULDERS)
        dipped = self._still_seen(track, keypoints[:, 2])[shoulders]
        out = keypoints.copy()
        out[shoulders, 2] = np.where(
            dipped, np.maximum(out[shoulders, 2], cfg.keypoint_score), out[shoulders, 2]
        )
        if frame_shape is not None:
            out = shoulder_past_edge(out, track.keypoints, cfg.keypoint_score, frame_shape)
        return out

    def _still_seen(self, track: Track, score: np.ndarray) -> np.ndarray:
        """(17,) bool: the keypoints ``track`` saw at its last inference that still score
        keypoint_keep_score or more (``score`` (17,)): hysteresis, see FitConfig."""
        if track.filter.valid is None:  # a track not yet smoothed has seen nothing
            return np.zeros(len(score), bool)
        return track.filter.valid & (score >= self.config.keypoint_keep_score)

    def _nearest(self, box: np.ndarray, candidates: list[int]) -> int | None:
        """Index of the candidate track whose box centre is nearest ``box``'s, if any."""
        if not candidates:
            return None
        centers = np.stack(
            [(self.tracks[i].box[:2] + self.tracks[i].box[2:]) / 2 for i in candidates]
        )
        distance = np.linalg.norm(centers - (box[:2] + box[2:]) / 2, axis=1)
        return candidates[int(np.argmin(distance))]

    def _smooth(self, track: Track, raw: np.ndarray, box, scale: float, t: float, frame_shape):
        cfg, score = self.config, raw[:, 2]
        valid = score >= cfg.keypoint_score
        if track.filter.valid is not None:  # seen last time: kept down to the lower score,
            # or at any score where its limb is in view around it: between its limb's two
            # seen ends, or where the limb leaves the frame (keypoints.flanked)
            flanks = flanked(raw[:, :2], valid, scale, frame_shape)
            valid |= self._still_seen(track, score) | (track.filter.valid & flanks)
        track.box, track.scale, track.misses = box, scale, 0
        smoothed = track.filter(raw[:, :2], valid, t, scale)
        # A keypoint that is missing now keeps its last position but not its confidence; one
        # kept by the lower score counts as seen downstream.
        score = np.where(valid, np.maximum(score, cfg.keypoint_score), score)
        track.keypoints = np.concatenate([smoothed, score[:, None]], axis=1).astype(np.float32)

    def _new_filter(self) -> OneEuroFilter:
        c = self.config
        return OneEuroFilter(c.smooth_min_cutoff, c.smooth_beta, c.smooth_d_cutoff, c.smooth_jump)

    def _new_widths(self) -> WidthFilter:
        return WidthFilter(self.config.width_cutoff)

    def _grow(self, box: np.ndarray) -> np.ndarray:
        center, size = (box[:2] + box[2:]) / 2, (box[2:] - box[:2]) * self.BOX_GROWTH / 2
        return np.concatenate([center - size, center + size]).astype(np.float32)
