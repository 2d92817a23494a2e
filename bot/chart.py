"""The digest chart: a PNG of bars per bureau (stacked by industry) against each bureau's quota,
with Chinese labels in a CJK font found on the system by family name (fonts-noto-cjk on Debian).
Without one, the chart is still drawn and a warning is logged (the labels would show as boxes)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot import texts

log = logging.getLogger(__name__)

# Families tried in order; the first one matplotlib knows is used.
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Noto Serif CJK SC",
    "AR PL UMing CN", "Droid Sans Fallback",
)
COLORS = ("#3b6ea8", "#e0913a", "#5a9e5a", "#b85450", "#8c6bb1", "#7f7f7f")
DPI = 110


@dataclass(frozen=True)
class Bar:
    label: str  # bureau short name
    parts: tuple[tuple[str, int], ...]  # (industry, enterprises)
    quota: int
    expected: int | None  # even-pace target today; None outside the period
    cases: int
    case_quota: int

    @property
    def total(self) -> int:
        return sum(n for _, n in self.parts)


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The CJK font family to draw Chinese with, or None (logged) when the system has none."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in known:
            return family
    for name in sorted(known):
        if "CJK" in name or "Hei" in name or "Han Sans" in name:
            return name
    log.warning("no CJK font found (looked for %s): chart labels will not render; "
                "install one, e.g. `apt-get install fonts-noto-cjk`", ", ".join(CJK_FAMILIES[:3]))
    return None


def cjk_font_file() -> str | None:
    family = cjk_family()
    if family is None:
        return None
    from matplotlib import font_manager

    return font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)


def render(bars: list[Bar], title: str, path: Path) -> Path:
    """Draw the chart to `path` (PNG) and return it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    family = cjk_family()
    rc = {"font.family": [family, "DejaVu Sans"] if family else ["DejaVu Sans"]}
    import matplotlib

    with matplotlib.rc_context(rc):
        width = max(5.0, 1.1 * len(bars) + 2.5)
        fig = Figure(figsize=(width, 4.6), dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(1, 1, 1)
        _draw(ax, bars)
        ax.set_title(title, fontsize=13)
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format="png")
    return path


def _draw(ax, bars: list[Bar]) -> None:
    xs = list(range(len(bars)))
    industries = [name for name, _ in bars[0].parts] if bars else []
    bottoms = [0] * len(bars)
    for i, industry in enumerate(industries):
        values = [dict(b.parts).get(industry, 0) for b in bars]
        ax.bar(xs, values, 0.6, bottom=bottoms, label=industry, color=COLORS[i % len(COLORS)], zorder=2)
        bottoms = [b + v for b, v in zip(bottoms, values)]
    for x, b in zip(xs, bars):
        ax.hlines(b.quota, x - 0.4, x + 0.4, colors="#222222", linestyles="--", linewidth=1.6, zorder=3,
                  label=texts.PG_CHART_QUOTA if x == 0 else None)
        if b.expected is not None:
            ax.hlines(b.expected, x - 0.4, x + 0.4, colors="#999999", linestyles=":", linewidth=1.6, zorder=3,
                      label=texts.PG_CHART_EXPECTED if x == 0 else None)
        ax.annotate(f"{b.total}/{b.quota}", (x, max(b.total, b.quota)), textcoords="offset points",
                    xytext=(0, 4), ha="center", fontsize=10)
    ax.set_xticks(xs)
    ax.set_xticklabels([f"{b.label}\n" + texts.PG_CHART_CASES.format(done=b.cases, quota=b.case_quota)
                        for b in bars], fontsize=9)
    ax.set_ylabel(texts.PG_CHART_Y)
    top = max([b.quota for b in bars] + [b.total for b in bars] + [1])
    ax.set_ylim(0, top * 1.25 + 0.5)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", alpha=0.3, zorder=0)
    ax.legend(fontsize=8, loc="upper left", ncol=3, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
