"""Hostile content goes through import and build; in a real browser no script from content runs and the
text shows literally."""

from __future__ import annotations

import json
import re

import pytest
from browser import chromium, served
from conftest import run_cli

pytestmark = pytest.mark.browser

HOSTILE_RAW = """Alerte "><script>window.__xss=1</script> « titre » & 'quotes'

Hanoï (VNA) - Le ministre Bui Thanh Son a reçu lundi 13 décembre 2021 une délégation. <script>window.__xss=2</script> \
<img src=x onerror="window.__xss=3"> [clic](javascript:window.__xss=4) </p><iframe src="javascript:alert(5)">

Un "><svg onload=window.__xss=6> second paragraphe avec </script><script>window.__xss=7</script> et \\u003c.

Légende piégée "><img src=x onerror=window.__xss=8>. Photo: VNA

Dernier paragraphe. -VNA
"""

HOSTILE_MD = """---
title: '"><script>window.__xss=9</script>'
date: 2021-12-14
lang: fr
conferences: []
ministers: [bui-thanh-son]
summary: '</script><script>window.__xss=10</script>'
captions: ['"><img src=x onerror=window.__xss=11>']
---

Texte avec <script>window.__xss=12</script> du HTML brut, un <a href="javascript:window.__xss=13">lien</a>,
un [lien Markdown](javascript:window.__xss=14), une image ![x](data:text/html;base64,PHNjcmlwdD4=) et
<b onclick="window.__xss=15">gras</b>.
"""


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    from html.parser import HTMLParser

    found: list[tuple[str, dict[str, str | None]]] = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
            found.append((tag, dict(attrs)))

    P().feed(html)
    return found


def test_no_script_from_content_ever_runs(bundled, tmp_path):
    raw = tmp_path / "hostile.txt"
    raw.write_text(HOSTILE_RAW, encoding="utf-8")
    imp = run_cli(bundled, "import", str(raw))
    assert imp.returncode == 0, imp.stderr
    (bundled / "content" / "fr" / "editeur-hostile.md").write_text(HOSTILE_MD, encoding="utf-8")
    build = run_cli(bundled, "build")
    assert build.returncode == 0, build.stderr

    site = bundled / "output"
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        tags = _tags(html)
        # the only SVG is the theme's own timeline chart (content never gets one: the sanitiser drops svg)
        ours = {"archive-tl-t", "person-tl-t"}
        assert not [
            t
            for t, a in tags
            if t in ("iframe", "object", "embed") or (t == "svg" and a.get("aria-labelledby") not in ours)
        ], page
        for t, a in tags:  # scripts: JSON-LD data, or the search page's own files; never content
            if t == "script":
                assert a.get("type") == "application/ld+json" or re.fullmatch(
                    r"/(?:pagefind/pagefind-ui\.js|assets/(?:search|lang)\.[0-9a-f]{10}\.js)", a.get("src") or ""
                ), (page, a)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            data = json.loads(block)  # a "</script>" in a title cannot close the block: it is escaped
            assert isinstance(data, dict) and "headline" in data
        for tag, attrs in tags:
            assert not [a for a in attrs if a.startswith("on")], (page, tag, attrs)
            for name in ("href", "src", "action"):
                value = (attrs.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), (page, tag, value)

    imported = next(
        p.parent.name for p in (site / "fr" / "articles").glob("*/index.html") if p.parent.name.startswith("alerte")
    )
    dialogs: list[str] = []
    with served(bundled) as url, chromium() as browser:
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in (f"fr/articles/{imported}/", "fr/articles/editeur-hostile/", "fr/", "fr/ministres/bui-thanh-son/"):
            page.goto(url + path)
            page.wait_for_load_state("load")
            assert page.evaluate("window.__xss") is None, path
        page.goto(url + f"fr/articles/{imported}/")
        body = page.locator("article").inner_text()
        assert "<script>window.__xss=2</script>" in body  # shown literally, as the agency wrote it
        assert '"><svg onload=window.__xss=6>' in body
        title = page.locator("h1").inner_text()
        assert '"><script>window.__xss=1</script>' in title
        page.goto(url + "fr/articles/editeur-hostile/")
        assert page.locator("h1").inner_text() == '"><script>window.__xss=9</script>'
        assert page.locator(".body a[href^='javascript']").count() == 0
        ld = json.loads(page.locator("script[type='application/ld+json']").inner_text())
        assert ld["headline"] == '"><script>window.__xss=9</script>' and ld["description"].startswith("</script>")
    assert dialogs == []
