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
from dataclasses import dataclass, replace

from .datewords import (
    _ANNOUNCING,
    LEARNT,
    WEEKDAYS,
    YEAR_MIN,
    _Expr,
    _exprs,
    _lead_relative_day,
    _lead_weekday,
    _valid,
    day_without_month,
    lead_day_offset,
)
from .events import ConferenceMention
from .frontmatter import iso_date
from .ingest import Dispatch
from .mentions import PersonMention
from .taxonomy import Conference, Taxonomy, fold


@dataclass(frozen=True)
class DateResult:
    date: dt.date | None
    precision: str | None  # "day", "month" or None
    source: str  # text, stub, weekday, conference, none
    confidence: str  # high, medium, low
    partial: str | None = None  # "MM-DD" when the text gives day and month
    candidates: tuple[int, ...] = ()
    note: str = ""
    evidence: str = ""  # the words the date was read from
    preview: bool = False  # the article reports a statement announcing a later event

    def iso(self) -> str | None:
        return iso_date(self.date, self.precision)


def _role_fits(tax: Taxonomy, mentions: list[PersonMention], day: dt.date) -> bool:
    """Every named person with a role word before the name held a role of that rank on ``day``."""
    for m in mentions:
        if not m.known:
            continue
        person = tax.people[m.id]
        dated = [r for r in person.roles if r.start or r.end]
        if not dated:
            continue
        roles = person.roles_on(day)
        if not roles:
            return False
        governs = any(r.government for r in person.roles)
        if m.role_rank and m.role_rank not in ("foreign", "former", "ambassador") and governs:
            ranks = {r.rank for r in roles}
            if m.role_rank not in ranks and not (m.role_rank == "minister" and "deputy-prime-minister" in ranks):
                return False
    return True


def _conference_years(tax: Taxonomy, confs: list[ConferenceMention], month: int, day: int) -> list[int]:
    years = []
    live = [m for m in confs if not m.past]  # "les tâches fixées par la 27e Conférence" dates nothing
    named = {(k, m.number) for m in live for k in m.kinds}
    series = {k for m in live for k in m.kinds}
    for c in tax.conferences.values():
        whole_series = (c.kind, None) in named or (tax.kinds[c.kind].by_year and c.kind in series)
        if not c.start or not (whole_series or (c.kind, c.number) in named):
            continue
        for y in {c.start.year, (c.end or c.start).year}:
            when = _valid(y, month, day)
            if when and c.start - dt.timedelta(days=7) <= when <= (c.end or c.start) + dt.timedelta(days=7):
                if c.day_known or when.month == c.start.month:
                    years.append(y)
    return sorted(set(years))


_YEAR_PHRASE = re.compile(
    r"\b(?:cette\s+annee|l.annee\s+en\s+cours|debut\s+de\s+l.annee|debut\s+de\s+cette\s+annee|depuis\s+janvier)\s+"
    r"(?P<y>(?:19|20)\d\d)\b"
)


def _text_year(d: Dispatch) -> int | None:
    """An explicit current-year phrase ("depuis le début de l'année 2023", "cette année 2018")."""
    for para in d.paragraphs:
        m = _YEAR_PHRASE.search(fold(para))
        if m:
            return int(m.group("y"))
    return None


