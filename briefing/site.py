"""All articles of both languages → the site model: pages, groups, URLs and translation pairs (pure).

Every page has a *key* shared by its versions in the two languages (``("article", slug)``,
``("conference", id)``…), so the language switcher, ``hreflang`` links and the sitemap all come
from one pairing function. A page with no counterpart points to the other language's nearest
list page and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import guide
from .config import LANGS, Config
from .pages import SECTIONS, Alternate, Page, Summary, paginate, parent_key, url_for
from .sources import Article
from .taxonomy import Conference, Person, Taxonomy

__all__ = ["SECTIONS", "Page", "SiteModel", "Summary", "assemble", "list_signature", "patch", "url_for"]


@dataclass
class SiteModel:
    pages: list[Page]
    by_key: dict[tuple[str, ...], dict[str, Page]]
    _alternates: dict[tuple[str, tuple[str, ...]], list[Alternate]] = field(default_factory=dict, repr=False)
    _index: dict[tuple[str, tuple[str, ...]], int] = field(default_factory=dict, repr=False)

    def alternates(self, page: Page) -> list[Alternate]:
        hit = self._alternates.get((page.lang, page.key))
        if hit is None:
            hit = self._alternates[(page.lang, page.key)] = self._find_alternates(page)
        return hit

    def _find_alternates(self, page: Page) -> list[Alternate]:
        out = []
        for lang in LANGS:
            if lang == page.lang:
                continue
            twin = self.by_key.get(page.key, {}).get(lang)
            if twin is not None:
                out.append(Alternate(lang, twin.url, True))
            else:
                parent = self.by_key.get(parent_key(page.key), {}).get(lang)
                out.append(Alternate(lang, parent.url if parent else f"{lang}/", False))
        return out


def newest_first(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: a.sort_key, reverse=True)


def assemble(
    cfg: Config,
    tax: Taxonomy,
    articles: dict[str, dict[str, Article]],
    summaries: dict[int, tuple[Article, Summary]] | None = None,
) -> SiteModel:
    """``summaries`` (kept by a long-lived builder) reuses the Summary of an unchanged article, so its
    digest is computed once per session rather than once per build."""
    memo = summaries if summaries is not None else {}

    def summary(a: Article) -> Summary:
        hit = memo.get(id(a))
        if hit is None or hit[0] is not a:
            hit = memo[id(a)] = (a, Summary.of(a))
        return hit[1]

    pages: list[Page] = []
    for lang in LANGS:
        pages += _language_pages(cfg, tax, lang, articles, summary)
    by_key: dict[tuple[str, ...], dict[str, Page]] = {}
    for p in pages:
        by_key.setdefault(p.key, {})[p.lang] = p
    model = SiteModel(pages, by_key)
    model.pages += _sitemaps(cfg, model, articles)
    return model


def _language_pages(
    cfg: Config,
    tax: Taxonomy,
    lang: str,
    articles: dict[str, dict[str, Article]],
    summary: Callable[[Article], Summary],
) -> list[Page]:
    arts = newest_first(list(articles.get(lang, {}).values()))
    by_conf, by_min = _groups(tax, arts)
    found = [guide.lookup_conference(tax, c) for c in by_conf]
    conferences = sorted((c for c in found if c), key=lambda c: (c.start or dt.date.min, c.id), reverse=True)
    ministers = sorted((tax.people[p] for p in by_min), key=lambda p: p.en)
    conf_counts = {c: len(v) for c, v in by_conf.items()}
    min_counts = {p: len(v) for p, v in by_min.items()}
    marks = guide.marks(lang, conferences, by_conf)
    lanes = {k: getattr(kind, lang) for k, kind in tax.kinds.items()}
    home = {
        "articles": [summary(a) for a in arts[: cfg.per_page]],
        "conferences": conferences[:12],
        "ministers": ministers,
        "conf_counts": conf_counts,
        "min_counts": min_counts,
        "total": len(arts),
        "marks": marks,
        "lanes": lanes,
    }
    pages = [Page(url_for(lang, "home"), lang, ("home",), "home.html", home)]
    other = articles.get("fr" if lang == "en" else "en", {})
    pages += _article_pages(lang, arts, other, guide.Related(by_conf, by_min), summary)
    pages += paginate(
        url_for(lang, "article"), lang, ("articles",), "archive.html", [summary(a) for a in arts], cfg.per_page, {}
    )
    index = {"conferences": conferences, "conf_counts": conf_counts, "marks": marks, "lanes": lanes}
    pages.append(Page(url_for(lang, "conference"), lang, ("conferences",), "conferences.html", index))
    g = guide.Language(lang, cfg.per_page, by_conf, by_min, summary)
    series = guide.series_of(tax, conferences)
    pages += guide.conference_pages(tax, g, conferences, series)
    pages += guide.series_pages(tax, g, series)
    latest = {p: by_min[p][0].date for p in by_min}
    pages.append(
        Page(
            url_for(lang, "minister"),
            lang,
            ("ministers",),
            "ministers.html",
            {"ministers": ministers, "min_counts": min_counts, "latest": latest},
        )
    )
    pages += guide.minister_pages(tax, g, ministers)
    pages += _feeds(cfg, lang, arts, conferences, ministers, by_conf, by_min, summary)
    pages.append(Page(url_for(lang, "search"), lang, ("search",), "search.html", {}))
    pages.append(Page(f"{lang}/404.html", lang, ("404",), "404.html", {}))
    return pages


def _groups(tax: Taxonomy, arts: list[Article]) -> tuple[dict[str, list[Article]], dict[str, list[Article]]]:
    """The articles of each conference and each person the taxonomy knows, in the order given."""
    by_conf: dict[str, list[Article]] = {}
    by_min: dict[str, list[Article]] = {}
    for a in arts:
        for cid in a.conferences:
            if guide.lookup_conference(tax, cid) is not None:
                by_conf.setdefault(cid, []).append(a)
        for pid in a.ministers:
            if pid in tax.people:
                by_min.setdefault(pid, []).append(a)
    return by_conf, by_min


def _article_pages(
    lang: str,
    arts: list[Article],
    other: dict[str, Article],
    related: guide.Related,
    summary: Callable[[Article], Summary],
) -> list[Page]:
    pages = []
    for a in arts:
        ctx = {"article": a, "twin": other.get(a.slug), "related": [summary(b) for b in related.of(a)]}
        pages.append(Page(url_for(lang, "article", a.slug), lang, ("article", a.slug), "article.html", ctx))
    return pages


def _feeds(
    cfg: Config,
    lang: str,
    arts: list[Article],
    conferences: list[Conference],
    ministers: list[Person],
    by_conf: dict[str, list[Article]],
    by_min: dict[str, list[Article]],
    summary: Callable[[Article], Summary],
) -> list[Page]:
    title = cfg.title[lang]

    def feed(url: str, key: tuple[str, ...], name: str, page_url: str, items: list[Article]) -> Page:
        ctx = {"title": name, "page_url": page_url, "entries": [summary(a) for a in items[:50]]}
        return Page(url, lang, key, "@atom", ctx)

    pages = [feed(f"{lang}/feed.xml", ("feed",), title, url_for(lang, "home"), arts)]
    for c in conferences:
        url = url_for(lang, "conference", c.id)
        pages.append(
            feed(url + "feed.xml", ("feed", "conference", c.id), f"{c.name(lang)} · {title}", url, by_conf[c.id])
        )
    for p in ministers:
        url = url_for(lang, "minister", p.id)
        name = p.name if lang == "fr" else p.en
        pages.append(feed(url + "feed.xml", ("feed", "minister", p.id), f"{name} · {title}", url, by_min[p.id]))
    return pages


def list_signature(a: Article) -> tuple:
    """All that pages other than the article's own show of it: lists, feeds, counts, sitemaps, the home page."""
    return (Summary.of(a), a.conferences, a.ministers)


