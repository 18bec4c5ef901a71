"""Which conferences a dispatch is about: event mentions in the article proper and the listing rules.

A mention is a kind's pattern with its ordinal ("la 56e réunion des ministres des AE de l'ASEAN", "AMM-56",
"les 40e et 41e Sommets"), a kind's name without ordinal after a numbered mention, a generic noun with an
ordinal standing for a series named elsewhere ("leur 47e sommet"), or a series named with no number at all,
whose instance is the one the article's date falls in. A conference is *listed* when the article reports it
(headline or lead), prepares or announces it, or gives it two sentences of its own; a past reference ("les
tâches fixées par la 26e Conférence"), a venue ("en marge de la 68e session") or a passing clause is not.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import cached_property

from .ordinals import with_figures
from .taxonomy import Kind, Taxonomy, fold, roman_to_int

_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")
_DET = r"(?:du|de\s+la|de\s+l.|des|la|le|les|au|aux|a\s+la|a\s+l.|lors\s+du|lors\s+de\s+la|par\s+la|par\s+le)"
_PAST_BEFORE = re.compile(
    r"(?:\bdepuis|\bapres|\bancien(?:ne)?|\bsuivi\s+des\s+resultats|"
    r"mise\s+en\s+o?e?uvre\s+des\s+(?:resultats|decisions|documents|accords)|"
    r"\bfixee?s?|\bprevue?s?\s+par|\bdefinie?s?|\badoptee?s?|\bprises?|\bissue?s?|\baccueilli|\bsucces|\bbilan|"
    r"\bapres\s+(?:avoir|l.avoir)\s+\w+|\b(?:inauguree?s?|ouverte?s?)(?:\s+\w+)?\s+par)\s+" + _DET + r"?\s*$"
)
_PAST_AFTER = re.compile(
    r"^\s*,?\s*(?:(?:qui\s+s.est\s+tenue?|qui\s+a\s+eu\s+lieu)\s+en\b|(?:tenue?s?|organisee?s?)\s+en\b(?!\s+ligne))"
)
_VENUE = re.compile(r"\ben\s+marge\s+d[^,;]{0,60}$")
# "à la veille de la 29e Conférence": a time reference, not what the lead reports
_RELATION = re.compile(
    r"(?:a\s+la\s+veille|au\s+lendemain|en\s+prelude|quelques\s+jours\s+(?:avant|apres))\s+d(?:e\s+la|u|e\s+l.|es)\s*$"
)
_PREPARE = re.compile(
    r"prepar|annonc|participera|assistera|se\s+tiendra|prevue?s?(?!\s+par)|a\s+venir|en\s+vue\s+d|"
    r"prendr(?:a|ait|ont|aient)\s+part|participerai|assisterai"
)
_UPCOMING = re.compile(
    r"^\s*(?:,[^,;]{0,90},)?\s*,?\s*(?:qui\s+)?(?:s.ouvrira|s.ouvre|se\s+tiendra|aura\s+lieu|debutera|doit\s+se\s+tenir|"
    r"doivent\s+se\s+tenir|(?:est|sont|sera|seront)\s+prevue?s?\b(?!\s+par)|prevue?s?\s+(?:le|du|en|pour|a|mi|debut|fin)\b)"
)
# a preview announcing who will attend what ("se rendra à Kuala Lumpur pour prendre part au 27e Sommet")
_ATTENDANCE = re.compile(
    r"\b(?:se\s+rendra|conduira|representera|prendra\s+part|participera|assistera|assisteront|participeront)\b"
)
_ORDINAL_NOUN = re.compile(
    r"\b(?:cette|leur|ce|cet|du|de\s+la|la|le|au|a\s+la|aux|des|les|sa|son)\s+"
    r"(?:(?P<num>\d{1,3})\s?(?:e|eme|er|ere|me)|\b(?P<roman>[ivxlc]{2,7}|[ivx])e)\s+"
    r"(?P<noun>sommet|reunion|conference|session|forum)s?\b"
)
_NEAR_DAYS = 3
_CONTEXT = 200  # characters of the sentence read on each side of a mention


@dataclass(frozen=True)
class ConferenceMention:
    kinds: tuple[str, ...]  # candidate kinds, best first
    number: int | None  # None: the series is named without a number
    paragraph: int
    sentence: str  # folded sentence, for the context rules
    start_in_sentence: int
    end_in_sentence: int
    text: str  # as written, for reports
    year: int | None = None  # a year written in the name ("APEC 2017")
    rule: str = "pattern"

    @property
    def before(self) -> str:
        # the context rules read the words near the mention: a bounded window keeps a long sentence linear
        return self.sentence[max(0, self.start_in_sentence - _CONTEXT) : self.start_in_sentence]

    @property
    def after(self) -> str:
        return self.sentence[self.end_in_sentence : self.end_in_sentence + _CONTEXT]

    @cached_property
    def past(self) -> bool:
        return bool(_PAST_BEFORE.search(self.before) or _PAST_AFTER.search(self.after))

    def venue(self, tax: Taxonomy) -> bool:
        """ "en marge de la 68e session": the series is only where a side meeting took place."""
        return any(tax.kinds[k].margin_is_venue for k in self.kinds) and bool(_VENUE.search(self.before))


def sentences(paragraph: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in _SENTENCE.finditer(paragraph) if m.group(0).strip()]


def _number(gd: dict[str, str | None]) -> int | None:
    if gd.get("num"):
        return int(str(gd["num"]))
    if gd.get("roman"):
        return roman_to_int(str(gd["roman"]))
    if gd.get("first"):
        return 1
    return None


def _pattern_spans(kinds: list[Kind], folded: str) -> list[tuple[int, int, list[str], list[int | None], int | None]]:
    spans = []
    for kind in kinds:
        if kind.gate is not None and not kind.gate.search(folded):
            continue
        for pat in kind.patterns:
            for m in pat.finditer(folded):
                gd = m.groupdict()
                numbers = [_number(gd)] + ([int(gd["num2"])] if gd.get("num2") else [])
                year = int(gd["year"]) if gd.get("year") else None
                spans.append((m.start(), m.end(), [kind.id], numbers, year))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    merged: list[tuple[int, int, list[str], list[int | None], int | None]] = []
    for s in spans:
        if merged and s[0] < merged[-1][1]:
            if s[2][0] not in merged[-1][2] and s[3] == merged[-1][3]:
                merged[-1][2].append(s[2][0])
            continue
        merged.append(s)
    return merged


def find_conferences(tax: Taxonomy, paragraphs: list[str]) -> list[ConferenceMention]:
    """Every event mention of the article proper, in reading order."""
    out: list[ConferenceMention] = []
    last_number: dict[str, int] = {}
    kinds = list(tax.kinds.values())
    for n, para in enumerate(paragraphs):
        for _, sent in sentences(para):
            folded = with_figures(fold(sent))
            found = []
            for start, end, ids, numbers, year in _pattern_spans(kinds, folded):
                for number in numbers:
                    found.append(ConferenceMention(tuple(ids), number, n, folded, start, end, sent[start:end], year))
            taken = _Spans([(m.start_in_sentence, m.end_in_sentence) for m in found])
            found += _unnumbered(kinds, n, sent, folded, taken, last_number)
            found.sort(key=lambda m: m.start_in_sentence)
            for m in found:
                if m.number is not None:
                    for k in m.kinds:
                        last_number[k] = m.number
            out += found
    return _number_unnumbered(_someones_first(_resolve_ordinal_nouns(tax, paragraphs, out)))


def _someones_first(found: list[ConferenceMention]) -> list[ConferenceMention]:
    """ "la première AMM de Bùi Thanh Son" under "AMM-54": a first for someone, not the series' first instance.

    "Premier" numbers an instance ("le premier Sommet ASEAN-CCG") only when the article names no later
    instance of the series; otherwise the mention is the series named without a number."""
    later = {m.kinds[0] for m in found if m.number is not None and m.number > 1}
    return [
        replace(m, number=None, rule="unnumbered")
        if m.number == 1 and m.kinds[0] in later and fold(m.text).startswith("premier")
        else m
        for m in found
    ]


def _number_unnumbered(found: list[ConferenceMention]) -> list[ConferenceMention]:
    """ "La réunion des ministres … de l'ASEAN" then "cette 56e réunion": the series' one number in the article."""
    numbers: dict[str, set[int]] = {}
    for m in found:
        if m.number is not None:
            numbers.setdefault(m.kinds[0], set()).add(m.number)
    out = []
    for m in found:
        only = numbers.get(m.kinds[0], set())
        if m.number is None and m.rule == "unnumbered" and len(only) == 1:
            m = replace(m, number=next(iter(only)), rule="unnumbered, numbered by an ordinal anaphor")
        out.append(m)
    return out


