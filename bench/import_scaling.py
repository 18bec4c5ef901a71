"""Import time against dispatch size, and where it goes: made-up dispatches (no agency text), one long
sentence naming a conference again and again, at growing sizes. Prints seconds per size and the five
functions with the most cumulative time at the largest size.

    python bench/import_scaling.py 20 40 80 160      # sizes in KB
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.importer import extract  # noqa: E402
from briefing.ingest import decode  # noqa: E402
from briefing.taxonomy import load_taxonomy  # noqa: E402

UNIT = "la 30e Conférence diplomatique et la Conférence diplomatique du ministre Bùi Thanh Sơn, "


def made_up(kb: int) -> bytes:
    body = UNIT * (kb * 1000 // len(UNIT.encode()))
    return ("Titre de la dépêche\n\nHanoï, 13 décembre (VNA) - " + body + "fin.\n-VNA").encode()


def main(sizes: list[int]) -> None:
    tax = load_taxonomy(ROOT / "content" / "taxonomy.yaml")
    profile = cProfile.Profile()
    for kb in sizes:
        data = made_up(kb)
        start = time.perf_counter()
        decode(data, "made-up.txt")
        decoded = time.perf_counter() - start
        if kb == sizes[-1]:
            profile.enable()
        start = time.perf_counter()
        extract(data, "made-up.txt", tax)
        total = time.perf_counter() - start
        profile.disable()
        print(f"{kb:>6} KB  decode {decoded:7.3f} s  import {total:7.2f} s", flush=True)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(r"briefing", 6)
    print(out.getvalue().split("ncalls", 1)[-1])


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [20, 40, 80, 160])
