"""Person names the taxonomy does not know, found by the shape of agency copy.

A name is a run of capitalised words ("Retno Marsudi", "Prayut Chan-o-cha", "Ahmad Abdullah Al-Ahmad Al-Sabah",
"Moon Jae-in") standing after a role word ("la ministre indonésienne des Affaires étrangères, Mme Retno
Marsudi") or an honorific ("M.", "Mme", "S.E.", "Mgr", "Cheikh", "Dato' Sri", "Datuk"), which is not part of it.
Countries, regions and institutions after a role word ("ambassadeur du Vietnam aux États-Unis") are not names.
Enumerations of earlier office-holders ("de Nguyên Co Thach à Nguyên Dy Niên", "les présidents X, en 2021, et
Y, en 2024") are not people of the article. Every scan is linear in the text's length.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale

from . import nlp
from .taxonomy import LOW, UP, Taxonomy, fold, slugify_name

HONORIFIC = (
    r"(?:M\.|Mme|Mlle|S\.\s?E\.|Mgr|Monseigneur|Cheikh|Sheikh|Dato'?\s+Seri|Dato'?\s+Sri|Dato'?|Datuk\s+Seri|"
    r"Datuk|Tan\s+Sri|Dr|Pr|Sir|Dame)"
)
_WORD = rf"(?:[{UP}][{LOW}]+|[{UP}]{{2,}}(?=[\s,.;:)]))(?:[-‑](?:[{LOW}]+|[{UP}][{LOW}]+))*"
_PARTICLE = r"(?:\s+(?:bin|binti|ben|van|von|de|da|del|al|el|ibn|bint|ould)(?=\s+[A-Z]))"
NAME = rf"{_WORD}(?:{_PARTICLE}?\s+(?:[{UP}]\.\s+)?{_WORD}){{1,5}}"  # a middle initial: "George W. Bush"
_NAME_RE = re.compile(rf"(?:{HONORIFIC}\s+)*(?P<name>{NAME})")
_HONORIFIC_RE = re.compile(rf"\b{HONORIFIC}\s+(?P<name>{NAME})")
ROLE_WORD = re.compile(
    r"\b(?:vice-|ex-)?(?:Premier\s+)?(?:ministres?|présidente?s?|secrétaires?|directeur|directrice|porte-parole|"
    r"ambassadeur|ambassadrice|chef|vice-présidente?|gouverneur|maire|envoyée?|représentante?|sous-secrétaire|"
    r"roi|reine|sultan|prince|princesse|chancelière?|commissaire|homologues?|émir|pape|cardinal|"
    r"coordonnat(?:eur|rice)|haute?-commissaire|administrat(?:eur|rice)|conseill(?:er|ère)|consule?)\b"
)
# names that are words of institutions, titles or places in agency copy (folded)
_NOT_NAMES = frozenset(
    """affaires etrangeres parti comite conference vietnam asean etat republique assemblee nationale premier ministre
    ministere commerce industrie defense plan investissement securite publique service departement union europeenne
    nations unies secretariat bureau politique central centrale populaire provincial le la les de du des hanoi ville
    selon unesco finances justice sante education formation agriculture developpement rural transports construction
    culture sports tourisme travail invalides ressources naturelles environnement information communications sciences
    technologies interieur banque inspection gouvernement office minorites ethniques commission relations exterieures
    conseil securite sommet reunion forum organisation mer orientale front patrie association sud est ouest nord
    monde mondial international internationale cooperation economique sociale senat congres maison blanche kremlin
    onu otan ue apec asem agnu g20 amm som covid declaration charte accord traite programme plan vision communaute
    centre province district delegation ambassade consulat universite academie institut agence presse vna avi cvn
    photo photos source lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin juillet
    aout septembre octobre novembre decembre typhon tempete cyclone ouragan""".split()
)
_REGIONS = frozenset(
    fold(x)
    for x in (
        "Asie-Pacifique",
        "Asie du Sud-Est",
        "Indo-Pacifique",
        "Moyen-Orient",
        "Proche-Orient",
        "Mékong",
        "Golfe",
        "Saint-Siège",
        "Vatican",
        "Europe",
        "Afrique",
        "Amérique",
        "Océanie",
        "Asie de l'Est",
        "Hô Chi Minh-Ville",
        "Dà Nang",
        "Da Nang",
        "Hà Nôi",
        "Ha Noi",
        "Phnom Penh",
        "Kuala Lumpur",
        "Nay Pyi Taw",
        "Bandar Seri Begawan",
        "Labuan Bajo",
        "New York",
        "San Francisco",
        "Koweït City",
        "Timor-Leste",
        "Nations unies",
    )
)
_ENUMERATION = re.compile(
    rf"\bde\s+(?:{NAME})\s+à\s+(?:{NAME})(?:(?:,\s*|\s+et\s+)(?:{NAME}))*|(?:{NAME}),\s+en\s+(?:19|20)\d\d\b"
)
_HONORIFIC_START = re.compile(rf"{HONORIFIC}\s")
# storms are named like people ("le typhon Yagi", "la tempête tropicale Trami")
_STORM_BEFORE = re.compile(
    r"\b(?:typhons?|super-typhon|tempêtes?(?:\s+tropicales?)?|cyclones?|ouragans?|dépressions?\s+tropicales?)\s+$", re.I
)


# family names that open most Vietnamese names: a member of Vietnam's government bears one
_VIETNAMESE_FAMILY = frozenset(
    """nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh dao doan lam luong mai trinh
    truong ha cao ta chu quach lai ton thai vuong la hua kieu tong au thach giang khuat lu mac nong to trieu
    dong diep van luu phung khong quan tang ung vi nghiem giap banh bach dam dieu du han hau hong khuc luc ninh
    ong phi sam tieu uong vien kim""".split()
)


def vietnamese_name(name: str) -> bool:
    words = [fold(w) for w in name.split()]
    return 2 <= len(words) <= 5 and words[0] in _VIETNAMESE_FAMILY


@dataclass(frozen=True)
class FoundName:
    slug: str
    name: str
    start: int
    end: int


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """Country and region names in French (CLDR via Babel), folded: never a person after a role word."""
    names = set(_REGIONS)
    for name in Locale("fr").territories.values():
        names.add(fold(name.split(" (")[0]))
    return frozenset(names)


def _clean(tax: Taxonomy, name: str, after_preposition: bool) -> str:
    """Drop leading words that are institutions ("Finances Ho Duc Phoc") or, after a preposition, places
    ("aux États-Unis Nguyen Quoc Dung"); the family name Lê is not the article "le"."""
    words = name.split()
    if len(words) >= 3 and words[0] in ("Lê", "Le", "Lý", "La"):
        return " ".join(words[:1] + _clean(tax, " ".join(words[1:]), False).split())
    places = _places() | tax.folded_places
    while words:
        head = fold(words[0])
        two = fold(" ".join(words[:2]))
        if head in _NOT_NAMES or "affaires" in head or (after_preposition and head in places):
            words = words[1:]
        elif after_preposition and two in places:
            words = words[2:]
        else:
            break
    cut = next((i for i, w in enumerate(words) if fold(w) in _NOT_NAMES), len(words))
    return " ".join(words[:cut])


def _is_person(tax: Taxonomy, name: str) -> bool:
    words = name.split()
    if len(words) < 2 or _HONORIFIC_START.match(name + " "):
        return False
    places = _places() | tax.folded_places
    rest = words[1:] if fold(words[0]) in _VIETNAMESE_FAMILY else words
    return fold(name) not in places and not any(fold(w) in _NOT_NAMES for w in rest)


def _known_spans(tax: Taxonomy, text: str) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in tax.find_people(text)]


def enumeration_spans(text: str) -> list[tuple[int, int]]:
    """Where the text lists earlier office-holders ("de X à Y", "X, en 2021, et Y, en 2024")."""
    return [(m.start(), m.end()) for m in _ENUMERATION.finditer(text)]


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether [start, end) overlaps one of ``spans`` (sorted, not overlapping each other)."""
    i = bisect.bisect_left(spans, (end, end))
    return i > 0 and spans[i - 1][1] > start


