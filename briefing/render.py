"""Page rendering: site model → ``(path, bytes)`` for every output file: HTML pages, feeds and sitemaps
(``feeds.WRITERS``), assets, the root redirect.

Templates are compiled once per run (one Jinja environment, autoescape on everywhere), read only from the
project's ``templates/`` (``ProjectLoader`` refuses a link out of it). Bodies come from ``bodies``.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import yaml
from babel.dates import format_date
from markupsafe import Markup

from . import feeds, policy
from .bodies import body_key, mark_french_quotes, render_blocks
from .config import LANGS, Config
from .confine import check_inside, project_files
from .errors import SourceError
from .guide import lookup_conference
from .site import Page, SiteModel, url_for
from .sources import Article
from .taxonomy import Taxonomy
from .wording import Wording

NAV = ("home", "article", "conference", "series", "minister", "search")  # the masthead's links

_STRINGS: dict[Path, tuple[bytes, dict[str, dict[str, str]]]] = {}


def load_strings(theme_dir: Path) -> dict[str, dict[str, str]]:
    """The interface strings of both languages; parsed again only when a file's bytes change (serve rebuilds)."""
    raw = b""
    for lang in LANGS:
        try:
            raw += (theme_dir / "i18n" / f"{lang}.yaml").read_bytes() + b"\x00"
        except OSError:
            raw += b"\x01"
    hit = _STRINGS.get(theme_dir)
    if hit is not None and hit[0] == raw:
        return hit[1]
    out = {}
    for lang in LANGS:
        path = theme_dir / "i18n" / f"{lang}.yaml"
        try:
            out[lang] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            raise SourceError(path, "interface strings file is missing") from None
        except yaml.MarkedYAMLError as exc:
            raise SourceError(
                path, f"invalid YAML: {exc.problem}", line=exc.problem_mark.line + 1 if exc.problem_mark else None
            ) from None
    missing = set(out["fr"]) ^ set(out["en"])
    if missing:
        raise SourceError(theme_dir / "i18n", f"strings missing in one language: {', '.join(sorted(missing))}")
    _STRINGS[theme_dir] = (raw, out)
    return out


