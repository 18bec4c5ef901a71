"""Site model → ``(path, bytes)`` for every output file: HTML pages, assets, the root redirect.

Templates are compiled once per run (one Jinja environment, autoescape on everywhere). Article
bodies are Markdown rendered once, then sanitised with an allow-list (nh3), so raw HTML or a
``javascript:`` link written into content can never reach a reader as markup.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import markdown
import nh3
import yaml
from babel.dates import format_date

from . import feeds
from .config import LANGS, Config
from .confine import check_inside, project_files
from .errors import SourceError
from .guide import lookup_conference
from .site import Page, SiteModel, url_for
from .sources import Article
from .taxonomy import Taxonomy
from .wording import Wording

_ALLOWED_TAGS = {
    "p",
    "a",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "code",
    "pre",
    "br",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
    "abbr",
}
_ALLOWED_ATTRS = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}


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


def sanitise(html: str) -> str:
    """The allow-list every body block passes (also again when it comes from the disk cache)."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def clean_blocks(blocks: list[str]) -> bool:
    """True if the body is exactly what the allow-list lets through (a cached body is used only then). One
    sanitiser pass over the joined blocks: any tag, attribute or URL scheme outside the list changes it."""
    html = "\n".join(blocks)
    return all(blocks) and sanitise(html) == html


# Files imported before the escaping was mended carry "\200.000" and "\1." (a backslash before a digit is no
# Markdown escape and shows): the escape moves to the punctuation, where it keeps "1." from starting a list
_LEGACY_ESCAPE = re.compile(r"(?m)^([ \t]*)\\(\d+)([.)])")


class _BodyRenderer:
    """One Python-Markdown instance, reused; renders a body once and keeps its top-level blocks apart
    (the article shows them joined, the side-by-side view pairs them), each sanitised with nh3."""

    def __init__(self) -> None:
        self.md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")

    def blocks(self, text: str) -> list[str]:
        md = self.md
        md.reset()
        if not text.strip():
            return []
        lines = _LEGACY_ESCAPE.sub(r"\1\2\\\3", text).split("\n")
        for prep in md.preprocessors:
            lines = prep.run(lines)
        root = md.parser.parseDocument(lines).getroot()
        for tp in md.treeprocessors:
            new_root = tp.run(root)
            if new_root is not None:
                root = new_root
        out = []
        for child in list(root):
            child.tail = None
            html = md.serializer(child)
            for pp in md.postprocessors:
                html = pp.run(html)
            html = sanitise(html.strip())
            if html.strip():
                out.append(html)
        return out


_BODY = _BodyRenderer()
BODY_CACHE_VERSION = "2"  # bump when the body rendering changes


def render_blocks(text: str) -> list[str]:
    return _BODY.blocks(text)


def render_markdown(text: str) -> str:
    return "\n".join(_BODY.blocks(text))


