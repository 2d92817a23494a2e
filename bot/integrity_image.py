"""What a photo says about itself: perceptual hashes (whole picture and slight crops) and the EXIF
capture time and GPS position. Pure functions over bytes; no database, no chat."""

from __future__ import annotations

import io
import logging
import math
from dataclasses import dataclass
from datetime import datetime

import imagehash
from PIL import Image, ImageOps

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


def hashes(img: Image.Image) -> tuple[str, str]:
    """(whole-picture phash, concatenated phashes of the slight crops) of an opened image."""
    if img.format == "JPEG":
        img.draft("RGB", (WORK_SIZE, WORK_SIZE))  # decode at a reduced scale: fast on big photos
    work = ImageOps.exif_transpose(img).convert("L")
    work.thumbnail((WORK_SIZE, WORK_SIZE), Image.Resampling.LANCZOS)
    crops = "".join(_hex(work.crop(box)) for box in _crop_boxes(*work.size))
    return _hex(work), crops


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


def image_facts(data: bytes) -> ImageFacts:
    """Hashes and EXIF of an image already checked by the evidence store; empty facts on failure
    (a photo is never refused for what it says about itself)."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            taken, lat, lon = exif_facts(img)
            whole, crops = hashes(img)
    except Exception:  # noqa: BLE001 - odd files must still be stored
        log.warning("could not read image facts", exc_info=True)
        return ImageFacts()
    return ImageFacts(whole, crops, taken, lat, lon)


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


def near_duplicate(a: PhotoHashes, b: PhotoHashes) -> bool:
    return distance(a, b) <= NEAR_DUPLICATE_BITS


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))
