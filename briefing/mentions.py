"""Who an article is about: people named in the article proper and its own captions, ministers or not.

Teasers and related links are never read. A person is a *minister* when the taxonomy gives them a
government role (president, prime minister, deputy PM, minister, vice-minister) at the article's date; a
name the taxonomy does not know that a Vietnamese government role word introduces ("le vice-ministre de la
Santé X") stays one of ``people``, with a warning and a suggestion, until the editor adds it (a minister's page
shows roles only an entry gives); everyone else is one of ``people``. Enumerations of earlier
office-holders are not people of the article. "Le chef de la diplomatie vietnamienne" is the Minister of
Foreign Affairs of the day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .names import enumeration_spans, find_unknown_names, vietnamese_name
from .taxonomy import GOVERNMENT_RANKS, Taxonomy, fold

# role words just before a name → the rank they imply (folded text; most specific first)
ROLE_WORDS: tuple[tuple[str, str], ...] = (
    (r"vice-premiers?\s+ministres?|vice-pm\b", "deputy-prime-minister"),
    (r"premiers?\s+ministres?|\bpm\b|chefs?\s+du\s+gouvernement", "prime-minister"),  # "les Premiers ministres X et Y"
    (r"vice-president", "vice-president"),
    (
        r"president\s+de\s+la\s+republique|chef\s+de\s+l.etat|\bpresident\b(?!\s+du\s+comite|\s+de\s+l.assemblee)",
        "president",
    ),
    (r"vice-ministre|ministre\s+adjoint|vice-ministres", "vice-minister"),
    (r"\bministres?\b|chef\s+de\s+la\s+diplomatie", "minister"),
    (r"porte-parole", "spokesperson"),
    (r"ambassadeur|ambassadrice|representant\s+permanent", "ambassador"),
    (r"secretaire\s+general", "general-secretary"),
    (r"chef\s+de\s+la\s+commission|permanent\s+du\s+secretariat|secretaire\s+du\s+comite", "party"),
    (r"president\s+de\s+l.assemblee", "assembly"),
)
_ROLE_RE = re.compile("|".join(f"(?P<r{i}>{p})" for i, (p, _) in enumerate(ROLE_WORDS)))
_DEMONYMS = (
    r"japonais|chinois|malaisien|thailandais|australien|laotien|lao|cambodgien|khmer|americain|russe|suisse|indien|"
    r"indonesien|philippin|singapourien|birman|bruneien|coreen|sud-coreen|francais|allemand|britannique|canadien|"
    r"neo-zelandais|koweitien|saoudien|emirien|turc|egyptien|sud-africain|ougandais|bresilien|mexicain|cubain|"
    r"argentin|chilien|italien|espagnol|portugais|neerlandais|belge|polonais|tcheque|hongrois|ukrainien|iranien|"
    r"israelien|pakistanais|bangladais|mongol|timorais|europeen|norvegien|suedois|danois|finlandais|irlandais|"
    r"autrichien|grec|algerien|marocain|tunisien|nigerian|kenyan|qatari|omanais|bahreini|jordanien|libanais|syrien|"
    r"irakien|venezuelien|colombien|peruvien|maldivien|nepalais|sri-lankais|kazakh|ouzbek|azerbaidjanais|beninois"
)
_FOREIGN = re.compile(
    rf"\b(?:(?:{_DEMONYMS})(?:ne|e)?s?\b|etrangers?\b|homologues?\b|du\s+comite\s+populaire|provincial|"
    r"de\s+l.onu|des\s+nations\s+unies|de\s+l.asean\b|de\s+l.ue\b|(?:du|de\s+la|de\s+l.|des)\s+[a-z-]+\s+aux?\s+affaires)"
)
_FOREIGN_MINISTER = re.compile(r"\bchef\s+de\s+la\s+diplomatie\s+vietnamienne\b")
_FORMER = re.compile(r"\b(?:ancien(?:ne)?s?|ex-|predecesseurs?|feu)\b")


@dataclass(frozen=True)
class PersonMention:
    id: str
    paragraph: int
    role_rank: str | None  # rank implied by the words before the name, if any
    known: bool = True  # in the taxonomy (else found by the shape of the text)
    name: str = ""


def role_before(folded_para: str, start: int) -> str | None:
    """The rank named by the role words closest before a name, within its clause; "foreign" for another country's."""
    window = folded_para[max(0, start - 90) : start]
    window = re.split(r"[.;:!?]|\bet\s+(?=le\b|la\b)|\bainsi\s+que\b|\bavec\b", window)[-1]
    best = None
    for m in _ROLE_RE.finditer(window):
        for i, (_, rank) in enumerate(ROLE_WORDS):
            if m.group(f"r{i}"):
                best = (m.start(), rank)
                break
    if best is None:
        return None
    tail = window[best[0] :]
    if _FOREIGN.search(tail) and not re.search(r"\bvietnam", tail):
        return "foreign"
    if _FORMER.search(window[max(0, best[0] - 12) : best[0] + 1]):
        return "former"
    return best[1]


