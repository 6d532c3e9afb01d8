"""Warping a garment onto a body: one :class:`GarmentRig` per garment, layers per frame.

Preparation (once per garment, cached by the engine): the garment is split into its body
panel and its two sleeves along the armholes, each part's colours are bled past its edge
(so bilinear sampling never picks up background), and each part gets a small mip pyramid
(so a garment shrunk onto a distant person does not alias).

Per frame, every part is drawn by *inverse mapping*: for each output pixel near the body we
compute which garment pixel lands there, on a coarse grid that is then interpolated, and
``cv2.remap`` samples the garment. The body panel uses the torso coordinates of body.py;
a sleeve is laid along its arm: an output pixel's distance along the arm polyline and to the
side of it become the distance along the garment sleeve's axis and to its side, so a raised
arm raises the sleeve and a bent elbow bends it.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from clothes import Category, GarmentPoint

from .body import Body, TorsoFrame, cross, perp

P = GarmentPoint
SIDES = {"left": (P.SHOULDER_LEFT, P.ARMPIT_LEFT, P.SLEEVE_LEFT),
         "right": (P.SHOULDER_RIGHT, P.ARMPIT_RIGHT, P.SLEEVE_RIGHT)}  # fmt: skip
LONG_SLEEVES = (Category.LONG_SLEEVE, Category.OUTERWEAR)
PYRAMID_LEVELS = 3
SEAM_OVERLAP = 0.06  # parts overlap this far (x half shoulder width) across the armhole
GRID_STEP = 10  # output pixels between the exactly mapped points of the coarse grid
BLEED_PX = 8  # how far colours are bled past a part's edge, in garment pixels
# The sleeve cap: over this distance from the armhole (x half shoulder width) a sleeve turns
# from lying as in the photo, seamless with the body panel, to following the arm.
SLEEVE_CAP = 0.4


@dataclass(frozen=True)
class Part:
    """One piece of the garment (the body panel or a sleeve) at several resolutions."""

    levels: list[np.ndarray]  # RGBA uint8 crops; level i is 2**-i the size of level 0
    origin: np.ndarray  # (2,) garment-pixel position of the crop's top-left corner


@dataclass(frozen=True)
class Sleeve:
    part: Part
    armhole: np.ndarray  # (2, 2) garment pixels: its shoulder and armpit ends
    root: np.ndarray  # (2,) garment pixels: middle of the armhole
    end: np.ndarray  # (2,) garment pixels: middle of the cuff
    half_width: float  # widest half-width of the sleeve, garment pixels


@dataclass(frozen=True)
class Layer:
    """A warped part ready to blend: RGBA pixels for the frame region ``box`` (x0, y0, x1, y1)."""

    name: str
    side: str | None  # "left"/"right" for a sleeve, None for the body panel or whole garment
    box: tuple[int, int, int, int]
    rgba: np.ndarray  # (y1 - y0, x1 - x0, 4) uint8, straight (not premultiplied) alpha


class GarmentRig:
    """A garment prepared for fitting. Build once per garment; it is read-only afterwards."""

    def __init__(self, garment):
        self.name = garment.name
        self.category = Category(garment.category)
        self.long_sleeves = self.category in LONG_SLEEVES  # sleeves that cover the forearms
        lm = np.asarray(garment.landmarks, dtype=np.float64)
        # Garment pixels <-> torso coordinates: the frame spanned by the shoulder seams.
        self.origin = (lm[P.SHOULDER_LEFT] + lm[P.SHOULDER_RIGHT]) / 2
        self.across = (lm[P.SHOULDER_LEFT] - lm[P.SHOULDER_RIGHT]) / 2
        self.half_width = float(np.linalg.norm(self.across))
        if self.half_width < 4:
            raise ValueError(f"garment {garment.name!r}: its shoulder landmarks nearly coincide")
        self.neck_center_uv = self.to_uv(lm[P.NECK_CENTER][None])[0]
        rgba = np.ascontiguousarray(garment.rgba)
        alpha = rgba[..., 3]
        overlap = _disk(max(1, round(SEAM_OVERLAP * self.half_width)))
        self.sleeves: dict[str, Sleeve] = {}
        inside = self._panel_outline(lm, alpha.shape)
        # Panel and sleeves overlap across the armholes, so no seam can show through.
        inside_grown = cv2.dilate(inside.astype(np.uint8), overlap).astype(bool)
        panel = alpha.copy()
        if self.category != Category.SLEEVELESS:
            for side, (shoulder, armpit, cuff) in SIDES.items():
                sleeve = _component_at((alpha > 0) & ~inside, lm[cuff], self.origin[0])
                if sleeve is None:
                    continue
                panel[sleeve.astype(bool) & ~inside_grown] = 0
                grown = cv2.dilate(sleeve, overlap).astype(bool)
                root = (lm[shoulder] + lm[armpit]) / 2
                self.sleeves[side] = Sleeve(
                    _make_part(rgba, np.where(grown, alpha, 0).astype(np.uint8)),
                    lm[[shoulder, armpit]],
                    root,
                    lm[cuff],
                    _half_width(sleeve, root, lm[cuff]),
                )
        self.panel = _make_part(rgba, panel)
        self.whole = _make_part(rgba, alpha)  # the simple overlay draws the garment in one piece
        self.panel_uv_box = self._uv_box(panel)
        self.whole_uv_box = self._uv_box(alpha)

    def _uv_box(self, alpha: np.ndarray) -> np.ndarray:
        """(u0, v0, u1, v1): the torso-coordinate box around the garment pixels of ``alpha``."""
        ys, xs = np.nonzero(alpha)
        corners = np.array([[xs.min(), ys.min()], [xs.max(), ys.min()],
                            [xs.min(), ys.max()], [xs.max(), ys.max()]], float)  # fmt: skip
        return _bounds(self.to_uv(corners))

    def to_uv(self, px: np.ndarray) -> np.ndarray:
        """Garment pixels (N, 2) -> torso coordinates (N, 2)."""
        d = px - self.origin
        n = perp(self.across)
        return np.stack([d @ self.across, d @ n], axis=1) / self.half_width**2

    def to_px(self, uv: np.ndarray) -> np.ndarray:
        """Torso coordinates (N, 2) -> garment pixels (N, 2)."""
        return self.origin + uv[:, :1] * self.across + uv[:, 1:] * perp(self.across)

    @staticmethod
    def _panel_outline(lm: np.ndarray, shape) -> np.ndarray:
        """Inside the armholes and side seams, from the top of the image to the bottom."""
        h = shape[0]
        sl, sr, al, ar, hl, hr = (lm[i] for i in (P.SHOULDER_LEFT, P.SHOULDER_RIGHT,
                                                   P.ARMPIT_LEFT, P.ARMPIT_RIGHT,
                                                   P.HEM_LEFT, P.HEM_RIGHT))  # fmt: skip
        outline = [(sr[0], 0), sr, ar, hr, (hr[0], h), (hl[0], h), hl, al, sl, (sl[0], 0)]
        mask = np.zeros(shape, np.uint8)
        cv2.fillPoly(mask, [np.round(np.array(outline)).astype(np.int32)], 1)
        return mask.astype(bool)

    def layers(
        self, body: Body, frame_shape, follow_body: bool, sleeve_width: float
    ) -> list[Layer]:
        """The garment's parts warped onto ``body``, in drawing order (panel first)."""
        scale = (
            float(np.linalg.norm(body.torso.across)) / self.half_width
        )  # output px per garment px
        if not follow_body:
            whole = self._panel_layer(
                "garment", self.whole, self.whole_uv_box, body.torso, scale, frame_shape
            )
            return _keep([whole])
        layers = [
            self._panel_layer(
                "panel", self.panel, self.panel_uv_box, body.torso, scale, frame_shape
            )
        ]
        for side, sleeve in self.sleeves.items():
            layers.append(self._sleeve_layer(side, sleeve, body, scale, sleeve_width, frame_shape))
        return _keep(layers)

    def _panel_layer(self, name, part: Part, uv_box, torso: TorsoFrame, scale, frame_shape):
        corners = np.array([[u, v] for u in uv_box[0::2] for v in uv_box[1::2]])
        box = _clip_box(_bounds(torso.to_image(corners)), frame_shape)

        def garment_px(xy):
            return self.to_px(torso.to_garment(xy))

        return _render(name, None, part, box, garment_px, scale)

    def _sleeve_layer(self, side, sleeve: Sleeve, body: Body, scale, width_factor, frame_shape):
        torso = body.torso
        root_uv, end_uv = self.to_uv(np.array([sleeve.root, sleeve.end]))
        root, flat_end = torso.to_image(np.array([root_uv, end_uv]))
        arm = body.arms.get(side)
        # The sleeve hangs along the arm: root -> elbow (-> wrist); without an elbow it keeps
        # the garment's own angle, as if the arm were where the sleeve lies in the photo.
        path = np.array([root, flat_end]) if arm is None else np.vstack([root, arm[1:]])
        sleeve_len = float(np.linalg.norm(sleeve.end - sleeve.root))
        along = scale  # output pixels per garment pixel, along the arm
        arm_len = float(np.linalg.norm(np.diff(path, axis=0), axis=1).sum())
        if self.long_sleeves and arm is not None and len(arm) == 3:
            along = arm_len / sleeve_len  # long sleeves end at the wrist
        across = scale * width_factor  # output pixels per garment pixel, across the arm
        reach = max(sleeve_len * along, arm_len)
        pad = sleeve.half_width * across + 2
        ends = np.vstack([path, path[-1] + _unit(path[-1] - path[-2]) * (reach - arm_len)])
        armhole = torso.to_image(self.to_uv(sleeve.armhole))  # where the sleeve cap sits
        box = _clip_box(
            _bounds(np.vstack([ends, armhole])) + np.array([-pad, -pad, pad, pad]), frame_shape
        )
        axis = _unit(sleeve.end - sleeve.root)

        def garment_px(xy):
            distance, offset = _polyline_coords(xy, path)
            return (
                sleeve.root
                + distance[:, None] / along * axis
                + offset[:, None] / scale * perp(axis)
            )

        return _render(f"{side} sleeve", side, sleeve.part, box, garment_px, scale)