class _Spans:
    """Disjoint character spans of one sentence, kept sorted: an overlap test by bisection, not a scan."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._spans: list[tuple[int, int]] = []
        for start, end in spans:
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._spans, (end, end))
        return any(s < end and start < e for s, e in self._spans[max(0, i - 2) : i + 1])

    def add(self, start: int, end: int) -> None:
        bisect.insort(self._spans, (start, end))


def _unnumbered(
    kinds: list[Kind], n: int, sent: str, folded: str, taken: _Spans, last_number: dict[str, int]
) -> list[ConferenceMention]:
    """Kind names without an ordinal: the last numbered instance of the kind, or (if none yet) the series."""
    out = []
    for kind in kinds:
        for pat, rule in [(p, "anaphor") for p in kind.anaphors] + [(p, "unnumbered") for p in kind.unnumbered]:
            for m in pat.finditer(folded):
                if taken.overlaps(m.start(), m.end()):
                    continue
                number = last_number.get(kind.id)
                if number is None and rule == "anaphor":
                    continue
                taken.add(m.start(), m.end())
                out.append(
                    ConferenceMention(
                        (kind.id,), number, n, folded, m.start(), m.end(), sent[m.start() : m.end()], rule=rule
                    )
                )
    return out


def _resolve_ordinal_nouns(
    tax: Taxonomy, paragraphs: list[str], found: list[ConferenceMention]
) -> list[ConferenceMention]:
    """ "leur 47e sommet": the series with that noun named nearest before (else after) in the article."""
    by_noun: dict[str, list[tuple[int, str]]] = {}
    for m in found:
        for noun in tax.kinds[m.kinds[0]].nouns:
            by_noun.setdefault(noun, []).append((m.paragraph, m.kinds[0]))
    taken: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for m in found:
        taken.setdefault((m.paragraph, m.sentence), []).append((m.start_in_sentence, m.end_in_sentence))
    out = list(found)
    for n, para in enumerate(paragraphs):
        for _, sent in sentences(para):
            folded = with_figures(fold(sent))
            spans = _Spans(taken.get((n, folded), []))
            for hit in _ORDINAL_NOUN.finditer(folded):
                named = by_noun.get(hit.group("noun"))
                if not named or spans.overlaps(hit.start(), hit.end()):
                    continue
                i = bisect.bisect_right([p for p, _ in named], n)  # the last named at or before this paragraph
                kind = named[i - 1][1] if i else named[0][1]
                text = sent[hit.start() : hit.end()]
                out.append(
                    ConferenceMention(
                        (kind,), _number(hit.groupdict()), n, folded, hit.start(), hit.end(), text, rule="ordinal noun"
                    )
                )
    return out


# -- listing ---------------------------------------------------------------------------------------------------


def instance_id(tax: Taxonomy, m: ConferenceMention, day: dt.date | None) -> str | None:
    """The conference id a mention stands for, given the article's date (``None`` when it cannot be known)."""
    year = m.year or (day.year if day else None)
    if m.number is not None or any(tax.kinds[k].by_year for k in m.kinds):
        ids = []
        for k in m.kinds:
            n = year if tax.kinds[k].by_year else m.number
            if n is not None:
                ids.append(f"{k}-{n}")
        fitting = [i for i in ids if _fits_year(tax, i, year)]
        declared = [i for i in fitting if i in tax.conferences]
        return next(iter(declared + fitting), None)
    return _instance_on(tax, m.kinds[0], day)


