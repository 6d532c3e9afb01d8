"""Every tunable of the fitting pipeline, in one small config object with named presets.

Lengths on the body are in units of the person's half shoulder width (the distance from the
middle of the shoulders to one shoulder joint), so one setting fits near and far people alike.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FitConfig:
    # Detection and tracking
    detect_every: int = 15  # inferences between detector runs while tracking holds
    detector_score: float = 0.5  # person boxes below this detector score are ignored
    max_people: int = 3  # people fitted at once, largest first
    keypoint_score: float = 0.3  # keypoints scoring below this count as missing...
    keypoint_keep_score: float = 0.15  # ...unless seen at the last inference: then below this,
    # or at any score between the seen ends of its limb (keypoints.flanked). Hysteresis: a
    # score hovering around keypoint_score would flip a sleeve between following the arm and
    # hanging loose at every inference; on the shared video her left elbow did 14 times in 103
    # frames, twice with the lower score, never with the limb's ends too.
    track_iou: float = 0.3  # a new pose continues a track when their boxes overlap this much
    hold_frames: int = 6  # inferences a lost person's last good fit stays on screen
    segment_margin: float = 0.25  # the segmenter sees the people's keypoint box grown this
    # much (x its size) on every side: the keypoints miss the top of the head, hair, clothes

    # Keypoint smoothing: a One Euro filter per keypoint (Casiez et al., CHI 2012), on
    # coordinates measured in half shoulder widths so near and far people behave the same.
    # Tuned on the shared webcam video (python -m tools.evaluate prints the figures): jitter
    # drops by about 4/5 while the error on the fastest moves is no worse than unfiltered.
    smooth_min_cutoff: float = 1.0  # Hz: lower = steadier when still
    smooth_beta: float = 1.0  # how fast the cutoff rises with speed: higher = less lag
    smooth_d_cutoff: float = 1.0  # Hz, for the speed estimate
    smooth_jump: float = (
        1.5  # a keypoint moving farther than this in one step is reset, not smoothed
    )
    silhouette_smoothing: float = 0.7  # how far a pixel the segmentation model is unsure of
    # moves towards its value at the last inference (MediaPipe Pose's 0.7; 0: not at all;
    # silhouette.Silhouette.steadied)
    width_cutoff: float = 1.0  # Hz: where the torso's width measured on the silhouette
    # shrinks, it follows at this cutoff (where it grows, at once: tracking.WidthFilter)

    # Garment geometry
    # Calibrated on the shared photo pairs of a person wearing the very garment of a product
    # photo (VITON-HD 00055 and 14627): worn, a top keeps its flat proportions, its shoulder
    # seams sit just outside the shoulder keypoints, and a regular tee's hem falls a little
    # below the hip keypoints.
    shoulder_outset: float = 0.05  # garment shoulder seams sit this far outside the joints
    torso_length: float = 2.65  # shoulder line to hip line, in half shoulder widths (seam to seam)

    neck_follow: float = 0.35  # how far the neckline follows the head sideways (0..1)
    sleeve_width: float = 0.7  # a worn sleeve, a tube seen from the front, looks this much
    # narrower than the same sleeve laid flat (2 / pi for a tight tube, more with some ease)

    # Occlusion: body parts in front of the garment, as capsules around keypoint segments
    forearm_radius: float = 0.2  # forearm and hand half-width
    hand_length: float = 0.45  # the hand reaches this far past the wrist (x forearm length)
    head_radius: float = 1.3  # face circle radius, relative to the face keypoints' spread

    # Blending
    feather_px: int = 2  # softening of the garment's outline, in output pixels
    shading: float = 0.7  # 0 = flat garment colours, 1 = full transfer of the scene's lighting
    match_light: bool = True  # the garment takes the frame's exposure and colour of light


# The fits a visitor chooses from: how far the garment reaches past the wearer's outline (its
# ease), in half shoulder widths. Slim follows the outline; loose keeps some drape past it.
FITS = {"slim": 0.0, "regular": 0.05, "loose": 0.15}
# Cloth hangs from the body and rests on it: however loose the fit, a garment rises above the
# wearer's shoulders no more than the regular fit's ease (warp.tailor, composite.hanging).
REST_EASE = FITS["regular"]

PRESETS = {
    # Live webcam use: smooth when still, quick on fast moves.
    "balanced": FitConfig(),
    # Lowest lag for fast motion (dance, sport): lighter smoothing, more detector runs.
    "responsive": FitConfig(detect_every=8, smooth_min_cutoff=1.5, smooth_beta=2.0),
    # A steady image for someone standing still (presentations, photos from a webcam).
    "steady": FitConfig(smooth_min_cutoff=0.5, smooth_beta=0.5),
}
