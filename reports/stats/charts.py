"""Charts drawn on the server as SVG: they need no script, print as they look on screen, and
every bar is a link to the records it counts. Each chart is shown with its table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

# Colour-blind-safe palette (Okabe–Ito), one colour per series.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]


@dataclass
class Bar:
    value: float
    url: str = ""
    title: str = ""


@dataclass
class Group:
    label: str
    bars: list[Bar] = field(default_factory=list)


def _a(url: str, inner: str, title: str) -> str:
    tip = f"<title>{escape(title)}</title>" if title else ""
    if not url:
        return f"<g>{tip}{inner}</g>"
    return f'<a href="{escape(url)}">{tip}{inner}</a>'


def column_chart(
    groups: list[Group],
    series: list[str],
    *,
    title: str,
    height: int = 200,
    stacked: bool = False,
) -> SafeString:
    """Vertical columns per group (e.g. per month), one column or one stack segment per series."""
    width = max(320, 60 + len(groups) * (28 if stacked else 14 * max(1, len(series)) + 14))
    top, bottom, left = 16, 36, 36
    plot_h = height - top - bottom
    totals = [
        sum(b.value for b in g.bars) if stacked else max((b.value for b in g.bars), default=0)
        for g in groups
    ]
    peak = max(totals, default=0) or 1
    slot = (width - left - 10) / max(1, len(groups))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        'stroke="#888" stroke-width="1"/>',
        f'<text x="{left - 4}" y="{top + 4}" font-size="10" text-anchor="end">{peak:g}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" font-size="10" text-anchor="end">0</text>',
    ]
    for gi, g in enumerate(groups):
        x0 = left + gi * slot + 4
        inner_w = slot - 8
        if stacked:
            y: float = top + plot_h
            for si, b in enumerate(g.bars):
                h = plot_h * b.value / peak
                if h <= 0:
                    continue
                y -= h
                rect = (
                    f'<rect x="{x0:.1f}" y="{y:.1f}" width="{inner_w:.1f}" height="{h:.1f}" '
                    f'fill="{PALETTE[si % len(PALETTE)]}"/>'
                )
                parts.append(_a(b.url, rect, b.title or f"{series[si]}: {b.value:g}"))
        else:
            bw = inner_w / max(1, len(g.bars))
            for si, b in enumerate(g.bars):
                h = plot_h * b.value / peak
                x = x0 + si * bw
                rect = (
                    f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{max(bw - 2, 1):.1f}" '
                    f'height="{max(h, 0):.1f}" fill="{PALETTE[si % len(PALETTE)]}"/>'
                )
                parts.append(_a(b.url, rect, b.title or f"{series[si]}: {b.value:g}"))
        parts.append(
            f'<text x="{x0 + inner_w / 2:.1f}" y="{top + plot_h + 14}" font-size="10" '
            f'text-anchor="middle">{escape(g.label)}</text>'
        )
    lx: float = left
    for si, name in enumerate(series if len(series) > 1 else []):
        parts.append(
            f'<rect x="{lx}" y="{height - 12}" width="8" height="8" '
            f'fill="{PALETTE[si % len(PALETTE)]}"/>'
            f'<text x="{lx + 11}" y="{height - 4}" font-size="9">{escape(name)}</text>'
        )
        lx += 16 + 5.5 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(
    rows: Sequence[tuple[str, float, str]],
    *,
    title: str,
    maximum: float | None = None,
    unit: str = "",
) -> SafeString:
    """Horizontal bars: (label, value, url) per row; `maximum` fixes the scale (100 for %)."""
    row_h, label_w, width = 22, 250, 560
    height = 10 + row_h * max(1, len(rows))
    peak = maximum or max((v for _l, v, _u in rows), default=0) or 1
    plot_w = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value, url) in enumerate(rows):
        y = 5 + i * row_h
        w = plot_w * value / peak
        short = label if len(label) <= 42 else label[:40] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" font-size="11" text-anchor="end">'
            f"{escape(short)}</text>"
        )
        rect = (
            f'<rect x="{label_w}" y="{y + 3}" width="{max(w, 0):.1f}" height="{row_h - 8}" '
            f'fill="{PALETTE[0]}"/>'
        )
        parts.append(_a(url, rect, f"{label}: {value:g}{unit}"))
        parts.append(
            f'<text x="{label_w + w + 4:.1f}" y="{y + 14}" font-size="11">{value:g}{unit}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
