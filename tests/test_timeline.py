"""The timelines drawn at build time (briefing/timeline.py): pure functions, tested on their markup."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from briefing import timeline
from briefing.timeline import Mark, Span

SVG = "{http://www.w3.org/2000/svg}"


def _marks() -> list[Mark]:
    return [
        Mark("conference-diplomatique-31", "31st Diplomatic Conference", "cd", dt.date(2021, 12, 15), 3),
        Mark("conference-diplomatique-32", "32nd Diplomatic Conference", "cd", dt.date(2023, 12, 19), 1),
        Mark("amm-57", "AMM-57 <Vientiane> & co", "amm", dt.date(2024, 7, 24), 12),
    ]


def test_conference_chart_has_one_mark_per_conference_and_an_accessible_name():
    svg = timeline.conference_chart(
        _marks(), {"cd": "Diplomatic Conference", "amm": "AMM"}, title="Conferences", desc="Three.", ident="t"
    )
    root = ET.fromstring(svg)  # well-formed XML: labels are escaped
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "t-t" and root.get("aria-describedby") == "t-d"
    assert root.find(f"{SVG}title").text == "Conferences" and root.find(f"{SVG}desc").text == "Three."
    circles = root.findall(f".//{SVG}circle")
    assert [c.get("data-conference") for c in circles] == [
        "conference-diplomatique-31",
        "conference-diplomatique-32",
        "amm-57",
    ]
    assert [c.get("data-count") for c in circles] == ["3", "1", "12"]
    assert "AMM-57 <Vientiane> & co: 12" in [c.find(f"{SVG}title").text for c in circles]
    labels = [t.text for t in root.findall(f"{SVG}text")]
    assert labels[:2] == ["Diplomatic Conference", "AMM"]  # one lane per series, in the order given
    assert {"2021", "2022", "2023", "2024"} <= set(labels)


def test_marks_sit_in_time_order_and_grow_with_their_count():
    svg = timeline.conference_chart(_marks(), {"cd": "DC", "amm": "AMM"}, title="x", desc="y")
    xs = {m: float(x) for m, x in re.findall(r'data-conference="([^"]+)"[^>]* cx="([\d.]+)"', svg)}
    assert xs["conference-diplomatique-31"] < xs["conference-diplomatique-32"] < xs["amm-57"]
    assert timeline.radius(1, 12) < timeline.radius(3, 12) < timeline.radius(12, 12) == 14
    assert timeline.conference_chart([], {}, title="x", desc="y") == ""


def test_tenure_chart_draws_one_bar_per_role_and_one_tick_per_dispatch():
    spans = [
        Span("Deputy Minister", dt.date(2009, 1, 1), dt.date(2021, 4, 7)),
        Span("Minister", dt.date(2021, 4, 8), None),
    ]
    days = [dt.date(2021, 12, 13), dt.date(2023, 12, 18), dt.date(2023, 12, 19)]
    svg = timeline.tenure_chart(
        spans, days, today=dt.date(2024, 1, 1), title="Roles", desc="Bars", appeared="Dispatches", ident="p"
    )
    root = ET.fromstring(svg)
    bars = root.findall(f"{SVG}rect")
    assert [b.find(f"{SVG}title").text for b in bars] == ["Deputy Minister", "Minister"]
    assert float(bars[0].get("x")) < float(bars[1].get("x"))
    ticks = root.findall(f"{SVG}line[@class='appearance']")
    assert len(ticks) == 3
    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Roles"


def test_an_open_role_runs_to_today():
    scale = timeline.scale_for([dt.date(2020, 1, 1), dt.date(2024, 12, 31)])
    svg = timeline.tenure_chart(
        [Span("Minister", dt.date(2020, 1, 1), None)],
        [],
        today=dt.date(2024, 12, 31),
        title="t",
        desc="d",
        appeared="a",
        ident="p",
    )
    bar = ET.fromstring(svg).find(f"{SVG}rect")
    assert float(bar.get("x")) + float(bar.get("width")) == scale.x(dt.date(2024, 12, 31))