class Renderer:
    def __init__(
        self, cfg: Config, tax: Taxonomy, site: SiteModel, assets: dict[str, str], env: jinja2.Environment | None = None
    ) -> None:
        self.cfg, self.tax, self.site = cfg, tax, site
        self.strings = load_strings(cfg.theme_dir)
        self.wording = {lang: Wording(lang, self.strings[lang], tax) for lang in LANGS}
        self.assets = assets
        # What every page's head and masthead link to, worked out once rather than by two template calls a link:
        self.asset_links = {name: cfg.base_path + url for name, url in assets.items()}
        self.nav = {lang: {kind: self.href(lang, kind) for kind in NAV} for lang in LANGS}
        self.env = env or make_env(cfg)
        self.bodies: dict[str, list[str]] = {}  # body text digest → rendered blocks (filled by the builder)
        self._body_keys: dict[int, tuple[Article, str]] = {}
        self._entries: dict[int, tuple[Article, bytes]] = {}  # id(article) → its dossier entry

    def format_date(self, article_or_date: Any, lang: str) -> str:
        if hasattr(article_or_date, "date_precision"):  # an Article or a list Summary
            a = article_or_date
            if a.date is None:
                return self.strings[lang]["date_unknown"]
            return _babel_date(a.date, "MMMM y" if a.date_precision == "month" else "long", lang)
        if isinstance(article_or_date, dt.date):
            return _babel_date(article_or_date, "long", lang)
        return ""

    def body(self, a: Article, original: Article | None = None) -> tuple[str, list[str]]:
        """Rendered body and its blocks. For a translation, ``original`` is the French article: a
        quotation the engine left as it was in the French is marked ``lang="fr"``."""
        hit = self._body_keys.get(id(a))
        if hit is None or hit[0] is not a:  # a dossier shows an article again: hash its body once
            hit = self._body_keys[id(a)] = (a, body_key(a.body))
        key = hit[1]
        blocks = self.bodies.get(key)
        if blocks is None:
            blocks = self.bodies[key] = render_blocks(a.body)
        if a.lang != "fr" and original is not None and "«" in a.body:
            blocks = [mark_french_quotes(b, original.body) for b in blocks]
        return "\n".join(blocks), blocks

    def use_bodies(self, bodies: dict[str, list[str]]) -> None:
        """The rendered bodies of the next pages (a batch's: the builder lets the previous ones go)."""
        self.bodies = bodies

    def share_entries(self, entries: dict[int, tuple[Article, bytes]]) -> None:
        """Keep dossier entries in ``entries``: a live session's store, valid while the templates, strings,
        settings and taxonomy stay the same (an edited article is a new object, so its entry is made again)."""
        self._entries = entries

    def has_dossier_entry(self, a: Article) -> bool:
        """True once ``a``'s dossier entry is made: a dossier then needs nothing else of it, not even its body."""
        hit = self._entries.get(id(a))
        return hit is not None and hit[0] is a

    def dossier_entry(self, macro: Any, a: Article) -> Markup:
        """An article as a dossier shows it, rendered once a build and reused by each dossier that holds it (an
        article is in about four: its conferences' and its ministers'). The entry shows only its article and what
        all pages of its language share, so it reads the same wherever it is reused."""
        if not self.has_dossier_entry(a):  # kept compressed: a build holds every article's entry (~5:1, measured)
            self._entries[id(a)] = (a, zlib.compress(str(macro(a)).encode("utf-8"), 1))
        return Markup(zlib.decompress(self._entries[id(a)][1]).decode("utf-8"))

    def link(self, rel: str) -> str:
        return self.cfg.base_path + rel

    def absolute(self, rel: str) -> str:
        return self.cfg.base_url + rel

    def href(self, lang: str, kind: str, ident: str | None = None) -> str:
        """The link to a page of the site: one template call where ``link(url_for(...))`` made two."""
        return self.cfg.base_path + url_for(lang, kind, ident)

    def page_bytes(self, page: Page) -> bytes:
        if not page.is_html:
            return feeds.WRITERS[page.kind](self.cfg, page)
        t = self.strings[page.lang]
        ctx: dict[str, Any] = dict(page.context)
        ctx.update(
            page=page,
            lang=page.lang,
            t=t,
            cfg=self.cfg,
            tax=self.tax,
            site_title=self.cfg.title[page.lang],
            link=self.link,
            href=self.href,
            dossier_entry=self.dossier_entry,
            absolute=self.absolute,
            url_for=url_for,
            assets=self.assets,
            asset_links=self.asset_links,
            nav=self.nav[page.lang],
            alternates=self.site.alternates(page),
            body=self.body,
            strings=self.strings,
            date=self.format_date,
            w=self.wording[page.lang],
            find_conference=functools.partial(lookup_conference, self.tax),
        )
        try:
            html = self.env.get_template(page.template).render(ctx)
        except jinja2.TemplateSyntaxError as exc:
            raise SourceError(
                Path(exc.filename or page.template), f"template error: {exc.message}", line=exc.lineno
            ) from None
        except jinja2.TemplateError as exc:
            raise SourceError(self.cfg.templates_dir / page.template, f"template error: {exc}") from None
        return html.encode("utf-8")

    def extra_files(self) -> Iterator[tuple[str, bytes]]:
        root = self.env.get_template("root.html").render(
            cfg=self.cfg,
            link=self.link,
            absolute=self.absolute,
            strings=self.strings,
            assets=self.assets,
            url_for=url_for,
            href=self.href,
        )
        yield "index.html", root.encode("utf-8")
        yield "404.html", self.page_bytes(self.site.by_key[("404",)][self.cfg.default_language])
        yield "robots.txt", feeds.robots(self.cfg)
        icon = self.cfg.theme_dir / "icons" / "favicon.ico"  # browsers ask for /favicon.ico whatever the page says
        if icon.exists():
            yield "favicon.ico", icon.read_bytes()


@functools.lru_cache(maxsize=8192)
def _babel_date(day: dt.date, fmt: str, lang: str) -> str:
    """Babel's localised date, once per day and format: an archive shows each date on many pages."""
    return format_date(day, fmt, locale=lang)


def make_env(cfg: Config) -> jinja2.Environment:
    """One compiled-template environment; reused across serve rebuilds (it reloads changed templates)."""
    env = jinja2.Environment(
        loader=ProjectLoader(str(cfg.templates_dir), cfg.root),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
    )
    env.filters["tojson_safe"] = lambda v: jinja2.utils.markupsafe.Markup(
        json.dumps(v, ensure_ascii=False, sort_keys=True)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    env.globals["csp_meta"] = policy.meta_policy()  # hosts that set no headers (GitHub Pages) get it from the page
    return env


def fingerprint_assets(theme_dir: Path, dev: bool = False) -> tuple[dict[str, str], list[tuple[str, bytes]]]:
    """theme/static/x.css → assets/x.<hash>.css (long-cacheable); returns (logical name → site path, files).
    In ``dev`` (serve) mode names stay stable, so live reload can swap a stylesheet in place."""
    mapping: dict[str, str] = {}
    files: list[tuple[str, bytes]] = []
    static = theme_dir / "static"
    for path in sorted(project_files(static, theme_dir.parent)):
        data = path.read_bytes()
        rel = path.relative_to(static).as_posix()
        stem, dot, ext = rel.rpartition(".")
        digest = hashlib.sha256(data).hexdigest()[:10]
        out = f"assets/{rel}" if dev else f"assets/{stem}.{digest}.{ext}" if dot else f"assets/{rel}.{digest}"
        mapping[rel] = out
        files.append((out, data))
    return mapping, files


class ProjectLoader(jinja2.FileSystemLoader):
    """Templates from ``templates/``; one that is a symbolic link out of the project is refused."""

    def __init__(self, searchpath: str, root: Path) -> None:
        super().__init__(searchpath)
        self.root = root

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        check_inside(filename, self.root)
        return source, filename, uptodate
