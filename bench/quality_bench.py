#!/usr/bin/env python3
"""Translation quality and speed: the portal's Apertium path side by side with raw Apertium on the same text.

Text: the raw seeds (content/raw), tests/corpus and tests/corpus2 dispatches, imported in memory with
``briefing.importer.extract`` (title, summary, captions, body). For each set, both columns translate the
same French:

* raw      ``apertium -u fr-es | apertium -u spa-eng`` over the whole set at once (markers on for the
           flag count only, in a separate untimed run);
* portal   the portal's path from an empty memory: segmentation, locks, one Apertium pipeline, review
           flags, finishing pass.

Rows: locked-term integrity (every taxonomy person/place/organisation named in the French appears in
its English form), names outside the taxonomy intact (the importer's name detection), "à <place>"
rendered "to" after a verb of motion and "in" otherwise (places of the taxonomy),
French typography left in the English (« », 1.100, 3,5 %, 14e/14ᵉ, no-break spaces, Hanoï), review
flags per 1,000 words, and words/s (French words; best of --repeat runs).

Usage: python bench/quality_bench.py [--repeat 3] [--set seeds|corpus|corpus2|all]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETS = {
    "seeds": ROOT / "content" / "raw",
    "corpus": ROOT / "tests" / "corpus",
    "corpus2": ROOT / "tests" / "corpus2",
}
FRENCH_TYPOGRAPHY = re.compile(
    r"[«»\u00a0\u202f]|(?<![\d.,])\d{1,3}(?:\.\d{3})+(?!\d)|\d,\d+\s?%|\b\d+(?:ᵉ|e|ème|er|re)\b|Hanoï|Hô Chi Minh-Ville"
)


def documents(folder: Path) -> list[dict[str, object]]:
    from briefing.importer import extract
    from briefing.taxonomy import load_taxonomy

    tax = load_taxonomy(ROOT / "content" / "taxonomy.yaml")
    out = []
    for f in sorted(folder.glob("*.txt")):
        rec = extract(f.read_bytes(), f.name, tax, dt.date(2026, 11, 23))
        m = rec.meta
        out.append({"title": m["title"], "summary": m.get("summary") or "", "captions": m.get("captions") or [],
                    "body": rec.body, "people": m.get("people") or []})  # fmt: skip
    return out


def texts_of(doc: dict[str, object]) -> list[str]:
    return [str(doc["title"]), str(doc["summary"]), *[str(c) for c in doc["captions"]], str(doc["body"])]  # type: ignore[attr-defined]


def raw_apertium(texts: list[str], markers: bool = False) -> tuple[list[str], float]:
    flag = "" if markers else "-u"
    joined = "\n\n".join(" ".join(t.split()) for t in texts) + "\n"
    start = time.perf_counter()
    out = subprocess.run(
        ["sh", "-c", f"apertium {flag} fr-es | apertium {flag} spa-eng"],
        input=joined,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seconds = time.perf_counter() - start
    parts = [" ".join(p.split()) for p in out.strip("\n").split("\n\n")]
    return parts, seconds


def portal(docs: list[dict[str, object]]) -> tuple[list[str], float, dict[str, int]]:
    """The portal's path; the project's taxonomy and glossary are loaded before the clock starts
    (any translation of the project loads them; the raw pipe has nothing to load)."""
    from briefing.sources import Article
    from briefing.taxonomy import load_taxonomy
    from briefing.translate.engines import ApertiumEngine
    from briefing.translate.finish import finish, place_forms
    from briefing.translate.memory import Memory
    from briefing.translate.names import article_names
    from briefing.translate.protect import Protector, load_glossary
    from briefing.translate.segment import fill, segment_markdown, segment_plain
    from briefing.translate.translator import Translator

    tax = load_taxonomy(ROOT / "content" / "taxonomy.yaml")
    glossary, _ = load_glossary(ROOT / "content" / "glossary.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        protector = Protector.for_project(tax, glossary)
        start = time.perf_counter()
        memory = Memory(Path(tmp) / "tm.sqlite")
        translator = Translator(ApertiumEngine(), memory, protector)
        places = place_forms([(t.fr, t.en) for t in tax.places])
        units, locked = [], []
        for d in docs:
            art = Article("fr", "x", Path("x.md"), str(d["title"]), str(d["body"]), summary=str(d["summary"]),
                          captions=tuple(d["captions"]), people=tuple(d["people"]))  # type: ignore[arg-type]  # fmt: skip
            names = article_names(tax, art)
            segs = [segment_plain(t) for t in texts_of(d)[:-1]] + [segment_markdown(str(d["body"]))]
            units.append(segs)
            locked += [protector.lock(s, names) for u in segs for s in u.segments]
        entries = iter(translator.entries(locked))
        english, flags = [], {}
        for segs in units:
            for u in segs:
                outs = []
                for seg in u.segments:
                    e = next(entries)
                    assert e is not None
                    for k, v in e.flags.items():
                        flags[k] = flags.get(k, 0) + v
                    outs.append(finish(e.target, places, capital=seg.text[:1].isupper()))
                english.append(fill(u.template, outs))
        seconds = time.perf_counter() - start
        memory.close()
    flags["_pipelines"] = translator.engine.calls  # type: ignore[attr-defined]
    return english, seconds, flags


def measure(docs: list[dict[str, object]], french: list[str], english: list[str]) -> dict[str, tuple[int, int]]:
    from briefing.sources import Article
    from briefing.taxonomy import load_taxonomy
    from briefing.translate.names import article_names
    from briefing.translate.protect import MARKUP, Protector
    from briefing.translate.segment import Segment

    tax = load_taxonomy(ROOT / "content" / "taxonomy.yaml")
    names_only = Protector(tax.protected_terms())
    per_doc = len(texts_of(docs[0])) if docs else 0
    terms = [0, 0]
    names = [0, 0]
    i = 0
    for d in docs:
        n = len(texts_of(d))
        fr_text, en_text = "\n".join(french[i : i + n]), "\n".join(english[i : i + n])
        i += n
        lk = names_only.lock(Segment(fr_text, ()))
        for target in {t for t, kind in zip(lk.targets, lk.kinds, strict=True) if kind != MARKUP}:
            terms[0] += target in en_text
            terms[1] += 1
        art = Article("fr", "x", Path("x.md"), str(d["title"]), str(d["body"]), people=tuple(d["people"]))  # type: ignore[arg-type]
        spaced = en_text.replace("-", " ")
        for name in article_names(tax, art):
            names[0] += name.replace("-", " ") in spaced
            names[1] += 1
    del per_doc
    typography = sum(len(FRENCH_TYPOGRAPHY.findall(e)) for e in english)
    return {"terms": (terms[0], terms[1]), "names": (names[0], names[1]), "typography": (typography, 0)}


# The English a careful translator writes after these French verbs before "à <city>": "to" (go, come, return,
# travel, send, invite someone to a place); every other verb, "arriver" included ("arrived in Hanoi"), takes
# "in". Written apart from the portal's own list (``protect.MOTION``), which this bench checks.
TO_VERBS = re.compile(
    r"(?<![\w])(?:rend(?:u|ue|us|ues|ra|ront|ait|aient)?|all(?:er|é|ée|és|ées)|va|vont|ira|iront|"
    r"ven(?:ir|u|ue|us|ues)|vien(?:t|nent|dra|dront)|retourn\w*|reven\w*|rentr\w*|"
    r"voyag\w*|envoy\w*|rapatri\w*|transfér\w*|achemin\w*|invit\w*)(?![\w])"
)


def prepositions(french: list[str], english: list[str], places: dict[str, str]) -> tuple[int, int]:
    """ "à <locked place>": "to" after a verb of going in the six words before, else "in". Right / checked."""
    right = total = 0
    for fr, en in zip(french, english, strict=True):
        for place, place_en in places.items():
            expected = []
            for m in re.finditer(rf"\bà {re.escape(place)}\b", fr):
                before = " ".join(fr[: m.start()].split()[-6:])
                expected.append("to" if TO_VERBS.search(before) else "in")
            got = re.findall(rf"\b(\w+) {re.escape(place_en)}\b", en)
            for want, have in zip(expected, got, strict=False):
                total += 1
                right += want == have
    return right, total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--set", choices=[*SETS, "all"], default="all")
    args = ap.parse_args()
    names = list(SETS) if args.set == "all" else [args.set]
    print("| set | docs | French words | column | taxonomy terms intact | names outside taxonomy intact "
          "| à + place → in/to right | French typography left | flags / 1,000 words | words/s |")  # fmt: skip
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for name in names:
        docs = documents(SETS[name])
        french = [t for d in docs for t in texts_of(d)]
        words = sum(len(t.split()) for t in french)
        raw_best = min(raw_apertium(french)[1] for _ in range(args.repeat))
        raw_out, _ = raw_apertium(french)
        marked, _ = raw_apertium(french, markers=True)
        raw_flags = sum(len(re.findall(r"(?<![\w*#@])[*#@]+[a-zà-ÿ]", m)) for m in marked)
        runs = [portal(docs) for _ in range(args.repeat)]
        ours, _, flags = runs[0]
        ours_best = min(r[1] for r in runs)
        m_raw, m_ours = measure(docs, french, raw_out), measure(docs, french, ours)
        from briefing.taxonomy import load_taxonomy

        tax = load_taxonomy(ROOT / "content" / "taxonomy.yaml")
        places = {t.fr: re.sub(r"\s*\([^()]*\)$", "", t.en) for t in tax.places}
        p_raw, p_ours = prepositions(french, raw_out, places), prepositions(french, ours, places)
        flag_total = sum(v for k, v in flags.items() if not k.startswith("_"))
        for column, m, p, fl, secs in (
            ("raw Apertium", m_raw, p_raw, raw_flags, raw_best),
            ("portal", m_ours, p_ours, flag_total, ours_best),
        ):
            prep = f"{p[0]}/{p[1]}"
            print(
                f"| {name} | {len(docs)} | {words} | {column} | {m['terms'][0]}/{m['terms'][1]} "
                f"| {m['names'][0]}/{m['names'][1]} | {prep} | {m['typography'][0]} "
                f"| {1000 * fl / words:.1f} | {words / secs:,.0f} |"
            )
        print(
            f"|  |  |  | portal ÷ raw speed | {ours_best and raw_best / ours_best:.0%} "
            f"({flags['_pipelines']} Apertium pipeline(s) for {len(french)} texts) |  |  |  |  |  |",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