# a sovereign named by a single name after the title: "l'impératrice Michiko", "le roi Charles III" (not the
# legendary Hùng kings of the Giỗ Tổ festival)
_REGNAL = re.compile(
    rf"\b(?:empereur|imp[ée]ratrice|roi|reine|prince|princesse|sultan|[ée]mir|grand-duc|grande-duchesse)\s+"
    rf"(?!H[uù]ng\b)(?P<name>[{UP}][{LOW}]+(?:\s+(?:[IVX]{{1,4}}|Ier|Ire)\b)?)(?![\w-]|\s+(?:[{UP}]|bin\b|ben\b|al\b|el\b|ibn\b))"
)


def _regnal_names(text: str, known: list[tuple[int, int]], found: dict[int, FoundName]) -> None:
    for m in _REGNAL.finditer(text):
        start, end = m.span("name")
        if not _inside(start, end, known):
            found.setdefault(start, FoundName(slugify_name(m.group("name")), m.group("name"), start, end))


_TITLES = frozenset(
    "president presidente ministre general secretaire roi reine prince princesse oncle camarade".split()
)


def find_unknown_names(tax: Taxonomy, text: str, use_nlp: bool = False) -> list[FoundName]:
    """Names the taxonomy does not know, after a role word or an honorific (and, with ``use_nlp``, the
    person entities of the French pipeline that pass the same filters), in reading order."""
    known = _known_spans(tax, text)
    excluded = enumeration_spans(text)
    found: dict[int, FoundName] = {}
    _regnal_names(text, known, found)
    for hon in _HONORIFIC_RE.finditer(text):
        _add(tax, text, found, hon.group("name"), hon.start("name"), known, excluded)
    for role in ROLE_WORD.finditer(text):
        # "John F. Kerry"; "le président de la Banque asiatique de développement (BAD), Takehiko Nakao"
        clause = re.match(r"(?:[^.;:()«»]|(?<=\s[A-Z])\.|\([A-Z][A-Za-z]{1,9}\))*", text[role.end() : role.end() + 300])
        limit = role.end() + (clause.end() if clause else 0)
        pos = role.end()
        while True:
            m = _NAME_RE.search(text, pos, limit)
            if m is None:
                break
            taken = _add(tax, text, found, m.group("name"), m.start("name"), known, excluded)
            joined = re.match(r"\s*(?:,|et)\s*", text[m.end() : limit])
            if taken is None and not joined:
                pos = m.end()
                if _inside(m.start(), m.end(), known):
                    break
                continue
            if not joined:
                break
            pos = m.end()
    if use_nlp:  # the pipeline's candidates after the rules', never inside a name the rules found
        rules = sorted((f.start, f.end) for f in found.values())
        for start, end in nlp.person_spans(text):
            whole = _NAME_RE.match(text, start)
            titled = whole is not None and fold(whole.group("name").split()[0]) in _TITLES  # "Président Hô Chi Minh"
            if whole and whole.end() >= end - 1 and not _inside(start, end, rules) and not titled:
                if not _a_place_by_its_context(text, start, whole.group("name")):
                    _add(tax, text, found, whole.group("name"), whole.start("name"), known, excluded)
    return sorted(found.values(), key=lambda f: f.start)


