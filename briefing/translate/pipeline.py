"""``build.py translate``: French articles → ``content/en/<slug>.md`` through memory, protection and an engine.

Each English file records two digests of its French: ``source_sha256`` (the text: is a reviewed
translation stale?) and ``locked_sha256`` (the segments as locked, with the English of every
protected term they hold). When ``locked_sha256`` is unchanged the translation is current and only
the front matter is re-synced from the French (date, conferences, ministers, people, dateline), with
no memory or engine. Otherwise every segment goes through the memory, and only the misses (a changed
sentence, or one whose glossary/taxonomy entry changed) go to the engine. Reviewed English files are
never overwritten. An article made by Argos is never redone by Apertium unless the editor asks
(``--engine apertium --force``): it is re-assembled from the memory, or listed as needing Argos. (An
Apertium article is redone by Argos when Argos is this run's engine: an upgrade, not a silent downgrade.)
The desk's translations (an editor's English, ``memory.human_many``) answer before any engine and are
used as written; ``desk_segments`` counts them, and a machine article is redone from the memory when
the desk now knows more (or fewer) of its segments than it was made with.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .. import schema
from ..frontmatter import dump_front_matter
from ..sources import Article
from ..taxonomy import Taxonomy
from ..write import write_text_atomic
from . import flags as review
from .finish import finish, place_forms
from .memory import HUMAN, Entry
from .names import article_names
from .protect import Locked
from .segment import Segmented, fill, segment_markdown, segment_plain
from .translator import Identity, Translator

__all__ = ["TranslateReport", "Translator", "translate_articles", "console_progress"]


@dataclass
class TranslateReport:
    written: list[Path] = field(default_factory=list)
    synced: list[Path] = field(default_factory=list)  # front matter only, no translation
    skipped_reviewed: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    needs_engine: dict[Path, str] = field(default_factory=dict)  # made by an engine this run lacks
    flags: dict[str, dict[str, int]] = field(default_factory=dict)  # slug → flags of what was written
    translator: Translator | None = None

    def _count(self, name: str) -> int:
        return int(getattr(self.translator.report, name)) if self.translator else 0

    @property
    def segments(self) -> int:
        return self._count("segments")

    @property
    def memory_hits(self) -> int:
        return self._count("memory_hits")

    @property
    def desk_hits(self) -> int:
        return self._count("desk_hits")

    @property
    def engine_segments(self) -> int:
        return self._count("engine_segments")

    @property
    def unavailable(self) -> int:
        return self._count("unavailable")

    @property
    def fallbacks(self) -> int:
        return self._count("fallbacks")


@dataclass
class _Work:
    fr: Article
    en: Article | None
    target: Path
    units: dict[str, Segmented]
    locked: list[Locked]
    sources: list[str]  # each segment's French as written: the desk's translations are keyed by it
    digest: str
    identity: Identity


def article_units(article: Article) -> dict[str, Segmented]:
    units = {
        "title": segment_plain(article.title),
        "summary": segment_plain(article.summary),
        "body": segment_markdown(article.body),
    }
    for i, cap in enumerate(article.captions):
        units[f"caption{i}"] = segment_plain(cap)
    return units


def _digest(locked: list[Locked]) -> str:
    h = hashlib.sha256()
    for x in locked:
        h.update("\x1d".join([x.text, *x.targets, *x.kinds]).encode("utf-8") + b"\x1e")
    return h.hexdigest()


def english_meta(
    fr: Article, identity: Identity, translated: dict[str, str], digest: str, places: dict, desk: int = 0
) -> dict:
    """The English file's front matter: the schema's copied keys from French (the dateline in English), the
    translated texts, provenance, the digests that say when it must be redone and how many segments are
    the desk's (an editor's English from the memory)."""
    meta: dict = {name: _fr_value(fr, name) for name in schema.copied_fields()}
    if not fr.title_derived:
        del meta["title_derived"]
    meta["dateline"] = finish(fr.dateline, places) if fr.dateline else fr.dateline
    meta.update(title=translated["title"], lang="en", summary=translated["summary"], translation="machine")
    meta["captions"] = [translated[f"caption{i}"] for i in range(len(fr.captions))]
    meta["engine"], meta["model"] = identity
    meta["source_sha256"] = fr.translatable_sha256()
    if digest:
        meta["locked_sha256"] = digest
    if desk:
        meta["desk_segments"] = desk
    return schema.ordered(meta)


def _fr_value(fr: Article, name: str) -> object:
    value = fr.iso_date if name == "date" else getattr(fr, name)
    return list(value) if isinstance(value, tuple) else value


ENGINE_RANK = {"argos": 1}  # a neural model's English is not redone by a rule-based engine unasked


def _downgrade(made_by: str, this_run: str) -> bool:
    return made_by != this_run and ENGINE_RANK.get(made_by, 0) > ENGINE_RANK.get(this_run, 0)


def _plan(fr: Article, en: Article | None, tr: Translator, tax: Taxonomy, switch: bool, force: bool) -> _Work:
    units = article_units(fr)
    names = article_names(tax, fr)
    locked = [tr.protector.lock(seg, names) for u in units.values() for seg in u.segments]
    sources = [seg.source() for u in units.values() for seg in u.segments]
    identity = tr.identity
    if en is not None and en.engine and _downgrade(en.engine, tr.engine.name) and not (switch and force):
        identity = (en.engine, en.model or "")  # made by a better engine: never silently redone by this one
    return _Work(fr, en, Path(), units, locked, sources, _digest(locked), identity)


def _is_current(w: _Work, force: bool, desk: int) -> bool:
    """Nothing to redo: same locked segments, same engine, and as many of the desk's translations as it holds."""
    return bool(
        w.en
        and not force
        and w.en.locked_sha256 == w.digest
        and (w.en.engine, w.en.model) == w.identity
        and w.en.desk_segments == desk
    )


