"""TMX 1.4 for the translation memory's human rows, read and written by translate-toolkit.

Export: one ``<tu>`` per pair (French source, English by an editor or translator). Import: every ``<tu>`` must
hold a French and an English ``<tuv>`` (``fr``, ``fr-FR``… and ``en``, ``en-GB``…; other languages beside them
are ignored); a file that is not TMX, or a unit without the pair, is refused whole with its line.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lxml import etree
from translate.misc.xml_helpers import getXMLlang
from translate.storage import tmx as tt

from ..errors import ExchangeError, Problem
from .exchange import SOURCE_LANG, TARGET_LANG, same_language, xml_root

Pair = tuple[str, str]  # French, English


def write_tmx(pairs: Iterable[Pair]) -> bytes:
    store = tt.tmxfile(sourcelanguage=SOURCE_LANG, targetlanguage=TARGET_LANG)
    for french, english in pairs:
        store.addtranslation(french, SOURCE_LANG, english, TARGET_LANG)
    return bytes(store)


def read_tmx(data: bytes, path: Path) -> list[Pair]:
    """Every (French, English) pair of a TMX file; ``ExchangeError`` listing every unusable unit."""
    root = xml_root(data, path, "tmx", "a TMX file")
    try:
        store = tt.tmxfile.parsestring(data)
    except (ValueError, AssertionError, etree.LxmlError) as exc:
        raise ExchangeError([Problem(path, None, f"unreadable TMX: {exc}")]) from None
    pairs: list[Pair] = []
    problems: list[Problem] = []
    for tu in store.units:
        pair = _pair(tu)
        if isinstance(pair, str):
            problems.append(Problem(path, tu.xmlelement.sourceline, pair))
        else:
            pairs.append(pair)
    if not store.units:
        problems.append(Problem(path, root.sourceline, "no translation units"))
    if problems:
        raise ExchangeError(problems)
    return pairs


def _pair(tu: Any) -> Pair | str:
    """The unit's French and English, or what is wrong with it."""
    texts: dict[str, str] = {}
    langs = []
    for node in tu.getlanguageNodes():
        lang = getXMLlang(node) or ""
        langs.append(lang)
        for code in (SOURCE_LANG, TARGET_LANG):
            if same_language(lang, code) and code not in texts:
                texts[code] = tu.getNodeText(node) or ""
    if len(texts) < 2 or not all(t.strip() for t in texts.values()):
        return f"unit in {', '.join(langs) or 'no language'}: needs non-empty {SOURCE_LANG} and {TARGET_LANG}"
    return texts[SOURCE_LANG], texts[TARGET_LANG]
