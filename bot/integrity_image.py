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
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

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
            img, truncated = _decoded(data, WORK_SIZE)
            with img:
                whole, crops = hashes(img)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return Examined(rejected="too_many_pixels", detail=str(exc))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        return Examined(rejected="not_image", detail=f"{type(exc).__name__}: {exc}")
    return Examined(fmt, width, height, ImageFacts(whole, crops, taken, lat, lon), truncated=truncated)


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


def near_duplicate(a: PhotoHashes, b: PhotoHashes) -> bool:
    return distance(a, b) <= NEAR_DUPLICATE_BITS


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))
