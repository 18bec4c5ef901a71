"""Raw dispatch bytes → text: decoding, with clear errors for what is not a dispatch (pure: bytes in, text out).

UTF-16 with a byte-order mark is read; otherwise UTF-8, strictly: a file that is mostly UTF-8 stays UTF-8,
its bad bytes replaced and reported by line, column and offset (one bad byte must never turn the whole
article into mojibake); only a file with no UTF-8 in it is read as Windows-1252. Invisible characters that
break name matching or reorder text (zero-width, soft hyphen, bidi controls) are removed. Every step is one
pass over the data.

The structure of the decoded copy (headline, dateline, captions, sign-off, teasers) is ``structure.py``'s job;
``parse_dispatch`` and ``Dispatch`` are re-exported here for the importer.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import InputError
from .repair import repair
from .structure import Dispatch, derive_title, first_sentences, parse_dispatch

__all__ = ["Dispatch", "decode", "derive_title", "first_sentences", "parse_dispatch", "repair"]

MAX_BYTES = 5_000_000  # a dispatch is a few KB; 5 MB is far past any real article

# -- decoding -------------------------------------------------------------------------------------

_UTF8_RUN = re.compile(  # runs of well-formed UTF-8 (RFC 3629: no overlongs, no surrogates)
    rb"(?:[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2})+"
)
_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
# invisible characters that only get in the way: zero-width spaces and joiners, word joiner, soft hyphen,
# a stray byte-order mark, and the bidi marks, embeddings, overrides and isolates that can reorder a title
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069\u061c]")


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # category Cc, but tab and newline


def _bad_utf8(data: bytes) -> list[int]:
    """Offsets of the bytes that are not part of well-formed UTF-8 (one pass over the data)."""
    bad: list[int] = []
    pos = 0
    for m in _UTF8_RUN.finditer(data):
        bad += range(pos, m.start())
        pos = m.end()
    return bad + list(range(pos, len(data)))


def _where(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"line {line} col {col} (byte 0x{data[offset]:02x} at {offset:,})"


def _decode_text(data: bytes, path: str) -> tuple[str, list[str]]:
    """UTF-16 with a byte-order mark; else UTF-8, strictly; a file mostly UTF-8 stays UTF-8 with its bad
    bytes replaced and reported by position; only a file with no UTF-8 in it is read as Windows-1252."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise InputError(
                path, f"starts with a UTF-16 byte-order mark but is not UTF-16 (at byte {exc.start:,})"
            ) from None
    if b"\x00" in data[:8192]:
        raise InputError(path, "file is binary (it contains NUL bytes), not a text dispatch")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    bad = _bad_utf8(data)
    if len(_MULTIBYTE.findall(data)) >= len(bad):  # mostly UTF-8: one bad byte never turns the rest to mojibake
        places = ", ".join(_where(data, i) for i in bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        text = data.decode("utf-8-sig", errors="replace")
        return text, [f"not valid UTF-8 at {places}: replaced by \ufffd, check the words there"]
    line = data.count(b"\n", 0, bad[0]) + 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if not text or not _plausible_latin(text):
        raise InputError(
            path,
            f"unknown encoding: not UTF-8 (first invalid byte at {_where(data, bad[0])}) and not Windows-1252",
            line=line,
        )
    return text, ["decoded as Windows-1252/Latin-1 (not UTF-8)"]


def decode(data: bytes, path: str) -> tuple[str, list[str]]:
    """Bytes → NFC text with ``\\n`` line ends. Raises ``InputError`` for empty, binary or undecodable input."""
    if len(data) > MAX_BYTES:
        raise InputError(path, f"file is {len(data):,} bytes; a dispatch is expected to be under {MAX_BYTES:,}")
    if not data.strip():
        raise InputError(path, "file is empty")
    text, warnings = _decode_text(data, path)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text, invisible = _INVISIBLE.subn("", text)
    if invisible:
        warnings.append(f"removed {invisible} invisible character(s) (zero-width, soft hyphen, bidi control)")
    text, controls = _CONTROLS.subn("", text)
    if controls > max(8, len(text) // 100):
        raise InputError(path, f"file looks binary: {controls} control characters")
    if not text.strip() or not any(c.isalpha() for c in text):
        raise InputError(path, "file has no letters: nothing to import")
    return text, warnings


def _plausible_latin(text: str) -> bool:
    """French decoded as cp1252 is mostly letters and spaces, with few symbols from the C1 range."""
    letters = sum(c.isalpha() or c.isspace() for c in text)
    odd = sum(c in "\u0080\u0081\u008d\u008f\u0090\u009d" or unicodedata.category(c) in ("Co", "Cn") for c in text)
    return letters / max(1, len(text)) > 0.75 and odd == 0
