"""The English finishing pass, review flags, Apertium's markers, lock kinds and names outside the taxonomy
(pure functions; the real engines are exercised in test_apertium.py and test_argos.py)."""

from __future__ import annotations

import re

import pytest

from briefing.translate.engines import split_markers
from briefing.translate.finish import finish, ordinal, place_forms
from briefing.translate.flags import segment_flags
from briefing.translate.protect import MARKUP, NAME, PLACE, TERM, Protector, taxonomy_terms, to_engine
from briefing.translate.segment import Segment

PLACES = place_forms(
    [("Hanoï", "Hanoi"), ("Hô Chi Minh-Ville", "Ho Chi Minh City"), ("Truong Sa", "Truong Sa (Spratly)")]
)


@pytest.mark.parametrize(
    ("french_typography", "english"),
    [
        ("There are 1.100 people", "There are 1,100 people"),
        ("a budget of 200.000 dollars and 2.500.000 more", "a budget of 200,000 dollars and 2,500,000 more"),
        ("up 3,5 % on the year", "up 3.5% on the year"),
        ("2,75 billion", "2.75 billion"),
        ("1,100 people stay English", "1,100 people stay English"),
        ("version 1.2 and 10.25 stay", "version 1.2 and 10.25 stay"),
        ("the « pivotal » character", "the “pivotal” character"),
        ("a ‹ word › inside", "a ‘word’ inside"),
        ("the 14ᵉ session, the 21e conference, the 3ème day", "the 14th session, the 21st conference, the 3rd day"),
        (
            "the 1er forum and the 1re meeting, the 12e, 13e, 22e",
            "the 1st forum and the 1st meeting, the 12th, 13th, 22nd",
        ),
        ("Why\u00a0? Because\u202f: yes\u00a0!", "Why? Because: yes!"),
        ("in Hanoï and Hô Chi Minh-Ville", "in Hanoi and Ho Chi Minh City"),
        ("Truong Sa (Spratleys)", "Truong Sa (Spratleys)"),
        ("Hanoi, 18 December (VNA) - The minister", "Hanoi, December 18 (VNA) – The minister"),
        (
            "The Vietnam sustains the ASEAN. The role of the UNESCO and of the Vietnam in the ASEAN, said the VNA.",
            "Vietnam sustains ASEAN. The role of UNESCO and of Vietnam in ASEAN, said VNA.",
        ),
        (
            "the ASEAN Summit, the ASEAN foreign ministers, the Vietnam News Agency",
            "the ASEAN Summit, the ASEAN foreign ministers, the Vietnam News Agency",
        ),
    ],
)
def test_finishing_pass(french_typography, english):
    assert finish(french_typography, PLACES) == english


def test_finishing_pass_leaves_code_links_and_urls_alone():
    text = "See `1.100 « x »` and [1.100 people](https://example.org/a.1.100/14e) or https://x.org/3,5"
    assert (
        finish(text, PLACES)
        == "See `1.100 « x »` and [1,100 people](https://example.org/a.1.100/14e) or https://x.org/3,5"
    )


def test_a_sentence_capitalised_in_french_is_capitalised_in_english():
    assert finish("moreover, the capital", capital=True) == "Moreover, the capital"
    assert finish("premier point", capital=False) == "premier point"


def test_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"
    ]  # fmt: skip


def test_apertium_markers_become_flags_and_disappear():
    clean, marked = split_markers("The **revêt of the *taquilla, #went @fast, **Nguyen and 14**ᵉ ZQXAXQZ")
    assert clean == "The revêt of the taquilla, went fast, Nguyen and 14ᵉ ZQXAXQZ"
    assert marked["french"] == ["revêt", "ᵉ"] and marked["spanish"] == ["taquilla"]
    assert marked["unknown"] == ["went", "fast"]  # capitalised unknown words are names: not flagged


def test_segment_flags():
    assert segment_flags({}, "The minister arrived.", "Le ministre est arrivé.", [], False) == {}
    assert segment_flags({"spanish": ["relanzar"]}, "to relanzar the talks", "relancer", [], False) == {"spanish": 1}
    # French left by an engine without markers: accented lowercase words not part of a locked term
    flags = segment_flags({}, "It revêt a character for Lê Thi", "Il revêt un caractère pour Lê Thi", ["Lê Thi"], False)
    assert flags == {"french": 1}
    long_fr = "Le ministre a présenté les grandes orientations de la diplomatie pour les cinq prochaines années."
    assert segment_flags({}, "The minister.", long_fr, [], True) == {"repaired": 1, "length": 1}


def test_locks_carry_their_kind_and_places_go_to_the_engine_as_places(taxonomy):
    p = Protector.for_project(taxonomy, [])
    locked = p.lock(Segment("Le « sommet » de Hanoï avec Bui Thanh Son et l'ASEAN.", ()))
    assert locked.targets == ("«", "»", "Hanoi", "Bui Thanh Son", "ASEAN")
    assert locked.kinds == (MARKUP, MARKUP, PLACE, NAME, NAME)
    sent = to_engine(locked, lambda i: f"ZQX{'ABCDE'[i]}XQZ", [("Berlin", "Berlin"), ("Londres", "London")])
    assert sent.text == "Le ZQXAXQZ sommet ZQXBXQZ de Berlin avec ZQXDXQZ et l' ZQXEXQZ ."
    assert sent.expected == ("ZQXAXQZ", "ZQXBXQZ", "Berlin", "ZQXDXQZ", "ZQXEXQZ")


