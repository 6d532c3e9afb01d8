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
class SleeveGap:
    """The shape of the gap between a long sleeve hanging beside the body and the body, where
    the cuff rests on the body or the hem and closes it off: a hole in the garment's mask.
    Fractions of the garment's height."""

    min_height_frac: float = 0.15  # a slit this tall...
    min_elongation: float = 3.0  # ...and this many times taller than wide...
    min_depth_frac: float = 0.25  # ...starting this far below the top (below the shoulders)...
    max_bridge_frac: float = 0.02  # ...and closed off this close to the garment's edge

    def shaped(self, box, top: int, height: float) -> bool:
        """Whether a hole whose bounding box is ``box`` (x, y, w, h) has the gap's shape, in
        a garment whose top is at row ``top`` and ``height`` rows tall."""
        _, y, w, h = box
        return (
            h >= self.min_height_frac * height
            and h >= self.min_elongation * w
            and y - top >= self.min_depth_frac * height
        )


SLEEVE_GAP = SleeveGap()


@dataclass(frozen=True)
class SegmentConfig:
    """Cutting a garment out of a plain shop background (see segment.py)."""

    work_long_side_px: int = 512  # the cut-out is found at this resolution, then refined
    border_frac: float = 0.02  # width of the image frame that samples the background
    min_background_share: float = 0.5  # at least this much of the frame must be backdrop
    detail_sigma_frac: float = 0.04  # the backdrop's light is followed at this scale (x long side)
    bg_distance_min: float = 4.0  # Lab distance below which a pixel may be background...
    bg_noise_k: float = 4.0  # ...or this many robust standard deviations of the background
    shadow_depth: float = 0.06  # a pixel up to this much darker than the background (of its
    # lightness), of its hue, may be a soft shadow on the backdrop: no barrier without an edge
    edge_low: int = 10  # Canny hysteresis thresholds (3x3 Sobel on Lab) of the outline that
    edge_high: int = 20  # blocks the background fill: low enough for white-on-white
    texture_window_px: int = 5  # window of the local colour spread that tells fabric from studio
    texture_min: float = 0.5  # Lab spread above which a pixel is fabric (or an edge)...
    texture_noise_k: float = 2.0  # ...or above this many times the background's own (95th pct.)
    seal_gap_frac: float = 0.006  # gaps in the outline up to this much of the long side are sealed
    regrow_px: int = 4  # the background regrows this far past the sealing...
    regrow_distance_k: float = 3.0  # ...over pixels within this many background thresholds
    # Beside a garment that stands out from the backdrop (matte_min_contrast), JPEG's ringing
    # leaves a rim of backdrop-coloured pixels wider than that: the backdrop grows over it up to
    # fringe_px further, keeping each piece whose front with the garment is, at this share
    # or more, the garment's outline or its colours (so not a white garment's own edge)
    fringe_px: int = 6
    fringe_front_share: float = 0.8
    speck_area_frac: float = 0.002  # garment parts smaller than this share of the image are dropped
    hole_area_frac: float = 0.002  # enclosed patches smaller than this share of the garment: filled
    hole_exact_distance: float = 1.0  # a real hole shows the background colour within this...
    hole_exact_share_min: float = 0.6  # ...over at least this share of its pixels,
    hole_rim_percentile: float = 5.0  # and all round it (this percentile of its rim)
    hole_rim_contrast_min: float = 40.0  # the fabric contrasts this much with the background
    # The gap between a long sleeve and the body, sealed off where cuff and hem touch:
    gap_min_area_frac: float = 0.0005  # a slit at least this big (x garment area)...
    sleeve_gap: SleeveGap = SLEEVE_GAP  # ...of the gap's shape (see SleeveGap),
    gap_near_distance: float = 3.0  # whose pixels are within this of the background colour...
    gap_near_share_min: float = 0.9  # ...at this share,
    gap_rim_percentile: float = 25.0  # and whose rim contrasts all round but for a quarter
    # A second part this big (x the largest) is another garment, or another view: on the shared
    # photos the second part is at most 0.0002 of the garment; two garments side by side, 0.5-0.8
    second_garment_frac: float = 0.25
    min_garment_frac: float = 0.03  # a garment covers at least this share of the image...
    max_garment_frac: float = 0.97  # ...and leaves some background
    matte_band_px: int = 3  # half-width of the soft edge band at full resolution
    matte_min_contrast: float = 12.0  # below this garment-background contrast the edge stays hard
    transparent_min_frac: float = 0.01  # alpha "has real transparency": this share below half


@dataclass(frozen=True)
class UprightConfig:
    """Standing a tilted garment upright (see upright.py)."""

    work_long_side_px: int = 200  # the tilt is measured on a copy this long
    max_degrees: float = 8.0  # turns up to this either way are looked for...
    step_degrees: float = 0.5  # ...in these steps
    min_degrees: float = 2.0  # smaller tilts are left: turning resamples (softens) the photo,
    # and the shared photos shot up to 1.5 degrees askew read right as they are


