"""The live preview's build (``serve``): one ``BuildSession`` remembers the last build to make the next one small.

It remembers what the last build parsed (per file: mtime and size), the model it assembled, and per page a digest
of everything the page is made from (``digests.Digests``) with a hash of its bytes. The next build then parses
only changed files, patches the model when an edit touched only what an article's own page shows, and renders
and writes (each file atomically, in place) only the pages whose digest changed. Its first build, or one after
the output folder went away, publishes a whole site like the one-shot build. Between builds what the session
keeps is moved out of the cyclic garbage collector's way.
"""

from __future__ import annotations

import functools
import gc
import time
from pathlib import Path
from typing import NamedTuple

from . import search
from .bodies import cached_bodies, render_many
from .build import BuildResult
from .cache import CACHE_FILE, DiskCache
from .config import LANGS, Config
from .digests import Digests
from .parallel import bodies_wanted, page_hash, publish_pages
from .render import Renderer, make_env
from .site import Page, SiteModel, assemble, list_signature, patch
from .sources import Article, Content, ParseCache
from .stages import LoadedTaxonomy, in_stage, load_taxonomy, parse, prepare_render
from .taxonomy import Taxonomy
from .write import PublishReport, write_changed

GC_EVERY = 50  # builds between two full collections (a build leaves ~200 objects of cyclic garbage)
FULL_SCAN_EVERY = 20  # builds told which files changed between two that look at every file all the same
MAX_PATCHED = 100  # more changed articles than this: assemble the lists again rather than patch
MAX_BODIES = 50_000  # rendered bodies kept in memory; past this, only the last build's


class LastModel(NamedTuple):
    articles: dict[str, dict[str, Article]]
    taxonomy: Taxonomy
    site: SiteModel


class PageRecord(NamedTuple):
    """What the session keeps of a page it published."""

    digest: str  # of everything the page is made from
    hash: bytes  # of its bytes (``parallel.page_hash``)


class Identity(NamedTuple):
    objects: tuple | None  # ``Digests.page_identity``; None when the page's digest came from ``PlanMemo``
    digest: str


class PlanMemo(NamedTuple):
    """A page object's digest, valid while its template and shared inputs are the same."""

    page: Page
    template: str
    shared: str
    digest: str


class Planned(NamedTuple):
    page: Page
    digest: str
    known_hash: bytes | None  # the hash of its bytes as last published if its digest is unchanged: not rendered


class SharedInputs(NamedTuple):
    templates: tuple[str, ...]  # digest of every template in use (with its parents)
    languages: tuple[str, ...]  # what every page of each language shares: strings, assets, settings


class Plan(NamedTuple):
    pages: list[Planned]
    identities: dict[str, Identity]  # output path → identity
    memo: dict[int, PlanMemo]  # id(page) → memo


