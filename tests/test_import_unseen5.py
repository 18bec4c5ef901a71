"""The rules a fifth corpus written by someone who never read the importer (tests/corpus5) showed missing, each on
a made-up dispatch of its own (none is a copy of a corpus file): ordinals written in words, meetings the shipped
data lacked, a conference renamed or named by its acronym alone, other sources' layouts (Nhân Dân, VOV), "Lire
aussi" links, timestamps with a weekday or "Publié le", relative days counted from a dated event, a day written
without its month, a date in the headline alone, a report learnt days after the event.
"""

from __future__ import annotations

import json

import pytest
from conftest import imp, run_cli

from briefing import ordinals
from briefing.bodies import render_markdown

# -- conferences ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stub", "words", "expected"),
    [
        ("2025-10", "quarante-septième Sommet de l'ASEAN", "sommet-asean-47"),
        ("2017-11", "trente et unième Sommet de l'ASEAN", "sommet-asean-31"),
        ("2013-04", "vingt-deuxième Sommet de l'ASEAN", "sommet-asean-22"),
        ("2025-07", "cinquante-huitième réunion des ministres des Affaires étrangères de l'ASEAN", "amm-58"),
    ],
)
def test_an_ordinal_written_in_words_numbers_the_instance(taxonomy, stub, words, expected):
    rec = imp(taxonomy, f" date {stub}\nHanoï (VNA) - Le Premier ministre a participé jeudi au {words} en ligne.")
    assert rec.meta["conferences"] == [expected]


def test_ordinals_in_words_keep_every_offset():
    folded = "la soixante-dix-septieme session et une troisieme fois, deux cent troisieme"
    figures = ordinals.with_figures(folded)
    assert len(figures) == len(folded)
    assert figures.split() == ["la", "77e", "session", "et", "une", "3e", "fois,", "203e"]


def test_premier_numbers_the_first_instance_of_a_series(taxonomy):
    rec = imp(
        taxonomy,
        " date 2023-10\nRiyad (VNA) - Le Premier ministre a assisté vendredi au premier Sommet entre l'ASEAN et le "
        "Conseil de coopération du Golfe (CCG).",
    )
    assert rec.meta["conferences"] == ["sommet-asean-ccg-1"]


def test_a_first_for_someone_is_not_the_series_first_instance(taxonomy):
    rec = imp(
        taxonomy,
        " date 2024-07\nVientiane (VNA) - La 57e réunion des ministres des Affaires étrangères de l'ASEAN s'est ouverte "
        "jeudi.\n\nC'est la première réunion ministérielle de l'ASEAN du nouveau ministre laotien.",
    )
    assert rec.meta["conferences"] == ["amm-57"]


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("a pris part samedi à Biarritz à une séance du Sommet du G7 élargi", "sommet-g7-2019"),
        ("a assisté samedi à la séance élargie du 11e Sommet des BRICS", "sommet-brics-2019"),
        ("a pris la parole samedi au « Davos d'été » à Dalian", "forum-davos-ete-2019"),
        ("a présidé samedi la 6e réunion élargie des ministres de la Défense de l'ASEAN (ADMM+)", "admm-plus-6"),
        ("a présidé samedi la 13e réunion des ministres de la Défense de l'ASEAN (ADMM)", "admm-13"),
    ],
)
def test_meetings_beyond_the_first_data(taxonomy, lead, expected):
    rec = imp(taxonomy, f" date 2019-07\nHanoï (VNA) - Le ministre {lead}, aux côtés de ses homologues.")
    assert rec.meta["conferences"] == [expected]


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("Jakarta (VNA) - Le ministre de la Défense a participé le 16 novembre à la 10e ADMM+.", "2023-11-16"),
        ("Kuala Lumpur (VNA) - Le Premier ministre a pris part le 27 mai au 2e Sommet ASEAN-CCG.", "2025-05-27"),
        ("Vientiane (VNA) - Le ministre de la Défense a assisté le 20 novembre à la 18e ADMM.", "2024-11-20"),
    ],
)
def test_the_new_kinds_known_instances_give_the_year(taxonomy, lead, expected):
    # no year, weekday or stub: only the shipped dates of the instance named fix the year
    rec = imp(taxonomy, f"Un titre\n\n{lead}")
    assert (rec.meta["date"], rec.meta["date_source"]) == (expected, "conference")


