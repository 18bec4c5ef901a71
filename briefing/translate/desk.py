"""The translation desk: what an editor does to one article's English, segment by segment.

API (used by ``build.py translate``, the ``serve`` review page and the XLIFF import):

* ``segment_pairs(cfg, slug) -> list[DeskSegment]``: every French segment of the article in the
  translator's order (title, summary, body, captions), 0-based ``index``, with its ``unit``, the
  ``french`` as written, the ``english`` aligned to it (``None`` when it could not be aligned), the
  review ``flags`` the memory holds for it and its ``state``: ``approved`` (the desk's English, as
  stored in the memory, is what the file says), ``draft`` (an engine's or an unapproved edit) or
  ``unaligned``.
* ``approve(cfg, slug, index, english) -> Approval``: that segment's text becomes ``english`` in
  ``content/en/<slug>.md`` (written atomically; only that segment changes; the front matter is re-dumped
  in its usual form); the pair is stored in the memory as the desk's; ``desk_segments`` counts the
  approved segments. When every segment is approved the article becomes ``translation: reviewed`` of
  the current French (``source_sha256`` updated, the French texts recorded for ``--diff``).
* ``learn(cfg, slug) -> Learnt``: a reviewed, not stale article is aligned and every pair stored
  as the desk's (the same French sentence elsewhere then gets this English), its French recorded.
* ``learn_reviewed(cfg, slugs, memory)``: ``learn`` for every reviewed article, skipping those not
  reviewed or stale; what ``translate`` runs first.
All raise ``DeskError`` (unknown slug, index out of range, empty English) or ``SourceError`` (a file that
does not parse). ``memory=``: an open ``Memory`` to use (otherwise the project's is opened and closed).
No lock is taken here: callers that write (CLI, serve) hold the project lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import schema
from ..errors import DeskError, SourceError
from ..frontmatter import dump_front_matter, parse_front_matter
from ..sources import Article, parse_article
from ..write import write_text_atomic
from .align import align_segmented
from .memory import MEMORY_FILE, Memory, normalise
from .pipeline import article_units
from .segment import Segmented, fill

if TYPE_CHECKING:
    from ..config import Config
    from .queue import FlagLookup

APPROVED, DRAFT, UNALIGNED = "approved", "draft", "unaligned"
_GONE = "\x00"  # an English sentence folded into the one before it


@dataclass(frozen=True)
class DeskSegment:
    index: int
    unit: str  # title, summary, body, caption0, caption1, …
    french: str
    english: str | None
    flags: dict[str, int] = field(default_factory=dict)
    state: str = DRAFT


@dataclass(frozen=True)
class Approval:
    path: Path
    segment: DeskSegment
    approved: int  # segments of the article now approved
    total: int
    reviewed: bool  # the article is now translation: reviewed


@dataclass(frozen=True)
class Learnt:
    slug: str
    stored: int
    notes: tuple[str, ...] = ()  # what could not be aligned, or why nothing was learnt


@dataclass(frozen=True)
class _Slot:
    unit: str
    fr: int  # segment index in the French unit
    en: tuple[int, int] | None  # the English unit's segments [start, stop) it became


@dataclass(frozen=True)
class Sheet:
    fr: Article
    en: Article
    fr_units: dict[str, Segmented]
    en_units: dict[str, Segmented]
    slots: tuple[_Slot, ...]
    notes: tuple[str, ...]

    def french(self, slot: _Slot) -> str:
        return self.fr_units[slot.unit].segments[slot.fr].source()

    def english(self, slot: _Slot) -> str | None:
        if slot.en is None:
            return None
        segments = self.en_units[slot.unit].segments
        return " ".join(segments[i].source() for i in range(*slot.en))

    def sources(self) -> list[str]:
        return [self.french(s) for s in self.slots]


def french_texts(fr: Article) -> dict[str, object]:
    """What a review is made against, as recorded in the memory."""
    return {"title": fr.title, "summary": fr.summary, "body": fr.body, "captions": list(fr.captions)}


def article_paths(cfg: Config, slug: str) -> tuple[Path, Path]:
    problem = schema.slug_problem(slug)
    if problem:
        raise DeskError(f"{slug!r}: {problem}")
    fr, en = cfg.content_dir / "fr" / f"{slug}.md", cfg.content_dir / "en" / f"{slug}.md"
    if not fr.is_file():
        raise DeskError(f"{fr}: no such French article")
    if not en.is_file():
        raise DeskError(f"{en}: no English yet; run `build.py translate` first")
    return fr, en


def _read(path: Path, lang: str) -> Article:
    return parse_article(path.read_text(encoding="utf-8"), path, lang)


def sheet(cfg: Config, slug: str, memory: Memory | None = None) -> Sheet:
    """The article's French and English, aligned; with ``memory``, the desk's translations guide the alignment
    of blocks an editor re-cut (a sentence split in two)."""
    fr_path, en_path = article_paths(cfg, slug)
    fr, en = _read(fr_path, "fr"), _read(en_path, "en")
    fr_units, en_units = article_units(fr), article_units(en)
    known = memory.human_many(s.source() for u in fr_units.values() for s in u.segments) if memory else {}
    slots: list[_Slot] = []
    notes: list[str] = []
    for unit, fr_seg in fr_units.items():
        en_seg = en_units.get(unit)
        alignment = align_segmented(fr_seg, en_seg, known) if en_seg else None
        english = alignment.english_of() if alignment else {}
        notes += [f"{unit}: {n}" for n in (alignment.notes if alignment else ("no English",))]
        slots += [_Slot(unit, i, english.get(i)) for i in range(len(fr_seg.segments))]
    return Sheet(fr, en, fr_units, en_units, tuple(slots), tuple(notes))


@contextmanager
def open_memory(cfg: Config, memory: Memory | None = None) -> Iterator[Memory]:
    if memory is not None:
        yield memory
        return
    mem = Memory(cfg.cache_dir / MEMORY_FILE)
    try:
        yield mem
    finally:
        mem.close()


def _states(s: Sheet, human: dict[str, str]) -> list[str]:
    out = []
    for slot in s.slots:
        english, french = s.english(slot), s.french(slot)
        if english is None:
            out.append(UNALIGNED)
        elif french in human and normalise(human[french]) == normalise(english):
            out.append(APPROVED)
        else:
            out.append(DRAFT)
    return out


def segment_pairs(
    cfg: Config, slug: str, memory: Memory | None = None, lookup: FlagLookup | None = None, flags: bool = True
) -> list[DeskSegment]:
    """``lookup``: a ``FlagLookup`` shared over many articles; ``flags=False``: states only (no taxonomy)."""
    from .queue import FlagLookup

    with open_memory(cfg, memory) as mem:
        s = sheet(cfg, slug, mem)
        return sheet_pairs(s, mem, (lookup or FlagLookup(cfg)) if flags else None)


def sheet_pairs(s: Sheet, mem: Memory, lookup: FlagLookup | None) -> list[DeskSegment]:
    """``segment_pairs`` of an article already aligned (``lookup`` None: no flags)."""
    segments = [s.fr_units[x.unit].segments[x.fr] for x in s.slots]
    states = _states(s, mem.human_many(s.sources()))
    found = lookup.flags(s.fr, s.en, segments, mem) if lookup else [{} for _ in segments]
    return [
        DeskSegment(i, slot.unit, s.french(slot), s.english(slot), found[i], states[i])
        for i, slot in enumerate(s.slots)
    ]


def _replaced(s: Sheet, slot: _Slot, english: str) -> dict[str, str]:
    """The English unit holding ``slot`` with that one segment's text replaced, Markdown kept."""
    unit = s.en_units[slot.unit]
    texts = [seg.source() for seg in unit.segments]
    assert slot.en is not None
    start, stop = slot.en
    texts[start:stop] = [english] + [_GONE] * (stop - start - 1)
    return {slot.unit: fill(unit.template, texts).replace(" " + _GONE, "").replace(_GONE, "")}