def _main_expr(d: Dispatch) -> tuple[_Expr | None, str]:
    """The expression that dates the article's own event, and why; ``None`` for a preview with no day."""
    dateline = [e for e in _exprs(d.dateline_when or "") if not e.historic]
    lead_all = _exprs(d.paragraphs[0]) if d.paragraphs else []
    lead = [e for e in lead_all if not e.historic]
    if not lead and d.paragraphs and LEARNT.search(fold(d.paragraphs[0])):
        lead = lead_all  # "lors du sommet, qui s'était tenu le 29 avril, a-t-on appris mardi": the event's day
    rest = [e for p in list(d.paragraphs[1:]) + list(d.captions) for e in _exprs(p) if not e.historic]
    announces = bool(d.paragraphs) and bool(_ANNOUNCING.search(fold(d.paragraphs[0])))
    if not dateline and lead and (lead[0].future or (announces and lead[0].said)):
        said = [e for e in lead if e.said] or [e for e in lead if not e.future]
        return (said[0], _PREVIEW_DAY) if said else (None, _PREVIEW_NO_DAY)
    if not dateline and not lead and announces:
        return None, _PREVIEW_NO_DAY
    events = [e for e in lead if not e.future and not e.said] + [e for e in lead if e.said]
    # a day within a visit's span first ("Dans le cadre de sa visite, du 7 au 12 avril, … a eu lundi 8 avril")
    frames = [f for f in events if f.framing]
    inside = [e for e in events if frames and any(f.month == e.month and 0 < e.day - f.day <= 14 for f in frames)]
    events = inside + [e for e in events if e not in inside] if inside else events
    if dateline:
        filed_year = d.stub[0] if d.stub else d.timestamp[0] if d.timestamp else None
        near = [
            e
            for e in events
            if dt.date(2000, e.month, e.day) <= dt.date(2000, dateline[0].month, dateline[0].day)
            and not (e.year and filed_year and e.year != filed_year)  # "la Fête nationale du 2 septembre 1945"
        ]
        # "Hanoi, 18 novembre – Après la réunion des 15 et 16 novembre, … samedi 18 novembre": the dateline's day
        # written in the lead is the event's; an earlier one alone means the dateline gives a later day
        if near and all((e.month, e.day) != (dateline[0].month, dateline[0].day) for e in near):
            return near[0], "the lead's date of the event (the dateline gives a later day)"
        return dateline[0], _DATELINE
    if events:
        return events[0], _FIRST_OF_LEAD
    headline = [e for e in _exprs(d.title) if not e.year and not e.future] if not d.title_derived else []
    if headline:
        return headline[0], _HEADLINE  # "ASEAN-36 (26 juin) : …" and a lead that says only "ce vendredi"
    filed = d.timestamp or d.stub
    alone = day_without_month(d, filed[1]) if filed else None
    if alone:
        return alone, "a day of the filing month in the lead"
    others = [e for e in rest if not e.future]
    return (others[0], _FIRST_OF_ARTICLE) if others else (None, "no date in the text")


_FIRST_OF_LEAD = "the first date of the lead"
_HEADLINE = "the headline's date"
_PREVIEW_DAY = "the day of the statement announcing the event"
_PREVIEW_NO_DAY = "a preview: the text never gives the day of the statement"


def resolve_date(
    d: Dispatch, tax: Taxonomy, people: list[PersonMention], confs: list[ConferenceMention], today: dt.date
) -> DateResult:
    """The main event's date: its day and month from the text, its year from the best source there is."""
    e, why = _main_expr(d)
    preview = why in (_PREVIEW_DAY, _PREVIEW_NO_DAY)
    lead_weekday, shift = _lead_weekday(d), _lead_relative_day(d)
    weekday, last_week = lead_weekday or (None, False)
    if shift == 0 and weekday:
        shift = None  # "le ministre a reçu mardi l'ambassadeur, pays qui est aujourd'hui…": the weekday dates it
    if e is None or (why == _FIRST_OF_ARTICLE and (weekday or shift is not None)):
        # the lead dates its event only by a weekday or "hier": the rest's dates are background
        by_lead = _dated_by_the_lead_alone(d, tax, confs, weekday, shift, last_week)
        if by_lead is not None or e is None:
            return replace(by_lead or _without_day(d, why), preview=preview)
    e = _with_what_the_text_adds(e, d)
    if why in (_DATELINE, _HEADLINE) and e.weekday is None and weekday and shift is None and not last_week:
        # "WASHINGTON, 24 juin (VNA) – … a eu mardi …": the dateline's day is the lead's Tuesday ("lundi dernier"
        # is before it)
        e = replace(e, weekday=WEEKDAYS[weekday])
    found = _dated_by(d, e, why, tax, people, confs, today, shift)
    offset = lead_day_offset(d, e.text) if why == _FIRST_OF_LEAD else 0
    if offset and found.date and found.precision == "day":
        when = found.date + dt.timedelta(days=offset)
        word = {1: "le lendemain", 2: "le surlendemain"}.get(offset, "la veille")
        found = replace(found, date=when, partial=f"{when.month:02d}-{when.day:02d}", note=f"{found.note}; « {word} »")
    return replace(found, preview=preview)


def _dated_by_the_lead_alone(
    d: Dispatch,
    tax: Taxonomy,
    confs: list[ConferenceMention],
    weekday: str | None,
    shift: int | None,
    last_week: bool,
) -> DateResult | None:
    if shift is not None:
        counted_back = _before_reference(d, shift)
        if counted_back is not None:
            return counted_back
    return _weekday_day(d, tax, confs, weekday, last_week) if weekday else None