def render_many(texts: list[str]) -> list[list[str]]:
    """Bodies → blocks, on both cores when there are enough of them to pay for the processes."""
    if len(texts) < 400:
        return [render_blocks(t) for t in texts]
    import concurrent.futures
    import os

    workers = min(4, len(os.sched_getaffinity(0)))
    if workers < 2:
        return [render_blocks(t) for t in texts]
    from .procs import die_with_parent

    with concurrent.futures.ProcessPoolExecutor(workers, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        return list(pool.map(render_blocks, texts, chunksize=64))


_GUILLEMETS = re.compile(r"«[^«»<>]{1,400}»")
_TAG = re.compile(r"(<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>)")


def mark_french_quotes(html: str, french: str) -> str:
    """A « quotation » an engine left untranslated inside an English page is French: say so (WCAG 3.1.2)."""

    def mark(m: re.Match[str]) -> str:
        inner = " ".join(m.group(0)[1:-1].split())
        if inner and inner in " ".join(french.split()):
            return f'<span lang="fr">{m.group(0)}</span>'
        return m.group(0)

    # only in text, never inside a tag: a « quotation » in a link's title attribute stays as it is
    return "".join(part if part.startswith("<") else _GUILLEMETS.sub(mark, part) for part in _TAG.split(html))


def body_key(text: str) -> str:
    return hashlib.sha256((BODY_CACHE_VERSION + "\x1f" + text).encode("utf-8", "surrogatepass")).hexdigest()


def _sha(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


class Digests:
    """Stable digests of what a page is made from: template (with the templates it extends, imports
    and includes), interface strings, settings, assets, and its context data. A page whose digest is
    unchanged since the last build is not rendered again: that *is* its dependency tracking, exact to
    the data the page shows (a list page holds summaries, so a body edit does not touch it)."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self._objects: dict[int, tuple[object, str]] = {}
        self._templates: dict[str, tuple[str, str]] = {}
        self._refs: dict[str, list[str]] = {}

    def new_build(self) -> None:
        """Templates are read again once per build (a parent may have changed under an unchanged child)."""
        self._templates = {}

    def template(self, name: str) -> str:
        cached = self._templates.get(name)
        if cached:
            return cached[1]
        source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        refs = self._refs.get(source)
        if refs is None:
            parsed = self.env.parse(source, name, filename)
            refs = self._refs[source] = sorted(r for r in jinja2.meta.find_referenced_templates(parsed) if r)
        digest = _sha(source, *(self.template(r) for r in refs))
        self._templates[name] = (source, digest)
        return digest

    def value(self, v: Any) -> str:
        if v is None or isinstance(v, (str, int, float, bool)):
            return repr(v)
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, (list, tuple)):
            if all(type(x) is str for x in v):
                return _sha("[s", *v)
            return _sha("[", *(self.value(x) for x in v))
        if isinstance(v, dict):
            return _sha("{", *(f"{k!r}:{self.value(x)}" for k, x in sorted(v.items(), key=lambda kv: repr(kv[0]))))
        if dataclasses.is_dataclass(v):
            # parsed articles are reused between builds while their file is unchanged: digest them once
            hit = self._objects.get(id(v))
            if hit is not None and hit[0] is v:
                return hit[1]
            digest = _sha(
                type(v).__name__,
                *(f"{f.name}={self.value(getattr(v, f.name))}" for f in dataclasses.fields(v) if f.compare),
            )
            self._objects[id(v)] = (v, digest)
            return digest
        if isinstance(v, Path):
            return str(v)
        raise TypeError(f"cannot digest {type(v).__name__}")

    def forget_unused(self, alive: set[int]) -> None:
        self._objects = {k: v for k, v in self._objects.items() if k in alive}


class Renderer:
    def __init__(
        self, cfg: Config, tax: Taxonomy, site: SiteModel, assets: dict[str, str], env: jinja2.Environment | None = None
    ) -> None:
        self.cfg, self.tax, self.site = cfg, tax, site
        self.strings = load_strings(cfg.theme_dir)
        self.wording = {lang: Wording(lang, self.strings[lang], tax) for lang in LANGS}
        self.assets = assets
        self.env = env or make_env(cfg)
        self.bodies: dict[str, list[str]] = {}  # body text digest → rendered blocks (filled by the builder)
        self._shared: dict[str, str] = {}
        self._body_keys: dict[int, tuple[Article, str]] = {}

    def page_identity(self, page: Page, digests: Digests) -> tuple:
        """A cheap stand-in for the digest between two builds of one session: the page's template
        digest, shared inputs and the very objects its context holds (unchanged articles are the same
        objects from build to build, so comparing this tuple is mostly identity checks)."""
        template = digests.template(page.template) if page.is_html else page.template
        ctx = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(page.context.items()))
        return (page.url, template, self.shared_digest(page.lang, digests), tuple(self.site.alternates(page)), ctx)

    def shared_digest(self, lang: str, digests: Digests) -> str:
        shared = self._shared.get(lang)
        if shared is None:  # what every page of a language shares: strings, assets, settings
            shared = self._shared[lang] = _sha(
                digests.value(self.strings[lang]),
                digests.value(self.assets),
                repr(
                    (
                        self.cfg.base_url,
                        self.cfg.title,
                        self.cfg.description,
                        self.cfg.publisher_name,
                        self.cfg.default_language,
                    )
                ),
            )
        return shared

    def page_digest(self, page: Page, digests: Digests) -> str:
        shared = self.shared_digest(page.lang, digests)
        template = digests.template(page.template) if page.is_html else page.template
        return _sha(
            page.url, page.template, template, shared, repr(self.site.alternates(page)), digests.value(page.context)
        )

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

    def link(self, rel: str) -> str:
        return self.cfg.base_path + rel

    def absolute(self, rel: str) -> str:
        return self.cfg.base_url + rel

    def page_bytes(self, page: Page) -> bytes:
        if page.template == "@atom":
            c = page.context
            return feeds.atom(self.cfg, page.lang, c["title"], page.url, c["page_url"], c["entries"])
        if page.template == "@sitemap":
            return feeds.sitemap(self.cfg, page.context["urls"])
        if page.template == "@news":
            return feeds.news_sitemap(self.cfg, page.context["items"])
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
            absolute=self.absolute,
            url_for=url_for,
            assets=self.assets,
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

    def files(self) -> Iterator[tuple[str, bytes]]:
        for page in self.site.pages:
            yield page.output_path, self.page_bytes(page)
        yield from self.extra_files()

    def extra_files(self) -> Iterator[tuple[str, bytes]]:
        root = self.env.get_template("root.html").render(
            cfg=self.cfg,
            link=self.link,
            absolute=self.absolute,
            strings=self.strings,
            assets=self.assets,
            url_for=url_for,
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
