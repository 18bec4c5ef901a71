"""Robustness: arbitrary input, faults mid-run, concurrency, hostile content, server path traversal."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, run_cli, snapshot
from fake_engines import UpperEngine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.bodies import render_markdown
from briefing.errors import InputError
from briefing.frontmatter import dump_front_matter
from briefing.importer import extract
from briefing.sources import parse_article
from briefing.translate.memory import Memory
from briefing.translate.pipeline import Translator
from briefing.translate.protect import Protector
from briefing.translate.segment import fill, segment_markdown
from briefing.write import project_lock

TODAY = dt.date(2026, 11, 23)
SEED_TEXT = (CORPUS / "009_amm-52-bangkok-pham-binh-minh.txt").read_text(encoding="utf-8")

raw_text = st.one_of(
    st.binary(max_size=3000),
    st.text(max_size=3000).map(lambda t: t.encode("utf-8")),
    st.lists(
        st.sampled_from(
            SEED_TEXT.split("\n")
            + [
                "",
                " ",
                "Photo: VNA",
                "-VNA",
                "Voir plus",
                ">> lien",
                "ảnh 1",
                " date 2021-12 ",
                "<script>alert(1)</script>",
                "---",
                "# titre",
                "* puce",
                "`code`",
            ]
        ),
        max_size=40,
    ).map(lambda lines: "\n".join(lines).encode("utf-8")),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=raw_text)
def test_any_bytes_give_a_valid_article_or_a_clear_input_error(taxonomy, data):
    try:
        rec = extract(data, "fuzz.txt", taxonomy, TODAY)
    except InputError as exc:
        assert str(exc).startswith("fuzz.txt") and exc.message
        return
    text = dump_front_matter(rec.meta, rec.body)
    article = parse_article(text, Path("content/fr/fuzz.md"), "fr", taxonomy)
    assert article.title and article.body
    assert "<script" not in article.body  # raw HTML is escaped at import


markdownish = st.lists(
    st.one_of(
        st.text(min_size=1, max_size=80),
        st.sampled_from(
            [
                "# Titre",
                "- point *un*",
                "1. élément",
                "> citation « x ».",
                "[lien](https://x.org/a_b)",
                "`code`",
                "```\ncode\n```",
                "M. Bui Thanh Son a parlé. Fin.",
                "**gras** et _it_",
                "",
            ]
        ),
    ),
    max_size=12,
).map("\n\n".join)


@settings(max_examples=200, deadline=None)
@given(body=markdownish)
def test_segment_translate_round_trip_keeps_structure(taxonomy, tmp_path_factory, body):
    seg = segment_markdown(body)
    identity = fill(seg.template, [s.source() for s in seg.segments])
    assert shape_equal(identity, body)
    mem = Memory(tmp_path_factory.mktemp("tm") / "tm.sqlite")
    tr = Translator(UpperEngine(), mem, Protector(taxonomy.protected_terms()))
    out = fill(seg.template, tr.translate_locked([tr.protector.lock(s) for s in seg.segments]))
    mem.close()
    # the same document structure once rendered: same elements in the same order
    assert shape_equal(out, identity)


def shape_equal(a: str, b: str) -> bool:
    """Same elements in the same order once rendered (text may differ)."""

    def shape(text: str) -> list[str]:
        return re.findall(r"<(/?[a-z0-9]+)", render_markdown(text))

    return shape(a) == shape(b)


def test_giant_line_and_huge_file(taxonomy, tmp_path, project):
    line = ("Le ministre Bui Thanh Son a parlé lundi 13 décembre 2021 à Hanoï " * 20000).encode()  # ~1.3 MB
    start = time.monotonic()
    rec = extract(line, "giant.txt", taxonomy, TODAY)
    assert time.monotonic() - start < 30
    assert rec.meta["ministers"] == ["bui-thanh-son"] and rec.meta["date"] == "2021-12-13"
    huge = tmp_path / "huge.txt"
    huge.write_bytes(SEED_TEXT.encode() * (10_000_000 // len(SEED_TEXT.encode()) + 1))
    proc = run_cli(project, "import", str(huge))
    assert proc.returncode == 1 and "huge.txt" in proc.stderr and "under" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_nfd_input_is_normalised(taxonomy):
    import unicodedata

    nfd = unicodedata.normalize("NFD", SEED_TEXT).encode("utf-8")
    rec = extract(nfd, "nfd.txt", taxonomy, TODAY)
    assert rec.meta["ministers"] == ["pham-binh-minh"]
    assert unicodedata.is_normalized("NFC", rec.body)


def test_second_build_waits_its_turn(bundled):
    with project_lock(bundled, "test holder"):
        proc = run_cli(bundled, "build")
    assert proc.returncode == 4
    assert "busy" in proc.stderr and "test holder" in proc.stderr
    assert run_cli(bundled, "build").returncode == 0


def _grow(root: Path, n: int) -> None:
    """n extra French articles (copies of the bundled ones under new slugs) to make a build take a while."""
    src = sorted((root / "content" / "fr").glob("*.md"))
    for i in range(n):
        s = src[i % len(src)]
        (root / "content" / "fr" / f"copie-{i:04d}.md").write_text(s.read_text(encoding="utf-8"), encoding="utf-8")


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5])
def test_killed_build_leaves_the_previous_site_intact(bundled, delay):
    assert run_cli(bundled, "build").returncode == 0
    before = snapshot(bundled / "output")
    _grow(bundled, 1500)
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(bundled), "build"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = snapshot(bundled / "output")
    # either the old site, untouched, or (if the build had already swapped) the complete new one
    if after != before:
        ref = bundled / "reference"
        assert run_cli(bundled, "build", "--output", str(ref)).returncode == 0
        assert after == snapshot(ref)
    assert run_cli(bundled, "build").returncode == 0  # and the next build cleans up and succeeds
    assert not list(bundled.glob(".output.*"))


def test_killed_translate_keeps_files_and_memory_sound(bundled, tmp_path):
    """SIGKILL during a translation run: every English file is whole, the memory opens cleanly."""
    from conftest import require_tool

    require_tool("apertium", "translation engine for the fault test")
    _grow(bundled, 40)
    for f in (bundled / "content" / "en").glob("*.md"):
        f.unlink()
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "--root",
            str(bundled),
            "translate",
            "--engine",
            "apertium",
            "--quiet",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for en in (bundled / "content" / "en").glob("*.md"):
        parse_article(en.read_text(encoding="utf-8"), en, "en")  # complete or absent, never half-written
    assert not list((bundled / "content" / "en").glob(".*.tmp"))
    mem = Memory(bundled / ".cache" / "translation-memory.sqlite")
    assert mem.warnings == []
    mem.close()
    done = run_cli(bundled, "translate", "--engine", "apertium", "--quiet")
    assert done.returncode == 0, done.stderr
    assert len(list((bundled / "content" / "en").glob("*.md"))) == 45


def _grow_unique(root: Path, n: int) -> None:
    """n extra French articles, each with sentences of its own (so the memory cannot shortcut them)."""
    src = sorted((root / "content" / "fr").glob("*.md"))
    for i in range(n):
        text = src[i % len(src)].read_text(encoding="utf-8").rstrip()
        extra = " ".join(f"La délégation numéro {i} a visité la province {j} pendant {i + j} jours." for j in range(12))
        (root / "content" / "fr" / f"unique-{i:04d}.md").write_text(text + "\n\n" + extra + "\n", encoding="utf-8")


@pytest.mark.serial  # Ctrl-C a second after the start: on a busy machine that could come before the CLI's handler
def test_interrupted_translate_reports_and_keeps_files(bundled):
    from conftest import require_tool

    require_tool("apertium", "translation engine")
    _grow_unique(bundled, 150)
    before = snapshot(bundled / "content")
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "--root",
            str(bundled),
            "translate",
            "--engine",
            "apertium",
            "--force",
            "--quiet",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)  # 1,800 new sentences: far from done after a second
    assert "interrupted" in err and "Traceback" not in err, err
    for rel, data in before.items():
        path = bundled / "content" / rel
        if rel.startswith("en/"):
            parse_article(path.read_text(encoding="utf-8"), path, "en")
        else:
            assert path.read_bytes() == data


def test_read_only_content_folder(bundled, open_tmp):
    """content/en that the user cannot write: a clear error, nothing changed. As root (CI), the command
    runs as the unprivileged 'nobody' user on a world-readable copy, so the folder really is read-only."""
    from conftest import require_tool

    require_tool("apertium", "translation engine")

    if os.geteuid() == 0:
        root = open_tmp / "portal"
        shutil.copytree(bundled, root)
        for p in [root, *root.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    else:
        root = bundled
        (root / "content" / "en").chmod(0o555)
        cmd = []
    en = root / "content" / "en"
    before = snapshot(en)
    try:
        proc = subprocess.run(
            [
                *cmd,
                sys.executable,
                str(ROOT / "build.py"),
                "--root",
                str(root),
                "translate",
                "--engine",
                "apertium",
                "--force",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "HOME": str(root)},
        )
    finally:
        if not cmd:
            en.chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    assert "not writable" in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(en) == before


def test_a_build_killed_inside_the_swap_gets_its_site_back(bundled):
    """Killed between the two renames of the swap: no output/ for a moment; the next run restores it."""
    from briefing.write import clean_stale_staging

    assert run_cli(bundled, "build").returncode == 0
    out = bundled / "output"
    before = snapshot(out)
    trash = bundled / ".output.old-test"
    trash.mkdir()
    os.replace(out, trash / "site")  # the state right after the first rename
    clean_stale_staging(out)
    assert snapshot(out) == before and not trash.exists()
