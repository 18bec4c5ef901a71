"""Article bodies: Markdown → sanitised HTML blocks, and where rendered bodies are kept between builds.

A body is Markdown rendered once, then sanitised with an allow-list (nh3), so raw HTML or a ``javascript:`` link
written into content can never reach a reader as markup. Its top-level blocks stay apart (the article shows them
joined, the side-by-side view pairs them). Rendered bodies are cached in ``.cache/build.sqlite`` by ``body_key``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import markdown
import nh3

from .cache import DiskCache

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


# The characters without which an inline pattern cannot match (each pattern's regular expression starts with one of
# them). Agency copy holds few of them, and Python-Markdown tries every pattern on every piece of text: a body is
# rendered by an instance carrying only the patterns its text can trigger (bench/markdown_bench.py measures it; a
# test checks that the output is the same as with every pattern). A pattern not listed here is always kept.
_TRIGGERS = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "short_reference": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "html": ("<",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
    "linebreak": (" \n", "\t", "\r"),  # a hard break is spaces at a line's end; tabs become spaces first
}


def _new_markdown(drop: frozenset[str] = frozenset()) -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    for name in drop:
        md.inlinePatterns.deregister(name)
    return md


def untriggered(text: str) -> frozenset[str]:
    """The inline patterns that cannot match anywhere in ``text``."""
    return frozenset(name for name, marks in _TRIGGERS.items() if not any(m in text for m in marks))


class _BodyRenderer:
    """Python-Markdown instances, reused (one for each set of inline patterns bodies need); renders a body once
    and keeps its top-level blocks apart (the article shows them joined, the side-by-side view pairs them), each
    sanitised with nh3."""

    def __init__(self) -> None:
        self._instances: dict[frozenset[str], markdown.Markdown] = {}

    def blocks(self, text: str) -> list[str]:
        if not text.strip():
            return []
        text = _LEGACY_ESCAPE.sub(r"\1\2\\\3", text)
        return self.blocks_with(self._markdown(untriggered(text)), text)

    def _markdown(self, drop: frozenset[str]) -> markdown.Markdown:
        md = self._instances.get(drop)
        if md is None:
            md = self._instances[drop] = _new_markdown(drop)
        return md

    @staticmethod
    def blocks_with(md: markdown.Markdown, text: str) -> list[str]:
        md.reset()
        lines = text.split("\n")
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


def cached_bodies(
    cache: DiskCache, wanted: dict[str, str], render: Callable[[list[str]], list[list[str]]]
) -> dict[str, list[str]]:
    """Rendered blocks of ``wanted`` bodies (key → Markdown): from the disk cache, else ``render``ed (a list of
    texts → a list of blocks lists) and put in the cache."""
    found = cache.get_many("body", wanted)  # signed rows only: see cache.py
    if cache.shared_key:  # a key CI builds share could leak: use a body only if the allow-list lets it through as is
        found = {k: v for k, v in found.items() if clean_blocks(v)}
    missing = [k for k in wanted if k not in found]
    if missing:
        fresh = dict(zip(missing, render([wanted[k] for k in missing]), strict=False))
        cache.put_many("body", fresh)
        found.update(fresh)
    return found
