"""A small bar chart of articles per period, drawn as inline SVG: no script, no network."""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH = 640
HEIGHT = 140
LABEL_H = 18
# Past this many bars a label under each one would overlap; label every nth instead.
MAX_LABELS = 12


def bars_svg(counts: list[tuple[str, int]], *, title: str) -> Markup:
    """One bar per (period, count), oldest on the left, each with a tooltip; periods are labels only."""
    if not counts:
        return Markup('<p class="chart-empty">No dated articles yet.</p>')
    top = max(count for _, count in counts) or 1
    step = WIDTH / len(counts)
    bar_w = max(1.0, step * 0.8)
    every = max(1, -(-len(counts) // MAX_LABELS))
    shapes: list[str] = []
    for index, (period, count) in enumerate(counts):
        x = index * step + (step - bar_w) / 2
        h = (HEIGHT - LABEL_H - 14) * count / top
        y = HEIGHT - LABEL_H - h
        label = escape(period)
        shapes.append(
            f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
            f"<title>{label}: {count}</title></rect>"
        )
        if index % every == 0:
            shapes.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - 4}" text-anchor="middle">{label}</text>'
            )
    shapes.append(f'<text class="top" x="2" y="10">{top}</text>')
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(shapes)}</svg>'
    )


def periods(rows: list[tuple[str, int]]) -> tuple[str, list[tuple[str, int]]]:
    """Per day when the dates span two months or less, else per month: ("day"|"month", counts)."""
    if len(rows) <= 62 and len({day[:7] for day, _ in rows}) <= 2:
        return "day", rows
    months: dict[str, int] = {}
    for day, count in rows:
        months[day[:7]] = months.get(day[:7], 0) + count
    return "month", sorted(months.items())
