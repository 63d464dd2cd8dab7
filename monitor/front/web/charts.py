"""Bar charts as geometry, drawn as inline SVG by the page's templates.

The page runs no script and fetches nothing from elsewhere (its
Content-Security-Policy forbids both), so charts are drawn on the server:
this module turns counts per day into rectangles, tick labels and a legend,
and ``templates/charts.html`` writes them out as ``<svg>``. Colours are CSS
classes (``c0`` … ``c7``, ``fail``) from the page's own stylesheet; each bar
carries a ``<title>`` with its exact number, which browsers show on hover
and screen readers read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["Bar", "Chart", "Legend", "grouped", "latency", "stacked"]

#: Width of one day's slot, and the plot's height, in SVG units (pixels at 1:1).
DAY_W = 34
PLOT_H = 120
LEFT = 34  # room for the top value's label
BOTTOM = 18  # room for the days' labels
TOP = 6
#: How many colours the stylesheet has for series (``c0`` … ``c7``); more series reuse them.
PALETTE = 8


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    #: the CSS class that colours it
    cls: str
    title: str


@dataclass(frozen=True, slots=True)
class Legend:
    cls: str
    name: str
    total: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    #: (x, label) under the plot
    ticks: list[tuple[float, str]]
    #: the value the top of the plot stands for, as shown
    top: str
    legend: list[Legend] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.bars

    @property
    def base(self) -> int:
        """The y of the plot's baseline."""
        return TOP + PLOT_H


def _frame(days: Sequence[str]) -> tuple[int, int, list[tuple[float, str]]]:
    width = LEFT + DAY_W * len(days) + 4
    height = TOP + PLOT_H + BOTTOM
    # every other day's label, counted from the last (today), as MM-DD
    ticks = [
        (LEFT + DAY_W * i + DAY_W / 2, day[5:])
        for i, day in enumerate(days)
        if (len(days) - 1 - i) % 2 == 0
    ]
    return width, height, ticks


def _scale(value: float, top: float) -> float:
    return PLOT_H * value / top if top > 0 else 0.0


def _nice(top: float) -> float:
    """A round number at or above ``top`` for the plot's top (1, 2, 5 × 10^k)."""
    if top <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= top:
        step *= 10
    while step > top * 10:
        step /= 10
    for m in (1, 2, 5, 10):
        if m * step >= top:
            return m * step
    return 10 * step


def _number(value: float) -> str:
    return f"{value:g}" if value < 1000 else f"{value:,.0f}"


def stacked(days: Sequence[str], series: Mapping[str, Sequence[int]], unit: str) -> Chart:
    """One bar per day, stacked by series (alerts per rule per day)."""
    width, height, ticks = _frame(days)
    totals = [sum(values[i] for values in series.values()) for i in range(len(days))]
    top = _nice(max(totals, default=0))
    bars: list[Bar] = []
    legend: list[Legend] = []
    below = [0] * len(days)
    for n, (name, values) in enumerate(series.items()):
        cls = f"c{n % PALETTE}"
        legend.append(Legend(cls, name, _number(sum(values))))
        for i, value in enumerate(values):
            if value <= 0:
                continue
            h = _scale(value, top)
            y = TOP + PLOT_H - _scale(below[i], top) - h
            title = f"{name}: {value} {unit} on {days[i]}"
            bars.append(Bar(LEFT + DAY_W * i + 4, y, DAY_W - 8, h, cls, title))
            below[i] += value
    return Chart(width, height, bars, ticks, _number(top), legend)


def grouped(
    days: Sequence[str], series: Mapping[str, Sequence[int]], classes: Mapping[str, str]
) -> Chart:
    """Side-by-side bars per day, one per series, on one scale (a source's events)."""
    width, height, ticks = _frame(days)
    top = _nice(max((v for values in series.values() for v in values), default=0))
    slot = (DAY_W - 6) / max(len(series), 1)
    bars: list[Bar] = []
    legend: list[Legend] = []
    for n, (name, values) in enumerate(series.items()):
        cls = classes.get(name, f"c{n % PALETTE}")
        legend.append(Legend(cls, name, _number(sum(values))))
        for i, value in enumerate(values):
            if value <= 0:
                continue
            h = _scale(value, top)
            x = LEFT + DAY_W * i + 3 + slot * n
            bars.append(Bar(x, TOP + PLOT_H - h, slot - 1, h, cls, f"{value} {name} on {days[i]}"))
    return Chart(width, height, bars, ticks, _number(top), legend)


def latency(days: Sequence[str], per_day: Sequence[Mapping[str, float | None]]) -> Chart:
    """Per day, the median delay from alert to sent as a bar and the longest as a mark."""
    width, height, ticks = _frame(days)
    top = _nice(max((d["max_s"] or 0.0 for d in per_day), default=0.0))
    bars: list[Bar] = []
    sent = 0
    for i, day in enumerate(per_day):
        median, longest = day["median_s"], day["max_s"]
        if median is None or longest is None:
            continue
        sent += int(day["sent"] or 0)
        title = (
            f"{int(day['sent'] or 0)} sent on {days[i]}: median {median:.1f} s, "
            f"longest {longest:.1f} s after the alert"
        )
        h = max(_scale(median, top), 1.0)
        x = LEFT + DAY_W * i + 8
        bars.append(Bar(x, TOP + PLOT_H - h, DAY_W - 16, h, "c0", title))
        y = TOP + PLOT_H - _scale(longest, top)
        bars.append(Bar(x - 3, y - 1, DAY_W - 10, 2, "fail", title))
    legend = [Legend("c0", "median", f"({sent} sent)"), Legend("fail", "longest", "")]
    return Chart(width, height, bars, ticks, _number(top) + " s", legend)
