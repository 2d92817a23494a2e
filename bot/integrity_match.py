"""The fine check of photo reuse: is this the same photograph as that one, or only the same kind of
picture (another page of the same printed form, another person's certificate of the same layout)?

The coarse 64-bit hashes (bot/integrity_image.py) find candidates; this decides. Each photo keeps a
fingerprint: ORB keypoints of its content (screenshot bars trimmed away) and a small grey copy. Two
photos are the same photograph when (1) their keypoints match under one geometric transform
(RANSAC homography: any crop, scale, rotation, screenshot framing; a mirrored copy is matched by
the mirror image's keypoints) and (2) once aligned, the picture agrees everywhere: nearly every
block with detail in either photo correlates. Another page of the same form aligns just as well
(the printed template matches), but the names, signatures and numbers written on it disagree.

Pure functions over numpy arrays and bytes; run in an image worker (bot/image_work.py)."""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from bot.integrity_thresholds import FINE

MAGIC = b"IF1"


@dataclass(frozen=True)
class Fingerprint:
    """Keypoints (x, y in the ORB image), their descriptors, and the grey thumbnail."""

    points: np.ndarray  # float32, n x 2
    descriptors: np.ndarray  # uint8, n x 32
    thumb: np.ndarray  # uint8, h x w, long side FINE.thumb_side
    scale: float  # thumbnail pixels per ORB-image pixel

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        Image.fromarray(self.thumb).save(out, "JPEG", quality=FINE.thumb_quality)
        thumb = out.getvalue()
        head = struct.pack("<3sHf", MAGIC, len(self.points), self.scale)
        return head + self.points.astype(np.float16).tobytes() + self.descriptors.tobytes() + thumb

    @classmethod
    def from_bytes(cls, blob: bytes) -> "Fingerprint":
        magic, n, scale = struct.unpack_from("<3sHf", blob)
        if magic != MAGIC:
            raise ValueError("not a fingerprint")
        at = struct.calcsize("<3sHf")
        points = np.frombuffer(blob, np.float16, n * 2, at).astype(np.float32).reshape(n, 2)
        at += n * 4
        descriptors = np.frombuffer(blob, np.uint8, n * 32, at).reshape(n, 32)
        thumb = np.asarray(Image.open(io.BytesIO(blob[at + n * 32:])).convert("L"))
        return cls(points, descriptors, thumb, scale)


_orb = None


def _detector():
    global _orb
    if _orb is None:
        _orb = cv2.ORB_create(nfeatures=FINE.keypoints, scaleFactor=1.2, nlevels=8, edgeThreshold=15,
                              patchSize=31, fastThreshold=12)
    return _orb


def _resized(gray: Image.Image, side: int) -> np.ndarray:
    scale = side / max(gray.size)
    size = (max(1, round(gray.width * scale)), max(1, round(gray.height * scale)))
    return np.asarray(gray.resize(size, Image.Resampling.LANCZOS if scale < 1 else Image.Resampling.BICUBIC))


def fingerprint(gray: Image.Image) -> Fingerprint:
    """The fingerprint of a grey picture (the content view: EXIF-rotated, screenshot bars trimmed)."""
    work = _resized(gray, FINE.orb_side)
    keypoints, descriptors = _detector().detectAndCompute(work, None)
    if descriptors is None:
        points, descriptors = np.zeros((0, 2), np.float32), np.zeros((0, 32), np.uint8)
    else:
        points = np.array([k.pt for k in keypoints], np.float32)
    thumb = _resized(gray, FINE.thumb_side)
    return Fingerprint(points, descriptors, thumb, thumb.shape[1] / work.shape[1])


@dataclass(frozen=True)
class Verdict:
    same: bool
    inliers: int = 0
    blocks: int = 0  # blocks with detail in the overlap
    disagree: int = 0  # of those, the blocks that do not correlate
    mirrored: bool = False

    @property
    def disagree_share(self) -> float:
        return self.disagree / self.blocks if self.blocks else 1.0


def _homography(new: Fingerprint, old: Fingerprint) -> tuple[np.ndarray | None, int]:
    """new -> old in ORB-image pixels, and the number of matches consistent with it."""
    if len(new.descriptors) < FINE.min_inliers or len(old.descriptors) < FINE.min_inliers:
        return None, 0
    pairs = cv2.BFMatcher(cv2.NORM_HAMMING).knnMatch(new.descriptors, old.descriptors, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < FINE.ratio * p[1].distance]
    if len(good) < FINE.min_inliers:
        return None, 0
    src = new.points[[m.queryIdx for m in good]]
    dst = old.points[[m.trainIdx for m in good]]
    cv2.setRNGSeed(0)  # RANSAC samples at random: the same photos must always get the same verdict
    h, mask = cv2.findHomography(src, dst, cv2.RANSAC, FINE.reprojection_px, maxIters=2000, confidence=0.995)
    if h is None:
        return None, 0
    inliers = int(mask.sum())
    a = h[:2, :2] / h[2, 2]
    det = float(np.linalg.det(a))
    if not (FINE.min_scale ** 2 < abs(det) < FINE.max_scale ** 2) or det < 0:
        return None, inliers  # degenerate, or a mirror image that the keypoints cannot really give
    return h, inliers


