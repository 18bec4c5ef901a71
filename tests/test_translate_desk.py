"""The translation desk's core: memory v3 (human rows first), alignment, segment pairs, approve, learn."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fake_engines import UpperEngine

from briefing.config import load_config
from briefing.errors import DeskError
from briefing.frontmatter import parse_front_matter
from briefing.sources import parse_article
from briefing.translate import desk
from briefing.translate.align import align_bodies
from briefing.translate.memory import HUMAN, Memory
from briefing.translate.protect import Protector
from briefing.translate.segment import segment_markdown
from briefing.translate.translator import Translator

SLUG = "la-vice-ministre-des-affaires-etrangeres-le-thi-thu-hang-a-souligne-les"


def _v2_memory(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('schema', '2')")
    db.execute(
        "CREATE TABLE tm (key TEXT PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL, "
        "engine TEXT NOT NULL, model TEXT NOT NULL, flags TEXT NOT NULL DEFAULT '{}')"
    )
    db.execute("INSERT INTO tm VALUES ('k1', 'Bonjour.', 'Hello.', 'apertium', 'm1', '{\"french\": 1}')")
    db.commit()
    db.close()


def test_a_v2_memory_is_migrated_in_place_keeping_its_rows(tmp_path):
    path = tmp_path / "tm.sqlite"
    _v2_memory(path)
    mem = Memory(path)
    assert mem.warnings == []
    assert mem.get_many(["k1"])["k1"].target == "Hello."
    rows = list(mem.rows())
    assert [(r.source, r.target, r.origin, r.engine, r.model, r.flags) for r in rows] == [
        ("Bonjour.", "Hello.", "engine", "apertium", "m1", {"french": 1})
    ]
    mem.close()
    assert sqlite3.connect(path).execute("SELECT value FROM meta WHERE key='schema'").fetchone() == ("3",)


def test_human_rows_answer_before_any_engine_or_model(tmp_path):
    mem = Memory(tmp_path / "tm.sqlite")
    seg = segment_markdown("Le ministre a  parlé.").segments[0]
    locked = Protector([]).lock(seg)
    engine = UpperEngine()
    tr = Translator(engine, mem, Protector([]))
    assert tr.entries([locked], sources=[seg.source()])[0].target == "LE MINISTRE A PARLÉ."  # type: ignore[union-attr]
    assert mem.put_human([("Le ministre a parlé.", "The minister spoke.")]) == 1
    for identity in (None, ("argos", "any-model"), ("apertium", "other")):
        entry = tr.entries([locked], identity=identity, sources=[seg.source()])[0]
        assert entry is not None and (entry.target, entry.origin) == ("The minister spoke.", HUMAN)
    assert engine.calls == 1 and tr.report.desk_hits == 3
    origins = sorted(r.origin for r in mem.rows())
    assert origins == ["engine", "human"] and next(mem.rows()).origin == "human"  # human rows first
    mem.close()


FR = """## Le sommet

Le ministre est arrivé à Hanoï. Il a rencontré son homologue lundi matin.

- Premier point de la visite officielle.
- Second point de la visite officielle.

Une dernière phrase sur la coopération entre les deux pays."""


def test_alignment_pairs_blocks_then_sentences():
    en = """## The summit

The minister arrived in Hanoi. He met his counterpart on Monday morning.

- First point of the official visit.
- Second point of the official visit.

One last sentence on cooperation between the two countries."""
    a = align_bodies(FR, en)
    assert a.pairs == tuple((i, i) for i in range(6)) and a.unaligned == () and a.notes == ()


def test_alignment_leaves_a_merged_block_out_and_the_rest_in_place():
    en = """## The summit

The minister arrived in Hanoi and met his counterpart on Monday morning.

- First point of the official visit.
- Second point of the official visit.

One last sentence on cooperation between the two countries."""
    a = align_bodies(FR, en)
    assert a.unaligned == (1, 2)  # the two French sentences merged into one English: not guessed
    assert a.pairs == ((0, 0), (3, 2), (4, 3), (5, 4))
    assert a.notes == ("French segment(s) 2, 3 not aligned",)


def test_alignment_survives_an_inserted_paragraph_and_refuses_unlikely_lengths():
    en = """## The summit

An editor's note added here.

The minister arrived in Hanoi. He met his counterpart on Monday morning.

- First point of the official visit.
- Second.

