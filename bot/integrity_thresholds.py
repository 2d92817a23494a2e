"""Every threshold of the photo-reuse check, in one place (docs/integrity.md explains and measures
them: `bench/integrity_corpus.py` prints precision and recall per kind of copy).

Two stages. COARSE: 64-bit perceptual hashes (imagehash.phash) of each photo's views: the whole
picture, slight crops, the content without screenshot bars, and for a new photo its eight
orientations (90° turns, mirror). A pair within `COARSE_BITS` is a candidate; cheap, and it lets
through every page of a printed form on purpose. FINE: bot/integrity_match.py decides on the
candidates with keypoints and an aligned block-by-block comparison."""

from __future__ import annotations

from dataclasses import dataclass

# Coarse: a candidate when the closest views differ in at most this many of 64 bits.
COARSE_BITS = 14
# At most this many candidates (the closest first) get the fine check for one new photo (~30 ms each).
MAX_FINE_CANDIDATES = 300


@dataclass(frozen=True)
class Fine:
    orb_side: int = 640  # keypoints are found on the content view scaled to this long side
    keypoints: int = 600  # ORB keypoints kept per photo
    ratio: float = 0.8  # Lowe's ratio test for a descriptor match
    reprojection_px: float = 5.0  # RANSAC: a match agrees with the transform within this (ORB px)
    min_inliers: int = 15  # fewer matches consistent with one transform: not the same photograph
    min_scale: float = 0.15  # the transform may scale by 0.15x..6.7x (resized copies, screenshots)
    max_scale: float = 6.7
    thumb_side: int = 400  # the grey thumbnail compared block by block, long side
    thumb_quality: int = 90  # its JPEG quality as stored
    min_overlap: float = 0.25  # the aligned photos must share at least this share of the old one
    margin: int = 9  # the overlap's edge (px) is left out: resampling and JPEG blur it
    block: int = 16  # block size in thumbnail pixels
    blur: float = 1.0  # both thumbnails blurred (sigma, px) before comparing: resampling, JPEG
    detail: float = 2.0  # a block with a grey-level std below this (in both) is blank: not counted
    min_correlation: float = 0.3  # a block agrees when the two correlate at least this much
    min_blocks: int = 8  # fewer blocks with detail: too little to call it the same photograph
    max_disagree: float = 0.05  # the same photograph: at most this share of the blocks disagree,
    # or, when most keypoints match (a noisy or heavily resampled copy), at most the second share
    strong_match: float = 0.35  # inliers / keypoints of the photo with fewer
    max_disagree_strong: float = 0.25


FINE = Fine()
