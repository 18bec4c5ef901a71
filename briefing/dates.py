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

from .events import ConferenceMention
from .frontmatter import iso_date
from .ingest import Dispatch
from .mentions import PersonMention
from .taxonomy import Conference, Taxonomy, fold

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
_DAY = r"(?:\d{1,2}|1er)"
_WD = rf"(?:(?P<wd>{'|'.join(WEEKDAYS)})\s*(?:(?:matin|soir|apres-midi|midi)\s+)?(?:\(\s*)?)?"
_DATE = re.compile(
    rf"{_WD}(?:(?:du|les)\s+(?P<d1>{_DAY})(?:\s+(?P<m1>{_MONTH}))?\s+(?:au|et)\s+|(?<![\w-])(?:les\s+)?(?P<d1h>\d{{1,2}})\s*[-–]\s*)?"
    rf"(?P<d>{_DAY})\s+(?P<m>{_MONTH})\b(?:\s+(?P<y>(?:19|20)\d\d))?"
)
# "le 3/8", "mardi 3/8/2018": day first, as French copy writes it (a bare "3/8" may be a ratio: not read)
_NUMERIC_DATE = re.compile(
    rf"(?:\b(?:le|du|ce)\s+){_WD}(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?:/(?P<y>(?:19|20)\d\d))?(?![\d/])(?!\s*(?:de\s+finale|d[eu'\s]|des\b|rue|ruelle))"
)
# a date that is not the event's: a deadline, the end of a range, a past reference
_NOT_EVENT = re.compile(
    r"(?:jusqu.(?:au|a)|depuis\s+le|avant\s+le|d.ici\s+le|devra\s+commencer\s+le|"
    r"debutera\s+le|commencera\s+le|a\s+partir\s+du|fin|au\s+cours\s+de|datee?s?\s+du|decedee?\s+le|"
    r"signee?s?\s+le|adoptee?s?\s+le|creee?s?\s+le|nee?\s+le)\s*$"
)
# the clause announces a later event ("se tiendra le 26 juin"): a preview's subject, not its own day
_FUTURE = re.compile(
    r"\b(?:se\s+tiendra|se\s+tiendront|aura\s+lieu|auront\s+lieu|s.ouvrira|s.ouvriront|se\s+deroulera|"
    r"sera\s+organisee?|doit\s+se\s+tenir|doivent\s+se\s+tenir|devrait\s+se\s+tenir|prevue?s?|"
    r"participera|participeront|assistera|se\s+rendra|effectuera|sera\s+proclamee?|doit\s+etre)\b[^,;]{0,60}$"
)
# a lead that announces what someone will do ("Le président conduira la délégation…, a annoncé jeudi…")
_ANNOUNCING = re.compile(
    r"\b(?:conduira|se\s+tiendra|aura\s+lieu|participera|assistera|se\s+rendra|effectuera|representera)\b"
    r"[^.]*\b(?:a|ont)\s+(?:annonce|indique|declare|precise|fait\s+savoir|informe)\b"
)
# the day a statement was made ("a annoncé mardi 23 juin"): a press briefing's own date
_SAID = re.compile(
    r"\b(?:a|ont)\s+(?:annonce|indique|declare|affirme|precise|fait\s+savoir|informe|souligne)\s*(?:ce\s+)?$"
)
_BACKGROUND = re.compile(r"\b(?:avait|avaient|etait|etaient|dernier|derniere)\b")
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
    evidence: str = ""  # the words the date was read from
    preview: bool = False  # the article reports a statement announcing a later event

    def iso(self) -> str | None:
        return iso_date(self.date, self.precision)


@dataclass(frozen=True)
class _Expr:
    day: int
    month: int
    year: int | None
    weekday: int | None
    text: str = ""
    future: bool = False  # the date of an event the clause announces
    said: bool = False  # the day a statement was made
    historic: bool = False  # "(2 septembre 1945)", a background fact in the pluperfect


