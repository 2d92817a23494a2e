"""A corpus of test photos made with Pillow: structured originals (shapes, text, noise), their
near-duplicates (re-encoded, resized, slightly cropped) and unrelated pictures."""

from __future__ import annotations

import io
import random
from datetime import datetime

from PIL import Image, ImageDraw

SIZE = (640, 480)


def original(seed: int, size: tuple[int, int] = SIZE) -> Image.Image:
    """A picture with structure: background, shapes, lines, text and sensor-like noise."""
    rnd = random.Random(seed)
    img = Image.new("RGB", size, tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    w, h = size
    for _ in range(rnd.randrange(6, 20)):
        x, y = rnd.randrange(w), rnd.randrange(h)
        box = (x, y, x + rnd.randrange(30, w // 2), y + rnd.randrange(30, h // 2))
        colour = tuple(rnd.randrange(256) for _ in range(3))
        shape = rnd.choice(("rectangle", "ellipse", "line", "polygon"))
        if shape == "rectangle":
            draw.rectangle(box, fill=colour)
        elif shape == "ellipse":
            draw.ellipse(box, fill=colour)
        elif shape == "line":
            draw.line(box, fill=colour, width=rnd.randrange(2, 12))
        else:
            draw.polygon([(rnd.randrange(w), rnd.randrange(h)) for _ in range(rnd.randrange(3, 6))], fill=colour)
    for i in range(rnd.randrange(3, 10)):
        draw.text((rnd.randrange(w - 120), rnd.randrange(h - 20)), f"No.{rnd.randrange(10**6)} PLAN {i}",
                  fill=tuple(rnd.randrange(256) for _ in range(3)))
    noise = Image.effect_noise(size, 30).convert("RGB")
    return Image.blend(img, noise, 0.15)


def jpeg(img: Image.Image, quality: int = 85, exif: Image.Exif | None = None) -> bytes:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def crop(img: Image.Image, left: float = 0, top: float = 0, right: float = 0, bottom: float = 0) -> Image.Image:
    w, h = img.size
    return img.crop((round(w * left), round(h * top), round(w * (1 - right)), round(h * (1 - bottom))))


# name -> how the copy is made from the original; each is what a messenger or a quick edit does
NEAR_DUPLICATES = {
    "jpeg_q85": lambda img: jpeg(img, 85),
    "jpeg_q30": lambda img: jpeg(img, 30),
    "png": png,
    "half_size": lambda img: jpeg(img.resize((img.width // 2, img.height // 2)), 70),
    "quarter_size": lambda img: jpeg(img.resize((img.width // 4, img.height // 4)), 60),
    "enlarged": lambda img: jpeg(img.resize((img.width * 3 // 2, img.height * 3 // 2)), 80),
    "crop_bottom_10": lambda img: jpeg(crop(img, bottom=0.10)),
    "crop_left_10": lambda img: jpeg(crop(img, left=0.10)),
    "crop_right_7": lambda img: jpeg(crop(img, right=0.07)),
    "crop_top_left_5": lambda img: jpeg(crop(img, left=0.05, top=0.05)),
    "crop_all_sides_2": lambda img: jpeg(crop(img, 0.025, 0.025, 0.025, 0.025)),
    "crop_corner_3_4": lambda img: jpeg(crop(img, right=0.03, bottom=0.04)),
    "crop_8_and_half_size": lambda img: jpeg(crop(img, top=0.08).resize((img.width // 2, img.height * 46 // 100)), 60),
}


def with_exif(img: Image.Image, taken: datetime | None = None,
              position: tuple[float, float] | None = None) -> bytes:
    """A JPEG carrying EXIF DateTimeOriginal and GPS, as a phone camera writes them."""
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if position is not None:
        lat, lon = position

        def dms(value: float) -> tuple[float, float, float]:
            value = abs(value)
            d = int(value)
            m = int((value - d) * 60)
            return float(d), float(m), round((value - d - m / 60) * 3600, 2)

        gps = exif.get_ifd(0x8825)
        gps.update({1: "N" if lat >= 0 else "S", 2: dms(lat), 3: "E" if lon >= 0 else "W", 4: dms(lon)})
    return jpeg(img, 90, exif)
