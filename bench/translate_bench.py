#!/usr/bin/env python3
"""Translation benchmark (issue: batched Argos vs per-sentence calls; warm-memory re-translate).

Prints, for the same set of sentences on the same tiny test model (or a real package with --model):
  (a) segments/s with argostranslate.translate.translate() called once per sentence,
  (b) segments/s with the portal's batched path (one model load, sorted batches through translate_batch),
and the ratio (target: b ≥ 5× a); then the time of a full re-translate of the bundled content with a warm
translation memory (target: < 1 s).

argostranslate.translate imports stanza and minisbd at module level (torch: gigabytes) only for sentence
splitting. Each call here is already one sentence, so the benchmark registers empty stand-ins for those two
modules and gives Argos a sentencizer that returns its input unchanged; everything else in (a) is Argos's own
code: language lookup, its CTranslate2 call per sentence, its tokenisation and detokenisation.

Usage: python bench/translate_bench.py [--model FILE.argosmodel] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))


def _sentences() -> list[str]:
    from briefing.importer import extract
    from briefing.taxonomy import load_taxonomy
    from briefing.translate.segment import segment_markdown

    tax = load_taxonomy(ROOT / "content" / "taxonomy.yaml")
    files = sorted((ROOT / "content" / "raw").glob("*.txt")) + sorted((ROOT / "tests" / "corpus").glob("*.txt"))
    out: list[str] = []
    for f in files:
        rec = extract(f.read_bytes(), f.name, tax, dt.date.today())
        out += [s.source() for s in segment_markdown(rec.body).segments]
    return out


def _stub_sentence_splitting() -> None:
    for name in ("stanza", "minisbd"):
        mod = types.ModuleType(name)
        if name == "minisbd":
            mod.SBDetect = object  # type: ignore[attr-defined]
            mod.models = types.SimpleNamespace(cache_dir="")  # type: ignore[attr-defined]
        sys.modules.setdefault(name, mod)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", help="a real .argosmodel to use instead of the tiny test model")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    os.environ["ARGOS_PACKAGES_DIR"] = str(work / "packages")
    (work / "packages").mkdir()
    os.environ.setdefault("XDG_DATA_HOME", str(work / "xdg"))
    if args.model:
        model = Path(args.model)
    else:
        from tiny_argos import build_argosmodel

        text = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "content" / "raw").glob("*.txt")))
        model = build_argosmodel(work / "translate-fr_en-test.argosmodel", text)
    from briefing.translate import models

    pkg_dir = models.install_from_file(model)
    sentences = _sentences()
    print(
        f"model: {pkg_dir.name} ({model.name}); {len(sentences)} sentences from the seeds and the corpus; "
        f"{os.cpu_count()} cores"
    )

    _stub_sentence_splitting()
    import argostranslate.translate as at

    class WholeInput:
        def __init__(self, pkg):  # type: ignore[no-untyped-def]
            self.pkg = pkg

        def split_sentences(self, text: str) -> list[str]:
            return [text]

    at.MiniSBDSentencizer = WholeInput  # type: ignore[misc]
    at.StanzaSentencizer = WholeInput  # type: ignore[misc]
    at.translate(sentences[0], "fr", "en")  # load the model once, outside the timing

    from briefing.translate.engines import ArgosEngine

    engine = ArgosEngine(pkg_dir, beam_size=4, max_batch_size=32)  # Argos's own default beam is 4
    engine.translate_batch(sentences[:2])

    per_sentence, batched = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        for s in sentences:
            at.translate(s, "fr", "en")
        per_sentence.append(len(sentences) / (time.perf_counter() - t))
        t = time.perf_counter()
        engine.translate_batch(sentences)
        batched.append(len(sentences) / (time.perf_counter() - t))
    a, b = statistics.median(per_sentence), statistics.median(batched)
    print(f"(a) argostranslate.translate.translate per sentence: {a:8.1f} segments/s")
    print(f"(b) portal batched path (translate_batch):           {b:8.1f} segments/s")
    print(f"    ratio b/a: {b / a:.1f}x  (target ≥ 5x)")

    # warm-memory re-translate of the bundled content, through the command line, as an editor runs it
    project = work / "portal"
    project.mkdir()
    for rel in ("site.yaml", "templates", "theme", "content"):
        src = ROOT / rel
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, project / rel)
    for f in (project / "content" / "en").glob("*.md"):
        f.unlink()
    cmd = [sys.executable, str(ROOT / "build.py"), "--root", str(project), "translate", "--quiet", "--engine", "argos"]
    cold = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    cold = time.perf_counter() - cold
    warm = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        out = subprocess.run(cmd + ["--force"], check=True, capture_output=True, text=True)
        warm.append(time.perf_counter() - t)
    print(
        f"bundled content (5 articles): cold translate {cold:.2f}s; full re-translate with a warm memory "
        f"{statistics.median(warm):.2f}s (target < 1 s), whole command including Python start-up"
    )
    print("    " + out.stdout.strip())
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