class BuildSession:
    """``build()`` renders the site like ``build.build``, writing only what changed since this session's last
    build. ``cfg`` is fixed for the session (a new ``site.yaml`` needs a new session)."""

    def __init__(self, cfg: Config, *, search_index: bool = True, jobs: int = 0) -> None:
        self.cfg = cfg
        self.search_index = search_index
        self.jobs = jobs
        self._env = make_env(cfg)
        self._digests = Digests(self._env)
        self._parsed: ParseCache = {}
        self._taxonomy: LoadedTaxonomy | None = None
        self._last: LastModel | None = None
        self._summaries: dict = {}  # list views of unchanged articles, reused (see ``site.assemble``)
        self._bodies: dict[str, list[str]] = {}  # rendered bodies, by ``body_key``
        self._entries: dict[int, tuple[Article, bytes]] = {}  # dossier entries (see ``Renderer.dossier_entry``)
        self._entries_made_with: tuple[SharedInputs | None, Taxonomy | None] = (None, None)
        self._templates_in_use: list[str] = []
        self._shared: SharedInputs | None = None
        self._pages: dict[str, PageRecord] = {}  # output path → record, for every page published
        self._identities: dict[str, Identity] = {}
        self._memo: dict[int, PlanMemo] = {}
        self._extra: dict[str, bytes] = {}  # assets, root index, 404 … as last published
        self._published: set[str] = set()  # every file of the last published site
        self._builds = 0

    def build(
        self, output: Path | None = None, *, keep_going: bool = False, changed: set[Path] | None = None
    ) -> BuildResult:
        """load → parse → assemble (or patch) → digest → render and write what changed → remember. ``changed``:
        the files a watcher saw change since the last build (None: look at every file)."""
        started = time.perf_counter()
        cfg = self.cfg
        output = output or cfg.output_dir
        self._taxonomy = tax = in_stage("load", load_taxonomy, cfg, self._taxonomy)
        trusted = (
            None
            if changed is None or self._builds % FULL_SCAN_EVERY == 0
            else {(p.parent.name, p.name) for p in changed}
        )
        content = in_stage("parse", parse, cfg, tax, self._parsed, trusted)
        if content.errors and not keep_going:
            return BuildResult.unreadable(content, started)
        patched = self._patched(content.articles, tax.taxonomy)
        site, remade = patched or (
            in_stage("assemble", assemble, cfg, tax.taxonomy, content.articles, self._summaries),
            [],
        )
        self._last = LastModel(content.articles, tax.taxonomy, site)
        renderer, extra = in_stage("render", prepare_render, cfg, tax.taxonomy, site, self._env)
        same_shared = in_stage("render", self._same_shared, renderer, site, patched is not None)
        self._share_entries(renderer, tax.taxonomy)
        in_place = bool(self._published) and output.exists()
        only_remade = in_place and patched is not None and same_shared
        plan = in_stage("render", self._plan, renderer, remade if only_remade else site.pages)
        current = self._published if only_remade else {p.output_path for p in site.pages} | {r for r, _ in extra}
        if in_place:
            report, rendered = self._write_changed(renderer, plan, extra, current, output, only_remade)
            processes = 1
        else:
            report, rendered, processes = self._publish(renderer, site, plan, extra, output)
        self._remember(plan, extra, current, only_remade)
        self._keep_memory_small(content, patched is not None)
        seconds = time.perf_counter() - started
        return BuildResult(report, len(site.pages), seconds, content.errors, content.warnings, rendered, processes)

    def _patched(self, articles: dict[str, dict[str, Article]], tax: Taxonomy) -> tuple[SiteModel, list[Page]] | None:
        """The last model, patched, when an edit changed only what an article's own page shows (the usual
        edit: a body, a caption, a typo in the text), with the pages remade; None when the lists must be
        assembled again."""
        last = self._last
        if last is None or last.taxonomy is not tax:
            return None
        if any(last.articles[lang].keys() != arts.keys() for lang, arts in articles.items()):
            return None
        changed = [
            (lang, slug)
            for lang, arts in articles.items()
            for slug, a in arts.items()
            if last.articles[lang][slug] is not a
        ]
        if len(changed) > MAX_PATCHED or any(
            list_signature(articles[lang][slug]) != list_signature(last.articles[lang][slug]) for lang, slug in changed
        ):
            return None
        return patch(last.site, articles, changed) if changed else (last.site, [])

    def _same_shared(self, renderer: Renderer, site: SiteModel, patched: bool) -> bool:
        """Digest what many pages share (every template in use, each language's strings, assets and settings);
        True if none changed since the last build: then a page that is the same object as last build is too."""
        self._digests.new_build()
        if not patched:
            self._templates_in_use = sorted({p.template for p in site.pages if p.is_html})
        shared = SharedInputs(
            tuple(self._digests.template(t) for t in self._templates_in_use),
            tuple(self._digests.shared(renderer, lang) for lang in LANGS),
        )
        same = shared == self._shared
        self._shared = shared
        return same

    def _plan(self, renderer: Renderer, pages: list[Page]) -> Plan:
        """Every page with its digest, and the hash of its bytes if that digest is unchanged since the last build.
        A page that is the very object of last build (a patched model) with the same template and shared inputs
        keeps its digest; another is compared by identity (the objects it shows), then digested."""
        plan = Plan([], {}, {})
        for page in pages:
            path = page.output_path
            template = self._digests.page_template(page)
            shared = self._digests.shared(renderer, page.lang)
            digest, plan.identities[path] = self._digest(renderer, page, template, shared)
            plan.memo[id(page)] = PlanMemo(page, template, shared, digest)
            last = self._pages.get(path)
            plan.pages.append(Planned(page, digest, last.hash if last and last.digest == digest else None))
        return plan

    def _digest(self, renderer: Renderer, page: Page, template: str, shared: str) -> tuple[str, Identity]:
        """The page's digest, and the identity to remember for its path."""
        seen = self._identities.get(page.output_path)
        memo = self._memo.get(id(page))
        if memo is not None and memo.page is page and memo.template == template and memo.shared == shared:
            return memo.digest, seen if seen is not None else Identity(None, memo.digest)
        objects = self._digests.page_identity(renderer, page)
        if seen is not None and seen.objects == objects:
            return seen.digest, seen  # the same objects as last build: no need to digest them again
        identity = Identity(objects, self._digests.page(renderer, page))
        return identity.digest, identity

    def _write_changed(
        self,
        renderer: Renderer,
        plan: Plan,
        extra: list[tuple[str, bytes]],
        current: set[str],
        output: Path,
        only_remade: bool,
    ) -> tuple[PublishReport, int]:
        """Render the pages whose digest changed; write (each atomically, in place) those whose bytes changed."""
        todo = [p for p in plan.pages if p.known_hash is None]
        renderer.use_bodies(in_stage("render", self._render_bodies, bodies_wanted(renderer, [p.page for p in todo])))
        records = self._pages if only_remade else {}
        changed = []
        for p in plan.pages:
            known = p.known_hash
            if known is None:
                data = in_stage("render", renderer.page_bytes, p.page)
                known = page_hash(data)
                last = self._pages.get(p.page.output_path)
                if last is None or last.hash != known:
                    changed.append((p.page.output_path, data))
            records[p.page.output_path] = PageRecord(p.digest, known)
        self._pages = records
        changed += [(rel, data) for rel, data in extra if self._extra.get(rel) != data]
        report = in_stage("write", write_changed, changed, self._published - current, output)
        report.unchanged = len(current) - len(report.written)
        return report, len(todo)

    def _render_bodies(self, wanted: dict[str, str]) -> dict[str, list[str]]:
        """Every body the pages to render need (body key → Markdown): from this session, then the disk cache,
        then Markdown."""
        found = {k: self._bodies[k] for k in wanted if k in self._bodies}
        missing = {k: text for k, text in wanted.items() if k not in found}
        if missing:
            with DiskCache(self.cfg.cache_dir / CACHE_FILE) as cache:
                found.update(cached_bodies(cache, missing, render_many))
        self._bodies = found if len(self._bodies) > MAX_BODIES else {**self._bodies, **found}
        return found

    def _share_entries(self, renderer: Renderer, tax: Taxonomy) -> None:
        """Give the renderer the session's dossier entries, made again from scratch when what every entry shows
        besides its article changed: templates, strings, assets, settings, the taxonomy (place names)."""
        shared, taxonomy = self._entries_made_with
        if self._shared != shared or tax is not taxonomy:
            self._entries = {}
            self._entries_made_with = (self._shared, tax)
        renderer.share_entries(self._entries)

    def _publish(
        self, renderer: Renderer, site: SiteModel, plan: Plan, extra: list[tuple[str, bytes]], output: Path
    ) -> tuple[PublishReport, int, int]:
        """A whole site, swapped in atomically (the session's first build)."""
        index = functools.partial(search.index, published=output) if self.search_index else None
        cache = self.cfg.cache_dir / CACHE_FILE
        done = in_stage("write", publish_pages, renderer, site.pages, extra, output, index, cache, self.jobs)
        self._pages = {p.page.output_path: PageRecord(p.digest, done.hashes[p.page.output_path]) for p in plan.pages}
        return done.report, done.rendered, done.processes

    def _remember(self, plan: Plan, extra: list[tuple[str, bytes]], current: set[str], only_remade: bool) -> None:
        if only_remade:  # the last build's records, updated in place for the remade pages
            self._identities.update(plan.identities)
            self._memo.update(plan.memo)
        else:
            self._identities, self._memo = plan.identities, plan.memo
        self._extra = dict(extra)
        self._published = current

    def _keep_memory_small(self, content: Content, patched: bool) -> None:
        """Move what this session keeps (articles, pages, digests) out of the cyclic garbage collector's way, so
        the next rebuild does not pay for scanning it; collect its garbage every ``GC_EVERY`` builds. Forget the
        digests and summaries of articles that are gone."""
        self._builds += 1
        collect = self._builds % GC_EVERY == 1
        if collect:
            gc.unfreeze()
            gc.collect()
        gc.freeze()
        if not patched or collect:
            alive = {id(a) for lang in content.articles.values() for a in lang.values()}
            self._summaries = {k: v for k, v in self._summaries.items() if k in alive}
            self._entries = {k: v for k, v in self._entries.items() if k in alive}
            self._digests.forget_unused(alive | {id(s) for _, s in self._summaries.values()})
