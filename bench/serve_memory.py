#!/usr/bin/env python3
"""`serve`'s memory at start-up: the peak PSS of its process tree (render workers and the search indexer included),
sampled every 50 ms from its start until ``--after`` seconds after its first page answers, and the PSS then.

Usage: python bench/serve_memory.py PROJECT [--after 5] [--rounds 1]
(PROJECT: e.g. one written by ``bench/generate_corpus.py DEST --n 5000``; its ``output/`` is rebuilt.)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_measure import process_tree, pss_mb  # noqa: E402
from bench_serve import RunningServer, project_server  # noqa: E402


def one_start(project: Path, after: float) -> tuple[float, float]:
    """(peak MB, MB ``after`` seconds after the first page answered)."""
    slug = next((project / "content" / "fr").glob("*.md")).stem
    spec = project_server(project, slug, project / "content" / "fr" / f"{slug}.md")
    with tempfile.TemporaryDirectory() as tmp:
        server = RunningServer(spec, Path(tmp) / "serve.log")
        try:
            server.wait_ready()
            time.sleep(after)
            steady = pss_mb(process_tree(server.proc.pid))
        finally:
            peak = server.stop()
    return peak, steady


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("project", type=Path)
    ap.add_argument("--after", type=float, default=5.0, help="seconds sampled after the first page answers")
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    runs = [one_start(args.project.resolve(), args.after) for _ in range(args.rounds)]
    peak = statistics.median(p for p, _ in runs)
    steady = statistics.median(s for _, s in runs)
    print(f"serve {args.project}: start-up peak {peak:,.0f} MB, {steady:,.0f} MB {args.after:g} s after the first page")


if __name__ == "__main__":
    main()
