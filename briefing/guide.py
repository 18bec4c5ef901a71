"""The pages that help a reader follow one event or one minister over the years (pure): conference pages with
their series, dates and phases; series pages; minister pages with role history, years and conferences;
printable dossiers; and the related dispatches under an article.

Only conferences and people that have dispatches get pages; a series page lists every known instance of
its kind and links those with a page.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .frontmatter import iso_date
from .pages import Page, Summary, dossier_url, paginate, url_for
from .sources import Article
from .taxonomy import Conference, Person, Taxonomy
from .timeline import Mark

RELATED = 5  # dispatches shown under an article


def lookup_conference(tax: Taxonomy, cid: str) -> Conference | None:
    """The one place the site looks a conference up (an article may name one the taxonomy does not declare)."""
    return tax.conference(cid)


@dataclass(frozen=True)
class Day:
    """The dispatches of one day on a conference page, and where that day falls against the event."""

    date: dt.date | None
    precision: str | None
    phase: str | None  # "before", "during", "after", or None when either date is not known to the day
    items: tuple[Summary, ...]

    @property
    def iso_date(self) -> str | None:
        return iso_date(self.date, self.precision)


@dataclass(frozen=True)
class Year:
    year: int | None
    items: tuple[Summary, ...]


def phase(conf: Conference, day: dt.date | None, precision: str | None) -> str | None:
    if conf.start is None or not conf.day_known or day is None or precision != "day":
        return None
    if day < conf.start:
        return "before"
    if day > (conf.end or conf.start):
        return "after"
    return "during"


def by_day(conf: Conference) -> Callable[[list[Summary]], list[Day]]:
    def group(items: list[Summary]) -> list[Day]:
        days: list[Day] = []
        for s in items:
            if days and days[-1].date == s.date and days[-1].precision == s.date_precision:
                days[-1] = Day(s.date, s.date_precision, days[-1].phase, days[-1].items + (s,))
            else:
                days.append(Day(s.date, s.date_precision, phase(conf, s.date, s.date_precision), (s,)))
        return days

    return group


def by_year(items: list[Summary]) -> list[Year]:
    years: list[Year] = []
    for s in items:
        y = s.date.year if s.date else None
        if years and years[-1].year == y:
            years[-1] = Year(y, years[-1].items + (s,))
        else:
            years.append(Year(y, (s,)))
    return years


def _newest(c: Conference) -> tuple[dt.date, int]:
    return (c.start or dt.date.min, c.number)


def series_of(tax: Taxonomy, with_pages: list[Conference]) -> dict[str, list[Conference]]:
    """Every known instance of each kind that has at least one page, newest first."""
    kinds = {c.kind for c in with_pages}
    out: dict[str, dict[str, Conference]] = {k: {} for k in kinds}
    for c in tax.conferences.values():
        if c.kind in out:
            out[c.kind][c.id] = c
    for c in with_pages:
        out[c.kind].setdefault(c.id, c)
    return {k: sorted(v.values(), key=_newest, reverse=True) for k, v in out.items()}


def neighbours(series: list[Conference], cid: str) -> tuple[Conference | None, Conference | None]:
    """(previous, next) instance of a series listed newest first."""
    i = next(i for i, c in enumerate(series) if c.id == cid)
    return (series[i + 1] if i + 1 < len(series) else None, series[i - 1] if i > 0 else None)


def marks(lang: str, conferences: list[Conference], by_conf: dict[str, list[Article]]) -> tuple[Mark, ...]:
    """One timeline mark per conference with dispatches: at its opening, or its first dispatch if undated."""
    out = []
    for c in conferences:
        arts = by_conf[c.id]
        day = c.start or min((a.date for a in arts if a.date), default=None)
        if day is not None:
            out.append(Mark(c.id, c.name(lang), c.kind, day, len(arts)))
    return tuple(out)


class Related:
    """The dispatches shown under an article: same conference first, then same ministers; within each, the
    nearest in time. Groups are sorted by date, so the nearest are the article's neighbours in its group."""

    def __init__(self, by_conf: dict[str, list[Article]], by_min: dict[str, list[Article]]) -> None:
        self.by_conf, self.by_min = by_conf, by_min
        self._where: dict[int, dict[int, int]] = {}  # id(group) → id(article) → index

    def _window(self, a: Article, group: list[Article]) -> list[Article]:
        where = self._where.get(id(group))
        if where is None:
            where = self._where[id(group)] = {id(b): i for i, b in enumerate(group)}
        i = where[id(a)]
        return group[max(0, i - RELATED) : i + RELATED + 1]

    def of(self, a: Article) -> list[Article]:
        def distance(b: Article) -> int:
            return abs((b.date - a.date).days) if a.date and b.date else 1 << 30

        out: list[Article] = []
        seen = {a.slug}
        groups = [self.by_conf[c] for c in a.conferences if c in self.by_conf]
        groups += [self.by_min[p] for p in a.ministers if p in self.by_min]
        for group in groups:
            for b in sorted(self._window(a, group), key=distance):
                if b.slug not in seen and len(out) < RELATED:
                    seen.add(b.slug)
                    out.append(b)
        return out


