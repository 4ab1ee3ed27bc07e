"""Small SVG bar charts for the PDF reports, drawn on the server (a PDF runs no script).

A chart is a table: labels and figures are HTML cells, the bars are one SVG per row.
Thai labels stay out of the SVG because WeasyPrint draws SVG text character by
character, which separates Thai vowels and tone marks from their consonants
(Kozea/WeasyPrint#2249).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

BRAND = "#0b5394"
SECOND = "#e69138"
TRACK = "#e8eef5"
TARGET = "#b42318"


@dataclass(frozen=True)
class Bar:
    value: float
    color: str = BRAND


@dataclass(frozen=True)
class ChartRow:
    label: str
    figure: str
    svg: SafeString


def _number(value: float | int | Decimal | None) -> float:
    return float(value or 0)


def bar_svg(
    bars: list[Bar],
    *,
    maximum: float,
    target: float | None = None,
    width: int = 320,
    bar_height: int = 12,
    gap: int = 3,
) -> SafeString:
    """One row of bars on a common scale, with an optional dashed target line."""
    maximum = max(_number(maximum), 1e-9)
    height = len(bars) * bar_height + (len(bars) + 1) * gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-bar" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="{TRACK}"/>',
    ]
    for index, bar in enumerate(bars):
        length = max(0.0, min(_number(bar.value) / maximum, 1.0)) * width
        y = gap + index * (bar_height + gap)
        parts.append(
            f'<rect x="0" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{bar.color}"/>'
        )
    if target is not None:
        x = max(0.0, min(_number(target) / maximum, 1.0)) * width
        x = min(max(x, 1.0), width - 1.0)
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" stroke="{TARGET}" '
            'stroke-width="2" stroke-dasharray="4 2"/>'
        )
    parts.append("</svg>")
    # Built only from numbers and the colour constants above: nothing to escape.
    return mark_safe("".join(parts))  # noqa: S308


def rows(
    items: list[tuple[str, list[Bar], str]],
    *,
    maximum: float | None = None,
    target: float | None = None,
    width: int = 320,
) -> list[ChartRow]:
    """Chart rows from (label, bars, figure shown beside the bars)."""
    if maximum is None:
        maximum = max((_number(b.value) for _, bars, _ in items for b in bars), default=0)
        if target is not None:
            maximum = max(maximum, _number(target))
    return [
        ChartRow(
            label=label,
            figure=figure,
            svg=bar_svg(bars, maximum=maximum, target=target, width=width),
        )
        for label, bars, figure in items
    ]
