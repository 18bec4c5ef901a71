"""Argos fr→en packages: install (index or file), list, remove, without ever breaking a working one.

An install is all or nothing: the archive is verified whole (``archive.verify``), unpacked into a
temporary folder beside the packages folder (CRCs and real sizes checked), loaded and asked to
translate one sentence, and only then renamed into place; the package it replaces is moved aside
first and deleted last, and put back if the final rename fails. A failed install therefore leaves
the installed model exactly as it was. Index downloads are checked against the index's checksum
when it gives one.

Only ``argostranslate.settings`` is used (where packages live, where the index is): listing and
installing are done here so that a broken folder is reported, never a traceback.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import tempfile
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EngineUnavailable, ModelError
from . import archive

OFFLINE_TIMEOUT = 4.0
PAIR = ("fr", "en")
FIX_COMMAND = "python build.py models install (online) or python build.py models install --from FILE.argosmodel"


@dataclass(frozen=True)
class Installed:
    path: Path
    meta: dict[str, Any] | None  # None: the folder is broken
    problem: str = ""


def _settings() -> Any:
    try:
        from argostranslate import settings
    except ImportError as exc:
        raise ModelError(f"argostranslate is not installed ({exc}); run: make setup") from exc
    return settings


def packages_dir() -> Path:
    return Path(_settings().package_data_dir)


def installed() -> list[Installed]:
    """Every folder in the packages directory, with its metadata or what is wrong with it."""
    out = []
    root = packages_dir()
    for path in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            raw = (path / "metadata.json").read_bytes()
            meta = json.loads(raw)
            if not isinstance(meta, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as exc:
            out.append(Installed(path, None, f"broken package folder ({exc})"))
            continue
        out.append(Installed(path, meta))
    return out


def find_package(from_code: str = "fr", to_code: str = "en") -> Path | None:
    for p in installed():
        if p.meta and (p.meta.get("from_code"), p.meta.get("to_code")) == (from_code, to_code):
            return p.path
    return None


def _smoke_test(package: Path, where: str) -> None:
    from .engines import ArgosEngine

    try:
        engine = ArgosEngine(package, beam_size=1, max_batch_size=1)
        (out,) = engine.translate_batch(["Le ministre est arrivé."])
    except Exception as exc:  # a model that cannot load or run: the install stops here
        raise ModelError(f"{where}: the model does not load or translate ({exc}); nothing was installed") from exc
    if not isinstance(out, str):
        raise ModelError(f"{where}: the model returned no text; nothing was installed")


def _swap_in(new: Path, target: Path, staging: Path) -> None:
    """Rename ``new`` to ``target``; an existing ``target`` is moved aside first and restored on failure."""
    old = staging / "previous"
    had_old = target.exists()
    if had_old:
        os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        if had_old:
            os.replace(old, target)
        raise


def install_from_file(path: Path) -> Path:
    where = str(path)
    if not path.is_file():
        raise ModelError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{path}: not an Argos package (.argosmodel files are zip archives)")
    root = packages_dir()
    try:
        with zipfile.ZipFile(path) as zf:
            info = archive.verify(zf, where, PAIR)
            target = root / info.folder
            _refuse_foreign_target(target, where)
            staging = Path(tempfile.mkdtemp(prefix=".briefing-install-", dir=root.parent))
            try:
                archive.extract(zf, where, staging / "new")
                _smoke_test(staging / "new" / info.folder, where)
                _swap_in(staging / "new" / info.folder, target, staging)
                _retire_other_pairs(target, staging)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except zipfile.BadZipFile as exc:
        raise ModelError(f"{path}: damaged zip archive ({exc}); nothing was installed") from exc
    except OSError as exc:
        raise ModelError(f"{path}: install failed ({exc}); the installed model is unchanged") from exc
    return target


def _refuse_foreign_target(target: Path, where: str) -> None:
    """The archive's folder must not replace a package of another language pair."""
    if not target.exists():
        return
    current = next((p for p in installed() if p.path == target), None)
    if current and current.meta and (current.meta.get("from_code"), current.meta.get("to_code")) != PAIR:
        raise ModelError(
            f"{where}: its folder {target.name!r} is the installed "
            f"{current.meta.get('from_code')}→{current.meta.get('to_code')} package; nothing was installed"
        )


