"""The reader's pages of the built bundled site: wording per language, series, conference phases, minister
role history, dossiers, related dispatches; and the pure helpers behind them."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, make_project, run_cli

from briefing import guide
from briefing.render import load_strings
from briefing.taxonomy import Conference
from briefing.wording import Wording


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("reader") / "portal", with_content=True)
    proc = run_cli(root, "build", "--no-search")
    assert proc.returncode == 0, proc.stderr
    return root / "output"


class _Text(HTMLParser):
    """The visible text of a page, without what is marked French (lang="fr") and without scripts."""

    VOID = {"br", "img", "meta", "link", "input", "hr", "source", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: inside French or a script?
        self.parts: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        hidden = (self.stack[-1] if self.stack else False) or a.get("lang") == "fr" or tag in ("script", "style")
        if not hidden:
            self.attrs += [str(a[k]) for k in ("title", "aria-label", "alt", "content") if a.get(k)]
        if tag not in self.VOID:
            self.stack.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def english_text(html: str) -> str:
    p = _Text()
    p.feed(html)
    return " ".join(p.parts + p.attrs)


FRENCH_MARKS = [
    (re.compile(r"[\u00a0\u202f ][:;!?](\s|$)"), "French spacing before punctuation"),
    (re.compile(r"[\u202f]"), "narrow no-break space"),
    (re.compile(r"Hanoï"), "French place name"),
    (re.compile(r"\bd[ée]p[êe]ches?\b", re.I), "French word 'dépêche'"),
    (re.compile(r"\b(Fonction|Lieu|Accueil|Conférences?|Ministres?)\b"), "French interface word"),
    (re.compile(r"\ben ligne\b"), "French place 'en ligne'"),
    (re.compile(r"\b1 dispatches\b"), "plural with one"),
]


def test_english_pages_are_free_of_french_typography_and_words(site):
    pages = sorted((site / "en").rglob("*.html"))
    assert len(pages) >= 25
    for page in pages:
        text = english_text(page.read_text(encoding="utf-8"))
        for pattern, what in FRENCH_MARKS:
            m = pattern.search(text)
            assert m is None, f"{page.relative_to(site)}: {what}: …{text[max(0, m.start() - 40) : m.end() + 40]}…"


def test_the_checker_itself_catches_french_on_an_english_page():
    assert english_text('<p>Source : VNA</p><p lang="fr">Lieu : Hanoï</p>') == "Source : VNA"
    assert FRENCH_MARKS[0][0].search("Source : VNA")
    assert not FRENCH_MARKS[0][0].search(english_text('<p lang="fr">Source : VNA</p>'))


def test_french_pages_use_french_spacing(site):
    home = (site / "fr" / "index.html").read_text(encoding="utf-8")
    assert "Source\u00a0: Vietnam News Agency" in home
    assert "Source: " not in home
    assert "Source: Vietnam News Agency" in (site / "en" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "lang, one, two, thousands",
    [
        ("en", "1 dispatch", "2 dispatches", "5,000 dispatches"),
        ("fr", "1 dépêche", "2 dépêches", "5\u202f000 dépêches"),
    ],
)
def test_counts_follow_each_languages_plural_rules(taxonomy, lang, one, two, thousands):
    w = Wording(lang, load_strings(ROOT / "theme")[lang], taxonomy)
    assert (w.count("dispatches", 1), w.count("dispatches", 2), w.count("dispatches", 5000)) == (one, two, thousands)
    # CLDR: French groups 0 with 1 ("0 dépêche"), English does not
    assert w.count("dispatches", 0) == ("0 dépêche" if lang == "fr" else "0 dispatches")


@pytest.mark.parametrize(
    "lang, day, month, span, same_day",
    [
        ("fr", "18 décembre 2023", "août 2016", "19–23 déc. 2023", "13 décembre 2021"),
        ("en", "December 18, 2023", "August 2016", "Dec 19\u2009–\u200923, 2023", "December 13, 2021"),
    ],
)
def test_dates_are_rendered_per_language(taxonomy, lang, day, month, span, same_day):
    w = Wording(lang, load_strings(ROOT / "theme")[lang], taxonomy)
    assert w.day(dt.date(2023, 12, 18)) == day
    assert w.day(dt.date(2016, 8, 1), "month") == month
    month_only = _conf(start=dt.date(2016, 8, 1), end=dt.date(2016, 8, 1), day_known=False)
    assert w.dates(month_only) == month  # known to the month only
    assert w.dates(taxonomy.conferences["conference-diplomatique-32"]) == span
    assert w.dates(taxonomy.conferences["conference-affaires-etrangeres-20"]) == same_day


def test_english_place_names_come_from_the_taxonomy(taxonomy):
    strings = load_strings(ROOT / "theme")
    en, fr = Wording("en", strings["en"], taxonomy), Wording("fr", strings["fr"], taxonomy)
    assert (en.place("Hanoï"), fr.place("Hanoï")) == ("Hanoi", "Hanoï")
    assert (en.place("en ligne"), fr.place("en ligne")) == ("online", "en ligne")
    assert en.place("Vientiane") == "Vientiane"


def test_every_known_conferences_place_has_its_english_name_on_english_pages(taxonomy):
    # a series page lists every known instance: "Singapour", "Pékin" or "Manille" there would be French on an
    # English page
    en = Wording("en", load_strings(ROOT / "theme")["en"], taxonomy)
    declared = {term.fr for term in taxonomy.places} | set(load_strings(ROOT / "theme")["en"]["place_names"])
    places = {c.place for c in taxonomy.conferences.values() if c.place}
    # a name with letters beyond ASCII is French ("Genève", "Dubaï") unless its English form says otherwise
    assert not {p for p in places if re.search(r"[^\x00-\x7f]", p) and p not in declared}
    shown = [en.place(p) for p in ("Singapour", "Manille", "Pékin", "Bruxelles", "Riyad", "Varsovie", "Genève")]
    assert shown == ["Singapore", "Manila", "Beijing", "Brussels", "Riyadh", "Warsaw", "Geneva"]


def _conf(**kw) -> Conference:
    base = dict(
        id="cd-32",
        kind="cd",
        number=32,
        fr="32e",
        en="32nd",
        start=dt.date(2023, 12, 19),
        end=dt.date(2023, 12, 23),
        day_known=True,
        place="Hanoï",
    )
    return Conference(**{**base, **kw})  # type: ignore[arg-type]


def test_phase_of_a_dispatch_against_its_conference():
    c = _conf()
    assert guide.phase(c, dt.date(2023, 12, 18), "day") == "before"
    assert guide.phase(c, dt.date(2023, 12, 19), "day") == "during"
    assert guide.phase(c, dt.date(2023, 12, 23), "day") == "during"
    assert guide.phase(c, dt.date(2023, 12, 24), "day") == "after"
    assert guide.phase(c, dt.date(2023, 12, 1), "month") is None  # the dispatch's day is not known
    assert guide.phase(_conf(day_known=False), dt.date(2023, 12, 18), "day") is None


def test_neighbours_in_a_series_listed_newest_first():
    series = [_conf(id=f"cd-{n}", number=n, start=dt.date(2000 + n, 1, 1)) for n in (32, 31, 30)]
    assert [c and c.id for c in guide.neighbours(series, "cd-31")] == ["cd-30", "cd-32"]
    assert [c and c.id for c in guide.neighbours(series, "cd-32")] == ["cd-31", None]
    assert [c and c.id for c in guide.neighbours(series, "cd-30")] == [None, "cd-31"]


@pytest.mark.parametrize(
    "lang, label, hanoi", [("en", "Before the opening", "Hanoi"), ("fr", "Avant l'ouverture", "Hanoï")]
)
def test_conference_page_dates_place_series_and_phases(site, lang, label, hanoi):
    html = (site / lang / "conferences" / "conference-diplomatique-32" / "index.html").read_text(encoding="utf-8")
    day = re.search(
        r'<h3 class="day"><time datetime="2023-12-18">[^<]+</time> <span class="phase phase-before">([^<]+)', html
    )
    assert day and day.group(1).replace("&#39;", "'") == label  # dispatch of 18 Dec, the conference opened on the 19th
    assert f"<dd>{hanoi}</dd>" in html
    # previous instance of the series, linked (it has dispatches); the series page linked
    assert re.search(rf'rel="prev" href="/{lang}/conferences/conference-diplomatique-31/"', html)
    assert f'href="/{lang}/series/conference-diplomatique/"' in html
    assert f'href="/{lang}/conferences/conference-diplomatique-32/dossier/"' in html
    assert re.search(rf'class="tag tag-person" href="/{lang}/[a-z]+/le-thi-thu-hang/"', html)  # its minister


def test_series_page_lists_every_known_instance_newest_first_linking_those_with_pages(site, taxonomy):
    html = (site / "en" / "series" / "conference-diplomatique" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr( class="has-page")?><th scope="row">(?:<a href="([^"]+)">)?([^<]+)', html)
    known = sorted(
        (c for c in taxonomy.conferences.values() if c.kind == "conference-diplomatique"),
        key=lambda c: c.start,
        reverse=True,
    )
    assert [name for _, _, name in rows] == [c.en for c in known]
    linked = {name for has, href, name in rows if href}
    assert linked == {"31st Diplomatic Conference", "32nd Diplomatic Conference"}  # the ones with dispatches
    assert not (site / "en" / "conferences" / "conference-diplomatique-30").exists()  # no page without dispatches
    index = (site / "en" / "series" / "index.html").read_text(encoding="utf-8")
    assert 'href="/en/series/conference-diplomatique/"' in index
    assert not (site / "en" / "series" / "amm").exists()  # a series with no dispatch gets no page


def test_minister_page_role_history_and_years(site, taxonomy):
    html = (site / "en" / "ministers" / "bui-thanh-son" / "index.html").read_text(encoding="utf-8")
    person = taxonomy.people["bui-thanh-son"]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td><time datetime="([\d-]+)"', html)
    assert sorted(rows) == sorted((r.en, r.start.isoformat()) for r in person.roles if r.start)
    years = re.findall(r'<h3 class="year">(\d{4})</h3>', html)
    assert years == ["2023", "2021"]  # newest first
    assert '<svg class="timeline tenures" role="img"' in html
    assert html.count('class="appearance"') == 2  # one tick per dispatch
    assert re.search(r'class="tag tag-conference" href="/en/conferences/conference-diplomatique-31/"', html)


def test_dossier_holds_every_dispatch_oldest_first_with_contents(site):
    for lang, section in (("fr", "ministres"), ("en", "ministers")):
        page = site / lang / section / "bui-thanh-son" / "index.html"
        listed = re.findall(rf'<li>\s*<a href="/{lang}/articles/([^/]+)/">', page.read_text(encoding="utf-8"))
        dossier = (page.parent / "dossier" / "index.html").read_text(encoding="utf-8")
        toc = re.findall(r'<li><a href="#d-([^"]+)">', dossier)
        entries = re.findall(
            r'<article class="dispatch in-dossier" id="d-([^"]+)"[^>]*>\s*<h2[^>]*>[^<]*</h2>\s*<p class="meta"><time datetime="([\d-]+)"',
            dossier,
        )
        assert toc == [slug for slug, _ in entries] and sorted(toc) == sorted(listed)  # anchors are permalinks
        dates = [day for _, day in entries]
        assert len(dates) == len(listed) and dates == sorted(dates)
        for slug in listed:
            assert f'href="/{lang}/articles/{slug}/"' in dossier


def test_related_dispatches_put_the_same_conference_first(site):
    slug = "le-ministere-des-affaires-etrangeres-a-organise-le-18-decembre-la-21e-conference"
    html = (site / "fr" / "articles" / slug / "index.html").read_text(encoding="utf-8")
    aside = html[html.index('<aside class="related"') :]
    related = re.findall(r'href="/fr/articles/([^/]+)/"', aside)
    # same conference (21st conference on local foreign affairs) first, then same minister (Bui Thanh Son)
    assert related[0] == "la-vice-ministre-des-affaires-etrangeres-le-thi-thu-hang-a-souligne-les"
    assert "le-ministere-des-affaires-etrangeres-organise-lundi-13-decembre-la-20e" in related[1:]
    assert slug not in related


def test_only_conferences_and_people_with_dispatches_get_pages(site, taxonomy):
    built = {p.name for p in (site / "en" / "conferences").iterdir() if p.is_dir()}
    assert built and built < set(taxonomy.conferences)
    people = {p.name for p in (site / "en" / "ministers").iterdir() if p.is_dir()}
    assert people and len(people) < len(taxonomy.people)


def test_an_instance_no_data_declare_gets_its_page_named_from_its_kind(tmp_path, taxonomy):
    assert "amm-59" not in taxonomy.conferences
    root = make_project(tmp_path / "portal", with_content=True)
    for lang in ("fr", "en"):  # an article and its English, filed under the undeclared instance
        src = next((root / "content" / lang).glob("le-ministere-des-affaires-etrangeres-a-organise-le-18-*.md"))
        text = src.read_text(encoding="utf-8").replace("- conference-affaires-etrangeres-21\n", "- amm-59\n", 1)
        (root / "content" / lang / "reunion-amm-59.md").write_text(text, encoding="utf-8")
    proc = run_cli(root, "build", "--no-search")
    assert proc.returncode == 0, proc.stderr
    for lang, folder, name in (
        ("fr", "conferences", "59e Réunion des ministres des Affaires étrangères de l’ASEAN"),
        ("en", "conferences", "59th ASEAN Foreign Ministers’ Meeting"),
    ):
        page = root / "output" / lang / folder / "amm-59" / "index.html"
        assert page.is_file(), sorted(p.name for p in (root / "output" / lang / folder).iterdir())
        assert name.replace("’", "'") in page.read_text(encoding="utf-8").replace("&#39;", "'").replace("’", "'")