@dataclass(frozen=True)
class LandmarkConfig:
    """Finding the named points of a garment (see landmarks.py).

    Lengths are fractions of the garment's height or width (its bounding box at the working
    resolution) or of its chest width (between the two side seams), as each name says.
    """

    work_long_side_px: int = 512  # the garment is analysed at this resolution
    centre_search_frac: float = 0.2  # the centre line is searched in this middle share of the width
    # Ties, bows and hanging straps: parts thinner than this (x garment width) that hang below
    # the body by more than half that much are taken off before anything else is measured.
    hanging_max_thickness_frac: float = 0.1
    # A hanger's hook: a part that thin, standing up from the top by half as much, no wider and
    # no farther off the middle than these (x garment width); straps, apart on either side of
    # the neck, and a halter's ties meeting over it, are wider (see silhouette.hanger_hook).
    hook_max_width_frac: float = 0.15
    hook_max_offset_frac: float = 0.1
    # A gap between a hanging sleeve and the body, closed off where the cuff rests on the body
    # (a hole in the mask, of this shape), is opened to the outside where it comes nearest.
    sleeve_gap: SleeveGap = SLEEVE_GAP
    # Neck
    min_dent_depth_frac: float = 0.015  # dents of the outline shallower than this are ignored
    neck_max_half_width_frac: float = 0.25  # the neck dent's bottom is this close to the centre
    neck_max_rim_depth_frac: float = 0.4  # the neck's rims lie this high (x height), not a hem's
    neck_max_asymmetry_frac: float = 0.1  # its rims lie this evenly about the centre (x width)
    neck_default_half_width_frac: float = 0.12  # neck points when the top edge has no dent
    collar_max_depth_frac: float = 0.5  # hood/collar corners lie this close below the top
    collar_rim_max_drop_frac: float = 0.15  # (x height) and the hood's or collar's side rises
    # from them to within this of the top
    front_neck_min_depth: float = 0.35  # a dent this deep (x neck width) is the front neckline
    front_neck_max_depth: float = 1.2  # the front neckline is searched this far below the rims
    front_neck_strip_frac: float = 0.1  # half-width of the searched strip (x neck width)
    front_neck_edge_rows: int = 3  # colours are compared this many rows above and below...
    front_neck_min_edge: float = 10.0  # ...and differ this much (Lab) at the front neckline,
    front_neck_fabric_tolerance: float = 20.0  # below which is the garment's own colour
    front_neck_beside_frac: float = 0.75  # an edge with the same colours this far (x neck
    # width) beside the centre line runs on across the garment: a stripe, not the neckline
    front_neck_default_depth: float = 0.35  # otherwise assume a crew neck this deep
    fabric_rows: tuple[float, float] = (0.3, 0.7)  # the garment's own colour is sampled in
    fabric_centre_gap_frac: float = 0.25  # these rows (x height), this far off the centre
    # line (x width), where prints seldom are
    # Hem: the bottom edge of the body panel, followed outwards from the centre line
    hem_max_slope: float = 1.7  # steeper than this (60 degrees) the bottom edge is a side...
    hem_slope_window_frac: float = 0.01  # ...over this many columns (x width)
    crotch_max_half_width_frac: float = 0.15  # a bottom edge climbing steeply this close to
    # the centre (x half the width) is a bodysuit's crotch, followed up its leg opening...
    leg_max_slope: float = 6.0  # ...as long as it is no steeper than this (80 degrees)
    hem_step_frac: float = 0.02  # a step of the bottom edge larger than this (x height) ends it
    hem_step_max_frac: float = 0.1  # an edge going on within this (x height) after a step up
    # is hem-like (a wrap's other layer, a cuff), not the climb into the side
    hem_skip_max_frac: float = 0.2  # a tie this wide (x width) hanging over the hem is skipped...
    hem_resume_frac: float = 0.04  # ...when the hem goes on past it within this (x height)
    hem_resume_min_columns: int = 3  # ...for at least this many columns
    hem_blocked_max_share: float = 0.85  # a hem ending at a hanging part this far inside the
    # other side's corner (x its distance from the centre) was blocked by a tie over the side
    hem_corner_window_frac: float = 0.1  # the corner is the lowest-outermost point of this
    # much (x hem width) of the hem's outer end
    # Side seam: followed up from the hem corner
    side_window_frac: float = 0.03  # the outline's direction is measured over this (x height)
    side_max_turn_deg: float = 40.0  # a side seam turns less than this from straight up...
    side_patience_frac: float = 0.06  # ...except for kinks shorter than this (x height)
    side_min_length_frac: float = 0.06  # shorter visible sides (x height) are taken as vertical
    side_max_tilt_deg: float = 20.0  # a side seam leans at most this far from vertical
    # Sleeves and armpits
    sleeve_min_reach: float = 0.15  # a sleeve sticks out this far (x chest width) past the side
    underside_window_frac: float = 0.08  # a sleeve's underside is followed this far (x height)
    on_body_gap_min_deg: float = 60.0  # an underside steeper than this hangs beside the body
    on_body_min_gap_depth: float = 0.2  # a gap that deep (x height) under a hanging underside
    # is a long sleeve's, however little the sleeve sticks out (sleeveless sides have none)
    gap_apex_max_rise_frac: float = 0.1  # a gap's cut-off tip is extended up at most this far
    gap_apex_min_angle_deg: float = 5.0  # ...where its two edges meet at least at this angle
    gap_apex_max_angle_deg: float = 20.0  # ...and at most this (wider gaps keep their tips)
    on_body_max_visible_side: float = 0.5  # a sleeve lying against the body leaves at most this
    # much side visible below it (x the height above the side's knee)...
    on_body_min_length: float = 1.7  # ...and is this long (x how far it sticks out)
    armpit_typical_drop: float = 0.47  # where a hidden armpit is assumed (x shoulder width below
    # the shoulder point; the gap tops of the shop photos' hanging sleeves lie 0.47-0.49)...
    armpit_knee_slack: float = 0.22  # ...unless the side's knee is at most this much lower
    shoulder_max_outset: float = 0.6  # a short sleeve's shoulder corner lies at most this far
    # (x half the chest width) outboard of its armpit
    shoulder_tip_clearance: float = 0.3  # a shoulder corner is at least this far from the
    # sleeve's tip (x the distance from the neck to the tip); nearer, it is the sleeve's corner
    strap_top_max_drop: float = 0.3  # a strap's top corner is this high (x neck-to-armpit)
    strap_top_rows_frac: float = 0.1  # a strap's width is measured in this top share of the rows
    strap_base_widening: float = 2.0  # and it joins the body where it is this much wider
    on_body_shoulder_depth: float = 0.5  # a sleeve lying against the body: its shoulder corner
    # is the knee of the outline from the neck rim to this far down (x neck rim to side end)
    side_disagreement_frac: float = 0.1  # armpits further apart in height (x height): one
    # side was misread, and takes the other's shoulder and armpit
    shoulder_disagreement_frac: float = 0.1  # sleeves on the body, shoulders further apart in
    # their distance from the centre line (x width): the inner one was another corner
    straight_max_bulge_frac: float = 0.02  # a path bulging less than this (x width) is straight
    side_to_top_frac: float = 0.2  # a side followed this close (x height) to the top ran on
    # up past the armhole (halters, bras, shallow armholes)
    # The seam between a sleeve lying against the body and the body, looked for in the photo
    seam_outer_edge_min_lean: float = 0.25  # an outline running out this much (du/dy) from the
    # shoulder down to the hem may be a sleeve's outer edge with its cuff resting on the hem
    seam_end_margin_frac: float = 0.04  # it ends this far (x height) above the sleeve's end
    seam_min_length_frac: float = 0.1  # a seam is looked for over at least this much (x height)
    seam_min_width: float = 0.1  # a sleeve is this wide (x the garment's half width)...
    seam_max_width: float = 0.5  # ...up to this
    seam_steps: int = 24  # widths tried at each end of the seam
    seam_samples: int = 40  # points along each candidate seam
    seam_band_px: int = 6  # the fabric is compared this far to either side of a seam...
    seam_max_side_difference: float = 12.0  # ...and differs by at most this (Lab units)
    seam_min_edge: float = 2.0  # a seam's median colour change across it (Lab units per pixel)...
    seam_min_contrast: float = 1.5  # ...and this many times a typical candidate line's
    cuff_search: tuple[float, float] = (0.8, 0.95)  # the cuff is the widest cross-section
    cuff_search_steps: int = 6  # of these, this far along the sleeve (x its reach)
    long_sleeve_min: float = 0.85  # sleeve length / chest width of a long (or 3/4) sleeve
    hood_min_rise: float = 0.15  # a hood rises this far (x body length) above the neck points
    dress_min_length_to_width: float = 2.8  # body length / body width of a dress...
    flared_dress_min_length: float = 2.0  # ...or of one whose skirt flares (a top hangs
    flared_dress_min_flare: float = 1.5  # straight), its hem this much wider than its chest
    category_doubt_band: float = 0.15  # a proportion this near (x) its threshold: say so
    # A sleeveless top has an armhole (with neither side having one, sleeves may lie over
    # the sides: sleeves.has_armhole): its armpit lies at least this far (x the body's length)
    armhole_min_depth: float = 0.1  # below its shoulder (0.14-0.49 on the shared photos and
    # the drawn tanks; 0.04-0.05 on redrawn hoodies whose sleeves lie over their sides, and
    # on a shell top at half size)
    armhole_max_depth: float = 2 / 3  # ...and at most this far: a sleeveless top ends well
    # below its armholes (0.16-0.47 on the shared photos, 0.04-0.54 on the tanks drawn at nine
    # seeds); 0.80 on a tunic whose long sleeves lie over its sides, its cuffs read as armpits
    armhole_min_bend: float = 0.01  # ...and its outline from the shoulder to the hem corner
    # bends this far (x the chest width) off the straight line, its running median taken
    armhole_bend_window: float = 0.1  # over this share of the outline: 0.018-0.24 on the
    # shared photos' sleeveless sides, 0.022-0.21 on the drawn tanks (seeds 7, 11, 23, 31);
    # 0.001-0.006 on Breton tops whose long sleeves lie straight down over their sides
    # An armpit found less than this far out from the middle to its shoulder is inside the
    # body, where sleeves lying over its sides hid it: 0.63 and further out on the shared
    # photos, 0.54 on every drawing read as designed (seeds 7-43), 0.35-0.45 on three Bretons
    # whose sleeves lie over their sides, their armpits found deep inside (read as dresses)
    min_armpit_reach: float = 0.5