def write_english(path: Path, changes: dict[str, str], extra: dict[str, object]) -> None:
    """Rewrite the English file with some units and front-matter keys changed; atomic."""
    marked, body = parse_front_matter(path.read_text(encoding="utf-8"), path)
    meta = dict(marked)
    for unit, text in changes.items():
        if unit == "body":
            body = text
        elif unit.startswith("caption"):
            captions = list(meta.get("captions") or [])
            captions[int(unit[len("caption") :])] = text
            meta["captions"] = captions
        else:
            meta[unit] = text
    for key, value in extra.items():
        if value is None:
            meta.pop(key, None)
        else:
            meta[key] = value
    write_text_atomic(path, dump_front_matter(schema.ordered(meta), body))


def approve(cfg: Config, slug: str, index: int, english: str, memory: Memory | None = None) -> Approval:
    english = " ".join(english.split())
    if not english:
        raise DeskError(f"{slug}: segment {index}: the English is empty; nothing was changed")
    with open_memory(cfg, memory) as mem:
        s = sheet(cfg, slug, mem)
        if not 0 <= index < len(s.slots):
            raise DeskError(f"{slug}: no segment {index}; it has segments 0 to {len(s.slots) - 1}")
        slot = s.slots[index]
        if slot.en is None:
            raise DeskError(f"{slug}: segment {index} has no aligned English; edit {s.en.path} itself")
        human = mem.human_many(s.sources())
        human[s.french(slot)] = english
        states = _states(s, human)
        states[index] = APPROVED
        approved = states.count(APPROVED)
        reviewed = approved == len(s.slots) or s.en.translation == "reviewed"
        extra: dict[str, object] = {"desk_segments": approved or None}
        if approved == len(s.slots):
            extra.update(translation="reviewed", source_sha256=s.fr.translatable_sha256())
        write_english(s.en.path, _replaced(s, slot, english), extra)
        mem.put_human([(s.french(slot), english)])
        if approved == len(s.slots):
            mem.record_review(slug, s.fr.translatable_sha256(), french_texts(s.fr))
    segment = DeskSegment(index, slot.unit, s.french(slot), english, {}, APPROVED)
    return Approval(s.en.path, segment, approved, len(s.slots), reviewed)