def test_an_earlier_admm_in_a_clause_is_not_the_admm_plus_reported(taxonomy):
    rec = imp(
        taxonomy,
        " date 2019-11\nBangkok (VNA) - La 6e ADMM+ s'est tenue lundi à Bangkok.\n\nL'ADMM+ suit la 13e ADMM, que "
        "la Thaïlande avait accueillie en juin.",
    )
    assert rec.meta["conferences"] == ["admm-plus-6"]


def test_the_diplomatic_conference_named_after_its_delegates(taxonomy):
    rec = imp(
        taxonomy,
        " date 2021-12\nHanoï (VNA) - La 31e Conférence des chefs des représentations vietnamiennes à l'étranger "
        "s'est ouverte mardi à Hanoï.\n\nLa 30e Conférence nationale des affaires extérieures s'était tenue la veille.",
    )
    assert rec.meta["conferences"][0] == "conference-diplomatique-31"


def test_the_amm_named_by_its_acronym_alone_is_the_instance_of_the_date(taxonomy):
    rec = imp(
        taxonomy,
        "Bali, 19 juillet (VNA) - L'AMM s'est ouverte mardi matin à Bali, en présence du ministre des Affaires "
        "étrangères Pham Gia Khiêm.",
    )
    assert rec.meta["date"] == "2011-07-19"
    assert rec.meta["conferences"] == ["amm-44"]


def test_a_later_instance_announced_as_planned_is_listed(taxonomy):
    rec = imp(
        taxonomy,
        " date 2020-06\nHanoï (VNA) - Le 36e Sommet de l'ASEAN s'est tenu vendredi en ligne.\n\nLe 37e Sommet de "
        "l'ASEAN, qui achèvera l'année de présidence, est prévu mi-novembre.",
    )
    assert rec.meta["conferences"] == ["sommet-asean-36", "sommet-asean-37"]


# -- other sources' layouts ----------------------------------------------------------------------------------------


def test_nhan_dan_layout(taxonomy):
    rec = imp(
        taxonomy,
        "Les vaccins au programme\n\nMardi 10/09/2024 - 09:12\n\nNDEL – Le ministère de la Santé a lancé mardi une "
        "campagne de vaccination à Hanoï.\n\nLa campagne durera un mois.\n\nNDEL",
    )
    assert rec.meta["source"] == "Nhân Dân" and rec.extra["signoff"] == "NDEL"
    assert rec.meta["date"] == "2024-09-10"
    assert rec.extra["body_paragraphs"] == 2 and "NDEL" not in rec.body


def test_vov_layout(taxonomy):
    rec = imp(
        taxonomy,
        "Le port de Hai Phong s'agrandit\n\nHai Phong (VOV) - Le nouveau terminal a été inauguré samedi.\n\nIl "
        "accueillera des porte-conteneurs géants. -VOV",
    )
    assert rec.meta["source"] == "VOV" and rec.meta["dateline"] == "Hai Phong" and rec.extra["signoff"] == " -VOV"


@pytest.mark.parametrize(
    "line", ["Publié le 14/05/2024 à 07h30", "Mardi 14/05/2024 - 07:30", "mardi, 14.05.2024 07:30"]
)
def test_timestamps_with_a_weekday_or_published_on(taxonomy, line):
    rec = imp(taxonomy, f"Un titre\n\n{line}\n\nLe ministère a publié ce mardi son rapport annuel.")
    assert rec.meta["date"] == "2024-05-14" and rec.extra["body_paragraphs"] == 1


