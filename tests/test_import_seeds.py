"""The five seed dispatches: what a careful human reader finds in each."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import RAW_SEEDS

from briefing.importer import extract

TODAY = dt.date(2026, 11, 23)

EXPECTED = {
    "000_27937e04abffe21a.txt": dict(
        title_derived=True,
        date="2021-12-13",
        date_source="stub",
        dateline="Hanoï",
        conferences=["conference-affaires-etrangeres-20", "conference-diplomatique-31"],
        ministers=["bui-thanh-son"],
        captions=3,
    ),
    "001_097acef678100456.txt": dict(
        title="Relations extérieures: les activités des localités contribuent à l'intégration internationale",
        title_derived=False,
        date="2021-12-14",
        date_source="conference",
        dateline="Hanoï",
        conferences=["conference-relations-exterieures-2021"],
        ministers=[],
        captions=1,
    ),
    "002_d2febb9ab70c2168.txt": dict(
        title_derived=True,
        date="2021-12",
        date_source="stub",
        dateline="Hanoï",
        conferences=["conference-affaires-etrangeres-20"],
        ministers=["to-anh-dung"],
        captions=1,
    ),
    "003_a3bcff71351936ca.txt": dict(
        title_derived=True,
        date="2023-12-18",
        date_source="conference",
        dateline="Hanoï",
        conferences=["conference-affaires-etrangeres-21"],
        ministers=["bui-thanh-son"],
        captions=1,
    ),
    "004_e5ffbe8a94c1b5b9.txt": dict(
        title_derived=True,
        date="2023-12-18",
        date_source="conference",
        dateline="Hanoi",
        conferences=["conference-affaires-etrangeres-21", "conference-diplomatique-32"],
        ministers=["le-thi-thu-hang"],
        captions=1,
    ),
}

LEAKS = [
    re.compile(r"Photo\s*:"),
    re.compile(r"ảnh\s*\d"),
    re.compile(r"-\s*VNA\s*$", re.M),
    re.compile(r"Voir plus"),
    re.compile(r"\(VNA\)"),
]


@pytest.fixture(scope="module")
def records(taxonomy):
    return {name: extract((RAW_SEEDS / name).read_bytes(), name, taxonomy, TODAY) for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_front_matter(records, name):
    meta = records[name].meta
    exp = EXPECTED[name]
    for key in ("date", "date_source", "dateline", "conferences", "ministers"):
        assert meta[key] == exp[key], key
    assert bool(meta.get("title_derived")) == exp["title_derived"]
    if "title" in exp:
        assert meta["title"] == exp["title"]
    assert len(meta["captions"]) == exp["captions"]
    assert meta["lang"] == "fr" and meta["source"] == "VNA"
    assert meta["original"]["file"] == name and len(meta["original"]["sha256"]) == 64
    assert meta["summary"] and len(meta["summary"]) <= 601  # whole sentences; a first one past 300 kept whole
    assert not meta["summary"].endswith("…") and meta["summary"].rstrip('"»”')[-1] in ".!?"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_body_is_the_article_only(records, name):
    body = records[name].body
    for leak in LEAKS:
        assert not leak.search(body), (leak.pattern, name)
    for caption in records[name].meta["captions"]:
        assert caption not in body


def test_teasers_after_voir_plus_are_dropped(records):
    rec = records["001_097acef678100456.txt"]
    assert "Pham Minh Chinh" not in rec.body and "AMM 58" not in rec.body
    assert rec.meta["ministers"] == [] and rec.extra["teasers"] >= 5
    assert rec.body.rstrip().endswith("contribuant au développement de l'économie maritime.")


def test_derived_titles_are_sentences_not_stubs(records):
    title = records["002_d2febb9ab70c2168.txt"].meta["title"]
    assert title.startswith("Les activités locales en matière de relations extérieures ont obtenu")
    assert not title.startswith(("date", "Hanoï", "Depuis"))
    assert records["000_27937e04abffe21a.txt"].meta["title"].startswith("Le ministère des Affaires étrangères organise")
