"""``site.yaml`` → one frozen, validated ``Config`` (the keys are declared in ``schema.SITE``); every
problem reported at once, each with its line."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import schema
from .errors import ConfigError, Problem, SourceError
from .inputfile import read_yaml_file
from .shape import url_problem

LANGS = schema.LANGS


@dataclass(frozen=True)
class Config:
    root: Path
    title: dict[str, str]
    description: dict[str, str]
    base_url: str
    default_language: str = "fr"
    per_page: int = 20
    publisher_name: str = "Vietnam News Agency (VNA)"
    publisher_url: str = ""
    editorial_desk: str = "Editorial desk"
    engine: str = "auto"
    beam_size: int = 2
    max_batch_size: int = 32
    dev: bool = False  # serve mode: stable asset names so CSS edits apply without a page reload
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def theme_dir(self) -> Path:
        return self.root / "theme"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache"

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: "/" at a domain root, "/portal/" on a project site."""
        return urlsplit(self.base_url).path or "/"

    def with_base_url(self, url: str) -> Config:
        return replace(self, base_url=_normalise_url(url))

    def for_serve(self, url: str) -> Config:
        return replace(self, base_url=_normalise_url(url), dev=True)


def _normalise_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _get(raw: Any, *keys: str) -> Any:
    """``raw[k1][k2]…`` or the schema's default when a level is missing (values are valid by then)."""
    fields = schema.SITE
    for key in keys:
        f = next(f for f in fields if f.name == key)
        raw = raw.get(key) if isinstance(raw, dict) else None
        if raw is None:
            return f.default
        fields = f.fields
    return raw


def _read(path: Path) -> Any:
    try:
        return read_yaml_file(path, path.parent)
    except FileNotFoundError:
        raise ConfigError(["site.yaml not found: is this a portal folder?"], path) from None
    except SourceError as exc:
        raise ConfigError([str(exc)]) from None


def load_config(root: Path, strict: bool = False) -> Config:
    """``site.yaml`` checked against ``schema.SITE``: every error (and, with ``strict``, every
    warning) at once, each with its line; ``BRIEFING_BASE_URL`` overrides ``base_url``."""
    path = root / "site.yaml"
    raw = _read(path)
    env_url = os.environ.get("BRIEFING_BASE_URL")
    problems = schema.check_site(raw, path, base_url_from_env=bool(env_url))
    if env_url and (why := url_problem(env_url)):
        problems.append(Problem(path, None, f"BRIEFING_BASE_URL: {why}"))
    errors = [p for p in problems if strict or not p.warning]
    if errors:
        raise ConfigError(errors)
    return Config(
        root=root,
        title=dict(_get(raw, "title")),
        description=dict(_get(raw, "description") or {lang: "" for lang in LANGS}),
        base_url=_normalise_url(env_url or str(_get(raw, "base_url"))),
        default_language=_get(raw, "default_language"),
        per_page=_get(raw, "per_page"),
        publisher_name=str(_get(raw, "publisher", "name")),
        publisher_url=str(_get(raw, "publisher", "url")),
        editorial_desk=str(_get(raw, "editorial_desk")),
        engine=_get(raw, "translate", "engine"),
        beam_size=_get(raw, "translate", "beam_size"),
        max_batch_size=_get(raw, "translate", "max_batch_size"),
        warnings=tuple(str(p) for p in problems if p.warning),
    )