def _retire_other_pairs(kept: Path, staging: Path) -> None:
    """After a successful install, other fr→en folders would make the choice ambiguous: remove them."""
    for p in installed():
        if p.path != kept and p.meta and (p.meta.get("from_code"), p.meta.get("to_code")) == PAIR:
            os.replace(p.path, staging / f"retired-{p.path.name}")


def _reachable(url: str, timeout: float = OFFLINE_TIMEOUT) -> bool:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=timeout):
            return True
    except OSError:
        return False


def _index_entry(index_url: str) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(index_url, timeout=30) as resp:
            index = json.loads(resp.read(50 * 1024**2))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the Argos package index {index_url}: {exc}") from exc
    entries = [
        e
        for e in (index if isinstance(index, list) else [])
        if isinstance(e, dict) and (e.get("from_code"), e.get("to_code")) == PAIR and e.get("links")
    ]
    if not entries:
        raise ModelError(f"the Argos index {index_url} has no fr→en package")
    return entries[0]


def _download(entry: dict[str, Any], dest: Path) -> None:
    url = str(entry["links"][0])
    digest = hashlib.sha256()
    size = 0
    try:
        with urllib.request.urlopen(url, timeout=60) as resp, open(dest, "wb") as out:
            while chunk := resp.read(1 << 20):
                size += len(chunk)
                if size > archive.MAX_TOTAL_BYTES:
                    raise ModelError(f"{url}: download larger than {archive.MAX_TOTAL_BYTES / 1e6:.0f} MB")
                digest.update(chunk)
                out.write(chunk)
    except OSError as exc:
        raise ModelError(f"download of {url} failed: {exc}") from exc
    expected = str(entry.get("sha256") or entry.get("checksum") or "").lower().removeprefix("sha256:")
    if expected and digest.hexdigest() != expected:
        raise ModelError(
            f"{url}: checksum mismatch (index says {expected[:16]}…, download is {digest.hexdigest()[:16]}…); "
            "nothing was installed"
        )


def install_from_index() -> Path:
    """Download the index and the fr→en package; fails in seconds when offline."""
    index_url = _settings().remote_package_index
    if not _reachable(index_url):
        raise ModelError(
            f"the Argos package index ({urllib.parse.urlsplit(index_url).hostname}) cannot be "
            "reached: this machine looks offline. Download translate-fr_en.argosmodel "
            "elsewhere and run: python build.py models install --from FILE.argosmodel"
        )
    entry = _index_entry(index_url)
    with tempfile.TemporaryDirectory(prefix=".briefing-download-", dir=packages_dir().parent) as tmp:
        file = Path(tmp) / "translate-fr_en.argosmodel"
        _download(entry, file)
        return install_from_file(file)


def remove(from_code: str = "fr", to_code: str = "en") -> Path:
    path = find_package(from_code, to_code)
    if path is None:
        raise ModelError(f"no {from_code}→{to_code} Argos package is installed")
    try:
        shutil.rmtree(path)
    except OSError as exc:
        raise ModelError(f"removing {path} failed: {exc}") from exc
    return path


def describe() -> list[str]:
    try:
        pkgs = installed()
    except (ModelError, OSError) as exc:
        return [str(exc)]
    lines = []
    for p in pkgs:
        if p.meta is None:
            lines.append(f"BROKEN  {p.path}  {p.problem}")
        else:
            m = p.meta
            lines.append(f"{m.get('from_code')}→{m.get('to_code')}  version {m.get('package_version')}  {p.path}")
    return lines or ["no Argos package installed"]


def require_package() -> Path:
    path = find_package()
    if path is None:
        raise EngineUnavailable(f"no French→English Argos package is installed: run {FIX_COMMAND}")
    return path
