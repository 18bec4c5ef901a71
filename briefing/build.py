"""The whole build as one short function: load → parse → assemble → render → write.

Nothing is written before both languages are parsed and linked. The command-line build is a fresh
``Builder(keep_state=False)``: it parses (through the content-hash cache in ``.cache/``), assembles
the site model, then forks one worker per core; each renders and writes its share of the pages into
a staging folder that is swapped in atomically (``publish_pages``). ``serve`` keeps one ``Builder``
for its session: it remembers what the last build parsed (per file: mtime and size), the model it
assembled, and per page a digest of everything the page is made from (see ``render.Digests``) with a
hash of its bytes, so the next build parses only changed files, patches the model when an edit
touched only an article's own page, and renders only pages whose inputs changed.
"""

from __future__ import annotations

import concurrent.futures
import functools
import gc
import hashlib
import multiprocessing
import os
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import search
from .cache import CACHE_FILE, DiskCache
from .config import LANGS, Config
from .errors import BriefingError, BuildError, SourceError
from .procs import die_with_parent
from .render import Digests, Renderer, body_key, clean_blocks, fingerprint_assets, make_env, render_blocks, render_many
from .site import Page, SiteModel, assemble, list_signature, patch
from .sources import Article, ParseCache, load_content, load_project_taxonomy
from .taxonomy import Taxonomy, sources_bytes
from .write import PublishReport, Staging, clean_stale_staging, write_changed


@dataclass
class BuildResult:
    publish: PublishReport
    pages: int
    seconds: float
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rendered: int = 0
    processes: int = 1


def _stage(name: str, fn, *args):
    try:
        return fn(*args)
    except BriefingError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        raise SourceError(
            Path(exc.filename or exc.name or "template"), f"template error: {exc.message}", line=exc.lineno
        ) from None
    except Exception as exc:  # an unexpected failure: say which stage
        raise BuildError(name, exc) from exc


