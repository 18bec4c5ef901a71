"""Atom feeds, sitemaps with reciprocal hreflang + x-default, news sitemap and robots.txt."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from conftest import run_cli
from sitecheck import parse

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


@pytest.fixture
def site(bundled: Path) -> Path:
    assert run_cli(bundled, "build", "--base-url", "https://portal.example/sub/").returncode == 0
    return bundled / "output"


def test_feeds_parse_cleanly_with_absolute_urls(site):
    feeds = sorted(site.rglob("feed.xml"))
    assert len(feeds) >= 10
    for path in feeds:
        f = feedparser.parse(path.read_bytes())
        assert not f.bozo, (path, f.get("bozo_exception"))
        lang = path.relative_to(site).parts[0]
        assert f.feed.language == lang
        assert f.feed.updated and f.entries
        for e in f.entries:
            assert e.link.startswith(f"https://portal.example/sub/{lang}/articles/") and e.updated
            target = site / e.link.removeprefix("https://portal.example/sub/") / "index.html"
            assert target.exists()


def test_every_page_links_its_feed(site):
    for page in site.rglob("index.html"):
        if page.parent == site:
            continue
        links = [a for tag, _, a in parse(page).links if tag == "link" and a.get("type") == "application/atom+xml"]
        assert len(links) == 1, page
        assert (site / links[0]["href"].removeprefix("https://portal.example/sub/")).exists()


def test_sitemap_pairs_are_reciprocal_with_x_default(site):
    root = ET.parse(site / "sitemap.xml").getroot()
    entries = {}
    for url in root.findall("sm:url", NS):
        loc = url.find("sm:loc", NS).text
        entries[loc] = {ln.get("hreflang"): ln.get("href") for ln in url.findall("xhtml:link", NS)}
    pages = [p for p in site.rglob("index.html") if p.parent != site]
    assert len(entries) == len(pages)
    paired = 0
    for loc, alts in entries.items():
        assert loc.startswith("https://portal.example/sub/")
        if not alts:
            continue
        paired += 1
        assert set(alts) == {"fr", "en", "x-default"}
        assert alts["x-default"] == alts["fr"]
        assert loc in alts.values()
        for lang in ("fr", "en"):
            assert entries[alts[lang]] == alts  # reciprocal: the other version lists the same pair
    assert paired >= 20


def test_news_sitemap_and_robots(site):
    root = ET.parse(site / "news-sitemap.xml").getroot()
    items = root.findall("sm:url", NS)
    assert items
    for url in items:
        assert url.find("news:news/news:publication/news:language", NS).text in ("fr", "en")
        assert url.find("news:news/news:title", NS).text
    robots = (site / "robots.txt").read_text()
    assert "Sitemap: https://portal.example/sub/sitemap.xml" in robots


def test_head_metadata(site):
    page = next((site / "en" / "articles").glob("*/index.html"))
    html = page.read_text(encoding="utf-8")
    for needle in (
        'property="og:locale" content="en_GB"',
        'property="og:locale:alternate" content="fr_FR"',
        'property="og:type" content="article"',
        'name="twitter:card"',
        '"translationOfWork"',
        '<meta name="description"',
    ):
        assert needle in html, needle
    fr = (site / "fr" / "articles" / page.parent.name / "index.html").read_text(encoding="utf-8")
    assert '"workTranslation"' in fr and 'property="og:locale" content="fr_FR"' in fr