def _resync(w: _Work, places: dict, digest: str | None = None) -> str:
    """The English file with its front matter re-synced from the French; translated text kept.

    ``digest``: the locked digest to record (the English's own when its text could not be brought up to
    date, so that a later run with the right engine still sees the difference)."""
    en = w.en
    assert en is not None
    kept = {"title": en.title, "summary": en.summary, "body": en.body}
    kept.update({f"caption{i}": c for i, c in enumerate(en.captions)})
    meta = english_meta(w.fr, w.identity, kept, w.digest if digest is None else digest, places, en.desk_segments)
    if en.review_flags:
        kept_flags = en.review_flag_counts()
        meta["review_flags"] = {k: kept_flags[k] for k in review.KINDS if kept_flags.get(k)}
    return dump_front_matter(meta, en.body)


def _assemble(w: _Work, entries: list[Entry], places: dict) -> tuple[str, dict[str, int]]:
    it = iter(entries)
    total: dict[str, int] = {}
    translated = {}
    desk = 0
    for name, unit in w.units.items():
        outs = []
        for seg in unit.segments:
            e = next(it)
            review.add(total, e.flags)
            if e.origin == HUMAN:
                desk += 1
                outs.append(e.target)  # the editor's English, as written
            else:
                outs.append(finish(e.target, places, capital=seg.text[:1].isupper()))
        translated[name] = fill(unit.template, outs)
    meta = english_meta(w.fr, w.identity, translated, w.digest, places, desk)
    if total:
        meta["review_flags"] = {k: total[k] for k in review.KINDS if total.get(k)}
    return dump_front_matter(meta, translated["body"]), total


def translate_articles(
    french: list[Article],
    english: dict[str, Article],
    en_dir: Path,
    translator: Translator,
    *,
    tax: Taxonomy | None = None,
    force: bool = False,
    switch_engine: bool = False,
    only: set[str] | None = None,
) -> TranslateReport:
    """``switch_engine``: the editor named this run's engine, so with ``force`` it may redo another's work."""
    from ..taxonomy import Taxonomy as _Tax

    tax = tax or _Tax({}, {}, {})
    report = TranslateReport(translator=translator)
    places = place_forms([(t.fr, t.en) for t in tax.places])
    work: list[_Work] = []
    for fr in french:
        if only is not None and fr.slug not in only:
            continue
        en = english.get(fr.slug)
        target = en_dir / f"{fr.slug}.md"
        if en is not None and en.translation == "reviewed":
            report.skipped_reviewed.append(target)
            continue
        w = _plan(fr, en, translator, tax, switch_engine, force)
        w.target = target
        human = translator.memory.human_many(w.sources)
        if _is_current(w, force, sum(1 for s in w.sources if s in human)):
            _write_if_changed(target, _resync(w, places), report.synced, report.up_to_date)
        else:
            work.append(w)
    by_identity: dict[Identity, list[_Work]] = {}
    for w in work:
        by_identity.setdefault(w.identity, []).append(w)
    for identity, group in by_identity.items():
        items = [x for w in group for x in w.locked]
        entries = iter(translator.entries(items, identity, [s for w in group for s in w.sources]))
        for w in group:
            mine = [next(entries) for _ in w.locked]
            if any(e is None for e in mine):
                if w.en is not None and w.en.translation_state(w.fr) == "machine":
                    # the French is unchanged: keep that engine's English, re-sync its front matter
                    resynced = _resync(w, places, w.en.locked_sha256 or "")
                    _write_if_changed(w.target, resynced, report.synced, report.up_to_date)
                else:
                    report.needs_engine[w.target] = identity[0]
                continue
            text, total = _assemble(w, [e for e in mine if e is not None], places)
            if total:
                report.flags[w.fr.slug] = total
            _write_if_changed(w.target, text, report.written, report.up_to_date)
    return report


def _write_if_changed(target: Path, text: str, changed: list[Path], same: list[Path]) -> None:
    try:
        current = target.read_text(encoding="utf-8")
    except OSError:
        current = None
    if current == text:
        same.append(target)
        return
    write_text_atomic(target, text)
    changed.append(target)


def console_progress(stream: TextIO = sys.stderr) -> Callable[[int, int], None] | None:
    """A tqdm bar (segments done, rate, time left) on a terminal; nothing in CI or when piped."""
    if not stream.isatty():
        return None
    from tqdm import tqdm

    bar: tqdm | None = None

    def show(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="seg", desc="translating", file=stream, leave=True)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return show
