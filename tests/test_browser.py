"""Real headless Chromium (Debian) against the served portal."""

from __future__ import annotations

import json
import re
import time
import urllib.request

import pytest
from browser import chromium, served, wait_live

pytestmark = pytest.mark.browser


def test_language_switch_and_minister_link(bundled, artifacts):
    with served(bundled) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url + "fr/")
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.locator("h1").inner_text() == "Briefing diplomatique du Vietnam"
        page.screenshot(path=str(artifacts / "home-fr-1280.png"), full_page=True)

        page.click("a.switch")
        page.wait_for_url(re.compile(r"/en/$"))
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("h1").inner_text() == "Vietnam Diplomatic Briefing"

        page.click("text=Bui Thanh Son")
        page.wait_for_url(re.compile(r"/en/ministers/bui-thanh-son/$"))
        assert page.locator("h1").inner_text() == "Bui Thanh Son"
        assert "Minister of Foreign Affairs" in page.locator("p.role").inner_text()
        titles = page.locator("ol.articles li > a").all_inner_texts()
        assert len(titles) == 2

        page.locator("ol.articles li > a").first.click()
        page.wait_for_url(re.compile(r"/en/articles/[^/]+/$"))
        assert "Machine translation" in page.locator("p.notice").inner_text()
        en_url = page.url
        page.screenshot(path=str(artifacts / "article-en-1280.png"), full_page=True)
        page.click("a.switch")
        page.wait_for_url(re.compile(r"/fr/articles/[^/]+/$"))
        assert page.url.replace("/fr/", "/en/") == en_url  # same article in the other language

        phone = browser.new_page(viewport={"width": 360, "height": 740})
        phone.goto(en_url)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        phone.screenshot(path=str(artifacts / "article-en-360.png"), full_page=True)


def test_live_reload_shows_an_edit_without_a_manual_reload(bundled):
    md = sorted((bundled / "content" / "fr").glob("*.md"))[0]
    with served(bundled) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(f"{url}fr/articles/{md.stem}/")
        wait_live(url)
        text = md.read_text(encoding="utf-8")
        md.write_text(text.rstrip() + "\n\nPhrase ajoutée en direct par l'éditeur.\n", encoding="utf-8")
        start = time.monotonic()
        page.wait_for_function(
            '() => document.body.innerText.includes("Phrase ajoutée en direct par l\'éditeur.")', timeout=5000
        )
        elapsed = time.monotonic() - start
        assert elapsed < 2.5, elapsed


def test_build_error_overlay_names_file_and_line_then_goes_away(bundled):
    md = sorted((bundled / "content" / "fr").glob("*.md"))[0]
    good = md.read_text(encoding="utf-8")
    with served(bundled) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(f"{url}fr/articles/{md.stem}/")
        wait_live(url)
        broken = good.replace("ministers:", "ministers: [unclosed", 1)
        md.write_text(broken, encoding="utf-8")
        overlay = page.locator("#briefing-build-error")
        overlay.wait_for(timeout=5000)
        text = overlay.inner_text()
        from briefing.errors import SourceError
        from briefing.frontmatter import parse_front_matter

        with pytest.raises(SourceError) as err:
            parse_front_matter(broken, md)
        assert "invalid YAML" in text, text
        assert f"{md.name}:{err.value.line}:{err.value.col}" in text, text  # the same place the terminal gives
        assert f"{err.value.line:>5} | " in text  # with the excerpt around that line
        assert page.locator("h1").count() == 1  # the last good page is still there under the overlay
        md.write_text(good.rstrip() + "\n\nCorrigé par l'éditeur.\n", encoding="utf-8")
        overlay.wait_for(state="detached", timeout=5000)
        page.wait_for_function('() => document.body.innerText.includes("Corrigé par l\'éditeur.")', timeout=5000)


def test_ten_saves_at_once_give_one_rebuild(bundled):
    staged = []
    for i, md in enumerate(sorted((bundled / "content" / "fr").glob("*.md"))[:5]):
        for lang in ("fr", "en"):
            src = bundled / "content" / lang / md.name
            staged.append((src, (src.read_text(encoding="utf-8") + f"\nAjout {i}.\n").encode("utf-8")))
    assert len(staged) == 10
    with served(bundled):
        log = bundled / "serve.log"
        time.sleep(1.5)
        before = log.read_text().count("rebuilt in")
        for dest, data in staged:  # ten files saved "at once", as an editor's "save all" does
            dest.write_bytes(data)
        time.sleep(3)
        after = log.read_text().count("rebuilt in")
    assert after - before == 1, log.read_text()


