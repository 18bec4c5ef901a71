"""Stale reviews: the French changed after an editor reviewed the English. See, redraft, or accept.

A review records the French texts it was made against in the memory (``reviews`` table: written when
``translate`` learns a reviewed article, when ``approve`` completes one, and by ``accept``).

* ``french_diff(cfg, slug)``: the French changes since then, segment by segment (``difflib`` over the
  segments of each unit: changed, added, removed).
* ``redraft(cfg, slug, translator, tax)``: the review's pairs (its English aligned to the French it was
  made against) are stored as the desk's, then the article is translated again from the current French:
  every unchanged segment comes back as the editor wrote it, only the changed ones are drafted by the
  engine. The file becomes ``translation: machine`` with ``desk_segments`` counting the editor's segments,
  so the drafted ones are exactly those awaiting review (``translate --queue``); approving them all makes
  the article reviewed again. Refused, changing nothing, when part of the review cannot be aligned to
  its French (redrafting would lose what the editor wrote there).
* ``accept(cfg, slug)``: the editor checked the English against the new French: ``source_sha256`` is
  brought up to date (no longer stale), the new French is recorded and the pairs learnt.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DeskError
from ..sources import Article
from .align import aligned_pairs
from .desk import Learnt, Sheet, french_texts, learn, open_memory, sheet, write_english
from .memory import Memory
from .pipeline import article_units, translate_articles

if TYPE_CHECKING:
    from ..config import Config
    from ..taxonomy import Taxonomy
    from .translator import Translator


@dataclass(frozen=True)
class Change:
    kind: str  # changed, added, removed
    unit: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Redraft:
    path: Path
    drafted: int  # segments the engine drafted (awaiting review)
    kept: int  # segments kept as the editor wrote them


def _stale_review(cfg: Config, slug: str, mem: Memory) -> tuple[Sheet, Article]:
    """The article's sheet and the French its review was made against; DeskError if it is not a stale review."""
    s = sheet(cfg, slug, mem)
    if s.en.translation != "reviewed":
        raise DeskError(f"{s.en.path}: not reviewed (translation: {s.en.translation}); nothing is stale")
    if s.en.translation_state(s.fr) != "stale":
        raise DeskError(f"{s.en.path}: the review is of the current French; nothing changed")
    record = mem.review_of(slug)
    if record is None or record[0] != s.en.source_sha256:
        raise DeskError(
            f"{s.en.path}: no record of the French this review was made against (recorded when translate "
            "learns a reviewed article); compare by hand, then `translate --accept`"
        )
    texts = record[1]
    captions = texts.get("captions")
    old = Article(
        lang="fr",
        slug=slug,
        path=s.fr.path,
        title=str(texts.get("title", "")),
        summary=str(texts.get("summary", "")),
        body=str(texts.get("body", "")),
        captions=tuple(str(c) for c in captions) if isinstance(captions, list) else (),
    )
    return s, old


def french_diff(cfg: Config, slug: str, memory: Memory | None = None) -> list[Change]:
    with open_memory(cfg, memory) as mem:
        s, old = _stale_review(cfg, slug, mem)
    before, after = article_units(old), s.fr_units
    changes: list[Change] = []
    for unit in dict.fromkeys([*before, *after]):
        a = [x.source() for x in before[unit].segments] if unit in before else []
        b = [x.source() for x in after[unit].segments] if unit in after else []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            olds, news = a[i1:i2], b[j1:j2]
            for k in range(max(len(olds), len(news))):
                o = olds[k] if k < len(olds) else None
                n = news[k] if k < len(news) else None
                kind = "changed" if o is not None and n is not None else "added" if n is not None else "removed"
                changes.append(Change(kind, unit, o, n))
    return changes


def redraft(cfg: Config, slug: str, translator: Translator, tax: Taxonomy) -> Redraft:
    mem = translator.memory
    s, old = _stale_review(cfg, slug, mem)
    old_units = article_units(old)
    known = mem.human_many(x.source() for u in old_units.values() for x in u.segments)
    extra = sorted(set(s.en_units) - set(old_units))
    if extra:  # a caption the editor added: a redraft from the French would drop it
        raise DeskError(
            f"{s.en.path}: {', '.join(extra)}: English with no French in the review, and a redraft would lose it; "
            "edit the file by hand, then `translate --accept`"
        )
    pairs: list[tuple[str, str]] = []
    for unit, fr_seg in old_units.items():
        en_seg = s.en_units.get(unit)
        found, alignment = aligned_pairs(fr_seg, en_seg, known) if en_seg else ([], None)
        if alignment is None or alignment.unaligned:
            missing = len(fr_seg.segments) - len(found)
            raise DeskError(
                f"{s.en.path}: {unit}: {missing} segment(s) of the review cannot be aligned to the French it was "
                "made against, and a redraft would lose them; edit the file by hand, then `translate --accept`"
                + "".join(f" ({note})" for note in (alignment.notes if alignment else ()))
            )
        own = len(en_seg.segments) - sum(b - a for _, a, b in alignment.spans) if en_seg else 0
        if own:
            raise DeskError(
                f"{s.en.path}: {unit}: {own} English segment(s) of the review have no French (the editor's own), "
                "and a redraft would lose them; edit the file by hand, then `translate --accept`"
            )
        pairs += found
    mem.put_human(pairs)
    before = (translator.report.segments, translator.report.desk_hits)
    report = translate_articles([s.fr], {}, cfg.content_dir / "en", translator, tax=tax, force=True)
    if report.needs_engine:
        raise DeskError(f"{s.en.path}: kept as it is: the engine this run needs is missing")
    segments = translator.report.segments - before[0]
    kept = translator.report.desk_hits - before[1]
    return Redraft(s.en.path, segments - kept, kept)


def accept(cfg: Config, slug: str, memory: Memory | None = None) -> Learnt:
    with open_memory(cfg, memory) as mem:
        s = sheet(cfg, slug, mem)
        if s.en.translation != "reviewed":
            raise DeskError(f"{s.en.path}: not reviewed (translation: {s.en.translation}); nothing to accept")
        if s.en.translation_state(s.fr) != "stale":
            raise DeskError(f"{s.en.path}: the review is of the current French already; nothing to accept")
        write_english(s.en.path, {}, {"source_sha256": s.fr.translatable_sha256()})
        mem.record_review(slug, s.fr.translatable_sha256(), french_texts(s.fr))
        return learn(cfg, slug, mem)
