"""Exchange with translators' tools through the real command line: XLIFF out, edited as a CAT tool would (with
translate-toolkit), back in through the desk; TMX of the memory out and into a fresh project; every invalid or
foreign file refused with one clear line per problem and nothing changed (file bytes and memory rows)."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, make_project, run_cli, snapshot
from lxml import etree
from translate.storage import xliff, xliff2

from briefing.config import load_config
from briefing.frontmatter import parse_front_matter
from briefing.sources import parse_article
from briefing.translate.desk import segment_pairs
from briefing.translate.memory import HUMAN, Memory

MEMORY = Path(".cache") / "translation-memory.sqlite"


def _slug(root: Path) -> str:
    return sorted(p.stem for p in (root / "content" / "en").glob("*.md"))[0]


def _store(path: Path, version: str):  # type: ignore[no-untyped-def]
    cls = xliff2.Xliff2File if version == "2.0" else xliff.xlifffile
    return cls.parsestring(path.read_bytes())


def _uid(tu, version: str) -> str:  # type: ignore[no-untyped-def]
    return tu.getid() if version == "2.0" else tu.xmlelement.get("id")


def _cat_tool(path: Path, version: str, edits: dict[str, str | None]) -> dict[str, tuple[str, str]]:
    """Edit targets as a CAT tool does: a new text (or None: confirmed as it is), state translated/final.
    Returns unit id → (French, English as the file now says)."""
    store = _store(path, version)
    out = {}
    for tu in store.units:
        uid = _uid(tu, version)
        if uid in edits:
            if edits[uid] is not None:
                tu.target = edits[uid]
            if version == "2.0":
                tu.xmlelement.set("state", "translated" if edits[uid] is not None else "final")
            else:
                tu.set_state_n(tu.S_TRANSLATED if edits[uid] is not None else tu.S_SIGNED_OFF)
        out[uid] = (tu.source, tu.target)
    path.write_bytes(bytes(store))
    return out


def _config(root: Path):  # type: ignore[no-untyped-def]
    return load_config(root)


def _human_rows(root: Path) -> list[tuple[str, str]]:
    mem = Memory(root / MEMORY)
    try:
        return sorted((r.source, r.target) for r in mem.rows() if r.origin == HUMAN)
    finally:
        mem.close()


def _ok(root: Path, *args: str) -> str:
    r = run_cli(root, "translate", *args)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_xliff_round_trip_through_a_cat_tool_updates_the_english_and_teaches_the_memory(bundled, tmp_path, version):
    slug = _slug(bundled)
    xlf = tmp_path / f"desk-{version}.xlf"
    out = _ok(bundled, "--export-xliff", str(xlf), "--xliff-version", version, "--only", slug)
    units = _cat_tool(xlf, version, {})
    assert out.startswith(f"exported {len(units)} segment(s) of 1 article(s) to {xlf}")
    assert len(units) >= 3 and all(uid.startswith(f"{slug}:") for uid in units)
    first, second = f"{slug}:0", f"{slug}:1"
    english_before = (bundled / "content" / "en" / f"{slug}.md").read_text(encoding="utf-8")
    assert units[second][1] in " ".join(english_before.split())

    units = _cat_tool(xlf, version, {first: "The desk's own title for this dispatch", second: None})
    out = _ok(bundled, "--import-xliff", str(xlf))
    assert out.startswith(f"applied 2 segment(s) to 1 article(s) (0 now reviewed), {len(units) - 2} left as they were")

    path = bundled / "content" / "en" / f"{slug}.md"
    meta, body = parse_front_matter(path.read_text(encoding="utf-8"), path)
    meta_before, body_before = parse_front_matter(english_before, path)
    assert meta["title"] == "The desk's own title for this dispatch" and meta["summary"] == units[second][1]
    assert body == body_before and {k: v for k, v in meta.items() if k not in ("title", "desk_segments")} == {
        k: v for k, v in meta_before.items() if k != "title"
    }
    states = {s.index: s.state for s in segment_pairs(_config(bundled), slug)}
    assert states[0] == states[1] == "approved" and meta["desk_segments"] == list(states.values()).count("approved")
    assert set(_human_rows(bundled)) == {
        (units[first][0], "The desk's own title for this dispatch"),
        (units[second][0], units[second][1]),
    }
    # the same file again changes nothing; a fresh export offers only what the desk has not approved (the
    # summary's French may recur in the body: approved there too, through the memory)
    assert _ok(bundled, "--import-xliff", str(xlf)).startswith("applied 0 segment(s) to 0 article(s)")
    again = tmp_path / "again.xlf"
    _ok(bundled, "--export-xliff", str(again), "--xliff-version", version, "--only", slug)
    drafts = {f"{slug}:{i}" for i, state in states.items() if state != "approved"}
    assert set(_cat_tool(again, version, {})) == drafts and first not in drafts and second not in drafts
    _ok(bundled, "--export-xliff", str(again), "--xliff-version", version, "--only", slug, "--all-segments")
    assert set(_cat_tool(again, version, {})) == set(units)


def test_default_export_covers_every_translated_article(bundled, tmp_path):
    xlf = tmp_path / "all.xlf"
    out = _ok(bundled, "--export-xliff", str(xlf))
    slugs = {p.stem for p in (bundled / "content" / "en").glob("*.md")}
    ids = {_uid(tu, "1.2").split(":")[0] for tu in _store(xlf, "1.2").units}
    assert ids == slugs and f"of {len(slugs)} article(s)" in out


def _break_xml(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b"</trans-unit>", b"</trans-unt>", 1))


def _other_project(path: Path) -> None:
    root = etree.fromstring(path.read_bytes())
    next(root.iter("{*}file")).set("original", "Another portal")
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _german(path: Path) -> None:
    root = etree.fromstring(path.read_bytes())
    next(root.iter("{*}file")).set("target-language", "de")
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _unknown_id(path: Path) -> None:
    store = _store(path, "1.2")
    store.units[-1].xmlelement.set("id", "no-such-article:4")
    path.write_bytes(bytes(store))


CASES = {
    "not well-formed": (_break_xml, r"not well-formed XML"),
    "another project": (_other_project, r": exported by another project \('Another portal'"),
    "wrong languages": (_german, r": languages fr→de, expected fr→en"),
    "unknown ids": (_unknown_id, r":\d+: unit no-such-article:4: no such segment in this project"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_invalid_or_foreign_xliff_is_refused_and_changes_nothing(bundled, tmp_path, case):
    slug = _slug(bundled)
    xlf = tmp_path / "desk.xlf"
    _ok(bundled, "--export-xliff", str(xlf))
    _cat_tool(xlf, "1.2", {f"{slug}:0": "A change that must not be applied"})
    spoil, message = CASES[case]
    spoil(xlf)
    before, rows = snapshot(bundled / "content"), _human_rows(bundled)
    r = run_cli(bundled, "translate", "--import-xliff", str(xlf))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    lines = r.stderr.strip().split("\n")
    assert lines and all(line.startswith(f"error: {xlf}") for line in lines), r.stderr
    assert re.search(message, r.stderr), r.stderr
    assert snapshot(bundled / "content") == before and _human_rows(bundled) == rows


def test_xliff_whose_french_changed_since_the_export_is_refused_whole(bundled, tmp_path):
    slug = _slug(bundled)
    xlf = tmp_path / "desk.xlf"
    _ok(bundled, "--export-xliff", str(xlf), "--only", slug)
    french = bundled / "content" / "fr" / f"{slug}.md"
    text = french.read_text(encoding="utf-8")
    units = _cat_tool(xlf, "1.2", {})
    changed = next(uid for uid in reversed(list(units)) if text.count(units[uid][0]) == 1)  # a body sentence
    _cat_tool(xlf, "1.2", {f"{slug}:0": "A new title", changed: "A new sentence"})
    french.write_text(text.replace(units[changed][0], "Une phrase réécrite."), encoding="utf-8")
    before, rows = snapshot(bundled / "content"), _human_rows(bundled)
    r = run_cli(bundled, "translate", "--import-xliff", str(xlf))
    assert r.returncode == 1
    assert f"error: {xlf}:" in r.stderr and f"unit {changed}: the French has changed since the export" in r.stderr
    assert len(r.stderr.strip().split("\n")) == 1  # the title's French is unchanged, but nothing is applied
    assert snapshot(bundled / "content") == before and _human_rows(bundled) == rows


def test_tmx_export_then_import_into_a_fresh_memory_gives_the_same_human_rows(bundled, tmp_path):
    slug = _slug(bundled)
    xlf = tmp_path / "desk.xlf"
    _ok(bundled, "--export-xliff", str(xlf), "--only", slug)
    _cat_tool(xlf, "1.2", {f"{slug}:0": "A title by the desk", f"{slug}:2": None})
    _ok(bundled, "--import-xliff", str(xlf))
    rows = _human_rows(bundled)
    assert len(rows) == 2
    tmx = tmp_path / "memory.tmx"
    assert _ok(bundled, "--export-tmx", str(tmx)).startswith(f"exported 2 human translation(s) to {tmx}")

    fresh = make_project(tmp_path / "fresh")
    assert _human_rows(fresh) == []
    assert _ok(fresh, "--import-tmx", str(tmx)).startswith(f"imported 2 human translation(s) from {tmx}")
    assert _human_rows(fresh) == rows


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<tmx version='1.4'><body><tu>", ":1: not well-formed XML"),
        (
            b"<tmx version='1.4'><header srclang='en'/><body>\n<tu><tuv xml:lang='en'><seg>Yes</seg></tuv>"
            b"<tuv xml:lang='es'><seg>Si</seg></tuv></tu></body></tmx>",
            ":2: unit in en, es: needs non-empty fr and en",
        ),
    ],
)
def test_malformed_or_foreign_tmx_is_refused_and_the_memory_is_unchanged(bundled, tmp_path, data, message):
    good = tmp_path / "good.tmx"
    good.write_bytes(
        b"<tmx version='1.4'><header srclang='fr'/><body><tu><tuv xml:lang='fr'><seg>Oui.</seg></tuv>"
        b"<tuv xml:lang='en'><seg>Yes.</seg></tuv></tu></body></tmx>"
    )
    _ok(bundled, "--import-tmx", str(good))
    rows = _human_rows(bundled)
    bad = tmp_path / "bad.tmx"
    bad.write_bytes(data)
    r = run_cli(bundled, "translate", "--import-tmx", str(bad))
    assert r.returncode == 1 and r.stderr.startswith(f"error: {bad}{message}"), r.stderr
    assert _human_rows(bundled) == rows == [("Oui.", "Yes.")]


def test_export_to_a_folder_that_cannot_be_written_and_unknown_slugs_are_clear_errors(bundled, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    r = run_cli(bundled, "translate", "--export-xliff", str(blocker / "x.xlf"))
    assert r.returncode == 1 and r.stderr.startswith(f"error: {blocker / 'x.xlf'}: cannot be written"), r.stderr
    r = run_cli(bundled, "translate", "--export-xliff", str(tmp_path / "x.xlf"), "--only", "no-such-slug")
    assert r.returncode == 1 and "no translated article no-such-slug" in r.stderr, r.stderr
    r = run_cli(bundled, "translate", "--import-xliff", str(tmp_path / "missing.xlf"))
    assert r.returncode == 1 and r.stderr.startswith(f"error: {tmp_path / 'missing.xlf'}: cannot be read"), r.stderr
    assert not (tmp_path / "x.xlf").exists()


_KILL_AT_REPLACE = """
import os, signal, sys
sys.path.insert(0, sys.argv[1])
en, nth = os.path.join(sys.argv[2], "content", "en"), int(sys.argv[4])
real, seen = os.replace, []

