"""Rendering and publishing every page at once, on every core: the last stage of a full build.

The pages are dealt to as many processes as there are cores (both language versions of an article to the same
one, so each body is rendered once); this process renders its own share while forked workers render theirs.
Each worker inherits the assembled site through the fork and gets its job as the argument of the function it
runs, captured before forking: there is no module state, and nothing is sent back but the results. Every
process writes its pages into one staging folder, which is swapped in atomically once all have succeeded.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import multiprocessing
import os
import zlib
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from .bodies import body_key, cached_bodies, render_blocks
from .cache import DiskCache
from .digests import Digests
from .errors import BuildError
from .procs import die_with_parent
from .render import Renderer
from .site import Page
from .sources import Article
from .stages import in_stage
from .write import PublishReport, Staging, clean_stale_staging

R = TypeVar("R")
PARALLEL_MIN_PAGES = 400  # below this, forking costs more than it saves
BATCH = 200  # pages a worker renders between two trips to the body cache
BATCH_BODIES = 400  # and the bodies it holds at most (unless one page shows more: a dossier)


class Published(NamedTuple):
    report: PublishReport
    rendered: int  # pages rendered
    processes: int  # processes that rendered them
    hashes: dict[str, bytes]  # output path → page_hash of its bytes (pages rendered)
    digests: dict[str, str]  # output path → ``Digests.page`` (pages rendered, when asked for)


@dataclass(frozen=True)
class RenderJob:
    """What every process of one build shares: the renderer, each process's pages, where they go."""

    renderer: Renderer
    shares: list[list[Page]]
    staging: Staging
    cache_path: Path
    digest: dict[int, tuple[object, str]] | None = None  # digest every page rendered, knowing these (``Digests.seed``)


class ShareResult(NamedTuple):
    written: list[str]  # files staged that differ from the published site
    unchanged: int
    hashes: dict[str, bytes]
    digests: dict[str, str]


def page_hash(data: bytes) -> bytes:
    """What is kept of a page: a hash of its bytes (not the bytes) to tell whether a re-render changed it."""
    return hashlib.blake2b(data, digest_size=16).digest()


def articles_of(page: Page) -> list[Article]:
    """The articles whose bodies a page shows (an article page shows its twin's in the side-by-side view)."""
    shown = [a for a in (page.context.get("article"), page.context.get("twin")) if a is not None]
    return shown + page.context.get("dossier", [])


def bodies_wanted(renderer: Renderer, pages: list[Page]) -> dict[str, str]:
    """Body key → Markdown of the bodies ``pages`` show, but for the dossier entries already made."""
    wanted: dict[str, str] = {}
    for page in pages:
        shown = [a for a in (page.context.get("article"), page.context.get("twin")) if a is not None]
        shown += [a for a in page.context.get("dossier", []) if not renderer.has_dossier_entry(a)]
        wanted.update((body_key(a.body), a.body) for a in shown)
    return wanted


def publish_pages(
    renderer: Renderer,
    pages: list[Page],
    extra: list[tuple[str, bytes]],
    output: Path,
    finish: Callable[[Path], None] | None,
    cache_path: Path,
    jobs: int = 0,
    kept: Collection[str] = (),
    digest: dict[int, tuple[object, str]] | None = None,
) -> Published:
    """Render every page into a staging copy of the site and swap it in (``finish`` runs on the staged site
    first: the search index). ``jobs``: processes (0: one per available core, one for a small site). The pages
    whose output path is in ``kept`` are not rendered: their published file is hard-linked into the staged site.
    ``digest``: also digest every page rendered (``Published.digests``), these digests known (``Digests.seed``)."""
    clean_stale_staging(output)
    paths = _unique_paths(pages, extra)
    staging = Staging(output)
    report = PublishReport()
    todo = [p for p in pages if p.output_path not in kept] if kept else pages
    job = RenderJob(renderer, deal(todo, process_count(len(todo), jobs)), staging, cache_path, digest)
    try:
        hashes: dict[str, bytes] = {}
        digests: dict[str, str] = {}
        for rel in kept:
            staging.link(rel)
        report.unchanged += len(kept)
        for result in _render_all(job):
            report.written.update(result.written)
            report.unchanged += result.unchanged
            hashes.update(result.hashes)
            digests.update(result.digests)
        for rel, data in extra:
            if staging.put(rel, data):
                report.written.add(rel)
            else:
                report.unchanged += 1
        staging.commit(paths, report, finish)
    except BaseException:
        staging.abort()
        raise
    return Published(report, len(hashes), len(job.shares), hashes, digests)


def _unique_paths(pages: list[Page], extra: list[tuple[str, bytes]]) -> set[str]:
    seen: set[str] = set()
    for rel in [p.output_path for p in pages] + [rel for rel, _ in extra]:
        if rel in seen:
            raise ValueError(f"two pages want the same file: {rel}")
        seen.add(rel)
    return seen


def process_count(pages: int, jobs: int) -> int:
    if jobs:
        return jobs
    if pages < PARALLEL_MIN_PAGES:
        return 1
    return max(1, len(os.sched_getaffinity(0)))


