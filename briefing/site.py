"""All articles of both languages → the site model: pages, groups, URLs and translation pairs (pure).

Every page has a *key* shared by its versions in the two languages (``("article", slug)``,
``("conference", id)``…), so the language switcher, ``hreflang`` links and the sitemap all come
from one pairing function. A page with no counterpart points to the other language's nearest
list page and says so.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from .config import LANGS, Config
from .frontmatter import iso_date
from .sources import Article
from .taxonomy import Taxonomy

SECTIONS = {
    "fr": {"article": "articles", "conference": "conferences", "minister": "ministres", "search": "recherche"},
    "en": {"article": "articles", "conference": "conferences", "minister": "ministers", "search": "search"},
}


@dataclass(frozen=True)
class Page:
    url: str  # site-relative, e.g. "fr/articles/slug/" ("" is the root)
    lang: str
    key: tuple[str, ...]
    template: str
    context: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @functools.cached_property
    def output_path(self) -> str:
        return self.url + "index.html" if self.url.endswith("/") or not self.url else self.url

    @property
    def is_html(self) -> bool:
        return not self.template.startswith("@")

    def feed_url(self) -> str:
        """The Atom feed that goes with this page (its own list's, or the language's)."""
        if self.key[0] in ("conference", "minister") and len(self.key) >= 2:
            return url_for(self.lang, self.key[0], self.key[1]) + "feed.xml"
        return f"{self.lang}/feed.xml"


@dataclass(frozen=True)
class Summary:
    """What a list shows of an article. List pages get these, not whole articles, so that editing an
    article's body re-renders its own page and nothing else."""

    slug: str
    title: str
    date: Any
    date_precision: str | None
    summary: str
    dateline: str | None

    @property
    def iso_date(self) -> str | None:
        return iso_date(self.date, self.date_precision)

    @classmethod
    def of(cls, a: Article) -> Summary:
        return cls(a.slug, a.title, a.date, a.date_precision, a.summary, a.dateline)


@dataclass(frozen=True)
class Alternate:
    lang: str
    url: str
    exists: bool  # False: the counterpart is missing; url is the nearest list page


def url_for(lang: str, kind: str, ident: str | None = None) -> str:
    if kind == "home":
        return f"{lang}/"
    section = SECTIONS[lang][kind]
    return f"{lang}/{section}/" if ident is None else f"{lang}/{section}/{ident}/"


def _parent_key(key: tuple[str, ...]) -> tuple[str, ...]:
    if len(key) == 3:  # page n of a list → its first page
        return key[:2]
    if key[0] in ("conference", "minister"):
        return (key[0] + "s",)
    return ("home",)


