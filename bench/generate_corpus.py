#!/usr/bin/env python3
"""Generate a portal project with N articles per language, for benchmarks and scale tests.

Realistic shape: ~600 words per article with headings, lists, links and emphasis; dates spread over
several years; ~30 conferences and ~40 ministers with Vietnamese diacritics, in a generated taxonomy.
Writes ``ground-truth.json`` beside the content: per language, how many articles name each conference
and each minister, which the scale test compares with the built site.

Usage: python bench/generate_corpus.py DEST --n 5000 [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Quốc", "Hoài", "Đức", "Xuân", "Hồng", "Anh", "Bình", "Chí"]
GIVEN = [
    "Sơn",
    "Hằng",
    "Trung",
    "Dũng",
    "Phúc",
    "Chính",
    "Hải",
    "Lâm",
    "Cường",
    "Tuấn",
    "Giang",
    "Việt",
    "Linh",
    "Hùng",
    "Thắng",
    "Nam",
    "Long",
    "Khánh",
    "Mai",
    "Hiền",
]
KINDS = [
    ("conference-diplomatique", "Conférence diplomatique", "Diplomatic Conference"),
    ("sommet-asean", "Sommet de l'ASEAN", "ASEAN Summit"),
    ("amm", "Réunion des ministres des AE de l'ASEAN", "ASEAN Foreign Ministers' Meeting"),
]
WORDS_FR = (
    "diplomatie coopération développement intégration partenaires localités économie région stabilité "
    "sécurité commerce investissement délégation ministère relations multilatérale souveraineté culture "
    "jeunesse innovation numérique transition énergie climat agriculture tourisme formation"
).split()
WORDS_EN = (
    "diplomacy cooperation development integration partners localities economy region stability security "
    "trade investment delegation ministry relations multilateral sovereignty culture youth innovation "
    "digital transition energy climate agriculture tourism training"
).split()


def _person(rng: random.Random, used: set[str]) -> tuple[str, str, str]:
    from briefing.taxonomy import slugify_name

    while True:
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        pid = slugify_name(name)
        if pid not in used:
            used.add(pid)
            return pid, name, " ".join(slugify_name(w).capitalize() for w in name.split())


def _paragraph(rng: random.Random, words: list[str], n: int) -> str:
    out = []
    for i in range(n):
        w = rng.choice(words)
        if i % 17 == 5:
            w = f"*{w}*"
        if i % 41 == 7:
            w = f"[{w}](https://example.org/{rng.choice(words)})"
        out.append(w)
        if i % 12 == 11:
            out[-1] += "."
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random, words: list[str]) -> str:
    parts = [_paragraph(rng, words, 110), "## " + " ".join(rng.sample(words, 4)).capitalize()]
    parts += [_paragraph(rng, words, 120), "\n".join(f"- {_paragraph(rng, words, 12)}" for _ in range(4))]
    parts += [
        "## " + " ".join(rng.sample(words, 3)).capitalize(),
        _paragraph(rng, words, 130),
        _paragraph(rng, words, 110),
    ]
    return "\n\n".join(parts)


def generate(dest: Path, n: int, seed: int = 1) -> dict:
    from briefing.frontmatter import dump_front_matter

    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    for rel in ("site.yaml", "templates", "theme"):
        src = ROOT / rel
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, dest / rel) if src.is_dir() else None
        if not src.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    content = dest / "content"
    (content / "fr").mkdir(parents=True)
    (content / "en").mkdir(parents=True)

    used: set[str] = set()
    people = [_person(rng, used) for _ in range(40)]
    conferences = []
    for i in range(30):
        kind, fr, en = KINDS[i % 3]
        number = 20 + i
        year = 2012 + i % 13
        conferences.append((f"{kind}-{number}", f"{number}e {fr}", f"{number}th {en}", dt.date(year, 1 + i % 12, 10)))
    taxonomy = {
        "kinds": {k: {"fr": fr, "en": en, "patterns": [r"{ord}\s+" + k.replace("-", r"\s+")]} for k, fr, en in KINDS},
        "conferences": {
            cid: {"fr": fr, "en": en, "start": d.isoformat(), "place": "Hanoï"} for cid, fr, en, d in conferences
        },
        "people": {
            pid: {
                "name": name,
                "en": en_name,
                "roles": [{"rank": "minister", "fr": "ministre", "en": "Minister", "from": "2000-01-01"}],
            }
            for pid, name, en_name in people
        },
        "places": [{"fr": "Hanoï", "en": "Hanoi"}],
    }
    import yaml

    (content / "taxonomy.yaml").write_text(
        yaml.safe_dump(taxonomy, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    shutil.copy2(ROOT / "content" / "glossary.yaml", content / "glossary.yaml")

    truth: dict = {"n": n, "conferences": {}, "ministers": {}}
    start = dt.date(2014, 1, 1)
    for i in range(n):
        slug = f"depeche-{i:05d}-" + "-".join(rng.sample(WORDS_EN, 2))
        date = start + dt.timedelta(days=rng.randrange(0, 11 * 365))
        confs = sorted({c[0] for c in rng.sample(conferences, rng.choice((0, 1, 1, 2)))})
        mins = sorted({p[0] for p in rng.sample(people, rng.choice((1, 1, 2, 3)))})
        for c in confs:
            truth["conferences"][c] = truth["conferences"].get(c, 0) + 1
        for m in mins:
            truth["ministers"][m] = truth["ministers"].get(m, 0) + 1
        common = {"date": date.isoformat(), "date_source": "text", "date_confidence": "high"}
        fr_meta = {
            "title": f"Dépêche {i} : " + " ".join(rng.sample(WORDS_FR, 6)),
            **common,
            "lang": "fr",
            "source": "VNA",
            "dateline": "Hanoï",
            "conferences": confs,
            "ministers": mins,
            "people": [],
            "summary": _paragraph(rng, WORDS_FR, 30),
            "captions": [],
        }
        fr_body = _body(rng, WORDS_FR)
        (content / "fr" / f"{slug}.md").write_text(dump_front_matter(fr_meta, fr_body), encoding="utf-8")
        from briefing.sources import parse_article

        fr_article = parse_article(dump_front_matter(fr_meta, fr_body), content / "fr" / f"{slug}.md", "fr")
        en_meta = {
            "title": f"Dispatch {i}: " + " ".join(rng.sample(WORDS_EN, 6)),
            **{k: v for k, v in common.items() if k != "date_source"},  # how the date was found: French only
            "lang": "en",
            "source": "VNA",
            "dateline": "Hanoï",
            "conferences": confs,
            "ministers": mins,
            "people": [],
            "summary": _paragraph(rng, WORDS_EN, 30),
            "captions": [],
            "translation": "machine",
            "engine": "bench",
            "model": "generated",
            "source_sha256": fr_article.translatable_sha256(),
        }
        (content / "en" / f"{slug}.md").write_text(dump_front_matter(en_meta, _body(rng, WORDS_EN)), encoding="utf-8")
    (dest / "ground-truth.json").write_text(json.dumps(truth, indent=1, sort_keys=True), encoding="utf-8")
    return truth


def main() -> int:
    ap = argparse.ArgumentParser(description="generate a portal project with N articles per language")
    ap.add_argument("dest", type=Path)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    truth = generate(args.dest, args.n, args.seed)
    print(
        f"{args.dest}: {truth['n']} articles per language, {len(truth['conferences'])} conferences, "
        f"{len(truth['ministers'])} ministers"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
