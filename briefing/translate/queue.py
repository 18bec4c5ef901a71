"""The review queue: which segments need an editor, most in doubt first, and why.

A segment's reasons are the review flags the memory holds for it (``flags.py``: unknown words,
leftovers, a repaired lock, an odd length; with Argos, the model's doubt). They are looked up the way
the translator stored them: each French segment locked with the project's protector and the article's
names, keyed with the engine and model the English records. A segment awaits review unless the desk
approved it (its English is the desk's, as the memory holds it); a reviewed, current article awaits
nothing. Articles come most doubtful first (their worst segment), segments likewise within each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..sources import Article, load_project_taxonomy
from . import flags as review
from .memory import Memory
from .names import article_names
from .protect import Protector
from .segment import Segment
from .setup import project_protector
from .translator import Translator

if TYPE_CHECKING:
    from ..config import Config
    from ..taxonomy import Taxonomy
    from .desk import DeskSegment


class FlagLookup:
    """The memory's flags for an article's segments; the taxonomy and protector loaded once, when first needed."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self._ready: tuple[Taxonomy, Protector] | None = None

    def _setup(self) -> tuple[Taxonomy, Protector]:
        if self._ready is None:
            tax = load_project_taxonomy(self.cfg)
            self._ready = (tax, project_protector(self.cfg, tax))
        return self._ready

    def flags(self, fr: Article, en: Article, segments: list[Segment], mem: Memory) -> list[dict[str, int]]:
        """One flags record per segment (empty when the memory has none, or the English names no engine)."""
        if not en.engine:
            return [{} for _ in segments]
        tax, protector = self._setup()
        names = article_names(tax, fr)
        identity = (en.engine, en.model or "")
        keys = [Translator.key(protector.lock(seg, names), identity) for seg in segments]
        found = mem.get_many(keys)
        return [dict(found[k].flags) if k in found else {} for k in keys]


@dataclass(frozen=True)
class ArticleQueue:
    slug: str
    state: str  # machine, reviewed, stale
    total: int  # segments in the article
    awaiting: tuple[DeskSegment, ...]  # most in doubt first
    counts: dict[str, int] = field(default_factory=dict)  # flags of the awaiting segments, summed

    def worst(self) -> tuple[int, int]:
        return review.rank(self.awaiting[0].flags) if self.awaiting else (-1, -1)


def article_queue(cfg: Config, slug: str, mem: Memory, lookup: FlagLookup | None = None) -> ArticleQueue:
    from .desk import APPROVED, sheet, sheet_pairs

    s = sheet(cfg, slug, mem)  # aligned once: the pairs below are read from it
    state = s.en.translation_state(s.fr)
    if state == "reviewed":  # a reviewed, current article awaits nothing
        return ArticleQueue(slug, state, len(s.slots), ())
    pairs = sheet_pairs(s, mem, lookup)
    waiting = [p for p in pairs if p.state != APPROVED]
    waiting.sort(key=lambda p: review.rank(p.flags), reverse=True)
    counts: dict[str, int] = {}
    for p in waiting:
        review.add(counts, p.flags)
    return ArticleQueue(slug, state, len(pairs), tuple(waiting), counts)


def review_queue(cfg: Config, slugs: list[str], mem: Memory) -> list[ArticleQueue]:
    """Every article with an English file and something awaiting review, most doubtful first."""
    lookup = FlagLookup(cfg)
    queues = [
        article_queue(cfg, slug, mem, lookup) for slug in slugs if (cfg.content_dir / "en" / f"{slug}.md").is_file()
    ]
    return sorted((q for q in queues if q.awaiting), key=lambda q: (q.worst(), len(q.awaiting)), reverse=True)