def test_read_also_lines_are_links_not_paragraphs(taxonomy):
    rec = imp(
        taxonomy,
        "Un titre\n\nHanoï (VNA) - Le ministère a publié mardi son rapport.\n\nLire aussi : Le rapport de l'an dernier"
        "\n\nIl couvre douze mois. -VNA",
    )
    assert rec.extra["body_paragraphs"] == 2 and rec.extra["related"] == 1 and "Lire aussi" not in rec.body


_TABLE = (
    "Un bilan\n\nHanoï (VNA) - Le ministère a dressé jeudi le bilan de l'année.\n\n"
    "Le ministre a présenté les résultats :\n\n"
    "Recettes foncières : 200 000 milliards de dongs\nLicences délivrées : 63\nStations de mesure : 125\n\n"
    "Le ministre a reconnu des retards dans le delta du Mékong. -VNA"
)


def test_a_table_set_one_row_a_line_is_one_block_a_list_of_its_rows(taxonomy):
    rec = imp(taxonomy, _TABLE)
    assert rec.extra["body_paragraphs"] == 4
    assert "- Recettes foncières : 200 000 milliards de dongs\n- Licences délivrées : 63\n- Stations" in rec.body
    html = render_markdown(rec.body)
    assert html.count("<li>") == 3 and "<li>Licences délivrées : 63</li>" in html


def test_sentences_on_consecutive_lines_stay_paragraphs(taxonomy):
    # AVI copy separates its paragraphs by one newline: lines that end a sentence are never table rows
    rec = imp(
        taxonomy,
        "Un bilan\nHanoï (AVI) - Le ministère a dressé jeudi le bilan.\nLe ministre a présenté les résultats.\n"
        "Il a reconnu des retards.\nLe vice-ministre a conclu. -VNA",
    )
    assert rec.extra["body_paragraphs"] == 4 and "- " not in rec.body


_BOX = (
    "Un sommet\n\nRiyad (VNA) - Le Premier ministre a participé vendredi au sommet.\n\n"
    "Les dirigeants ont adopté une déclaration commune.\n\nEncadré : le CCG en bref\n\n"
    "Créé en 1981, le Conseil de coopération du Golfe regroupe six pays de la péninsule. -VNA"
)


def test_a_box_title_between_paragraphs_is_a_heading_not_a_paragraph(taxonomy):
    rec = imp(taxonomy, _BOX)
    assert rec.extra["body_paragraphs"] == 3
    assert "\n\n## Encadré : le CCG en bref\n\n" in rec.body
    assert "<h2>Encadré : le CCG en bref</h2>" in render_markdown(rec.body)


@pytest.mark.parametrize(
    "text",
    [
        # a short last line is not a title: nothing follows it
        "Un titre\n\nHanoï (VNA) - Le ministre a reçu mardi l'ambassadeur.\n\nLes deux parties ont signé.\n\n"
        "Un accord historique -VNA",
        # a line after an unfinished sentence continues it
        "Un titre\n\nHanoï (VNA) - Le ministre a reçu mardi l'ambassadeur, qui a cité\n\nLe Vieux Port de Marseille\n\n"
        "Les deux parties ont ensuite signé deux accords de coopération. -VNA",
    ],
)
def test_a_short_line_is_a_title_only_between_finished_paragraphs(taxonomy, text):
    rec = imp(taxonomy, text)
    assert "## " not in rec.body


def test_without_text2num_ordinals_in_words_are_left_and_import_says_so(project, tmp_path):
    hidden = tmp_path / "hidden"
    (hidden / "text_to_num").mkdir(parents=True)
    (hidden / "text_to_num" / "__init__.py").write_text("raise ImportError('not installed here')\n")
    raw = tmp_path / "sommet.txt"
    raw.write_text(
        " date 2025-05\nKuala Lumpur (VNA) - Le Premier ministre a pris part lundi au quarante-sixième Sommet de "
        "l'ASEAN, puis au 2e Sommet ASEAN-CCG.\n",
        encoding="utf-8",
    )
    proc = run_cli(project, "import", "--dry-run", "--json", str(raw), env={"PYTHONPATH": str(hidden)})
    assert proc.returncode == 0, proc.stderr
    assert "text2num is not installed" in proc.stderr
    assert "sommet-asean-ccg-2" in json.loads(proc.stdout)["conferences"]  # the rest of the import unchanged