def patch(
    model: SiteModel, articles: dict[str, dict[str, Article]], changed: list[tuple[str, str]]
) -> tuple[SiteModel, list[Page]]:
    """The last build's model with only the pages of ``changed`` articles (lang, slug) remade: their own page and
    their twin's (the side-by-side view shows both). Valid when no article was added or removed and every changed
    one has the same ``list_signature``: then every other page is the very same object as last build.
    Returns the new model and the pages remade."""
    if not model._index:
        model._index.update(((p.lang, p.key), i) for i, p in enumerate(model.pages))
    pages = list(model.pages)
    by_key = dict(model.by_key)
    remade = []

    def replace(i: int, context: dict[str, Any]) -> None:
        old = pages[i]
        new = Page(old.url, old.lang, old.key, old.template, context)
        pages[i] = new
        by_key[old.key] = {**by_key[old.key], old.lang: new}
        remade.append(new)

    for _lang, slug in changed:
        for page_lang in LANGS:
            i = model._index.get((page_lang, ("article", slug)))
            if i is not None:
                other = "en" if page_lang == "fr" else "fr"
                twins = {"article": articles[page_lang].get(slug), "twin": articles[other].get(slug)}
                replace(i, {**pages[i].context, **twins})
    changed_slugs = {(lang, slug) for lang, slug in changed}
    for i, page in enumerate(pages):  # a dossier shows whole articles
        held = page.context.get("dossier") if page.template == "dossier.html" else None
        if held and any((page.lang, a.slug) in changed_slugs for a in held):
            replace(i, {**page.context, "dossier": [articles[page.lang][a.slug] for a in held]})
    return SiteModel(pages, by_key, model._alternates, model._index), remade


def _sitemaps(cfg: Config, model: SiteModel, articles: dict[str, dict[str, Article]]) -> list[Page]:
    urls = []
    dates: dict[tuple[str, tuple[str, ...]], dt.date | None] = {
        (lang, ("article", slug)): a.date for lang, arts in articles.items() for slug, a in arts.items()
    }
    joined: dict[tuple[str, ...], str] = {}
    for page in model.pages:
        if not page.is_html or page.key == ("404",):
            continue
        versions = joined.get(page.key)
        if versions is None:
            versions = joined[page.key] = "|".join(
                f"{lang}={p.url}" for lang, p in sorted(model.by_key[page.key].items())
            )
        day = dates.get((page.lang, page.key))
        # one flat string per URL: the sitemap's digest is then cheap to take on every build
        urls.append(f"{page.url}\t{versions}\t{day.isoformat() if day else ''}")
    dated = [(a.date, lang, a) for lang, arts in articles.items() for a in arts.values() if a.date]
    newest = max((d for d, _, _ in dated), default=None)
    recent = sorted(
        (
            (url_for(lang, "article", a.slug), lang, a.title, d)
            for d, lang, a in dated
            if newest and (newest - d).days <= 2
        ),
        key=lambda x: (x[3], x[0]),
        reverse=True,
    )
    return [
        Page("sitemap.xml", cfg.default_language, ("sitemap",), "@sitemap", {"urls": tuple(urls)}),
        Page("news-sitemap.xml", cfg.default_language, ("news-sitemap",), "@news", {"items": recent[:1000]}),
    ]
