"""Geometry of the overview's SVG charts, drawn by templates/console/charts.html.

Hand-written rather than a chart library: two simple shapes, drawn on the
server with no script. Category bars are drawn inside their table's rows (the
table is the chart's text); charts over time carry a title, a description
and a table beside them.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
COLUMNS_HEIGHT = 200
AXIS = 24


@dataclass(frozen=True)
class Mark:
    """One bar or point: where it is drawn and what it says."""

    label: str
    value: float
    text: str
    x: float
    y: float
    width: float = 0
    height: float = 0


@dataclass(frozen=True)
class Chart:
    """A chart's view box and marks."""

    width: int
    height: int
    marks: list[Mark]
    points: str = ""  # a line chart's polyline
    top: str = ""  # the scale's highest value, written on the axis

    @property
    def empty(self) -> bool:
        """Tell whether there is nothing to draw."""
        return not self.marks


def bars(rows: list[tuple[str, float, str]]) -> Chart:
    """Lay out bars in percent of the largest: (label, value, text beside the bar)."""
    peak = max((value for _, value, _ in rows), default=0) or 1
    marks = [Mark(label, value, text, 0, 0, round(100 * value / peak, 1), 1)
             for label, value, text in rows]
    return Chart(100, 1, marks)


def columns(rows: list[tuple[str, float]]) -> Chart:
    """Lay out vertical bars over time: (day, value)."""
    peak = max((value for _, value in rows), default=0) or 1
    slot = (WIDTH - AXIS) / max(len(rows), 1)
    plot = COLUMNS_HEIGHT - AXIS
    marks = []
    for i, (label, value) in enumerate(rows):
        height = plot * value / peak
        marks.append(Mark(label, value, f"{value:g}", AXIS + i * slot + slot * 0.15,
                          plot - height, slot * 0.7, height))
    return Chart(WIDTH, COLUMNS_HEIGHT, marks, top=f"{peak:g}")


def line(rows: list[tuple[str, float]], low: float, high: float) -> Chart:
    """Lay out a line over time between fixed bounds: (day, value)."""
    plot = COLUMNS_HEIGHT - AXIS
    step = (WIDTH - 2 * AXIS) / max(len(rows) - 1, 1)
    marks = [Mark(label, value, f"{value:.2f}", AXIS + i * step,
                  plot - plot * (value - low) / (high - low))
             for i, (label, value) in enumerate(rows)]
    points = " ".join(f"{m.x:.1f},{m.y:.1f}" for m in marks)
    return Chart(WIDTH, COLUMNS_HEIGHT, marks, points=points, top=f"{high:g}")
