"""Many segments at once: the memory first, then the engine in large batches, flags recorded with each.

A segment's memory key is its locked text, the English and kind of each lock, the engine and the
model: an edit of the glossary or taxonomy changes the key of exactly the segments holding a changed
entry. Segments of an article made by another engine are looked up under that engine's identity
(``translate_locked(..., identity=...)``) and never sent to this run's engine. Given the French
segments as written (``sources``), the desk's human translations answer first, for any engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import flags as review
from .engines import Engine, split_markers
from .memory import HUMAN, Entry, Memory, Row, segment_key
from .protect import Locked, Protector, join_pieces, pieces, restore, to_engine

Identity = tuple[str, str]  # engine name, model id


@dataclass
class SegmentReport:
    """``segments`` = ``memory_hits`` + ``engine_segments`` + ``unavailable``, always."""

    segments: int = 0
    memory_hits: int = 0
    desk_hits: int = 0  # of the memory hits, the editors' own translations
    engine_segments: int = 0
    fallbacks: int = 0
    unavailable: int = 0  # segments of another engine's articles that the memory could not answer
    flags: dict[str, int] = field(default_factory=dict)


class Translator:
    def __init__(
        self,
        engine: Engine,
        memory: Memory,
        protector: Protector,
        batch: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.engine, self.memory, self.protector = engine, memory, protector
        self.batch = batch or int(getattr(engine, "batch_size", 64))
        self.progress = progress
        self.report = SegmentReport()

    @property
    def identity(self) -> Identity:
        return (self.engine.name, self.engine.model_id)

    @staticmethod
    def key(locked: Locked, identity: Identity) -> str:
        text = "\x1d".join([locked.text, *locked.targets, *locked.kinds])
        return segment_key(text, *identity)

    def translate_locked(self, items: list[Locked], identity: Identity | None = None) -> list[str]:
        return [e.target if e else "" for e in self.entries(items, identity)]

    def entries(
        self, items: list[Locked], identity: Identity | None = None, sources: list[str] | None = None
    ) -> list[Entry | None]:
        """One entry per item (``None``: another engine's segment the memory lacks).

        ``sources``: each item's French segment as written; the desk's translation of one wins."""
        identity = identity or self.identity
        keys = [self.key(x, identity) for x in items]
        known: dict[str, Entry | None] = dict(self.memory.get_many(keys))
        if sources is not None:
            human = self.memory.human_many(sources)
            for k, src in zip(keys, sources, strict=True):
                if src in human:
                    known[k] = Entry(human[src], {}, HUMAN)
            self.report.desk_hits += sum(1 for s in sources if s in human)
        misses = sum(1 for k in keys if k not in known)  # repeats of one new sentence count each time
        self.report.segments += len(items)
        self.report.memory_hits += len(items) - misses
        todo = [(k, x) for k, x in dict(zip(keys, items, strict=True)).items() if k not in known]
        if identity != self.identity:
            self.report.unavailable += misses
            todo = []
        else:
            self.report.engine_segments += misses
        done = 0
        for i in range(0, len(todo), self.batch):
            chunk = todo[i : i + self.batch]
            entries = self._engine([x for _, x in chunk])
            self.memory.put_many(self._rows(chunk, entries))
            known.update({k: e for (k, _), e in zip(chunk, entries, strict=True)})
            done += len(chunk)
            if self.progress:
                self.progress(done, len(todo))
        for e in (known.get(k) for k in keys):
            if e is not None:
                review.add(self.report.flags, e.flags)
        return [known.get(k) for k in keys]

    def _rows(self, chunk: list[tuple[str, Locked]], entries: list[Entry]) -> list[Row]:
        name, model = self.identity
        return [(k, x.text, e.target, name, model, e.flags) for (k, x), e in zip(chunk, entries, strict=True)]

    def _raw(self, texts: list[str]) -> list[tuple[str, dict[str, list[str]]]]:
        outs = self.engine.translate_batch(texts)
        if getattr(self.engine, "marks_unknown", False):
            return [split_markers(o) for o in outs]
        return [(o, {}) for o in outs]

    def _engine(self, items: list[Locked]) -> list[Entry]:
        token = self.engine.token
        stand_ins = getattr(self.engine, "place_stand_ins", ())
        sent = [to_engine(x, token, stand_ins) for x in items]
        raw = self._raw([s.text for s in sent])
        scores = list(getattr(self.engine, "last_scores", None) or [])  # before a piecewise retry replaces them
        outs = [restore(o, x, s) for (o, _), x, s in zip(raw, items, sent, strict=True)]
        marked = [m for _, m in raw]
        retry = [i for i, o in enumerate(outs) if o is None]
        repaired = set(retry)
        if retry:
            # the engine lost a lock: translate the text between locks, keep the locks' targets
            self.report.fallbacks += len(retry)
            src_pieces = [pieces(items[i]) for i in retry]
            flat = [p for ps in src_pieces for p in ps if p.strip()]
            translated = iter(self._raw(flat) if flat else [])
            for i, ps in zip(retry, src_pieces, strict=True):
                done = [next(translated) if p.strip() else (p, {}) for p in ps]
                outs[i] = join_pieces([t for t, _ in done], items[i], ps)
                marked[i] = {k: [w for _, m in done for w in m.get(k, [])] for k in ("french", "spanish", "unknown")}
        entries = [
            Entry(o or "", review.segment_flags(m, o or "", x.text, x.targets, i in repaired))
            for i, (o, m, x) in enumerate(zip(outs, marked, items, strict=True))
        ]
        if len(scores) == len(entries):
            for e, score in zip(entries, scores, strict=True):
                e.flags[review.DOUBT] = review.doubt(score)
        return entries