def deal(pages: list[Page], shares: int) -> list[list[Page]]:
    """Each process's pages, dealt before forking: a worker then touches only its own pages and articles, so
    copy-on-write leaves the rest of the parent's memory shared. Both language versions of an article go to the
    same process, side by side, so each body is fetched or rendered once; other pages are dealt round-robin."""
    dealt: list[list[Page]] = [[] for _ in range(shares)]
    for i, page in enumerate(pages):
        article = page.context.get("article")
        k = zlib.crc32(article.slug.encode()) % shares if article is not None else i % shares
        dealt[k].append(page)
    for share in dealt:
        share.sort(key=_batch_order)
    return dealt


def _batch_order(page: Page) -> tuple[int, str, str]:
    article = page.context.get("article")
    return (0, article.slug, page.lang) if article is not None else (1, "", "")


def batches(renderer: Renderer, pages: list[Page]) -> Iterator[list[Page]]:
    """``pages`` a batch at a time: up to ``BATCH`` pages showing up to ``BATCH_BODIES`` bodies between them (dossier
    pages show many: a batch of them would hold every body of the site at once). Lazily, so that the dossier
    entries made by one batch spare the next the bodies they hold."""
    batch: list[Page] = []
    bodies = 0
    for page in pages:
        shown = len(bodies_wanted(renderer, [page]))
        if batch and (len(batch) == BATCH or bodies + shown > BATCH_BODIES):
            yield batch
            batch, bodies = [], 0
            shown = len(bodies_wanted(renderer, [page]))
        batch.append(page)
        bodies += shown
    if batch:
        yield batch


def render_share(job: RenderJob, k: int) -> ShareResult:
    """Process ``k``: render its pages and stage them, a batch at a time. A batch's bodies come from the disk cache
    or from Markdown (new ones go straight back to the cache), its pages are rendered and written, then its bodies
    are dropped: a process never holds more than one batch of bodies or pages."""
    renderer, mine = job.renderer, job.shares[k]
    written, unchanged, hashes, digests = [], 0, {}, {}
    digest = None
    if job.digest is not None:
        digest = Digests(renderer.env)
        digest.seed(job.digest)
    with DiskCache(job.cache_path) as cache:
        for batch in batches(renderer, mine):
            wanted = bodies_wanted(renderer, batch)
            renderer.use_bodies(cached_bodies(cache, wanted, lambda texts: [render_blocks(t) for t in texts]))
            for page in batch:
                data = in_stage("render", renderer.page_bytes, page)
                hashes[page.output_path] = page_hash(data)
                if digest is not None:
                    digests[page.output_path] = digest.page(renderer, page)
                if job.staging.put(page.output_path, data):
                    written.append(page.output_path)
                else:
                    unchanged += 1
    renderer.use_bodies({})
    return ShareResult(written, unchanged, hashes, digests)


def _render_all(job: RenderJob) -> list[ShareResult]:
    """Every share rendered: share 0 here, the others each in a forked worker."""
    return in_processes(functools.partial(render_share, job), len(job.shares))


def in_processes(fn: Callable[[int], R], shares: int, stage: str = "render") -> list[R]:
    """``[fn(0), …, fn(shares - 1)]``: ``fn(0)`` here, each other in a forked worker that inherits what ``fn``
    needs and sends back only its result (or its error, raised here)."""
    if shares == 1:
        return [fn(0)]
    with gc_frozen():
        workers: list[_Worker] = []
        try:
            for k in range(1, shares):
                workers.append(_Worker(fn, k, stage))
            mine = fn(0)
            return [mine] + [w.result() for w in workers]
        finally:
            for w in workers:
                w.stop()


@contextlib.contextmanager
def gc_frozen(collect: bool = True) -> Iterator[None]:
    """The objects alive now out of the cyclic collector's way until the block ends: forked workers then do not
    copy the parent's objects just to scan them, and collections the block triggers do not scan them either.
    ``collect`` first drops what is already garbage (worth it before forking)."""
    if collect:
        gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class _Worker:
    """One forked process running ``fn(k)``; its result (or its error) comes back through a pipe."""

    def __init__(self, fn: Callable[[int], Any], k: int, stage: str) -> None:
        fork = multiprocessing.get_context("fork")
        self.k = k
        self.stage = stage
        self.received = False
        self.conn, child = fork.Pipe(duplex=False)
        self.process = fork.Process(target=_work, args=(fn, k, child, os.getpid(), stage), daemon=True)
        self.process.start()
        child.close()

    def result(self) -> Any:
        try:
            status, value = self.conn.recv()
        except EOFError:
            self.process.join()
            died = RuntimeError(f"worker {self.k} died (exit code {self.process.exitcode})")
            raise BuildError(self.stage, died) from None
        self.received = True
        if status == "error":
            raise value
        return value

    def stop(self) -> None:
        """Wait for a worker whose result was read; end any other (another process failed: it may still be
        rendering, or blocked sending a result nobody will read)."""
        if not self.received:
            self.process.terminate()
        self.process.join()
        self.conn.close()


def _work(fn: Callable[[int], Any], k: int, conn: Connection, parent: int, stage: str) -> None:
    """A worker's whole life: run ``fn(k)`` (render its share), send the result or the error, exit."""
    die_with_parent(parent)
    try:
        message: tuple[str, object] = ("ok", fn(k))
    except BaseException as exc:  # sent to the parent, which raises it
        message = ("error", exc)
    try:
        conn.send(message)
    except Exception as exc:  # an error that cannot be pickled: its text goes instead
        conn.send(("error", BuildError(stage, RuntimeError(f"{type(exc).__name__}: {exc}"))))
    conn.close()