@pytest.mark.parametrize(
    ("french", "english_target"),
    [
        ("La conférence, organisée à Hanoï mardi, a pris fin.", "in Hanoi"),
        ("La réunion s'est ouverte dans la matinée à Bangkok.", "in Bangkok"),
        ("Le ministre est arrivé mardi à Hanoï.", "in Hanoi"),
        ("La délégation s'est rendue à Vientiane.", "to Vientiane"),
        ("À Hanoï, le ministre a reçu son homologue.", "In Hanoi"),
        ("Le sommet de Hanoï.", "Hanoi"),
    ],
)
def test_a_place_after_a_is_locked_with_its_preposition(taxonomy, french, english_target):
    locked = Protector.for_project(taxonomy, []).lock(Segment(french, ()))
    assert locked.targets == (english_target,) and locked.kinds == (PLACE,)
    assert " à " not in locked.text.replace("À", "à")


def test_a_stand_in_already_in_the_sentence_is_not_used(taxonomy):
    p = Protector.for_project(taxonomy, [])
    locked = p.lock(Segment("De Berlin vers Hanoï.", ()))
    sent = to_engine(locked, lambda i: "ZQXAXQZ", [("Berlin", "Berlin"), ("Londres", "London")])
    assert sent.text == "De Berlin vers Londres ." and sent.expected == ("London",)


def test_taxonomy_roles_and_events_are_glossary_terms(taxonomy):
    terms = {t.fr: (t.en, kind) for t, kind in taxonomy_terms(taxonomy)}
    assert terms["vice-ministre des Affaires étrangères"] == ("Deputy Minister of Foreign Affairs", TERM)
    assert terms["Réunion des ministres des Affaires étrangères de l'ASEAN"] == (
        "ASEAN Foreign Ministers' Meeting",
        TERM,
    )
    assert terms["32e Conférence diplomatique"] == ("32nd Diplomatic Conference", TERM)
    p = Protector.for_project(taxonomy, [])
    locked = p.lock(Segment("la réunion des ministres des Affaires étrangères de l’ASEAN", ()))
    assert locked.targets == ("ASEAN Foreign Ministers' Meeting",)


def test_glossary_multi_word_terms_win_over_shorter_ones(taxonomy):
    from conftest import ROOT

    from briefing.translate.protect import load_glossary

    glossary, _ = load_glossary(ROOT / "content" / "glossary.yaml")
    p = Protector.for_project(taxonomy, glossary)
    locked = p.lock(Segment("Les ministres des Affaires étrangères de l'ASEAN se sont réunis.", ()))
    assert locked.targets == ("ASEAN foreign ministers",)


def test_a_gloss_the_source_already_gives_is_not_repeated(taxonomy):
    p = Protector.for_project(taxonomy, [])
    assert p.lock(Segment("sur Hoàng Sa (Paracels) et Truong Sa.", ())).targets == ("Hoang Sa", "Truong Sa (Spratly)")


def test_names_outside_the_taxonomy_are_locked_as_written(taxonomy):
    import datetime as dt

    from briefing.sources import Article
    from briefing.translate.names import article_names

    body = (
        "Le directeur du Service des affaires étrangères de Da Nang, Nguyen Van Quang, a présenté le bilan.\n\n"
        "Selon Tran Quoc Khanh, la coopération progresse."
    )
    fr = Article("fr", "x", __import__("pathlib").Path("x.md"), "Titre", body, dt.date(2023, 12, 18),
                 people=("tran-quoc-khanh",))  # fmt: skip
    names = article_names(taxonomy, fr)
    assert "Nguyen Van Quang" in names and "Tran Quoc Khanh" in names
    locked = Protector.for_project(taxonomy, []).lock(Segment("Selon Tran Quoc Khanh et Nguyen Van Quang.", ()), names)
    assert locked.targets == ("Tran Quoc Khanh", "Nguyen Van Quang") and locked.kinds == (NAME, NAME)


@pytest.mark.parametrize(
    ("french", "english"),
    [
        (
            "Les résultats de la 32e Conférence nationale de la diplomatie et de la 21e Conférence nationale des "
            "affaires étrangères.",
            ("32nd Diplomatic Conference", "21st National Conference on Local Foreign Affairs"),
        ),
        ("La 56e réunion des ministres des AE de l'ASEAN s'est ouverte.", ("56th ASEAN Foreign Ministers' Meeting",)),
        ("La réunion AMM-56 s'est ouverte.", ()),  # the acronym stays as written
        ("Les 40e et 41e Sommets se sont tenus.", ()),  # two events in one phrase: left to the engine
    ],
)
def test_numbered_events_are_locked_under_their_english_name(taxonomy, french, english):
    locked = Protector.for_project(taxonomy, []).lock(Segment(french, ()))
    assert tuple(t for t, k in zip(locked.targets, locked.kinds, strict=True) if k == TERM) == english


@pytest.mark.parametrize(
    "french",
    [
        "La 21e conférence des Services des Affaires étrangères locaux a pris fin.",
        "La 20e Conférence nationale sur les affaires extérieures des provinces a pris fin.",
        "La 20e Conférence nationale des affaires étrangères locales a pris fin.",  # the Diplomatic one's words too
        "La 31e Conférence nationale des affaires étrangères des provinces a pris fin.",
    ],
)
def test_an_events_qualifier_is_locked_with_it_never_left_behind(taxonomy, french):
    locked = Protector.for_project(taxonomy, []).lock(Segment(french, ()))
    terms = [t for t, k in zip(locked.targets, locked.kinds, strict=True) if k == TERM]
    assert terms and terms[0].endswith("National Conference on Local Foreign Affairs")
    assert not re.search(r"locaux|provinces", locked.text)  # the engine would translate it again: "…Affairs local"
