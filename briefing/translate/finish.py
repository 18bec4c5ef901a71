"""The English finishing pass: French typography and leftovers an engine lets through, made English.

Applied to every translated segment (and to the English front matter), outside code spans, link
targets, HTML tags and URLs:

* numbers: ``1.100`` → ``1,100`` (thousands), ``3,5`` → ``3.5`` (decimals), ``3,5 %`` → ``3.5%``;
* quotes: ``« … »`` → ``“…”``, ``‹ … ›`` → ``‘…’``;
* ordinals: ``14ᵉ``/``14e``/``14ème`` → ``14th``, ``1er``/``1re`` → ``1st``;
* a sentence that starts with a capital in French starts with one in English;
* spaces: no-break and thin spaces → plain spaces; none before ``; : ! ? %``;
* places: French forms from the taxonomy → their English form (``Hanoï`` → ``Hanoi``);
* datelines: ``Hanoi, 18 December (VNA) -`` → ``Hanoi, December 18 (VNA) –``;
* no article before a bare country or acronym name the French gave one: "the Vietnam", "of the ASEAN"
  → "Vietnam", "of ASEAN" (kept before a name it qualifies: "the ASEAN Summit", "the ASEAN foreign ministers").
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_KEEP = re.compile(r"`+[^`]*`+|\]\([^)]*\)|<[^>]+>|https?://\S+|\ue000\d+\ue001")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d]|\.\d)")
_DECIMAL = re.compile(r"(?<![\d.,])(\d+),(\d{1,2}|\d{4,})(?![\d])")
_PERCENT = re.compile(r"(\d)[\s\u00a0\u202f]*(%|pour cent\b)")
_ORDINAL = re.compile(r"\b(\d{1,4})(?:ᵉ|ème|eme|e|è)(?![\w])")
_FIRST = re.compile(r"\b1(?:er|re|ère|ᵉʳ|ʳᵉ)(?![\w])")
_SPACES = re.compile(r"[\u00a0\u202f\u2009\u2007]")
_SPACE_BEFORE = re.compile(r"[ \t]+([;:!?%])")
BARE_NAMES = ("ASEAN", "UNESCO", "VNA", "APEC")
COUNTRIES = ("Vietnam", "Laos", "Cambodia", "Japan", "China", "France", "Malaysia", "Thailand", "Indonesia")
_BARE = re.compile(
    r"\b([Tt])he (" + "|".join(BARE_NAMES) + r")(?=[,.;:)!?]|$| (?:and|or|in|to|of|for|on|with|as|at|by|is|has|have|"
    r"was|were|will|had|also|which|that|since|from)\b)"
)
_COUNTRY = re.compile(r"\b[Tt]he (" + "|".join(COUNTRIES) + r")\b(?! [A-Z]|-)")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATELINE = re.compile(
    rf"^(?P<place>[A-Z][^,()\n]{{1,40}}),\s+(?P<day>\d{{1,2}})\s+(?P<month>{_MONTHS})\s+"
    r"\((?P<agency>[A-Z]{2,10})\)\s*[-–—]\s*"
)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _quotes(text: str) -> str:
    text = re.sub(r"«[\s\u00a0\u202f]*", "“", text)
    text = re.sub(r"[\s\u00a0\u202f]*»", "”", text)
    text = re.sub(r"‹[\s\u00a0\u202f]*", "‘", text)
    return re.sub(r"[\s\u00a0\u202f]*›", "’", text)


def _numbers(text: str) -> str:
    text = _PERCENT.sub(r"\1%", text)
    text = _THOUSANDS.sub(lambda m: m.group(0).replace(".", ","), text)
    text = _DECIMAL.sub(r"\1.\2", text)
    text = _FIRST.sub("1st", text)
    return _ORDINAL.sub(lambda m: ordinal(int(m.group(1))), text)


def _places(text: str, places: Mapping[str, str]) -> str:
    for fr, en in places.items():
        if fr != en and fr in text:
            text = re.sub(rf"(?<![\w]){re.escape(fr)}(?![\w])", en, text)
    return text


def _plain(text: str, places: Mapping[str, str]) -> str:
    text = _SPACES.sub(" ", text)
    text = _quotes(text)
    text = _numbers(text)
    text = _places(text, places)
    text = _BARE.sub(lambda m: m.group(2), text)
    text = _COUNTRY.sub(lambda m: m.group(1), text)
    return _SPACE_BEFORE.sub(r"\1", text)


def finish(text: str, places: Mapping[str, str] = {}, capital: bool = False) -> str:  # noqa: B006 (read only)
    """``text`` with English typography, leaving code, link targets, HTML and URLs as they are.

    ``capital``: the French sentence starts with a capital, so the English does ("en outre, …" locked as
    "moreover" at the start of a sentence → "Moreover, …").
    """
    out, last = [], 0
    for m in _KEEP.finditer(text):
        out.append(_plain(text[last : m.start()], places))
        out.append(m.group(0))
        last = m.end()
    out.append(_plain(text[last:], places))
    text = dateline("".join(out))
    if capital and text[:1].islower():
        text = text[0].upper() + text[1:]
    return text


def dateline(text: str) -> str:
    """A leading agency dateline in English order and punctuation."""
    return _DATELINE.sub(lambda m: f"{m['place']}, {m['month']} {m['day']} ({m['agency']}) – ", text, count=1)


def place_forms(places: list[tuple[str, str]]) -> dict[str, str]:
    """French written forms → English, longest first (so "Hô Chi Minh-Ville" wins over a shorter one)."""
    # the English without its gloss: "Truong Sa (Spratly)" stays "Truong Sa" where the text has only that
    bare = [(fr, re.sub(r"\s*\([^()]*\)$", "", en)) for fr, en in places if fr and en]
    return dict(sorted(((fr, en) for fr, en in bare if fr != en), key=lambda p: -len(p[0])))
