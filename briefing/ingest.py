"""Raw dispatch bytes → text: decoding, with clear errors for what is not a dispatch (pure: bytes in, text out).

The structure of the decoded copy (headline, dateline, captions, sign-off, teasers) is ``structure.py``'s job;
``parse_dispatch`` and ``Dispatch`` are re-exported here for the importer.
"""

from __future__ import annotations

import unicodedata

from .errors import InputError
from .structure import Dispatch, derive_title, first_sentences, parse_dispatch, repair

__all__ = ["Dispatch", "decode", "derive_title", "first_sentences", "parse_dispatch", "repair"]

MAX_BYTES = 5_000_000  # a dispatch is a few KB; 5 MB is far past any real article

# -- decoding -------------------------------------------------------------------------------------


def decode(data: bytes, path: str) -> tuple[str, list[str]]:
    """Bytes → NFC text with ``\\n`` line ends. Raises ``InputError`` for empty, binary or undecodable input."""
    warnings: list[str] = []
    if len(data) > MAX_BYTES:
        raise InputError(path, f"file is {len(data):,} bytes; a dispatch is expected to be under {MAX_BYTES:,}")
    if not data.strip():
        raise InputError(path, "file is empty")
    if b"\x00" in data[:8192]:
        raise InputError(path, "file is binary (it contains NUL bytes), not a text dispatch")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(
                path, f"not UTF-8 (invalid byte 0x{data[exc.start]:02x}) and not Windows-1252 either", line=line
            ) from None
        if not _plausible_latin(text):
            raise InputError(
                path,
                f"unknown encoding: not UTF-8 (invalid byte 0x{data[exc.start]:02x} at "
                f"byte {exc.start}) and not readable as Windows-1252/Latin-1",
                line=line,
            ) from None
        warnings.append("decoded as Windows-1252/Latin-1 (not UTF-8)")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\t")
    if controls > max(8, len(text) // 100):
        raise InputError(path, f"file looks binary: {controls} control characters")
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    if not any(c.isalpha() for c in text):
        raise InputError(path, "file has no letters: nothing to import")
    return text, warnings


def _plausible_latin(text: str) -> bool:
    """French decoded as cp1252 is mostly letters and spaces, with few symbols from the C1 range."""
    letters = sum(c.isalpha() or c.isspace() for c in text)
    odd = sum(c in "\u0080\u0081\u008d\u008f\u0090\u009d" or unicodedata.category(c) in ("Co", "Cn") for c in text)
    return letters / max(1, len(text)) > 0.75 and odd == 0