@dataclass(frozen=True)
class KindConfig:
    """Telling bottoms from tops by their silhouette (see kind.py).

    Fractions of the garment's height or width (its bounding box at the working resolution)
    unless the name says otherwise.
    """

    work_long_side_px: int = 512  # the silhouette is read at this resolution
    # A waistband: a straight top edge with no neck opening, a nearly convex garment below it
    waistband_row_frac: float = 0.05  # the top edge is measured over the row this far down...
    waistband_tolerance: float = 0.03  # ...a column within this (x that row's width) of the
    waistband_min_straight: float = 0.88  # line fitted to it is on it; this share of them is
    neck_zone: tuple[float, float] = (0.25, 0.25)  # a dent within this (x height) of the top
    # and this (x width) of the centre line is a neck opening (its depth: LandmarkConfig's)
    upper_part_frac: float = 0.6  # the garment's upper part (x height), down to the hips...
    waistband_min_solidity: float = 0.95  # ...fills this share of its convex hull (no sleeves)
    sleeves_min_overhang: float = 0.05  # (x width) a side running back inward this far below a
    # point above it is sleeves sticking out (redrawn skirts: up to 0.03; short sleeves: 0.09+)
    neck_off_cut: float = 0.01  # a dent reaching this near (x height) to the hips is no neck
    sleeves_beside_min_rows: float = 0.1  # rows (x height) with fabric apart on either side of
    # the piece across the centre line: sleeves hanging beside a body, not bottoms
    # Legs: the crotch, a notch in the bottom edge on the centre line, narrow where it starts
    crotch_min_depth: float = 0.08  # the notch is at least this deep (x height)...
    crotch_max_gap: float = 0.3  # ...and this narrow (x width)...
    crotch_probe: float = 0.05  # ...this far below its top (x height, at most half its depth)
    crotch_min_height: float = 0.2  # its top lies at least this far below the waist (x height)
    crotch_max_off: float = 0.15  # ...and this near the centre line (x width)
    # How it hangs: the legs' length below the crotch, x the waistband's width
    shorts_max_legs: float = 0.5  # shorts up to this; trousers from the next; between: the
    # nearer (below or above their geometric mean, 0.71), with a doubt
    trousers_min_legs: float = 1.0
    legs_together_min_aspect: float = 1.8  # no crotch seen, this tall (height / width): trousers
    skirt_min_flare: float = 1.0  # a skirt's hem is at least as wide as its waistband...
    skirt_sure_flare: float = 1.15  # ...and narrower than this it may be a strapless top
    hem_row_frac: float = 0.9  # the hem's width is measured on the row this far down


@dataclass(frozen=True)
class GarmentConfig:
    """Preparing a garment (see garment.py)."""

    max_long_side_px: int = 1024  # larger photos are scaled down to this first
    crop_margin_frac: float = 0.02  # transparent margin kept around the garment...
    crop_margin_min_px: int = 4  # ...and at least this many pixels
    min_garment_px: int = 1000  # a cut-out with transparency must show this much garment
    cache_size: int = 32  # prepared garments kept in memory
    # A reading must not hang on where the pixel grid falls: the cut-out is read moved down and
    # right by each of these many pixels, and the readings pooled (garment.read_landmarks)
    grid_shifts_px: tuple[int, ...] = (0, 1, 2)


DECODE = DecodeLimits()
SEGMENT = SegmentConfig()
UPRIGHT = UprightConfig()
LANDMARKS = LandmarkConfig()
KIND = KindConfig()
GARMENT = GarmentConfig()
