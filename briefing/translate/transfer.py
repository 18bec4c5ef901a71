"""The exchange with translators' tools applied to the project: XLIFF out of and back into the desk, TMX out of
and into the memory's human rows.

``export_xliff`` takes every aligned segment of every translated article (``only``: some slugs) that the desk
has not approved yet (``every``: approved ones too, as ``final``/``signed-off``). ``import_xliff`` reads and
checks the whole file against the project first (``exchange.check_received``): one problem and nothing is
written. Then each changed or newly approved segment goes through ``desk.approve``, which rewrites that English
file atomically and stores the pair in the memory as the desk's. ``import_tmx`` stores every pair as the desk's.
The caller holds the project lock for the imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DeskError, ExchangeError, Problem
from ..write import write_bytes_atomic
from . import desk
from .exchange import Unit, check_received, parse_id
from .memory import HUMAN, MEMORY_FILE, Memory
from .queue import FlagLookup
from .tmx import read_tmx, write_tmx
from .xliff import read_xliff, write_xliff

if TYPE_CHECKING:
    from ..config import Config


@dataclass
class Exported:
    units: int = 0
    articles: int = 0
    unaligned: int = 0  # segments left out: no English aligned to them (edit those files by hand)


@dataclass
class Imported:
    applied: int = 0
    unchanged: int = 0
    files: set[Path] = field(default_factory=set)
    reviewed: set[Path] = field(default_factory=set)  # articles every segment of which is now approved


def project_name(cfg: Config) -> str:
    """What an exported file names as its project (``<file original>``): the site's title."""
    return cfg.title.get(cfg.default_language) or next(iter(cfg.title.values()), "")


def _translated_slugs(cfg: Config) -> list[str]:
    en = cfg.content_dir / "en"
    return sorted(p.stem for p in (cfg.content_dir / "fr").glob("*.md") if (en / p.name).is_file())


def _units(slug: str, pairs: list[desk.DeskSegment]) -> list[Unit]:
    """The aligned segments as units (an unaligned one cannot be approved segment by segment)."""
    return [
        Unit(slug, s.index, s.french, s.english, dict(s.flags), s.state == desk.APPROVED)
        for s in pairs
        if s.english is not None
    ]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ExchangeError([Problem(path, None, f"cannot be read ({exc.strerror})")]) from None


def _write(path: Path, data: bytes) -> None:
    try:
        write_bytes_atomic(path, data)
    except OSError as exc:
        raise ExchangeError(
            [Problem(path, None, f"cannot be written ({exc.strerror}); nothing was exported")]
        ) from None


def _memory(cfg: Config) -> Memory:
    return Memory(cfg.cache_dir / MEMORY_FILE)


def export_xliff(cfg: Config, path: Path, version: str, only: Iterable[str] | None, every: bool) -> Exported:
    slugs = _translated_slugs(cfg)
    if only is not None:
        wanted = list(only)
        unknown = sorted(set(wanted) - set(slugs))
        if unknown:
            raise DeskError(f"no translated article {', '.join(unknown)}; nothing was exported")
        slugs = [s for s in slugs if s in wanted]
    report = Exported()
    units: list[Unit] = []
    mem = _memory(cfg)
    lookup = FlagLookup(cfg)  # the taxonomy and protector, loaded once for every article
    try:
        for slug in slugs:
            pairs = desk.segment_pairs(cfg, slug, mem, lookup)
            report.unaligned += sum(1 for s in pairs if s.english is None)
            mine = [u for u in _units(slug, pairs) if every or not u.approved]
            units += mine
            report.articles += bool(mine)
    finally:
        mem.close()
    if units:  # an XLIFF 2.0 <file> must hold a unit: with nothing to review, no file is written
        _write(path, write_xliff(units, project_name(cfg), version))
    report.units = len(units)
    return report


def _current(cfg: Config, ids: Iterable[str], memory: Memory) -> dict[str, Unit]:
    """The project's units for every article the file names (an unknown article names no unit)."""
    slugs = sorted({p[0] for i in ids if (p := parse_id(i))})
    known = set(_translated_slugs(cfg))
    current: dict[str, Unit] = {}
    for slug in slugs:
        if slug in known:
            pairs = desk.segment_pairs(cfg, slug, memory, flags=False)  # the checks need no flags
            current.update((u.id, u) for u in _units(slug, pairs))
    return current


def import_xliff(cfg: Config, path: Path) -> Imported:
    received = read_xliff(_read(path), path)
    report = Imported()
    mem = _memory(cfg)
    try:
        current = _current(cfg, (r.id for r in received.units), mem)
        changes = check_received(path, received, project_name(cfg), current)
        report.unchanged = len(received.units) - len(changes)
        for unit, returned in changes:
            approval = desk.approve(cfg, unit.slug, unit.index, returned.target, mem)
            report.applied += 1
            report.files.add(approval.path)
            if approval.approved == approval.total:
                report.reviewed.add(approval.path)
    finally:
        mem.close()
    return report


def human_pairs(memory: Memory) -> list[tuple[str, str]]:
    return [(r.source, r.target) for r in memory.rows() if r.origin == HUMAN]


def export_tmx(cfg: Config, path: Path) -> int:
    mem = _memory(cfg)
    try:
        pairs = human_pairs(mem)
    finally:
        mem.close()
    if pairs:  # a TMX without units would be refused by --import-tmx: none is written
        _write(path, write_tmx(pairs))
    return len(pairs)


def import_tmx(cfg: Config, path: Path) -> int:
    pairs = read_tmx(_read(path), path)
    mem = _memory(cfg)
    try:
        return mem.put_human(pairs)
    finally:
        mem.close()
