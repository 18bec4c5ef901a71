"""The command-line build's use of its last build: which pages must be rendered again, and what to remember.

``plan`` compares the digest of every page of the new site (``digests.Digests.page``) with the state the last
build left (``buildstate``); a page whose digest is unchanged keeps its published file (hard-linked into the
staging copy by ``parallel.publish_pages``). Any doubt about the state means a full build, and ``Plan.doubt``
says why. ``remember`` records the state of a published site for the next build.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from . import buildstate
from .config import Config
from .digests import Digests
from .parallel import Published, gc_frozen, in_processes, process_count
from .render import Renderer
from .site import Page
from .sources import Content


class Plan(NamedTuple):
    kept: set[str]  # output paths of the pages whose digest is unchanged: kept, not rendered
    digests: dict[str, str]  # output path → digest of every page ({} for a full build: its workers digest)
    inputs: dict[str, str]  # ``buildstate.inputs`` of this build
    doubt: str  # why everything is rendered ("" for an incremental build)


def plan(
    cfg: Config,
    output: Path,
    options: dict[str, bool],
    taxonomy_key: str,
    renderer: Renderer,
    pages: Sequence[Page],
    content: Content,
    reuse: bool = True,
    jobs: int = 0,
) -> Plan:
    """The pages to keep from ``output``, or a full build and the reason (``reuse`` False: asked for). The pages
    are digested on ``jobs`` processes (0: as many as the build renders with, ``parallel.process_count``)."""
    current = buildstate.inputs(cfg, options, taxonomy_key)
    loaded = buildstate.load(cfg, output, current) if reuse else buildstate.Loaded(None, "asked for (--force)")
    if loaded.pages is None:
        return Plan(set(), {}, current, loaded.doubt)
    digests = Digests(renderer.env)
    digests.seed(parsed_digests(content))
    n = process_count(len(pages), jobs)
    now: dict[str, str] = {}
    with gc_frozen(collect=False):  # the site model is not garbage: collections digesting triggers need not scan it
        shares = in_processes(lambda k: {p.output_path: digests.page(renderer, p) for p in pages[k::n]}, n, "plan")
    for share in shares:
        now.update(share)
    kept = {path for path, digest in now.items() if loaded.pages.get(path) == digest}
    return Plan(kept, now, current, "")


def parsed_digests(content: Content) -> dict[int, tuple[object, str]]:
    """Each parsed article's digest: its parse key (``sources.load_content``), which fixes every field."""
    known: dict[int, tuple[object, str]] = {}
    for by_slug in content.articles.values():
        for a in by_slug.values():
            key = content.keys.get(str(a.path))
            if key is not None:
                known[id(a)] = (a, "parsed:" + key)
    return known


def remember(cfg: Config, output: Path, planned: Plan, done: Published) -> None:
    """Record the state of the site just published (after its swap, so the listing is the new folder's)."""
    buildstate.save(cfg, output, planned.inputs, planned.digests or done.digests)
