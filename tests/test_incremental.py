"""Incremental rebuilds (the engine of `serve`): exactly the pages that depend on a change are rewritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.build import Builder
from briefing.config import load_config
from briefing.frontmatter import dump_front_matter, parse_front_matter


@pytest.fixture
def builder(bundled: Path) -> Builder:
    cfg = load_config(bundled).for_serve("http://127.0.0.1:8000/")
    b = Builder(cfg)
    first = b.build()
    assert not first.errors and len(first.publish.written) > 30
    return b


def _edit(md: Path, **changes) -> None:  # type: ignore[no-untyped-def]
    meta, body = parse_front_matter(md.read_text(encoding="utf-8"), md)
    body = changes.pop("body", None) or body
    meta.update(changes)
    md.write_text(dump_front_matter(meta, body), encoding="utf-8")


def _meta(md: Path) -> dict:
    return parse_front_matter(md.read_text(encoding="utf-8"), md)[0]


def newest_dates_include(root: Path, meta: dict) -> bool:
    import datetime as dt

    dates = [
        dt.date.fromisoformat(str(_meta(p)["date"]))
        for lang in ("fr", "en")
        for p in (root / "content" / lang).glob("*.md")
        if len(str(_meta(p)["date"])) == 10
    ]
    return len(str(meta["date"])) == 10 and (max(dates) - dt.date.fromisoformat(str(meta["date"]))).days <= 2


def _pick(root: Path) -> Path:
    """A French article that has ministers and conferences and an English twin."""
    for md in sorted((root / "content" / "fr").glob("*.md")):
        m = _meta(md)
        if m["ministers"] and m["conferences"] and (root / "content" / "en" / md.name).exists():
            return md
    raise AssertionError("no suitable article")


def test_nothing_changed_nothing_written(builder):
    r = builder.build(incremental=True)
    assert r.publish.written == set() and r.rendered == 0


def test_body_edit_rewrites_its_two_article_pages_only(builder, bundled):
    md = _pick(bundled)
    meta, body = parse_front_matter(md.read_text(encoding="utf-8"), md)
    _edit(md, body=body + "\n\nUn paragraphe de plus.")
    r = builder.build(incremental=True)
    # the French page shows the body; the English page shows it in the side-by-side view; the French dossiers of
    # its conferences and ministers show it whole
    dossiers = {f"fr/conferences/{c}/dossier/index.html" for c in meta["conferences"]}
    dossiers |= {f"fr/ministres/{p}/dossier/index.html" for p in meta["ministers"]}
    assert r.publish.written == {f"fr/articles/{md.stem}/index.html", f"en/articles/{md.stem}/index.html"} | dossiers
    assert "Un paragraphe de plus." in (bundled / "output" / "fr" / "articles" / md.stem / "index.html").read_text()


def test_title_edit_rewrites_every_page_that_shows_it(builder, bundled):
    md = _pick(bundled)
    meta = _meta(md)
    _edit(md, title="Un titre entièrement nouveau")
    r = builder.build(incremental=True)
    # the English page now says its French original changed since it was machine-translated
    expected = {
        f"fr/articles/{md.stem}/index.html",
        "fr/index.html",
        f"en/articles/{md.stem}/index.html",
        "fr/articles/index.html",
    }  # the archive (one page for the five bundled articles)
    expected |= {f"fr/conferences/{c}/index.html" for c in meta["conferences"]}
    expected |= {f"fr/ministres/{p}/index.html" for p in meta["ministers"]}
    # and the feeds that carry the title (the language's, its conferences', its ministers')
    expected |= {"fr/feed.xml"} | {f"fr/conferences/{c}/feed.xml" for c in meta["conferences"]}
    expected |= {f"fr/ministres/{p}/feed.xml" for p in meta["ministers"]}
    if newest_dates_include(bundled, meta):
        expected.add("news-sitemap.xml")  # the article is among the archive's last two days
    # the dossiers that hold it, and the articles that list it among their related dispatches (at most five: here,
    # every French article sharing a conference or minister with it)
    expected |= {f"fr/conferences/{c}/dossier/index.html" for c in meta["conferences"]}
    expected |= {f"fr/ministres/{p}/dossier/index.html" for p in meta["ministers"]}
    expected |= {f"fr/articles/{other.stem}/index.html" for other in _sharing(bundled, md, meta)}
    assert r.publish.written == expected


def _sharing(root: Path, md: Path, meta: dict) -> list[Path]:
    out = []
    for other in (root / "content" / "fr").glob("*.md"):
        m = _meta(other)
        if other != md and (
            set(m["conferences"]) & set(meta["conferences"]) or set(m["ministers"]) & set(meta["ministers"])
        ):
            out.append(other)
    return out


def test_adding_a_minister_rewrites_the_lists_it_joins(builder, bundled):
    md = _pick(bundled)
    meta = _meta(md)
    new = next(p for p in ("pham-minh-chinh", "to-anh-dung", "le-thi-thu-hang") if p not in meta["ministers"])
    out = bundled / "output"
    fr_page_existed = (out / "fr" / "ministres" / new / "index.html").exists()
    _edit(md, ministers=meta["ministers"] + [new])
    r = builder.build(incremental=True)
    expected = {
        f"fr/articles/{md.stem}/index.html",
        f"fr/ministres/{new}/index.html",
        "fr/ministres/index.html",
        "fr/index.html",
        f"fr/ministres/{new}/feed.xml",
    }
    # the conference pages list the ministers of their dispatches; the minister's dossier now holds the article
    expected |= {f"fr/conferences/{c}/index.html" for c in meta["conferences"]}
    expected.add(f"fr/ministres/{new}/dossier/index.html")
    if not fr_page_existed:
        expected.add("sitemap.xml")  # a new page
        if (out / "en" / "ministers" / new / "index.html").exists():
            expected.add(f"en/ministers/{new}/index.html")  # its language switcher now finds a French page
    assert r.publish.written == expected


def test_template_edit_rewrites_the_pages_using_it(builder, bundled):
    tpl = bundled / "templates" / "minister.html"
    tpl.write_text(tpl.read_text(encoding="utf-8").replace("<h1>", '<h1 class="person">'), encoding="utf-8")
    r = builder.build(incremental=True)
    expected = {
        p.relative_to(bundled / "output").as_posix()
        for lang, sec in (("fr", "ministres"), ("en", "ministers"))
        for p in (bundled / "output" / lang / sec).glob("*/index.html")
    }
    assert expected and r.publish.written == expected


def test_base_template_edit_rewrites_every_page(builder, bundled):
    tpl = bundled / "templates" / "base.html"
    tpl.write_text(tpl.read_text(encoding="utf-8").replace("<footer", "<footer data-x=1"), encoding="utf-8")
    r = builder.build(incremental=True)
    pages = {p.relative_to(bundled / "output").as_posix() for p in (bundled / "output").rglob("*.html")}
    assert r.publish.written == pages - {"index.html"}  # the root redirect does not extend base.html


def test_css_edit_copies_the_css_only(builder, bundled):
    css = bundled / "theme" / "static" / "style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.x { color: red; }\n", encoding="utf-8")
    r = builder.build(incremental=True)
    assert r.publish.written == {"assets/style.css"}


def test_interface_string_edit_rewrites_that_language_only(builder, bundled):
    strings = bundled / "theme" / "i18n" / "en.yaml"
    strings.write_text(
        strings.read_text(encoding="utf-8").replace("Latest dispatches", "Newest dispatches"), encoding="utf-8"
    )
    r = builder.build(incremental=True)
    # and the root page, which speaks both languages
    assert r.publish.written and all(p.startswith("en/") or p == "index.html" for p in r.publish.written)
    assert "Newest dispatches" in (bundled / "output" / "en" / "index.html").read_text()


def test_deleted_article_disappears(builder, bundled):
    md = _pick(bundled)
    (bundled / "content" / "en" / md.name).unlink()
    r = builder.build(incremental=True)
    assert f"en/articles/{md.stem}/index.html" in r.publish.removed
    assert not (bundled / "output" / "en" / "articles" / md.stem).joinpath("index.html").exists()
    # the French page's switcher now points to the English home and says so
    assert f"fr/articles/{md.stem}/index.html" in r.publish.written


def _fresh_site(cfg, dest: Path) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    from conftest import snapshot

    Builder(cfg, search_index=False).build(dest)
    return snapshot(dest)


def test_a_session_after_any_edits_equals_a_fresh_build(bundled, tmp_path):
    """Whatever way a rebuild takes (the last model patched for a body edit, or lists assembled again), the site it
    leaves is byte for byte the one a fresh build of the same content makes."""
    from conftest import snapshot

    cfg = load_config(bundled).for_serve("http://127.0.0.1:8000/")
    b = Builder(cfg, search_index=False)
    b.build()
    fr = sorted((bundled / "content" / "fr").glob("*.md"))
    en = bundled / "content" / "en"
    md = _pick(bundled)
    steps = [
        ("fr body", lambda: _edit(md, body=parse_front_matter(md.read_text(encoding="utf-8"), md)[1] + "\n\nAjout.")),
        ("en body", lambda: _edit(en / md.name, body="Only this **English** text now.")),
        ("same file twice", lambda: _edit(md, body="Premier.\n\nSecond.")),
        ("captions", lambda: _edit(fr[1], captions=["Photo : une légende nouvelle"])),
        ("people", lambda: _edit(fr[1], people=[])),
        ("title", lambda: _edit(fr[2], title="Un autre titre")),
        ("summary", lambda: _edit(en / md.name, summary="A new summary.")),
        ("date", lambda: _edit(fr[3], date="2019-05-04")),
        ("two bodies", lambda: [_edit(fr[0], body="Un."), _edit(fr[4], body="Deux.")]),
        ("delete twin", lambda: (en / md.name).unlink()),
        ("body after delete", lambda: _edit(md, body="Sans jumeau.")),
        (
            "add",
            lambda: (bundled / "content" / "fr" / "nouvel-article.md").write_text(
                fr[0].read_text(encoding="utf-8").replace("title:", "title: Copie —", 1), encoding="utf-8"
            ),
        ),
    ]
    for i, (name, step) in enumerate(steps):
        step()
        r = b.build(incremental=True)
        assert not r.errors, (name, r.errors)
        assert snapshot(bundled / "output") == _fresh_site(cfg, tmp_path / f"fresh-{i}"), name
