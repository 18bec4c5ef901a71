"""Why a segment may be wrong: the review flags (and model score) the memory holds for an article's segments.

The flags are looked up the way the translator stored them: each French segment locked with the
project's protector and the article's names, keyed with the engine and model the English records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..sources import Article, load_project_taxonomy
from .memory import Memory
from .names import article_names
from .protect import Protector, load_glossary
from .segment import Segment
from .translator import Translator

if TYPE_CHECKING:
    from ..config import Config


def engine_flags(cfg: Config, fr: Article, en: Article, segments: list[Segment], mem: Memory) -> list[dict[str, int]]:
    """One flags record per segment (empty when the memory has none, or the English names no engine)."""
    if not en.engine:
        return [{} for _ in segments]
    tax = load_project_taxonomy(cfg)
    glossary, _ = load_glossary(cfg.content_dir / "glossary.yaml")
    protector = Protector.for_project(tax, glossary)
    names = article_names(tax, fr)
    identity = (en.engine, en.model or "")
    keys = [Translator.key(protector.lock(seg, names), identity) for seg in segments]
    found = mem.get_many(keys)
    return [dict(found[k].flags) if k in found else {} for k in keys]
