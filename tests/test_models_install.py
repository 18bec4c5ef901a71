"""``models install`` never breaks a working model: every damaged or hostile package is refused with one
clear line (exit 3), and the package installed before it still loads and translates afterwards."""

from __future__ import annotations

import hashlib
import http.server
import json
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli

from briefing.translate.engines import ArgosEngine

FOLDER = "translate-fr_en"


@pytest.fixture
def argos_env(tmp_path: Path) -> dict[str, str]:
    pkgs = tmp_path / "argos-packages"
    pkgs.mkdir()
    return {"ARGOS_PACKAGES_DIR": str(pkgs)}


@pytest.fixture
def working(project: Path, tiny_argosmodel: Path, argos_env: dict[str, str]) -> Path:
    """A project with the tiny fr→en package installed; returns the installed folder."""
    proc = run_cli(project, "models", "install", "--from", str(tiny_argosmodel), env=argos_env)
    assert proc.returncode == 0, proc.stderr
    return Path(argos_env["ARGOS_PACKAGES_DIR"]) / FOLDER


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _members(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if not i.is_dir()}


def _write(dest: Path, members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(dest, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return dest


def _refused(project: Path, env: dict[str, str], package: Path, working: Path, expect: str) -> None:
    before = _snapshot(working)
    proc = run_cli(project, "models", "install", "--from", str(package), env=env)
    assert proc.returncode == 3, (proc.returncode, proc.stdout, proc.stderr)
    assert expect in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert _snapshot(working) == before  # the installed package is untouched, byte for byte
    packages = Path(env["ARGOS_PACKAGES_DIR"])
    assert sorted(p.name for p in packages.iterdir()) == [FOLDER]  # nothing half-installed beside it
    assert not list(packages.parent.glob(".briefing-install-*"))  # no staging left over
    (out,) = ArgosEngine(working, beam_size=1).translate_batch(["Le ministre est arrivé à Hanoï."])
    assert isinstance(out, str) and out.strip()  # the working model still translates
    listed = run_cli(project, "models", "list", env=env).stdout
    assert "fr→en  version 0.0.1-test" in listed and "BROKEN" not in listed


def test_crc_error_in_a_member_is_refused(project, tiny_argosmodel, argos_env, working, tmp_path):
    members = _members(tiny_argosmodel)
    bad = _write(tmp_path / "crc.argosmodel", members, zipfile.ZIP_STORED)
    data = bytearray(bad.read_bytes())
    blob = members[f"{FOLDER}/model/model.bin"]
    at = data.find(blob[1000:1032]) + 16
    data[at] ^= 0xFF  # one flipped byte inside the stored model: only the CRC can tell
    bad.write_bytes(bytes(data))
    _refused(project, argos_env, bad, working, "is damaged")


def test_corrupt_deflate_stream_is_refused(project, tiny_argosmodel, argos_env, working, tmp_path):
    bad = tmp_path / "deflate.argosmodel"
    shutil.copy(tiny_argosmodel, bad)
    data = bytearray(bad.read_bytes())
    with zipfile.ZipFile(tiny_argosmodel) as zf:
        info = zf.getinfo(f"{FOLDER}/model/model.bin")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 100
    for i in range(start, start + 64):
        data[i] ^= 0x5A
    bad.write_bytes(bytes(data))
    _refused(project, argos_env, bad, working, "model.bin")


def test_package_with_only_metadata_is_refused(project, tiny_argosmodel, argos_env, working, tmp_path):
    meta = _members(tiny_argosmodel)[f"{FOLDER}/metadata.json"]
    bad = _write(tmp_path / "meta-only.argosmodel", {f"{FOLDER}/metadata.json": meta})
    _refused(project, argos_env, bad, working, "missing model/model.bin, sentencepiece.model")


def test_package_without_sentencepiece_is_refused(project, tiny_argosmodel, argos_env, working, tmp_path):
    members = {k: v for k, v in _members(tiny_argosmodel).items() if not k.endswith("sentencepiece.model")}
    _refused(project, argos_env, _write(tmp_path / "nosp.argosmodel", members), working, "missing sentencepiece")


def test_extra_top_level_folder_cannot_touch_another_package(project, tiny_argosmodel, argos_env, working, tmp_path):
    other = Path(argos_env["ARGOS_PACKAGES_DIR"]) / "translate-en_de"
    members = _members(tiny_argosmodel)
    members["translate-en_de/metadata.json"] = b'{"from_code": "en", "to_code": "de", "package_version": "x"}'
    bad = _write(tmp_path / "two-tops.argosmodel", members)
    _refused(project, argos_env, bad, working, "one top-level folder")
    assert not other.exists()


def test_traversal_absolute_and_symlink_members_are_refused(project, tiny_argosmodel, argos_env, working, tmp_path):
    members = _members(tiny_argosmodel)
    climb = _write(tmp_path / "climb.argosmodel", {**members, f"{FOLDER}/../../escaped.txt": b"x"})
    _refused(project, argos_env, climb, working, "climbs out")
    assert not (tmp_path / "escaped.txt").exists()
    absolute = _write(tmp_path / "abs.argosmodel", {**members, "/tmp/abs.txt": b"x"})
    _refused(project, argos_env, absolute, working, "absolute")
    link = tmp_path / "link.argosmodel"
    _write(link, members)
    with zipfile.ZipFile(link, "a") as zf:
        info = zipfile.ZipInfo(f"{FOLDER}/model/evil")
        info.external_attr = 0o120777 << 16  # a symbolic link to /etc/passwd
        zf.writestr(info, "/etc/passwd")
    _refused(project, argos_env, link, working, "symbolic link")


def test_zip_bomb_padding_is_refused_before_extraction(project, tiny_argosmodel, argos_env, working, tmp_path):
    bomb = _write(tmp_path / "bomb.argosmodel", _members(tiny_argosmodel))
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as zf, zf.open(f"{FOLDER}/padding", "w") as fh:
        for _ in range(300):
            fh.write(bytes(1024**2))  # 300 MB of zeros, ~300 KB compressed
    assert bomb.stat().st_size < 5 * 1024**2
    _refused(project, argos_env, bomb, working, "zip bomb")


def test_total_size_limit_is_enforced(tiny_argosmodel, tmp_path, monkeypatch):
    """The total limit applies to what is really decompressed, not only to what the directory says."""
    from briefing.errors import ModelError
    from briefing.translate import archive

    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 300_000)
    with zipfile.ZipFile(tiny_argosmodel) as zf, pytest.raises(ModelError, match="unpacks to"):
        archive.verify(zf, "pkg")
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 10**9)
    with zipfile.ZipFile(tiny_argosmodel) as zf:
        archive.verify(zf, "pkg")
        monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 300_000)  # a directory that lied about sizes
        with pytest.raises(ModelError, match="more than"):
            archive.extract(zf, "pkg", tmp_path / "out")


