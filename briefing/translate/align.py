"""Align a reviewed English text to its French, segment by segment: the pairs the desk learns from.

Both sides are cut with the translator's own segmentation (``segment.py``): blocks (paragraphs,
headings, list items: one line of the template each), then sentences within a block. With as many
blocks of the same Markdown prefixes on both sides, blocks pair in order; otherwise (a block inserted
or deleted) they are matched on their shape (prefix and sentence count): the longest common subsequence of
the shapes pairs a block it can pair one way only; a block it could pair several ways (the editor added a
paragraph of one sentence among others: where it went, shapes cannot say) goes to the English block whose names
and numbers single it out, or stays unpaired. Sentences pair one to one inside paired blocks of equal sentence
counts. When the structures are the same throughout
the pairing is trusted (an editor may rewrite a sentence freely); otherwise each pair must also look
like a translation: the same numbers (separators aside) and a plausible length. A block whose sentence
counts differ (an editor split or merged sentences, or the splitter cut the English elsewhere) is
anchored by the desk's own translations (``known``) found verbatim in it, the sentences between anchors
pairing one to one where both sides have as many. Everything else is reported as not aligned, never
guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..folding import UP, fold
from .memory import normalise
from .segment import Segmented, segment_markdown

_SLOT = re.compile("\ue002(\\d+)\ue003")
LENGTH_RATIO = (0.33, 3.0)  # English/French characters: outside, a pair is more likely wrong than right
MIN_LENGTH = 25  # shorter than this, lengths say nothing
MAX_BLOCK_PAIRS = 1_000_000  # French × English blocks compared when structures differ (~1,000 each; a dispatch has ~20)


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


def _invariants(text: str) -> set[str]:
    """What a translation keeps as written: numbers and names (capitalised words past a sentence's first),
    folded ("Hanoï" and "Hanoi" alike)."""
    names = re.findall(rf"(?<=[^\s.!?:»«\"]\s)[{UP}][\w'-]+", text)
    return {fold(n) for n in names} | set(_numbers(text))


def _block_text(seg: Segmented, block: _Block) -> str:
    return " ".join(seg.segments[i].text for i in block[1])


def _common_length(a: list[str], b: list[str]) -> list[list[int]]:
    """``t[i][j]``: the length of the longest common subsequence of ``a[i:]`` and ``b[j:]``."""
    t = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            t[i][j] = t[i + 1][j + 1] + 1 if a[i] == b[j] else max(t[i + 1][j], t[i][j + 1])
    return t


def _candidates(a: list[str], b: list[str]) -> list[tuple[list[int], bool]]:
    """For each French block, every English block some longest common subsequence of the shapes pairs it with,
    and whether one leaves it unpaired: a single block and no such subsequence when the shapes leave no doubt;
    more when an inserted or deleted block could sit in more than one place among blocks of its shape."""
    after = _common_length(a, b)
    before = _common_length(a[::-1], b[::-1])  # before[len(a) - i][len(b) - j]: of a[:i] and b[:j]
    total = after[0][0]

    def prefix(i: int, j: int) -> int:
        return before[len(a) - i][len(b) - j]

    return [
        (
            [j for j in range(len(b)) if a[i] == b[j] and prefix(i, j) + 1 + after[i + 1][j + 1] == total],
            any(prefix(i, j) + after[i + 1][j] == total for j in range(len(b) + 1)),
        )
        for i in range(len(a))
    ]


def _singled_out(fr_text: str, en_texts: dict[int, str]) -> int | None:
    """The English block (of several the shapes allow) sharing strictly the most names and numbers with the
    French, if any shares some."""
    kept = _invariants(fr_text)
    shared = {j: len(kept & _invariants(text)) for j, text in en_texts.items()}
    best = max(shared.values())
    winners = [j for j, n in shared.items() if n == best]
    return winners[0] if best and len(winners) == 1 else None


def _block_pairs(fr: Segmented, en: Segmented) -> tuple[list[tuple[int, int]], list[str]]:
    """Which French block is which English block. As many blocks with the same Markdown prefixes: in order.
    Otherwise the longest common subsequence of their shapes (prefix and sentence count): a block it pairs
    one way only is paired; one it could pair several ways goes to the English block its names and numbers
    single out, else stays unpaired. Runs left between pairs with as many blocks on each side, none of them
    of a shape the other side has, pair in order (as ``difflib`` pairs a replaced run)."""
    fr_blocks, en_blocks = _blocks(fr), _blocks(en)
    if [_prefix(s) for s, _ in fr_blocks] == [_prefix(s) for s, _ in en_blocks]:
        return [(i, i) for i in range(len(fr_blocks))], []
    if len(fr_blocks) * len(en_blocks) > MAX_BLOCK_PAIRS:  # the tables below grow with the product
        return [], [f"{len(fr_blocks)} and {len(en_blocks)} blocks differ in structure: too many to align"]
    candidates = _candidates([s for s, _ in fr_blocks], [s for s, _ in en_blocks])
    chosen: list[tuple[int, int]] = []
    ambiguous = 0
    for i, (js, may_stay_unpaired) in enumerate(candidates):
        j = js[0] if len(js) == 1 and not may_stay_unpaired else None
        if js and j is None:
            j = _singled_out(_block_text(fr, fr_blocks[i]), {k: _block_text(en, en_blocks[k]) for k in js})
            ambiguous += j is None
        if j is not None and (not chosen or j > chosen[-1][1]):
            chosen.append((i, j))
    pairs, notes = _fill_replaced(chosen, candidates, len(en_blocks))
    if ambiguous:
        notes.append(f"{ambiguous} block(s) could be any of several English blocks of their shape")
    return pairs, notes


def _fill_replaced(
    chosen: list[tuple[int, int]], candidates: list[tuple[list[int], bool]], en_count: int
) -> tuple[list[tuple[int, int]], list[str]]:
    """``chosen`` with the runs between its pairs paired in order where both sides hold as many blocks and no
    French block of the run has a candidate (a replaced run, not an ambiguous one); notes for the rest."""
    pairs: list[tuple[int, int]] = []
    notes: list[str] = []
    last_i = last_j = -1
    for i, j in [*chosen, (len(candidates), en_count)]:
        run = range(last_i + 1, i)
        if run and len(run) == j - last_j - 1 and not any(candidates[k][0] for k in run):
            pairs += [(k, last_j + 1 + n) for n, k in enumerate(run)]
        elif run and not any(candidates[k][0] for k in run):
            notes.append(f"French block(s) {run[0] + 1}-{run[-1] + 1} have no English block of the same shape")
        if i < len(candidates):
            pairs.append((i, j))
        last_i, last_j = i, j
    return pairs, notes


def align_segmented(fr: Segmented, en: Segmented, known: Mapping[str, str] | None = None) -> Alignment:
    """``known``: French segment (as written) → the desk's English, to align blocks an editor re-cut."""
    fr_blocks, en_blocks = _blocks(fr), _blocks(en)
    block_pairs, notes = _block_pairs(fr, en)
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
