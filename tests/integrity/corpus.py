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
    # Sensor-like noise from the seed (Image.effect_noise is not seedable): the same picture every run.
    grain = np.random.default_rng(seed).normal(128, 30, (size[1], size[0])).clip(0, 255).astype(np.uint8)
    noise = Image.fromarray(grain, "L").convert("RGB")
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


# ---- a realistic corpus: printed forms filled in, certificates of one layout, photographed by hand
import functools  # noqa: E402

import numpy as np  # noqa: E402
from PIL import ImageEnhance, ImageFilter, ImageFont  # noqa: E402

FONT_FILES = ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志宏海波斌宇浩凯鹏飞俊峰晨亮成林东辉"
TITLES = {"sign_in": "安全生产教育培训签到表", "record": "三级安全教育培训记录", "exam": "安全培训考试成绩登记表"}
COLUMNS = {"sign_in": ["序号", "姓名", "岗位/工种", "签字", "备注"],
           "record": ["序号", "姓名", "培训内容", "学时", "考核", "签名"],
           "exam": ["序号", "姓名", "身份证号", "成绩", "签字"]}
PAGE = (840, 1188)  # A4 at ~100 dpi
CARD = (856, 540)
FRAME = (1024, 768)  # a phone photo as WeCom delivers it


@functools.lru_cache(maxsize=None)
def font(size: int):
    for path in FONT_FILES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def person_name(rnd: random.Random) -> str:
    return rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))


def id_number(rnd: random.Random) -> str:
    return f"1405{rnd.randrange(10, 30)}{rnd.randrange(1960, 2000)}{rnd.randrange(1, 13):02d}" \
           f"{rnd.randrange(1, 29):02d}{rnd.randrange(1000):03d}{rnd.choice('0123456789X')}"


def scribble(draw: ImageDraw.ImageDraw, rnd: random.Random, box: tuple[int, int, int, int]) -> None:
    """A handwritten signature: a few connected strokes in blue-black ink."""
    x0, y0, x1, y1 = box
    ink = rnd.choice(((20, 30, 90), (10, 10, 10), (30, 40, 120)))
    x = x0 + rnd.randrange(5, 15)
    for _ in range(rnd.randrange(2, 4)):
        points = []
        for _ in range(rnd.randrange(5, 10)):
            x = min(x1 - 5, x + rnd.randrange(4, 16))
            points.append((x, rnd.randrange(y0 + 4, y1 - 4)))
        draw.line(points, fill=ink, width=rnd.choice((2, 3)), joint="curve")
        x += rnd.randrange(3, 10)


