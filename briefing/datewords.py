"""Dates as French agency copy writes them: day-month expressions ("mardi 13 décembre", "les 7-8 juillet", "le 3/8")
with what their clause says of them (a later event, a range's end, a background fact), and the words that date the
lead's event without a day ("a assisté mercredi", "hier"). ``dates`` decides which of them is the event's.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .ingest import Dispatch
from .taxonomy import fold

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
    rf"(?:\b(?:le|du|ce)\s+|(?=\b(?:{'|'.join(WEEKDAYS)})\s)){_WD}(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?:/(?P<y>(?:19|20)\d\d))?(?![\d/])(?!\s*(?:de\s+finale|d[eu'\s]|des\b|rue|ruelle))"
)
# a date that is not the event's: a deadline, the end of a range, a past reference
_NOT_EVENT = re.compile(
    r"(?:jusqu.(?:au|a)|depuis\s+le|avant\s+le|d.ici\s+le|devra\s+commencer\s+le|"
    r"debutera\s+le|commencera\s+le|a\s+partir\s+du|fin|au\s+cours\s+de|datee?s?\s+du|decedee?\s+le|"
    r"signee?s?\s+le|adoptee?s?\s+le|creee?s?\s+le|nee?\s+le|(?:publiee?s?|diffusee?s?|emise?s?)(?:\s+le)?)\s*$"
)
# the clause announces a later event ("se tiendra le 26 juin"): a preview's subject, not its own day
_FUTURE = re.compile(
    r"\b(?:se\s+tiendra|se\s+tiendront|aura\s+lieu|auront\s+lieu|s.ouvrira|s.ouvriront|se\s+deroulera|"
    r"sera\s+organisee?|doit\s+se\s+tenir|doivent\s+se\s+tenir|devrait\s+se\s+tenir|prevue?s?|"
    r"participera|participeront|assistera|se\s+rendra|effectuera|sera\s+proclamee?|doit\s+etre|"
    r"accueillera|accueilleront|organisera|organiseront|presidera|copresidera)\b"
    # up to the date, with no past main verb between ("le forum que la ville accueillera … a tenu le 12 novembre")
    r"(?:(?!\b(?:a|ont)\s+(?:ete\s+)?[a-z]+(?:e|i|is|it|u)\b)[^,;]){0,60}$"
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


_WEEKDAY_ONLY = re.compile(
    rf"\b(?P<wd>{'|'.join(WEEKDAYS)})(?!\s*(?:matin|soir|apres-midi)?\s*\d)(?P<last>\s+dernier(?!\s+jour))?\b"
)


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
    framing: bool = False  # "Dans le cadre de sa visite, du 7 au 12 avril, …": the span a more precise day sits in


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
        span = bool(groups.get("d1") or groups.get("d1h"))
        framing = span and bool(_FRAME.search(re.split(r"[.;!?]", before)[-1]))
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
                framing,
            )
        )
    return out


_FRAME = re.compile(r"\b(?:dans\s+le\s+cadre\s+d|a\s+l.occasion\s+d|lors\s+d|en\s+marge\s+d|au\s+cours\s+d)")


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
    if not named or max(named) >= day:
        return False
    # the eve's arrival is the same visit ("à son arrivée à Noi Bai, le 18 décembre"); a meeting of the eve is not
    return max(named) < day - dt.timedelta(days=2) or not _ARRIVAL.search(fold(text))


_ARRIVAL = re.compile(r"\b(?:arrivee|arrive|accueil|accueilli|accueillie|aeroport|atterri)")


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


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
            or re.search(r"appris\s*$", window)  # "a-t-on appris mardi": the day the news came, not the event's
            or _NOT_EVENT.search(clause[-30:])
            or re.match(r"\s*prochain", after)
            or window.count("«") > window.count("»")
            or re.search(r"(?:\bd'|\bqui\b|\bque\b|\bdont\b|[a-z]+(?:e|ee|es|i|is|u)\s*$)", clause.strip()[-25:] or "x")
            and not re.search(r"\b(?:a|ont|s.est|se\s+sont)\b", clause)
        ):
            continue
        return m
    return None


def _lead_weekday(d: Dispatch) -> tuple[str, bool] | None:
    """The weekday that dates the lead's event when it gives no day ("a assisté mercredi à l'ouverture"), and
    whether it is "lundi dernier" (before the filing day, never on it)."""
    found = _event_clause_words(d, _WEEKDAY_ONLY)
    return (found.group("wd"), found.group("last") is not None) if found else None


def _lead_relative_day(d: Dispatch) -> int | None:
    """Days before the filing day that the lead's "hier" / "avant-hier" / "aujourd'hui" puts its event."""
    found = _event_clause_words(d, _RELATIVE_DAY)
    return _RELATIVE_SHIFT[found.group("word")[:5]] if found else None


# "a reçu le lendemain le Premier ministre", "La veille, le ministère a réuni…": a day after or before the date the
# lead writes ("au lendemain de la 18e Conférence", "la veille au soir" date nothing)
_NEXT_OR_EVE = re.compile(
    r"\b(?:le\s+(?P<next>(?:sur)?lendemain)|la\s+(?P<eve>veille))\b(?!\s+(?:de|du|des|d'|au\s+soir|soir))"
)
# "le 12 courant", "dans la matinée du 26": a day whose month is the filing month
_DAY_ONLY = re.compile(
    rf"\b(?:le|ce)\s+(?P<d>\d{{1,2}}|1er)\s+courant\b|"
    rf"\b(?:(?:matinee|apres-midi|soiree|journee|nuit)\s+du|ce\s+(?:{'|'.join(WEEKDAYS)}))\s+(?P<d2>\d{{1,2}}|1er)\b"
    rf"(?!\s*(?:[/.-]\d|{_MONTH}))"
)
# a report learnt days after its event ("qui s'était tenu le 29 avril, a-t-on appris mardi")
LEARNT = re.compile(r"\ba-t-on\s+appris\b|\bapprend-on\b")


def lead_day_offset(d: Dispatch, date_text: str) -> int:
    """+1, +2 or −1 when the lead's event is "le lendemain", "le surlendemain" or "la veille" of the date it writes,
    read in the two sentences after that date; else 0."""
    lead = fold(d.paragraphs[0]) if d.paragraphs else ""
    at = lead.find(fold(date_text))
    if at < 0:
        return 0
    after = lead[at + len(date_text) :]
    window = ".".join(after.split(". ")[:2])[:400]
    found = _NEXT_OR_EVE.search(window)
    before = window[: found.start()] if found else ""
    # only the main verb's day: opening a sentence, or right after "a reçu" ("ouverte la veille", "prévue le
    # lendemain" date something else)
    if not found or not re.search(r"(?:^|[.!?]\s*|\b(?:a|ont|s.est|se\s+sont)\s+[a-z]+\s*)$", before):
        return 0
    if not found.group("next"):
        return -1
    return 2 if found.group("next").startswith("sur") else 1


def day_without_month(d: Dispatch, month: int) -> _Expr | None:
    """ "le 12 courant", "dans la matinée du 26", "ce lundi 15" in the lead, in the filing ``month``."""
    found = _DAY_ONLY.search(fold(d.paragraphs[0])) if d.paragraphs else None
    if not found:
        return None
    text = found.group("d") or found.group("d2")
    day = 1 if text == "1er" else int(text)
    return _Expr(day, month, None, None, found.group(0)) if _valid(2000, month, day) else None