@dataclass(frozen=True)
class Language:
    """One language's articles as the guide pages need them."""

    lang: str
    per_page: int
    by_conf: dict[str, list[Article]]  # newest first
    by_min: dict[str, list[Article]]
    summary: Callable[[Article], Summary]


def conference_pages(
    tax: Taxonomy, g: Language, conferences: list[Conference], series: dict[str, list[Conference]]
) -> list[Page]:
    lang, pages = g.lang, []
    for c in conferences:
        arts = g.by_conf[c.id]
        prev, nxt = neighbours(series[c.kind], c.id)
        people = Counter(p for a in arts for p in a.ministers if p in tax.people)
        ctx = {
            "conference": c,
            "kind_name": getattr(tax.kinds[c.kind], lang) if c.kind in tax.kinds else c.kind,
            "prev": prev,
            "next": nxt,
            "with_page": tuple(x.id for x in (prev, nxt) if x is not None and x.id in g.by_conf),
            "people": tuple((tax.people[p], n) for p, n in sorted(people.items(), key=lambda kv: (-kv[1], kv[0]))),
            "dossier_url": dossier_url(lang, "conference", c.id),
            "total": len(arts),
        }
        chrono = [g.summary(a) for a in reversed(arts)]
        pages += paginate(
            url_for(lang, "conference", c.id),
            lang,
            ("conference", c.id),
            "conference.html",
            chrono,
            g.per_page,
            ctx,
            by_day(c),
        )
        pages.append(_dossier(lang, "conference", c.id, c.name(lang), arts))
    return pages


def series_pages(tax: Taxonomy, g: Language, series: dict[str, list[Conference]]) -> list[Page]:
    lang = g.lang
    counts = {cid: len(v) for cid, v in g.by_conf.items()}
    order = [k for k in tax.kinds if k in series] + sorted(k for k in series if k not in tax.kinds)
    names = {k: getattr(tax.kinds[k], lang) if k in tax.kinds else k for k in order}
    pages = [
        Page(
            url_for(lang, "series"),
            lang,
            ("series",),
            "series_index.html",
            {"kinds": tuple((k, names[k], sum(counts.get(c.id, 0) for c in series[k])) for k in order)},
        )
    ]
    for k in order:
        pages.append(
            Page(
                url_for(lang, "series", k),
                lang,
                ("series", k),
                "series.html",
                {"kind_id": k, "kind_name": names[k], "instances": tuple(series[k]), "counts": counts},
            )
        )
    return pages


def minister_pages(tax: Taxonomy, g: Language, ministers: list[Person]) -> list[Page]:
    lang, pages = g.lang, []
    for p in ministers:
        arts = g.by_min[p.id]
        confs = Counter(c for a in arts for c in a.conferences if c in g.by_conf)
        found = [(lookup_conference(tax, c), n) for c, n in confs.items()]
        ctx = {
            "person": p,
            "role_date": arts[0].date,
            "conferences": tuple(sorted(((c, n) for c, n in found if c), key=lambda cn: _newest(cn[0]), reverse=True)),
            "appearances": tuple(sorted(a.date for a in arts if a.date)),
            "dossier_url": dossier_url(lang, "minister", p.id),
            "total": len(arts),
        }
        pages += paginate(
            url_for(lang, "minister", p.id),
            lang,
            ("minister", p.id),
            "minister.html",
            [g.summary(a) for a in arts],
            g.per_page,
            ctx,
            by_year,
        )
        pages.append(_dossier(lang, "minister", p.id, p.name if lang == "fr" else p.en, arts))
    return pages


def _dossier(lang: str, kind: str, ident: str, name: str, newest_first: list[Article]) -> Page:
    """Every dispatch of a conference or minister on one printable page, oldest first."""
    return Page(
        dossier_url(lang, kind, ident),
        lang,
        ("dossier", kind, ident),
        "dossier.html",
        {"subject": name, "subject_url": url_for(lang, kind, ident), "dossier": list(reversed(newest_first))},
    )