def test_css_change_applies_without_a_page_reload(bundled):
    css = bundled / "theme" / "static" / "style.css"
    with served(bundled) as url, chromium() as browser:
        with urllib.request.urlopen(url + "__briefing__/status") as answer:
            assert json.load(answer)["browsers"] == 0  # no page open yet: the count is the server's, not a default
        page = browser.new_page()
        page.goto(url + "fr/")
        wait_live(url)
        page.evaluate("window.__still_here = true")
        css.write_text(css.read_text(encoding="utf-8") + "\nh1 { letter-spacing: 7px; }\n", encoding="utf-8")
        page.wait_for_function(
            "() => getComputedStyle(document.querySelector('h1')).letterSpacing === '7px'", timeout=5000
        )
        assert page.evaluate("window.__still_here") is True  # the stylesheet was swapped, the page kept


@pytest.mark.parametrize("locale, expected", [("en-US", "/en/"), ("fr-FR", "/fr/"), ("de-DE", "/fr/")])
def test_root_sends_readers_to_their_language(bundled, locale, expected):
    with served(bundled) as url, chromium() as browser:
        context = browser.new_context(locale=locale)
        page = context.new_page()
        page.goto(url)
        page.wait_for_url(re.compile(re.escape(expected) + "$"), timeout=5000)
        context.close()


def _front_matter(root, lang):
    from briefing.frontmatter import parse_front_matter

    return {
        md.stem: parse_front_matter(md.read_text(encoding="utf-8"), md)[0]
        for md in (root / "content" / lang).glob("*.md")
    }


def test_series_navigation_between_instances(bundled, artifacts):
    with served(bundled) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(url + "en/conferences/conference-diplomatique-32/")
        page.click(".series-nav .all a")
        page.wait_for_url(re.compile(r"/en/series/conference-diplomatique/$"))
        assert page.locator("h1").inner_text() == "Diplomatic Conference"
        names = page.locator("table.instances tbody th").all_inner_texts()
        assert names[:2] == ["32nd Diplomatic Conference", "31st Diplomatic Conference"]  # newest first
        page.screenshot(path=str(artifacts / "series-en-1366.png"), full_page=True)
        page.click("text=31st Diplomatic Conference")
        page.wait_for_url(re.compile(r"/en/conferences/conference-diplomatique-31/$"))
        page.click("a[rel=next]")
        page.wait_for_url(re.compile(r"/en/conferences/conference-diplomatique-32/$"))
        assert page.locator(".phase-before").first.inner_text().lower() == "before the opening"
        page.click("a[rel=prev]")
        page.wait_for_url(re.compile(r"/en/conferences/conference-diplomatique-31/$"))
        page.click("a.switch")
        page.wait_for_url(re.compile(r"/fr/conferences/conference-diplomatique-31/$"))
        page.click(".breadcrumb >> text=Séries")
        page.wait_for_url(re.compile(r"/fr/series/$"))
        assert page.locator("a[href='/fr/series/conference-diplomatique/']").count() == 1


def test_timeline_is_drawn_with_an_accessible_name_and_one_mark_per_conference(bundled, taxonomy):
    for lang, name in (
        ("en", "The archive's conferences over time"),
        ("fr", "Les conférences de l'archive dans le temps"),
    ):
        expected = {
            c
            for meta in _front_matter(bundled, lang).values()
            for c in meta["conferences"]
            if c in taxonomy.conferences
        }
        with served(bundled) as url, chromium() as browser:
            page = browser.new_page()
            for path in (f"{lang}/", f"{lang}/conferences/"):
                page.goto(url + path)
                chart = page.get_by_role("img", name=name)
                assert chart.count() == 1, path
                assert chart.evaluate("e => e.tagName") == "svg"
                marks = page.locator("svg.timeline circle.mark")
                ids = marks.evaluate_all("els => els.map(e => e.dataset.conference)")
                assert sorted(ids) == sorted(expected), path  # one mark per conference, none missing
                assert marks.first.bounding_box()["width"] > 0  # drawn, not just present
                # the same data as a table for screen readers
                assert page.locator("figure.chart table tbody tr").count() == len(expected)
                assert page.evaluate(
                    "() => performance.getEntriesByType('resource').every(r => r.name.startsWith(location.origin))"
                )


def test_minister_timeline_shows_tenures_and_appearances(bundled, taxonomy):
    with served(bundled) as url, chromium() as browser:
        page = browser.new_page()
        page.goto(url + "en/ministers/bui-thanh-son/")
        chart = page.get_by_role("img", name="Bui Thanh Son: roles and dispatches over time")
        assert chart.count() == 1
        roles = [r for r in taxonomy.people["bui-thanh-son"].roles if r.start]
        assert chart.locator("rect.tenure").count() == len(roles)
        listed = page.locator("ol.articles li > a").count()
        assert chart.locator("line.appearance").count() == listed


