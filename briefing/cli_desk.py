"""``build.py translate`` for the desk: ``--status`` (with ``--diff SLUG``), ``--queue``, ``--redraft SLUG``,
``--accept SLUG``. Reading commands take no lock; writing ones hold the project lock like ``translate``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

from .config import Config
from .sources import Article
from .taxonomy import Taxonomy
from .translate import flags as review
from .translate.memory import MEMORY_FILE, Memory

WIDTH = 90


def _short(text: str | None, width: int = WIDTH) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _quiet_pipe(lines: Iterator[str]) -> None:
    """Print ``lines``; a reader that went away (``| head``) is fine, not a traceback."""
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _status_lines(cfg: Config, french: list[Article], english: dict[str, Article]) -> Iterator[str]:
    from .translate.queue import article_queue

    mem = Memory(cfg.cache_dir / MEMORY_FILE)
    try:
        for fr in french:
            en = english.get(fr.slug)
            if en is None:
                yield f"{'missing':9} {fr.slug}"
                continue
            q = article_queue(cfg, fr.slug, mem)
            flags = review.summary(en.review_flag_counts())
            yield f"{q.state:9} {fr.slug}  {len(q.awaiting)} awaiting review · {en.engine} · {en.model} · {flags}"
    finally:
        mem.close()


def _queue_lines(cfg: Config, french: list[Article]) -> Iterator[str]:
    from .translate.queue import review_queue

    mem = Memory(cfg.cache_dir / MEMORY_FILE)
    try:
        queues = review_queue(cfg, [a.slug for a in french], mem)
    finally:
        mem.close()
    yield f"review queue: {sum(len(q.awaiting) for q in queues)} segment(s) awaiting review in {len(queues)} article(s)"
    for q in queues:
        yield (
            f"{q.slug} ({q.state}): {len(q.awaiting)} of {q.total} segment(s) awaiting review; "
            f"{review.summary(q.counts)}"
        )
        for p in q.awaiting:
            why = review.summary(p.flags) + (f" · doubt {p.flags[review.DOUBT]}" if review.DOUBT in p.flags else "")
            yield f"  #{p.index} [{p.unit}] {why}"
            yield f"      fr: {_short(p.french)}"
            yield f"      en: {_short(p.english) if p.english is not None else '(not aligned)'}"


def _diff_lines(cfg: Config, slug: str) -> Iterator[str]:
    from .translate.stale import french_diff

    changes = french_diff(cfg, slug)
    counts = {k: sum(1 for c in changes if c.kind == k) for k in ("changed", "added", "removed")}
    yield f"{slug}: the French since the review: " + ", ".join(f"{v} {k}" for k, v in counts.items()) + " segment(s)"
    for c in changes:
        mark = {"changed": "~", "added": "+", "removed": "-"}[c.kind]
        yield f"{mark} [{c.unit}] {c.kind}"
        if c.old is not None:
            yield f"    - {c.old}"
        if c.new is not None:
            yield f"    + {c.new}"


def run(
    args: argparse.Namespace,
    cfg: Config,
    tax: Taxonomy,
    french: list[Article],
    english: dict[str, Article],
    session: Callable[[], AbstractContextManager],
) -> int:
    """``session()``: the project lock and a translation session (the CLI's), entered only to write."""
    if args.queue:
        _quiet_pipe(_queue_lines(cfg, french))
    elif args.status:
        _quiet_pipe(_diff_lines(cfg, args.diff) if args.diff else _status_lines(cfg, french, english))
    elif args.accept:
        from .translate.stale import accept

        with session() as tr:
            learnt = accept(cfg, args.accept, tr.memory)
        print(f"{args.accept}: accepted against the current French; {learnt.stored} segment(s) learnt")
    elif args.redraft:
        from .translate.stale import redraft

        with session() as tr:
            done = redraft(cfg, args.redraft, tr, tax)
        print(
            f"{done.path}: {done.drafted} changed segment(s) drafted by {tr.engine.name} (awaiting review), "
            f"{done.kept} kept as the editor wrote them"
        )
    return 0