One last sentence on cooperation between the two countries."""
    a = align_bodies(FR, en)
    assert dict(a.pairs) == {0: 0, 1: 2, 2: 3, 3: 4, 5: 6}
    assert a.unaligned == (4,) and "does not look like it" in a.notes[0]


def test_a_block_cut_otherwise_in_english_never_shifts_the_next_block_onto_it():
    fr = "Premier paragraphe du texte de la dépêche.\n\nEn marge, il a vu S.E. M. Ly Quoc Tuan.\n\nLa réunion se poursuit."
    en = "First paragraph of the dispatch text.\n\nIn margin, he saw S.And. M. Ly Quoc Tuan.\n\nThe meeting goes on."
    a = align_bodies(fr, en)  # the English splitter cuts "S.And. M. Ly" in two: that block only is left out
    assert a.spans == ((0, 0, 1), (2, 3, 4)) and a.unaligned == (1,)


def test_where_blocks_were_inserted_pairs_must_keep_their_numbers():
    fr = "Il y a eu 300 discours.\n\nLa séance a duré 4 heures."
    en = "A note of 12 words.\n\nThere were 300 speeches.\n\nThe session lasted 4 hours."
    a = align_bodies(fr, en)  # shapes alone could pair the French blocks with the first two English ones
    assert a.pairs == ((0, 1), (1, 2)) and a.unaligned == ()  # the numbers say which English block is which
    wrong_numbers = "A note.\n\nThere were 200 speeches.\n\nThe session lasted 5 hours."
    assert align_bodies(fr, wrong_numbers).spans == ()  # no number singles a block out: nothing guessed


def test_a_paragraph_added_among_paragraphs_of_its_shape_never_shifts_the_pairs():
    fr = "Il a rencontré son homologue.\n\nLes deux parties ont signé un accord.\n\nLa visite se poursuit demain."
    added_first = (
        "An editor's note.\n\nHe met his counterpart.\n\nThe two sides signed an agreement.\n\nThe visit goes on."
    )
    added_last = "He met his counterpart.\n\nThe two sides signed an agreement.\n\nThe visit goes on.\n\nA note."
    for en in (added_first, added_last):  # shapes alone cannot tell where the paragraph went: nothing is guessed
        a = align_bodies(fr, en)
        assert a.spans == () and a.unaligned == (0, 1, 2)
        assert "could be any of several English blocks" in a.notes[0]
    removed = "He met his counterpart.\n\nThe visit goes on."
    assert align_bodies(fr, removed).spans == ()  # a deleted paragraph: the same


def test_names_and_numbers_single_out_a_paragraph_among_others_of_its_shape():
    fr = (
        "Le ministre Bùi Thanh Sơn a reçu son homologue de Singapour.\n\n"
        "Les deux parties ont signé 3 accords à Hanoï.\n\n"
        "La délégation de Malaisie est arrivée mardi."
    )
    en = (
        "A note from the desk.\n\n"
        "Minister Bui Thanh Son received his counterpart from Singapore.\n\n"
        "The two sides signed 3 agreements in Hanoi.\n\n"
        "The delegation from Malaysia arrived on Tuesday."
    )
    a = align_bodies(fr, en)
    assert a.pairs == ((0, 1), (1, 2)) and a.unaligned == (2,)  # "Malaisie"/"Malaysia" differ: left out
    assert "1 block(s) could be any of several" in a.notes[0]


def test_a_sentence_the_editor_split_is_anchored_by_the_desks_translation():
    fr = "Le ministre est arrivé à Hanoï lundi. Il a rencontré son homologue. La visite dure trois jours."
    en = "The minister arrived in Hanoi. It was Monday. He met his counterpart. The visit lasts three days."
    assert align_bodies(fr, en).spans == ()  # counts differ and nothing is known: nothing guessed
    known = {"Le ministre est arrivé à Hanoï lundi.": "The minister arrived in Hanoi.  It was Monday."}
    from briefing.translate.align import align_segmented

    a = align_segmented(segment_markdown(fr), segment_markdown(en), known)
    assert a.spans == ((0, 0, 2), (1, 2, 3), (2, 3, 4)) and a.unaligned == ()
    other = {"La visite dure trois jours.": "Something else entirely."}  # known, but not what the file says
    assert align_segmented(segment_markdown(fr), segment_markdown(en), other).spans == ()


@pytest.fixture
def cfg(bundled: Path):  # type: ignore[no-untyped-def]
    return load_config(bundled)


def test_segment_pairs_lists_every_french_segment_with_its_english(cfg):
    pairs = desk.segment_pairs(cfg, SLUG)
    assert [p.index for p in pairs] == list(range(len(pairs)))
    assert pairs[0].unit == "title" and pairs[1].unit == "summary" and pairs[-1].unit == "caption0"
    assert pairs[0].french.startswith("La vice-ministre") and pairs[0].english.startswith("The Deputy Minister")
    assert {p.state for p in pairs} == {"draft"}


def test_approve_rewrites_that_segment_only_and_stores_it_as_human(cfg):
    path = cfg.content_dir / "en" / f"{SLUG}.md"
    before = path.read_text(encoding="utf-8")
    pairs = desk.segment_pairs(cfg, SLUG)
    target = next(p for p in pairs if p.unit == "body" and p.index > 3)
    result = desk.approve(cfg, SLUG, target.index, "  The editor's   sentence. ")
    after = path.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.split("\n"), after.split("\n"), strict=False) if a != b]
    _, body_before = parse_front_matter(before, path)
    _, body_after = parse_front_matter(after, path)
    assert body_after == body_before.replace(target.english or "", "The editor's sentence.")
    assert any(b == "desk_segments: 1" for _, b in changed) or "desk_segments: 1\n" in after
    assert parse_article(after, path, "en").translation == "machine"
    assert (result.approved, result.reviewed) == (1, False)
    again = desk.segment_pairs(cfg, SLUG)
    assert again[target.index].state == "approved" and again[target.index].english == "The editor's sentence."
    mem = Memory(cfg.cache_dir / "translation-memory.sqlite")
    assert mem.human_many([target.french]) == {target.french: "The editor's sentence."}
    mem.close()


def test_approving_every_segment_makes_the_article_reviewed_of_the_current_french(cfg):
    for p in desk.segment_pairs(cfg, SLUG):
        result = desk.approve(cfg, SLUG, p.index, p.english or "x")
    assert result.reviewed and result.approved == result.total
    fr = parse_article((cfg.content_dir / "fr" / f"{SLUG}.md").read_text("utf-8"), Path("fr.md"), "fr")
    en = parse_article(result.path.read_text("utf-8"), result.path, "en")
    assert en.translation_state(fr) == "reviewed" and en.desk_segments == result.total
    mem = Memory(cfg.cache_dir / "translation-memory.sqlite")
    recorded = mem.review_of(SLUG)
    mem.close()
    assert recorded is not None and recorded[0] == fr.translatable_sha256() and recorded[1]["body"] == fr.body


def test_approve_refuses_bad_slugs_indices_and_empty_english_changing_nothing(cfg):
    path = cfg.content_dir / "en" / f"{SLUG}.md"
    before = path.read_bytes()
    with pytest.raises(DeskError, match="no segment 999"):
        desk.approve(cfg, SLUG, 999, "x")
    with pytest.raises(DeskError, match="English is empty"):
        desk.approve(cfg, SLUG, 0, "  \n ")
    with pytest.raises(DeskError, match="no such French article"):
        desk.segment_pairs(cfg, "nope")
    with pytest.raises(DeskError, match="'../x'"):
        desk.approve(cfg, "../x", 0, "x")
    assert path.read_bytes() == before


def test_learn_stores_a_reviewed_articles_pairs_as_human(cfg):
    path = cfg.content_dir / "en" / f"{SLUG}.md"
    with pytest.raises(DeskError, match="not reviewed"):
        desk.learn(cfg, SLUG)
    text = path.read_text(encoding="utf-8").replace("translation: machine", "translation: reviewed")
    path.write_text(text.replace("has underlined", "stressed"), encoding="utf-8")
    learnt = desk.learn(cfg, SLUG)
    pairs = desk.segment_pairs(cfg, SLUG)
    assert learnt.stored == len(pairs) and {p.state for p in pairs} == {"approved"}
    assert "stressed" in pairs[0].english  # type: ignore[operator]


def test_an_approved_segment_of_two_sentences_keeps_its_block_aligned(cfg):
    pairs = desk.segment_pairs(cfg, SLUG, flags=False)
    block = [p for p in pairs if p.unit == "body" and "Cette 32e Conférence" in p.french]
    first = block[0]
    neighbour = next(p for p in pairs if p.index == first.index + 1)
    assert neighbour.unit == "body" and neighbour.french.startswith("Elle a obtenu")
    desk.approve(cfg, SLUG, first.index, "This 32nd Conference matters a great deal. It marks a turning point.")
    again = {p.index: p for p in desk.segment_pairs(cfg, SLUG, flags=False)}
    assert again[first.index].state == "approved"
    assert again[first.index].english == "This 32nd Conference matters a great deal. It marks a turning point."
    assert again[neighbour.index].english == neighbour.english and again[neighbour.index].state == "draft"
    desk.approve(cfg, SLUG, neighbour.index, "It achieved important results, the deputy minister said.")
    body = (cfg.content_dir / "en" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert (
        "This 32nd Conference matters a great deal. It marks a turning point. "
        "It achieved important results, the deputy minister said.\n" in body
    )
    assert {
        p.state for p in desk.segment_pairs(cfg, SLUG, flags=False) if p.index in (first.index, neighbour.index)
    } == {"approved"}


def test_learning_skips_a_broken_file_with_a_note_and_learns_the_others(cfg):
    broken = cfg.content_dir / "en" / f"{SLUG}.md"
    broken.write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    other = next(p for p in (cfg.content_dir / "en").glob("*.md") if p != broken)
    other.write_text(other.read_text(encoding="utf-8").replace("translation: machine", "translation: reviewed"))
    mem = Memory(cfg.cache_dir / "translation-memory.sqlite")
    learnt = {x.slug: x for x in desk.learn_reviewed(cfg, [SLUG, other.stem], mem)}
    mem.close()
    assert learnt[other.stem].stored > 0
    assert learnt[SLUG].stored == 0 and str(broken) in learnt[SLUG].notes[0]


def test_structures_too_large_to_compare_are_reported_not_aligned(monkeypatch):
    from briefing.translate import align

    fr = "\n\n".join(f"Paragraphe numéro {n}." for n in range(6))
    en = "\n\n".join(f"Paragraph number {n}." for n in range(7))  # one more: the structures differ
    assert align.align_bodies(fr, en).spans  # numbers single the blocks out
    monkeypatch.setattr(align, "MAX_BLOCK_PAIRS", 6 * 7 - 1)  # the product of the block counts, bounded
    a = align.align_bodies(fr, en)
    assert a.spans == () and "too many to align" in a.notes[0]