def replace(a, b, *args, **kwargs):
    if os.path.dirname(os.fspath(b)) == en:
        seen.append(b)
        if len(seen) == nth:  # the new file is written beside the old one, not yet renamed over it
            os.kill(os.getpid(), signal.SIGKILL)
    return real(a, b, *args, **kwargs)

os.replace = replace
from briefing.cli import main
main(["--root", sys.argv[2], "translate", "--import-xliff", sys.argv[3]])
"""


def test_an_import_killed_mid_way_leaves_whole_files_and_a_rerun_finishes_it(bundled, tmp_path):
    slugs = sorted(p.stem for p in (bundled / "content" / "en").glob("*.md"))[:2]
    xlf = tmp_path / "desk.xlf"
    _ok(bundled, "--export-xliff", str(xlf), "--only", *slugs)
    edits: dict[str, str | None] = {f"{s}:{i}": f"Desk sentence {i} of {s}." for s in slugs for i in (0, 1)}
    _cat_tool(xlf, "1.2", edits)
    reference = make_project(tmp_path / "reference", with_content=True)
    _ok(reference, "--import-xliff", str(xlf))

    before = snapshot(bundled / "content" / "en")
    killed = subprocess.run(
        [sys.executable, "-c", _KILL_AT_REPLACE, str(ROOT), str(bundled), str(xlf), "3"], capture_output=True
    )
    assert killed.returncode == -signal.SIGKILL
    after = snapshot(bundled / "content" / "en")
    changed = [name for name in before if after.get(name) != before[name]]
    assert changed == [f"{slugs[0]}.md"]  # two approvals of the first article done, the third never renamed in
    for name, data in after.items():
        if name.endswith(".md"):
            parse_article(data.decode("utf-8"), bundled / "content" / "en" / name, "en")  # whole, never half
    _ok(bundled, "--import-xliff", str(xlf))
    assert {k: v for k, v in snapshot(bundled / "content").items() if k.endswith(".md")} == {
        k: v for k, v in snapshot(reference / "content").items() if k.endswith(".md")
    }
    assert _human_rows(bundled) == _human_rows(reference)


def test_with_nothing_to_export_no_file_is_written(bundled, tmp_path):
    tmx = tmp_path / "memory.tmx"
    assert _ok(bundled, "--export-tmx", str(tmx)).startswith("exported 0 human translation(s) (none yet): no file")
    slug = _slug(bundled)
    xlf = tmp_path / "desk.xlf"
    _ok(bundled, "--export-xliff", str(xlf), "--only", slug)
    units = _cat_tool(xlf, "1.2", {})
    _cat_tool(xlf, "1.2", dict.fromkeys(units))  # every segment confirmed as it is
    assert "(1 now reviewed)" in _ok(bundled, "--import-xliff", str(xlf))
    empty = tmp_path / "empty.xlf"
    out = _ok(bundled, "--export-xliff", str(empty), "--only", slug, "--xliff-version", "2.0")
    assert out.startswith("exported 0 segment(s) of 0 article(s) (all approved; --all-segments exports them)")
    assert not tmx.exists() and not empty.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--export-xliff", "x.xlf", "--status"), "error: --export-xliff does not go with --status"),
        (("--import-tmx", "m.tmx", "--force"), "error: --import-tmx does not go with --force"),
        (("--import-xliff", "x.xlf", "--xliff-version", "2.0"), "error: --xliff-version go(es) with --export-xliff"),
        (("--export-tmx", "m.tmx", "--only", "a-slug"), "error: --only go(es) with --export-xliff, not --export-tmx"),
    ],
)
def test_options_that_do_not_go_together_are_usage_errors(bundled, tmp_path, args, message):
    before = snapshot(bundled)
    r = run_cli(bundled, "translate", *(str(tmp_path / a) if a.endswith((".xlf", ".tmx")) else a for a in args))
    assert r.returncode == 2 and r.stderr.startswith(message), r.stderr
    assert snapshot(bundled) == before and not list(tmp_path.glob("*.xlf")) + list(tmp_path.glob("*.tmx"))


def test_a_second_file_never_overwrites_english_changed_since_its_export(bundled, tmp_path):
    """Two translators got the same export: the second one's edit of a segment the first already changed is
    refused, whole file (nothing lost)."""
    slug = _slug(bundled)
    first, second = tmp_path / "first.xlf", tmp_path / "second.xlf"
    for xlf in (first, second):
        _ok(bundled, "--export-xliff", str(xlf), "--only", slug)
    _cat_tool(first, "1.2", {f"{slug}:0": "The first translator's title"})
    _ok(bundled, "--import-xliff", str(first))
    _cat_tool(second, "1.2", {f"{slug}:0": "The second translator's title", f"{slug}:1": "A summary."})
    before, rows = snapshot(bundled / "content"), _human_rows(bundled)
    r = run_cli(bundled, "translate", "--import-xliff", str(second))
    assert r.returncode == 1, r.stderr
    assert r.stderr.strip().split("\n") == [
        f"error: {second}:5: unit {slug}:0: its English was edited here since the export; export again so that "
        "neither is lost"
    ]
    assert snapshot(bundled / "content") == before and _human_rows(bundled) == rows
