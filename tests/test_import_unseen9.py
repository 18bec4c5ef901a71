"""The rules a ninth corpus written by someone who never read the importer (tests/corpus9, copy from 2007 to 2025)
showed missing, each on a made-up dispatch of its own: the ASEAN Summit named after "l'Association" or
"l'organisation" already named, and numbered points set one a line.
"""

from __future__ import annotations

import pytest
from conftest import imp

from briefing.bodies import render_markdown


@pytest.mark.parametrize("noun", ["l'Association", "l'organisation"])
def test_the_asean_summit_named_after_the_association_already_named(taxonomy, noun):
    rec = imp(
        taxonomy,
        f" date 2019-11-05 Un titre\nBangkok (VNA) - Le Premier ministre a pris part lundi à la clôture du 35e Sommet "
        f"de {noun}, dont le Vietnam assurera la présidence.",
    )
    assert rec.meta["conferences"] == ["sommet-asean-35"]


def test_an_organisation_named_in_full_is_not_the_association(taxonomy):
    rec = imp(
        taxonomy,
        " date 2019-11-05 Un titre\nGenève (VNA) - Le ministre a pris part lundi au 5e Sommet de l'Organisation des "
        "États riverains.",
    )
    assert rec.meta["conferences"] == []


def test_numbered_points_set_one_a_line_are_one_list(taxonomy):
    rec = imp(
        taxonomy,
        "Un titre\n\nNew Delhi (VNA) - Les deux pays ont publié mardi 4 juin 2024 une déclaration commune.\n\nElle "
        "prévoit de :\n\n1) multiplier les visites de haut niveau ;\n2) porter les échanges à 15 milliards de dollars ;"
        "\n3) coopérer dans l'espace.\n\nLa prochaine réunion aura lieu à Hanoï. -VNA",
    )
    assert rec.extra["body_paragraphs"] == 4
    assert render_markdown(rec.body).count("<li>") == 3


@pytest.mark.parametrize("use_nlp", [False, True])
def test_a_capitalised_title_is_not_part_of_a_name(taxonomy, use_nlp):
    rec = imp(
        taxonomy,
        "Un titre\n\nHanoï (VNA) - Le ministre Bùi Thanh Son a rappelé mardi 4 juin 2024 l'héritage du Président Hô "
        "Chi Minh, fondateur de la diplomatie vietnamienne.",
        use_nlp,
    )
    assert "president-ho-chi-minh" not in rec.meta["people"]
