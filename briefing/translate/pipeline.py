"""``build.py translate``: French articles → ``content/en/<slug>.md`` through memory, protection and an engine.

All segments of the run are gathered first, looked up in the memory, and only the misses go to
the engine, in batches (each batch committed to the memory before the next). Reviewed English
files are never overwritten; up-to-date machine translations are left alone.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import schema
from ..frontmatter import dump_front_matter
from ..sources import Article
from ..write import write_text_atomic
from .engines import Engine
from .memory import Memory, segment_key
from .protect import Locked, Protector, join_pieces, pieces, restore, to_engine
from .segment import Segmented, fill, segment_markdown, segment_plain


@dataclass
class TranslateReport:
    written: list[Path] = field(default_factory=list)
    skipped_reviewed: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    segments: int = 0
    memory_hits: int = 0
    engine_segments: int = 0
    fallbacks: int = 0


class Translator:
    """Translates many segments at once: memory first, then the engine in batches."""

    def __init__(
        self,
        engine: Engine,
        memory: Memory,
        protector: Protector,
        batch: int = 64,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.engine, self.memory, self.protector = engine, memory, protector
        self.batch = batch
        self.progress = progress
        self.report = TranslateReport()

    def _key(self, locked: Locked) -> str:
        return segment_key(
            locked.text + "\x1d" + "\x1d".join(locked.targets),
            self.engine.name,
            self.engine.model_id,
            self.protector.version,
        )

    def translate_locked(self, items: list[Locked]) -> list[str]:
        keys = [self._key(x) for x in items]
        known = self.memory.get_many(keys)
        self.report.segments += len(items)
        self.report.memory_hits += sum(1 for k in keys if k in known)
        todo = [(k, x) for k, x in dict(zip(keys, items, strict=False)).items() if k not in known]
        done = 0
        for i in range(0, len(todo), self.batch):
            chunk = todo[i : i + self.batch]
            outs = self._engine(chunk)
            self.memory.put_many(
                (k, x.text, out, self.engine.name, self.engine.model_id, self.protector.version)
                for (k, x), out in zip(chunk, outs, strict=False)
            )
            known.update({k: out for (k, _), out in zip(chunk, outs, strict=False)})
            done += len(chunk)
            if self.progress:
                self.progress(done, len(todo))
        return [known[k] for k in keys]

    def _engine(self, chunk: list[tuple[str, Locked]]) -> list[str]:
        texts = [to_engine(x, self.engine.token) for _, x in chunk]
        self.report.engine_segments += len(texts)
        raw = self.engine.translate_batch(texts)
        outs: list[str | None] = [restore(o, x, self.engine.token) for o, (_, x) in zip(raw, chunk, strict=False)]
        retry = [i for i, o in enumerate(outs) if o is None]
        if retry:
            # the engine lost a placeholder: translate the text between locks, keep the locks' targets
            self.report.fallbacks += len(retry)
            src_pieces = [pieces(chunk[i][1]) for i in retry]
            flat = [p for ps in src_pieces for p in ps if p.strip()]
            translated = iter(self.engine.translate_batch(flat) if flat else [])
            for i, ps in zip(retry, src_pieces, strict=False):
                outs[i] = join_pieces([next(translated) if p.strip() else p for p in ps], chunk[i][1], ps)
        return [o or "" for o in outs]


def _units(article: Article) -> dict[str, Segmented]:
    units = {
        "title": segment_plain(article.title),
        "summary": segment_plain(article.summary),
        "body": segment_markdown(article.body),
    }
    for i, cap in enumerate(article.captions):
        units[f"caption{i}"] = segment_plain(cap)
    return units


def english_meta(fr: Article, engine: Engine, translated: dict[str, str], fr_meta_date: str | None) -> dict:
    """The English file's front matter: the schema's copied keys from French, the translated texts, provenance."""
    meta: dict = {name: _fr_value(fr, name, fr_meta_date) for name in schema.copied_fields()}
    if not fr.title_derived:
        del meta["title_derived"]
    meta.update(title=translated["title"], lang="en", summary=translated["summary"], translation="machine")
    meta["captions"] = [translated[f"caption{i}"] for i in range(len(fr.captions))]
    meta.update(engine=engine.name, model=engine.model_id, source_sha256=fr.translatable_sha256())
    return schema.ordered(meta)


def _fr_value(fr: Article, name: str, fr_meta_date: str | None) -> object:
    value = fr_meta_date if name == "date" else getattr(fr, name)
    return list(value) if isinstance(value, tuple) else value


def translate_articles(
    french: list[Article],
    english: dict[str, Article],
    en_dir: Path,
    translator: Translator,
    *,
    force: bool = False,
    only: set[str] | None = None,
) -> TranslateReport:
    report = translator.report
    engine = translator.engine
    work: list[tuple[Article, dict[str, Segmented]]] = []
    for fr in french:
        if only is not None and fr.slug not in only:
            continue
        en = english.get(fr.slug)
        target = en_dir / f"{fr.slug}.md"
        if en is not None and en.translation == "reviewed":
            report.skipped_reviewed.append(target)
            continue
        if (
            en is not None
            and not force
            and en.source_sha256 == fr.translatable_sha256()
            and en.engine == engine.name
            and en.model == engine.model_id
        ):
            report.up_to_date.append(target)
            continue
        work.append((fr, _units(fr)))
    locked = [translator.protector.lock(seg) for _, units in work for u in units.values() for seg in u.segments]
    outputs = iter(translator.translate_locked(locked))
    for fr, units in work:
        translated = {name: fill(u.template, [next(outputs) for _ in u.segments]) for name, u in units.items()}
        meta = english_meta(fr, engine, translated, fr.iso_date)
        target = en_dir / f"{fr.slug}.md"
        write_text_atomic(target, dump_front_matter(meta, translated["body"]))
        report.written.append(target)
    return report


def console_progress(stream=sys.stderr) -> Callable[[int, int], None] | None:
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
