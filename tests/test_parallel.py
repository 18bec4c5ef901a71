"""Forked rendering (briefing/parallel.py): how pages are dealt, what a failing or dying worker does, and that the
job reaches the workers through the fork, not through module state."""

from __future__ import annotations

import inspect
import os
import types
from pathlib import Path

import pytest
from conftest import snapshot

from briefing import parallel
from briefing.config import load_config
from briefing.errors import BuildError
from briefing.render import make_env
from briefing.site import assemble
from briefing.stages import load_taxonomy, parse, prepare_render


def _prepared(root: Path):  # type: ignore[no-untyped-def]
    cfg = load_config(root)
    tax = load_taxonomy(cfg)
    content = parse(cfg, tax)
    assert not content.errors
    site = assemble(cfg, tax.taxonomy, content.articles)
    renderer, extra = prepare_render(cfg, tax.taxonomy, site, make_env(cfg))
    return cfg, site, renderer, extra


def _publish(root: Path, output: Path, jobs: int, renderer=None) -> parallel.Published:  # type: ignore[no-untyped-def]
    cfg, site, prepared, extra = _prepared(root)
    return parallel.publish_pages(
        renderer or prepared, site.pages, extra, output, None, cfg.cache_dir / "build.sqlite", jobs
    )


def test_deal_gives_every_page_once_and_an_articles_two_languages_to_one_process(bundled):
    _, site, _, _ = _prepared(bundled)
    shares = parallel.deal(site.pages, 3)
    dealt = [p for share in shares for p in share]
    assert sorted(p.output_path for p in dealt) == sorted(p.output_path for p in site.pages)
    where: dict[str, set[int]] = {}
    for k, share in enumerate(shares):
        for page in share:
            article = page.context.get("article")
            if article is not None:
                where.setdefault(article.slug, set()).add(k)
    assert where and all(len(ks) == 1 for ks in where.values())
    for share in shares:  # article pages first, each article's two languages side by side
        kinds = [0 if p.context.get("article") is not None else 1 for p in share]
        assert kinds == sorted(kinds)


def test_process_count():
    assert parallel.process_count(10, 3) == 3  # --jobs wins
    assert parallel.process_count(parallel.PARALLEL_MIN_PAGES - 1, 0) == 1  # a small site is not worth a fork
    assert parallel.process_count(parallel.PARALLEL_MIN_PAGES, 0) == len(os.sched_getaffinity(0))


def test_two_processes_publish_the_very_site_one_does(bundled, tmp_path):
    one = _publish(bundled, tmp_path / "one", 1)
    two = _publish(bundled, tmp_path / "two", 2)
    assert (one.processes, two.processes) == (1, 2)
    assert one.rendered == two.rendered > 50
    assert one.hashes == two.hashes
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_small_batches_and_reused_dossier_entries_publish_the_very_site_large_batches_do(
    bundled, tmp_path, monkeypatch
):
    _publish(bundled, tmp_path / "large", 1)
    monkeypatch.setattr(parallel, "BATCH", 3)
    monkeypatch.setattr(parallel, "BATCH_BODIES", 1)  # below a dossier's count: one page a batch, entries reused
    _publish(bundled, tmp_path / "small", 1)
    assert snapshot(tmp_path / "small") == snapshot(tmp_path / "large")


def test_batches_hold_few_bodies_and_spare_those_of_dossier_entries_already_made(bundled, monkeypatch):
    _, site, renderer, _ = _prepared(bundled)
    monkeypatch.setattr(parallel, "BATCH_BODIES", 1)
    dossiers = [p for p in site.pages if p.template == "dossier.html" and p.lang == "fr"]
    pages = [p for p in site.pages if p.lang == "fr" and p.template == "article.html"] + dossiers
    seen, held = [], []
    for batch in parallel.batches(renderer, pages):
        wanted = parallel.bodies_wanted(renderer, batch)
        held.append((len(batch), len(wanted)))
        seen += batch
        for page in batch:  # what rendering the batch would do to the entries
            renderer.use_bodies({})
            for a in page.context.get("dossier", []):
                renderer.dossier_entry(lambda art: f"<article>{art.slug}</article>", a)
    assert seen == pages  # every page once, in order
    assert all(bodies <= 1 or size == 1 for size, bodies in held)
    assert max(len(p.context["dossier"]) for p in dossiers) > 1  # the bound was tested on a dossier that exceeds it
    assert parallel.bodies_wanted(renderer, dossiers) == {}  # every entry made: dossiers need no body any more
    french = {a.slug for p in dossiers for a in p.context["dossier"]}
    entry = renderer.dossier_entry(
        lambda art: "never called", site.by_key[("article", sorted(french)[0])]["fr"].context["article"]
    )
    assert entry == f"<article>{sorted(french)[0]}</article>"  # made once, reused


def test_a_worker_that_dies_fails_the_build_and_publishes_nothing(bundled, tmp_path):
    out = tmp_path / "site"
    _publish(bundled, out, 1)
    before = snapshot(out)
    _, _, renderer, _ = _prepared(bundled)
    parent = os.getpid()
    real = renderer.page_bytes

    def dies_in_a_worker(self, page):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os._exit(3)  # a worker killed mid-render (out of memory, a signal)
        return real(page)

    renderer.page_bytes = types.MethodType(dies_in_a_worker, renderer)
    with pytest.raises(BuildError, match=r"\[render\] worker 1 died \(exit code 3\)"):
        _publish(bundled, out, 2, renderer)
    assert snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]  # no staging folder left


def test_an_error_in_a_worker_reaches_the_parent_with_its_stage(bundled, tmp_path):
    _, _, renderer, _ = _prepared(bundled)
    parent = os.getpid()
    real = renderer.page_bytes

    def fails_in_a_worker(self, page):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            raise ZeroDivisionError("in a worker")
        return real(page)

    renderer.page_bytes = types.MethodType(fails_in_a_worker, renderer)
    with pytest.raises(BuildError, match=r"\[render\] in a worker"):
        _publish(bundled, tmp_path / "site", 2, renderer)
    assert not (tmp_path / "site").exists()


def test_the_module_keeps_no_state():
    """The job goes to each worker as an argument captured before the fork: nothing mutable at module level."""
    mutable = {
        name: type(value).__name__
        for name, value in vars(parallel).items()
        if not name.startswith("__") and isinstance(value, (list, dict, set, bytearray))
    }
    assert mutable == {}
    assert "global " not in inspect.getsource(parallel)
