"""The real Apertium engine (Debian), fr→es→en: names intact, structure kept, one process pair per batch."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import CORPUS, RAW_SEEDS, ROOT, require_tool, run_cli

from briefing.frontmatter import parse_front_matter
from briefing.importer import extract
from briefing.translate.memory import Memory
from briefing.translate.pipeline import Translator
from briefing.translate.protect import MARKUP, Protector, load_glossary
from briefing.translate.segment import fill, segment_markdown


@pytest.fixture(scope="module")
def apertium():
    require_tool("apertium", "the offline French→English engine")
    from briefing.translate.engines import ApertiumEngine

    return ApertiumEngine()


def test_plain_apertium_mangles_names_which_is_why_terms_are_protected(apertium):
    (out,) = apertium.translate_batch(["Le ministre Bui Thanh Son a parlé."])
    assert "Sound" in out  # the reason for protected terms: "Bui Thanh Son" → "Bui Thanh Sound"


def test_every_taxonomy_name_in_the_french_is_intact_in_the_english(apertium, taxonomy, tmp_path, capsys):
    """Over the seeds and the corpus: 100% of taxonomy names (people, places, organisations)."""
    glossary, version = load_glossary(ROOT / "content" / "glossary.yaml")
    protector = Protector.for_project(taxonomy, glossary, version)
    memory = Memory(tmp_path / "tm.sqlite")
    translator = Translator(apertium, memory, protector, batch=400)
    files = sorted(RAW_SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt"))
    docs = [extract(f.read_bytes(), f.name, taxonomy, dt.date(2026, 11, 23)) for f in files]
    segmented = [segment_markdown(d.body) for d in docs]
    locked = [protector.lock(s) for seg in segmented for s in seg.segments]
    outputs = iter(translator.translate_locked(locked))
    english = [fill(seg.template, [next(outputs) for _ in seg.segments]) for seg in segmented]
    expected = found = 0
    missing = []
    names_only = Protector(taxonomy.protected_terms())  # people, places, organisations (no glossary)
    for d, en in zip(docs, english, strict=False):
        from briefing.translate.segment import Segment

        lk = names_only.lock(Segment(d.body, ()))
        names = {t for t, kind in zip(lk.targets, lk.kinds, strict=True) if kind != MARKUP}
        for name in names:
            expected += 1
            if name in en:
                found += 1
            else:
                missing.append((d.meta["original"]["file"], name))
    with capsys.disabled():
        print(
            f"\napertium: {found}/{expected} taxonomy names intact over {len(docs)} documents; "
            f"{translator.report.fallbacks} of {translator.report.engine_segments} segments re-done piecewise; "
            f"{apertium.calls} apertium pipe runs"
        )
    assert expected > 120
    assert not missing, missing[:10]
    assert "Sound" not in "\n".join(english)
    assert apertium.calls <= 2 + translator.report.fallbacks  # whole batches, not a process per sentence
    memory.close()


def test_translate_command_with_apertium(bundled, apertium):
    for f in (bundled / "content" / "en").glob("*.md"):
        f.unlink()
    proc = run_cli(bundled, "translate", "--engine", "apertium", "--quiet")
    assert proc.returncode == 0, proc.stderr
    english = sorted((bundled / "content" / "en").glob("*.md"))
    assert len(english) == 5
    text = ""
    for en in english:
        meta, body = parse_front_matter(en.read_text(encoding="utf-8"), en)
        assert meta["engine"] == "apertium" and meta["translation"] == "machine"
        text += meta["title"] + body
    assert "Bui Thanh Son" in text and "Le Thi Thu Hang" in text and "Foreign Affairs" in text
    assert "*" not in text.replace("\\*", "")  # no unknown-word markers (apertium -u)


def test_every_name_in_the_taxonomy_survives_apertium(apertium, taxonomy, tmp_path):
    """Each person (every alias), place and organisation, in a sentence of its own, through real Apertium."""
    glossary, version = load_glossary(ROOT / "content" / "glossary.yaml")
    protector = Protector.for_project(taxonomy, glossary, version)
    terms = taxonomy.protected_terms()
    sentences = [f"Selon le ministre, {t.fr} a été cité hier lors de la réunion à Hanoï." for t in terms]
    from briefing.translate.segment import Segment

    memory = Memory(tmp_path / "tm.sqlite")
    out = Translator(apertium, memory, protector, batch=1000).translate_locked(
        [protector.lock(Segment(s, ())) for s in sentences]
    )
    memory.close()
    lost = [(t.fr, t.en, o) for t, o in zip(terms, out, strict=False) if t.en not in o]
    assert len(terms) > 90 and not lost, lost[:5]


def test_markdown_structure_survives_apertium(apertium, taxonomy, tmp_path):
    from test_translate import MARKDOWN

    from briefing.render import render_markdown

    glossary, version = load_glossary(ROOT / "content" / "glossary.yaml")
    protector = Protector.for_project(taxonomy, glossary, version)
    seg = segment_markdown(MARKDOWN)
    memory = Memory(tmp_path / "tm.sqlite")
    out = fill(
        seg.template,
        Translator(apertium, memory, protector).translate_locked([protector.lock(s) for s in seg.segments]),
    )
    memory.close()
    tags = lambda html: __import__("re").findall(r"<(/?[a-z0-9]+)", html)  # noqa: E731
    assert tags(render_markdown(out)) == tags(render_markdown(MARKDOWN))
    assert '(https://example.org/Path_With_Case "Titre")' in out and "`code_inchangé`" in out
    assert "bloc de code\n  conservé tel quel" in out  # code is never sent to the engine
