"""Print the importer's accuracy on the labelled corpora: ``python bench/score_import.py [-v] [CORPUS...]``.

Default corpora: tests/corpus to tests/corpus9. ``-v`` lists every miss per file.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from scoring import run, score  # noqa: E402

from briefing.taxonomy import load_taxonomy  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "corpora",
        nargs="*",
        type=Path,
        default=[
            ROOT / "tests" / name
            for name in (
                "corpus",
                "corpus2",
                "corpus3",
                "corpus4",
                "corpus5",
                "corpus6",
                "corpus7",
                "corpus8",
                "corpus9",
            )
        ],
    )
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--nlp", action="store_true", help="rules + the French NLP pipeline (spaCy), side by side")
    args = ap.parse_args()
    tax = load_taxonomy(ROOT / "content" / "taxonomy.yaml")
    for corpus in args.corpora:
        for use_nlp in (False, True) if args.nlp else (False,):
            t0 = time.perf_counter()
            s = score(corpus, run(corpus, tax, use_nlp))
            label = f"{corpus.name} [{'rules + spaCy' if use_nlp else 'rules'}]"
            print(f"{s.summary(label)}; {time.perf_counter() - t0:.1f} s")
            if args.verbose:
                for file, miss in s.misses.items():
                    print(f"  {file}: " + "; ".join(miss))


if __name__ == "__main__":
    main()