class Builder:
    def __init__(self, cfg: Config, *, search_index: bool = True, keep_state: bool = True, jobs: int = 0) -> None:
        self.cfg = cfg
        self.jobs = jobs
        self.search_index = search_index
        self.keep_state = keep_state  # False: a one-shot build that streams pages and keeps nothing
        self._parsed: ParseCache = {}
        self._pages: dict[str, tuple[str, bytes]] = {}  # output path → (page digest, bytes)
        self._tax: tuple[bytes, Taxonomy] | None = None
        self._env = make_env(cfg)
        self._digests = Digests(self._env)
        self._published: set[str] = set()  # every file of the last published site
        self._extra: dict[str, bytes] = {}  # assets, root index and 404 of the last build
        self._bodies: dict[str, list[str]] = {}  # rendered bodies of the session, by body digest
        self._summaries: dict = {}  # list views of unchanged articles, reused
        self._idents: dict = {}  # output path → (page identity, digest) of last build
        self._frozen_builds = 0
        self._model: tuple[dict, Taxonomy, SiteModel] | None = None  # articles, taxonomy and model of last build
        self._plan_memo: dict[int, tuple] = {}  # id(page) → (page, template digest, shared digest, digest)
        self._templates_in_use: list[str] = []
        self._last_shared: tuple | None = None  # see _shared_inputs

    def _taxonomy(self) -> tuple[Taxonomy, str]:
        data = sources_bytes(self.cfg.content_dir / "taxonomy.yaml")
        if self._tax is None or self._tax[0] != data:
            self._tax = (data, load_project_taxonomy(self.cfg))
        return self._tax[1], hashlib.sha256(data).hexdigest()

    def _render_bodies(self, articles: list) -> dict[str, list[str]]:
        """Every body the pages to render need: from this session, then the disk cache, then Markdown."""
        wanted = {body_key(a.body): a.body for a in articles}
        found = {k: self._bodies[k] for k in wanted if k in self._bodies}
        missing = {k: text for k, text in wanted.items() if k not in found}
        if missing:
            with DiskCache(self.cfg.cache_dir / CACHE_FILE) as cache:
                found.update(_cached_bodies(cache, missing, render_many))
        if self.keep_state:
            self._bodies = found if len(self._bodies) > 50_000 else {**self._bodies, **found}
        return found

    def _patched(self, articles: dict[str, dict[str, Article]], tax: Taxonomy) -> tuple[SiteModel, list[Page]] | None:
        """The last model, patched, when an edit changed only what an article's own page shows (the usual
        edit: a body, a caption, a typo in the text), with the pages remade; None when the lists must be
        assembled again."""
        if self._model is None:
            return None
        last_articles, last_tax, model = self._model
        if last_tax is not tax or any(last_articles[lang].keys() != arts.keys() for lang, arts in articles.items()):
            return None
        changed = [
            (lang, slug)
            for lang, arts in articles.items()
            for slug, a in arts.items()
            if last_articles[lang][slug] is not a
        ]
        if len(changed) > 100 or any(
            list_signature(articles[lang][slug]) != list_signature(last_articles[lang][slug]) for lang, slug in changed
        ):
            return None
        return patch(model, articles, changed) if changed else (model, [])

    def _shared_inputs(self, renderer: Renderer, templates: list[str]) -> tuple:
        """Digests of what many pages share: every template in use (with its parents) and each language's
        strings, assets and settings. If none changed, a page that is the same object as last build is too."""
        return (
            tuple(self._digests.template(t) for t in templates),
            tuple(renderer.shared_digest(lang, self._digests) for lang in LANGS),
        )

    def _plan(self, renderer: Renderer, pages: list[Page]) -> tuple[list[tuple[Page, str, bytes | None]], dict, dict]:
        """Every page with its digest, and the hash of its bytes if that digest is unchanged since the last build.
        A page that is the very object of last build (a patched model) with the same template and shared inputs
        keeps its digest; another is compared by identity (the objects it shows), then digested."""
        todo: list[tuple[Page, str, bytes | None]] = []
        idents = {}
        memo: dict[int, tuple] = {}
        last_idents, last_pages, last_memo, digests = self._idents, self._pages, self._plan_memo, self._digests
        for page in pages:
            path = page.output_path
            template = digests.template(page.template) if page.is_html else page.template
            shared = renderer.shared_digest(page.lang, digests)
            m = last_memo.get(id(page))
            if m is not None and m[0] is page and m[1] == template and m[2] == shared:
                digest = m[3]
                seen = last_idents.get(path)
                idents[path] = seen if seen is not None else (None, digest)
            else:
                ident = renderer.page_identity(page, digests)
                seen = last_idents.get(path)
                if seen is not None and seen[0] == ident:
                    digest = seen[1]  # the same objects as last build: no need to digest them again
                else:
                    digest = renderer.page_digest(page, digests)
                idents[path] = (ident, digest)
            memo[id(page)] = (page, template, shared, digest)
            prev = last_pages.get(path)
            todo.append((page, digest, prev[1] if prev is not None and prev[0] == digest else None))
        return todo, idents, memo

    def build(self, output: Path | None = None, *, keep_going: bool = False, incremental: bool = False) -> BuildResult:
        """Render ``content/`` into ``output/``.

        A content file that cannot be read stops the build before anything is written, so the
        published site never silently loses a page; every such file is reported at once. With
        ``keep_going`` the other articles are published anyway (the result still carries the errors).
        ``incremental`` (serve, after its first build) writes changed files in place, each atomically."""
        start = time.perf_counter()
        cfg = self.cfg
        output = output or cfg.output_dir
        tax, tax_key = _stage("load", self._taxonomy)
        content = _stage("parse", load_content, cfg.content_dir, tax, self._parsed, tax_key, cfg.cache_dir / CACHE_FILE)
        if content.errors and not keep_going:
            return BuildResult(PublishReport(), 0, time.perf_counter() - start, content.errors, content.warnings)
        fix = self._patched(content.articles, tax) if self.keep_state else None
        patched = fix is not None
        site, remade = (
            fix if fix is not None else (_stage("assemble", assemble, cfg, tax, content.articles, self._summaries), [])
        )
        if self.keep_state:
            self._model = (content.articles, tax, site)
        assets, asset_files = _stage("render", fingerprint_assets, cfg.theme_dir, cfg.dev)
        renderer = _stage("render", Renderer, cfg, tax, site, assets, self._env)
        extra = _stage("render", lambda: list(renderer.extra_files())) + asset_files
        finish = functools.partial(search.index, published=output) if self.search_index else None
        cache_path = cfg.cache_dir / CACHE_FILE
        if not self.keep_state:
            report, rendered, processes, _ = _stage(
                "write", publish_pages, renderer, site.pages, extra, output, finish, cache_path, self.jobs
            )
            return BuildResult(
                report,
                len(site.pages),
                time.perf_counter() - start,
                content.errors,
                content.warnings,
                rendered,
                processes,
            )

        # a session (serve): digest the pages; render only those whose digest changed since the last build. After
        # a patch with no shared input changed, only the remade pages can have changed: only they are looked at
        self._digests.new_build()
        if not patched:
            self._templates_in_use = sorted({p.template for p in site.pages if p.is_html})
        shared = _stage("render", self._shared_inputs, renderer, self._templates_in_use)
        only_remade = patched and shared == self._last_shared and incremental and bool(self._published)
        todo, idents, memo = _stage("render", self._plan, renderer, remade if only_remade else site.pages)
        if only_remade:  # the last build's records, updated in place for the remade pages
            pages, current = self._pages, self._published
            self._idents.update(idents)
            self._plan_memo.update(memo)
            idents, memo = self._idents, self._plan_memo
        else:
            pages = {}  # output path → (page digest, hash of its bytes)
            current = {p.output_path for p in site.pages} | {rel for rel, _ in extra}
        self._last_shared = shared
        self._plan_memo = memo
        processes = 1
        if incremental and self._published and output.exists():
            renderer.bodies = _stage(
                "render", self._render_bodies, [a for p, _, hit in todo if hit is None for a in _articles_of(p)]
            )
            changed = []
            for page, digest, hit in todo:
                if hit is None:
                    data = _stage("render", renderer.page_bytes, page)
                    hit = _hash(data)
                    prev = self._pages.get(page.output_path)
                    if prev is None or prev[1] != hit:
                        changed.append((page.output_path, data))
                pages[page.output_path] = (digest, hit)
            changed += [(rel, data) for rel, data in extra if self._extra.get(rel) != data]
            report = _stage("write", write_changed, changed, self._published - current, output)
            report.unchanged = len(current) - len(report.written)
            rendered = sum(1 for _, _, hit in todo if hit is None)
        else:
            report, rendered, processes, hashes = _stage(
                "write", publish_pages, renderer, site.pages, extra, output, finish, cache_path, self.jobs
            )
            pages = {page.output_path: (digest, hashes[page.output_path]) for page, digest, _ in todo}
        self._pages = pages
        self._idents = idents
        self._extra = dict(extra)
        self._published = current
        if incremental:
            # a long-lived session (serve): move what this build keeps (articles, pages, digests) out of the
            # cyclic garbage collector's way, so the next rebuild does not pay for scanning it. A build leaves
            # ~200 objects of cyclic garbage; they are collected every 50th build, not on every edit
            self._frozen_builds += 1
            if self._frozen_builds % 50 == 1:
                gc.unfreeze()
                gc.collect()
            gc.freeze()
        if not patched or self._frozen_builds % 50 == 1:
            alive = {id(a) for lang in content.articles.values() for a in lang.values()}
            self._summaries = {k: v for k, v in self._summaries.items() if k in alive}
            self._digests.forget_unused(alive | {id(s) for _, s in self._summaries.values()})
        return BuildResult(
            report, len(site.pages), time.perf_counter() - start, content.errors, content.warnings, rendered, processes
        )


