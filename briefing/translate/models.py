"""Argos package management through ``argostranslate.package``: install (index or file), list, remove.

The portal installs ``argostranslate`` without its sentence-splitting dependencies (stanza, spacy,
minisbd pull in torch: gigabytes). ``argostranslate.package`` works without them except for one
thing: after installing or removing a package it imports ``argostranslate.translate`` only to
clear a language cache. That import is the one failure tolerated here, after checking that the
package really is in place.
"""

from __future__ import annotations

import json
import socket
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

from ..errors import EngineUnavailable, ModelError

_OPTIONAL_DEPS = {"stanza", "spacy", "minisbd", "torch", "sacremoses"}
OFFLINE_TIMEOUT = 4.0


def _argos_package() -> Any:
    try:
        from argostranslate import package
    except ImportError as exc:
        raise ModelError(f"argostranslate is not installed ({exc}); run: make setup") from exc
    return package


def _tolerate_cache_clear(exc: ImportError) -> bool:
    return (exc.name or "").split(".")[0] in _OPTIONAL_DEPS


def installed_packages() -> list[Any]:
    package = _argos_package()
    return [p for p in package.get_installed_packages() if getattr(p, "type", "translate") == "translate"]


def find_package(from_code: str = "fr", to_code: str = "en") -> Path | None:
    for p in installed_packages():
        if p.from_code == from_code and p.to_code == to_code:
            return Path(p.package_path)
    return None


def install_from_file(path: Path) -> Path:
    package = _argos_package()
    if not path.is_file():
        raise ModelError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        raise ModelError(f"{path}: not an Argos package (.argosmodel files are zip archives)")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        meta_names = [n for n in names if n.count("/") == 1 and n.endswith("/metadata.json")]
        if not meta_names:
            raise ModelError(f"{path}: no <folder>/metadata.json inside; not an Argos package")
        if any(n.startswith("/") or ".." in Path(n).parts for n in names):
            raise ModelError(f"{path}: unsafe paths inside the archive")
        meta = json.loads(zf.read(meta_names[0]))
        folder = meta_names[0].split("/")[0]
    if (meta.get("from_code"), meta.get("to_code")) != ("fr", "en"):
        raise ModelError(f"{path}: package translates {meta.get('from_code')}→{meta.get('to_code')}, not fr→en")
    try:
        package.install_from_path(path)
    except ImportError as exc:
        if not _tolerate_cache_clear(exc):
            raise ModelError(f"installing {path} failed: {exc}") from exc
    except Exception as exc:
        raise ModelError(f"installing {path} failed: {exc}") from exc
    from argostranslate import settings

    target = Path(settings.package_data_dir) / folder
    if not (target / "metadata.json").is_file():
        raise ModelError(f"{path}: installed, but {target} has no metadata.json")
    return target


def _reachable(url: str, timeout: float = OFFLINE_TIMEOUT) -> bool:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=timeout):
            return True
    except OSError:
        return False


def install_from_index(from_code: str = "fr", to_code: str = "en") -> Path:
    """Download the package index and the fr→en package; fails in seconds when offline."""
    package = _argos_package()
    from argostranslate import settings

    index_url = settings.remote_package_index
    if not _reachable(index_url):
        raise ModelError(
            f"the Argos package index ({urllib.parse.urlsplit(index_url).hostname}) cannot be "
            f"reached: this machine looks offline. Download translate-{from_code}_{to_code}.argosmodel "
            "elsewhere and run: python build.py models install --from FILE.argosmodel"
        )
    try:
        with urllib.request.urlopen(index_url, timeout=30) as resp:
            data = resp.read()
        Path(settings.local_package_index).write_bytes(data)
    except OSError as exc:
        raise ModelError(f"cannot download the Argos package index: {exc}") from exc
    candidates = [p for p in package.get_available_packages() if p.from_code == from_code and p.to_code == to_code]
    if not candidates:
        raise ModelError(f"the Argos index has no {from_code}→{to_code} package")
    try:
        path = candidates[0].download()
    except Exception as exc:
        raise ModelError(f"download of {candidates[0]} failed: {exc}") from exc
    return install_from_file(Path(path))


def remove(from_code: str = "fr", to_code: str = "en") -> Path:
    package = _argos_package()
    for p in installed_packages():
        if p.from_code == from_code and p.to_code == to_code:
            try:
                package.uninstall(p)
            except ImportError as exc:
                if not _tolerate_cache_clear(exc):
                    raise ModelError(f"removing {p.package_path} failed: {exc}") from exc
            return Path(p.package_path)
    raise ModelError(f"no {from_code}→{to_code} Argos package is installed")


def describe() -> list[str]:
    try:
        pkgs = installed_packages()
    except ModelError as exc:
        return [str(exc)]
    return [f"{p.from_code}→{p.to_code}  version {p.package_version}  {p.package_path}" for p in pkgs] or [
        "no Argos package installed"
    ]


def require_package() -> Path:
    path = find_package()
    if path is None:
        raise EngineUnavailable(
            "no French→English Argos package is installed: run "
            "'python build.py models install' (online) or "
            "'python build.py models install --from FILE.argosmodel'"
        )
    return path
