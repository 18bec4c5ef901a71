"""Align a reviewed English text to its French, segment by segment: the pairs the desk learns from.

Both sides are cut with the translator's own segmentation (``segment.py``): blocks (paragraphs,
headings, list items: one line of the template each), then sentences within a block. Blocks are
matched on their shape (the Markdown prefix and the number of sentences) with ``difflib``, so an
inserted, deleted, split or merged block shifts nothing around it. Sentences are paired only inside
matched blocks of equal sentence counts. When the two structures differ anywhere (a block inserted,
split or merged), a pair must also have lengths plausible for a translation, since a repeated shape
could then be matched to the wrong block; when they are the same throughout, the structure is trusted
(an editor may shorten a sentence a lot). A block an editor re-cut (a sentence split in two, two merged)
has other sentence counts; given the desk's own translations (``known``), those found verbatim in the
English anchor it, and the sentences between anchors pair one to one where both sides have as many.
Everything else is reported as not aligned, never guessed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .memory import normalise
from .segment import Segmented, segment_markdown

_SLOT = re.compile("\ue002(\\d+)\ue003")
LENGTH_RATIO = (0.33, 3.0)  # English/French characters: outside, a pair is more likely wrong than right
MIN_LENGTH = 25  # shorter than this, lengths say nothing


Span = tuple[int, int, int]  # French segment index, first English segment index, end (exclusive)


@dataclass(frozen=True)
class Alignment:
    spans: tuple[Span, ...]  # each aligned French segment and the English segment(s) it became
    unaligned: tuple[int, ...]  # French segment indices left without English
    notes: tuple[str, ...]  # why, one line each

    @property
    def pairs(self) -> tuple[tuple[int, int], ...]:
        """(French index, first English index) of each aligned French segment."""
        return tuple((f, a) for f, a, _ in self.spans)

    def english_of(self) -> dict[int, tuple[int, int]]:
        return {f: (a, b) for f, a, b in self.spans}


def _blocks(seg: Segmented) -> list[tuple[str, list[int]]]:
    """(shape, segment indices) per template line that holds sentences."""
    out = []
    for line in seg.template.split("\n"):
        slots = [int(m.group(1)) for m in _SLOT.finditer(line)]
        if slots:
            prefix = re.sub(r"\d+", "1", line[: line.index("\ue002")].strip())
            out.append((f"{prefix}|{len(slots)}", slots))
    return out


def _plausible(fr: str, en: str) -> bool:
    if max(len(fr), len(en)) < MIN_LENGTH:
        return True
    ratio = len(en) / max(len(fr), 1)
    return LENGTH_RATIO[0] <= ratio <= LENGTH_RATIO[1]


def _anchors(fr: Segmented, en: Segmented, fs: list[int], es: list[int], known: Mapping[str, str]) -> list[Span]:
    """French segments of a block whose known (desk) English is found verbatim as English segment(s) in order."""
    found: list[Span] = []
    j = 0
    for f in fs:
        want = normalise(known.get(fr.segments[f].source(), ""))
        for a in range(j, len(es)) if want else ():
            b = next((b for b in range(a + 1, min(a + 5, len(es)) + 1) if _joined(en, es[a:b]) == want), None)
            if b is not None:
                found.append((f, es[a], es[b - 1] + 1))
                j = b
                break
    return found


def _joined(en: Segmented, idx: list[int]) -> str:
    return normalise(" ".join(en.segments[i].source() for i in idx))


def _guided(fr: Segmented, en: Segmented, fs: list[int], es: list[int], known: Mapping[str, str]) -> list[Span]:
    """A block whose sentence counts differ (an editor split or merged sentences): the desk's own translations
    anchor it; between anchors, sentences pair one to one only where both sides have as many."""
    spans: list[Span] = []
    fi = ei = 0  # positions in fs / es
    for f, a, b in [*_anchors(fr, en, fs, es, known), (None, None, None)]:
        f_end = fs.index(f) if f is not None else len(fs)
        e_end = es.index(a) if a is not None else len(es)
        if f_end - fi == e_end - ei:
            spans += [
                (x, y, y + 1)
                for x, y in zip(fs[fi:f_end], es[ei:e_end], strict=True)
                if _plausible(fr.segments[x].text, en.segments[y].text)
            ]
        if f is None or a is None or b is None:
            break
        spans.append((f, a, b))
        fi, ei = f_end + 1, es.index(b - 1) + 1
    return spans


def align_segmented(fr: Segmented, en: Segmented, known: Mapping[str, str] | None = None) -> Alignment:
    """``known``: French segment (as written) → the desk's English, to align blocks an editor re-cut."""
    fr_blocks, en_blocks = _blocks(fr), _blocks(en)
    matcher = difflib.SequenceMatcher(a=[s for s, _ in fr_blocks], b=[s for s, _ in en_blocks], autojunk=False)
    spans: list[Span] = []
    notes: list[str] = []
    opcodes = matcher.get_opcodes()
    same = all(tag == "equal" for tag, *_ in opcodes)
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "replace" and known and i2 - i1 == j2 - j1:
            for (fshape, fs), (eshape, es) in zip(fr_blocks[i1:i2], en_blocks[j1:j2], strict=True):
                if fshape.split("|")[0] == eshape.split("|")[0]:
                    spans += _guided(fr, en, fs, es, known)
            continue
        if tag != "equal":
            if i2 > i1:
                notes.append(f"French block(s) {i1 + 1}-{i2} have no English block of the same shape")
            continue
        for (_, fs), (_, es) in zip(fr_blocks[i1:i2], en_blocks[j1:j2], strict=True):
            for f, e in zip(fs, es, strict=True):
                if same or _plausible(fr.segments[f].text, en.segments[e].text):
                    spans.append((f, e, e + 1))
                else:
                    notes.append(f"French segment {f + 1}: the English at that place is of an unlikely length")
    paired = {f for f, _, _ in spans}
    unaligned = tuple(i for i in range(len(fr.segments)) if i not in paired)
    if unaligned and not notes:
        notes.append(f"French segment(s) {', '.join(str(i + 1) for i in unaligned)} not aligned")
    return Alignment(tuple(sorted(spans)), unaligned, tuple(notes))


def align_bodies(fr_body: str, en_body: str) -> Alignment:
    return align_segmented(segment_markdown(fr_body), segment_markdown(en_body))


def aligned_pairs(
    fr: Segmented, en: Segmented, known: Mapping[str, str] | None = None
) -> tuple[list[tuple[str, str]], Alignment]:
    """(French segment as written, its English as written) for every aligned segment, and the alignment."""
    a = align_segmented(fr, en, known)
    return [(fr.segments[f].source(), _text(en, x, y)) for f, x, y in a.spans], a


def _text(en: Segmented, start: int, stop: int) -> str:
    return " ".join(en.segments[i].source() for i in range(start, stop))
