"""Every threshold of the garment pipeline, named in one place.

Sizes are fractions of the garment or image size where that makes them resolution-independent;
colour distances are in OpenCV's 8-bit CIELAB units (about one unit per grey level).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DecodeLimits:
    """What an upload may be. Checked before any pixel is decoded."""

    formats: tuple[str, ...] = ("JPEG", "PNG", "WEBP")
    max_file_bytes: int = 25 * 1024 * 1024  # 25 MiB: any real garment photo is smaller
    max_pixels: int = 40_000_000  # 40 megapixels, checked from the header before decoding
    min_side_px: int = 128  # shorter side: below this there is too little garment to see


@dataclass(frozen=True)
class SegmentConfig:
    """Cutting a garment out of a plain shop background (see segment.py)."""

    work_long_side_px: int = 512  # the cut-out is found at this resolution, then refined
    border_frac: float = 0.02  # width of the image frame that samples the background
    min_background_share: float = 0.5  # at least this much of the frame must look alike
    bg_distance_min: float = 4.0  # Lab distance below which a pixel may be background...
    bg_noise_k: float = 4.0  # ...or this many robust standard deviations of the background
    edge_low: int = 10  # Canny hysteresis thresholds (3x3 Sobel on Lab) of the outline that
    edge_high: int = 20  # blocks the background fill: low enough for white-on-white
    texture_window_px: int = 5  # window of the local colour spread that tells fabric from studio
    texture_min: float = 0.5  # Lab spread above which a pixel is fabric (or an edge)...
    texture_noise_k: float = 2.0  # ...or above this many times the background's own (95th pct.)
    seal_gap_frac: float = 0.006  # gaps in the outline up to this much of the long side are sealed
    regrow_px: int = 4  # the background regrows this far past the sealing...
    regrow_distance_k: float = 3.0  # ...over pixels within this many background thresholds
    speck_area_frac: float = 0.002  # garment parts smaller than this share of the image are dropped
    hole_area_frac: float = 0.002  # enclosed patches smaller than this share of the garment: filled
    hole_exact_distance: float = 1.0  # a real hole shows the background colour within this...
    hole_exact_share_min: float = 0.6  # ...over at least this share of its pixels,
    hole_rim_percentile: float = 5.0  # and all round it (this percentile of its rim)
    hole_rim_contrast_min: float = 40.0  # the fabric contrasts this much with the background
    min_garment_frac: float = 0.03  # a garment covers at least this share of the image...
    max_garment_frac: float = 0.97  # ...and leaves some background
    matte_band_px: int = 3  # half-width of the soft edge band at full resolution
    matte_min_contrast: float = 12.0  # below this garment-background contrast the edge stays hard
    transparent_min_frac: float = 0.01  # alpha "has real transparency": this share below half


@dataclass(frozen=True)
class LandmarkConfig:
    """Finding the named points on a garment's outline (see landmarks.py)."""

    work_long_side_px: int = 384  # the outline is analysed at this resolution
    min_dent_depth_frac: float = 0.015  # dents of the outline shallower than this are ignored
    neck_max_half_width_frac: float = 0.25  # the neck dent's bottom is this close to the centre
    neck_default_half_width_frac: float = 0.12  # neck points when the top edge has no dent
    collar_max_depth_frac: float = 0.5  # hood/collar corners lie this close below the top
    front_neck_min_depth: float = 0.35  # a dent this deep (x neck width) is the front neckline
    front_neck_max_depth: float = 0.8  # the front neckline is searched this far below the rims
    front_neck_strip_frac: float = 0.1  # half-width of the searched strip (x neck width)
    front_neck_min_edge: float = 6.0  # grey-level step that counts as the front neckline
    front_neck_default_depth: float = 0.35  # otherwise assume a crew neck this deep
    armpit_min_above_hem_frac: float = 0.08  # an armpit is at least this far above the hem
    armpit_min_outset_frac: float = 0.05  # ...and this far out from the centre line
    armpit_neck_slack_frac: float = 0.05  # a dent this far inside the neck point is the neck
    armpit_min_relative_depth: float = 0.35  # the highest dent this deep (x the deepest)
    sleeve_min_reach_frac: float = 0.05  # a sleeve reaches at least this far past the armpit
    shoulder_outset_frac: float = 0.0  # shoulder point's offset outward from above the armpit
    hem_open_frac: float = 0.04  # ties and straps thinner than this (x body width) are no hem
    hem_corner_outward_weight: float = 0.5  # hem corner: lowest, then outermost, point
    long_sleeve_min: float = 0.55  # sleeve length / body length of a long sleeve
    hood_min_rise: float = 0.15  # a hood rises this far (x body length) above the neck points
    dress_min_length_to_width: float = 2.8  # body length / body width of a dress


@dataclass(frozen=True)
class GarmentConfig:
    """Preparing a garment (see garment.py)."""

    max_long_side_px: int = 1024  # larger photos are scaled down to this first
    crop_margin_frac: float = 0.02  # transparent margin kept around the garment...
    crop_margin_min_px: int = 4  # ...and at least this many pixels
    min_garment_px: int = 1000  # a cut-out with transparency must show this much garment
    cache_size: int = 32  # prepared garments kept in memory


DECODE = DecodeLimits()
SEGMENT = SegmentConfig()
LANDMARKS = LandmarkConfig()
GARMENT = GarmentConfig()