def _hash(data: bytes) -> bytes:
    """What a session keeps of a page: a hash of its bytes (not the bytes) to tell whether a re-render changed it."""
    return hashlib.blake2b(data, digest_size=16).digest()


def _cached_bodies(cache: DiskCache, wanted: dict[str, str], render) -> dict[str, list[str]]:
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


def _articles_of(page: Page) -> list[Article]:
    """The articles whose bodies a page shows (an article page shows its twin's in the side-by-side view)."""
    shown = [a for a in (page.context.get("article"), page.context.get("twin")) if a is not None]
    return shown + page.context.get("dossier", [])


# --- the one-shot build: every page rendered and written by as many processes as there are cores ---

PARALLEL_MIN_PAGES = 400  # below this, forking costs more than it saves
BATCH = 200  # pages a worker renders between two trips to the body cache
_JOB: tuple | None = None  # (renderer, pages of each worker, staging, cache path): set before forking, read by workers


def _share(page: Page, index: int, shares: int) -> int:
    """Which worker renders a page: both language versions of an article go to the same one, so each body is
    rendered by Markdown once; other pages are dealt round-robin."""
    article = page.context.get("article")
    if article is not None:
        return zlib.crc32(article.slug.encode()) % shares
    return index % shares


def _batch_order(page: Page) -> tuple[int, str, str]:
    """An article's two language pages side by side (its bodies are fetched or rendered once), then the rest."""
    article = page.context.get("article")
    return (0, article.slug, page.lang) if article is not None else (1, "", "")


