"""The rules an eighth corpus written by someone who never read the importer (tests/corpus8: consular, maritime,
UN, trade, culture, defence copy) showed missing, each on a made-up dispatch of its own: letters with no
decomposition in names, three more kinds of meetings, attendance in the conditional, dates in figures after a
weekday, a weekday and a day without the month, a publication date as background, a name split across a line
break, more role words, an infographic's description, places after geographic nouns, a title's original words.
"""

from __future__ import annotations

import pytest
from conftest import imp

from briefing.taxonomy import slugify_name


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Paweł Jabłoński", "pawel-jablonski"), ("Jonas Gahr Støre", "jonas-gahr-store"), ("Ðorđe Bašić", "dorde-basic")],
)
def test_letters_with_no_decomposition_keep_their_base_letter(name, slug):
    assert slugify_name(name) == slug


@pytest.mark.parametrize(
    ("stub", "words", "expected"),
    [
        ("2024-07", "à la 46e session élargie du Comité du patrimoine mondial", "comite-patrimoine-mondial-46"),
        ("2024-03", "à la 55e session du Conseil des droits de l'homme", "session-conseil-droits-homme-55"),
        ("2019-11", "au 3e Sommet du RCEP", "sommet-rcep-3"),
    ],
)
def test_three_more_kinds_of_meetings(taxonomy, stub, words, expected):
    rec = imp(taxonomy, f" date {stub}\nGenève (VNA) - Le vice-ministre a pris la parole jeudi {words}.")
    assert rec.meta["conferences"] == [expected]


def test_attendance_in_the_conditional_announces_a_meeting(taxonomy):
    rec = imp(
        taxonomy,
        " date 2024-03-20 Un titre\nHanoï (VNA) - Le ministre a reçu mercredi les ambassadeurs francophones.\n\n"
        "Il a confirmé que le Vietnam prendrait part au XIXe Sommet de la Francophonie en octobre.",
    )
    assert rec.meta["conferences"] == ["sommet-francophonie-19"]


def test_a_weekday_before_a_date_in_figures_and_a_publication_date_as_background(taxonomy):
    rec = imp(
        taxonomy,
        "Un titre\n\nHanoï (VNA) - Le Vietnam rejette la carte publiée le 28/8 par Pékin, a déclaré jeudi 31/8 la "
        "porte-parole Pham Thu Hang.",
    )
    assert rec.meta["date"] == "2023-08-31"


def test_a_weekday_and_a_day_without_its_month(taxonomy):
    rec = imp(taxonomy, " date 2023-05 Un titre\nHanoï (VNA) - Le ministère a organisé ce lundi 15 une cérémonie.")
    assert rec.meta["date"] == "2023-05-15"


def test_a_name_split_across_a_line_break_is_one_name(taxonomy):
    rec = imp(
        taxonomy,
        "Un titre\n\nHanoï (VNA) - Le Vietnam a protesté auprès de la Chine, a déclaré samedi 4 avril 2020 la "
        "porte-parole du ministère, Lê Thi\nThu Hang.\n\nLa note a été remise à l'ambassade. -VNA",
    )
    assert rec.meta["people"] == ["le-thi-thu-hang"] and rec.extra["body_paragraphs"] == 2


def test_a_resident_coordinator_is_a_role_word(taxonomy):
    rec = imp(
        taxonomy,
        "Un titre\n\nHanoï (VNA) - La coordonnatrice résidente des Nations unies au Vietnam, Ingrid Solberg, a "
        "salué mardi 4 juin 2024 les casques bleus vietnamiens.",
    )
    assert rec.meta["people"] == ["ingrid-solberg"]


def test_an_infographics_description_is_a_caption(taxonomy):
    rec = imp(
        taxonomy,
        "Un titre\n\nHanoï (VNA) - L'accord est entré en vigueur samedi 1er août 2020.\n\nInfographie : l'accord en "
        "chiffres. Source : VNA\n\nLes exportations devraient progresser. -VNA",
    )
    assert len(rec.meta["captions"]) == 1 and rec.extra["body_paragraphs"] == 2


@pytest.mark.parametrize("use_nlp", [False, True])
def test_places_after_geographic_nouns_and_a_titles_original_words_are_not_people(taxonomy, use_nlp):
    text = (
        "Un titre\n\nHanoï (VNA) - Le ministre a visité mardi 4 juin 2024 l'archipel de Cô Tô, puis a ouvert le "
        "programme « Printemps de la patrie » (Xuân Quê Huong) avec le ministre Bùi Thanh Son."
    )
    rec = imp(taxonomy, text, use_nlp)
    assert rec.meta["people"] == []
