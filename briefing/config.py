"""``site.yaml`` → one frozen, validated ``Config``; every problem reported at once."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .errors import ConfigError

LANGS = ("fr", "en")
_KNOWN = {"title", "description", "base_url", "default_language", "per_page", "publisher", "translate"}
_ENGINES = ("auto", "argos", "apertium")


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


def _lang_map(raw: Any, key: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict) or set(raw) != set(LANGS) or not all(isinstance(v, str) for v in raw.values()):
        problems.append(f"{key}: needs a string for each language ({', '.join(LANGS)})")
        return {lang: "" for lang in LANGS}
    return {k: str(v) for k, v in raw.items()}


def load_config(root: Path, strict: bool = False) -> Config:
    path = root / "site.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise ConfigError(["site.yaml not found: is this a portal folder?"], path) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise ConfigError([f"line {line}: invalid YAML: {exc.problem}"], path) from None
    if not isinstance(raw, dict):
        raise ConfigError(["must be a mapping of settings"], path)
    problems: list[str] = []
    warnings = [f"{path}: unknown setting '{k}'" for k in raw if k not in _KNOWN]
    title = _lang_map(raw.get("title"), "title", problems)
    description = _lang_map(raw.get("description", {lang: "" for lang in LANGS}), "description", problems)
    base_url = os.environ.get("BRIEFING_BASE_URL") or raw.get("base_url") or ""
    parts = urlsplit(str(base_url))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append(f"base_url: {base_url!r} must be an absolute http(s) URL")
    lang = raw.get("default_language", "fr")
    if lang not in LANGS:
        problems.append(f"default_language: must be one of {LANGS}")
    per_page = raw.get("per_page", 20)
    if not isinstance(per_page, int) or per_page < 1:
        problems.append("per_page: must be a positive whole number")
    pub = raw.get("publisher") or {}
    tr = raw.get("translate") or {}
    engine = tr.get("engine", "auto")
    if engine not in _ENGINES:
        problems.append(f"translate.engine: must be one of {_ENGINES}")
    for key in ("beam_size", "max_batch_size"):
        if not isinstance(tr.get(key, 1), int) or tr.get(key, 1) < 1:
            problems.append(f"translate.{key}: must be a positive whole number")
    if problems or (strict and warnings):
        raise ConfigError(problems + (warnings if strict else []), path)
    return Config(
        root=root,
        title=title,
        description=description,
        base_url=_normalise_url(str(base_url)),
        default_language=lang,
        per_page=per_page,
        publisher_name=str(pub.get("name", "VNA")),
        publisher_url=str(pub.get("url", "")),
        engine=engine,
        beam_size=int(tr.get("beam_size", 2)),
        max_batch_size=int(tr.get("max_batch_size", 32)),
        warnings=tuple(warnings),
    )
