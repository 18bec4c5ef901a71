"""The one-shot build (command line, CI, Netlify): load → parse → assemble → render → write.

Nothing is written before both languages are parsed and linked. Parsing goes through the content-hash cache in
``.cache/``; rendering and writing share every core and end in an atomic swap of a complete site
(``parallel.publish_pages``). The live preview's build, which remembers the last one, is ``session.BuildSession``.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import incremental, search
from .cache import CACHE_FILE
from .config import Config
from .errors import SourceError
from .parallel import publish_pages
from .render import make_env
from .site import assemble
from .sources import Content
from .stages import in_stage, load_taxonomy, parse, prepare_render
from .write import PublishReport


@dataclass
class BuildResult:
    publish: PublishReport
    pages: int
    seconds: float
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rendered: int = 0
    processes: int = 1
    full_because: str = ""  # why every page was rendered ("" when the last build's pages were reused)

    @classmethod
    def unreadable(cls, content: Content, started: float) -> BuildResult:
        """Content files could not be read: nothing was rendered or written."""
        return cls(PublishReport(), 0, time.perf_counter() - started, content.errors, content.warnings)


def build(
    cfg: Config,
    output: Path | None = None,
    *,
    keep_going: bool = False,
    search_index: bool = True,
    jobs: int = 0,
    reuse: bool = True,
) -> BuildResult:
    """Render ``content/`` into ``output/`` (default: the configured one), search index included.

    A content file that cannot be read stops the build before anything is written, so the published site never
    silently loses a page; every such file is reported at once. With ``keep_going`` the other articles are
    published anyway (the result still carries the errors). ``jobs``: processes rendering pages (0: one per
    available core). ``reuse``: keep the pages whose inputs did not change since the last build into
    ``output`` (``incremental.plan``: any doubt about that build means a full one)."""
    started = time.perf_counter()
    output = output or cfg.output_dir
    tax = in_stage("load", load_taxonomy, cfg)
    content = in_stage("parse", parse, cfg, tax)
    if content.errors and not keep_going:
        return BuildResult.unreadable(content, started)
    site = in_stage("assemble", assemble, cfg, tax.taxonomy, content.articles)
    renderer, extra = in_stage("render", prepare_render, cfg, tax.taxonomy, site, make_env(cfg))
    options = {"search": search_index}
    planned = in_stage(
        "plan", incremental.plan, cfg, output, options, tax.key, renderer, site.pages, content, reuse, jobs
    )
    index = functools.partial(search.index, published=output) if search_index else None
    cache = cfg.cache_dir / CACHE_FILE
    seed = None if planned.digests else incremental.parsed_digests(content)  # a full build: workers digest
    done = in_stage("write", publish_pages, renderer, site.pages, extra, output, index, cache, jobs, planned.kept, seed)
    in_stage("write", incremental.remember, cfg, output, planned, done)
    seconds = time.perf_counter() - started
    return BuildResult(
        done.report,
        len(site.pages),
        seconds,
        content.errors,
        content.warnings,
        done.rendered,
        done.processes,
        planned.doubt,
    )
