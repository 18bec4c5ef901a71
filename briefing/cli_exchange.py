"""``build.py translate`` for translators' tools: ``--export-xliff`` / ``--import-xliff`` (segments, through the
desk) and ``--export-tmx`` / ``--import-tmx`` (the memory's human rows); ``translate/transfer.py`` does the work.
Exports take no lock; imports hold the project lock like ``translate``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from .config import Config
from .errors import UsageError

EXCHANGE = ("export_xliff", "import_xliff", "export_tmx", "import_tmx")
_DESK = ("status", "queue", "redraft", "accept", "diff", "force", "engine")


def requested(args: argparse.Namespace) -> bool:
    return any(getattr(args, name) for name in EXCHANGE)


def _check(args: argparse.Namespace) -> None:
    """Options of another kind of run do not go with an exchange; XLIFF options only with an XLIFF export."""
    chosen = next(f"--{n.replace('_', '-')}" for n in EXCHANGE if getattr(args, n))
    other = [f"--{n}" for n in _DESK if getattr(args, n)]
    if other:
        raise UsageError(f"{chosen} does not go with {', '.join(other)}")
    if not args.export_xliff:
        extra = [o for o, on in (("--xliff-version", args.xliff_version), ("--all-segments", args.all_segments)) if on]
        extra += ["--only"] if args.only else []
        if extra:
            raise UsageError(f"{', '.join(extra)} go(es) with --export-xliff, not {chosen}")


def run(args: argparse.Namespace, cfg: Config, lock: Callable[[], AbstractContextManager[None]]) -> int:
    from .translate import transfer

    _check(args)
    if args.export_xliff:
        version = args.xliff_version or "1.2"
        x = transfer.export_xliff(cfg, Path(args.export_xliff), version, args.only or None, args.all_segments)
        left = f"; {x.unaligned} segment(s) with no aligned English left out" if x.unaligned else ""
        where = f"to {args.export_xliff}" if x.units else "(all approved; --all-segments exports them): no file written"
        print(f"exported {x.units} segment(s) of {x.articles} article(s) {where}{left}")
    elif args.export_tmx:
        n = transfer.export_tmx(cfg, Path(args.export_tmx))
        print(f"exported {n} human translation(s) " + (f"to {args.export_tmx}" if n else "(none yet): no file written"))
    elif args.import_tmx:
        with lock():
            n = transfer.import_tmx(cfg, Path(args.import_tmx))
        print(f"imported {n} human translation(s) from {args.import_tmx} into the memory")
    else:
        with lock():
            r = transfer.import_xliff(cfg, Path(args.import_xliff))
        print(
            f"applied {r.applied} segment(s) to {len(r.files)} article(s) ({len(r.reviewed)} now reviewed), "
            f"{r.unchanged} left as they were, from {args.import_xliff}"
        )
    return 0
