"""Folding text for matching: lowercase ASCII-ish, one character for one (offsets kept), and name slugs.

Matching works on text *folded* character by character (lowercase ASCII, ``đ`` → ``d``, ``’`` → ``'``),
which keeps every offset of the original text, so a mention found in folded text can be cut out of
the real one. Names match with or without diacritics and with missing spaces ("BuiThanh Son").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
    # letters with no decomposition: "Paweł Jabłoński", "Jonas Gahr Støre", "Ðorđević", "Þór"
    "ł": "l",
    "Ł": "l",
    "ø": "o",
    "Ø": "o",
    "ı": "i",
    "Ð": "d",
    "ð": "d",
    "þ": "t",
    "Þ": "t",
    "ħ": "h",
    "Ħ": "h",
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
