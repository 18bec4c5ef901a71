"""Align a reviewed English text to its French, segment by segment: the pairs the desk learns from.

Both sides are cut with the translator's own segmentation (``segment.py``): blocks (paragraphs,
headings, list items: one line of the template each), then sentences within a block. Blocks are
matched on their shape (the Markdown prefix and the number of sentences) with ``difflib``, so an
inserted, deleted, split or merged block shifts nothing around it. Sentences are paired only inside
matched blocks of equal sentence counts. When the two structures differ anywhere (a block inserted,
split or merged), a pair must also have lengths plausible for a translation, since a repeated shape
could then be matched to the wrong block; when they are the same throughout, the structure is trusted
(an editor may shorten a sentence a lot). Everything else is reported as not aligned, never guessed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .segment import Segmented, segment_markdown

_SLOT = re.compile("\ue002(\\d+)\ue003")
LENGTH_RATIO = (0.33, 3.0)  # English/French characters: outside, a pair is more likely wrong than right
MIN_LENGTH = 25  # shorter than this, lengths say nothing


@dataclass(frozen=True)
class Alignment:
    pairs: tuple[tuple[int, int], ...]  # (French segment index, English segment index)
    unaligned: tuple[int, ...]  # French segment indices left without English
    notes: tuple[str, ...]  # why, one line each

    def english_of(self) -> dict[int, int]:
        return dict(self.pairs)


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


def align_segmented(fr: Segmented, en: Segmented) -> Alignment:
    fr_blocks, en_blocks = _blocks(fr), _blocks(en)
    matcher = difflib.SequenceMatcher(a=[s for s, _ in fr_blocks], b=[s for s, _ in en_blocks], autojunk=False)
    pairs: list[tuple[int, int]] = []
    notes: list[str] = []
    opcodes = matcher.get_opcodes()
    same = all(tag == "equal" for tag, *_ in opcodes)
    for tag, i1, i2, j1, j2 in opcodes:
        if tag != "equal":
            if i2 > i1:
                notes.append(f"French block(s) {i1 + 1}-{i2} have no English block of the same shape")
            continue
        for (_, fs), (_, es) in zip(fr_blocks[i1:i2], en_blocks[j1:j2], strict=True):
            for f, e in zip(fs, es, strict=True):
                if same or _plausible(fr.segments[f].text, en.segments[e].text):
                    pairs.append((f, e))
                else:
                    notes.append(f"French segment {f + 1}: the English at that place is of an unlikely length")
    paired = {f for f, _ in pairs}
    unaligned = tuple(i for i in range(len(fr.segments)) if i not in paired)
    return Alignment(tuple(pairs), unaligned, tuple(notes))


def align_bodies(fr_body: str, en_body: str) -> Alignment:
    return align_segmented(segment_markdown(fr_body), segment_markdown(en_body))


def aligned_pairs(fr: Segmented, en: Segmented) -> tuple[list[tuple[str, str]], Alignment]:
    """(French segment as written, English segment as written) for every aligned pair, and the alignment."""
    a = align_segmented(fr, en)
    return [(fr.segments[f].source(), en.segments[e].source()) for f, e in a.pairs], a