def learn(cfg: Config, slug: str, memory: Memory | None = None) -> Learnt:
    with open_memory(cfg, memory) as mem:
        s = sheet(cfg, slug, mem)
        if s.en.translation != "reviewed":
            raise DeskError(f"{s.en.path}: not reviewed (translation: {s.en.translation}); nothing to learn")
        if s.en.translation_state(s.fr) == "stale":
            return Learnt(slug, 0, ("stale: the French changed since the review; accept or redraft it first",))
        pairs = [(s.french(x), e) for x in s.slots if (e := s.english(x)) is not None]
        stored = mem.put_human(pairs)
        mem.record_review(slug, s.fr.translatable_sha256(), french_texts(s.fr))
    return Learnt(slug, stored, s.notes)


def learn_reviewed(cfg: Config, slugs: Iterable[str], memory: Memory) -> list[Learnt]:
    """``learn`` every reviewed article that is not stale among ``slugs``; the others are left alone. A file
    that does not parse is a note (the content loader reports it), never a stop for the whole run."""
    out = []
    for slug in slugs:
        en = cfg.content_dir / "en" / f"{slug}.md"
        try:
            if en.is_file() and _read(en, "en").translation == "reviewed":
                out.append(learn(cfg, slug, memory))
        except (SourceError, DeskError) as exc:
            out.append(Learnt(slug, 0, (str(exc),)))
    return out
