"""The backdrop of a shop photo: its colour as a smooth surface over the photo.

A backdrop may be lit unevenly (a gradient, a vignette, the soft shadow a garment casts on
it): its Lab colour is a quadratic surface (one per channel), fitted by least squares to the
pixels known to be backdrop, plus, if asked, what that surface leaves over at a coarse scale
(:attr:`Background.detail`). segment.py cuts the garment out where the photo departs from it.
"""

import dataclasses
from dataclasses import dataclass

import cv2
import numpy as np

from .config import SegmentConfig

# Far from any background sample the detail fades to the bare surface: where the samples' spread
# (a Gaussian's weight, 1 amid them) falls to this, the detail is half what they show.
DETAIL_PRIOR = 0.05
DETAIL_SHRINK = 4  # the detail is found on a copy this many times smaller


@dataclass(frozen=True)
class Background:
    """A smooth background: one quadratic surface per Lab channel, and what it leaves over
    (``detail``, if any), plus its noise level."""

    coefficients: np.ndarray  # (6, 3), over coordinates divided by `extent`
    extent: float  # long side of the image the surface was fitted on
    noise: float = 0.0  # median Lab distance of a background pixel from the background
    detail: np.ndarray | None = None  # (h, w, 3): added to the surface, stretched over it

    def image(self, shape: tuple[int, int], to_fitted: float = 1.0) -> np.ndarray:
        """Background colour (H, W, 3) of an image of this shape; `to_fitted` maps its pixels
        to those of the image the surface was fitted on."""
        # the quadratic evaluated term by term over a row and a column (no per-pixel basis)
        x = (np.arange(shape[1], dtype=np.float32) * to_fitted / self.extent)[None, :, None]
        y = (np.arange(shape[0], dtype=np.float32) * to_fitted / self.extent)[:, None, None]
        c = self.coefficients  # rows: 1, x, y, x*x, x*y, y*y
        surface = (c[0] + c[1] * x + c[3] * x * x) + y * (c[2] + c[4] * x + c[5] * y)
        if self.detail is None:
            return surface
        return surface + cv2.resize(self.detail, shape[::-1], interpolation=cv2.INTER_LINEAR)

    def at(self, xs: np.ndarray, ys: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
        """Background colour (N, 3) at points (xs, ys) of the image fitted on (``shape``)."""
        colours = quadratic_basis(xs, ys, self.extent) @ self.coefficients
        if self.detail is not None:
            h, w = self.detail.shape[:2]
            rows = np.minimum((ys * (h / shape[0])).astype(np.int64), h - 1)
            cols = np.minimum((xs * (w / shape[1])).astype(np.int64), w - 1)
            colours += self.detail[rows, cols]
        return colours

    def distance(self, lab: np.ndarray) -> np.ndarray:
        """Lab distance of every pixel of ``lab`` (the image fitted on) from the background
        colour there."""
        return np.linalg.norm(lab - self.image(lab.shape[:2]), axis=2)

    def threshold(self, cfg: SegmentConfig) -> float:
        """The Lab distance from the background from which a pixel is not background."""
        return max(cfg.bg_distance_min, cfg.bg_noise_k * self.noise)


def quadratic_basis(xs: np.ndarray, ys: np.ndarray, extent: float) -> np.ndarray:
    """(N, 6): the surface's terms 1, x, y, x*x, x*y, y*y at pixels (``xs``, ``ys``)."""
    x, y = xs.astype(np.float32) / extent, ys.astype(np.float32) / extent  # normalised, so
    return np.stack([np.ones_like(x), x, y, x * x, x * y, y * y], axis=1)  # well conditioned


def fit_surface(colours: np.ndarray, xs, ys, extent: float, terms: int = 6) -> np.ndarray:
    """(6, 3) coefficients of the least-squares surface through ``colours`` (N, 3) at pixels
    (xs, ys): quadratic, or with ``terms=3`` a plane (the other coefficients zero). Samples
    along one side only leave a slope unknown: it is then zero."""
    coefficients = np.zeros((6, 3), np.float32)
    basis = quadratic_basis(xs, ys, extent)[:, :terms]
    coefficients[:terms] = np.linalg.lstsq(basis, colours, rcond=1e-4)[0]
    return coefficients


def fit_background(lab: np.ndarray, samples: np.ndarray, detail: float = 0.0) -> Background:
    """The quadratic surface through the Lab colours of the ``samples`` pixels.

    With ``detail`` (a fraction of the long side), what the surface leaves over is followed
    too, at that scale: the samples' residuals averaged by a Gaussian that wide (normalised
    convolution, on a copy DETAIL_SHRINK times smaller: it is smooth), fading to the surface
    alone far from any sample (deep under a garment)."""
    ys, xs = np.nonzero(samples)
    step = max(1, len(ys) // 20_000)  # a subsample is plenty for six coefficients
    ys, xs = ys[::step], xs[::step]
    extent = float(max(lab.shape[:2]))
    colours = lab[ys, xs]
    background = Background(fit_surface(colours, xs, ys, extent), extent)
    if detail > 0:
        small = (max(1, lab.shape[1] // DETAIL_SHRINK), max(1, lab.shape[0] // DETAIL_SHRINK))
        to_fitted = lab.shape[1] / small[0]
        weight = cv2.resize(samples.astype(np.float32), small, interpolation=cv2.INTER_AREA)
        known = cv2.resize(lab * samples[..., None], small, interpolation=cv2.INTER_AREA)
        residual = known - weight[..., None] * background.image(small[::-1], to_fitted)
        sigma = detail * extent / to_fitted
        spread = cv2.GaussianBlur(weight, (0, 0), sigma) + DETAIL_PRIOR
        residual = cv2.GaussianBlur(residual, (0, 0), sigma) / spread[..., None]
        background = Background(background.coefficients, extent, detail=residual)
    fitted = background.at(xs, ys, lab.shape[:2])
    noise = float(np.median(np.linalg.norm(colours - fitted, axis=1)))
    return dataclasses.replace(background, noise=noise)
