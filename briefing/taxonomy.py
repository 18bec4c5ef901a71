"""Conferences and people: load the editor's taxonomy, fold names, find mentions, give roles by date.

Matching works on text *folded* character by character (lowercase ASCII, ``đ`` → ``d``, ``’`` → ``'``),
which keeps every offset of the original text, so a mention found in folded text can be cut out of
the real one. Names match with or without diacritics and with missing spaces ("BuiThanh Son").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import TaxonomyError

GOVERNMENT_RANKS = ("president", "prime-minister", "deputy-prime-minister", "minister", "vice-minister")
OTHER_RANKS = ("general-secretary", "party", "spokesperson", "assembly", "official", "foreign")
# character classes for regular expressions: Python's re has no \p{Lu}, and ranges such as À-Ỹ mix cases
UP = "A-Z" + "".join(chr(c) for c in range(0xC0, 0x1F00) if chr(c).isupper() and chr(c).isalpha())
LOW = "a-z" + "".join(chr(c) for c in range(0xDF, 0x1F00) if chr(c).islower() and chr(c).isalpha())
_SPECIAL = {
    "đ": "d",
    "Đ": "d",
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "ᵉ": "e",
    "œ": "o",
    "Œ": "o",
    "æ": "a",
    "\u00a0": " ",
    "\u202f": " ",
    "–": "-",
    "—": "-",
    "ß": "s",
}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    base = unicodedata.normalize("NFKD", ch)[:1] or ch
    low = base.lower()
    return low if len(low) == 1 else ch.lower()[:1] or " "


def fold(text: str) -> str:
    """Lowercase ASCII-ish copy of ``text`` with exactly the same length (offsets are kept)."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def slugify_name(name: str) -> str:
    """``"Lê Thi Thu Hang"`` → ``"le-thi-thu-hang"``; splits glued words (``BuiThanh`` → ``bui-thanh``)."""
    spaced = re.sub(rf"(?<=[{LOW}])(?=[{UP}])", " ", name)
    return "-".join(w for w in re.split(r"[^a-z0-9]+", fold(spaced)) if w)


def _date(value: Any, where: str, problems: list[str]) -> tuple[dt.date | None, bool]:
    """Parse YYYY-MM-DD or YYYY-MM; returns ``(date, day_known)``."""
    if value is None:
        return None, False
    if isinstance(value, dt.date):
        return value, True
    text = str(value)
    try:
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return dt.date.fromisoformat(text + "-01"), False
        return dt.date.fromisoformat(text), True
    except ValueError:
        problems.append(f"{where}: '{text}' is not a date (YYYY-MM-DD or YYYY-MM)")
        return None, False


@dataclass(frozen=True)
class Role:
    rank: str
    fr: str
    en: str
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def government(self) -> bool:
        return self.rank in GOVERNMENT_RANKS

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    en: str
    aliases: tuple[str, ...]
    roles: tuple[Role, ...]

    def roles_on(self, day: dt.date | None) -> tuple[Role, ...]:
        if day is None:
            return ()
        return tuple(r for r in self.roles if r.covers(day))

    def is_minister_on(self, day: dt.date) -> bool:
        return any(r.government for r in self.roles_on(day))

    def title_on(self, day: dt.date | None, lang: str) -> str:
        roles = self.roles_on(day) or (self.roles[-1:] if self.roles else ())
        return ", ".join(getattr(r, lang) for r in roles)


@dataclass(frozen=True)
class Kind:
    id: str
    fr: str
    en: str
    by_year: bool
    patterns: tuple[re.Pattern[str], ...]
    # the same names without the ordinal ("la Conférence diplomatique"): a second reference to
    # the numbered event last named, which counts for the "two sentences of its own" rule
    anaphors: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class Conference:
    id: str
    kind: str
    number: int
    fr: str
    en: str
    start: dt.date | None
    end: dt.date | None
    day_known: bool
    place: str

    def name(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True)
class Term:
    """A name kept as written (or as its English form) by every translation engine."""

    fr: str
    en: str


@dataclass(frozen=True)
class Mention:
    id: str
    start: int
    end: int


@dataclass(frozen=True)
class Taxonomy:
    people: dict[str, Person]
    conferences: dict[str, Conference]
    kinds: dict[str, Kind]
    places: tuple[Term, ...] = ()
    organisations: tuple[Term, ...] = ()
    _person_re: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    _alias_owner: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    # -- people -----------------------------------------------------------------------------------
    def find_people(self, text: str) -> Iterator[Mention]:
        """Every taxonomy person named in ``text``, leftmost-longest, with offsets into ``text``."""
        if self._person_re is None:
            return
        for m in self._person_re.finditer(fold(text)):
            key = re.sub(r"[\s\-]+", "", m.group(0))
            yield Mention(self._alias_owner[key], m.start(), m.end())

    def protected_terms(self) -> list[Term]:
        """People (every alias → English name), places and organisations, for the translators."""
        terms: list[Term] = []
        for person in self.people.values():
            for alias in {person.name, person.en, *person.aliases}:
                terms.append(Term(alias, person.en))
        return terms + list(self.places) + list(self.organisations)

    # -- conferences ------------------------------------------------------------------------------
    def conference_id(self, kind_ids: list[str], number: int | None, year: int | None) -> str | None:
        """First candidate id that the taxonomy knows; ``None`` if none is known."""
        for kind_id in kind_ids:
            kind = self.kinds[kind_id]
            n = year if kind.by_year else number
            if n is not None and f"{kind_id}-{n}" in self.conferences:
                return f"{kind_id}-{n}"
        return None


