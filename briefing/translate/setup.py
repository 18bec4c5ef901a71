"""One place that sets up a translation run: engine, glossary, protector, memory → a ``Translator``.

Used by ``build.py translate`` and ``serve --translate``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .engines import choose_engine
from .memory import MEMORY_FILE, Memory
from .protect import Protector, load_glossary
from .translator import Translator

if TYPE_CHECKING:
    from ..config import Config
    from ..taxonomy import Taxonomy


def project_protector(cfg: Config, tax: Taxonomy) -> Protector:
    """The project's locks: the taxonomy's names and terms, and the glossary's."""
    glossary, _ = load_glossary(cfg.content_dir / "glossary.yaml")
    return Protector.for_project(tax, glossary)


@contextmanager
def translation_session(
    cfg: Config,
    tax: Taxonomy,
    requested: str = "",
    progress: Callable[[int, int], None] | None = None,
    warn: Callable[[str], None] = lambda message: None,
) -> Iterator[Translator]:
    engine = choose_engine(cfg.engine, requested, cfg.beam_size, cfg.max_batch_size)
    protector = project_protector(cfg, tax)
    memory = Memory(cfg.cache_dir / MEMORY_FILE)
    batch = None if engine.name == "apertium" else max(cfg.max_batch_size * 2, 8)
    try:
        yield Translator(engine, memory, protector, batch=batch, progress=progress)
    finally:
        for w in memory.warnings:
            warn(w)
        memory.close()
