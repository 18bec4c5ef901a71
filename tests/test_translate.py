"""Segmentation, translation memory, protected terms, reviewed/stale handling (engine: a fake at the edge)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from fake_engines import ManglingEngine, UpperEngine

from briefing.frontmatter import dump_front_matter, parse_front_matter
from briefing.sources import load_content
from briefing.translate.memory import Memory
from briefing.translate.pipeline import Translator, translate_articles
from briefing.translate.protect import Protector, load_glossary
from briefing.translate.segment import fill, segment_markdown, split_sentences

MARKDOWN = """## Un titre de section

Le ministre a parlé. M. Bui Thanh Son a salué les 200.000 citoyens rapatriés, etc. Puis il est parti.

- premier point avec *emphase* et **gras**
- second point avec un [lien vers le site](https://example.org/Path_With_Case "Titre") et `code_inchangé`

1. élément numéroté

> Une citation « entre guillemets ».

```
bloc de code
  conservé tel quel
```
"""


def test_sentence_split_knows_french_abbreviations_and_numbers():
    text = "M. Bui Thanh Son est arrivé. Il a cité les 200.000 Vietnamiens, etc. Le Dr Nguyen a conclu. « Bien. » Fin."
    assert split_sentences(text) == [
        "M. Bui Thanh Son est arrivé.",
        "Il a cité les 200.000 Vietnamiens, etc.",
        "Le Dr Nguyen a conclu.",
        "« Bien. »",
        "Fin.",
    ]


def _translate(body: str, engine, tmp_path: Path, tax=None, glossary=()) -> str:
    from briefing.taxonomy import load_taxonomy

    tax = tax or load_taxonomy(ROOT / "content" / "taxonomy.yaml")
    seg = segment_markdown(body)
    mem = Memory(tmp_path / "tm.sqlite")
    tr = Translator(engine, mem, Protector.for_project(tax, list(glossary), "t"))
    out = tr.translate_locked([tr.protector.lock(s) for s in seg.segments])
    return fill(seg.template, out)


def test_markdown_structure_survives_translation(tmp_path):
    out = _translate(MARKDOWN, UpperEngine(), tmp_path)
    lines = out.split("\n")
    assert lines[0] == "## UN TITRE DE SECTION"
    assert "- PREMIER POINT AVEC *EMPHASE* ET **GRAS**" in lines
    assert (
        '- SECOND POINT AVEC UN [LIEN VERS LE SITE](https://example.org/Path_With_Case "Titre") ET `code_inchangé`'
    ) in lines
    assert "1. ÉLÉMENT NUMÉROTÉ" in lines
    assert "> UNE CITATION « ENTRE GUILLEMETS »." in lines
    assert "```\nbloc de code\n  conservé tel quel\n```" in out
    # the protected name comes out in its taxonomy English form, not upper-cased
    assert "M. Bui Thanh Son A SALUÉ" in out


def test_protected_terms_survive_an_engine_that_drops_placeholders(tmp_path):
    engine = ManglingEngine()
    glossary, version = load_glossary(ROOT / "content" / "glossary.yaml")
    body = "Le vice-ministre des Affaires étrangères Lê Thi Thu Hang et Bui Thanh Son à Hanoï, avec la VNA."
    out = _translate(body, engine, tmp_path, glossary=glossary)
    assert "Le Thi Thu Hang" in out and "Bui Thanh Son" in out and "Sound" not in out
    assert "Deputy Minister of Foreign Affairs" in out and "Hanoi" in out and "VNA" in out


@pytest.fixture
def seeded(bundled: Path) -> Path:
    for f in (bundled / "content" / "en").glob("*.md"):
        f.unlink()
    return bundled


def _run(root: Path, engine, **kw):
    from briefing.taxonomy import load_taxonomy

    tax = load_taxonomy(root / "content" / "taxonomy.yaml")
    content = load_content(root / "content", tax)
    glossary, version = load_glossary(root / "content" / "glossary.yaml")
    mem = Memory(root / ".cache" / "translation-memory.sqlite")
    tr = Translator(engine, mem, Protector.for_project(tax, glossary, version))
    try:
        report = translate_articles(
            sorted(content.articles["fr"].values(), key=lambda a: a.slug),
            content.articles["en"],
            root / "content" / "en",
            tr,
            **kw,
        )
    finally:
        mem.close()
    return report, mem


def test_memory_makes_a_rerun_free_and_an_edit_cheap(seeded):
    first = UpperEngine()
    report, _ = _run(seeded, first)
    assert len(report.written) == 5 and first.calls > 0 and report.memory_hits == 0

    again = UpperEngine()
    report2, _ = _run(seeded, again, force=True)
    assert again.calls == 0 and report2.engine_segments == 0
    assert report2.memory_hits == report2.segments > 50

    fr = sorted((seeded / "content" / "fr").glob("*.md"))[0]
    meta, body = parse_front_matter(fr.read_text(encoding="utf-8"), fr)
    paragraphs = body.strip().split("\n\n")
    paragraphs[1] = "Une phrase toute neuve. " + paragraphs[1]
    fr.write_text(dump_front_matter(meta, "\n\n".join(paragraphs)), encoding="utf-8")
    edit = UpperEngine()
    report3, _ = _run(seeded, edit)
    assert edit.segments == ["UNE PHRASE TOUTE NEUVE."] or edit.segments == ["Une phrase toute neuve."]
    assert len(report3.written) == 1 and len(report3.up_to_date) == 4
    en = (seeded / "content" / "en" / fr.name).read_text(encoding="utf-8")
    assert "UNE PHRASE TOUTE NEUVE." in en


def test_reviewed_translation_is_never_overwritten_and_goes_stale(seeded):
    _run(seeded, UpperEngine())
    en = sorted((seeded / "content" / "en").glob("*.md"))[0]
    meta, body = parse_front_matter(en.read_text(encoding="utf-8"), en)
    meta["translation"] = "reviewed"
    en.write_text(dump_front_matter(meta, "Hand-corrected English text."), encoding="utf-8")
    reviewed = en.read_bytes()

    fr = seeded / "content" / "fr" / en.name
    fr.write_text(fr.read_text(encoding="utf-8") + "\nParagraphe ajouté.\n", encoding="utf-8")
    report, _ = _run(seeded, UpperEngine(), force=True)
    assert en in report.skipped_reviewed and en.read_bytes() == reviewed

    status = run_cli(seeded, "translate", "--status")
    assert status.returncode == 0
    line = next(ln for ln in status.stdout.splitlines() if en.stem in ln)
    assert line.startswith("stale")
    build = run_cli(seeded, "build")
    assert build.returncode == 0, build.stderr
    assert "updated since this translation was reviewed" in build.stderr
    page = (seeded / "output" / "en" / "articles" / en.stem / "index.html").read_text(encoding="utf-8")
    assert "French original updated since this translation was reviewed." in page


def test_corrupt_memory_is_set_aside_and_rebuilt(tmp_path):
    path = tmp_path / "tm.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    mem = Memory(path)
    assert mem.warnings and "moved to" in mem.warnings[0]
    assert len(mem) == 0
    mem.put_many([("k", "s", "t", "e", "m", {"french": 1})])
    assert mem.get_many(["k"])["k"].target == "t" and mem.get_many(["k"])["k"].flags == {"french": 1}
    mem.close()
    assert list(tmp_path.glob("tm.sqlite.corrupt-*"))


def test_memory_from_another_schema_is_set_aside(tmp_path):
    path = tmp_path / "tm.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT INTO meta VALUES ('schema', '999')")
    db.commit()
    db.close()
    mem = Memory(path)
    assert "schema version 999" in mem.warnings[0]
    mem.close()


def test_progress_shows_on_a_terminal_and_stays_quiet_otherwise():
    import io

    from briefing.translate.pipeline import console_progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert console_progress(io.StringIO()) is None  # CI, pipes: nothing
    term = Terminal()
    show = console_progress(term)
    for done in (32, 64, 80):
        show(done, 80)
    assert "translating: 100%" in term.getvalue() and "80/80" in term.getvalue() and "seg/s" in term.getvalue()
