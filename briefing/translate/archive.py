"""An ``.argosmodel`` file checked whole before anything of it is installed.

``verify`` reads the zip's directory and refuses, with one line naming the file: member names that
are absolute, climb out (``..``), use backslashes or are symbolic links; more than one top-level
folder; too many members, a member or a total too large, a compression ratio of a zip bomb; a
missing ``metadata.json``, ``model/model.bin`` or ``sentencepiece.model``; metadata that is not
JSON or lacks the declared fields; a pair other than the one asked for. ``extract`` then writes the
members into a fresh folder, counting the bytes it really decompresses (a lying directory cannot
get past the limits) and letting ``zipfile`` check every CRC.
"""

from __future__ import annotations

import json
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import ModelError

MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 2 * 1024**3  # the real fr→en package is ~100 MB unpacked
MAX_RATIO = 200  # a model compresses ~1.1×; zeros compress ~1,000×
RATIO_FLOOR = 1024**2  # small members (JSON, README) may compress well
REQUIRED = ("metadata.json", "model/model.bin", "sentencepiece.model")
_CHUNK = 1 << 20

# metadata.json: field → (type, required)
METADATA_SCHEMA: dict[str, tuple[type, bool]] = {
    "from_code": (str, True),
    "to_code": (str, True),
    "package_version": (str, True),
    "type": (str, False),
    "target_prefix": (str, False),
    "argos_version": (str, False),
    "from_name": (str, False),
    "to_name": (str, False),
    "description": (str, False),
}


@dataclass(frozen=True)
class PackageInfo:
    folder: str  # the archive's single top-level folder
    meta: dict[str, Any]


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return f"member {name!r} is a symbolic link"
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return f"member {name!r} has an absolute or Windows path"
    if ".." in PurePosixPath(name).parts or "\x00" in name:
        return f"member {name!r} climbs out of the package folder"
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return f"member {name!r} expands {info.file_size // max(info.compress_size, 1)}× (a zip bomb?)"
    return None


def check_metadata(raw: bytes, where: str, pair: tuple[str, str]) -> dict[str, Any]:
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{where}: metadata.json is not valid JSON ({exc})") from exc
    if not isinstance(meta, dict):
        raise ModelError(f"{where}: metadata.json must be a JSON object")
    for key, (kind, required) in METADATA_SCHEMA.items():
        if key not in meta:
            if required:
                raise ModelError(f"{where}: metadata.json has no '{key}'")
        elif not isinstance(meta[key], kind):
            raise ModelError(f"{where}: metadata.json '{key}' must be a {kind.__name__}")
    if meta.get("type", "translate") != "translate":
        raise ModelError(f"{where}: package type is {meta['type']!r}, not a translation package")
    if (meta["from_code"], meta["to_code"]) != pair:
        raise ModelError(f"{where}: package translates {meta['from_code']}→{meta['to_code']}, not {pair[0]}→{pair[1]}")
    return meta


def verify(zf: zipfile.ZipFile, where: str, pair: tuple[str, str] = ("fr", "en")) -> PackageInfo:
    """Check the archive's directory and metadata; raise ``ModelError`` on the first problem."""
    infos = zf.infolist()
    if not infos:
        raise ModelError(f"{where}: the archive is empty")
    if len(infos) > MAX_MEMBERS:
        raise ModelError(f"{where}: {len(infos)} members (at most {MAX_MEMBERS})")
    for info in infos:
        problem = _member_problem(info)
        if problem:
            raise ModelError(f"{where}: {problem}; nothing was installed")
    tops = {PurePosixPath(i.filename).parts[0] for i in infos}
    if len(tops) != 1 or any(i.filename.rstrip("/") == next(iter(tops)) and not i.is_dir() for i in infos):
        raise ModelError(f"{where}: an Argos package holds one top-level folder, this one has {sorted(tops)[:5]}")
    folder = tops.pop()
    if folder in (".", "") or folder.startswith("."):
        raise ModelError(f"{where}: top-level folder {folder!r} is not a package name")
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        raise ModelError(f"{where}: unpacks to {total / 1e6:.0f} MB (at most {MAX_TOTAL_BYTES / 1e6:.0f} MB)")
    names = {i.filename for i in infos if not i.is_dir()}
    missing = [r for r in REQUIRED if f"{folder}/{r}" not in names]
    if missing:
        raise ModelError(
            f"{where}: not a usable Argos package: missing {', '.join(missing)} "
            "(a CTranslate2 model and a SentencePiece tokenizer are needed)"
        )
    meta = check_metadata(_read_small(zf, f"{folder}/metadata.json", where), where, pair)
    return PackageInfo(folder, meta)


def _read_small(zf: zipfile.ZipFile, name: str, where: str) -> bytes:
    try:
        with zf.open(name) as fh:
            data = fh.read(RATIO_FLOOR + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
        raise ModelError(f"{where}: {name} cannot be read ({exc})") from exc
    if len(data) > RATIO_FLOOR:
        raise ModelError(f"{where}: {name} is larger than {RATIO_FLOOR} bytes")
    return data


def extract(zf: zipfile.ZipFile, where: str, dest: Path) -> None:
    """Write every member under ``dest`` (already verified names), checking CRCs and real sizes."""
    written = 0
    for info in zf.infolist():
        target = dest.joinpath(*PurePosixPath(info.filename).parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with zf.open(info) as src, open(target, "wb") as out:
                while chunk := src.read(_CHUNK):
                    written += len(chunk)
                    if written > MAX_TOTAL_BYTES:
                        raise ModelError(f"{where}: unpacks to more than {MAX_TOTAL_BYTES / 1e6:.0f} MB")
                    out.write(chunk)
        except zipfile.BadZipFile as exc:  # CRC mismatch, truncated data
            raise ModelError(f"{where}: member {info.filename!r} is damaged ({exc}); nothing was installed") from exc
        except (OSError, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
            raise ModelError(f"{where}: member {info.filename!r} cannot be unpacked ({exc})") from exc