_ORD = r"(?:(?P<num>\d{1,3})\s?(?:e|eme|er|ere)|(?P<roman>[ivxlc]{1,7})e)\b"


def _compile_kind(kind_id: str, raw: dict[str, Any], problems: list[str]) -> Kind | None:
    patterns = []
    for p in raw.get("patterns") or []:
        try:
            patterns.append(re.compile(str(p).replace("{ord}", _ORD)))
        except re.error as exc:
            problems.append(f"kinds.{kind_id}: bad pattern {p!r}: {exc}")
    if not patterns:
        problems.append(f"kinds.{kind_id}: needs at least one pattern")
        return None
    anaphors = [
        re.compile(r"\b" + str(p).replace("{ord}\\s+", ""))
        for p in raw.get("patterns") or []
        if str(p).startswith("{ord}\\s+")
    ]
    return Kind(
        kind_id,
        str(raw.get("fr", kind_id)),
        str(raw.get("en", kind_id)),
        raw.get("number") == "year",
        tuple(patterns),
        tuple(anaphors),
    )


def _alias_pattern(alias: str) -> str:
    words = [re.escape(w) for w in re.split(r"[\s\-]+", fold(alias)) if w]
    return r"(?<![a-z])" + r"[\s\-]*".join(words) + r"(?![a-z])"


def load_taxonomy(path: Path) -> Taxonomy:
    """Read and validate ``taxonomy.yaml``; every problem is reported at once."""
    from .schema import read_taxonomy  # the declared shape, checked: every mistake as file:line

    raw = read_taxonomy(path)
    problems: list[str] = []
    kinds = {
        k: kind
        for k, v in (raw.get("kinds") or {}).items()
        if (kind := _compile_kind(k, v or {}, problems)) is not None
    }

    conferences: dict[str, Conference] = {}
    for cid, c in (raw.get("conferences") or {}).items():
        c = c or {}
        kind_id, _, num = str(cid).rpartition("-")
        if kind_id not in kinds or not num.isdigit():
            problems.append(f"conferences.{cid}: id must be <kind>-<number> with a kind declared under kinds")
            continue
        start, day_known = _date(c.get("start"), f"conferences.{cid}.start", problems)
        end, _ = _date(c.get("end"), f"conferences.{cid}.end", problems)
        conferences[cid] = Conference(
            cid,
            kind_id,
            int(num),
            str(c.get("fr", cid)),
            str(c.get("en", c.get("fr", cid))),
            start,
            end or start,
            day_known,
            str(c.get("place", "")),
        )

    people: dict[str, Person] = {}
    alias_owner: dict[str, str] = {}
    patterns: list[str] = []
    for pid, p in (raw.get("people") or {}).items():
        p = p or {}
        if slugify_name(str(pid)) != pid:
            problems.append(f"people.{pid}: id must be an ASCII slug such as 'bui-thanh-son'")
        name = str(p.get("name") or "")
        if not name:
            problems.append(f"people.{pid}: needs a name")
            continue
        roles = []
        for i, r in enumerate(p.get("roles") or []):
            rank = r.get("rank")
            if rank not in GOVERNMENT_RANKS + OTHER_RANKS:
                problems.append(f"people.{pid}.roles[{i}]: unknown rank {rank!r}")
            start, _ = _date(r.get("from"), f"people.{pid}.roles[{i}].from", problems)
            end, _ = _date(r.get("to"), f"people.{pid}.roles[{i}].to", problems)
            roles.append(Role(str(rank), str(r.get("fr", "")), str(r.get("en", r.get("fr", ""))), start, end))
        aliases = tuple(str(a) for a in p.get("aliases") or [])
        person = Person(pid, name, str(p.get("en") or name), aliases, tuple(roles))
        people[pid] = person
        for alias in {name, person.en, *aliases}:
            key = re.sub(r"[\s\-]+", "", fold(alias))
            if alias_owner.setdefault(key, pid) != pid:
                problems.append(f"people.{pid}: alias {alias!r} already belongs to {alias_owner[key]}")
            patterns.append(_alias_pattern(alias))

    def terms(key: str) -> tuple[Term, ...]:
        out = []
        for t in raw.get(key) or []:
            out.append(Term(str(t["fr"]), str(t.get("en", t["fr"]))))
            out.extend(Term(str(a), str(t.get("en", t["fr"]))) for a in t.get("aliases") or [])
        return tuple(out)

    if problems:
        raise TaxonomyError(f"{path}: " + "; ".join(problems))
    person_re = re.compile("|".join(sorted(set(patterns), key=len, reverse=True))) if patterns else None
    return Taxonomy(people, conferences, kinds, terms("places"), terms("organisations"), person_re, alias_owner)


def roman_to_int(roman: str) -> int | None:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total, prev = 0, 0
    for ch in reversed(roman.lower()):
        v = values.get(ch)
        if v is None:
            return None
        total += -v if v < prev else v
        prev = max(prev, v)
    return total or None