def test_invalid_metadata_json_is_a_clear_error(project, tiny_argosmodel, argos_env, working, tmp_path):
    members = _members(tiny_argosmodel)
    members[f"{FOLDER}/metadata.json"] = b'{"from_code": "fr", "to_code": '
    _refused(project, argos_env, _write(tmp_path / "json.argosmodel", members), working, "not valid JSON")
    members[f"{FOLDER}/metadata.json"] = b'{"from_code": "fr", "to_code": "en", "package_version": 3}'
    _refused(project, argos_env, _write(tmp_path / "schema.argosmodel", members), working, "must be a str")


def test_wrong_language_pair_is_refused(project, tiny_argosmodel, argos_env, working, tmp_path):
    members = _members(tiny_argosmodel)
    meta = json.loads(members[f"{FOLDER}/metadata.json"])
    members[f"{FOLDER}/metadata.json"] = json.dumps({**meta, "to_code": "de"}).encode()
    _refused(project, argos_env, _write(tmp_path / "de.argosmodel", members), working, "not fr→en")


def test_model_that_does_not_load_is_refused(project, tiny_argosmodel, argos_env, working, tmp_path):
    members = _members(tiny_argosmodel)
    members[f"{FOLDER}/model/model.bin"] = b"\x00garbage" * 1000
    _refused(project, argos_env, _write(tmp_path / "noload.argosmodel", members), working, "does not load")


def test_a_good_package_replaces_the_working_one_whole(project, tiny_argosmodel, argos_env, working, tmp_path):
    members = _members(tiny_argosmodel)
    meta = json.loads(members[f"{FOLDER}/metadata.json"])
    members[f"{FOLDER}/metadata.json"] = json.dumps({**meta, "package_version": "0.0.2-test"}).encode()
    newer = _write(tmp_path / "newer.argosmodel", members)
    proc = run_cli(project, "models", "install", "--from", str(newer), env=argos_env)
    assert proc.returncode == 0, proc.stderr
    assert "version 0.0.2-test" in run_cli(project, "models", "list", env=argos_env).stdout
    assert sorted(p.name for p in working.parent.iterdir()) == [FOLDER]
    (out,) = ArgosEngine(working, beam_size=1).translate_batch(["Merci."])
    assert isinstance(out, str)


class _Index(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802
        body = self.files.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def index_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Index)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _publish(base: str, package: bytes, sha256: str) -> dict[str, str]:
    entry = {"from_code": "fr", "to_code": "en", "package_version": "9", "links": [f"{base}/fr_en.argosmodel"]}
    if sha256:
        entry["sha256"] = sha256
    _Index.files = {"/index.json": json.dumps([entry]).encode(), "/fr_en.argosmodel": package}
    return {"ARGOS_PACKAGE_INDEX": base + "/"}


def test_index_download_is_checked_against_its_checksum(project, tiny_argosmodel, argos_env, working, index_server):
    package = tiny_argosmodel.read_bytes()
    tampered = package[:-200] + bytes(200)
    env = {**argos_env, **_publish(index_server, tampered, hashlib.sha256(package).hexdigest())}
    before = _snapshot(working)
    proc = run_cli(project, "models", "install", env=env)
    assert proc.returncode == 3 and "checksum mismatch" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and _snapshot(working) == before

    env = {**argos_env, **_publish(index_server, package, hashlib.sha256(package).hexdigest())}
    proc = run_cli(project, "models", "install", env=env)
    assert proc.returncode == 0, proc.stderr
    assert (working / "model" / "model.bin").is_file()


def test_broken_installed_folder_is_listed_not_a_traceback(project, argos_env, working):
    broken = Path(argos_env["ARGOS_PACKAGES_DIR"]) / "translate-xx_yy"
    broken.mkdir()
    (broken / "metadata.json").write_text("{nope", encoding="utf-8")
    proc = run_cli(project, "models", "list", env=argos_env)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "BROKEN" in proc.stdout and "fr→en  version 0.0.1-test" in proc.stdout
