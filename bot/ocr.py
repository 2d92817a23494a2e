"""OCR of certificate photos: what a 特种作业操作证 (or a similar card) says, read offline.

Optional: the `ocr` install extra (rapidocr-onnxruntime, PP-OCRv4 Chinese models inside its wheel,
CPU). Without it `available()` is False, the bot says so once at startup and the certificate
register asks for the number to be typed, as before.

The engine runs only in an image worker process (bot/image_work.py), never on the event loop: one
engine per worker, loaded on its first certificate (~0.5 s), one thread (faster than two on a
2-core machine, and the other core stays with the event loop). At most `SLOTS` reads at once per
event loop, so OCR never takes every worker from the photo checks; a read that takes longer than
`TIMEOUT` seconds is given up (the inspector types the number) and its worker finishes it unseen.

What is read (`CertificateText`): the number (the value beside 证号 / 证书编号 / 编号, else the
longest ID-number-like token), the holder's name (beside 姓名), the kind of work (作业类别) and the
item (准操项目 / 操作项目), and the validity (the last date beside 有效期限 / 有效期 / 有效期至)."""

from __future__ import annotations

import asyncio
import importlib.util
import io
import logging
import re
import weakref
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from bot import image_work

log = logging.getLogger(__name__)

ENGINE_MODULE = "rapidocr_onnxruntime"
SLOTS = 1  # OCR reads at once per event loop (each holds one worker for 1–4 s)
TIMEOUT = 60.0  # seconds; a read past this is given up
MAX_SIDE = 2000  # pixels; larger photos are scaled down before the read
MIN_SCORE = 0.6  # a recognised line less sure than this is ignored

NUMBER_LABELS = ("证书编号", "证件编号", "证书号", "证号", "编号")
NAME_LABELS = ("姓名",)
KIND_LABELS = ("作业类别", "工种")
ITEM_LABELS = ("准操项目", "操作项目")
VALID_LABELS = ("有效期限", "有效期至", "有效期")
ALL_LABELS = NUMBER_LABELS + NAME_LABELS + KIND_LABELS + ITEM_LABELS + VALID_LABELS + (
    "性别", "初领日期", "发证日期", "复审日期", "发证机关")
NUMBER_RE = re.compile(r"[0-9A-Z]{8,32}")
ID_RE = re.compile(r"[0-9]{17}[0-9X]")
DATE_RE = re.compile(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
NAME_RE = re.compile(r"^[\u4e00-\u9fff·]{2,6}$")


def available() -> bool:
    """Whether the `ocr` extra is installed (its engine is importable)."""
    return importlib.util.find_spec(ENGINE_MODULE) is not None


def status_line() -> str:
    """One line for the startup log."""
    if available():
        return "certificate OCR on (rapidocr-onnxruntime): certificate photos are read in the image workers"
    return ("certificate OCR off (the 'ocr' extra is not installed: pip install 'inspector-bot[ocr]'); "
            "certificate numbers are typed")


@dataclass(frozen=True)
class CertificateText:
    number: str = ""
    name: str = ""
    kind: str = ""
    item: str = ""
    valid_until: str = ""  # ISO date, "" when none was legible
    lines: tuple[str, ...] = ()

    def expiry(self) -> date | None:
        return date.fromisoformat(self.valid_until) if self.valid_until else None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON for the conversation's cursor (the lines left out)."""
        data = asdict(self)
        data.pop("lines")
        return data


def same_number(a: str, b: str) -> bool:
    """Numbers as the register keeps them: spaces, hyphens and case do not count."""
    return normalize_number(a) == normalize_number(b)


def normalize_number(text: str) -> str:
    return re.sub(r"[\s\-－—_]", "", text).upper()


# ---- reading the recognised lines (pure: tested without the engine)
@dataclass(frozen=True)
class Box:
    text: str
    left: float
    right: float
    top: float
    bottom: float

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return max(1.0, self.bottom - self.top)

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2

    @property
    def width(self) -> float:
        return max(1.0, self.right - self.left)


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("：", ":").strip(":")


def _label_of(text: str) -> tuple[str, str] | None:
    """(label, the rest of the box) when the box starts with a known label (spaces ignored)."""
    compact = _clean(text)
    for label in sorted(ALL_LABELS, key=len, reverse=True):
        if compact.startswith(label):
            return label, compact[len(label):].lstrip(":")
    return None


def _beside(label: Box, boxes: list[Box], fits) -> str:
    """The value of a label: the nearest box on its line (its row; its column when the photo was
    turned by 90° and the boxes stand upright) that fits, after the label first (reading order),
    else before it (a photo upside down or turned the other way)."""
    if label.width >= label.height:
        def along(b: Box) -> float | None:
            return b.centre - label.centre if abs(b.middle - label.middle) <= label.height * 0.6 else None
    else:
        def along(b: Box) -> float | None:
            return b.middle - label.middle if abs(b.centre - label.centre) <= label.width * 0.6 else None
    on_line = [(d, b) for b in boxes if b is not label and _label_of(b.text) is None
               and (d := along(b)) is not None]
    after = min(((d, b) for d, b in on_line if d > 0), key=lambda x: x[0], default=None)
    before = max(((d, b) for d, b in on_line if d < 0), key=lambda x: x[0], default=None)
    for found in (after, before):
        if found is not None and fits(_clean(found[1].text)):
            return _clean(found[1].text)
    return ""


def _words(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text)) and not DATE_RE.search(text)


