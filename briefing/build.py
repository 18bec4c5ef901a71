"""The whole build as one short function: load → parse → assemble → render → write.

Nothing is written before both languages are parsed and linked; ``publish`` then swaps the new
site in atomically. Each stage's unexpected failure is wrapped with the stage's name.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config
from .errors import BriefingError, BuildError, SourceError
from .render import Renderer, fingerprint_assets
from .site import assemble
from .sources import load_content
from .taxonomy import Taxonomy, load_taxonomy
from .write import PublishReport, clean_stale_staging, publish


@dataclass
class BuildResult:
    publish: PublishReport
    pages: int
    seconds: float
    errors: list[SourceError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _stage(name: str, fn, *args):  # type: ignore[no-untyped-def]
    try:
        return fn(*args)
    except BriefingError:
        raise
    except Exception as exc:  # an unexpected failure: say which stage
        raise BuildError(name, exc) from exc


def load_project_taxonomy(cfg: Config) -> Taxonomy:
    return load_taxonomy(cfg.content_dir / "taxonomy.yaml")


def build(cfg: Config, output: Path | None = None, *, keep_going: bool = False) -> BuildResult:
    """Render ``content/`` into ``output/``.

    A content file that cannot be read stops the build before anything is written, so the
    published site never silently loses a page; every such file is reported at once. With
    ``keep_going`` the other articles are published anyway (the result still carries the errors,
    and the command line still exits non-zero)."""
    start = time.perf_counter()
    output = output or cfg.output_dir
    tax = _stage("load", load_project_taxonomy, cfg)
    content = _stage("parse", load_content, cfg.content_dir, tax)
    if content.errors and not keep_going:
        return BuildResult(PublishReport(), 0, time.perf_counter() - start, content.errors, content.warnings)
    site = _stage("assemble", assemble, cfg, tax, content.articles)
    assets, asset_files = _stage("render", fingerprint_assets, cfg.theme_dir, cfg.dev)
    renderer = _stage("render", Renderer, cfg, tax, site, assets)
    files = _stage("render", lambda: list(renderer.files()) + asset_files)
    clean_stale_staging(output)
    report = _stage("write", publish, files, output)
    return BuildResult(report, len(site.pages), time.perf_counter() - start, content.errors, content.warnings)
