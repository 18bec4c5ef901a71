"""Shared fixtures. Argos and XDG folders point into a temporary folder *before* anything imports
argostranslate, so tests never touch the user's installed models or settings."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
CORPUS2 = ROOT / "tests" / "corpus2"
CORPUS3 = ROOT / "tests" / "corpus3"
CORPUS4 = ROOT / "tests" / "corpus4"
CORPUS5 = ROOT / "tests" / "corpus5"
CORPUS6 = ROOT / "tests" / "corpus6"
CORPUS7 = ROOT / "tests" / "corpus7"
CORPUS8 = ROOT / "tests" / "corpus8"
CORPUS9 = ROOT / "tests" / "corpus9"
RAW_SEEDS = ROOT / "content" / "raw"
ARTIFACTS = ROOT / "test-artifacts"

_SANDBOX = Path(tempfile.mkdtemp(prefix="briefing-tests-"))
for var, sub in (
    ("ARGOS_PACKAGES_DIR", "argos/packages"),
    ("XDG_DATA_HOME", "xdg/data"),
    ("XDG_CONFIG_HOME", "xdg/config"),
    ("XDG_CACHE_HOME", "xdg/cache"),
):
    os.environ[var] = str(_SANDBOX / sub)
    (_SANDBOX / sub).mkdir(parents=True, exist_ok=True)
os.environ.pop("BRIEFING_BASE_URL", None)
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

IN_CI = bool(os.environ.get("CI"))


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects on the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests of a module that drives Chromium or a live server (it imports ``tests/browser.py`` or names from it)
    are ``serial``, like the tests marked so by hand: ``make test`` runs them one at a time after the others, which
    share the cores (pytest-xdist), so that page loads, live reloads and timed signals meet a quiet machine."""
    browser = sys.modules.get("browser")
    if browser is None:  # no collected module imports it (and a module-level None must not match)
        return
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and any(
            v is browser or getattr(v, "__module__", None) == "browser" for v in vars(module).values()
        ):
            item.add_marker(pytest.mark.serial)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_SANDBOX, ignore_errors=True)


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A temporary folder that other users can enter (pytest's own are private to their owner), for tests that run
    a command as 'nobody'; removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="briefing-open-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def require_tool(name: str, why: str) -> str:
    """The path of a system tool; in CI its absence is a failure, elsewhere a visible skip."""
    path = shutil.which(name)
    if path:
        return path
    if IN_CI:
        pytest.fail(f"{name} is required in CI ({why}); `make system-deps` installs it")
    pytest.skip(f"{name} not installed ({why}); run `make system-deps`")


PROJECT_FILES = ("site.yaml", "templates", "theme", "content/taxonomy.yaml", "content/glossary.yaml")


def make_project(dest: Path, *, with_content: bool = False) -> Path:
    """A portal folder: the real templates, theme, config and taxonomy; content only if asked."""
    for rel in PROJECT_FILES:
        src = ROOT / rel
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target)
        else:
            shutil.copy2(src, target)
    (dest / "content" / "fr").mkdir(parents=True, exist_ok=True)
    (dest / "content" / "en").mkdir(parents=True, exist_ok=True)
    if with_content:
        for lang in ("fr", "en"):
            for f in (ROOT / "content" / lang).glob("*.md"):
                shutil.copy2(f, dest / "content" / lang / f.name)
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "portal")


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """A copy of the repository's own bundled site (both languages)."""
    return make_project(tmp_path / "portal", with_content=True)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes: to assert that nothing was written or lost."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(
    root: Path, *args: str, timeout: float = 300, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="session")
def taxonomy():
    from briefing.taxonomy import load_taxonomy

    return load_taxonomy(ROOT / "content" / "taxonomy.yaml")


IMPORT_TODAY = datetime.date(2026, 11, 23)  # the importer's "today" in tests: dates after it are not guessed


def imp(taxonomy, text: str, use_nlp: bool = False):
    """The importer's record of a made-up dispatch ``text``; with ``use_nlp``, the French pipeline must be there."""
    from briefing import nlp
    from briefing.importer import extract

    if use_nlp and not nlp.available():
        pytest.fail(f"the French NLP pipeline is not installed: {nlp.INSTALL}")  # make test installs it
    return extract(text.encode("utf-8"), "made-up.txt", taxonomy, IMPORT_TODAY, use_nlp=use_nlp)


@pytest.fixture(scope="session")
def tiny_argosmodel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real, tiny Argos fr→en package built from the seed text (random weights)."""
    from tiny_argos import build_argosmodel

    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(RAW_SEEDS.glob("*.txt")))
    text += "\n" + "\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))
    return build_argosmodel(tmp_path_factory.mktemp("argos") / "translate-fr_en-test.argosmodel", text)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