def _value(boxes: list[Box], labels: tuple[str, ...], fits=_words) -> str:
    for box in boxes:
        found = _label_of(box.text)
        if found is None or found[0] not in labels:
            continue
        if found[1]:
            return found[1]
        value = _beside(box, boxes, fits)
        if value:
            return value
    return ""


def _number_in(text: str) -> str:
    compact = normalize_number(text)
    if DATE_RE.search(text):
        return ""
    found = NUMBER_RE.search(compact)  # the whole token: a prefix such as T stays
    if found is None or sum(c.isdigit() for c in found.group()) < 6:
        return ""
    return found.group()


def _date_in(text: str, last: bool = True) -> str:
    dates = []
    for y, m, d in DATE_RE.findall(text):
        try:
            dates.append(date(int(y), int(m), int(d)).isoformat())
        except ValueError:
            continue
    return (dates[-1] if last else dates[0]) if dates else ""


def parse(boxes: list[Box]) -> CertificateText:
    """The certificate's fields from the recognised boxes of one photo."""
    number = _number_in(_value(boxes, NUMBER_LABELS, lambda t: bool(_number_in(t))))
    if not number:  # no label read: the longest ID-number-like token anywhere
        tokens = [n for n in (_number_in(b.text) for b in boxes) if n]
        number = max(tokens, key=lambda n: (bool(ID_RE.fullmatch(n)), len(n)), default="")
    name = _value(boxes, NAME_LABELS, lambda t: bool(NAME_RE.match(t)))
    return CertificateText(
        number=number,
        name=name if NAME_RE.match(name) else "",
        kind=_value(boxes, KIND_LABELS),
        item=_value(boxes, ITEM_LABELS),
        valid_until=_date_in(_value(boxes, VALID_LABELS, lambda t: bool(_date_in(t)))),
        lines=tuple(b.text for b in boxes),
    )


# ---- in the worker
_engine: Any = None


def _get_engine() -> Any:
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR

        _engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
    return _engine


def read_certificate(data: bytes) -> CertificateText:
    """OCR one photo (bytes as stored). Runs in an image worker process."""
    import numpy as np
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as img:
        img = ImageOps.exif_transpose(img).convert("RGB")
        if max(img.size) > MAX_SIDE:
            img.thumbnail((MAX_SIDE, MAX_SIDE))
        pixels = np.ascontiguousarray(np.asarray(img)[:, :, ::-1])  # BGR, as the engine expects
    result, _elapsed = _get_engine()(pixels)
    boxes = []
    for points, text, score in result or []:
        if float(score) < MIN_SCORE or not str(text).strip():
            continue
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        boxes.append(Box(str(text), min(xs), max(xs), min(ys), max(ys)))
    boxes.sort(key=lambda b: (b.top, b.left))
    return parse(boxes)


# ---- on the event loop
_gates: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]" = weakref.WeakKeyDictionary()


def _gate() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    gate = _gates.get(loop)
    if gate is None:
        gate = _gates[loop] = asyncio.Semaphore(SLOTS)
    return gate


async def read(data: bytes) -> CertificateText | None:
    """The photo's certificate fields, read in an image worker; None when OCR is off or failed
    (the inspector then types the number: nothing depends on a read)."""
    if not available():
        return None
    try:
        async with _gate():
            return await asyncio.wait_for(image_work.workers().run(read_certificate, data), TIMEOUT)
    except asyncio.TimeoutError:
        log.warning("certificate OCR took longer than %.0f s; given up", TIMEOUT)
    except Exception:  # noqa: BLE001 - an unreadable photo or a broken engine: type the number
        log.warning("certificate OCR failed", exc_info=True)
    return None
