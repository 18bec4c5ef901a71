"""The Argos path end to end, with a tiny real package the tests build (random weights: nonsense
output, but argostranslate's package API, CTranslate2 and SentencePiece all really run)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli

from briefing.frontmatter import parse_front_matter


@pytest.fixture
def argos_env(tmp_path: Path) -> dict[str, str]:
    """A private Argos package folder per test (installs must not leak between tests)."""
    pkgs = tmp_path / "argos-packages"
    pkgs.mkdir()
    return {"ARGOS_PACKAGES_DIR": str(pkgs)}


def test_install_from_file_then_translate_with_argos(bundled, tiny_argosmodel, argos_env, tmp_path):
    for f in (bundled / "content" / "en").glob("*.md"):
        f.unlink()
    listed = run_cli(bundled, "models", "list", env=argos_env)
    assert "no Argos package installed" in listed.stdout

    inst = run_cli(bundled, "models", "install", "--from", str(tiny_argosmodel), env=argos_env)
    assert inst.returncode == 0, inst.stderr
    assert (Path(argos_env["ARGOS_PACKAGES_DIR"]) / "translate-fr_en" / "model" / "model.bin").is_file()
    assert "fr→en  version 0.0.1-test" in run_cli(bundled, "models", "list", env=argos_env).stdout

    proc = run_cli(bundled, "translate", "--quiet", env=argos_env)  # auto picks argos when installed
    assert proc.returncode == 0, proc.stderr
    assert "with argos (argos translate-fr_en-0.0.1-test)" in proc.stdout
    english = sorted((bundled / "content" / "en").glob("*.md"))
    assert len(english) == 5
    for en in english:
        meta, body = parse_front_matter(en.read_text(encoding="utf-8"), en)
        assert meta["lang"] == "en" and meta["translation"] == "machine"
        assert meta["engine"] == "argos" and meta["model"] == "argos translate-fr_en-0.0.1-test"
        assert len(meta["source_sha256"]) == 64 and body.strip()
    # names come through whatever the (random) model does
    text = "\n".join(p.read_text(encoding="utf-8") for p in english)
    assert "Bui Thanh Son" in text and "Le Thi Thu Hang" in text and "To Anh Dung" in text

    again = run_cli(bundled, "translate", "--quiet", "--force", env=argos_env)
    assert again.returncode == 0 and "0 by the engine" in again.stdout, again.stdout
    assert run_cli(bundled, "build").returncode == 0
    page = next((bundled / "output" / "en" / "articles").glob("*/index.html")).read_text(encoding="utf-8")
    assert "Machine translation" in page and "argos translate-fr_en-0.0.1-test" in page

    removed = run_cli(bundled, "models", "remove", env=argos_env)
    assert removed.returncode == 0 and not (Path(argos_env["ARGOS_PACKAGES_DIR"]) / "translate-fr_en").exists()


def test_install_from_index_fails_fast_offline(project, argos_env):
    start = time.monotonic()
    proc = run_cli(project, "models", "install", env={**argos_env, "ARGOS_PACKAGE_INDEX": "http://192.0.2.1/"})
    elapsed = time.monotonic() - start
    assert proc.returncode == 3
    assert "cannot be reached" in proc.stderr and "--from FILE.argosmodel" in proc.stderr
    assert elapsed < 15, elapsed
    assert "Traceback" not in proc.stderr


def test_bad_package_file_is_refused(project, argos_env, tmp_path):
    bogus = tmp_path / "bogus.argosmodel"
    bogus.write_bytes(b"not a zip")
    proc = run_cli(project, "models", "install", "--from", str(bogus), env=argos_env)
    assert proc.returncode == 3 and "not an Argos package" in proc.stderr
    wrong = tmp_path / "wrong.argosmodel"
    with zipfile.ZipFile(wrong, "w") as zf:
        zf.writestr("translate-en_de/metadata.json", '{"from_code": "en", "to_code": "de"}')
    proc = run_cli(project, "models", "install", "--from", str(wrong), env=argos_env)
    assert proc.returncode == 3 and "missing model/model.bin" in proc.stderr


def test_missing_model_with_argos_engine_changes_nothing(bundled, argos_env):
    before = {p: p.read_bytes() for p in (bundled / "content").rglob("*.md")}
    proc = run_cli(bundled, "translate", "--engine", "argos", env=argos_env)
    assert proc.returncode == 3
    assert "no French→English Argos package is installed" in proc.stderr
    assert {p: p.read_bytes() for p in (bundled / "content").rglob("*.md")} == before


def test_engine_loads_the_model_once_and_batches(tiny_argosmodel, tmp_path, monkeypatch):
    """One CTranslate2 model for the whole run, and inputs sent in sorted batches of at most
    ``max_batch_size`` (recorded on the real translator, which still does the work)."""
    import ctranslate2

    from briefing.translate.engines import ArgosEngine

    loads: list[str] = []
    real_translator = ctranslate2.Translator

    def counting_translator(path: str, **kw: object) -> object:
        loads.append(path)
        return real_translator(path, **kw)

    monkeypatch.setattr(ctranslate2, "Translator", counting_translator)
    pkg = tmp_path / "pkg"
    with zipfile.ZipFile(tiny_argosmodel) as zf:
        zf.extractall(pkg)
    engine = ArgosEngine(pkg / "translate-fr_en", beam_size=1, max_batch_size=2)

    class Recorder:
        def __init__(self, inner: object) -> None:
            self.inner, self.batches = inner, []

        def translate_batch(self, batch, **kw):  # type: ignore[no-untyped-def]
            self.batches.append([len(tokens) for tokens in batch])
            return self.inner.translate_batch(batch, **kw)

    recorder = Recorder(engine._translator)
    engine._translator = recorder  # type: ignore[assignment]
    texts = ["Merci.", "Le ministre a parlé longuement de la coopération régionale.", "Oui.", "La conférence."]
    out = engine.translate_batch(texts)
    out2 = engine.translate_batch(["Une seconde phrase."])
    assert len(out) == 4 and all(isinstance(o, str) for o in out) and len(out2) == 1
    assert len(loads) == 1  # loaded once, for both calls
    assert [len(b) for b in recorder.batches] == [2, 2, 1]  # 4 texts in batches of 2, then 1
    flat = [n for b in recorder.batches[:2] for n in b]
    assert flat == sorted(flat)  # sorted by length: similar lengths decode together


def test_markdown_structure_survives_the_argos_model(tiny_argosmodel, tmp_path, taxonomy):
    from test_translate import MARKDOWN

    from briefing.bodies import render_markdown
    from briefing.translate.engines import ArgosEngine
    from briefing.translate.memory import Memory
    from briefing.translate.pipeline import Translator
    from briefing.translate.protect import Protector
    from briefing.translate.segment import fill, segment_markdown

    pkg = tmp_path / "pkg"
    with zipfile.ZipFile(tiny_argosmodel) as zf:
        zf.extractall(pkg)
    engine = ArgosEngine(pkg / "translate-fr_en", beam_size=1)
    protector = Protector(taxonomy.protected_terms())
    seg = segment_markdown(MARKDOWN)
    memory = Memory(tmp_path / "tm.sqlite")
    translator = Translator(engine, memory, protector)
    out = fill(seg.template, translator.translate_locked([protector.lock(s) for s in seg.segments]))
    calls = engine.calls
    again = fill(seg.template, translator.translate_locked([protector.lock(s) for s in seg.segments]))
    memory.close()
    tags = lambda html: __import__("re").findall(r"<(/?[a-z0-9]+)", html)  # noqa: E731
    assert tags(render_markdown(out)) == tags(render_markdown(MARKDOWN))
    assert "https://example.org/Path_With_Case" in out and "`code_inchangé`" in out and "Bui Thanh Son" in out
    assert again == out and engine.calls == calls  # second pass: all from memory, no engine call