def _dated_by(
    d: Dispatch,
    e: _Expr,
    why: str,
    tax: Taxonomy,
    people: list[PersonMention],
    confs: list[ConferenceMention],
    today: dt.date,
    shift: int | None,
) -> DateResult:
    """The date ``e`` gives, its year found; a dateline's day moved back by the lead's "hier"."""
    partial = f"{e.month:02d}-{e.day:02d}"
    found = _year_of(d, e, tax, people, confs, today)
    if isinstance(found, DateResult):
        return replace(found, partial=partial, evidence=e.text)
    year, source, note = found
    when = _valid(year, e.month, e.day)
    confidence = "high" if source == "text" and e.year else "medium"
    if when and why == _DATELINE and shift:
        when -= dt.timedelta(days=shift)
        note += f"; the lead's event was {shift} day(s) before the dateline's"
        partial = f"{when.month:02d}-{when.day:02d}"
    return DateResult(when, "day", source, confidence, partial, note=f"{why}; {note}", evidence=e.text)


_DATELINE = "the dateline"
_FIRST_OF_ARTICLE = "the first date of the article"


def _before_reference(d: Dispatch, shift: int) -> DateResult | None:
    """The filing day a relative word counts from (the full date stub, else the publication timestamp), moved back."""
    filed = _filing_day(d)
    if filed is None:
        return None
    day, source, what = filed
    note = f"the lead's event {shift} day(s) before {what}" if shift else f"the day of {what}"
    return DateResult(day - dt.timedelta(days=shift), "day", source, "medium", note=note)


def _filing_day(d: Dispatch) -> tuple[dt.date, str, str] | None:
    """The day the dispatch was filed, its source and what it is: the full date stub, else the publication timestamp."""
    if d.stub and d.stub[2]:
        return dt.date(d.stub[0], d.stub[1], d.stub[2]), "stub", "the scraper's date stub"
    if d.timestamp:
        return dt.date(*d.timestamp), "text", "the publication timestamp"
    return None


def _with_what_the_text_adds(e: _Expr, d: Dispatch) -> _Expr:
    """The same day written again in the lead with its year or weekday ("Phnom Penh, 10 janvier" then "le mercredi
    10 janvier 2018"): what that adds. Only the lead: later, the same day and month may be an anniversary."""
    if d.stub or d.timestamp:
        return e  # the filing date gives the year; a year in the lead may be an anniversary's ("du 2 septembre 1945")
    for other in (x for x in _exprs(d.paragraphs[0] if d.paragraphs else "") if not x.historic and not x.future):
        if (other.day, other.month) == (e.day, e.month):
            e = replace(e, year=e.year or other.year, weekday=e.weekday if e.weekday is not None else other.weekday)
    return e


def _without_day(d: Dispatch, why: str) -> DateResult:
    stub = d.stub
    if stub and stub[2] and why == "no date in the text":
        return DateResult(
            dt.date(stub[0], stub[1], stub[2]), "day", "stub", "medium", note="day from the scraper's date stub"
        )
    if stub:
        note = f"{why}; month from the date stub"
        return DateResult(dt.date(stub[0], stub[1], 1), "month", "stub", "low", note=note)
    if d.timestamp and why == "no date in the text":
        return DateResult(dt.date(*d.timestamp), "day", "text", "medium", note="publication timestamp")
    return DateResult(None, None, "none", "low", note=why)


def _weekday_day(
    d: Dispatch, tax: Taxonomy, confs: list[ConferenceMention], name: str, last_week: bool = False
) -> DateResult | None:
    """ "s'est ouverte mardi" with no day: the last such weekday on or before the full stub or the publication
    timestamp ("16/11/2018 00:35" and "jeudi": the 15th; "lundi dernier": before it), or the reported conference's
    day."""
    weekday = WEEKDAYS[name]
    filed = _filing_day(d)
    if filed is not None:
        day, source, what = filed
        back = (day.weekday() - weekday) % 7 or (7 if last_week else 0)
        note = f"the last {name} {'before' if last_week else 'on or before'} {what}"
        return DateResult(day - dt.timedelta(days=back), "day", source, "medium", note=note)
    if d.stub is None:
        return None
    sy, sm, _ = d.stub
    days = sorted(
        {
            c.start + dt.timedelta(days=i)
            for c in _reported_instances(tax, confs, sy, sm)
            if c.start and c.day_known
            for i in range(-1, ((c.end or c.start) - c.start).days + 1)
            if (c.start + dt.timedelta(days=i)).weekday() == weekday
        }
    )
    days = [x for x in days if (x.year, x.month) == (sy, sm)]
    if len(days) == 1:
        return DateResult(
            days[0], "day", "conference", "medium", note=f"the {name} of the reported conference's known dates"
        )
    return None


