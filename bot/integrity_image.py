"""What a photo says about itself: perceptual hashes (whole picture and slight crops) and the EXIF
capture time and GPS position. Pure functions over bytes; no database, no chat."""

from __future__ import annotations

import io
import logging
import math
import warnings
from dataclasses import dataclass
from datetime import datetime

import imagehash
import numpy as np
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from bot.integrity_thresholds import COARSE_BITS, FINE

log = logging.getLogger(__name__)

# Perceptual hash: imagehash.phash with 8x8 = 64 bits, written as 16 hex digits.
HASH_HEX = 16
# Two photos are the same picture when their hashes differ in at most this many of 64 bits
# (the README states it; tests/integrity/test_near_duplicates.py measures it).
NEAR_DUPLICATE_BITS = 10
# Slight crops: the picture with 0, 5 or 10 % cut from either side of each axis (both sides
# together at most 10 %), keeping at least ~90 % of the area. A crop of a stored photo lands within
# 2.5 % of one of these, which the threshold above absorbs.
_SIDE_CUTS = [(0.0, 0.0), (0.0, 0.05), (0.0, 0.1), (0.05, 0.0), (0.05, 0.05), (0.1, 0.0)]
MIN_KEPT_AREA = 0.895
WORK_SIZE = 512  # hashes are taken on a copy at most this big: fast for phone photos, and stable

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, DATETIME_DIGITIZED = 0x9003, 0x9004


@dataclass(frozen=True)
class ImageFacts:
    phash: str | None = None  # whole picture, 16 hex digits
    phash_crops: str | None = None  # the slight crops, 16 hex digits each, concatenated
    taken_at: datetime | None = None  # EXIF DateTimeOriginal, the camera's local time, naive
    latitude: float | None = None  # EXIF GPS, degrees (WGS-84 as cameras write it)
    longitude: float | None = None
    fingerprint: bytes | None = None  # for the fine check (bot/integrity_match.py), stored
    oriented: tuple[int, ...] = ()  # hashes of the photo turned and mirrored: to look for it, not stored
    mirror_fingerprint: bytes | None = None  # the mirror image's fingerprint: to look for it, not stored


def _crop_boxes(width: int, height: int) -> list[tuple[int, int, int, int]]:
    boxes = []
    for top, bottom in _SIDE_CUTS:
        for left, right in _SIDE_CUTS:
            if (left, right, top, bottom) == (0.0, 0.0, 0.0, 0.0):
                continue
            if (1 - left - right) * (1 - top - bottom) < MIN_KEPT_AREA:
                continue
            boxes.append((round(width * left), round(height * top),
                          round(width * (1 - right)), round(height * (1 - bottom))))
    return boxes


def _hex(img: Image.Image) -> str:
    return str(imagehash.phash(img, hash_size=8))


def content_box(gray: Image.Image) -> tuple[int, int, int, int] | None:
    """The picture inside a screenshot: the largest block of rows (then columns) with detail between
    perfectly even bars (black or white viewer background, status bar and toolbar beyond them).
    None when there is nothing to cut (a camera photo has no perfectly even rows)."""
    a = np.asarray(gray, np.float32)
    h, w = a.shape

    def span(flat: np.ndarray, length: int) -> tuple[int, int]:
        gap = max(2, int(length * 0.02))
        runs, start, last = [], None, None
        for i, is_flat in enumerate(flat):
            if is_flat:
                continue
            if start is None or i - last > gap:
                if start is not None:
                    runs.append((start, last + 1))
                start = i
            last = i
        if start is not None:
            runs.append((start, last + 1))
        return max(runs, key=lambda r: r[1] - r[0]) if runs else (0, length)

    top, bottom = span(a.std(axis=1) < 1.5, h)
    left, right = span(a[top:bottom].std(axis=0) < 1.5, w)
    if (bottom - top) * (right - left) >= 0.97 * h * w or (bottom - top) * (right - left) < 0.1 * h * w:
        return None
    return left, top, right, bottom


@dataclass(frozen=True)
class Views:
    """What the coarse and fine checks need of one photo."""

    whole: str  # phash of the whole picture
    crops: str  # phashes of the slight crops, then of the content without screenshot bars if cut
    oriented: tuple[int, ...]  # a new photo's hashes turned and mirrored (not stored)
    fingerprint: bytes
    mirror_fingerprint: bytes  # the mirror image's, for a mirrored copy (not stored)


