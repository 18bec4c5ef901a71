"""Conferences and people: the reference data and the editor's taxonomy, merged; names found; roles by date.

The portal ships reference data in ``briefing/data/`` (kinds of events with their wording, known instances,
Vietnam's government members since 2006, frequent foreign figures); ``content/taxonomy.yaml`` is read after
it and replaces or adds entries by id. An instance of a known kind needs no declaration: ``conference()``
names ``amm-56`` from its kind. Names match on folded text (see ``folding``): with or without diacritics and
with missing spaces ("BuiThanh Son").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import TaxonomyError
from .folding import LOW, UP, fold, slugify_name
from .patterns import (
    ORDINAL_HEAD,
    alias_words,
    compile_gate,
    compile_patterns,
    trie,
    trie_pattern,
    without_leading_ordinal,
)

__all__ = ["LOW", "UP", "fold", "slugify_name"]

GOVERNMENT_RANKS = ("president", "prime-minister", "deputy-prime-minister", "minister", "vice-minister")
OTHER_RANKS = (
    "general-secretary",
    "party",
    "spokesperson",
    "assembly",
    "official",
    "foreign",
    "vice-president",
    "ambassador",
)


def _date(value: Any, where: str, problems: list[str], last_day: bool = False) -> tuple[dt.date | None, bool]:
    """Parse YYYY-MM-DD or YYYY-MM (its first day, or its last with ``last_day``); returns ``(date, day_known)``."""
    if value is None:
        return None, False
    if isinstance(value, dt.date):
        return value, True
    text = str(value)
    try:
        if re.fullmatch(r"\d{4}-\d{2}", text):
            first = dt.date.fromisoformat(text + "-01")
            if last_day:
                return (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1), False
            return first, False
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
    # names of the series without a number: the instance is found from the article's date
    unnumbered: tuple[re.Pattern[str], ...] = ()
    nouns: tuple[str, ...] = ()  # "sommet", "reunion": what "leur 47e sommet" may stand for
    title_fr: str = ""
    title_en: str = ""
    feminine: bool = False
    margin_is_venue: bool = False  # "en marge de la 68e session": a venue, not what the article is about
    gate: re.Pattern[str] | None = None  # matches wherever a pattern could: texts without it are skipped fast

    def instance_name(self, number: int, lang: str) -> str:
        """``"56e Réunion des ministres …"`` / ``"56th ASEAN Foreign Ministers' Meeting"`` (or the year's)."""
        template = (self.title_fr if lang == "fr" else self.title_en) or (
            f"{self.fr} ({{year}})" if lang == "fr" else f"{self.en} ({{year}})"
        )
        if self.by_year:
            return template.format(year=number, n=number, fr_ord=number, en_ord=number)
        return template.format(
            n=number, year="", fr_ord=french_ordinal(number, self.feminine), en_ord=english_ordinal(number)
        )


def french_ordinal(n: int, feminine: bool = False) -> str:
    return ("1re" if feminine else "1er") if n == 1 else f"{n}e"


def english_ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


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
    _alias_owner: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def _person_re(self) -> re.Pattern[str] | None:
        # compiled on first use: the site build never matches names, the importer and translator do
        names = [alias_words(alias) for p in self.people.values() for alias in {p.name, p.en, *p.aliases}]
        return re.compile(r"(?<![a-z])" + trie_pattern(trie(names))) if names else None

    @cached_property
    def folded_places(self) -> frozenset[str]:
        """Places and organisations, folded: never a person's name."""
        return frozenset(fold(t.fr) for t in (*self.places, *self.organisations))

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
    def conference(self, cid: str) -> Conference | None:
        """The declared conference, or an undeclared instance of a known kind (``amm-56``) named from its kind."""
        if cid in self.conferences:
            return self.conferences[cid]
        kind_id, _, num = cid.rpartition("-")
        kind = self.kinds.get(kind_id)
        if kind is None or not num.isdigit() or num.startswith("0"):
            return None
        n = int(num)
        if kind.by_year and not 1900 <= n <= 2100:
            return None
        return Conference(
            cid, kind_id, n, kind.instance_name(n, "fr"), kind.instance_name(n, "en"), None, None, False, ""
        )

    def instances(self, kind_id: str) -> list[Conference]:
        """Declared instances of a kind, oldest first."""
        found = [c for c in self.conferences.values() if c.kind == kind_id]
        return sorted(found, key=lambda c: (c.start or dt.date.min, c.number))

    def conference_id(self, kind_ids: list[str], number: int | None, year: int | None) -> str | None:
        """The id of the instance named; a declared instance is preferred to an undeclared one."""
        ids = []
        for kind_id in kind_ids:
            n = year if self.kinds[kind_id].by_year else number
            if n is not None:
                ids.append(f"{kind_id}-{n}")
        return next((i for i in ids if i in self.conferences), next(iter(ids), None))


REFERENCE_DIR = Path(__file__).parent / "data"
REFERENCE_FILES = ("kinds.yaml", "events.yaml", "people.yaml", "foreign.yaml", "places.yaml")
_MAPPINGS = ("kinds", "conferences", "people")
_LISTS = ("places", "organisations")


def _compile_kind(kind_id: str, raw: dict[str, Any], problems: list[str]) -> Kind | None:
    patterns = compile_patterns(kind_id, raw.get("patterns"), problems)
    if not patterns:
        problems.append(f"kinds.{kind_id}: needs at least one pattern")
        return None
    anaphors = compile_patterns(
        kind_id,
        [without_leading_ordinal(str(p)) for p in raw.get("patterns") or [] if str(p).startswith(ORDINAL_HEAD)],
        [],
    )
    title = raw.get("title") or {}
    return Kind(
        kind_id,
        str(raw.get("fr", kind_id)),
        str(raw.get("en", kind_id)),
        raw.get("number") == "year",
        tuple(patterns),
        tuple(re.compile(r"\b" + p.pattern) for p in anaphors),
        tuple(compile_patterns(kind_id, raw.get("unnumbered"), problems)),
        tuple(str(n) for n in raw.get("nouns") or ()),
        str(title.get("fr", "")),
        str(title.get("en", "")),
        raw.get("gender") == "f",
        raw.get("margin") == "venue",
        compile_gate(raw.get("patterns")),
    )


def _read(path: Path) -> dict[str, Any]:
    from .schema import read_taxonomy  # the declared shape, checked: every mistake as one file:line

    return read_taxonomy(path)


def source_files(path: Path) -> list[Path]:
    """The files the taxonomy is made from: the shipped reference data, then the editor's file."""
    return [REFERENCE_DIR / name for name in REFERENCE_FILES if (REFERENCE_DIR / name).exists()] + [path]


def sources_bytes(path: Path) -> bytes:
    """Every source file's bytes, for cache keys (a reference-data update invalidates like an editor's edit)."""
    parts = []
    for f in source_files(path):
        try:
            parts.append(f.read_bytes())
        except OSError:
            parts.append(b"")
    return b"\x1e".join(parts)


def merged_sources(path: Path) -> dict[str, Any]:
    """The reference data shipped in ``briefing/data`` overlaid entry by entry with the editor's taxonomy."""
    merged: dict[str, Any] = {key: {} for key in _MAPPINGS} | {key: [] for key in _LISTS}
    for layer in source_files(path):
        raw = _read(layer)
        for key in _MAPPINGS:
            merged[key].update(raw.get(key) or {})
        for key in _LISTS:
            merged[key] += list(raw.get(key) or [])
    return merged


def load_taxonomy(path: Path) -> Taxonomy:
    """Read and validate the reference data and the editor's ``taxonomy.yaml``; every problem at once."""
    raw = merged_sources(path)
    problems: list[str] = []
    kinds = {k: kind for k, v in raw["kinds"].items() if (kind := _compile_kind(k, v or {}, problems)) is not None}
    conferences = _conferences(raw["conferences"], kinds, problems)
    people, alias_owner = _people(raw["people"], problems)
    if problems:
        raise TaxonomyError(f"{path}: " + "; ".join(problems))
    return Taxonomy(people, conferences, kinds, _terms(raw["places"]), _terms(raw["organisations"]), alias_owner)


def _conferences(raw: dict[str, Any], kinds: dict[str, Kind], problems: list[str]) -> dict[str, Conference]:
    conferences: dict[str, Conference] = {}
    for cid, c in raw.items():
        c = c or {}
        kind_id, _, num = str(cid).rpartition("-")
        if kind_id not in kinds or not num.isdigit():
            problems.append(f"conferences.{cid}: id must be <kind>-<number> with a kind declared under kinds")
            continue
        start, day_known = _date(c.get("start"), f"conferences.{cid}.start", problems)
        end, _ = _date(c.get("end"), f"conferences.{cid}.end", problems)
        kind = kinds[kind_id]
        fr = str(c.get("fr") or kind.instance_name(int(num), "fr"))
        en = str(c.get("en") or kind.instance_name(int(num), "en"))
        conferences[cid] = Conference(
            cid, kind_id, int(num), fr, en, start, end or start, day_known, str(c.get("place", ""))
        )
    return conferences


def _people(raw: dict[str, Any], problems: list[str]) -> tuple[dict[str, Person], dict[str, str]]:
    people: dict[str, Person] = {}
    alias_owner: dict[str, str] = {}
    for pid, p in raw.items():
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
            end, _ = _date(r.get("to"), f"people.{pid}.roles[{i}].to", problems, last_day=True)
            roles.append(Role(str(rank), str(r.get("fr", "")), str(r.get("en", r.get("fr", ""))), start, end))
        aliases = tuple(str(a) for a in p.get("aliases") or [])
        person = Person(pid, name, str(p.get("en") or name), aliases, tuple(roles))
        people[pid] = person
        for alias in {name, person.en, *aliases}:
            key = re.sub(r"[\s\-]+", "", fold(alias))
            if alias_owner.setdefault(key, pid) != pid:
                problems.append(f"people.{pid}: alias {alias!r} already belongs to {alias_owner[key]}")
    return people, alias_owner


def _terms(raw: list[Any]) -> tuple[Term, ...]:
    out = []
    for t in raw:
        out.append(Term(str(t["fr"]), str(t.get("en", t["fr"]))))
        out.extend(Term(str(a), str(t.get("en", t["fr"]))) for a in t.get("aliases") or [])
    return tuple(dict.fromkeys(out))


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