def form_page(template: str, page: int, rows_filled: int | None = None) -> Image.Image:
    """Page `page` of a printed form (the same template for every page), filled in by hand."""
    rnd = random.Random(f"{template}:{page}")
    img = Image.new("RGB", PAGE, (250, 250, 246))
    draw = ImageDraw.Draw(img)
    draw.text((PAGE[0] // 2, 60), TITLES[template], font=font(34), fill=(0, 0, 0), anchor="mm")
    draw.text((60, 110), "单位（盖章）：________________    培训日期：____年__月__日", font=font(18), fill=(0, 0, 0))
    # What is written on this page: the session, and the people
    draw.text((185, 104), f"晋城{rnd.choice('东西南北')}{rnd.choice(('煤业', '化工', '矿业'))}有限公司", font=font(18), fill=(20, 30, 90))
    draw.text((560, 104), f"2023  {rnd.randrange(4, 7)}  {rnd.randrange(1, 29)}", font=font(18), fill=(20, 30, 90))
    cols = COLUMNS[template]
    top, left, right, row_h = 150, 50, PAGE[0] - 50, 48
    widths = [60] + [(right - left - 60) // (len(cols) - 1)] * (len(cols) - 1)
    xs = [left]
    for w in widths:
        xs.append(xs[-1] + w)
    rows = 20
    for r in range(rows + 2):
        draw.line((left, top + r * row_h, xs[-1], top + r * row_h), fill=(0, 0, 0), width=2)
    for x in xs:
        draw.line((x, top, x, top + (rows + 1) * row_h), fill=(0, 0, 0), width=2)
    for c, name in enumerate(cols):
        draw.text(((xs[c] + xs[c + 1]) // 2, top + row_h // 2), name, font=font(20), fill=(0, 0, 0), anchor="mm")
    filled = rows_filled if rows_filled is not None else rnd.randrange(3, rows + 1)
    for r in range(rows):
        y = top + (r + 1) * row_h
        draw.text((xs[0] + 30, y + row_h // 2), str(page * rows + r + 1), font=font(18), fill=(0, 0, 0), anchor="mm")
        if r >= filled:
            continue
        for c, col in enumerate(cols[1:], start=1):
            box = (xs[c], y, xs[c + 1], y + row_h)
            if col in ("签字", "签名"):
                scribble(draw, rnd, box)
                continue
            value = {"姓名": person_name(rnd), "岗位/工种": rnd.choice(("采煤工", "掘进工", "电工", "瓦检员", "安全员")),
                     "培训内容": rnd.choice(("入井须知", "瓦斯防治", "应急救援", "岗位操作")), "学时": str(rnd.choice((8, 12, 24))),
                     "考核": rnd.choice(("合格", "良好")), "身份证号": id_number(rnd)[:14] + "****",
                     "成绩": str(rnd.randrange(60, 100)), "备注": rnd.choice(("", "", "补签"))}[col]
            draw.text((box[0] + 8, y + 12), value, font=font(19 if col != "身份证号" else 15), fill=(20, 30, 90))
    draw.text((60, PAGE[1] - 60), f"第 {page + 1} 页    填表人：", font=font(18), fill=(0, 0, 0))
    return img


def plan_page(doc: int, page: int) -> Image.Image:
    """A page of a typed training plan: the same header on every page, different paragraphs."""
    rnd = random.Random(f"plan:{doc}:{page}")
    img = Image.new("RGB", PAGE, (252, 252, 250))
    draw = ImageDraw.Draw(img)
    draw.text((PAGE[0] // 2, 60), f"{2023}年度安全生产教育培训计划", font=font(30), fill=(0, 0, 0), anchor="mm")
    words = "安全生产培训教育制度岗位职责应急预案演练考核隐患排查治理特种作业持证上岗学时记录档案管理"
    y = 120
    while y < PAGE[1] - 100:
        if rnd.random() < 0.15:
            y += 30
            continue
        line = "".join(rnd.choice(words) for _ in range(rnd.randrange(20, 34)))
        draw.text((70, y), line, font=font(20), fill=(10, 10, 10))
        y += 34
    draw.text((PAGE[0] // 2, PAGE[1] - 50), f"- {page + 1} -", font=font(16), fill=(0, 0, 0), anchor="mm")
    return img


def certificate(person: int, layout: str = "特种作业操作证") -> Image.Image:
    """One person's certificate card; every card of a layout has the same frame, labels and seal."""
    return certificate_card(person, layout)[0]


def certificate_card(person: int, layout: str = "特种作业操作证") -> tuple[Image.Image, dict[str, str]]:
    """The card and what it says: {"name", "number", "kind", "item", "valid"}."""
    rnd = random.Random(f"cert:{layout}:{person}")
    img = Image.new("RGB", CARD, (236, 242, 250))
    draw = ImageDraw.Draw(img)
    draw.rectangle((8, 8, CARD[0] - 8, CARD[1] - 8), outline=(30, 60, 140), width=4)
    draw.text((CARD[0] // 2, 50), f"中华人民共和国{layout}", font=font(30), fill=(30, 60, 140), anchor="mm")
    face = Image.new("RGB", (150, 190), (90 + rnd.randrange(60), 120 + rnd.randrange(60), 200))
    fd = ImageDraw.Draw(face)
    skin = (200 + rnd.randrange(40), 160 + rnd.randrange(40), 130 + rnd.randrange(40))
    fd.ellipse((35 + rnd.randrange(10), 30, 115 - rnd.randrange(10), 130), fill=skin)
    fd.ellipse((15, 120 + rnd.randrange(10), 135, 250), fill=tuple(rnd.randrange(80) for _ in range(3)))
    fd.rectangle((30, 20 + rnd.randrange(10), 120, 45 + rnd.randrange(15)), fill=(20, 15, 10))
    img.paste(face, (40, 110))
    labels = [("姓    名", person_name(rnd)), ("性    别", rnd.choice("男女")), ("证    号", id_number(rnd)),
              ("作业类别", rnd.choice(("电工作业", "焊接与热切割作业", "高处作业", "煤矿安全作业"))),
              ("准操项目", rnd.choice(("低压电工作业", "熔化焊接与热切割作业", "井下电气作业"))),
              ("初领日期", f"{rnd.randrange(2010, 2021)}-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}"),
              ("有效期限", f"{rnd.randrange(2023, 2028)}-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}")]
    for i, (label, value) in enumerate(labels):
        y = 110 + i * 50
        draw.text((230, y), label, font=font(22), fill=(60, 60, 60))
        draw.text((370, y), value, font=font(24), fill=(0, 0, 0))
    draw.ellipse((640, 330, 800, 490), outline=(200, 30, 30), width=5)
    draw.text((720, 410), "应急管理局", font=font(20), fill=(200, 30, 30), anchor="mm")
    said = dict(labels)
    return img, {"name": said["姓    名"], "number": said["证    号"], "kind": said["作业类别"],
                 "item": said["准操项目"], "valid": said["有效期限"]}




def _coeffs(dst: list[tuple[float, float]], src: list[tuple[float, float]]) -> list[float]:
    """PIL PERSPECTIVE coefficients mapping output points `dst` to input points `src`."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return list(np.linalg.solve(np.array(rows, float), np.array(rhs, float)))


def framing(seed: int | str, fill: float | None = None) -> dict:
    """How one hand-held shot frames a document: tilt, keystone, zoom, offset, light."""
    rnd = random.Random(f"framing:{seed}")
    return {"tilt": rnd.uniform(-1.5, 1.5), "keystone": rnd.uniform(-0.03, 0.03), "fill": fill or rnd.uniform(0.82, 0.97),
            "dx": rnd.uniform(-0.03, 0.03), "dy": rnd.uniform(-0.03, 0.03), "light": rnd.uniform(0.85, 1.0),
            "gradient": rnd.uniform(-0.12, 0.12), "desk": tuple(rnd.randrange(90, 160) for _ in range(3)),
            "noise": rnd.randrange(10**6)}


def photograph(doc: Image.Image, shot: dict, frame: tuple[int, int] | None = None) -> Image.Image:
    """The document photographed by hand on a desk: perspective, light falloff, blur and noise."""
    if frame is None:
        frame = FRAME if doc.width >= doc.height else (FRAME[1], FRAME[0])
    fw, fh = frame
    scale = shot["fill"] * min(fw / doc.width, fh / doc.height)
    w, h = doc.width * scale, doc.height * scale
    cx, cy = fw / 2 + shot["dx"] * fw, fh / 2 + shot["dy"] * fh
    angle = np.radians(shot["tilt"])
    k = shot["keystone"] * w
    corners = [(-w / 2 + k, -h / 2), (w / 2 - k, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)]
    dst = [(cx + x * np.cos(angle) - y * np.sin(angle), cy + x * np.sin(angle) + y * np.cos(angle)) for x, y in corners]
    src = [(0, 0), (doc.width, 0), (doc.width, doc.height), (0, doc.height)]
    desk = Image.new("RGB", frame, shot["desk"])
    rnd = np.random.default_rng(shot["noise"])
    grain = rnd.normal(0, 6, (fh // 8 + 1, fw // 8 + 1, 3))
    grain = np.kron(grain, np.ones((8, 8, 1)))[:fh, :fw]
    desk = Image.fromarray(np.clip(np.asarray(desk, float) + grain, 0, 255).astype(np.uint8))
    warped = doc.transform(frame, Image.Transform.PERSPECTIVE, _coeffs(dst, src), Image.Resampling.BICUBIC)
    mask = Image.new("L", doc.size, 255).transform(frame, Image.Transform.PERSPECTIVE, _coeffs(dst, src))
    desk.paste(warped, (0, 0), mask)
    light = shot["light"] + shot["gradient"] * np.linspace(-1, 1, fw)[None, :, None]
    pixels = np.asarray(desk.filter(ImageFilter.GaussianBlur(0.6)), float) * light
    pixels += rnd.normal(0, 3.0, pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


# ---- what people do to a photo to pass it off again
def screenshot(img: Image.Image, dark: bool = True, screen: tuple[int, int] = (1080, 2340)) -> Image.Image:
    """A phone screenshot of the photo open in a chat app: status bar, bars, toolbar."""
    sw, sh = screen
    bg, fg = ((0, 0, 0), (235, 235, 235)) if dark else ((245, 245, 245), (30, 30, 30))
    shot = Image.new("RGB", screen, bg)
    draw = ImageDraw.Draw(shot)
    draw.text((40, 28), "9:41", font=font(40), fill=fg)
    for i in range(3):
        draw.rectangle((sw - 200 + i * 50, 35, sw - 170 + i * 50, 70), fill=fg)
    if not dark:
        draw.rectangle((0, 100, sw, 230), fill=(237, 237, 237))
        draw.text((sw // 2, 165), "图片", font=font(44), fill=fg, anchor="mm")
    scale = min(sw / img.width, (sh - 600) / img.height)
    photo = img.resize((round(img.width * scale), round(img.height * scale)), Image.Resampling.BICUBIC)
    shot.paste(photo, ((sw - photo.width) // 2, (sh - photo.height) // 2))
    for i in range(4):
        x = 140 + i * 260
        draw.ellipse((x, sh - 190, x + 80, sh - 110), outline=fg, width=5)
    return shot


def rotated(img: Image.Image, degrees: float) -> Image.Image:
    return img.rotate(degrees, Image.Resampling.BICUBIC, expand=True, fillcolor=(0, 0, 0))


def resized(img: Image.Image, factor: float) -> Image.Image:
    return img.resize((round(img.width * factor), round(img.height * factor)), Image.Resampling.LANCZOS)


def other_exif(img: Image.Image) -> bytes:
    return with_exif(img, datetime(2023, 5, 20, 10, 30), (35.49, 112.85))


# name -> how a copy of a photo is made: each is what a messenger, an editor or a phone does
COPIES = {
    "identical, other EXIF": other_exif,
    "JPEG q60": lambda img: jpeg(img, 60),
    "JPEG q30": lambda img: jpeg(img, 30),
    "resized 50 %": lambda img: jpeg(resized(img, 0.5), 80),
    "WeCom-like 75 % q70": lambda img: jpeg(resized(img, 0.75), 70),
    "crop 10 % one side": lambda img: jpeg(crop(img, right=0.10)),
    "crop 5 % all sides": lambda img: jpeg(crop(img, 0.05, 0.05, 0.05, 0.05)),
    "brightness +20 %": lambda img: jpeg(ImageEnhance.Brightness(img).enhance(1.2)),
    "brightness −20 %": lambda img: jpeg(ImageEnhance.Brightness(img).enhance(0.8)),
    "rotated 3°": lambda img: jpeg(rotated(img, 3)),
    "rotated 90°": lambda img: jpeg(img.transpose(Image.Transpose.ROTATE_90)),
    "rotated 180°": lambda img: jpeg(img.transpose(Image.Transpose.ROTATE_180)),
    "rotated 270°": lambda img: jpeg(img.transpose(Image.Transpose.ROTATE_270)),
    "mirrored": lambda img: jpeg(img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)),
    "mirrored and rotated 90°": lambda img: jpeg(img.transpose(Image.Transpose.TRANSPOSE)),
    "screenshot, dark viewer (PNG)": lambda img: png(screenshot(img)),
    "screenshot, light app, sent as JPEG q75": lambda img: jpeg(resized(screenshot(img, dark=False), 0.6), 75),
    "screenshot of a crop, brighter": lambda img: jpeg(screenshot(ImageEnhance.Brightness(crop(img, 0.04, 0.06, 0.02, 0.0)).enhance(1.15)), 85),
}


def corpus_sources(templates: int = 3, pages: int = 10, people: int = 20, plans: int = 4,
                   scenes: int = 8) -> dict[str, list[tuple[str, Image.Image]]]:
    """Groups of distinct photographs (each hand-held, each its own framing): pages of one template,
    certificates of one layout, typed plans, pages framed exactly alike, and unrelated scenes."""
    groups: dict[str, list[tuple[str, Image.Image]]] = {}
    for t, template in enumerate(list(TITLES)[:templates]):
        groups[f"form:{template}"] = [(f"{template}-p{p}", photograph(form_page(template, p), framing(f"{template}{p}")))
                                      for p in range(pages)]
    groups["cert:特种作业操作证"] = [(f"cert-{i}", photograph(certificate(i), framing(f"cert{i}")))
                                  for i in range(people)]
    groups["plan"] = [(f"plan-{d}-{p}", photograph(plan_page(d, p), framing(f"plan{d}{p}")))
                      for d in range(max(1, plans // 2)) for p in range(2)]
    same_shot = framing("tripod")  # one framing for every page: only what is written differs
    groups["form:framed alike"] = [(f"alike-p{p}", photograph(form_page("sign_in", 100 + p, rows_filled=4 + p), same_shot))
                                   for p in range(6)]
    groups["scene"] = [(f"scene-{s}", original(s, FRAME)) for s in range(scenes)]
    return groups
