"""Who and what an article is about: taxonomy people and conferences found in the article proper.

Only the article's own paragraphs are read (never teasers, related links or captions alone).
A conference is listed when the article reports on it (headline or lead), when the article says
the reported meeting prepares it, or when it gets two or more sentences of its own; a passing
mention of a past event ("depuis la 19e Conférence…") is not. A person is a *minister* when the
taxonomy gives them a government role at the article's date; everyone else is one of ``people``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .taxonomy import LOW, UP, Taxonomy, fold, slugify_name

_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")
_PAST = re.compile(
    r"(?:depuis|apres|precedente?|derniere?|ancien(?:ne)?|lors\s+du\s+precedent|resultats\s+du|"
    r"resultats\s+de\s+la|mise\s+en\s+oeuvre\s+des\s+resultats)\s+(?:\w+\s+){0,3}$"
)
_PREPARE = re.compile(r"prepar|annonc|participera|assistera|se\s+tiendra|prevue?s?|a\s+venir")
# an upcoming event the article announces: "la 30e Conférence diplomatique, qui s'ouvrira le lendemain"
_UPCOMING = re.compile(
    r"^\s*,?\s*(?:qui\s+)?(?:s.ouvrira|se\s+tiendra|aura\s+lieu|debutera|"
    r"prevue?s?\s+(?:le|du|en|pour|a)\b)"
)

# role words just before a name → the rank they imply (folded text; most specific first)
ROLE_WORDS: tuple[tuple[str, str], ...] = (
    (r"vice-premier\s+ministre|vice-pm\b", "deputy-prime-minister"),
    (r"premier\s+ministre|\bpm\b", "prime-minister"),
    (
        r"president\s+de\s+la\s+republique|chef\s+de\s+l.etat|\bpresident\b(?!\s+du\s+comite|\s+de\s+l.assemblee)",
        "president",
    ),
    (r"vice-ministre|ministre\s+adjoint", "vice-minister"),
    (r"\bministre\b", "minister"),
    (r"porte-parole", "spokesperson"),
    (r"secretaire\s+general", "general-secretary"),
    (r"chef\s+de\s+la\s+commission|permanent\s+du\s+secretariat|secretaire\s+du\s+comite", "party"),
    (r"president\s+de\s+l.assemblee", "assembly"),
)
_ROLE_RE = re.compile("|".join(f"(?P<r{i}>{p})" for i, (p, _) in enumerate(ROLE_WORDS)))
_NAME = rf"(?:[{UP}][{LOW}]+(?:[\s-]?[{UP}][{LOW}]+){{1,4}})"
_ROLE_WORD = re.compile(
    r"\b(?:vice-)?(?:Premier\s+)?(?:ministre|président|présidente|secrétaire|directeur|directrice|porte-parole|"
    r"ambassadeur|ambassadrice|chef|vice-président|vice-présidente|gouverneur|maire)\b"
)
_NAME_RE = re.compile(_NAME)
_NOT_NAMES = frozenset(
    [
        "affaires",
        "etrangeres",
        "parti",
        "comite",
        "conference",
        "vietnam",
        "asean",
        "etat",
        "republique",
        "assemblee",
        "nationale",
        "premier",
        "ministre",
        "ministere",
        "commerce",
        "industrie",
        "defense",
        "plan",
        "investissement",
        "securite",
        "publique",
        "service",
        "departement",
        "union",
        "europeenne",
        "nations",
        "unies",
        "secretariat",
        "bureau",
        "politique",
        "central",
        "centrale",
        "populaire",
        "provincial",
        "le",
        "la",
        "les",
        "de",
        "du",
        "des",
        "hanoi",
        "ville",
        "selon",
        "japon",
        "chine",
        "malaisie",
        "unesco",
    ]
)


@dataclass(frozen=True)
class PersonMention:
    id: str
    paragraph: int
    role_rank: str | None  # rank implied by the words before the name, if any


def sentences(paragraph: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in _SENTENCE.finditer(paragraph) if m.group(0).strip()]


def role_before(folded_para: str, start: int) -> str | None:
    """The rank named by the role words closest before a name, within its clause."""
    window = folded_para[max(0, start - 90) : start]
    window = re.split(r"[.;:!?]|\bet\s+(?=le|la)\b", window)[-1]
    best = None
    for m in _ROLE_RE.finditer(window):
        for i, (_, rank) in enumerate(ROLE_WORDS):
            if m.group(f"r{i}"):
                best = (m.start(), rank)
                break
    if best is None:
        return None
    # foreign and provincial qualifiers ("ministre japonais", "du Comité populaire") are not our government
    tail = window[best[0] :]
    if re.search(
        r"\b(?:japonais|chinois|malaisien|thailandais|australien|lao|cambodgien|americain|russe|"
        r"suisse|indien|etranger|etrangers|homologue|du\s+comite\s+populaire|provincial)",
        tail,
    ):
        return "foreign"
    return best[1]


def find_people(tax: Taxonomy, paragraphs: list[str]) -> list[PersonMention]:
    out = []
    for n, para in enumerate(paragraphs):
        folded = fold(para)
        for m in tax.find_people(para):
            out.append(PersonMention(m.id, n, role_before(folded, m.start)))
    return out


def unknown_people(tax: Taxonomy, paragraphs: list[str]) -> list[tuple[str, str]]:
    """``(slug, name)`` of names that follow a role word ("le directeur du Service …, Pham Hoang Long")
    and that the taxonomy does not know. Places and institutions in between are passed over."""
    found: dict[str, str] = {}
    places = {fold(t.fr) for t in tax.places} | {fold(t.fr) for t in tax.organisations}
    for para in paragraphs:
        known = [(m.start, m.end) for m in tax.find_people(para)]
        for role in _ROLE_WORD.finditer(para):
            window_end = role.end() + 110
            clause = re.match(r"[^.;:()]*", para[role.end() : window_end])
            limit = role.end() + (clause.end() if clause else 0)
            for m in _NAME_RE.finditer(para, role.end(), limit):
                name = _strip_places(tax, m.group(0))
                s = m.end() - len(name)
                if any(ks < m.end() and s < ke for ks, ke in known):
                    break  # the role belongs to a known person
                words = [fold(w) for w in re.split(r"[\s-]+", name)]
                if fold(name) in places or any(w in _NOT_NAMES for w in words) or len(words) < 2:
                    continue
                found.setdefault(slugify_name(name), name)
                break
    return sorted(found.items())


def _strip_places(tax: Taxonomy, name: str) -> str:
    """``"Da Nang Nguyen Van Quang"`` (a place glued before the name by the role phrase) → the name."""
    folded = fold(name)
    for term in tax.places:
        place = fold(term.fr)
        if folded.startswith(place + " "):
            return name[len(place) + 1 :]
    return name


def classify_people(
    tax: Taxonomy, mentions: list[PersonMention], day: dt.date | None, years: list[int]
) -> tuple[list[str], list[str]]:
    """``(ministers, people)`` in order of first mention."""
    ministers: list[str] = []
    people: list[str] = []
    for m in mentions:
        if m.id in ministers or m.id in people:
            continue
        person = tax.people[m.id]
        if day is not None:
            is_minister = person.is_minister_on(day)
        elif years:
            is_minister = all(person.is_minister_on(dt.date(y, 7, 1)) for y in years)
        else:
            is_minister = m.role_rank in (
                "president",
                "prime-minister",
                "deputy-prime-minister",
                "minister",
                "vice-minister",
            )
        (ministers if is_minister else people).append(m.id)
    return ministers, people
