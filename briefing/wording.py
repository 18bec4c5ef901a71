"""What the templates say, per language: counts with CLDR plural rules, labels with each language's
punctuation, dates and date ranges, English place names, and the timelines drawn for a page.

Babel holds the rules (plural categories, date and interval patterns, number grouping); the interface
strings hold the words. A count string is a mapping of CLDR categories, e.g. ``{one: "{n} dispatch",
other: "{n} dispatches"}``; French punctuation spacing lives in the French strings, so English never
gets it.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from babel import Locale
from babel.dates import format_date, format_interval
from babel.numbers import format_decimal
from markupsafe import Markup

from . import timeline
from .taxonomy import Conference, Person, Taxonomy


class Wording:
    def __init__(self, lang: str, strings: dict[str, Any], tax: Taxonomy) -> None:
        self.lang, self.t, self.tax = lang, strings, tax
        self.locale = Locale.parse(lang)
        places = {term.fr: term.en for term in tax.places} if lang == "en" else {}
        self.places = {**places, **(strings.get("place_names") or {})}

    def count(self, key: str, n: int) -> str:
        """``count("dispatches", 2)`` → "2 dispatches" / "2 dépêches"; "1 dispatch" / "1 dépêche"."""
        forms = self.t[key]
        form = forms.get(self.locale.plural_form(n), forms["other"])
        return str(form).format(n=format_decimal(n, locale=self.lang))

    def number(self, n: int) -> str:
        return format_decimal(n, locale=self.lang)

    def label(self, key: str) -> str:
        """A label followed by its colon, spaced as the language wants ("Source :" / "Source:")."""
        return str(self.t[key]) + str(self.t["colon"])

    def place(self, name: str | None) -> str:
        if not name:
            return ""
        return str(self.places.get(name, name))

    def day(self, day: dt.date | None, precision: str | None = "day") -> str:
        if day is None:
            return str(self.t["date_unknown"])
        return _date(day, "MMMM y" if precision == "month" else "long", self.lang)

    def dates(self, c: Conference) -> str:
        """A conference's dates: "19–23 décembre 2023" / "Dec 19 – 23, 2023"; a month when the day is unknown."""
        if c.start is None:
            return ""
        if not c.day_known:
            return _date(c.start, "MMMM y", self.lang)
        if c.end is None or c.end == c.start:
            return _date(c.start, "long", self.lang)
        return _interval(c.start, c.end, self.lang)

    def kind_name(self, kind: str) -> str:
        k = self.tax.kinds.get(kind)
        return getattr(k, self.lang) if k else kind

    def person_name(self, p: Person) -> str:
        return p.name if self.lang == "fr" else p.en

    def conference_chart(self, marks: tuple[timeline.Mark, ...], lanes: dict[str, str]) -> Markup:
        title = str(self.t["timeline_title"])
        desc = self.count("timeline_desc", len(marks))
        return Markup(timeline.conference_chart(list(marks), lanes, title=title, desc=desc, ident="archive-tl"))

    def tenure_chart(self, p: Person, appearances: tuple[dt.date, ...]) -> Markup:
        spans = [timeline.Span(getattr(r, self.lang), r.start, r.end) for r in p.roles if r.start]
        dated = [*appearances, *(r.end for r in p.roles if r.end), *(r.start for r in p.roles if r.start)]
        today = max(dated, default=None) or dt.date.today()  # the last date known: the same page every build
        svg = timeline.tenure_chart(
            spans,
            list(appearances),
            today=today,
            title=str(self.t["tenure_title"]).format(name=self.person_name(p)),
            desc=self.count("tenure_desc", len(appearances)),
            appeared=str(self.t["appearances"]),
            ident="person-tl",
        )
        return Markup(svg)


@functools.lru_cache(maxsize=8192)
def _date(day: dt.date, fmt: str, lang: str) -> str:
    return format_date(day, fmt, locale=lang)


@functools.lru_cache(maxsize=2048)
def _interval(start: dt.date, end: dt.date, lang: str) -> str:
    return format_interval(start, end, "yMMMMd", locale=lang)
