"""What the command-line build remembers of the site it published, so that the next one renders only what changed.

``.cache/site-state-<output>.json`` holds, after each successful build: a digest of every input that is not an
article (each part named: settings, templates, theme, taxonomy, the portal's code and libraries), the listing of
the published folder (path, size, mtime of every file), and per page the digest of everything it is made from
(``digests.Digests.page``: template, shared strings and settings, language switcher, context data). The next
build, when the first two are still the same, renders the pages whose digest changed and hard-links the others
from the published folder into its staging copy.

The state is never trusted blindly: it is plain JSON (no pickle) signed with HMAC-SHA256 under the build cache's
secret (``cache.cache_secret``: ``BRIEFING_CACHE_KEY`` or the per-user key file), and any doubt — no state, a
damaged or foreign one, another version, any changed non-article input, a published folder touched since —
is a full build, with the reason in one line (``load`` returns it).
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.metadata
import json
import os
from pathlib import Path
from typing import Any, NamedTuple

from .cache import cache_secret
from .config import Config

STATE_VERSION = 1
_LIBRARIES = ("jinja2", "markdown", "nh3", "babel", "feedgen", "pagefind", "pyyaml", "markupsafe")
_PACKAGE = Path(__file__).resolve().parent


class Loaded(NamedTuple):
    pages: dict[str, str] | None  # output path → page digest; None: build everything
    doubt: str  # why everything is built ("" when ``pages`` may be used)


def _tree_digest(*roots: Path) -> str:
    """Digest of the bytes of every file under ``roots`` (names included): a checkout or a cache restore that
    changes mtimes but not bytes keeps the state usable."""
    h = hashlib.sha256()
    for root in roots:
        files = (
            sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if root.is_dir() else []
        )
        if root.is_file():
            files = [root]
        for f in files:
            h.update(f"\x1d{f.relative_to(root.parent).as_posix()}\x1d".encode("utf-8", "surrogateescape"))
            h.update(f.read_bytes())
    return h.hexdigest()


def _versions() -> str:
    out = []
    for name in _LIBRARIES:
        try:
            out.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return ",".join(out)


def inputs(cfg: Config, options: dict[str, Any], taxonomy_key: str) -> dict[str, str]:
    """Every input of the build but the articles, each part as a digest (named in a full build's reason)."""
    content_files = sorted(cfg.content_dir.glob("*.yaml")) if cfg.content_dir.is_dir() else []
    return {
        "settings": hashlib.sha256(json.dumps([repr(cfg), sorted(options.items())]).encode()).hexdigest(),
        "site.yaml": _tree_digest(cfg.root / "site.yaml"),
        "templates": _tree_digest(cfg.templates_dir),
        "theme": _tree_digest(cfg.theme_dir),
        "taxonomy": hashlib.sha256(taxonomy_key.encode() + _tree_digest(*content_files).encode()).hexdigest(),
        "code": _tree_digest(_PACKAGE) + _versions(),
    }


def listing(output: Path) -> str:
    """Digest of the published folder's listing: path, size and mtime of every file (not the inode, so a
    restore that keeps mtimes keeps the state)."""
    rows: list[str] = []
    stack = [("", str(output))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                stack.append((prefix + e.name + "/", e.path))
            else:
                st = e.stat(follow_symlinks=False)
                rows.append(f"{prefix}{e.name}\x1f{st.st_size}\x1f{st.st_mtime_ns}")
    rows.sort()
    return hashlib.sha256("\x1e".join(rows).encode("utf-8", "surrogateescape")).hexdigest()


def state_path(cfg: Config, output: Path) -> Path:
    name = hashlib.sha256(str(output.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return cfg.cache_dir / f"site-state-{name}.json"


def _mac(secret: bytes, text: str) -> str:
    return hmac.new(secret, f"{STATE_VERSION}\x1f{text}".encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def load(cfg: Config, output: Path, current: dict[str, str]) -> Loaded:
    """The page digests of the last build into ``output``, if nothing but articles changed since; else why not."""
    path = state_path(cfg, output)
    try:
        mac, _, text = path.read_text(encoding="utf-8").partition("\n")
    except FileNotFoundError:
        return Loaded(None, "no state of an earlier build")
    except (OSError, UnicodeDecodeError):
        return Loaded(None, f"the build state {path} is unreadable")
    if not output.is_dir():
        return Loaded(None, f"the output folder {output} is missing")
    secret = cache_secret()
    if secret is None:
        return Loaded(None, "no key to check the build state with")
    if not hmac.compare_digest(_mac(secret, text), mac):
        return Loaded(None, f"the build state {path} is damaged or was not signed by this build's key")
    try:
        state = json.loads(text)
        pages, saved = state["pages"], state["inputs"]
        ok = state["version"] == STATE_VERSION and isinstance(saved, dict) and isinstance(pages, dict)
        if not ok or not all(type(k) is str and type(v) is str for k, v in pages.items()):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return Loaded(None, f"the build state {path} is of another version or shape")
    changed = [name for name, digest in current.items() if saved.get(name) != digest]
    if changed:
        return Loaded(None, f"{', '.join(changed)} changed since the last build")
    if state.get("listing") != listing(output):
        return Loaded(None, f"the output folder {output} changed since the last build")
    return Loaded(pages, "")


def save(cfg: Config, output: Path, current: dict[str, str], pages: dict[str, str]) -> None:
    """Record the state of the build that just published ``output`` (its listing as it is now)."""
    from .write import write_text_atomic

    secret = cache_secret()
    if secret is None:
        return
    text = json.dumps(
        {"version": STATE_VERSION, "inputs": current, "listing": listing(output), "pages": pages},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    try:
        write_text_atomic(state_path(cfg, output), _mac(secret, text) + "\n" + text)
    except OSError:
        pass  # only a shortcut: without it the next build is a full one


def forget(cfg: Config, output: Path) -> None:
    try:
        state_path(cfg, output).unlink()
    except OSError:
        pass
