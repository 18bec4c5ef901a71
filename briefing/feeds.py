"""Machine-readable outputs: Atom feeds (feedgen), sitemaps with hreflang pairs, the news sitemap, robots.txt.

All dates come from the content, never from the clock, so two builds of the same inputs are byte-identical.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

from .config import Config

SM_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


def _stamp(day: dt.date | None) -> dt.datetime:
    """Midnight UTC of the article's day (a datetime, so feedgen need not parse a string)."""
    return dt.datetime.combine(day or dt.date(2000, 1, 1), dt.time(), dt.UTC)


def atom(cfg: Config, lang: str, title: str, self_url: str, page_url: str, entries: list[Any]) -> bytes:
    """entries: list Summaries (slug, title, date, summary), newest first."""
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(cfg.base_url + self_url)
    fg.title(title)
    fg.language(lang)
    fg.link(href=cfg.base_url + self_url, rel="self", type="application/atom+xml")
    fg.link(href=cfg.base_url + page_url, rel="alternate", type="text/html")
    fg.author(
        {"name": cfg.publisher_name, "uri": cfg.publisher_url} if cfg.publisher_url else {"name": cfg.publisher_name}
    )
    fg.updated(_stamp(max((e.date for e in entries if e.date), default=None)))
    fg.generator("briefing portal")
    from .site import url_for

    for e in entries:
        item = fg.add_entry(order="append")
        url = cfg.base_url + url_for(lang, "article", e.slug)
        item.id(url)
        item.title(e.title)
        item.link(href=url)
        item.updated(_stamp(e.date))
        item.published(_stamp(e.date))
        if e.summary:
            item.summary(e.summary)
    return fg.atom_str(pretty=True)


def sitemap(cfg: Config, lines: tuple[str, ...]) -> bytes:
    """lines: "url TAB lang=url|lang=url TAB lastmod" per page (see site._sitemaps). Reciprocal hreflang + x-default."""
    urls: list[tuple[str, dict[str, str], str | None]] = []
    for line in lines:
        url, listed, stamp = line.split("\t")
        urls.append((url, dict(v.split("=", 1) for v in listed.split("|") if v), stamp or None))
    ET.register_namespace("", SM_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    root = ET.Element(f"{{{SM_NS}}}urlset")
    for url, versions, lastmod in urls:
        node = ET.SubElement(root, f"{{{SM_NS}}}url")
        ET.SubElement(node, f"{{{SM_NS}}}loc").text = cfg.base_url + url
        if lastmod:
            ET.SubElement(node, f"{{{SM_NS}}}lastmod").text = lastmod
        if len(versions) > 1:
            for lang in sorted(versions):
                ET.SubElement(
                    node, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=lang, href=cfg.base_url + versions[lang]
                )
            default = versions.get(cfg.default_language) or next(iter(sorted(versions.values())))
            ET.SubElement(
                node, f"{{{XHTML_NS}}}link", rel="alternate", hreflang="x-default", href=cfg.base_url + default
            )
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def news_sitemap(cfg: Config, items: list[tuple[str, str, str, dt.date]]) -> bytes:
    """items: (url, lang, title, date) of the archive's last two days (news sitemaps hold recent articles)."""
    ET.register_namespace("", SM_NS)
    ET.register_namespace("news", NEWS_NS)
    root = ET.Element(f"{{{SM_NS}}}urlset")
    for url, lang, title, day in items:
        node = ET.SubElement(root, f"{{{SM_NS}}}url")
        ET.SubElement(node, f"{{{SM_NS}}}loc").text = cfg.base_url + url
        news = ET.SubElement(node, f"{{{NEWS_NS}}}news")
        pub = ET.SubElement(news, f"{{{NEWS_NS}}}publication")
        ET.SubElement(pub, f"{{{NEWS_NS}}}name").text = cfg.title[lang]
        ET.SubElement(pub, f"{{{NEWS_NS}}}language").text = lang
        ET.SubElement(news, f"{{{NEWS_NS}}}publication_date").text = day.isoformat()
        ET.SubElement(news, f"{{{NEWS_NS}}}title").text = title
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(cfg: Config) -> bytes:
    return (
        f"User-agent: *\nAllow: /\n\nSitemap: {cfg.base_url}sitemap.xml\nSitemap: {cfg.base_url}news-sitemap.xml\n"
    ).encode()