def _exprs(text: str) -> list[_Expr]:
    folded = fold(text)
    out = []
    found = sorted([*_DATE.finditer(folded), *_NUMERIC_DATE.finditer(folded)], key=lambda m: m.start())
    for m in found:
        before = folded[max(0, m.start() - 90) : m.start()]
        if _NOT_EVENT.search(before[-30:]):
            continue
        groups = m.groupdict()
        if groups.get("d1h") and m.group("d") != "1er" and int(groups["d1h"]) >= int(m.group("d")):
            continue  # "COVID-19 - 3 mars" is not a span
        d = groups.get("d1") or groups.get("d1h") or m.group("d")
        day = 1 if d == "1er" else int(d)
        named = groups.get("m1") or m.group("m")
        month = int(named) if named.isdigit() else MONTHS[named]
        if not 1 <= month <= 12:
            continue
        year = int(m.group("y")) if m.group("y") else None
        wd = WEEKDAYS[m.group("wd")] if m.group("wd") else None
        if _valid(year or 2000, month, day) is None:
            continue
        clause = re.split(r"[,;:.!?]", before)[-1]
        after = folded[m.end() : m.end() + 12]
        historic = folded[max(0, m.start() - 1) : m.start()] == "(" or after.lstrip().startswith(")")
        # a date opening its sentence ("Le 3 mars 2019, il avait publié…") is dated by the whole sentence's verb;
        # elsewhere only its own clause counts ("les 28 et 29 juin, auquel le Vietnam avait été invité" is not)
        opens = re.fullmatch(r"\s*(?:le|en|au|depuis\s+le)?\s*", clause) is not None
        rest = re.split(r"[.;!?]" if opens else r"[,.;!?]", folded[m.end() : m.end() + 80])[0]
        historic = historic or bool(
            _BACKGROUND.search(clause) or re.search(r"\bavai(?:t|ent)\b", rest) or re.match(r"\s*dernier", after)
        )
        out.append(
            _Expr(
                day,
                month,
                year,
                wd,
                text[m.start() : m.end()],
                bool(_FUTURE.search(clause)),
                bool(_SAID.search(before)),
                historic,
            )
        )
    return out


def names_an_earlier_day(text: str, day: dt.date) -> bool:
    """Whether ``text`` (a caption) dates itself, and only days before ``day``: "lors de leurs entretiens, le 12 décembre"
    under a report of 19 December shows another event. A date without its year is taken within six months."""
    named = []
    for e in _exprs(text):
        when = _valid(e.year or day.year, e.month, e.day)
        if when and not e.year and when > day + dt.timedelta(days=183):
            when = _valid(day.year - 1, e.month, e.day)
        if when:
            named.append(when)
    return bool(named) and max(named) < day - dt.timedelta(days=2)  # the eve's arrival is the same visit


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


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
_WEEKDAY_ONLY = re.compile(rf"\b(?P<wd>{'|'.join(WEEKDAYS)})(?!\s*(?:matin|soir|apres-midi)?\s*\d)\b")


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
    lead = [e for e in _exprs(d.paragraphs[0]) if not e.historic] if d.paragraphs else []
    rest = [e for p in list(d.paragraphs[1:]) + list(d.captions) for e in _exprs(p) if not e.historic]
    announces = bool(d.paragraphs) and bool(_ANNOUNCING.search(fold(d.paragraphs[0])))
    if not dateline and lead and (lead[0].future or (announces and lead[0].said)):
        said = [e for e in lead if e.said] or [e for e in lead if not e.future]
        return (said[0], _PREVIEW_DAY) if said else (None, _PREVIEW_NO_DAY)
    if not dateline and not lead and announces:
        return None, _PREVIEW_NO_DAY
    events = [e for e in lead if not e.future and not e.said] + [e for e in lead if e.said]
    if dateline:
        near = [e for e in events if dt.date(2000, e.month, e.day) <= dt.date(2000, dateline[0].month, dateline[0].day)]
        if near and (dateline[0].month, dateline[0].day) != (near[0].month, near[0].day):
            return near[0], "the lead's date of the event (the dateline gives a later day)"
        return dateline[0], _DATELINE
    if events:
        return events[0], "the first date of the lead"
    others = [e for e in rest if not e.future]
    return (others[0], _FIRST_OF_ARTICLE) if others else (None, "no date in the text")


_PREVIEW_DAY = "the day of the statement announcing the event"
_PREVIEW_NO_DAY = "a preview: the text never gives the day of the statement"


def resolve_date(
    d: Dispatch, tax: Taxonomy, people: list[PersonMention], confs: list[ConferenceMention], today: dt.date
) -> DateResult:
    """The main event's date: its day and month from the text, its year from the best source there is."""
    e, why = _main_expr(d)
    preview = why in (_PREVIEW_DAY, _PREVIEW_NO_DAY)
    weekday, shift = _lead_weekday(d), _lead_relative_day(d)
    if shift == 0 and weekday:
        shift = None  # "le ministre a reçu mardi l'ambassadeur, pays qui est aujourd'hui…": the weekday dates it
    if e is None or (why == _FIRST_OF_ARTICLE and (weekday or shift is not None)):
        # the lead dates its event only by a weekday or "hier": the rest's dates are background
        by_lead = _dated_by_the_lead_alone(d, tax, confs, weekday, shift)
        if by_lead is not None or e is None:
            return replace(by_lead or _without_day(d, why), preview=preview)
    e = _with_what_the_text_adds(e, d)
    if why == _DATELINE and e.weekday is None and weekday and shift is None:
        # "WASHINGTON, 24 juin (VNA) – … a eu mardi …": the dateline's day is the lead's Tuesday
        e = replace(e, weekday=WEEKDAYS[weekday])
    return replace(_dated_by(d, e, why, tax, people, confs, today, shift), preview=preview)


