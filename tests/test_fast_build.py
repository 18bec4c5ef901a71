"""What makes a command-line build fast must never make it wrong: forked render workers, the parse and
body caches in .cache/build.sqlite, and the "up to date" check each give exactly the site a plain build gives."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, snapshot

from briefing.frontmatter import dump_front_matter, parse_front_matter

sys.path.insert(0, str(ROOT / "bench"))


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    """A generated project big enough (220 articles per language, ~520 pages) for the build to fork workers."""
    from generate_corpus import generate

    project = tmp_path / "gen"
    generate(project, 220, seed=6)
    return project


def test_parallel_build_is_byte_identical_to_a_single_process_build(generated, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    p1 = run_cli(generated, "build", "--no-search", "--jobs", "1", "--output", str(one))
    assert p1.returncode == 0, p1.stderr
    assert "processes" not in p1.stdout
    p2 = run_cli(generated, "build", "--no-search", "--jobs", "2", "--output", str(two))  # bodies from the cache
    assert p2.returncode == 0, p2.stderr
    assert "2 processes" in p2.stdout
    import shutil

    shutil.rmtree(generated / ".cache")
    three = tmp_path / "three"  # cold: each worker renders its own bodies with Markdown
    p3 = run_cli(generated, "build", "--no-search", "--jobs", "3", "--output", str(three))
    assert p3.returncode == 0, p3.stderr
    assert "3 processes" in p3.stdout, p3.stdout
    s1 = snapshot(one)
    assert len([k for k in s1 if k.endswith(".html")]) > 400
    assert snapshot(two) == s1
    assert snapshot(three) == s1


@pytest.mark.parametrize(
    "fault, says",
    [
        ("{{ no_such_thing }}", "no_such_thing"),
        ("{{ 1 // (article.title|length - article.title|length) }}", "[render] integer division or modulo by zero"),
    ],
)
def test_an_error_in_a_worker_names_its_cause_and_keeps_the_site(generated, fault, says):
    assert run_cli(generated, "build", "--no-search", "--jobs", "2").returncode == 0
    before = snapshot(generated / "output")
    tpl = generated / "templates" / "article.html"
    tpl.write_text(
        tpl.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}" + fault, 1), encoding="utf-8"
    )
    proc = run_cli(generated, "build", "--no-search", "--jobs", "2")
    assert proc.returncode == 1
    assert says in proc.stderr, proc.stderr
    assert "article.html" in proc.stderr or "[render]" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(generated / "output") == before
    assert not list(generated.glob(".output.*"))


def test_jobs_must_be_a_positive_number(bundled):
    for bad in ("0", "-1", "two"):
        proc = run_cli(bundled, "build", "--jobs", bad)
        assert proc.returncode == 2 and "--jobs" in proc.stderr and "at least 1" in proc.stderr


def test_killing_a_parallel_build_stops_its_workers(generated):
    import signal
    import subprocess

    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(generated), "build", "--no-search", "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    kids: list[str] = []
    deadline = time.time() + 60
    while not kids and time.time() < deadline and proc.poll() is None:  # parsed, forked, rendering
        time.sleep(0.05)
        kids = children.read_text().split() if children.exists() else []
    assert kids, "the build finished or failed before forking a worker: nothing was tested"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 5
    while time.time() < deadline and any(
        Path(f"/proc/{k}").exists() and "Z" not in Path(f"/proc/{k}/stat").read_text().split()[2] for k in kids
    ):
        time.sleep(0.1)
    assert not [
        k for k in kids if Path(f"/proc/{k}").exists() and Path(f"/proc/{k}/stat").read_text().split()[2] != "Z"
    ], "a worker outlived the build"
    assert run_cli(generated, "build", "--no-search").returncode == 0  # and the lock is free again


def _count_parses(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    import briefing.sources as sources

    seen: list[str] = []
    real = sources.parse_article

    def counting(text, path, lang, tax=None):  # type: ignore[no-untyped-def]
        seen.append(path.name)
        return real(text, path, lang, tax)

    monkeypatch.setattr(sources, "parse_article", counting)
    return seen


def test_parse_cache_skips_unchanged_files_and_rereads_edited_ones(bundled, monkeypatch):
    from briefing.build import build
    from briefing.config import load_config

    cfg = load_config(bundled)
    parsed = _count_parses(monkeypatch)
    assert not build(cfg, search_index=False).errors
    n_files = len(list((bundled / "content").glob("*/*.md")))
    assert len(parsed) == n_files
    first = snapshot(bundled / "output")

    parsed.clear()
    assert not build(cfg, search_index=False).errors  # a new process would see the same: .cache only
    assert parsed == []
    assert snapshot(bundled / "output") == first

    md = sorted((bundled / "content" / "fr").glob("*.md"))[0]
    text = md.read_text(encoding="utf-8")
    md.write_text(text.replace("title: ", "title: ÉDITÉ ", 1), encoding="utf-8")
    parsed.clear()
    assert not build(cfg, search_index=False).errors
    assert parsed == [md.name]
    page = (bundled / "output" / "fr" / "articles" / md.stem / "index.html").read_text(encoding="utf-8")
    assert "ÉDITÉ" in page

    md.write_text(text, encoding="utf-8")  # back to the first bytes: the first site again
    with sqlite3.connect(bundled / ".cache" / "build.sqlite") as db:  # and damaged rows are only misses
        db.execute('UPDATE parsed_v2 SET value = \'{"not": "an article"}\'')
    parsed.clear()
    assert not build(cfg, search_index=False).errors
    assert len(parsed) == n_files
    assert snapshot(bundled / "output") == first


def test_a_cached_article_is_not_reused_for_another_taxonomy(bundled):
    """The parse cache is keyed by the taxonomy too: removing a person from it must fail the articles naming them."""
    tax = bundled / "content" / "taxonomy.yaml"
    original = tax.read_text(encoding="utf-8")
    person = (
        "people:\n  tran-van-moi:\n    name: Trần Văn Mới\n    en: Tran Van Moi\n    roles:\n"
        "      - {rank: vice-minister, fr: vice-ministre, en: Deputy Minister, from: 2020-01-01}\n"
    )
    tax.write_text(original.replace("people: {}\n", person), encoding="utf-8")
    md = next((bundled / "content" / "fr").glob("*.md"))
    meta, body = parse_front_matter(md.read_text(encoding="utf-8"), md)
    md.write_text(
        dump_front_matter({**meta, "ministers": ["tran-van-moi", *meta["ministers"]]}, body), encoding="utf-8"
    )
    assert run_cli(bundled, "build", "--no-search").returncode == 0
    tax.write_text(original, encoding="utf-8")  # that person, gone
    proc = run_cli(bundled, "build", "--no-search")
    assert proc.returncode == 1
    assert "'tran-van-moi' is not in the taxonomy" in proc.stderr


# --- "up to date": the no-change command-line build ---


def test_no_change_build_says_up_to_date_and_touches_nothing(bundled):
    assert run_cli(bundled, "build", "--no-search").returncode == 0
    out = bundled / "output"
    stats = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    proc = run_cli(bundled, "build", "--no-search")
    assert proc.returncode == 0
    assert proc.stdout.startswith("up to date"), proc.stdout
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stats
    forced = run_cli(bundled, "build", "--no-search", "--force")
    assert forced.returncode == 0 and forced.stdout.startswith("built")


@pytest.mark.parametrize(
    "change",
    [
        "content",
        "template",
        "theme",
        "site.yaml",
        "taxonomy",
        "base-url",
        "search",
        "output-edited",
        "output-deleted",
        "output-added",
    ],
)
def test_any_change_on_either_side_means_a_real_build(bundled, change):
    assert run_cli(bundled, "build", "--no-search").returncode == 0
    out = bundled / "output"
    args, env = ["build", "--no-search"], {}
    page = out / "fr" / "index.html"
    if change == "content":
        md = sorted((bundled / "content" / "fr").glob("*.md"))[0]
        md.write_text(md.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    elif change == "template":
        (bundled / "templates" / "base.html").write_text(
            (bundled / "templates" / "base.html").read_text(encoding="utf-8") + "\n", encoding="utf-8"
        )
    elif change == "theme":
        css = bundled / "theme" / "static" / "style.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n/* edit */\n", encoding="utf-8")
    elif change == "site.yaml":
        y = bundled / "site.yaml"
        y.write_text(y.read_text(encoding="utf-8") + "\n# edit\n", encoding="utf-8")
    elif change == "taxonomy":
        t = bundled / "content" / "taxonomy.yaml"
        t.write_text(t.read_text(encoding="utf-8") + "\n# edit\n", encoding="utf-8")
    elif change == "base-url":
        env = {"BRIEFING_BASE_URL": "https://elsewhere.example/"}
    elif change == "search":
        args = ["build"]
    elif change == "output-edited":
        page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>serve was here</p></body>"))
    elif change == "output-deleted":
        page.unlink()
    elif change == "output-added":
        (out / "stray.html").write_text("left by hand", encoding="utf-8")
    proc = run_cli(bundled, *args, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("built"), (change, proc.stdout)
    if change.startswith("output"):
        assert b"serve was here" not in page.read_bytes()
        assert not (out / "stray.html").exists()
    again = run_cli(bundled, *args, env=env)
    assert again.stdout.startswith("up to date"), (change, again.stdout)


def test_up_to_date_keeps_reporting_warnings_and_strict_still_fails(bundled):
    md = sorted((bundled / "content" / "fr").glob("*.md"))[0]
    md.write_text(md.read_text(encoding="utf-8").replace("---\n", "---\nauteur: X\n", 1), encoding="utf-8")
    first = run_cli(bundled, "build", "--no-search")
    assert first.returncode == 0 and "auteur: unknown key" in first.stderr
    again = run_cli(bundled, "build", "--no-search")
    assert again.stdout.startswith("up to date") and "auteur: unknown key" in again.stderr
    strict = run_cli(bundled, "build", "--no-search", "--strict")
    assert strict.returncode == 1 and "auteur: unknown key" in strict.stderr


def test_a_failed_build_is_never_reported_up_to_date(bundled):
    assert run_cli(bundled, "build", "--no-search").returncode == 0
    md = sorted((bundled / "content" / "fr").glob("*.md"))[0]
    good = md.read_text(encoding="utf-8")
    md.write_text(good.replace("title:", "title: [unclosed", 1), encoding="utf-8")
    for _ in range(2):
        proc = run_cli(bundled, "build", "--no-search", "--keep-going")
        assert proc.returncode == 1 and md.name in proc.stderr
    os.utime(md)  # even with the stamp of the good build still on disk, this is a change
    md.write_text(good, encoding="utf-8")
    assert run_cli(bundled, "build", "--no-search").stdout.startswith("built")


def test_no_subcommand_means_build_of_the_given_root(bundled):
    proc = run_cli(bundled)
    assert proc.returncode == 0, proc.stderr
    assert (bundled / "output" / "fr" / "index.html").exists()


def test_keep_going_publishes_the_readable_articles(bundled):
    """--keep-going: the broken file is reported (exit 1) and left out; every other article is published."""
    mds = sorted((bundled / "content" / "fr").glob("*.md"))
    broken, kept = mds[0], mds[1]
    broken.write_text(broken.read_text(encoding="utf-8").replace("title:", "title: [unclosed", 1), encoding="utf-8")
    plain = run_cli(bundled, "build", "--no-search")
    assert plain.returncode == 1 and not (bundled / "output").exists()  # without it: nothing written
    proc = run_cli(bundled, "build", "--no-search", "--keep-going")
    assert proc.returncode == 1 and broken.name in proc.stderr and "left out" in proc.stderr
    out = bundled / "output" / "fr" / "articles"
    assert (out / kept.stem / "index.html").is_file()
    assert not (out / broken.stem).exists()
    assert len([p for p in out.iterdir() if p.is_dir()]) == len(mds) - 1
