"""Real headless Chromium (Debian) against the served portal."""

from __future__ import annotations

import re
import time

import pytest
from browser import chromium, served

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
        page.wait_for_function("() => window.LiveReload !== undefined", timeout=10000)
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
        page.wait_for_function("() => window.LiveReload !== undefined", timeout=10000)
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
        page = browser.new_page()
        page.goto(url + "fr/")
        page.wait_for_function("() => window.LiveReload !== undefined", timeout=10000)
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
