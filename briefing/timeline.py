"""Timelines drawn at build time as inline SVG (pure: data in, markup out; no script, no external request).

Two charts: the archive's conferences over time, one mark per conference sized by its number of dispatches,
one lane per series; and a minister's tenures (one bar per role) with a tick for each dispatch naming them.
Each SVG is ``role="img"`` with a ``<title>`` and ``<desc>`` (its accessible name and description); the page
adds a data table for screen readers. Colours come from the stylesheet (classes), so dark mode applies and
the CSP needs no inline style.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from html import escape

WIDTH = 800
LEFT, RIGHT = 8, 8  # margins inside the view box
LANE = 46  # height of one lane: its label, then its marks (radius up to 14)
AXIS = 26  # height of the year axis


@dataclass(frozen=True)
class Mark:
    """One conference on the archive timeline."""

    id: str
    label: str
    lane: str  # the series it belongs to (one lane per series)
    day: dt.date
    count: int


@dataclass(frozen=True)
class Span:
    """One tenure on a minister's timeline; ``end`` None means "still in office"."""

    label: str
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class Scale:
    first: int  # first year shown
    last: int  # last year shown (inclusive)

    def x(self, day: dt.date) -> float:
        years = self.last - self.first + 1
        frac = (day.year - self.first + (day.timetuple().tm_yday - 1) / 366) / years
        return round(LEFT + frac * (WIDTH - LEFT - RIGHT), 1)


def scale_for(days: list[dt.date]) -> Scale:
    return Scale(min(d.year for d in days), max(d.year for d in days))


def _ticks(scale: Scale) -> list[int]:
    years = scale.last - scale.first + 1
    step = 1 if years <= 12 else 2 if years <= 24 else 5
    return [y for y in range(scale.first, scale.last + 1) if (y - scale.first) % step == 0]


def _axis(scale: Scale, top: float) -> list[str]:
    out = [f'<line class="axis" x1="{LEFT}" y1="{top}" x2="{WIDTH - RIGHT}" y2="{top}"/>']
    for year in _ticks(scale):
        x = scale.x(dt.date(year, 1, 1))
        out.append(f'<line class="tick" x1="{x}" y1="{top}" x2="{x}" y2="{top + 5}"/>')
        out.append(f'<text class="year" x="{x + 2}" y="{top + 18}">{year}</text>')
    return out


def _frame(height: float, title: str, desc: str, ident: str, body: list[str], kind: str) -> str:
    return (
        f'<svg class="timeline {kind}" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"'
        f' aria-labelledby="{ident}-t" aria-describedby="{ident}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def radius(count: int, most: int) -> float:
    """Area proportional to the count; 4 to 14 units."""
    return round(4 + 10 * math.sqrt(count / max(most, 1)), 1)


def conference_chart(marks: list[Mark], lanes: dict[str, str], *, title: str, desc: str, ident: str = "tl") -> str:
    """The archive's conferences: one lane per series (``lanes``: id → label, in display order), one circle
    per mark at its date, its area proportional to its number of dispatches."""
    if not marks:
        return ""
    scale = scale_for([m.day for m in marks])
    order = [lane for lane in lanes if any(m.lane == lane for m in marks)]
    most = max(m.count for m in marks)
    body: list[str] = []
    for i, lane in enumerate(order):
        y = i * LANE + 30
        body.append(f'<line class="lane" x1="{LEFT}" y1="{y}" x2="{WIDTH - RIGHT}" y2="{y}"/>')
        body.append(f'<text class="lane-label" x="{LEFT}" y="{y - 17}">{escape(lanes[lane])}</text>')
        for m in sorted((m for m in marks if m.lane == lane), key=lambda m: (m.day, m.id)):
            r = radius(m.count, most)
            body.append(
                f'<circle class="mark" data-conference="{escape(m.id)}" data-count="{m.count}"'
                f' cx="{scale.x(m.day)}" cy="{y}" r="{r}"><title>{escape(m.label)}: {m.count}</title></circle>'
            )
    height = len(order) * LANE + 4
    body += _axis(scale, height)
    return _frame(height + AXIS, title, desc, ident, body, "conferences")


def tenure_chart(
    spans: list[Span], appearances: list[dt.date], *, today: dt.date, title: str, desc: str, appeared: str, ident: str
) -> str:
    """A minister's roles as bars (open-ended ones run to ``today``) and a lane of ticks, one per dispatch."""
    days = [s.start for s in spans] + [s.end or today for s in spans] + appearances
    if not days:
        return ""
    scale = scale_for(days)
    body: list[str] = []
    for i, span in enumerate(spans):
        y = i * LANE + 14
        x1, x2 = scale.x(span.start), scale.x(span.end or today)
        body.append(
            f'<rect class="tenure" x="{x1}" y="{y}" width="{max(x2 - x1, 3)}" height="12" rx="3">'
            f"<title>{escape(span.label)}</title></rect>"
        )
        body.append(f'<text class="lane-label" x="{LEFT}" y="{y - 3}">{escape(span.label)}</text>')
    y = len(spans) * LANE + 14
    body.append(f'<text class="lane-label" x="{LEFT}" y="{y - 3}">{escape(appeared)}</text>')
    for day in sorted(appearances):
        x = scale.x(day)
        body.append(f'<line class="appearance" x1="{x}" y1="{y}" x2="{x}" y2="{y + 14}"/>')
    height = y + 24
    body += _axis(scale, height)
    return _frame(height + AXIS, title, desc, ident, body, "tenures")
