"""The taxonomy as the editor meets it: shipped reference data under the editor's file, entry by entry."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT

from briefing import taxonomy as taxonomy_module
from briefing.taxonomy import load_taxonomy, sources_bytes


@pytest.fixture
def reference(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "briefing" / "data", data)
    monkeypatch.setattr(taxonomy_module, "REFERENCE_DIR", data)
    editor = tmp_path / "taxonomy.yaml"
    shutil.copy(ROOT / "content" / "taxonomy.yaml", editor)
    return data, editor


def test_an_editor_entry_replaces_the_shipped_one_and_a_new_id_adds_to_it(reference):
    _, editor = reference
    editor.write_text(
        "people:\n"
        "  bui-thanh-son: {name: Bùi Thanh Sơn, en: Bui Thanh Son, roles: [{rank: official, fr: conseiller, en: adviser}]}\n"
        "  tran-van-moi: {name: Trần Văn Mới, en: Tran Van Moi, roles: [{rank: vice-minister, fr: vice-ministre, en: Deputy Minister}]}\n"
        "conferences:\n  conference-diplomatique-33: {start: 2026-12-14, place: Hanoï}\n",
        encoding="utf-8",
    )
    tax = load_taxonomy(editor)
    assert [r.rank for r in tax.people["bui-thanh-son"].roles] == ["official"]
    assert "tran-van-moi" in tax.people and "pham-minh-chinh" in tax.people
    c = tax.conferences["conference-diplomatique-33"]
    assert (c.fr, c.en, c.place) == ("33e Conférence diplomatique", "33rd Diplomatic Conference", "Hanoï")


def test_a_reference_data_update_changes_the_cache_key_like_an_editors_edit(reference):
    data, editor = reference
    before = sources_bytes(editor)
    (data / "events.yaml").write_text(
        (data / "events.yaml").read_text(encoding="utf-8") + "\n# updated\n", encoding="utf-8"
    )
    assert sources_bytes(editor) != before


def test_undeclared_instances_are_named_from_their_kind(taxonomy):
    assert taxonomy.conference("amm-99").en == "99th ASEAN Foreign Ministers' Meeting"
    assert taxonomy.conference("sommet-asean-1").fr == "1er Sommet de l'ASEAN"
    assert taxonomy.conference("sommet-g20-2031").fr == "Sommet du G20 (2031)"
    assert taxonomy.conference("sommet-g20-31") is None  # a by-year series takes a year
    assert taxonomy.conference("amm-056") is None


def test_glued_and_hyphenated_names_match_their_person(taxonomy):
    text = "LêHoài Trung, BuiThanh Son, Prayut Chan-o-cha et Lee Hsien Loong ; pas Lee ni Buitre."
    assert [m.id for m in taxonomy.find_people(text)] == [
        "le-hoai-trung",
        "bui-thanh-son",
        "prayut-chan-o-cha",
        "lee-hsien-loong",
    ]


def test_a_kinds_gate_matches_every_text_its_patterns_match(taxonomy):
    # the gate (the patterns without their leading ordinal) only skips texts no pattern could match
    from briefing.folding import fold

    texts = [fold(p.read_text(encoding="utf-8")) for p in sorted(ROOT.glob("tests/corpus*/*.txt"))]
    matched = 0
    for kind in taxonomy.kinds.values():
        assert kind.gate is not None, kind.id
        for text in texts:
            if any(p.search(text) for p in kind.patterns):
                matched += 1
                assert kind.gate.search(text), (kind.id, text[:80])
    assert matched > 100
