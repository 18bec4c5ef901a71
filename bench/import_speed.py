"""How import time grows with a dispatch's size: ``python bench/import_speed.py [--sizes KB,...]``.

Made-up copy (role words, names, dates, event names repeated) from 100 KB to the 5 MB cap; prints seconds and
seconds per MB, so that super-linear growth shows as a rising last column.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefing.importer import extract  # noqa: E402
from briefing.taxonomy import load_taxonomy  # noqa: E402

SENTENCE = (
    "Le vice-ministre des Affaires étrangères Nguyên Van An a reçu lundi 13 décembre à Hanoï le ministre lao "
    "Saleumxay Kommasith, en marge de la 56e réunion des ministres des AE de l'ASEAN (AMM-56), a indiqué M. Bùi "
    "Thanh Son. "
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="100,1000,4900", help="sizes in KB")
    args = ap.parse_args()
    tax = load_taxonomy(ROOT / "content" / "taxonomy.yaml")
    extract(SENTENCE.encode(), "warm.txt", tax, dt.date(2026, 1, 1))  # compile the name patterns once
    print(f"{'size':>8} {'paragraphs':>10} {'seconds':>8} {'s/MB':>6}")
    for kb in (int(x) for x in args.sizes.split(",")):
        para = SENTENCE * max(1, kb * 1000 // len(SENTENCE.encode()) // 10)
        data = "\n\n".join([para] * 10).encode()
        start = time.perf_counter()
        extract(data, "big.txt", tax, dt.date(2026, 1, 1))
        took = time.perf_counter() - start
        print(f"{len(data) / 1e6:>7.2f}M {10:>10} {took:>8.2f} {took / (len(data) / 1e6):>6.2f}")


if __name__ == "__main__":
    main()
