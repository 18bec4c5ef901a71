#!/usr/bin/env python3
"""Translation desk: an editor's fixes reach the next dispatch that repeats the same sentences.

In a copy of the bundled site (a temporary folder): the editor approves N body segments of one article
with their own English (``briefing.translate.desk.approve``, what the review page calls); then a new
raw dispatch that repeats those N French sentences among sentences of its own is imported
(``build.py import``) and translated (``build.py translate --engine apertium``). Printed: how many of the
new article's segments came from the desk (its ``desk_segments`` and a count of the editor's sentences
found in its English) and how many the engine made, with the wall time of each step.

With ``--alignment``: also imports the test corpora (tests/corpus, tests/corpus2), translates them with
Apertium and prints how many French segments the aligner pairs with the machine English (the desk's
starting point: an unaligned segment cannot be approved one by one); then, in each body, an editor's paragraph
of one sentence inserted at every place between paragraphs in turn: how many French segments still pair with
their own English, how many are left unpaired, and how many pair with the wrong English (what the desk would
learn wrongly; the aim is none).

Usage: python bench/desk_bench.py [--fixes 5] [--alignment]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

if TYPE_CHECKING:
    from briefing.config import Config

SLUG = "la-vice-ministre-des-affaires-etrangeres-le-thi-thu-hang-a-souligne-les"
OWN = (
    "Hai Phong (VNA) – Le vice-ministre a reçu le 5 mars une délégation d'hommes d'affaires japonais au port.",
    "Les deux parties ont évoqué la coopération dans la logistique et la construction navale.",
)


def _cli(root: Path, *args: str) -> tuple[str, float]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), *args], capture_output=True, text=True
    )
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
    return proc.stdout.strip(), time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--fixes", type=int, default=5, help="segments the editor fixes (default 5)")
    ap.add_argument("--alignment", action="store_true", help="also measure alignment over the test corpora")
    args = ap.parse_args()
    from conftest import make_project

    from briefing.config import load_config
    from briefing.sources import parse_article
    from briefing.translate import desk

    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp) / "portal", with_content=True)
        cfg = load_config(root)
        body = [p for p in desk.segment_pairs(cfg, SLUG, flags=False) if p.unit == "body"]
        fixed = body[1 : 1 + args.fixes]
        start = time.perf_counter()
        for i, p in enumerate(fixed):
            desk.approve(cfg, SLUG, p.index, f"Desk fix {chr(65 + i)}: {p.english}")
        approve_s = time.perf_counter() - start
        raw = Path(tmp) / "nouvelle.txt"
        raw.write_text("\n\n".join([OWN[0], *(p.french for p in fixed), OWN[1]]) + "\n", encoding="utf-8")
        before = {p.name for p in (root / "content" / "fr").glob("*.md")}
        _, import_s = _cli(root, "import", "--no-nlp", str(raw))
        (new,) = [p for p in (root / "content" / "fr").glob("*.md") if p.name not in before]
        summary, translate_s = _cli(root, "translate", "--engine", "apertium", "--quiet", "--only", new.stem)
        en_path = root / "content" / "en" / new.name
        en = parse_article(en_path.read_text(encoding="utf-8"), en_path, "en")
        found = sum(1 for i, p in enumerate(fixed) if f"Desk fix {chr(65 + i)}: {p.english}" in en.body)
        pairs = desk.segment_pairs(cfg, new.stem, flags=False)
        print(f"editor approved {len(fixed)} segment(s) of {SLUG[:40]}… in {approve_s:.2f} s")
        print(f"imported the new dispatch {new.stem} in {import_s:.2f} s")
        print(f"translate: {summary}")
        print(
            f"new dispatch: {len(pairs)} segment(s); {en.desk_segments} from the desk (desk_segments), "
            f"{found} of the {len(fixed)} editor's sentences found verbatim in its English; "
            f"{len(pairs) - en.desk_segments} by the engine; translated in {translate_s:.2f} s"
        )
        if args.alignment:
            _alignment(root)
        shutil.rmtree(root)


def _alignment(root: Path) -> None:
    from briefing.config import load_config
    from briefing.translate import desk

    _cli(root, "import", "--no-nlp", str(ROOT / "tests" / "corpus"), str(ROOT / "tests" / "corpus2"))
    _, seconds = _cli(root, "translate", "--engine", "apertium", "--quiet")
    cfg = load_config(root)
    from briefing.translate.align import _numbers

    total = aligned = articles = other_numbers = 0
    for path in sorted((cfg.content_dir / "fr").glob("*.md")):
        s = desk.sheet(cfg, path.stem)
        articles += 1
        total += len(s.slots)
        pairs = [(s.french(x), e) for x in s.slots if (e := s.english(x)) is not None]
        aligned += len(pairs)
        other_numbers += sum(1 for fr, en in pairs if _numbers(fr) != _numbers(en))
    print(
        f"alignment of machine English (Apertium, translated in {seconds:.1f} s): {aligned} of {total} French "
        f"segments aligned over {articles} articles ({100 * aligned / max(total, 1):.1f}%); "
        f"{other_numbers} pair(s) with other numbers on each side (to check by eye)"
    )
    _inserted_paragraph(cfg)


EDITORS_PARAGRAPH = "This paragraph was added by the editor."


def _inserted_paragraph(cfg: Config) -> None:
    from briefing.frontmatter import parse_front_matter
    from briefing.translate.align import align_bodies
    from briefing.translate.segment import segment_markdown

    right = unpaired = wrong = cases = 0
    for path in sorted((cfg.content_dir / "fr").glob("*.md")):
        fr_body = parse_front_matter(path.read_text(encoding="utf-8"), path)[1]
        en_path = cfg.content_dir / "en" / path.name
        en_body = parse_front_matter(en_path.read_text(encoding="utf-8"), en_path)[1]
        truth = align_bodies(fr_body, en_body).english_of()  # the machine English: blocks in order
        paragraphs = en_body.strip().split("\n\n")
        for place in range(len(paragraphs) + 1):
            edited = "\n\n".join([*paragraphs[:place], EDITORS_PARAGRAPH, *paragraphs[place:]])
            before = len(segment_markdown("\n\n".join(paragraphs[:place])).segments)
            cases += 1
            for f, (a, b) in align_bodies(fr_body, edited).english_of().items():
                shift = 0 if a < before else 1  # English segments after the editor's sentence moved by one
                ok = f in truth and (truth[f][0] + shift, truth[f][1] + shift) == (a, b)
                right, wrong = right + ok, wrong + (not ok)
            unpaired += sum(1 for f in truth) - len(align_bodies(fr_body, edited).spans)
    print(
        f"an editor's paragraph inserted ({cases} placings over the bodies): {right} French segments paired with "
        f"their own English, {unpaired} left unpaired, {wrong} paired with the wrong English"
    )


if __name__ == "__main__":
    main()