def _dated_by_the_lead_alone(
    d: Dispatch, tax: Taxonomy, confs: list[ConferenceMention], weekday: str | None, shift: int | None
) -> DateResult | None:
    if shift is not None:
        counted_back = _before_reference(d, shift)
        if counted_back is not None:
            return counted_back
    return _weekday_day(d, tax, confs, weekday) if weekday else None


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
# "a eu hier", "s'est rendu avant-hier": the lead's event counted back from the day the dispatch was filed
_RELATIVE_DAY = re.compile(r"\b(?P<word>avant-hier|hier|aujourd.hui)\b")
_RELATIVE_SHIFT = {"avant": 2, "hier": 1, "aujou": 0}  # by the word's first letters


def _event_clause_words(d: Dispatch, pattern: re.Pattern[str]) -> re.Match[str] | None:
    """``pattern``'s first match in the lead's first sentence that dates the lead's own event: not announcing a later
    one, not closing a range, not in a quotation, a relative clause ("arrivé hier soir", "qui a participé hier")
    or a name ("Hanoï d'hier")."""
    if not d.paragraphs:
        return None
    sentence = re.split(r"(?<=[a-z0-9»)])\.\s", fold(d.paragraphs[0][:2000]))[0]
    for m in pattern.finditer(sentence):
        window = sentence[max(0, m.start() - 120) : m.start()]
        clause = re.split(r"[,;:]", window)[-1]
        after = sentence[m.end() : m.end() + 12]
        if (
            _FUTURE.search(clause)
            or _NOT_EVENT.search(clause[-30:])
            or re.match(r"\s*(?:prochain|dernier)", after)
            or window.count("«") > window.count("»")
            or re.search(r"(?:\bd'|\bqui\b|\bque\b|\bdont\b|[a-z]+(?:e|ee|es|i|is|u)\s*$)", clause.strip()[-25:] or "x")
            and not re.search(r"\b(?:a|ont|s.est|se\s+sont)\b", clause)
        ):
            continue
        return m
    return None


def _lead_weekday(d: Dispatch) -> str | None:
    """The weekday that dates the lead's event when it gives no day ("a assisté mercredi à l'ouverture")."""
    found = _event_clause_words(d, _WEEKDAY_ONLY)
    return found.group("wd") if found else None


def _lead_relative_day(d: Dispatch) -> int | None:
    """Days before the filing day that the lead's "hier" / "avant-hier" / "aujourd'hui" puts its event."""
    found = _event_clause_words(d, _RELATIVE_DAY)
    return _RELATIVE_SHIFT[found.group("word")[:5]] if found else None


def _before_reference(d: Dispatch, shift: int) -> DateResult | None:
    """The filing day a relative word counts from (the full date stub, else the publication timestamp), moved back."""
    if d.stub and d.stub[2]:
        day, source, what = dt.date(d.stub[0], d.stub[1], d.stub[2]), "stub", "the scraper's date stub"
    elif d.timestamp:
        day, source, what = dt.date(*d.timestamp), "text", "the publication timestamp"
    else:
        return None
    note = f"the lead's event {shift} day(s) before {what}" if shift else f"the day of {what}"
    return DateResult(day - dt.timedelta(days=shift), "day", source, "medium", note=note)


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


def _weekday_day(d: Dispatch, tax: Taxonomy, confs: list[ConferenceMention], name: str) -> DateResult | None:
    """ "s'est ouverte mardi" with no day: the stub's last such weekday, or the reported conference's day."""
    if d.stub is None:
        return None
    weekday = WEEKDAYS[name]
    sy, sm, sd = d.stub
    if sd:
        day = dt.date(sy, sm, sd)
        day -= dt.timedelta(days=(day.weekday() - weekday) % 7)
        return DateResult(day, "day", "stub", "medium", note=f"the last {name} on or before the date stub")
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


def _year_from_context(
    e: _Expr, tax: Taxonomy, people: list[PersonMention], confs: list[ConferenceMention], today: dt.date
) -> tuple[int, str, str] | DateResult:
    candidates: list[int] = []
    conf_years = _conference_years(tax, confs, e.month, e.day)
    if e.weekday is not None:
        candidates = [
            y
            for y in range(YEAR_MIN, today.year + 2)
            if (w := _valid(y, e.month, e.day)) and w.weekday() == e.weekday and w <= today
        ]
        fitting = [y for y in candidates if _role_fits(tax, people, dt.date(y, e.month, e.day))]
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
