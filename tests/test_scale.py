"""A generated corpus (bench/generate_corpus.py) builds into exactly the pages its ground truth predicts."""

from __future__ import annotations

import json
import re
import sys

from conftest import ROOT, run_cli
from sitecheck import broken_links

sys.path.insert(0, str(ROOT / "bench"))


def test_generated_corpus_page_counts_match_ground_truth(tmp_path):
    from generate_corpus import generate

    project = tmp_path / "gen"
    truth = generate(project, 60, seed=3)
    proc = run_cli(project, "build")
    assert proc.returncode == 0, proc.stderr
    out = project / "output"
    for lang, sec in (("fr", "ministres"), ("en", "ministers")):
        assert len(list((out / lang / "articles").glob("*/index.html"))) == truth["n"]
        for cid, count in truth["conferences"].items():
            html = (out / lang / "conferences" / cid / "index.html").read_text(encoding="utf-8")
            assert len(re.findall(rf'href="/{lang}/articles/[^"/]+/"', html)) == count, (lang, cid)
        for pid, count in truth["ministers"].items():
            html = (out / lang / sec / pid / "index.html").read_text(encoding="utf-8")
            assert len(re.findall(rf'href="/{lang}/articles/[^"/]+/"', html)) == count, (lang, pid)
        assert len(list((out / lang / "conferences").glob("*/index.html"))) == len(truth["conferences"])
        assert len(list((out / lang / sec).glob("*/index.html"))) == len(truth["ministers"])
    assert broken_links(out) == []
    saved = json.loads((project / "ground-truth.json").read_text())
    assert saved == json.loads(json.dumps(truth))


def test_warm_render_cache_gives_the_same_site(tmp_path):
    from generate_corpus import generate

    project = tmp_path / "gen"
    generate(project, 30, seed=4)
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_cli(project, "build", "--output", str(a)).returncode == 0  # cold: fills .cache/build.sqlite
    assert (project / ".cache" / "build.sqlite").exists()
    assert run_cli(project, "build", "--output", str(b)).returncode == 0  # warm: bodies from the cache
    fa = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    fb = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    assert fa == fb
    (project / ".cache" / "build.sqlite").write_bytes(b"garbage" * 100)  # a broken cache is only a slowdown
    c = tmp_path / "c"
    assert run_cli(project, "build", "--output", str(c)).returncode == 0
    assert {p.relative_to(c): p.read_bytes() for p in c.rglob("*") if p.is_file()} == fa


def test_long_lists_are_paginated_and_every_article_is_reachable(tmp_path):
    from generate_corpus import generate

    project = tmp_path / "gen"
    truth = generate(project, 70, seed=5)
    assert run_cli(project, "build").returncode == 0
    out = project / "output"
    for lang in ("fr", "en"):
        archive = [out / lang / "articles" / "index.html"] + sorted(
            (out / lang / "articles" / "page").glob("*/index.html")
        )
        assert len(archive) == 4  # 70 articles, 20 per page
        listed = []
        for page in archive:
            listed += re.findall(
                rf'<li[^>]*>\s*<a [^>]*href="/{lang}/articles/([^"/]+)/"', page.read_text(encoding="utf-8")
            )
        assert len(listed) == len(set(listed)) == truth["n"]
        assert 'rel="next"' in archive[0].read_text() and 'rel="prev"' in archive[-1].read_text()
    biggest = max(truth["ministers"], key=truth["ministers"].get)
    pages = [out / "fr" / "ministres" / biggest / "index.html"] + sorted(
        (out / "fr" / "ministres" / biggest / "page").glob("*/index.html")
    )
    total = sum(len(re.findall(r'href="/fr/articles/[^"/]+/"', p.read_text(encoding="utf-8"))) for p in pages)
    assert total == truth["ministers"][biggest]