# what the French pipeline tags as a person but the words before say is a place ("à Cha-am et Hua Hin")
# "l'arrondissement de Hoàn Kiêm", "la commune de Tân Lâp", "le Centre national des conventions de My Dinh": a place,
# named like a person
_PLACE_NOUN_BEFORE = re.compile(
    r"\b(?:arrondissement|district|quartier|commune|province|ville|village|hameau|rue|boulevard|avenue|pagode|temple|"
    r"lac|pont|port|baie|ile|île|[îi]les|archipel|golfe|fleuve|rivi[èe]re|delta|plateau|mont|centre|palais|stade|a[ée]roport|h[ôo]tel|universit[ée]|mus[ée]e|parc|zone|gare|"
    r"conventions|congr[èe]s|expositions|conf[ée]rences)(?:\s+(?:[ée]conomique|industrielle|industriel|nationale?|"
    r"internationale?|franche|high-tech))?\s+(?:de\s+|d['’]\s*)$",
    re.I,
)
# "à Hua Hin", and "à Cha-am et (à) Hua Hin"; never "au Vietnam, Karin Lundqvist" (a country after a role)
_LOCATIVE_BEFORE = re.compile(rf"\b(?:à|au|aux)\s+(?P<first>(?<=à\s)[{UP}][^\s,]*(?:\s+[^\s,]+)?\s+et\s+(?:à\s+)?)?$")


# verbs and nouns whose "à" introduces a person: "a rendu hommage à Kofi Annan", "a remis à X une lettre"
_TO_SOMEONE = re.compile(
    r"\b(?:hommage|visite|remise?|adress[ée]e?s?|succ[ée]d[ée]|transmise?|d[ée]cern[ée]e?s?|t[ée]l[ée]phon[ée]|"
    r"[ée]crit|demand[ée]|souhait[ée]|propos[ée]|condol[ée]ances|f[ée]licitations|lettre|message|parl[ée]|dit|"
    r"remerci[ée]|accord[ée]e?|r[ée]pondu|expliqu[ée]|assur[ée])(?:\s+[^\s.;:]+){0,5}\s*$",
    re.I,
)


def _a_place_by_its_context(text: str, start: int, name: str) -> bool:
    """After "à" a name is a place ("s'est rendu à Hua Hin"), but for a Vietnamese name directly after it, or a name
    after a word that is said to someone ("a rendu hommage à Kofi Annan"); one coordinated with a place before it
    ("à Cha-am et Hua Hin") is a place whatever its shape."""
    window = text[max(0, start - 60) : start]
    m = _LOCATIVE_BEFORE.search(window)
    if m is None:
        return False
    if m.group("first") is not None:
        return True
    return not vietnamese_name(name) and not _TO_SOMEONE.search(window[: m.start()])


def _add(
    tax: Taxonomy,
    text: str,
    found: dict[int, FoundName],
    raw: str,
    start: int,
    known: list[tuple[int, int]],
    excluded: list[tuple[int, int]],
) -> FoundName | None:
    name = _clean(tax, raw, bool(re.search(r"\b(?:aux?|du|de|des|en|d')\s*$", text[max(0, start - 6) : start])))
    if not name:
        return None
    s = start + raw.find(name)
    e = s + len(name)
    if _inside(s, e, known) or _inside(s, e, excluded) or not _is_person(tax, name):
        return None
    if _STORM_BEFORE.search(text[max(0, s - 30) : s]) or _PLACE_NOUN_BEFORE.search(text[max(0, s - 40) : s]):
        return None
    if re.search(r"»\s*\($", text[max(0, s - 4) : s]):
        return None  # « Printemps de la patrie » (Xuân Quê hương): a title's original words
    if _a_place_by_its_context(text, s, name):
        return None  # "le ministre s'est rendu à Cha-am et Hua Hin": a name the role word's clause reaches is a place
    hit = FoundName(slugify_name(name), name, s, e)
    found.setdefault(s, hit)
    return hit
