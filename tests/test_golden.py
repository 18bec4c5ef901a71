"""Golden pages: one article page in each language, byte for byte after normalising asset fingerprints.

A template, theme string or rendering change shows up here as a readable diff. When the change is intended,
regenerate the golden files and review them in the commit:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import ROOT, make_project, run_cli

GOLDEN = ROOT / "tests" / "golden"
SLUG = "la-vice-ministre-des-affaires-etrangeres-le-thi-thu-hang-a-souligne-les"


def normalise(html: str) -> str:
    """Asset fingerprints change with every stylesheet edit: they are not what these files guard."""
    return re.sub(r"(/assets/[\w.-]+?)\.[0-9a-f]{10}\.(\w+)", r"\1.HASH.\2", html)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("golden") / "portal", with_content=True)
    proc = run_cli(root, "build", "--no-search", "--base-url", "https://portal.example/")
    assert proc.returncode == 0, proc.stderr
    return root / "output"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_article_page_matches_its_golden_file(site, lang):
    got = normalise((site / lang / "articles" / SLUG / "index.html").read_text(encoding="utf-8"))
    golden = GOLDEN / f"article-{lang}.html"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(got, encoding="utf-8")
    assert golden.exists(), f"{golden} missing: run UPDATE_GOLDEN=1 pytest tests/test_golden.py"
    assert got == golden.read_text(encoding="utf-8")


def test_normalise_only_touches_fingerprints():
    html = '<link href="/assets/style.0123456789.css"><a href="/fr/articles/abcdef0123/">x</a>'
    assert normalise(html) == '<link href="/assets/style.HASH.css"><a href="/fr/articles/abcdef0123/">x</a>'