def _render(name: str, side, part: Part, box, garment_px, scale: float) -> Layer | None:
    """Samples ``part`` into the frame region ``box`` through the inverse map ``garment_px``."""
    if box is None:
        return None
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    # Exact mapping on a coarse grid placed where cv2.resize samples, then interpolated.
    nx, ny = w // GRID_STEP + 2, h // GRID_STEP + 2
    gx = x0 + (np.arange(nx) + 0.5) * w / nx - 0.5
    gy = y0 + (np.arange(ny) + 0.5) * h / ny - 0.5
    grid = np.stack(np.meshgrid(gx, gy), axis=-1).reshape(-1, 2)
    level = int(np.clip(np.floor(np.log2(1.0 / max(scale, 1e-6))), 0, len(part.levels) - 1))
    src = (garment_px(grid) - part.origin) / 2**level
    src = np.nan_to_num(src, nan=-1e4).astype(np.float32).reshape(ny, nx, 2)
    dense = cv2.resize(src, (w, h), interpolation=cv2.INTER_LINEAR)
    rgba = cv2.remap(
        part.levels[level], dense, None, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT
    )
    return Layer(name, side, box, rgba)


def _polyline_coords(xy: np.ndarray, path: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position of points relative to a polyline: distance along it and signed offset from it.

    ``xy`` (N, 2), ``path`` (M, 2). Each point takes its nearest segment; before the first
    vertex and past the last the polyline continues straight, so the distance can be negative
    or exceed the length. The offset is positive on the ``perp`` side of the direction.
    """
    seg = np.diff(path, axis=0)
    length = np.maximum(np.linalg.norm(seg, axis=1), 1e-6)
    direction = seg / length[:, None]
    rel = xy[:, None, :] - path[None, :-1, :]  # (N, S, 2)
    t = np.einsum("nsk,sk->ns", rel, direction)
    lo = np.zeros_like(length)
    lo[0] = -np.inf
    hi = length.copy()
    hi[-1] = np.inf
    t = np.clip(t, lo, hi)
    foot = path[None, :-1, :] + t[..., None] * direction
    dist = np.linalg.norm(xy[:, None, :] - foot, axis=2)
    nearest = np.argmin(dist, axis=1)
    rows = np.arange(len(xy))
    start = np.concatenate([[0.0], np.cumsum(length)[:-1]])
    along = start[nearest] + t[rows, nearest]
    offset = cross(direction[nearest], xy - foot[rows, nearest])
    return along, offset


def _make_part(rgba: np.ndarray, alpha: np.ndarray) -> Part:
    """Crops a part (``alpha`` > 0) with a bled colour border and builds its mip pyramid."""
    ys, xs = np.nonzero(alpha)
    pad = BLEED_PX + 2
    x0, y0 = max(xs.min() - pad, 0), max(ys.min() - pad, 0)
    x1, y1 = min(xs.max() + pad + 1, alpha.shape[1]), min(ys.max() + pad + 1, alpha.shape[0])
    rgb = _bleed(rgba[y0:y1, x0:x1, :3], alpha[y0:y1, x0:x1])
    level = np.dstack([rgb, alpha[y0:y1, x0:x1]])
    levels = [level]
    for _ in range(PYRAMID_LEVELS - 1):
        levels.append(cv2.pyrDown(levels[-1]))
    return Part(levels, np.array([x0, y0], dtype=np.float64))


def _bleed(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Colours extended past the edge of ``alpha``, so edge pixels blend with garment colour."""
    weight = (alpha.astype(np.float32) / 255)[..., None]
    ksize = 2 * BLEED_PX + 1
    spread = cv2.blur(rgb.astype(np.float32) * weight, (ksize, ksize))
    spread /= np.maximum(cv2.blur(weight, (ksize, ksize))[..., None], 1e-4)
    out = np.where(weight > 0.99, rgb, spread * (1 - weight) + rgb * weight)
    return np.clip(out, 0, 255).astype(np.uint8)


def _half_width(mask: np.ndarray, root: np.ndarray, end: np.ndarray) -> float:
    """The sleeve's largest distance from its axis, garment pixels."""
    ys, xs = np.nonzero(mask)
    pts = np.stack([xs, ys], axis=1).astype(np.float64)
    axis = _unit(end - root)
    return float(np.abs(cross(axis, pts - root)).max())


def _component_at(mask: np.ndarray, point: np.ndarray, center_x: float) -> np.ndarray | None:
    """The connected part of ``mask`` on ``point``'s side of ``center_x`` that holds ``point``
    (or, if ``point`` misses the mask, the largest there), as a uint8 0/1 image."""
    half = mask.copy()
    xs = np.arange(mask.shape[1])
    half[:, (xs < center_x) if point[0] >= center_x else (xs >= center_x)] = False
    n, labels, stats, _ = cv2.connectedComponentsWithStats(half.astype(np.uint8))
    if n < 2:
        return None
    x, y = (int(np.clip(round(c), 0, s - 1)) for c, s in zip(point, mask.shape[::-1], strict=True))
    label = labels[y, x] or 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    return (labels == label).astype(np.uint8)


def _disk(radius: int) -> np.ndarray:
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-9)


def _bounds(points: np.ndarray) -> np.ndarray:
    return np.concatenate([points.min(axis=0), points.max(axis=0)])


def _clip_box(box: np.ndarray, frame_shape) -> tuple[int, int, int, int] | None:
    """Rounds a float (x0, y0, x1, y1) box outwards and clips it to the frame; None if empty."""
    h, w = frame_shape[:2]
    if not np.all(np.isfinite(box)):
        return None
    x0, y0 = max(int(np.floor(box[0])), 0), max(int(np.floor(box[1])), 0)
    x1, y1 = min(int(np.ceil(box[2])) + 1, w), min(int(np.ceil(box[3])) + 1, h)
    return (x0, y0, x1, y1) if x1 - x0 > 1 and y1 - y0 > 1 else None


def _keep(layers: list[Layer | None]) -> list[Layer]:
    return [layer for layer in layers if layer is not None]