# -- dates ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        ("Ouverte le 11 mars à Hanoï, la conférence a reçu le lendemain le Premier ministre.", "2019-03-12"),
        ("Le forum s'ouvre ce mardi 12 mars à Hanoï. La veille, le ministre a réuni les provinces.", "2019-03-11"),
        ("Le ministre a présenté mardi 12 mars le bilan de la conférence, ouverte la veille.", "2019-03-12"),
        ("La réunion s'est tenue mardi 12 mars, afin de préparer le sommet prévu le lendemain.", "2019-03-12"),
        ("Le ministre a présenté le 12 mars le bilan, au lendemain de la 19e Conférence.", "2019-03-12"),
    ],
)
def test_the_next_day_or_the_eve_of_the_date_the_lead_writes(taxonomy, lead, expected):
    rec = imp(taxonomy, f" date 2019-03\nHanoï (VNA) - {lead}")
    assert rec.meta["date"] == expected


@pytest.mark.parametrize("words", ["le 14 courant", "dans la matinée du 14"])
def test_a_day_without_its_month_is_in_the_filing_month(taxonomy, words):
    rec = imp(taxonomy, f" date 2022-06\nHanoï (VNA) - Le ministre a inauguré {words} le nouveau centre de presse.")
    assert rec.meta["date"] == "2022-06-14"


def test_a_day_of_the_month_followed_by_its_month_is_not_a_bare_day(taxonomy):
    rec = imp(taxonomy, " date 2022-06\nHanoï (VNA) - Dans la matinée du 14 juillet, le ministre a reçu l'ambassadeur.")
    assert rec.meta["date"] == "2022-07-14"


def test_the_headline_dates_a_lead_that_gives_only_a_weekday(taxonomy):
    rec = imp(
        taxonomy,
        "ASEAN-37 (12 novembre) : les dirigeants adoptent un cadre de relance\n\nHanoï (VNA) - Le 37e Sommet de "
        "l'ASEAN s'est ouvert ce jeudi en ligne sous la présidence du Premier ministre Nguyên Xuân Phuc.",
    )
    assert rec.meta["date"] == "2020-11-12"


def test_a_report_learnt_days_later_is_dated_by_its_event(taxonomy):
    rec = imp(
        taxonomy,
        " date 2019-06-25\nHanoï (VOV) - Le Vietnam a plaidé pour le multilatéralisme lors du 34e Sommet de l'ASEAN, "
        "qui s'était tenu le 23 juin à Bangkok, a-t-on appris mardi auprès du ministère.",
    )
    assert rec.meta["date"] == "2019-06-23"


def test_a_line_between_the_headline_and_the_dateline_is_the_standfirst_not_the_lead(taxonomy):
    rec = imp(
        taxonomy,
        " date 2016-08 La diplomatie culturelle au menu de la deuxième journée\nLes diplomates appelés à « raconter le "
        "Vietnam »\n\nHanoï (VNA) - Au deuxième jour de ses travaux, mardi, la 29e Conférence diplomatique a débattu "
        "de la diplomatie culturelle.\n\nLe débat a duré trois heures. -VNA",
    )
    assert rec.meta["summary"] == "Les diplomates appelés à « raconter le Vietnam »"
    assert rec.extra["body_paragraphs"] == 2 and rec.meta["date"] == "2016-08-23"


@pytest.mark.parametrize("place", ["l'arrondissement de Ba Dinh", "la commune de Tân Lâp", "la pagode de Tran Quoc"])
def test_a_name_after_a_place_noun_is_a_place(taxonomy, place):
    rec = imp(
        taxonomy,
        f" date 2024-09\nHanoï (VNA) - La ministre de la Santé, Dao Hông Lan, a visité jeudi {place}, à Hanoï.",
    )
    assert rec.meta["ministers"] == ["dao-hong-lan"] and rec.meta["people"] == []
