"""A time series as inline SVG, with its alarms marked: no chart library, no script.

Drawn on the server so the first render of the dashboard needs no JavaScript for it, and so
the printable page shows it too. Bars would hide a trend at 100+ periods; a line with dots
reads at both ends. Alarms are red circles with their reason as a tooltip (``<title>``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup, escape

__all__ = ["series_svg"]

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28


def _ticks(top: int) -> list[int]:
    step = max(1, -(-top // 4))
    return list(range(0, top + 1, step))


def series_svg(
    starts: Sequence[dt.date],
    counts: Sequence[int],
    alarms: dict[dt.date, str],
    title: str,
) -> Markup:
    """The series as an ``<svg>`` element (viewBox scaled: it fills its container)."""
    n = len(counts)
    top = max(max(counts, default=0), 1)
    ticks = _ticks(top)
    top = max(top, ticks[-1])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * (i + 0.5) / max(n, 1))

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    parts = [
        f'<svg class="series" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in ticks:
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}"/><text class="axis" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{tick}</text>'
        )
    if n:
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(counts))
        parts.append(f'<polyline class="line" points="{points}"/>')
        every = max(1, n // 6)
        for i, start in enumerate(starts):
            if i % every == 0 or i == n - 1:
                anchor = "end" if i == n - 1 and n > 1 else "middle"
                parts.append(
                    f'<text class="axis" x="{x(i):.1f}" y="{HEIGHT - 8}" '
                    f'text-anchor="{anchor}">{start.isoformat()}</text>'
                )
        for i, (start, value) in enumerate(zip(starts, counts, strict=True)):
            reason = alarms.get(start)
            if reason is not None:
                parts.append(
                    f'<circle class="alarm" cx="{x(i):.1f}" cy="{y(value):.1f}" r="6" '
                    f'data-period="{start.isoformat()}"><title>{escape(reason)}</title></circle>'
                )
            elif n <= 60:
                parts.append(f'<circle class="dot" cx="{x(i):.1f}" cy="{y(value):.1f}" r="2.5"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
