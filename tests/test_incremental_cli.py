"""The command-line build's incremental mode: after any change, the site it publishes is byte for byte the site a
full build makes, and any doubt about the state the last build left (missing, damaged, foreign, stale) is a full
build that says why."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, run_cli, snapshot

from briefing import buildstate
from briefing.build import BuildResult, build
from briefing.config import load_config
from briefing.frontmatter import dump_front_matter, parse_front_matter

sys.path.insert(0, str(ROOT / "bench"))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A generated project of 40 articles per language, built once (the state of that build is on disk)."""
    from generate_corpus import generate

    project = tmp_path / "gen"
    generate(project, 40, seed=11)
    first = _build(project)
    assert first.full_because == "no state of an earlier build" and not first.errors
    return project


def _build(project: Path, output: Path | None = None, reuse: bool = True) -> BuildResult:
    return build(load_config(project), output, search_index=False, jobs=1, reuse=reuse)


def _full_build(project: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a full build of the project as it is now publishes (into a folder of its own)."""
    reference = tmp_path / "reference"
    shutil.rmtree(reference, ignore_errors=True)
    assert _build(project, reference, reuse=False).full_because == "asked for (--force)"
    return snapshot(reference)


def _articles(project: Path, lang: str = "fr") -> list[Path]:
    return sorted((project / "content" / lang).glob("*.md"))


def _edit(md: Path, **changes: object) -> None:
    meta, body = parse_front_matter(md.read_text(encoding="utf-8"), md)
    body = str(changes.pop("body", body))
    meta.update(changes)
    md.write_text(dump_front_matter(meta, body), encoding="utf-8")


def _other(values: list[str], pool: list[str]) -> str:
    return next(v for v in pool if v not in values)


def _all_of(project: Path, key: str) -> list[str]:
    seen: list[str] = []
    for md in _articles(project):
        for v in parse_front_matter(md.read_text(encoding="utf-8"), md)[0][key]:
            if v not in seen:
                seen.append(v)
    return seen


def edit_body(project: Path) -> None:
    md = _articles(project)[3]
    _edit(md, body=md.read_text(encoding="utf-8").split("---\n", 2)[2] + "\n\nUn paragraphe ajouté.\n")


def edit_title(project: Path) -> None:
    _edit(_articles(project)[5], title="Un titre tout neuf")


def edit_conference(project: Path) -> None:
    md = _articles(project)[7]
    meta = parse_front_matter(md.read_text(encoding="utf-8"), md)[0]
    _edit(md, conferences=[_other(meta["conferences"], _all_of(project, "conferences"))])


def edit_minister(project: Path) -> None:
    md = _articles(project)[9]
    meta = parse_front_matter(md.read_text(encoding="utf-8"), md)[0]
    _edit(md, ministers=meta["ministers"] + [_other(meta["ministers"], _all_of(project, "ministers"))])


def new_article(project: Path) -> None:
    for lang in ("fr", "en"):
        src = _articles(project, lang)[2]
        dest = src.with_name("depeche-99999-nouvelle.md")
        dest.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
        _edit(dest, title=f"Nouvelle dépêche ({lang})", date="2031-01-02")


def deleted_article(project: Path) -> None:
    for lang in ("fr", "en"):
        _articles(project, lang)[4].unlink()


def edit_translation(project: Path) -> None:
    md = _articles(project, "en")[6]
    _edit(md, title="A reviewed English title", body="A reviewed English body.\n")


def edit_template(project: Path) -> None:
    tpl = project / "templates" / "article.html"
    tpl.write_text(tpl.read_text(encoding="utf-8").replace("{% block main %}", "{% block main %}<!-- v2 -->", 1))


def edit_config(project: Path) -> None:
    cfg = project / "site.yaml"
    text = cfg.read_text(encoding="utf-8")
    assert "title:" in text
    cfg.write_text(text.replace("title:", "title_was:", 1).replace("title_was:", "title:", 1) + "\n# edited\n")


def edit_taxonomy(project: Path) -> None:
    tax = project / "content" / "taxonomy.yaml"
    tax.write_text(tax.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


ARTICLE_CHANGES: list[Callable[[Path], None]] = [
    edit_body,
    edit_title,
    edit_conference,
    edit_minister,
    new_article,
    deleted_article,
    edit_translation,
]
PROJECT_CHANGES = {edit_template: "templates", edit_config: "site.yaml", edit_taxonomy: "taxonomy"}


@pytest.mark.parametrize("change", ARTICLE_CHANGES, ids=lambda f: f.__name__)
def test_an_article_change_renders_only_its_pages_and_equals_a_full_build(site, tmp_path, change):
    change(site)
    result = _build(site)
    assert result.full_because == "" and not result.errors
    assert 0 < result.rendered < result.pages / 3, (result.rendered, result.pages)
    assert snapshot(site / "output") == _full_build(site, tmp_path)
    again = _build(site)  # and the state it left is right too: nothing to render
    assert again.full_because == "" and again.rendered == 0 and again.publish.written == set()


@pytest.mark.parametrize("change", list(PROJECT_CHANGES), ids=lambda f: f.__name__)
def test_a_project_change_is_a_full_build_that_names_it(site, tmp_path, change):
    change(site)
    result = _build(site)
    assert result.full_because == f"{PROJECT_CHANGES[change]} changed since the last build"
    assert result.rendered == result.pages
    assert snapshot(site / "output") == _full_build(site, tmp_path)


def test_many_changes_in_a_row_stay_equal_to_a_full_build(site, tmp_path):
    for change in ARTICLE_CHANGES:
        change(site)
        assert _build(site).full_because == ""
    assert snapshot(site / "output") == _full_build(site, tmp_path)


def _state(site: Path) -> Path:
    return buildstate.state_path(load_config(site), site / "output")


@pytest.mark.parametrize(
    "harm, says",
    [
        (lambda p: p.write_bytes(p.read_bytes()[:-40]), "is damaged or was not signed by this build's key"),
        (lambda p: p.write_text(p.read_text().replace('"version":1', '"version":1 ')), "is damaged or was not"),
        (lambda p: p.write_bytes(b"\xff\xfe not text"), "is unreadable"),
        (lambda p: p.unlink(), "no state of an earlier build"),
    ],
    ids=["truncated", "edited", "garbage", "missing"],
)
def test_a_damaged_or_missing_state_means_a_full_build(site, tmp_path, harm, says):
    harm(_state(site))
    edit_body(site)
    result = _build(site)
    assert says in result.full_because and result.rendered == result.pages
    assert snapshot(site / "output") == _full_build(site, tmp_path)


def test_a_state_signed_with_another_key_means_a_full_build_said_in_one_line(site, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_KEY", "another machine's key")
    edit_title(site)
    proc = run_cli(site, "build", "--no-search")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("built") and len(lines) == 2
    assert lines[1] == f"full build: the build state {_state(site)} is damaged or was not signed by this build's key"
    edit_body(site)  # signed with that key now: the next build under it (another process) is incremental
    again = run_cli(site, "build", "--no-search")
    said = again.stdout.splitlines()[1].split()
    assert said[0] == "incremental:" and said[2:4] == ["pages", "rendered,"], again.stdout
    rendered, kept = int(said[1]), int(said[4])
    assert 0 < rendered <= 6 and kept > 20 * rendered  # digests made in one process hold in the next


def test_a_state_of_the_right_key_but_another_shape_is_a_full_build(site):
    path = _state(site)
    cfg = load_config(site)
    text = '{"version":1,"inputs":{},"listing":"","pages":{"x":1}}'
    secret = buildstate.cache_secret()
    assert secret is not None
    path.write_text(buildstate._mac(secret, text) + "\n" + text, encoding="utf-8")
    assert "of another version or shape" in _build(site).full_because
    assert buildstate.load(cfg, site / "output", {}).pages is not None  # the state that build left is good again


@pytest.mark.parametrize("harm", ["edited", "added", "deleted", "missing"])
def test_a_published_folder_changed_since_means_a_full_build(site, tmp_path, harm):
    out = site / "output"
    page = out / "fr" / "index.html"
    if harm == "edited":
        page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>by hand</p></body>"))
    elif harm == "added":
        (out / "stray.html").write_text("left by hand", encoding="utf-8")
    elif harm == "deleted":
        next((out / "fr" / "articles").glob("*/index.html")).unlink()
    else:
        shutil.rmtree(out)
    result = _build(site)
    assert result.full_because.startswith(f"the output folder {out} ")
    assert snapshot(out) == _full_build(site, tmp_path)


def test_force_and_a_new_search_setting_are_full_builds(site):
    edit_body(site)
    proc = run_cli(site, "build", "--no-search", "--force")
    assert proc.returncode == 0 and proc.stdout.splitlines()[1] == "full build: asked for (--force)"
    edit_title(site)
    assert _build(site).full_because == ""
    with_search = build(load_config(site), search_index=True, jobs=1)
    assert with_search.full_because == "settings changed since the last build"
    index = sorted(p.relative_to(site / "output").as_posix() for p in (site / "output" / "pagefind").rglob("*"))
    edit_body(site)  # with the search index: the pages kept, the index made again over the whole staged site
    again = build(load_config(site), search_index=True, jobs=1)
    assert again.full_because == "" and again.rendered < again.pages / 3
    assert (site / "output" / "pagefind" / "pagefind.js").is_file() and len(index) > 10


def test_pages_digested_on_two_processes_give_the_same_build(site, tmp_path):
    edit_title(site)
    two = build(load_config(site), search_index=False, jobs=2, reuse=True)
    assert two.full_because == "" and 0 < two.rendered < two.pages / 3
    assert snapshot(site / "output") == _full_build(site, tmp_path)
    assert _build(site).rendered == 0  # the digests one process makes are the ones two made


def test_a_kept_page_is_the_published_file_itself_not_a_copy(site):
    out = site / "output"
    kept = sorted((out / "fr" / "articles").glob("*/index.html"))[-1]
    inode = kept.stat().st_ino
    edit_body(site)
    result = _build(site)
    assert result.full_because == "" and kept.stat().st_ino == inode