def _orientations(img: Image.Image) -> list[Image.Image]:
    t = Image.Transpose
    flipped = img.transpose(t.FLIP_LEFT_RIGHT)
    out = [img, flipped]
    for turn in (t.ROTATE_90, t.ROTATE_180, t.ROTATE_270):
        out += [img.transpose(turn), flipped.transpose(turn)]
    return out


def views(img: Image.Image) -> Views:
    """Hashes and fingerprints of an opened (decoded) image, after its EXIF orientation."""
    from bot.integrity_match import fingerprint

    gray = ImageOps.exif_transpose(img).convert("L")
    box = content_box(gray.resize((max(1, gray.width * 600 // max(gray.size)), max(1, gray.height * 600 // max(gray.size)))))
    if box is not None:
        k = max(gray.size) / 600
        box = (round(box[0] * k), round(box[1] * k), round(box[2] * k), round(box[3] * k))
    content = gray.crop(box) if box else gray
    work = gray.copy()
    work.thumbnail((WORK_SIZE, WORK_SIZE), Image.Resampling.LANCZOS)
    crops = "".join(_hex(work.crop(b)) for b in _crop_boxes(*work.size))
    small_content = content.copy()
    small_content.thumbnail((WORK_SIZE, WORK_SIZE), Image.Resampling.LANCZOS)
    if box:
        crops += _hex(small_content)
    oriented = [int(_hex(v), 16) for v in _orientations(work)]
    if box:
        oriented += [int(_hex(v), 16) for v in _orientations(small_content)]
    big = content.copy()
    big.thumbnail((FINE.orb_side, FINE.orb_side), Image.Resampling.LANCZOS)
    return Views(_hex(work), crops, tuple(oriented), fingerprint(big).to_bytes(),
                 fingerprint(big.transpose(Image.Transpose.FLIP_LEFT_RIGHT)).to_bytes())


def hashes(img: Image.Image) -> tuple[str, str]:
    """(whole-picture phash, concatenated phashes of the slight crops) of an opened image."""
    found = views(img)
    return found.whole, found.crops


def _ratio(value) -> float:
    return float(value)  # IFDRational or a plain number


def _degrees(dms, ref: str | None) -> float | None:
    try:
        d, m, s = (_ratio(v) for v in dms)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    if ref and ref.strip().upper() in ("S", "W"):
        value = -value
    return value if math.isfinite(value) else None


def exif_facts(img: Image.Image) -> tuple[datetime | None, float | None, float | None]:
    exif = img.getexif()
    taken = None
    raw = exif.get_ifd(EXIF_IFD)
    stamp = raw.get(DATETIME_ORIGINAL) or raw.get(DATETIME_DIGITIZED)
    if isinstance(stamp, bytes):
        stamp = stamp.decode("ascii", "ignore")
    if isinstance(stamp, str):
        try:
            taken = datetime.strptime(stamp.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
        except ValueError:
            taken = None
    gps = exif.get_ifd(GPS_IFD)
    lat = _degrees(gps.get(2), gps.get(1)) if gps.get(2) else None
    lon = _degrees(gps.get(4), gps.get(3)) if gps.get(4) else None
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat, lon) == (0, 0):
        lat = lon = None  # absent, broken, or the 0,0 some cameras write without a fix
    return taken, lat, lon


@dataclass(frozen=True)
class Examined:
    """What one decode of a photo tells: its format and size, or why it is refused, and its facts."""

    format: str = ""
    width: int = 0
    height: int = 0
    facts: ImageFacts = ImageFacts()
    rejected: str | None = None  # "too_many_pixels" or "not_image"
    detail: str = ""
    truncated: bool = False  # the file ends early; what could be decoded was used


def _open(data: bytes, work: int) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    if img.format == "JPEG":
        img.draft("RGB", (work, work))  # decode at a reduced scale: fast on big photos
    return img


def _decoded(data: bytes, work: int) -> tuple[Image.Image, bool]:
    """The image decoded (at a reduced scale where the format allows); a file cut short is decoded
    as far as it goes (Pillow's LOAD_TRUNCATED_IMAGES, switched on for this one decode only)."""
    img = _open(data, work)
    try:
        img.load()
        return img, False
    except (OSError, SyntaxError) as exc:
        img.close()
        if "truncat" not in str(exc).lower() and not isinstance(exc, SyntaxError):
            raise
        first = exc
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        img = _open(data, work)
        img.load()
    except Exception:
        raise first from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    log.info("image truncated (%s); decoded what was there", first)
    return img, True


def examine(data: bytes, max_pixels: int) -> Examined:
    """Size, format, hashes and EXIF of a photo in one decode; a file that cannot be decoded or is
    too big is refused. Runs in an image worker process (bot.image_work): seconds of CPU for a big
    photo."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as head:
                width, height, fmt = *head.size, head.format or ""
                if width * height > max_pixels:
                    return Examined(fmt, width, height, rejected="too_many_pixels", detail=f"{width}x{height}")
                taken, lat, lon = _exif_or_nothing(head)
            img, truncated = _decoded(data, FINE.orb_side)
            with img:
                seen = views(img)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return Examined(rejected="too_many_pixels", detail=str(exc))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        return Examined(rejected="not_image", detail=f"{type(exc).__name__}: {exc}")
    facts = ImageFacts(seen.whole, seen.crops, taken, lat, lon, seen.fingerprint, seen.oriented,
                       seen.mirror_fingerprint)
    return Examined(fmt, width, height, facts, truncated=truncated)


def _exif_or_nothing(img: Image.Image) -> tuple[datetime | None, float | None, float | None]:
    try:
        return exif_facts(img)
    except Exception:  # noqa: BLE001 - a broken EXIF block says nothing; the photo is still kept
        log.info("unreadable EXIF", exc_info=True)
        return None, None, None


def image_facts(data: bytes) -> ImageFacts:
    """Hashes and EXIF of an image; empty facts when it cannot be read (a photo is never refused
    for what it says about itself)."""
    found = examine(data, max_pixels=10**9)
    if found.rejected:
        log.warning("could not read image facts: %s", found.detail)
    return found.facts


def _split(crops: str | None) -> list[int]:
    if not crops:
        return []
    return [int(crops[i:i + HASH_HEX], 16) for i in range(0, len(crops), HASH_HEX)]


@dataclass(frozen=True)
class PhotoHashes:
    """A photo's hashes as integers, for comparing many quickly."""

    whole: int
    crops: tuple[int, ...]

    @classmethod
    def parse(cls, phash: str | None, crops: str | None) -> "PhotoHashes | None":
        if not phash:
            return None
        return cls(int(phash, 16), tuple(_split(crops)))


def distance(a: PhotoHashes, b: PhotoHashes) -> int:
    """Bits that differ between the closest views of two photos: whole to whole, one whole to the
    other's crops (one photo is a slight crop of the other)."""
    best = (a.whole ^ b.whole).bit_count()
    for c in b.crops:
        best = min(best, (a.whole ^ c).bit_count())
    for c in a.crops:
        best = min(best, (c ^ b.whole).bit_count())
    return best


def query_hashes(whole: str, crops: str | None, oriented: tuple[int, ...] = ()) -> np.ndarray:
    """A new photo's hashes to look for among the earlier photos': turned, mirrored, cut."""
    found = {int(whole, 16), *_split(crops), *oriented}
    return np.array(sorted(found), dtype=np.uint64)


def nearest_bits(query: np.ndarray, earlier: list[PhotoHashes]) -> np.ndarray:
    """For each earlier photo, the fewest bits in which any of its views (whole, crops, content)
    differs from any of the query's: the coarse check, vectorised (thousands of photos per ms)."""
    if not earlier:
        return np.zeros(0, dtype=np.int64)
    width = max(1 + len(p.crops) for p in earlier)
    table = np.zeros((len(earlier), width), dtype=np.uint64)
    for i, p in enumerate(earlier):
        row = (p.whole, *p.crops)
        table[i, :] = row[0]  # padding repeats the whole picture's hash
        table[i, :len(row)] = row
    bits = np.bitwise_count(table[:, :, None] ^ query[None, None, :])
    return bits.min(axis=(1, 2)).astype(np.int64)


def candidates(query: np.ndarray, earlier: list[PhotoHashes]) -> list[int]:
    """Indexes of the earlier photos close enough to be looked at closely (COARSE_BITS)."""
    return [int(i) for i in np.flatnonzero(nearest_bits(query, earlier) <= COARSE_BITS)]


def near_duplicate(a: PhotoHashes, b: PhotoHashes) -> bool:
    return distance(a, b) <= NEAR_DUPLICATE_BITS


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))
