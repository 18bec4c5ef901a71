#!/usr/bin/env python3
"""Exchange with translators' tools, timed through the real command line on a copy of the bundled content.

Prints the wall time of each whole command (Python start-up included): XLIFF export (1.2 and 2.0) of every
segment awaiting review, the import of that file with every unit confirmed as a CAT tool does (each one
approved through the desk: file rewritten, memory row stored), the TMX export of the human rows, and their
import into a fresh project; the best of ``--repeat`` runs of each, each run on a fresh copy.

Usage: python bench/exchange_bench.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETUP = ("site.yaml", "templates", "theme", "content/taxonomy.yaml", "content/glossary.yaml")


def _copy(dest: Path, articles: bool) -> Path:
    """A project folder: the configuration, and the bundled articles of both languages if asked."""
    for rel in SETUP + (("content/fr", "content/en") if articles else ()):
        src, target = ROOT / rel, dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, target)
    return dest


def _run(root: Path, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    r = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), "translate", *args],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if r.returncode:
        sys.exit(f"translate {' '.join(args)} failed: {r.stderr}")
    return seconds, r.stdout.strip()


def _confirm_all(xlf: Path) -> None:
    """Every unit signed off as it is, the way a CAT tool records a confirmed segment."""
    from translate.storage import xliff

    store = xliff.xlifffile.parsestring(xlf.read_bytes())
    for tu in store.units:
        tu.set_state_n(tu.S_SIGNED_OFF)
    xlf.write_bytes(bytes(store))


def _round(work: Path) -> dict[str, tuple[float, str]]:
    project = _copy(work / "portal", articles=True)
    out = {}
    for version in ("2.0", "1.2"):
        xlf = work / f"desk-{version}.xlf"
        out[f"export XLIFF {version}"] = _run(project, "--export-xliff", str(xlf), "--xliff-version", version)
    _confirm_all(work / "desk-1.2.xlf")
    out["import XLIFF 1.2 (all confirmed)"] = _run(project, "--import-xliff", str(work / "desk-1.2.xlf"))
    out["export TMX"] = _run(project, "--export-tmx", str(work / "memory.tmx"))
    fresh = _copy(work / "fresh", articles=False)
    out["import TMX (fresh project)"] = _run(fresh, "--import-tmx", str(work / "memory.tmx"))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    best: dict[str, tuple[float, str]] = {}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="exchange-bench-") as tmp:
            for step, (seconds, said) in _round(Path(tmp)).items():
                if step not in best or seconds < best[step][0]:
                    best[step] = (seconds, said)
    for step, (seconds, said) in best.items():
        print(f"{step:34} {seconds:6.2f} s   {said.splitlines()[-1] if said else ''}")


if __name__ == "__main__":
    main()
