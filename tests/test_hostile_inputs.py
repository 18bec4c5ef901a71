"""Issue 17, the input-file findings: one test each (2, 4, 6, 7, 13, 16, 17; 14 is in test_schemas.py)."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import RAW_SEEDS, run_cli, snapshot
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import schema
from briefing.importer import SLUG_MAX, make_slug

SEED = RAW_SEEDS / "003_a3bcff71351936ca.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
OTHER = RAW_SEEDS / "001_097acef678100456.txt"


def _articles(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (project / "content" / "fr").glob("*.md")}


# 2 ---------------------------------------------------------------------------------------------------


def test_same_file_name_in_two_folders_is_two_dispatches_and_force_keeps_the_first(project, tmp_path):
    monday, tuesday = tmp_path / "monday", tmp_path / "tuesday"
    monday.mkdir(), tuesday.mkdir()
    shutil.copy(SEED, monday / "dispatch.txt")
    shutil.copy(OTHER, tuesday / "dispatch.txt")
    assert run_cli(project, "import", str(monday)).returncode == 0
    first = _articles(project)
    for args in ((), ("--force",)):
        proc = run_cli(project, "import", *args, str(tuesday))
        assert proc.returncode == 0, proc.stderr
    after = _articles(project)
    assert len(after) == 2 and {k: after[k] for k in first} == first  # Monday's article untouched


def test_a_renamed_copy_is_the_same_dispatch(project, tmp_path):
    assert run_cli(project, "import", str(SEED)).returncode == 0
    before = snapshot(project / "content")
    shutil.copy(SEED, tmp_path / "renamed-copy.txt")
    proc = run_cli(project, "import", str(tmp_path / "renamed-copy.txt"))
    assert proc.returncode == 0 and "0 article(s), 1 already imported" in proc.stdout, proc.stdout
    assert snapshot(project / "content") == before


# 4 ---------------------------------------------------------------------------------------------------


def test_symbolic_links_are_refused_on_import(project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SEED_TEXT.replace("Bui Thanh Son", "Secret Agent"), encoding="utf-8")
    folder = tmp_path / "incoming"
    folder.mkdir()
    shutil.copy(OTHER, folder / "real.txt")
    (folder / "link.txt").symlink_to(secret)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (tmp_path / "direct.txt").symlink_to(secret)
    proc = run_cli(project, "import", str(folder), str(tmp_path / "direct.txt"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    for link in (folder / "link.txt", folder / "passwd.txt", tmp_path / "direct.txt"):
        assert f"{link}: is a symbolic link" in proc.stderr
    (article,) = _articles(project).values()  # real.txt only
    assert b"Secret Agent" not in article and b"root:" not in article


def test_content_symlink_out_of_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: Dehors\nlang: fr\n---\n\nSecret.\n", encoding="utf-8")
    (project / "content" / "fr" / "dehors.md").symlink_to(outside)
    proc = run_cli(project, "check")
    assert proc.returncode == 1 and f"dehors.md: a symbolic link to {outside}, outside the project" in proc.stderr


# 6 ---------------------------------------------------------------------------------------------------


def test_one_bad_byte_keeps_the_file_utf8_and_says_where(project, tmp_path):
    data = SEED.read_bytes()
    cut = data.index(b"ministre des Affaires")
    raw = tmp_path / "one-bad-byte.txt"
    raw.write_bytes(data[:cut] + b"\xff" + data[cut:])
    proc = run_cli(project, "import", "--dry-run", "--json", str(raw))
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["ministers"] == ["bui-thanh-son"] and "Windows-1252" not in proc.stderr
    line = data[:cut].count(b"\n") + 1
    assert f"not valid UTF-8 at line {line} col" in proc.stderr and "(byte 0xff at" in proc.stderr
    assert "Ã" not in proc.stdout  # no mojibake


# 7 ---------------------------------------------------------------------------------------------------


def test_numbered_slugs_are_always_accepted_by_check(project, tmp_path):
    # a headline whose slug, cut to make room for "-2", would end on a hyphen: "...-a--2"
    title = "Le " + "o" * 72 + " Bcd"
    assert make_slug(title)[: SLUG_MAX - 4].endswith("-")
    for i in range(3):
        text = f"{title}\n\nHanoï (VNA) - Le ministre Bui Thanh Son a parlé de la version {i} lundi. -VNA\n"
        (tmp_path / f"d{i}.txt").write_text(text, encoding="utf-8")
    proc = run_cli(project, "import", *(str(tmp_path / f"d{i}.txt") for i in range(3)))
    assert proc.returncode == 0, proc.stderr
    names = sorted(_articles(project))
    assert len(names) == 3 and all("--" not in n for n in names), names
    assert run_cli(project, "check").returncode == 0


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.sets(st.text(alphabet="abc-0123", max_size=12), max_size=5))
def test_make_slug_always_gives_a_slug_check_accepts(title, taken):
    taken |= {make_slug(title)}  # the title's own slug taken too: numbering must kick in
    slug = make_slug(title, taken)
    assert schema.slug_problem(slug) is None and slug not in taken and len(slug) <= SLUG_MAX


# 13 --------------------------------------------------------------------------------------------------


def test_devices_pipes_and_oversized_files_are_refused_before_reading(project, tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    sparse = tmp_path / "sparse.txt"
    with open(sparse, "wb") as fh:  # 8 GB that take no disk: reading them would take minutes and the memory
        fh.truncate(8_000_000_000)
    start = time.monotonic()
    proc = run_cli(project, "import", "/dev/zero", str(fifo), str(sparse), str(SEED), timeout=60)
    assert time.monotonic() - start < 20
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr
    assert "/dev/zero: is a device, not a regular file" in proc.stderr
    assert f"{fifo}: is a named pipe, not a regular file" in proc.stderr
    assert f"{sparse}: file is 8,000,000,000 bytes; it must be under 5,000,000" in proc.stderr
    assert len(_articles(project)) == 1  # the good one is imported all the same


# 16 --------------------------------------------------------------------------------------------------


def test_utf16_dispatch_is_decoded(project, tmp_path):
    for codec in ("utf-16-le", "utf-16-be"):
        raw = tmp_path / f"{codec}.txt"
        raw.write_bytes(SEED_TEXT.encode("utf-16"))
        bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
        raw.write_bytes(bom + SEED_TEXT.encode(codec))
        proc = run_cli(project, "import", "--dry-run", "--json", str(raw))
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["ministers"] == ["bui-thanh-son"]


def test_one_missing_path_does_not_stop_the_others(project, tmp_path):
    proc = run_cli(project, "import", str(tmp_path / "missing.txt"), str(SEED))
    assert proc.returncode == 1 and f"{tmp_path / 'missing.txt'}: no such file or folder" in proc.stderr
    assert len(_articles(project)) == 1 and "wrote 1 article(s)" in proc.stdout


def test_control_characters_in_a_title_fail_check_with_the_file_named(project):
    path = project / "content" / "fr" / "titre.md"
    path.write_text('---\ntitle: "Un\\x1b[31m titre"\nlang: fr\n---\n\nTexte.\n', encoding="utf-8")
    for args in (("check",), ("build", "--no-search")):
        proc = run_cli(project, *args)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert f"{path}:2: title: contains an invisible character U+001B" in proc.stderr


# 17 --------------------------------------------------------------------------------------------------


def test_zero_width_and_bidi_characters_are_removed_so_names_are_found(project, tmp_path):
    text = SEED_TEXT.replace("Bui Thanh Son", "Bui\u200b Thanh\u2060 So\u00adn")
    lines = text.split("\n")
    lines[0] = "\u202eLe Vietnam et le Laos\u202c renforcent leur coopération"  # a headline with an RTL override
    raw = tmp_path / "invisible.txt"
    raw.write_text("\n".join(lines), encoding="utf-8")
    proc = run_cli(project, "import", str(raw))
    assert proc.returncode == 0, proc.stderr
    (article,) = _articles(project).values()
    meta = article.decode("utf-8")
    assert "ministers:\n- bui-thanh-son" in meta
    assert "\u202e" not in meta and "\u200b" not in meta and "title: Le Vietnam et le Laos renforcent" in meta
    assert "invisible character(s)" in proc.stderr
    assert run_cli(project, "check").returncode == 0


@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f"])
def test_bidi_controls_in_a_title_fail_check(project, char):
    path = project / "content" / "fr" / "titre.md"
    path.write_text(f"---\ntitle: Un {char}titre\nlang: fr\n---\n\nTexte.\n", encoding="utf-8")
    proc = run_cli(project, "check")
    assert proc.returncode == 1 and f"{path}:2: title: contains an invisible character U+{ord(char):04X}" in proc.stderr


def test_import_never_writes_an_article_check_would_refuse(project, tmp_path):
    """A headline line of punctuation alone made an empty title (found by the fuzzing layer): refused by name."""
    data = SEED.read_bytes()
    end = data.index(b"\n")
    raw = tmp_path / "comma.txt"
    raw.write_bytes(data[:end] + b"\n," + data[end:])
    proc = run_cli(project, "import", str(raw), str(OTHER))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert f"{raw}: no valid article can be made of it: title: must not be empty" in proc.stderr
    assert len(_articles(project)) == 1 and run_cli(project, "check").returncode == 0