def _fits_year(tax: Taxonomy, cid: str, year: int | None) -> bool:
    c = tax.conferences.get(cid)
    if c is None or c.start is None or year is None:
        return True
    return c.start.year - 1 <= year <= (c.end or c.start).year + 1 or year > (c.end or c.start).year


def _instance_on(tax: Taxonomy, kind_id: str, day: dt.date | None) -> str | None:
    """The declared instance of a numbered series held around ``day``."""
    if day is None:
        return None
    near = dt.timedelta(days=_NEAR_DAYS)
    for c in tax.instances(kind_id):
        if c.start and c.start - near <= day <= (c.end or c.start) + near:
            return c.id
    same_year = [c for c in tax.instances(kind_id) if c.start and c.start.year == day.year]
    return same_year[0].id if len(same_year) == 1 else None


def _reported_in_time(tax: Taxonomy, cid: str, day: dt.date | None) -> bool:
    """An instance whose known dates lie years before the article cannot be its subject (another series' number);
    nor can a yearly one that ended months before ("qu'il avait rencontré en marge du Dialogue Shangri-La", in
    November)."""
    c = tax.conferences.get(cid)
    if c is None or c.start is None or day is None:
        return True
    if tax.kinds[c.kind].by_year and c.day_known and day > (c.end or c.start) + _YEARLY_AFTERMATH:
        return False
    return day.year - 1 <= (c.end or c.start).year


