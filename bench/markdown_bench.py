"""Body rendering with every inline pattern vs only those a body's text can trigger (briefing/bodies.py).

    python bench/markdown_bench.py [--copies 400] [--corpus DIR]

Bodies: the bundled articles (agency copy: few Markdown marks) repeated ``--copies`` times, and, with ``--corpus``,
a generated project's (``bench/generate_corpus.py``: links and emphasis in every sentence). CPU seconds, best of 3.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing import bodies  # noqa: E402
from briefing.frontmatter import parse_front_matter  # noqa: E402


def _texts(folder: Path) -> list[str]:
    return [parse_front_matter(md.read_text(encoding="utf-8"), md)[1] for md in sorted(folder.rglob("*.md"))]


def _cpu(render, texts: list[str]) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for text in texts:
            render(text)
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=400)
    ap.add_argument("--corpus", type=Path)
    args = ap.parse_args()
    full = bodies._new_markdown()
    every = lambda t: bodies._BodyRenderer.blocks_with(full, t)  # noqa: E731
    sets = {"bundled agency copy": [t + f"\n\n{i}" for i in range(args.copies) for t in _texts(ROOT / "content")]}
    if args.corpus:
        sets["generated corpus"] = _texts(args.corpus / "content")
    print(f"{'bodies':<22}{'count':>7}{'every pattern':>15}{'triggered only':>16}{'speed-up':>10}")
    for name, texts in sets.items():
        a, b = _cpu(every, texts), _cpu(bodies.render_blocks, texts)
        print(f"{name:<22}{len(texts):>7}{a:>14.2f}s{b:>15.2f}s{a / b:>9.2f}×")


if __name__ == "__main__":
    main()
