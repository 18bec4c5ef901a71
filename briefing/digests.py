"""Dependency digests: a stable digest of everything a page is made from, for the live session.

Two builds of one session compare these to render only the pages whose inputs changed: the template (with the
templates it extends, imports and includes), interface strings, settings, assets, and the page's context data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import jinja2.meta

if TYPE_CHECKING:
    from .render import Renderer
    from .site import Page


def sha(*parts: str) -> str:
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
        self._shared: dict[str, str] = {}
        self._sequences: dict[int, tuple[object, str]] = {}  # this build's lists and tuples (a list may change)

    def new_build(self) -> None:
        """Templates are read again once per build (a parent may have changed under an unchanged child), and
        what the pages of a language share (strings, assets, settings) is digested again."""
        self._templates = {}
        self._shared = {}
        self._sequences = {}

    def template(self, name: str) -> str:
        cached = self._templates.get(name)
        if cached:
            return cached[1]
        source, filename, _ = self.env.loader.get_source(self.env, name)  # type: ignore[union-attr]
        refs = self._refs.get(source)
        if refs is None:
            parsed = self.env.parse(source, name, filename)
            refs = self._refs[source] = sorted(r for r in jinja2.meta.find_referenced_templates(parsed) if r)
        digest = sha(source, *(self.template(r) for r in refs))
        self._templates[name] = (source, digest)
        return digest

    def shared(self, renderer: Renderer, lang: str) -> str:
        """What every page of a language shares: strings, assets, settings, place names."""
        shared = self._shared.get(lang)
        if shared is None:
            cfg = renderer.cfg
            settings = (
                cfg.base_url,
                cfg.title,
                cfg.description,
                cfg.publisher_name,
                cfg.editorial_desk,
                cfg.default_language,
            )
            shared = self._shared[lang] = sha(
                self.value(renderer.strings[lang]),
                self.value(renderer.assets),
                repr(settings),
                self.value(renderer.wording[lang].places),  # place names as the taxonomy writes them
            )
        return shared

    def page_template(self, page: Page) -> str:
        return self.template(page.template) if page.is_html else page.kind

    def page_identity(self, renderer: Renderer, page: Page) -> tuple:
        """A cheap stand-in for the digest between two builds of one session: the page's template
        digest, shared inputs and the very objects its context holds (unchanged articles are the same
        objects from build to build, so comparing this tuple is mostly identity checks)."""
        ctx = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(page.context.items()))
        alternates = tuple(renderer.site.alternates(page))
        return (page.url, self.page_template(page), self.shared(renderer, page.lang), alternates, ctx)

    def page(self, renderer: Renderer, page: Page) -> str:
        """The digest of everything ``page`` is made from."""
        return sha(
            page.url,
            page.template,
            self.page_template(page),
            self.shared(renderer, page.lang),
            repr(renderer.site.alternates(page)),
            self.value(page.context),
        )

    def value(self, v: Any) -> str:
        if v is None or isinstance(v, (str, int, float, bool)):
            return repr(v)
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, (list, tuple)):
            # a list page's groups and tuples are shared by its pages (pagination): digested once per build
            hit = self._sequences.get(id(v))
            if hit is not None and hit[0] is v:
                return hit[1]
            if all(type(x) is str for x in v):
                digest = sha("[s", *v)
            else:
                digest = sha("[", *(self.value(x) for x in v))
            self._sequences[id(v)] = (v, digest)
            return digest
        if isinstance(v, dict):
            return sha("{", *(f"{k!r}:{self.value(x)}" for k, x in sorted(v.items(), key=lambda kv: repr(kv[0]))))
        if dataclasses.is_dataclass(v):
            # parsed articles are reused between builds while their file is unchanged: digest them once
            hit = self._objects.get(id(v))
            if hit is not None and hit[0] is v:
                return hit[1]
            digest = self._dataclass(v)
            self._objects[id(v)] = (v, digest)
            return digest
        if isinstance(v, Path):
            return str(v)
        raise TypeError(f"cannot digest {type(v).__name__}")

    def _dataclass(self, v: Any) -> str:
        """A record's digest: of its ``repr`` (one C-speed pass over a record of plain values: strings, dates,
        paths, tuples, other such records), unless a value there has no stable repr (an object's address);
        then field by field. A field hidden from ``repr`` is digested on its own."""
        text = repr(v)
        if " at 0x" in text:
            return sha(
                type(v).__name__,
                *(f"{f.name}={self.value(getattr(v, f.name))}" for f in dataclasses.fields(v) if f.compare),
            )
        hidden = [self.value(getattr(v, f.name)) for f in dataclasses.fields(v) if f.compare and not f.repr]
        return sha(type(v).__qualname__, text, *hidden)

    def seed(self, known: dict[int, tuple[object, str]]) -> None:
        """Digests already known for some objects (``id`` → (object, digest)): a parsed article's is its parse
        key, the hash of its file's bytes, taxonomy and parser, so its fields need not be digested again."""
        self._objects.update(known)

    def forget_unused(self, alive: set[int]) -> None:
        self._objects = {k: v for k, v in self._objects.items() if k in alive}