def _reported_instances(tax: Taxonomy, confs: list[ConferenceMention], year: int, month: int) -> list[Conference]:
    out = []
    for m in confs:
        if m.paragraph > 1:
            continue
        for c in tax.instances(m.kinds[0]):
            if (
                c.start
                and (m.number in (None, c.number) or tax.kinds[c.kind].by_year)
                and (c.start.year, c.start.month) == (year, month)
            ):
                out.append(c)
    return out


def _year_of(
    d: Dispatch, e: _Expr, tax: Taxonomy, people: list[PersonMention], confs: list[ConferenceMention], today: dt.date
) -> tuple[int, str, str] | DateResult:
    """The year of the main expression, in the order text > stub > weekday > conference; else a low result."""
    if e.year:
        return e.year, "text", "year written with the date"
    if d.timestamp:
        ty, tm, _ = d.timestamp
        return (ty - 1 if e.month > tm + 1 else ty), "text", "year from the publication timestamp"
    text_year = _text_year(d)
    if text_year:
        return text_year, "text", "year from a current-year phrase in the text"
    if d.stub:
        sy, sm, _ = d.stub
        year = sy - 1 if (sm == 1 and e.month == 12) else sy + 1 if (sm == 12 and e.month == 1) else sy
        if min((sm - e.month) % 12, (e.month - sm) % 12) <= 1 and _valid(year, e.month, e.day):
            return year, "stub", "year from the date stub"
    return _year_from_context(e, tax, people, confs, today)


def _weekday_years(e: _Expr, tax: Taxonomy, people: list[PersonMention], today: dt.date) -> tuple[list[int], list[int]]:
    """The years (up to ``today``) whose calendar puts ``e``'s day on its weekday, and those the roles also fit."""
    weekday_fits = [
        y
        for y in range(YEAR_MIN, today.year + 2)
        if (w := _valid(y, e.month, e.day)) and w.weekday() == e.weekday and w <= today
    ]
    fitting = [y for y in weekday_fits if _role_fits(tax, people, dt.date(y, e.month, e.day))]
    if not fitting:
        # the reference data knows a foreigner's offices less well ("Hun Sen, président du Parti du peuple
        # cambodgien", between two offices it lists): the Vietnamese government's members alone
        members = [m for m in people if m.known and any(r.government for r in tax.people[m.id].roles)]
        fitting = [y for y in weekday_fits if _role_fits(tax, members, dt.date(y, e.month, e.day))]
    return weekday_fits, fitting


def _year_from_context(
    e: _Expr, tax: Taxonomy, people: list[PersonMention], confs: list[ConferenceMention], today: dt.date
) -> tuple[int, str, str] | DateResult:
    candidates: list[int] = []
    conf_years = _conference_years(tax, confs, e.month, e.day)
    if e.weekday is not None:
        candidates, fitting = _weekday_years(e, tax, people, today)
        if len(fitting) > 1 and conf_years:
            fitting = [y for y in fitting if y in conf_years] or fitting
        if len(fitting) == 1:
            return fitting[0], "weekday", "the only year whose weekday and roles fit"
        candidates = fitting or candidates
        conf_years = [y for y in conf_years if y in candidates]
    if len(conf_years) > 1:
        conf_years = [y for y in conf_years if _role_fits(tax, people, dt.date(y, e.month, e.day))] or conf_years
    if len(conf_years) == 1:
        return conf_years[0], "conference", "year from the known dates of the conference reported"
    years = ", ".join(map(str, candidates[-6:])) if candidates else "any"
    note = f"the year of {e.day:02d}/{e.month:02d} cannot be fixed (fits: {years})"
    return DateResult(None, None, "none", "low", candidates=tuple(candidates), note=note)
