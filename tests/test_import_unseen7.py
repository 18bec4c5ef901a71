"""The rules a seventh corpus written by someone who never read the importer (tests/corpus7, everyday diplomatic
copy) showed missing, each on a made-up dispatch of its own (none is a copy of a corpus file): page furniture and
bylines, a day within a visit's span, announcements in the future tense, captions set by their positions and a
caption glued to the dateline, a meeting held online, a quotation over two lines, sovereigns named by one name,
"les Premiers ministres".
"""

from __future__ import annotations

import pytest
from conftest import imp


@pytest.mark.parametrize(
    "furniture",
    ["Écouter", "Partager : Facebook | Twitter | Zalo", "Facebook | Twitter | E-mail", "Par Thu Trang", "Imprimer"],
)
def test_page_furniture_and_bylines_are_not_the_lead(taxonomy, furniture):
    before = imp(
        taxonomy,
        f"Un titre\n\n{furniture}\n\n18/05/2021 10:02:11\n\nHanoï (VNA) - Le ministre a reçu mardi dernier "
        "l'ambassadeur du Chili.\n\nLes deux parties ont parlé du commerce. -VNA",
    )
    assert before.extra["body_paragraphs"] == 2 and furniture not in before.body
    assert before.meta["date"] == "2021-05-11"
    within = imp(
        taxonomy,
        f"Un titre\n\nHanoï (VNA) - Le ministre a reçu mardi 4 juin 2024 l'ambassadeur.\n\n{furniture}\n\n"
        "Les deux parties ont parlé du commerce. -VNA",
    )
    assert within.extra["body_paragraphs"] == 2 and furniture not in within.body


def test_a_tags_line_after_the_signoff_names_no_one(taxonomy):
    rec = imp(
        taxonomy,
        "Un titre\n\nHanoï (VNA) - Le ministre a reçu mardi 4 juin 2024 l'ambassadeur. -VNA\n\n"
        "Mots-clés : Chili, Nguyên Van Binh, commerce",
    )
    assert rec.meta["people"] == [] and "Mots-clés" not in rec.body


def test_the_day_of_a_meeting_within_the_span_of_a_visit(taxonomy):
    rec = imp(
        taxonomy,
        "Un titre\n\nNDEL – Dans le cadre de sa visite officielle au Japon, du 3 au 7 mars 2025, le président a eu "
        "mercredi 5 mars 2025 des entretiens avec le Premier ministre japonais.",
    )
    assert rec.meta["date"] == "2025-03-05"


def test_events_the_lead_announces_in_the_future_do_not_date_it(taxonomy):
    rec = imp(
        taxonomy,
        " date 2023-09-08 Un titre\nHanoï (VNA) - Le ministre a présidé jeudi une réunion sur le forum que la "
        "province accueillera du 20 au 22 septembre.",
    )
    assert rec.meta["date"] == "2023-09-07"


def test_a_caption_set_by_positions_takes_its_credit_on_the_next_line(taxonomy):
    rec = imp(
        taxonomy,
        "Un titre\n\nHanoï (VNA) - Le ministre a reçu mardi 4 juin 2024 l'ambassadeur.\n\nLe ministre (à droite) et "
        "l'ambassadeur Pedro Alvarado.\nPhoto : VNA\n\nLes deux parties ont parlé du commerce. -VNA",
    )
    assert rec.meta["captions"] == ["Le ministre (à droite) et l'ambassadeur Pedro Alvarado. Photo : VNA"]
    assert rec.extra["body_paragraphs"] == 2


def test_a_caption_without_credit_set_by_positions(taxonomy):
    rec = imp(
        taxonomy,
        "Un titre\n\nHanoï (VNA) - Le ministre a reçu mardi 4 juin 2024 l'ambassadeur.\n\nLe ministre (2e à gauche) "
        "et la délégation chilienne.\n\nLes deux parties ont parlé du commerce. -VNA",
    )
    assert len(rec.meta["captions"]) == 1 and rec.extra["body_paragraphs"] == 2


def test_a_caption_and_its_credit_glued_to_the_dateline(taxonomy):
    rec = imp(
        taxonomy,
        " date 2022-05-13 Le ministre à la réunion en ligne. Photo : Van Diep/VNA Hanoï, 12 mai (VNA) - Le ministre a "
        "participé jeudi à la réunion.\n\nLes ministres ont adopté une déclaration. -VNA",
    )
    assert rec.meta["captions"] == ["Le ministre à la réunion en ligne. Photo : Van Diep/VNA"]
    assert rec.meta["date"] == "2022-05-12" and rec.extra["body_paragraphs"] == 2


def test_a_meeting_organised_online_is_not_a_past_one(taxonomy):
    rec = imp(
        taxonomy,
        "Un titre\n\nHanoï, 12 novembre 2021 (VNA) - Le président a participé vendredi à la 28e réunion des "
        "dirigeants économiques de l'APEC, organisée en ligne par la Nouvelle-Zélande.",
    )
    assert rec.meta["conferences"] == ["sommet-apec-2021"]


def test_a_quotation_over_two_lines_is_one_paragraph(taxonomy):
    rec = imp(
        taxonomy,
        "Un titre\n\nHanoï (VNA) - Le ministre a reçu mardi 4 juin 2024 l'ambassadeur.\n\n« Nos relations sont "
        "solides.\nNous les transmettrons aux jeunes générations. »\n\nLes deux parties ont parlé du commerce. -VNA",
    )
    assert rec.extra["body_paragraphs"] == 3


def test_a_sovereign_named_by_one_name_and_the_short_form_of_a_full_name(taxonomy):
    rec = imp(
        taxonomy,
        "Un titre\n\nHanoï (VNA) - Le président a accueilli mardi 4 juin 2024 le roi Harald V et la reine Sonja de "
        "Norvège, ainsi que le sultan Fahad bin Saïd Al Marri.\n\nLe sultan Fahad a salué l'accueil. -VNA",
    )
    assert rec.meta["people"] == ["harald-v", "sonja", "fahad-bin-said-al-marri"]


@pytest.mark.parametrize("use_nlp", [False, True])
def test_a_zone_s_name_is_a_place_and_the_pipeline_adds_nothing_inside_a_name(taxonomy, use_nlp):
    from conftest import IMPORT_TODAY

    from briefing import nlp
    from briefing.importer import extract

    if use_nlp and not nlp.available():
        pytest.fail(f"the French NLP pipeline is not installed: {nlp.INSTALL}")  # make test installs it
    text = (
        "Un titre\n\nHanoï (VNA) - Le président a reçu mardi 4 juin 2024 le sultan Fahad bin Saïd Al Marri, qui a "
        "visité la zone économique de Dinh Vu avec le ministre Bùi Thanh Son."
    )
    rec = extract(text.encode(), "made-up.txt", taxonomy, IMPORT_TODAY, use_nlp=use_nlp)
    assert rec.meta["people"] == ["fahad-bin-said-al-marri"]