def test_dossier_has_every_dispatch_in_order_and_prints_without_navigation(bundled, artifacts):
    metas = _front_matter(bundled, "en")
    mine = sorted(str(m["date"]) for m in metas.values() if "bui-thanh-son" in m["ministers"])
    with served(bundled) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(url + "en/ministers/bui-thanh-son/")
        page.click(".dossier-link a")
        page.wait_for_url(re.compile(r"/en/ministers/bui-thanh-son/dossier/$"))
        articles = page.locator("article.in-dossier")
        assert articles.count() == len(mine) >= 2
        dates = articles.evaluate_all("els => els.map(e => e.querySelector('time').getAttribute('datetime'))")
        assert dates == mine  # every dispatch, oldest first
        toc = page.locator("nav.toc li a")
        assert toc.count() == len(mine)
        second = toc.nth(1).get_attribute("href")
        assert second.startswith("#d-") and second[3:] in {
            slug for slug, m in metas.items() if "bui-thanh-son" in m["ministers"]
        }
        toc.nth(1).click()
        assert page.url.endswith(second)
        assert page.locator("header.masthead").is_visible() and page.locator("nav.breadcrumb").is_visible()
        page.screenshot(path=str(artifacts / "dossier-en-1366.png"), full_page=True)
        page.emulate_media(media="print")
        assert not page.locator("header.masthead").is_visible()
        assert not page.locator("nav.breadcrumb").is_visible()
        assert not page.locator("footer.colophon").is_visible()
        assert page.locator("nav.toc").is_visible() and articles.nth(len(mine) - 1).is_visible()
        breaks = articles.evaluate_all("els => els.map(e => getComputedStyle(e).breakBefore)")
        assert breaks == ["page"] * len(mine)
        page.pdf(path=str(artifacts / "dossier-en.pdf"))


def test_english_pages_read_without_french_typography_in_the_browser(bundled):
    from conftest import run_cli

    assert run_cli(bundled, "build", "--no-search").returncode == 0
    paths = sorted(
        p.relative_to(bundled / "output").as_posix() for p in (bundled / "output" / "en").rglob("index.html")
    )
    assert len(paths) >= 25
    script = """() => { const b = document.body.cloneNode(true);
        b.querySelectorAll('[lang=fr], script, style').forEach(e => e.remove());
        return b.innerText; }"""
    with served(bundled) as url, chromium() as browser:
        page = browser.new_page()
        for path in paths:
            page.goto(url + path[: -len("index.html")])
            text = page.evaluate(script)
            bad = re.search(
                r"[\u00a0\u202f ][:;!?](\s|$)|Hanoï|\bd[ée]p[êe]ches?\b|\ben ligne\b|\b1 dispatches\b", text
            )
            assert bad is None, (path, text[max(0, bad.start() - 40) : bad.end() + 40])


KINDS = {
    "home": ("fr/", "en/"),
    "article": (
        "fr/articles/la-vice-ministre-des-affaires-etrangeres-le-thi-thu-hang-a-souligne-les/",
        "en/articles/la-vice-ministre-des-affaires-etrangeres-le-thi-thu-hang-a-souligne-les/",
    ),
    "archive": ("fr/articles/", "en/articles/"),
    "conferences": ("fr/conferences/", "en/conferences/"),
    "conference": ("fr/conferences/conference-diplomatique-32/", "en/conferences/conference-diplomatique-32/"),
    "series-index": ("fr/series/", "en/series/"),
    "series": ("fr/series/conference-diplomatique/", "en/series/conference-diplomatique/"),
    "ministers": ("fr/ministres/", "en/ministers/"),
    "minister": ("fr/ministres/bui-thanh-son/", "en/ministers/bui-thanh-son/"),
    "dossier": ("fr/conferences/conference-diplomatique-31/dossier/", "en/ministers/bui-thanh-son/dossier/"),
    "search": ("fr/recherche/", "en/search/"),
}


def test_screenshots_of_every_kind_of_page_without_horizontal_scroll(bundled, artifacts):
    with served(bundled) as url, chromium() as browser:
        for width in (1366, 390, 360):
            page = browser.new_page(viewport={"width": width, "height": 900}, locale="fr-FR")
            for kind, paths in KINDS.items():
                for lang, path in zip(("fr", "en"), paths, strict=True):
                    page.goto(url + path)
                    assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, path)
                    if width != 360:
                        page.screenshot(path=str(artifacts / f"{kind}-{lang}-{width}.png"), full_page=True)
            page.close()
            # the root page as a reader without JavaScript sees it: both languages and their sections
            context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
            root = context.new_page()
            root.goto(url)
            assert root.locator(".root-links a").count() == 12  # per language: latest, archive, four sections
            assert root.evaluate("document.documentElement.scrollWidth") <= width
            if width != 360:
                root.screenshot(path=str(artifacts / f"root-nojs-{width}.png"), full_page=True)
            context.close()
