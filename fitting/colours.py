"""Colour models of frame regions: each pixel's bin in a coarse RGB histogram, and what a set of
samples shows. The occlusion stage tells an arm, a neck or hair from the wearer's own top by
setting one such histogram against another."""

from typing import NamedTuple

import numpy as np

BINS = 16  # histogram bins per colour channel
PRIOR = 0.5  # added to every bin's count, so that an unseen colour is nobody's
# Two colour models tell their samples apart when the surroundings' samples (what an arm lies
# on; the skin, against the top) are told as theirs this often, and the other's (the arm's
# core, which may stray off a thin arm onto the shirt; the top) as theirs this often.
RING_TOLD, ARM_TOLD = 0.85, 0.6
MIN_SAMPLES = 30  # pixels of each side needed to judge
# A colour fewer than this share of the samples show is a stray among them (the wall seen
# through a loose outline, a highlight): along a forearm, not what the arm lies on (a white
# cup was dropped wherever one pixel of the wall beside the arm was white); round the face,
# not the hair (the grey of the wall made the shaded side of a white top the hair's).
STRAY = 0.01


class Samples(NamedTuple):
    """Colours of the wearer's own top and of their skin: histograms and the samples' bins.

    Light and shade move a colour into the next bins: each histogram is spread over its bins'
    neighbours (:func:`spread`), so that the shaded side of the top (its shoulders, under the
    chin) is still the top, and the neck's shade still skin."""

    top: np.ndarray  # (BINS ** 3,) probabilities, spread
    skin: np.ndarray
    top_seen: np.ndarray  # (BINS ** 3,) bool: the top's samples' bins and their neighbours
    top_index: np.ndarray  # (N,) the samples' flat bin indices
    skin_index: np.ndarray


def colour_bins(frame: np.ndarray, box) -> np.ndarray:
    """(h, w) flat colour-histogram bin of each pixel of ``frame`` over ``box``."""
    x0, y0, x1, y1 = box
    bins = frame[y0:y1, x0:x1].astype(np.intp) // (256 // BINS)
    return (bins[..., 0] * BINS + bins[..., 1]) * BINS + bins[..., 2]


def bin_counts(index: np.ndarray) -> np.ndarray:
    """How many of the flat bin indices fall in each colour bin: (BINS ** 3,)."""
    return np.bincount(index, minlength=BINS**3)


def histogram(index: np.ndarray) -> np.ndarray:
    """A colour histogram (BINS ** 3,) of flat bin indices, as probabilities."""
    counts = bin_counts(index).astype(np.float32) + PRIOR
    return counts / counts.sum()


def seen_bins(index: np.ndarray, least: float = 0.0) -> np.ndarray:
    """(BINS ** 3,) bool: the colour bins at least ``least`` of the samples (flat bin indices)
    fall in (any, by default), and their neighbours (light and shade move a colour into the
    next bin)."""
    counts = bin_counts(index)
    return spread(np.where(counts >= least * len(index), counts, 0)) > 0


def spread(counts: np.ndarray) -> np.ndarray:
    """A flat colour histogram ``counts`` (BINS ** 3,) with each bin's count shared with its
    neighbours (a [1, 2, 1] blur along each channel)."""
    cube = counts.reshape(BINS, BINS, BINS).astype(np.float32)
    cube = (_NEIGHBOURS @ cube.reshape(BINS, -1)).reshape(BINS, BINS, BINS)  # along red
    cube = _NEIGHBOURS @ cube  # along green, red by red
    return (cube @ _NEIGHBOURS).ravel()  # along blue (the blur is symmetric)


def spread_histogram(index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``spread(histogram(index))`` and ``seen_bins(index)`` of the samples (flat bin
    indices) at the cost of one spread: the spread is linear, and the prior's part known."""
    near = spread(bin_counts(index))
    return (near + _SPREAD_PRIOR) / (len(index) + PRIOR * BINS**3), near > 0


# The [1, 2, 1] blur along one channel, as a matrix: three small products are a few times
# faster than shifting the cube along each axis
_NEIGHBOURS = (2 * np.eye(BINS) + np.eye(BINS, k=1) + np.eye(BINS, k=-1)).astype(np.float32)
_SPREAD_PRIOR = spread(np.full(BINS**3, PRIOR))  # the prior's part of a spread histogram
