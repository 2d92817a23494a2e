"""The digest chart: a real PNG of a useful size, with Chinese drawn in a CJK font, not tofu boxes."""

from __future__ import annotations

import warnings

import pytest

from PIL import Image as PILImage

from bot.chart import Bar, cjk_family, cjk_font_file, render
from tests.conftest import IN_CI

if cjk_family() is None and not IN_CI:  # CI installs one (.ci/run): there these tests always run
    pytest.skip("no CJK font on this machine: apt-get install fonts-wqy-microhei (or fonts-noto-cjk)",
                allow_module_level=True)

BARS = [
    Bar("市局", (("煤矿", 1), ("非煤矿山", 0), ("危险化学品", 0), ("金属冶炼", 0)), 6, 2, 0, 1),
    Bar("泽州县", (("煤矿", 1), ("非煤矿山", 1), ("危险化学品", 0), ("金属冶炼", 1)), 10, 2, 1, 1),
    Bar("高平市", (("煤矿", 1), ("非煤矿山", 0), ("危险化学品", 1), ("金属冶炼", 0)), 10, 2, 0, 1),
]


def glyph_bitmap(char: str, family: str) -> bytes:
    """The pixels of one character drawn by matplotlib in that font family."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"font.family": [family]}), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the DejaVu control below warns about the missing glyph
        fig = Figure(figsize=(0.6, 0.6), dpi=100)
        canvas = FigureCanvasAgg(fig)
        fig.text(0.5, 0.5, char, fontsize=28, ha="center", va="center")
        canvas.draw()
        return bytes(canvas.buffer_rgba())


def test_a_cjk_font_is_found_by_family_and_covers_the_labels():
    from fontTools.ttLib import TTCollection, TTFont

    family = cjk_family()
    assert family is not None, "no CJK font: apt-get install fonts-noto-cjk"
    path = cjk_font_file()
    fonts = TTCollection(path).fonts if path.endswith(".ttc") else [TTFont(path)]
    chosen = [f for f in fonts if f["name"].getDebugName(1) == family] or fonts
    cmap = chosen[0].getBestCmap()
    for char in "泽州县进度煤矿非山危险化学品金属冶炼典型案例任务数企业家":
        assert ord(char) in cmap, char


def test_chinese_renders_as_distinct_glyphs_not_boxes():
    family = cjk_family()
    assert glyph_bitmap("煤", family) != glyph_bitmap("矿", family)
    # the control: a font without Chinese draws both as the same box, which this check would catch
    assert glyph_bitmap("煤", "DejaVu Sans") == glyph_bitmap("矿", "DejaVu Sans")


def test_chart_png_size_dimensions_and_no_missing_glyphs(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        path = render(BARS, "全市 回头看进度（2023-05-10）", tmp_path / "chart.png")
    missing = [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    assert missing == []
    assert path.stat().st_size > 20_000
    with PILImage.open(path) as img:
        assert img.format == "PNG"
        assert (img.width, img.height) == (638, 506)  # 5.8 x 4.6 inches at 110 dpi
        # not blank: the bars' colours are there
        colours = {c for _, c in img.convert("RGB").getcolors(maxcolors=1_000_000)}
        assert (0x3b, 0x6e, 0xa8) in colours and (0xe0, 0x91, 0x3a) in colours
