"""Markdown-aware segmentation: translate text, never markup.

A body becomes a *template* (the Markdown with a slot per sentence) and *segments* (sentences
whose markup and protected terms are locked into placeholders). Headings, list markers, block
quotes, emphasis markers, link targets, inline code, HTML and escapes are locked; fenced and
indented code blocks are kept whole. Sentences are split here, with French abbreviations and
numbers in mind, so a build never needs a sentence model from the internet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..taxonomy import UP

LOCK_OPEN, LOCK_CLOSE = "\ue000", "\ue001"
SLOT = "\ue002{}\ue003"
_SLOT_RE = re.compile("\ue002(\\d+)\ue003")
_LOCK_RE = re.compile(f"{LOCK_OPEN}(\\d+){LOCK_CLOSE}")
_PREFIX = re.compile(r"^(\s{0,3}(?:#{1,6}\s*|[-*+](?:\s+|$)|\d{1,9}[.)](?:\s+|$)|>\s?)*)")
_INLINE = re.compile(
    r"`+[^`]*`+"  # inline code
    r"|!?\[(?=[^\]]*\]\()"  # opening of a link or image whose text we translate
    r"|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"  # link target (URL and title) kept
    r"|<[a-zA-Z/!][^>]*>"  # raw HTML tag, autolink
    r"|&(?:#\d+|#x[0-9a-fA-F]+|\w+);"  # entity
    r"|\\[\\`*_{}\[\]()#+\-.!|<>]"  # Markdown escape
    r"|\*\*|__|\*|(?<!\w)_|_(?!\w)"  # emphasis markers
)
ABBREVIATIONS = frozenset(
    "m mm mme mmes mlle dr pr me st ste av apr j.-c cf ex p pp vol no n° art al éd ed fig chap env min "
    "max sq t vs gen gén col cdt lt sgt adj dir".split()
)
_BOUNDARY = re.compile(rf"(?<=[.!?…])((?:\s*[»\"”’)])*)\s+(?=[«\"“(\[]?\s*[{UP}\d{LOCK_OPEN}])")


@dataclass(frozen=True)
class Segment:
    text: str  # sentence with LOCK_OPEN n LOCK_CLOSE placeholders
    locks: tuple[str, ...]  # what each placeholder stands for, in the source

    def source(self) -> str:
        """The sentence as written, markup included."""
        return _LOCK_RE.sub(lambda m: self.locks[int(m.group(1))], self.text)


@dataclass(frozen=True)
class Segmented:
    template: str
    segments: tuple[Segment, ...]


def split_sentences(text: str) -> list[str]:
    """French-aware sentence split; the pieces joined with single spaces give back ``text``'s words."""
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        before = text[start : m.start()]
        word = re.search(r"([\w.\-°]+)[.!?…]*$", before)
        token = word.group(1).lower().rstrip(".") if word else ""
        if before.endswith(".") and (
            token in ABBREVIATIONS or re.fullmatch(r"[a-zà-ỹ]", token) or re.fullmatch(r"(?:[a-z]\.)+[a-z]?", token)
        ):
            continue  # "M. Bui", "J.-C.", an initial
        end = m.start() + len(m.group(1))
        out.append(text[start:end].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def _lock_inline(text: str) -> tuple[str, list[str]]:
    locks: list[str] = []

    def sub(m: re.Match[str]) -> str:
        locks.append(m.group(0))
        return f"{LOCK_OPEN}{len(locks) - 1}{LOCK_CLOSE}"

    return _INLINE.sub(sub, text), locks


def _renumber(sentence: str, locks: list[str]) -> Segment:
    used: list[str] = []

    def sub(m: re.Match[str]) -> str:
        used.append(locks[int(m.group(1))])
        return f"{LOCK_OPEN}{len(used) - 1}{LOCK_CLOSE}"

    return Segment(_LOCK_RE.sub(sub, sentence), tuple(used))


def _kept_whole(line: str) -> bool:
    """A rule, table row, HTML block or link reference: never translated."""
    return bool(
        re.match(r"^\s{0,3}(?:[-*_]\s*){3,}$", line)
        or line.lstrip().startswith("|")
        or re.match(r"^\s{0,3}<", line)
        or re.match(r"^\s*\[[^\]]+\]:\s", line)
    )


def segment_markdown(body: str) -> Segmented:
    lines = body.split("\n")
    out_lines: list[str] = []
    segments: list[Segment] = []
    in_fence: str | None = None

    def add_text(prefix: str, text: str) -> str:
        locked, locks = _lock_inline(text)
        slots = []
        for sentence in split_sentences(locked):
            segments.append(_renumber(sentence, locks))
            slots.append(SLOT.format(len(segments) - 1))
        return prefix + " ".join(slots)

    pending: tuple[str, list[str]] | None = None  # (prefix, lines) of the current paragraph

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            prefix, texts = pending
            out_lines.append(add_text(prefix, " ".join(t.strip() for t in texts)))
            pending = None

    for line in lines:
        fence = re.match(r"^\s{0,3}(```+|~~~+)", line)
        if in_fence:
            out_lines.append(line)
            if fence and fence.group(1)[0] == in_fence[0] and len(fence.group(1)) >= len(in_fence):
                in_fence = None
            continue
        if fence:
            flush()
            in_fence = fence.group(1)
            out_lines.append(line)
            continue
        if not line.strip():
            flush()
            out_lines.append(line)
            continue
        if line.startswith(("    ", "\t")) and pending is None:
            out_lines.append(line)  # indented code
            continue
        if _kept_whole(line):
            flush()
            out_lines.append(line)  # rule, table, HTML block, link reference: kept as is
            continue
        prefix = _PREFIX.match(line).group(1)  # type: ignore[union-attr]
        if prefix.strip():
            flush()
            pending = (prefix, [line[len(prefix) :]])
        elif pending is not None:
            pending[1].append(line)
        else:
            pending = ("", [line])
    flush()
    return Segmented("\n".join(out_lines), tuple(segments))


def fill(template: str, translations: list[str]) -> str:
    return _SLOT_RE.sub(lambda m: translations[int(m.group(1))], template)


def segment_plain(text: str) -> Segmented:
    """Front-matter text (title, summary, caption): sentences, no Markdown."""
    slots = []
    segments = []
    for sentence in split_sentences(" ".join(text.split())):
        segments.append(Segment(sentence, ()))
        slots.append(SLOT.format(len(segments) - 1))
    return Segmented(" ".join(slots), tuple(segments))
