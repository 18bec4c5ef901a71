"""The event date of a dispatch, and how sure we are of it.

The copy rarely writes a year ("lundi 13 décembre"). The year is taken, in this order, from:
the text itself (a full date, a publication timestamp), the `` date YYYY-MM[-DD]`` stub the
scraper glued to the first line, the weekday (which fits only some years; the roles the text
gives its people narrow those further), and the known dates of the conference reported. What
cannot be fixed is left open and flagged (``date_confidence: low``), never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .events import ConferenceMention
from .frontmatter import iso_date
from .ingest import Dispatch
from .mentions import PersonMention
from .taxonomy import Taxonomy, fold

MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
_MONTH = "|".join(MONTHS)
_DATE = re.compile(
    rf"(?:(?P<wd>{'|'.join(WEEKDAYS)})\s+)?(?:du\s+(?P<d1>\d{{1,2}}|1er)\s+au\s+)?(?P<d>\d{{1,2}}|1er)\s+"
    rf"(?P<m>{_MONTH})\b(?:\s+(?P<y>(?:19|20)\d\d))?"
)
# a date that is not the event's: a deadline, the end of a range, a past reference
_NOT_EVENT = re.compile(
    r"(?:jusqu.(?:au|a)|depuis\s+le|avant\s+le|d.ici\s+le|devra\s+commencer\s+le|"
    r"debutera\s+le|commencera\s+le|prevue?s?\s+(?:pour\s+)?(?:le\s+)?|a\s+partir\s+du|fin|"
    r"au\s+cours\s+de|date\s+du)\s*$"
)
YEAR_MIN = 1990


@dataclass(frozen=True)
class DateResult:
    date: dt.date | None
    precision: str | None  # "day", "month" or None
    source: str  # text, stub, weekday, conference, none
    confidence: str  # high, medium, low
    partial: str | None = None  # "MM-DD" when the text gives day and month
    candidates: tuple[int, ...] = ()
    note: str = ""

    def iso(self) -> str | None:
        return iso_date(self.date, self.precision)


@dataclass(frozen=True)
class _Expr:
    day: int
    month: int
    year: int | None
    weekday: int | None


def _exprs(text: str) -> list[_Expr]:
    folded = fold(text)
    out = []
    for m in _DATE.finditer(folded):
        if _NOT_EVENT.search(folded[max(0, m.start() - 30) : m.start()]):
            continue
        d = m.group("d1") or m.group("d")
        day = 1 if d == "1er" else int(d)
        month = MONTHS[m.group("m")]
        year = int(m.group("y")) if m.group("y") else None
        wd = WEEKDAYS[m.group("wd")] if m.group("wd") else None
        try:
            dt.date(year or 2000, month, day)
        except ValueError:
            continue
        out.append(_Expr(day, month, year, wd))
    return out


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _role_fits(tax: Taxonomy, mentions: list[PersonMention], day: dt.date) -> bool:
    """Every named person with a role word before the name held a role of that rank on ``day``."""
    for m in mentions:
        person = tax.people[m.id]
        dated = [r for r in person.roles if r.start or r.end]
        if not dated:
            continue
        roles = person.roles_on(day)
        if not roles:
            return False
        if m.role_rank and m.role_rank != "foreign":
            ranks = {r.rank for r in roles}
            if m.role_rank not in ranks and not (m.role_rank == "minister" and "deputy-prime-minister" in ranks):
                return False
    return True


def _conference_years(tax: Taxonomy, confs: list[ConferenceMention], month: int, day: int) -> list[int]:
    years = []
    for c in tax.conferences.values():
        if not c.start or not any(
            c.kind in m.kinds and (m.number in (None, c.number) or tax.kinds[c.kind].by_year) for m in confs
        ):
            continue
        for y in {c.start.year, (c.end or c.start).year}:
            when = _valid(y, month, day)
            if when and c.start - dt.timedelta(days=7) <= when <= (c.end or c.start) + dt.timedelta(days=7):
                if c.day_known or when.month == c.start.month:
                    years.append(y)
    return sorted(set(years))


def resolve_date(
    d: Dispatch, tax: Taxonomy, people: list[PersonMention], confs: list[ConferenceMention], today: dt.date
) -> DateResult:
    """The main event's date from the dateline, the lead, then the rest of the article."""
    exprs: list[_Expr] = []
    if d.dateline_when:
        exprs += _exprs(d.dateline_when)
    for para in d.paragraphs:
        exprs += _exprs(para)
    for cap in d.captions:
        exprs += _exprs(cap)
    stub = d.stub

    if not exprs:
        if stub and stub[2]:
            return DateResult(dt.date(*stub), "day", "stub", "medium", note="day from the scraper's date stub")
        if stub:
            return DateResult(
                dt.date(stub[0], stub[1], 1),
                "month",
                "stub",
                "medium",
                note="the text gives no day; month from the date stub",
            )
        if d.timestamp:
            return DateResult(dt.date(*d.timestamp), "day", "text", "medium", note="publication timestamp")
        return DateResult(None, None, "none", "low", note="no date in the text")

    e = exprs[0]
    partial = f"{e.month:02d}-{e.day:02d}"
    if e.year:
        when = _valid(e.year, e.month, e.day)
        return DateResult(when, "day", "text", "high", partial)
    if d.timestamp:
        ty, tm, _ = d.timestamp
        year = ty - 1 if e.month > tm + 1 else ty
        if _valid(year, e.month, e.day):
            return DateResult(
                dt.date(year, e.month, e.day),
                "day",
                "text",
                "high",
                partial,
                note="year from the publication timestamp",
            )
    if stub:
        sy, sm, _ = stub
        year = sy - 1 if (sm == 1 and e.month == 12) else sy + 1 if (sm == 12 and e.month == 1) else sy
        if abs((sm - e.month) % 12) <= 1 or abs((e.month - sm) % 12) <= 1:
            when = _valid(year, e.month, e.day)
            if when:
                return DateResult(when, "day", "stub", "high", partial)
    weekday = next((x.weekday for x in exprs if x.weekday is not None and (x.day, x.month) == (e.day, e.month)), None)
    candidates: list[int] = []
    if weekday is not None:
        for y in range(YEAR_MIN, today.year + 2):
            when = _valid(y, e.month, e.day)
            if when and when.weekday() == weekday and when <= today:
                candidates.append(y)
        fitting = [y for y in candidates if _role_fits(tax, people, dt.date(y, e.month, e.day))]
        conf_years = _conference_years(tax, confs, e.month, e.day)
        if len(fitting) > 1 and conf_years:
            fitting = [y for y in fitting if y in conf_years] or fitting
        if len(fitting) == 1:
            return DateResult(dt.date(fitting[0], e.month, e.day), "day", "weekday", "high", partial, tuple(candidates))
        candidates = fitting or candidates
    conf_years = _conference_years(tax, confs, e.month, e.day)
    if weekday is not None:
        conf_years = [y for y in conf_years if y in candidates]
    if len(conf_years) == 1:
        return DateResult(
            dt.date(conf_years[0], e.month, e.day), "day", "conference", "medium", partial, tuple(candidates)
        )
    years = ", ".join(map(str, candidates[-6:])) if candidates else "any"
    return DateResult(
        None,
        None,
        "none",
        "low",
        partial,
        tuple(candidates),
        note=f"the year of {e.day:02d}/{e.month:02d} cannot be fixed (fits: {years})",
    )
