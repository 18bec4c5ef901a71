"""The site model's building blocks: pages, list summaries, URLs and pagination (pure, no I/O).

Every page has a *key* shared by its versions in the two languages (``("article", slug)``,
``("conference", id)``…); ``url_for`` is the one place that turns a kind of page into its URL.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .frontmatter import iso_date
from .sources import Article

SECTIONS = {
    "fr": {
        "article": "articles",
        "conference": "conferences",
        "minister": "ministres",
        "series": "series",
        "search": "recherche",
    },
    "en": {
        "article": "articles",
        "conference": "conferences",
        "minister": "ministers",
        "series": "series",
        "search": "search",
    },
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


def dossier_url(lang: str, kind: str, ident: str) -> str:
    """The printable dossier of a conference or minister, under its page."""
    return url_for(lang, kind, ident) + "dossier/"


def parent_key(key: tuple[str, ...]) -> tuple[str, ...]:
    if key[0] == "dossier":  # its conference's or minister's page
        return key[1:]
    if key[0] == "series" and len(key) == 2:
        return ("series",)
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


def paginate(
    base: str,
    lang: str,
    key: tuple[str, ...],
    template: str,
    items: list[Any],
    per_page: int,
    context: dict[str, Any],
    group: Callable[[list[Any]], list[Any]] | None = None,
) -> list[Page]:
    """Page 1 at ``base``, page n at ``base/page/n/``; each page carries its slice and a ``Pager``, and
    ``groups``, its slice grouped by ``group`` (by day, by year) when given."""
    count = max(1, -(-len(items) // per_page))
    urls = tuple(base if n == 1 else f"{base}page/{n}/" for n in range(1, count + 1))
    return [
        Page(
            urls[n - 1],
            lang,
            key if n == 1 else key + (str(n),),
            template,
            _page_context(context, items[(n - 1) * per_page : n * per_page], Pager(n, count, urls), group),
        )
        for n in range(1, count + 1)
    ]


def _page_context(
    context: dict[str, Any], items: list[Any], pager: Pager, group: Callable[[list[Any]], list[Any]] | None
) -> dict[str, Any]:
    out = {**context, "articles": items, "pager": pager}
    if group is not None:
        out["groups"] = group(items)
    return out