_YEARLY_AFTERMATH = dt.timedelta(days=45)  # a report on a yearly meeting's results comes within weeks


def select_conferences(
    tax: Taxonomy, mentions: list[ConferenceMention], day: dt.date | None, headline: str | None, preview: bool = False
) -> tuple[list[str], list[str], dict[str, str]]:
    """``(ids listed, unknown instances to suggest, why each id is listed)`` per the module's rules; in a
    ``preview`` (the article reports a statement announcing events) the attendance it announces counts."""
    by_id: dict[str, list[ConferenceMention]] = {}
    head = find_conferences(tax, [headline]) if headline else []
    for m in mentions + head:
        cid = instance_id(tax, m, day)
        if cid is not None:
            by_id.setdefault(cid, [])
            if m not in head:
                by_id[cid].append(m)
    head_ids = {instance_id(tax, m, day) for m in head}
    chosen: list[tuple[int, str]] = []
    why: dict[str, str] = {}
    for cid, ms in by_id.items():
        live = [m for m in ms if not m.past and not m.venue(tax)]
        reason = _reason(cid in head_ids, live, preview)
        if reason and _reported_in_time(tax, cid, day):
            chosen.append((min((m.paragraph for m in ms), default=-1), cid))
            shown = live or ms
            why[cid] = f"{reason}: «{shown[0].text.strip()}»" if shown else reason
    ids = [cid for _, cid in sorted(chosen)]
    unknown = sorted(cid for cid in ids if cid not in tax.conferences)
    return ids, unknown, why


def _reason(in_headline: bool, live: list[ConferenceMention], preview: bool) -> str | None:
    if in_headline:
        return "named in the headline"
    if preview and any(_ATTENDANCE.search(m.before) for m in live):
        return "attendance announced by the statement the article reports"
    if any(m.paragraph == 0 and not _RELATION.search(m.before) for m in live):
        return "reported in the lead"
    if any(_PREPARE.search(m.before) or _UPCOMING.search(m.after) for m in live):
        return "prepared or announced"
    if len({(m.paragraph, m.sentence) for m in live}) >= 2:
        return "two sentences of its own"
    return None