def _blocks(old: np.ndarray, warped: np.ndarray, valid: np.ndarray) -> tuple[int, int]:
    """(blocks with detail, blocks that disagree) over the grid of the old thumbnail."""
    def detail(img: np.ndarray) -> np.ndarray:  # band-pass: strokes and texture, not light or paper
        f = img.astype(np.float32)
        return cv2.GaussianBlur(f, (0, 0), FINE.blur) - cv2.GaussianBlur(f, (0, 0), FINE.blur * 4)

    b = FINE.block
    rows, cols = old.shape[0] // b, old.shape[1] // b

    def grid(img: np.ndarray) -> np.ndarray:
        return img[:rows * b, :cols * b].reshape(rows, b, cols, b).transpose(0, 2, 1, 3).reshape(rows, cols, b * b)

    a, w, v = grid(detail(old)), grid(detail(warped)), grid(valid.astype(np.float32))
    a = a - a.mean(axis=2, keepdims=True)
    w = w - w.mean(axis=2, keepdims=True)
    sa, sw = a.std(axis=2), w.std(axis=2)
    inside = v.mean(axis=2) >= 0.95
    counted = inside & (np.maximum(sa, sw) >= FINE.detail)  # blank paper, sky: says nothing
    one_sided = np.minimum(sa, sw) < FINE.detail / 2  # writing on one, blank on the other
    ncc = (a * w).mean(axis=2) / np.maximum(sa * sw, 1e-6)
    disagree = counted & (one_sided | (ncc < FINE.min_correlation))
    return int(counted.sum()), int(disagree.sum())


def _compare(new: Fingerprint, old: Fingerprint, mirrored: bool) -> Verdict:
    h, inliers = _homography(new, old)
    if h is None or inliers < FINE.min_inliers:
        return Verdict(False, inliers, mirrored=mirrored)
    s_old = np.diag([old.scale, old.scale, 1.0])
    s_new_inv = np.diag([1 / new.scale, 1 / new.scale, 1.0])
    ht = s_old @ h @ s_new_inv
    size = (old.thumb.shape[1], old.thumb.shape[0])
    warped = cv2.warpPerspective(new.thumb, ht, size, flags=cv2.INTER_LINEAR)
    valid = cv2.warpPerspective(np.full(new.thumb.shape, 255, np.uint8), ht, size, flags=cv2.INTER_NEAREST)
    valid = cv2.erode(valid, np.ones((FINE.margin, FINE.margin), np.uint8)) > 0
    if valid.mean() < FINE.min_overlap:
        return Verdict(False, inliers, mirrored=mirrored)
    blocks, disagree = _blocks(old.thumb, warped, valid)
    share = disagree / blocks if blocks else 1.0
    matched = inliers / max(1, min(len(new.points), len(old.points)))
    same = blocks >= FINE.min_blocks and (
        share <= FINE.max_disagree or (matched >= FINE.strong_match and share <= FINE.max_disagree_strong))
    return Verdict(same, inliers, blocks, disagree, mirrored)


def same_photograph(new: Fingerprint, new_mirror: Fingerprint | None, old: Fingerprint) -> Verdict:
    """Whether `new` is a copy of `old` (re-encoded, resized, cropped, rotated, mirrored, brighter,
    inside a screenshot), or only alike."""
    verdict = _compare(new, old, False)
    if verdict.same or new_mirror is None:
        return verdict
    mirrored = _compare(new_mirror, old, True)
    return mirrored if mirrored.same or mirrored.inliers > verdict.inliers else verdict


def check_candidates(new: bytes, new_mirror: bytes | None, candidates: list[tuple[int, bytes]]) -> list[tuple[int, Verdict]]:
    """The fine check of one new photo against its candidates (id, stored fingerprint), in a worker."""
    mine = Fingerprint.from_bytes(new)
    mirror = Fingerprint.from_bytes(new_mirror) if new_mirror else None
    out = []
    for key, blob in candidates:
        try:
            theirs = Fingerprint.from_bytes(blob)
        except (ValueError, struct.error, OSError):
            continue
        out.append((key, same_photograph(mine, mirror, theirs)))
    return out
