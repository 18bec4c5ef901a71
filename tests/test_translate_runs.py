"""What a `translate` run re-does and what it leaves: exact invalidation, metadata re-sync, one engine per run,
the memory's hazards, `--status` and `--only` (engine: a fake at the edge, or real Apertium where named)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml
from conftest import require_tool, run_cli
from fake_engines import UpperEngine

from briefing.errors import LockError
from briefing.frontmatter import dump_front_matter, parse_front_matter
from briefing.sources import load_content
from briefing.taxonomy import load_taxonomy
from briefing.translate.memory import Memory
from briefing.translate.pipeline import Translator, translate_articles
from briefing.translate.protect import Protector, load_glossary
from briefing.translate.segment import segment_markdown, segment_plain
from briefing.translate.state import STATES, translation_state


@pytest.fixture
def seeded(bundled: Path) -> Path:
    for f in (bundled / "content" / "en").glob("*.md"):
        f.unlink()
    return bundled


def _run(root: Path, engine, **kw):
    tax = load_taxonomy(root / "content" / "taxonomy.yaml")
    content = load_content(root / "content", tax)
    glossary, _ = load_glossary(root / "content" / "glossary.yaml")
    mem = Memory(root / ".cache" / "translation-memory.sqlite")
    tr = Translator(engine, mem, Protector.for_project(tax, glossary))
    try:
        french = sorted(content.articles["fr"].values(), key=lambda a: a.slug)
        report = translate_articles(french, content.articles["en"], root / "content" / "en", tr, tax=tax, **kw)
    finally:
        mem.close()
    return report


def _english(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted((root / "content" / "en").glob("*.md"))}


def _edit_yaml(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _segments_holding(root: Path, french_term: str) -> set[str]:
    """The distinct French segments (title, summary, captions, body) that contain ``french_term``."""
    tax = load_taxonomy(root / "content" / "taxonomy.yaml")
    found = set()
    for a in load_content(root / "content", tax).articles["fr"].values():
        units = [segment_plain(a.title), segment_plain(a.summary), segment_markdown(a.body)]
        units += [segment_plain(c) for c in a.captions]
        found |= {s.text for u in units for s in u.segments if french_term.lower() in s.text.lower()}
    return found


def test_a_glossary_edit_retranslates_exactly_the_segments_holding_the_term(seeded):
    _run(seeded, UpperEngine())
    term = "diplomatie économique"
    holding = _segments_holding(seeded, term)
    assert len(holding) >= 3, holding
    before = _english(seeded)
    _edit_yaml(seeded / "content" / "glossary.yaml", lambda g: g["terms"].update({term: "business diplomacy"}))
    engine = UpperEngine()
    report = _run(seeded, engine)  # no --force, no version bump
    assert len(engine.segments) == len(holding)
    after = _english(seeded)
    changed = {name for name in after if after[name] != before[name]}
    assert changed and {p.name for p in report.written} == changed
    assert all("business diplomacy" in after[n] for n in changed)
    assert all("business diplomacy" not in after[n] for n in after if n not in changed)


def test_a_glossary_version_bump_alone_changes_nothing(seeded):
    _run(seeded, UpperEngine())
    before = _english(seeded)
    _edit_yaml(seeded / "content" / "glossary.yaml", lambda g: g.update({"version": 99}))
    engine = UpperEngine()
    report = _run(seeded, engine)
    assert engine.calls == 0 and report.written == [] and _english(seeded) == before


def test_an_unrelated_taxonomy_edit_resends_nothing(seeded):
    _run(seeded, UpperEngine())
    before = _english(seeded)
    _edit_yaml(
        seeded / "content" / "taxonomy.yaml", lambda t: t["places"].append({"fr": "Ouagadougou", "en": "Ouagadougou"})
    )
    engine = UpperEngine()
    report = _run(seeded, engine)
    assert engine.calls == 0 and report.written == [] and len(report.up_to_date) == 5
    assert _english(seeded) == before


def test_a_taxonomy_edit_reaches_the_segments_naming_the_entry(seeded):
    _run(seeded, UpperEngine())
    holding = _segments_holding(seeded, "Lê Thi Thu Hang")
    from conftest import ROOT

    shipped = yaml.safe_load((ROOT / "briefing" / "data" / "people.yaml").read_text(encoding="utf-8"))
    person = next(v for k, v in (shipped.get("people") or shipped).items() if k == "le-thi-thu-hang")

    def override(t: dict) -> None:  # the editor's entry replaces the shipped one with the same id
        t["people"] = {"le-thi-thu-hang": {**person, "en": "Le Thi Thu Hang (Ms)"}}

    _edit_yaml(seeded / "content" / "taxonomy.yaml", override)
    engine = UpperEngine()
    _run(seeded, engine)
    assert 0 < len(engine.segments) <= len(holding)  # role titles too, but never a segment without her
    assert "Le Thi Thu Hang (Ms)" in "".join(_english(seeded).values())


def test_french_metadata_reaches_the_english_without_translation(seeded):
    _run(seeded, UpperEngine())
    fr = sorted((seeded / "content" / "fr").glob("*.md"))[0]
    meta, body = parse_front_matter(fr.read_text(encoding="utf-8"), fr)
    meta["date"] = "2023-12-20"
    meta["conferences"] = list(reversed(meta["conferences"]))
    meta["ministers"] = []
    meta["captions"] = ["Deuxième légende.", "Première légende."]
    fr.write_text(dump_front_matter(meta, body), encoding="utf-8")
    _run(seeded, UpperEngine())  # the two new captions are translated once
    meta["date"] = "2023-12-21"
    meta["captions"] = ["Première légende.", "Deuxième légende."]  # only the order changes
    fr.write_text(dump_front_matter(meta, body), encoding="utf-8")
    engine = UpperEngine()
    report = _run(seeded, engine)
    assert engine.calls == 0 and len(report.written) == 1
    en_meta, _ = parse_front_matter((seeded / "content" / "en" / fr.name).read_text(encoding="utf-8"), fr)
    assert en_meta["date"] == "2023-12-21" and en_meta["conferences"] == meta["conferences"]
    assert en_meta["ministers"] == [] and en_meta["captions"] == ["PREMIÈRE LÉGENDE.", "DEUXIÈME LÉGENDE."]
    meta["date"] = "2023-12-22"  # metadata alone: front matter re-synced, nothing looked up or translated
    fr.write_text(dump_front_matter(meta, body), encoding="utf-8")
    engine = UpperEngine()
    report = _run(seeded, engine)
    assert engine.calls == 0 and report.segments == 0 and [p.name for p in report.synced] == [fr.name]
    assert "date: '2023-12-22'" in (seeded / "content" / "en" / fr.name).read_text(encoding="utf-8")


def test_the_segment_counts_add_up_with_repeated_sentences(seeded):
    fr = sorted((seeded / "content" / "fr").glob("*.md"))[0]
    fr.write_text(fr.read_text(encoding="utf-8") + "\nUne phrase répétée.\n\nUne phrase répétée.\n", encoding="utf-8")
    report = _run(seeded, UpperEngine())
    assert report.segments == report.memory_hits + report.engine_segments + report.unavailable
    again = _run(seeded, UpperEngine(), force=True)
    assert again.segments == again.memory_hits and again.engine_segments == 0


def test_memory_deleted_during_a_run_keeps_the_runs_translations(tmp_path, seeded):
    path = seeded / ".cache" / "translation-memory.sqlite"

    class DeletingEngine(UpperEngine):
        def translate_batch(self, texts):  # type: ignore[no-untyped-def]
            if self.calls == 0:
                for suffix in ("", "-wal", "-shm"):
                    Path(str(path) + suffix).unlink(missing_ok=True)
            return super().translate_batch(texts)

    tax = load_taxonomy(seeded / "content" / "taxonomy.yaml")
    mem = Memory(path)
    glossary, _ = load_glossary(seeded / "content" / "glossary.yaml")
    tr = Translator(DeletingEngine(), mem, Protector.for_project(tax, glossary), batch=20)
    content = load_content(seeded / "content", tax)
    report = translate_articles(list(content.articles["fr"].values()), {}, seeded / "content" / "en", tr, tax=tax)
    assert any("deleted during the run" in w for w in mem.warnings)
    mem.close()
    again = UpperEngine()
    _run(seeded, again, force=True)
    assert again.calls == 0 and report.engine_segments > 20  # every segment of that run is in the new memory


def test_memory_missing_a_column_is_set_aside_with_a_warning(tmp_path):
    path = tmp_path / "tm.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT INTO meta VALUES ('schema', '2')")
    db.execute("CREATE TABLE tm (key TEXT PRIMARY KEY, source TEXT, target TEXT, engine TEXT, model TEXT)")
    db.commit()
    db.close()
    mem = Memory(path)
    assert "columns" in mem.warnings[0] and "moved to" in mem.warnings[0]
    mem.put_many([("k", "s", "t", "e", "m", {})])
    assert mem.get_many(["k"])["k"].target == "t"
    mem.close()


def test_memory_locked_by_another_program_is_one_clear_error(tmp_path):
    path = tmp_path / "tm.sqlite"
    mem = Memory(path, timeout=0.3)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(LockError) as caught:
            mem.put_many([("k", "s", "t", "e", "m", {})])
    finally:
        holder.rollback()
        holder.close()
        mem.close()
    assert caught.value.exit_code == 4 and "locked by another program" in str(caught.value)


def test_translation_state_is_one_pure_function():
    class Fr:
        def __init__(self, digest: str) -> None:
            self.digest = digest

        def translatable_sha256(self) -> str:
            return self.digest

    class En:
        def __init__(self, translation: str, source: str) -> None:
            self.translation, self.source_sha256 = translation, source

    assert translation_state(Fr("a"), None) == "missing"
    assert translation_state(Fr("a"), En("machine", "a")) == "machine"
    assert translation_state(Fr("a"), En("reviewed", "a")) == "reviewed"
    assert translation_state(Fr("b"), En("reviewed", "a")) == "stale"
    assert translation_state(Fr("b"), En("machine", "a")) == "stale"
    assert STATES == ("machine", "reviewed", "stale", "missing")


def test_status_lists_only_documented_states_with_flag_counts(seeded):
    _run(seeded, UpperEngine())
    en = sorted((seeded / "content" / "en").glob("*.md"))[0]
    meta, body = parse_front_matter(en.read_text(encoding="utf-8"), en)
    meta["review_flags"] = {"french": 2, "unknown": 1}
    en.write_text(dump_front_matter(meta, body), encoding="utf-8")
    fr = seeded / "content" / "fr" / en.name
    fr.write_text(fr.read_text(encoding="utf-8") + "\nParagraphe ajouté.\n", encoding="utf-8")
    (seeded / "content" / "en" / sorted(p.name for p in (seeded / "content" / "en").glob("*.md"))[1]).unlink()
    proc = run_cli(seeded, "translate", "--status")
    assert proc.returncode == 0, proc.stderr
    states = [line.split()[0] for line in proc.stdout.splitlines()]
    assert set(states) <= set(STATES) and "outdated" not in proc.stdout
    assert sorted(states) == ["machine", "machine", "machine", "missing", "stale"]
    line = next(ln for ln in proc.stdout.splitlines() if en.stem in ln)
    assert line.startswith("stale") and "1 unknown, 2 french" in line


def test_flagged_article_page_says_it_needs_review(seeded):
    _run(seeded, UpperEngine())
    en = sorted((seeded / "content" / "en").glob("*.md"))[0]
    meta, body = parse_front_matter(en.read_text(encoding="utf-8"), en)
    meta["review_flags"] = {"spanish": 1}
    en.write_text(dump_front_matter(meta, body), encoding="utf-8")
    assert run_cli(seeded, "build", "--no-search").returncode == 0
    out = seeded / "output" / "en" / "articles"
    flagged = (out / en.stem / "index.html").read_text(encoding="utf-8")
    other = next(p for p in out.glob("*/index.html") if p.parent.name != en.stem).read_text(encoding="utf-8")
    assert "flagged for an editor" in flagged and "flagged for an editor" not in other
    assert "spanish" not in flagged.lower().split('class="body"')[1]  # no flag text in the body


def test_only_translates_the_named_articles(seeded):
    require_tool("apertium", "the offline French→English engine")
    slug = sorted(p.stem for p in (seeded / "content" / "fr").glob("*.md"))[2]
    proc = run_cli(seeded, "translate", "--engine", "apertium", "--quiet", "--only", slug)
    assert proc.returncode == 0, proc.stderr
    assert [p.stem for p in (seeded / "content" / "en").glob("*.md")] == [slug]
    assert "translated 1 article(s)" in proc.stdout


def _made_by_argos(root: Path) -> Path:
    en = sorted((root / "content" / "en").glob("*.md"))[0]
    meta, body = parse_front_matter(en.read_text(encoding="utf-8"), en)
    meta.update({"engine": "argos", "model": "argos translate-fr_en-1.9"})
    meta.pop("locked_sha256", None)  # as written before this pipeline recorded it
    en.write_text(dump_front_matter(meta, body), encoding="utf-8")
    return en


def test_auto_never_redoes_an_argos_article_with_apertium(bundled, tmp_path):
    require_tool("apertium", "the offline French→English engine")
    env = {"ARGOS_PACKAGES_DIR": str(tmp_path / "no-packages")}
    (tmp_path / "no-packages").mkdir()
    argos_made = _made_by_argos(bundled)
    proc = run_cli(bundled, "translate", "--quiet", env=env)
    assert proc.returncode == 0, proc.stderr  # its French unchanged: kept, nothing to redo
    assert argos_made.read_text(encoding="utf-8").count("engine: argos") == 1
    assert "locked_sha256" not in argos_made.read_text(encoding="utf-8")  # not made current by a re-sync
    fr = bundled / "content" / "fr" / argos_made.name
    fr.write_text(fr.read_text(encoding="utf-8") + "\nUn paragraphe ajouté après la traduction.\n", encoding="utf-8")
    kept = argos_made.read_bytes()
    proc = run_cli(bundled, "translate", "--quiet", env=env)
    assert proc.returncode == 3, (proc.stdout, proc.stderr)
    assert "made by argos" in proc.stderr and "python build.py models install" in proc.stderr
    assert "--engine apertium --force" in proc.stderr and "Traceback" not in proc.stderr
    assert argos_made.read_bytes() == kept
    others = [p for p in (bundled / "content" / "en").glob("*.md") if p != argos_made]
    assert all("engine: apertium" in p.read_text(encoding="utf-8") for p in others)

    redo = run_cli(bundled, "translate", "--quiet", "--engine", "apertium", "--force", env=env)
    assert redo.returncode == 0, redo.stderr
    assert "engine: apertium" in argos_made.read_text(encoding="utf-8")


def test_a_broken_argos_model_is_exit_3_not_a_silent_switch(bundled, tmp_path, tiny_argosmodel):
    import zipfile

    pkgs = tmp_path / "pkgs"
    with zipfile.ZipFile(tiny_argosmodel) as zf:
        zf.extractall(pkgs)
    (pkgs / "translate-fr_en" / "model" / "model.bin").write_bytes(b"broken")
    before = {p: p.read_bytes() for p in (bundled / "content").rglob("*.md")}
    proc = run_cli(bundled, "translate", "--quiet", env={"ARGOS_PACKAGES_DIR": str(pkgs)})
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert "installed Argos package is broken" in proc.stderr and "models install" in proc.stderr
    assert {p: p.read_bytes() for p in (bundled / "content").rglob("*.md")} == before


def test_status_into_a_closed_pipe_is_not_a_traceback(bundled):
    import subprocess
    import sys

    from conftest import ROOT

    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(bundled), "translate", "--status"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head` exiting before the command has written
    err = proc.stderr.read().decode()
    assert proc.wait() == 0 and "Traceback" not in err and "BrokenPipe" not in err, err
