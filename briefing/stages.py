"""The stages of a build, each a named function, and ``in_stage``, which names the stage an error came from.

The one-shot build (``build.build``) and the live session (``session.BuildSession``) tell the same story with
them: load → parse → assemble → render → write.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple, TypeVar

import jinja2

from .cache import CACHE_FILE
from .config import Config
from .errors import BriefingError, BuildError, SourceError
from .render import Renderer, fingerprint_assets
from .site import SiteModel
from .sources import Content, ParseCache, load_content, load_project_taxonomy
from .taxonomy import Taxonomy, sources_bytes

T = TypeVar("T")


def in_stage(name: str, fn: Callable[..., T], *args: object) -> T:
    """``fn(*args)``; an unexpected error becomes a ``BuildError`` naming the stage, a template's syntax error a
    ``SourceError`` naming the template and line. Our own errors pass as they are."""
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


class LoadedTaxonomy(NamedTuple):
    data: bytes  # the bytes of every taxonomy source file
    taxonomy: Taxonomy
    key: str  # hash of ``data``: part of the parse cache's key (a taxonomy change re-parses the articles)


def load_taxonomy(cfg: Config, last: LoadedTaxonomy | None = None) -> LoadedTaxonomy:
    """The project's taxonomy; ``last`` (a session's) is reused when the files' bytes have not changed."""
    data = sources_bytes(cfg.content_dir / "taxonomy.yaml")
    if last is not None and last.data == data:
        return last
    return LoadedTaxonomy(data, load_project_taxonomy(cfg), hashlib.sha256(data).hexdigest())


def parse(
    cfg: Config, tax: LoadedTaxonomy, parsed: ParseCache | None = None, changed: set[tuple[str, str]] | None = None
) -> Content:
    """Every article of both languages, through the parse cache in ``.cache/`` (and ``parsed``, a session's
    memory of the files it read, by mtime and size; ``changed``: the only files that may differ from it)."""
    return load_content(cfg.content_dir, tax.taxonomy, parsed, tax.key, cfg.cache_dir / CACHE_FILE, changed)


def prepare_render(
    cfg: Config, tax: Taxonomy, site: SiteModel, env: jinja2.Environment
) -> tuple[Renderer, list[tuple[str, bytes]]]:
    """The renderer of this site's pages, and the files that are not pages: assets (fingerprinted), the root
    redirect, 404, robots.txt, favicon."""
    assets, asset_files = fingerprint_assets(cfg.theme_dir, cfg.dev)
    renderer = Renderer(cfg, tax, site, assets, env)
    return renderer, list(renderer.extra_files()) + asset_files