def find_people(tax: Taxonomy, texts: list[str], use_nlp: bool = False) -> list[PersonMention]:
    """Taxonomy people and unknown names in ``texts`` (paragraphs, then the article's own captions)."""
    out = []
    article_words = set(re.findall(r"\w+", "\n".join(texts)))
    for n, text in enumerate(texts):
        text = _unglue_auxiliary(text, article_words)
        folded = fold(text)
        skip = enumeration_spans(text)
        for m in tax.find_people(text):
            if not any(s < m.end and m.start < e for s, e in skip):
                out.append(PersonMention(m.id, n, role_before(folded, m.start)))
        for hit in find_unknown_names(tax, text, use_nlp):
            out.append(PersonMention(hit.slug, n, role_before(folded, hit.start), known=False, name=hit.name))
    # "le sultan Qaboos" is the short form of "le sultan Qaboos bin Saïd Al Saïd" written elsewhere in the article
    return [m for m in out if m.known or "-" in m.id or not any(o.id.startswith(m.id + "-") for o in out)]


# a name the scraper glued to the auxiliary after it: "Nguyen Tan Dunga participé" is "… Dung a participé"
_GLUED_AUXILIARY = re.compile(r"\b(?P<word>[A-ZÀ-Ý][^\W\d_]+)a(?= (?:été|eu|[a-zà-ÿ]+(?:é|i|is|it|u|ert|eint|ait))\b)")


def _unglue_auxiliary(text: str, article_words: set[str]) -> str:
    """Split the auxiliary "a" off a name glued to it, when the article also writes the name without it."""
    return _GLUED_AUXILIARY.sub(lambda m: f"{m['word']} a" if m["word"] in article_words else m[0], text)


def unknown_people(tax: Taxonomy, paragraphs: list[str]) -> list[tuple[str, str]]:
    """``(slug, name)`` of the names the taxonomy does not know (see ``names``), in order of first mention."""
    found: dict[str, str] = {}
    for para in paragraphs:
        for hit in find_unknown_names(tax, para):
            found.setdefault(hit.slug, hit.name)
    return list(found.items())


def foreign_minister_on(tax: Taxonomy, texts: list[str], day: dt.date | None) -> list[PersonMention]:
    """ "le chef de la diplomatie vietnamienne": the Minister of Foreign Affairs on the article's date."""
    if day is None or not any(_FOREIGN_MINISTER.search(fold(t)) for t in texts):
        return []
    for person in tax.people.values():
        for role in person.roles_on(day):
            if role.rank == "minister" and "affaires etrangeres" in fold(role.fr):
                return [PersonMention(person.id, 0, "minister")]
    return []


def classify_people(
    tax: Taxonomy, mentions: list[PersonMention], day: dt.date | None, years: list[int]
) -> tuple[list[str], list[str]]:
    """``(ministers, people)`` in order of first mention."""
    ministers: list[str] = []
    people: list[str] = []
    for m in mentions:
        if m.id in ministers or m.id in people:
            continue
        (ministers if _is_minister(tax, m, day, years) else people).append(m.id)
    return ministers, people


def _is_minister(tax: Taxonomy, m: PersonMention, day: dt.date | None, years: list[int]) -> bool:
    """A minister has a taxonomy entry (a minister's page shows its roles); a name the taxonomy lacks stays one
    of ``people`` until the editor adds it (``unknown_government_members`` says which to add)."""
    person = tax.people.get(m.id) if m.known else None
    if person is None:
        return False
    if day is not None:
        return person.is_minister_on(day)
    if years:
        return all(person.is_minister_on(dt.date(y, 7, 1)) for y in years)
    return m.role_rank in GOVERNMENT_RANKS and any(r.government for r in person.roles)


def unknown_government_members(found: list[PersonMention]) -> dict[str, str]:
    """Names the taxonomy lacks that a Vietnamese government role word introduces: slug → the rank it implies."""
    return {
        m.id: str(m.role_rank)
        for m in found
        if not m.known and m.role_rank in GOVERNMENT_RANKS and vietnamese_name(m.name)
    }
