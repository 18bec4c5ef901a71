"""Protected terms and the glossary: names and set phrases every engine must render exactly.

Terms are found on folded text (so "Lê Thi Thu Hang" matches "Lê Thị Thu Hằng" and "BuiThanh Son"
matches "Bui Thanh Son") and locked into placeholders like markup is. After translation each
placeholder must come back exactly once; if an engine drops or duplicates one, the segment is
translated again piece by piece between the locked parts, which guarantees the terms whatever
the engine does.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..frontmatter import escape_markdown
from ..schema import read_glossary
from ..taxonomy import Taxonomy, Term, fold
from .segment import LOCK_CLOSE, LOCK_OPEN, Segment

_LOCK_RE = re.compile(f"{LOCK_OPEN}(\\d+){LOCK_CLOSE}")


@dataclass(frozen=True)
class Locked:
    """A segment ready for an engine: text with locks, and what each lock becomes in English."""

    text: str
    targets: tuple[str, ...]
    spaces: tuple[tuple[bool, bool], ...] = ()  # whitespace before/after each lock in the source


def load_glossary(path: Path) -> tuple[list[Term], str]:
    raw = read_glossary(path)  # checked against schema.GLOSSARY: errors with file:line
    if raw is None:
        return [], "0"
    terms = raw.get("terms") or {}
    return [Term(str(k), str(v)) for k, v in terms.items()], str(raw.get("version", "1"))


class Protector:
    def __init__(self, terms: list[Term]) -> None:
        by_key: dict[str, str] = {}
        for t in terms:
            key = " ".join(fold(t.fr).replace("-", " ").split())
            if key:
                by_key.setdefault(key, t.en)
        self._target = by_key
        patterns = sorted(by_key, key=len, reverse=True)
        self._re = (
            re.compile(
                "|".join(
                    r"(?<![\w])" + r"[\s\-]*".join(re.escape(w) for w in p.split()) + r"(?![\w])" for p in patterns
                )
            )
            if patterns
            else None
        )
        self.version = hashlib.sha256("\n".join(f"{k}\t{v}" for k, v in sorted(by_key.items())).encode()).hexdigest()[
            :12
        ]

    @classmethod
    def for_project(cls, tax: Taxonomy, glossary: list[Term], glossary_version: str) -> Protector:
        p = cls(glossary + tax.protected_terms())
        p.version = f"{glossary_version}-{p.version}"
        return p

    def lock(self, seg: Segment) -> Locked:
        """Lock protected terms too; markup locks become themselves, term locks their English form."""
        targets = list(seg.locks)
        text = seg.text
        if self._re is not None:
            folded = fold(text)
            pieces = []
            last = 0
            for m in self._re.finditer(folded):
                key = " ".join(m.group(0).replace("-", " ").split())
                pieces.append(text[last : m.start()])
                targets.append(self._target[key])
                pieces.append(f"{LOCK_OPEN}{len(targets) - 1}{LOCK_CLOSE}")
                last = m.end()
            pieces.append(text[last:])
            text = "".join(pieces)
        spaces = [(True, True)] * len(targets)
        for m in _LOCK_RE.finditer(text):
            # after a French elision (l', d', qu') the English needs a space: "de l'Assemblée" → "of the Assembly"
            before = m.start() == 0 or text[m.start() - 1].isspace() or text[m.start() - 1] in "'’"
            after = m.end() == len(text) or text[m.end()].isspace()
            spaces[int(m.group(1))] = (before, after)
        return Locked(text, tuple(targets), tuple(spaces))


def to_engine(locked: Locked, token) -> str:
    return _LOCK_RE.sub(lambda m: f" {token(int(m.group(1)))} ", locked.text).strip()


def restore(output: str, locked: Locked, token) -> str | None:
    """Put the English targets back; ``None`` if the engine lost or repeated a placeholder."""
    output = escape_markdown(output)  # engine output is text: its '-' or '*' must not become markup
    for i in range(len(locked.targets)):
        if output.count(token(i)) != 1:
            return None
    for i, target in enumerate(locked.targets):
        before, after = locked.spaces[i] if i < len(locked.spaces) else (True, True)
        output = re.sub(
            r"\s*" + re.escape(token(i)) + r"\s*",
            lambda m, t=target, b=before, a=after: (" " if b and m.start() else "") + t + (" " if a else ""),
            output,
        )
    return tidy(output)


def pieces(locked: Locked) -> list[str]:
    """The translatable text between locks (for the piecewise fallback)."""
    return _LOCK_RE.split(locked.text)[0::2]


def join_pieces(translated: list[str], locked: Locked, original: list[str]) -> str:
    out = []
    for i, (piece, src) in enumerate(zip(translated, original, strict=False)):
        lead = " " if src[:1].isspace() else ""
        trail = " " if src[-1:].isspace() else ""
        out.append(lead + escape_markdown(piece.strip()) + trail if piece.strip() else src)
        if i < len(locked.targets):
            out.append(locked.targets[i])
    return tidy("".join(out))


def tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"(?<=\w)\s+([,.;:!?)])", r"\1", text)
    return text.strip()