@dataclass(frozen=True)
class Pager:
    number: int
    count: int
    urls: tuple[str, ...]  # site-relative URL of every page of the list

    @property
    def prev(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None


def _paginate(
    base: str,
    lang: str,
    key: tuple[str, ...],
    template: str,
    items: list,
    per_page: int,
    context: dict[str, Any],
) -> list[Page]:
    """Page 1 at ``base``, page n at ``base/page/n/``; each page carries its slice and a ``Pager``."""
    count = max(1, -(-len(items) // per_page))
    urls = tuple(base if n == 1 else f"{base}page/{n}/" for n in range(1, count + 1))
    return [
        Page(
            urls[n - 1],
            lang,
            key if n == 1 else key + (str(n),),
            template,
            {**context, "articles": items[(n - 1) * per_page : n * per_page], "pager": Pager(n, count, urls)},
        )
        for n in range(1, count + 1)
    ]


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
                parent = self.by_key.get(_parent_key(page.key), {}).get(lang)
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
        arts = newest_first(list(articles.get(lang, {}).values()))
        by_conf: dict[str, list[Article]] = {}
        by_min: dict[str, list[Article]] = {}
        for a in arts:
            for cid in a.conferences:
                by_conf.setdefault(cid, []).append(a)
            for pid in a.ministers:
                by_min.setdefault(pid, []).append(a)
        conferences = sorted(
            (tax.conferences[c] for c in by_conf if c in tax.conferences),
            key=lambda c: (c.start.isoformat() if c.start else "", c.id),
            reverse=True,
        )
        ministers = sorted((tax.people[p] for p in by_min if p in tax.people), key=lambda p: p.en)
        conf_counts = {c: len(v) for c, v in by_conf.items()}
        min_counts = {p: len(v) for p, v in by_min.items()}
        pages.append(
            Page(
                url_for(lang, "home"),
                lang,
                ("home",),
                "home.html",
                {
                    "articles": [summary(a) for a in arts[: cfg.per_page]],
                    "conferences": conferences[:12],
                    "ministers": ministers,
                    "conf_counts": conf_counts,
                    "min_counts": min_counts,
                    "total": len(arts),
                },
            )
        )
        for a in arts:
            twin = articles.get("fr" if lang == "en" else "en", {}).get(a.slug)
            pages.append(
                Page(
                    url_for(lang, "article", a.slug),
                    lang,
                    ("article", a.slug),
                    "article.html",
                    {"article": a, "twin": twin},
                )
            )
        pages += _paginate(
            url_for(lang, "article"), lang, ("articles",), "archive.html", [summary(a) for a in arts], cfg.per_page, {}
        )
        pages.append(
            Page(
                url_for(lang, "conference"),
                lang,
                ("conferences",),
                "conferences.html",
                {"conferences": conferences, "conf_counts": conf_counts},
            )
        )
        for c in conferences:
            pages += _paginate(
                url_for(lang, "conference", c.id),
                lang,
                ("conference", c.id),
                "conference.html",
                [summary(a) for a in by_conf[c.id]],
                cfg.per_page,
                {"conference": c},
            )
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
        for p in ministers:
            pages += _paginate(
                url_for(lang, "minister", p.id),
                lang,
                ("minister", p.id),
                "minister.html",
                [summary(a) for a in by_min[p.id]],
                cfg.per_page,
                {"person": p, "role_date": latest[p.id]},
            )
        title = cfg.title[lang]
        pages.append(
            Page(
                f"{lang}/feed.xml",
                lang,
                ("feed",),
                "@atom",
                {"title": title, "page_url": url_for(lang, "home"), "entries": [summary(a) for a in arts[:50]]},
            )
        )
        for c in conferences:
            pages.append(
                Page(
                    f"{lang}/{SECTIONS[lang]['conference']}/{c.id}/feed.xml",
                    lang,
                    ("feed", "conference", c.id),
                    "@atom",
                    {
                        "title": f"{c.name(lang)} · {title}",
                        "page_url": url_for(lang, "conference", c.id),
                        "entries": [summary(a) for a in by_conf[c.id][:50]],
                    },
                )
            )
        for p in ministers:
            name = p.name if lang == "fr" else p.en
            pages.append(
                Page(
                    f"{lang}/{SECTIONS[lang]['minister']}/{p.id}/feed.xml",
                    lang,
                    ("feed", "minister", p.id),
                    "@atom",
                    {
                        "title": f"{name} · {title}",
                        "page_url": url_for(lang, "minister", p.id),
                        "entries": [summary(a) for a in by_min[p.id][:50]],
                    },
                )
            )
        pages.append(Page(url_for(lang, "search"), lang, ("search",), "search.html", {}))
        pages.append(Page(f"{lang}/404.html", lang, ("404",), "404.html", {}))
    by_key: dict[tuple[str, ...], dict[str, Page]] = {}
    for p in pages:
        by_key.setdefault(p.key, {})[p.lang] = p
    model = SiteModel(pages, by_key)
    model.pages += _sitemaps(cfg, model, articles)
    return model


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
    for _lang, slug in changed:
        for page_lang in LANGS:
            key = ("article", slug)
            i = model._index.get((page_lang, key))
            if i is None:
                continue
            old = pages[i]
            other = "en" if page_lang == "fr" else "fr"
            new = Page(
                old.url,
                page_lang,
                key,
                old.template,
                {"article": articles[page_lang].get(slug), "twin": articles[other].get(slug)},
            )
            pages[i] = new
            by_key[key] = {**by_key[key], page_lang: new}
            remade.append(new)
    return SiteModel(pages, by_key, model._alternates, model._index), remade


def _sitemaps(cfg: Config, model: SiteModel, articles: dict[str, dict[str, Article]]) -> list[Page]:
    urls = []
    dates = {(lang, ("article", slug)): a.date for lang, arts in articles.items() for slug, a in arts.items()}
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
