"""Ordinals written in words ("le quarante-sixième Sommet", "la trente et unième réunion") read as figures.

The agency usually writes "46e Sommet", but spells the ordinal out in headlines and formal copy. The taxonomy's
patterns read figures and Roman numerals; ``with_figures`` rewrites each spelled-out ordinal of a folded
sentence as "46e" padded with spaces to the same length, so that every offset still points into the original
text. The words are read by text2num (``requirements-import.txt``), not by a hand-written number parser;
without it (an install of the build's set alone) the text is left as it is and ``available()`` says so.
"""

from __future__ import annotations

import re

_NUMBER_WORD = r"(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingts?|trente|quarante|cinquante|soixante|cents?|mille)"
_ORDINAL_STEM = (
    r"(?:un|deux|trois|quatr|cinqu|six|sept|huit|neuv|dix|onz|douz|treiz|quatorz|quinz|seiz|vingt|trent|"
    r"quarant|cinquant|soixant|cent|mill)"
)
# "deuxieme", "quarante-sixieme", "vingt et unieme", "soixante-dix-septieme" in folded (lowercase ASCII) text
# a space joins words only next to "cent" or "mille" ("deux cent troisieme"): "une troisieme fois" is not 13th
_SPELLED = re.compile(
    rf"\b(?:{_NUMBER_WORD}(?:\s+et\s+|-et-|-|\s+(?=cent|mille))|(?:cents?|mille)\s+)*{_ORDINAL_STEM}ieme\b"
)
_FIGURES = re.compile(r"\d+")


def available() -> bool:
    try:
        import text_to_num  # noqa: F401
    except ImportError:
        return False
    return True


def with_figures(folded: str) -> str:
    """``folded`` with each spelled-out ordinal as "46e" and spaces: same length, same offsets."""
    if "ieme" not in folded or not available():
        return folded
    return _SPELLED.sub(_as_figures, folded)


def _as_figures(m: re.Match[str]) -> str:
    from text_to_num import alpha2digit

    words = m.group(0)
    figures = _FIGURES.search(alpha2digit(words.replace("ieme", "ième"), "fr", threshold=0))
    if not figures:
        return words
    return f"{figures.group(0)}e".ljust(len(words))
