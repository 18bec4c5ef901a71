"""Align a reviewed English text to its French, segment by segment: the pairs the desk learns from.

Both sides are cut with the translator's own segmentation (``segment.py``): blocks (paragraphs,
headings, list items: one line of the template each), then sentences within a block. With as many
blocks of the same Markdown prefixes on both sides, blocks pair in order; otherwise (a block inserted
or deleted) they are matched on their shape (prefix and sentence count) with ``difflib``. Sentences pair
one to one inside paired blocks of equal sentence counts. When the structures are the same throughout
the pairing is trusted (an editor may rewrite a sentence freely); otherwise each pair must also look
like a translation: the same numbers (separators aside) and a plausible length. A block whose sentence
counts differ (an editor split or merged sentences, or the splitter cut the English elsewhere) is
anchored by the desk's own translations (``known``) found verbatim in it, the sentences between anchors
pairing one to one where both sides have as many. Everything else is reported as not aligned, never
guessed.
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


_Block = tuple[str, list[int]]  # shape ("prefix|sentences"), segment indices


def _prefix(shape: str) -> str:
    return shape.rsplit("|", 1)[0]


def _blocks(seg: Segmented) -> list[_Block]:
    """(shape, segment indices) per template line that holds sentences."""
    out = []
    for line in seg.template.split("\n"):
        slots = [int(m.group(1)) for m in _SLOT.finditer(line)]
        if slots:
            prefix = re.sub(r"\d+", "1", line[: line.index("\ue002")].strip())
            out.append((f"{prefix}|{len(slots)}", slots))
    return out


def _numbers(text: str) -> list[str]:
    """The numbers a sentence holds, separators dropped ("1.100" and "1,100" alike), in order of size."""
    return sorted(
        re.sub(r"(?<=\d)[.,\s\u00a0\u202f](?=\d)", "", m) for m in re.findall(r"\d[\d.,\s\u00a0\u202f]*\d|\d", text)
    )


def _likely(fr: str, en: str) -> bool:
    """Could ``en`` be a translation of ``fr``: the same numbers, a plausible length."""
    if _numbers(fr) != _numbers(en):
        return False
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
                if _likely(fr.segments[x].text, en.segments[y].text)
            ]
        if f is None or a is None or b is None:
            break
        spans.append((f, a, b))
        fi, ei = f_end + 1, es.index(b - 1) + 1
    return spans


def _block_pairs(fr_blocks: list[_Block], en_blocks: list[_Block]) -> tuple[list[tuple[int, int]], list[str]]:
    """Which French block is which English block. As many blocks with the same Markdown prefixes: in order.
    Otherwise ``difflib`` over their shapes (prefix and sentence count), equal runs only."""
    if [_prefix(s) for s, _ in fr_blocks] == [_prefix(s) for s, _ in en_blocks]:
        return [(i, i) for i in range(len(fr_blocks))], []
    matcher = difflib.SequenceMatcher(a=[s for s, _ in fr_blocks], b=[s for s, _ in en_blocks], autojunk=False)
    pairs: list[tuple[int, int]] = []
    notes: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            pairs += [(i, j) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
        elif i2 > i1:
            notes.append(f"French block(s) {i1 + 1}-{i2} have no English block of the same shape")
    return pairs, notes


def align_segmented(fr: Segmented, en: Segmented, known: Mapping[str, str] | None = None) -> Alignment:
    """``known``: French segment (as written) → the desk's English, to align blocks an editor re-cut."""
    fr_blocks, en_blocks = _blocks(fr), _blocks(en)
    block_pairs, notes = _block_pairs(fr_blocks, en_blocks)
    same = (
        not notes
        and len(fr_blocks) == len(en_blocks)
        and all(fr_blocks[i][0] == en_blocks[j][0] for i, j in block_pairs)
    )
    spans: list[Span] = []
    for i, j in block_pairs:
        (fshape, fs), (eshape, es) = fr_blocks[i], en_blocks[j]
        if _prefix(fshape) != _prefix(eshape):
            notes.append(f"French block {i + 1} and English block {j + 1} are not the same kind of block")
        elif len(fs) != len(es):
            spans += _guided(fr, en, fs, es, known or {})
        else:
            for f, e in zip(fs, es, strict=True):
                if same or _likely(fr.segments[f].text, en.segments[e].text):
                    spans.append((f, e, e + 1))
                else:
                    notes.append(f"French segment {f + 1}: the English at that place does not look like it")
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