def _render_share(k: int) -> tuple[list[str], int, dict[str, bytes]]:
    """Worker ``k``: render its pages and stage them, a batch at a time. A batch's bodies come from the disk cache
    or from Markdown (new ones go straight back to the cache), its pages are rendered and written, then its bodies
    are dropped: a worker never holds more than one batch of bodies or pages.
    Returns (files written, files unchanged, hash of each page's bytes)."""
    assert _JOB is not None
    renderer, shares, staging, cache_path = _JOB
    mine = shares[k]
    written, unchanged, hashes = [], 0, {}
    with DiskCache(cache_path) as cache:
        for start in range(0, len(mine), BATCH):
            batch = mine[start : start + BATCH]
            wanted = {body_key(a.body): a.body for p in batch for a in _articles_of(p)}
            renderer.bodies = _cached_bodies(cache, wanted, lambda texts: [render_blocks(t) for t in texts])
            for page in batch:
                data = _stage("render", renderer.page_bytes, page)
                hashes[page.output_path] = _hash(data)
                if staging.put(page.output_path, data):
                    written.append(page.output_path)
                else:
                    unchanged += 1
    renderer.bodies = {}
    return written, unchanged, hashes


def _workers(pages: int, jobs: int) -> int:
    if jobs:
        return jobs
    if pages < PARALLEL_MIN_PAGES:
        return 1
    return max(1, len(os.sched_getaffinity(0)))


def publish_pages(
    renderer: Renderer,
    pages: list[Page],
    extra: list[tuple[str, bytes]],
    output: Path,
    finish,
    cache_path: Path,
    jobs: int = 0,
) -> tuple[PublishReport, int, int, dict[str, bytes]]:
    """Render every page into a staging copy of the site and swap it in. With two cores or more the pages are
    shared between this process and forked workers (they inherit the parsed site: nothing is sent but the
    results); each renders the bodies its pages need, so Markdown, templates and writes all use every core,
    and each puts the bodies it rendered into the disk cache itself (SQLite serialises the writers)."""
    global _JOB
    clean_stale_staging(output)
    seen: set[str] = set()
    for rel in [p.output_path for p in pages] + [rel for rel, _ in extra]:
        if rel in seen:
            raise ValueError(f"two pages want the same file: {rel}")
        seen.add(rel)
    staging = Staging(output)
    report = PublishReport()
    shares = _workers(len(pages), jobs)
    # each worker's pages are dealt before forking: a worker then touches only its own pages and articles, so
    # copy-on-write leaves the rest of the parent's memory shared
    dealt: list[list[Page]] = [[] for _ in range(shares)]
    for i, page in enumerate(pages):
        dealt[_share(page, i, shares)].append(page)
    for share in dealt:
        share.sort(key=_batch_order)
    try:
        _JOB = (renderer, dealt, staging, cache_path)
        if shares > 1:
            gc.collect()
            gc.freeze()  # forked workers then do not copy the parent's objects just to scan them
            with concurrent.futures.ProcessPoolExecutor(
                shares - 1,
                mp_context=multiprocessing.get_context("fork"),
                initializer=die_with_parent,
                initargs=(os.getpid(),),
            ) as pool:
                futures = [pool.submit(_render_share, k) for k in range(1, shares)]
                results = [_render_share(0)] + [f.result() for f in futures]
        else:
            results = [_render_share(0)]
        hashes: dict[str, bytes] = {}
        for written, unchanged, page_hashes in results:
            report.written.update(written)
            report.unchanged += unchanged
            hashes.update(page_hashes)
        for rel, data in extra:
            if staging.put(rel, data):
                report.written.add(rel)
            else:
                report.unchanged += 1
        staging.commit(seen, report, finish)
    except BaseException:
        staging.abort()
        raise
    finally:
        _JOB = None
        gc.unfreeze()
    return report, len(hashes), shares, hashes


def build(
    cfg: Config, output: Path | None = None, *, keep_going: bool = False, search_index: bool = True, jobs: int = 0
) -> BuildResult:
    """One full build (the command line, CI, Netlify): atomic swap of a complete site, search index included.
    ``jobs``: processes rendering pages (0: one per available core)."""
    return Builder(cfg, search_index=search_index, keep_state=False, jobs=jobs).build(output, keep_going=keep_going)
