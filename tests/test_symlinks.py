"""Symbolic links under theme/static, templates and content: those that lead out of the project are refused with
the file's name (exit 1, nothing published); those that stay inside it keep working."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import run_cli, snapshot

SECRET = "briefing-test-secret-4f1c9"


def _refused(bundled: Path, link: Path, proc) -> None:  # type: ignore[no-untyped-def]
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert link.name in proc.stderr and "outside the project" in proc.stderr and "Traceback" not in proc.stderr


def test_a_static_link_to_the_environment_is_never_published(bundled):
    assert run_cli(bundled, "build", "--no-search").returncode == 0
    before = snapshot(bundled / "output")
    link = bundled / "theme" / "static" / "env.txt"
    link.symlink_to("/proc/self/environ")
    proc = run_cli(bundled, "build", "--no-search", env={"LEAK_ME": SECRET})
    _refused(bundled, link, proc)
    after = snapshot(bundled / "output")
    assert not [p for p, data in after.items() if SECRET.encode() in data]
    assert after == before


def test_a_template_linked_out_of_the_project_is_refused(bundled, tmp_path):
    outside = tmp_path / "elsewhere.html"
    outside.write_text(SECRET, encoding="utf-8")
    link = bundled / "templates" / "leak.html"
    link.symlink_to(outside)
    tpl = bundled / "templates" / "article.html"
    tpl.write_text(
        tpl.read_text(encoding="utf-8").replace("{% block main %}", '{% block main %}{% include "leak.html" %}', 1),
        encoding="utf-8",
    )
    proc = run_cli(bundled, "build", "--no-search")
    _refused(bundled, link, proc)
    assert not (bundled / "output").exists() or not [
        p for p, data in snapshot(bundled / "output").items() if SECRET.encode() in data
    ]


def test_a_content_file_linked_out_of_the_project_is_refused(bundled, tmp_path):
    src = sorted((bundled / "content" / "fr").glob("*.md"))[0]
    outside = tmp_path / "other-project.md"
    outside.write_text(src.read_text(encoding="utf-8").replace("title: ", f"title: {SECRET} ", 1), encoding="utf-8")
    link = bundled / "content" / "fr" / "lien.md"
    link.symlink_to(outside)
    proc = run_cli(bundled, "build", "--no-search")
    _refused(bundled, link, proc)
    assert not (bundled / "output").exists()


def test_links_inside_the_project_keep_working(bundled):
    static = bundled / "theme" / "static"
    (static / "alias.css").symlink_to(static / "style.css")
    (static / "loop").symlink_to(static)  # a link loop ends
    fr = sorted((bundled / "content" / "fr").glob("*.md"))[0]
    (bundled / "content" / "fr" / "alias-article.md").symlink_to(fr)
    proc = run_cli(bundled, "build", "--no-search")
    assert proc.returncode == 0, proc.stderr
    assets = os.listdir(bundled / "output" / "assets")
    assert any(a.startswith("alias.") for a in assets)
    assert (bundled / "output" / "fr" / "articles" / "alias-article" / "index.html").is_file()


def test_settings_taxonomy_and_glossary_linked_out_of_the_project_are_refused(bundled, tmp_path):
    readers = {
        "site.yaml": ("check", "build"),
        "content/taxonomy.yaml": ("check", "build"),
        "content/glossary.yaml": ("check",),
    }
    for name, commands in readers.items():  # the build never reads the glossary (translation only)
        target = bundled / name
        outside = tmp_path / target.name
        outside.write_text(target.read_text(encoding="utf-8"), encoding="utf-8")  # the same settings, elsewhere
        kept = target.read_bytes()
        target.unlink()
        target.symlink_to(outside)
        for command in commands:
            _refused(bundled, target, run_cli(bundled, command, *(["--no-search"] if command == "build" else [])))
        assert not (bundled / "output").exists()
        target.unlink()
        target.write_bytes(kept)
    inside = bundled / "settings" / "site.yaml"  # a link that stays in the project keeps working
    inside.parent.mkdir()
    (bundled / "site.yaml").rename(inside)
    (bundled / "site.yaml").symlink_to(inside)
    assert run_cli(bundled, "check").returncode == 0
