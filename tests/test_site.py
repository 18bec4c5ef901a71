"""The rendered site: links, counterparts, taxonomy pages, base URL, failure safety."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from sitecheck import broken_links, parse

from briefing import policy
from briefing.frontmatter import parse_front_matter


@pytest.fixture
def site(bundled: Path) -> Path:
    proc = run_cli(bundled, "build")
    assert proc.returncode == 0, proc.stderr
    return bundled / "output"


def _articles(root: Path, lang: str) -> dict[str, dict]:
    out = {}
    for md in (root / "content" / lang).glob("*.md"):
        out[md.stem] = parse_front_matter(md.read_text(encoding="utf-8"), md)[0]
    return out


def test_every_internal_link_resolves(site):
    assert broken_links(site) == []
    assert len(list(site.rglob("*.html"))) >= 30


def test_pages_carry_language_and_alternates(site):
    for page in site.rglob("*.html"):
        rel = page.relative_to(site).as_posix()
        doc = parse(page)
        lang = rel.split("/")[0] if rel.startswith(("fr/", "en/")) else "fr"
        assert doc.html_lang == lang, rel
        hreflangs = {a.get("hreflang") for tag, _, a in doc.links if tag == "link" and a.get("rel") == "alternate"}
        assert lang in hreflangs, rel
        assert any(a.get("rel") == "canonical" for tag, _, a in doc.links if tag == "link"), rel


def test_every_page_has_its_counterpart_or_says_so(bundled, site):
    from briefing.site import SECTIONS

    (bundled / "content" / "en" / sorted(p.name for p in (bundled / "content" / "en").glob("*.md"))[0]).unlink()
    assert run_cli(bundled, "build").returncode == 0
    missing = {"fr": "Pas de version anglaise", "en": "No French version"}
    seen = {"fr": 0, "en": 0}
    for lang, other in (("fr", "en"), ("en", "fr")):
        for page in (site / lang).rglob("index.html"):
            rel = page.relative_to(site).as_posix()
            html = page.read_text(encoding="utf-8")
            switch = re.search(r'<a class="switch" href="([^"]+)"[^>]*data-exists="(yes|no)">([^<]+)</a>', html)
            assert switch, rel
            href, exists, label = switch.groups()
            target = site / href.lstrip("/")
            assert (target / "index.html").exists() or target.exists(), rel
            if exists == "yes":  # the same page in the other language: its path, section names translated
                mapped = href.replace(f"/{other}/", f"/{lang}/")
                for kind, section in SECTIONS[other].items():
                    mapped = mapped.replace(f"/{lang}/{section}/", f"/{lang}/{SECTIONS[lang][kind]}/")
                assert mapped == "/" + rel[: -len("index.html")], rel
                seen[lang] += 1
            else:
                assert missing[lang] in label, rel
                if rel.startswith("fr/articles/"):
                    assert "Cette dépêche n'a pas encore de traduction anglaise." in unescape(html)
    assert seen["fr"] > 20 and seen["en"] > 20  # both directions were walked


@pytest.mark.parametrize("lang, section", [("fr", "ministres"), ("en", "ministers")])
def test_minister_pages_list_exactly_the_articles_that_name_them(bundled, site, taxonomy, lang, section):
    arts = _articles(bundled, lang)
    ministers = {m for meta in arts.values() for m in meta["ministers"]}
    assert ministers, "the bundled content names ministers"
    for pid in ministers:
        html = (site / lang / section / pid / "index.html").read_text(encoding="utf-8")
        listed = set(re.findall(rf'href="/{lang}/articles/([^/"]+)/"', html))
        assert listed == {slug for slug, meta in arts.items() if pid in meta["ministers"]}, pid
        person = taxonomy.people[pid]
        assert (person.name if lang == "fr" else person.en) in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_conference_pages_list_exactly_the_articles_that_name_them(bundled, site, lang):
    arts = _articles(bundled, lang)
    confs = {c for meta in arts.values() for c in meta["conferences"]}
    assert len(confs) >= 4
    for cid in confs:
        html = (site / lang / "conferences" / cid / "index.html").read_text(encoding="utf-8")
        listed = set(re.findall(rf'href="/{lang}/articles/([^/"]+)/"', html))
        assert listed == {slug for slug, meta in arts.items() if cid in meta["conferences"]}, cid


def test_english_pages_say_they_are_machine_translated(bundled, site):
    for slug, meta in _articles(bundled, "en").items():
        html = (site / "en" / "articles" / slug / "index.html").read_text(encoding="utf-8")
        assert "Machine translation" in html and meta["engine"] in html


def test_no_livereload_script_in_the_deployable_site(site):
    for page in site.rglob("*.html"):
        assert "livereload" not in page.read_text(encoding="utf-8")
        # no inline executable script: JSON-LD data blocks, or our own script files (the search page)
        assert all(s.get("type") == "application/ld+json" or s.get("src") for s in parse(page).scripts)


def test_sub_path_base_url(bundled):
    out = bundled / "public"
    proc = run_cli(bundled, "build", "--output", str(out), "--base-url", "https://example.github.io/portal")
    assert proc.returncode == 0, proc.stderr
    assert broken_links(out, base_path="/portal/") == []
    home = (out / "fr" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://example.github.io/portal/fr/"' in home  # canonical
    assert 'href="/portal/en/"' in home
    assert 'href="/fr/' not in home


def test_broken_front_matter_stops_the_build_and_keeps_the_site(bundled, site):
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    md = next((bundled / "content" / "fr").glob("*.md"))
    text = md.read_text(encoding="utf-8")
    md.write_text(text.replace("ministers:", "ministers: [oops", 1), encoding="utf-8")
    proc = run_cli(bundled, "build")
    assert proc.returncode == 1
    assert re.search(rf"{re.escape(str(md))}:\d+:\d+: invalid YAML", proc.stderr), proc.stderr
    assert "output/ is unchanged" in proc.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert md.read_text(encoding="utf-8") != text  # the editor's broken file is left for them to fix


def test_template_error_names_file_and_line_and_keeps_the_site(bundled, site):
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    tpl = bundled / "templates" / "minister.html"
    tpl.write_text(tpl.read_text(encoding="utf-8").replace("{% endblock %}", "{% endblok %}", 1), encoding="utf-8")
    proc = run_cli(bundled, "build")
    assert proc.returncode == 1
    assert "minister.html" in proc.stderr and "template error" in proc.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not list(bundled.glob(".output.staging-*"))


def test_builds_are_byte_identical(bundled, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run_cli(bundled, "build", "--output", str(a)).returncode == 0
    assert run_cli(bundled, "build", "--output", str(b)).returncode == 0
    files_a = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    assert files_a == files_b


def test_the_repository_site_builds_clean():
    """The bundled content itself passes `check` with no error or warning."""
    proc = run_cli(ROOT, "check", "--strict")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_netlify_headers_and_a_csp_the_site_satisfies(site):
    import tomllib

    conf = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    assert conf["build"]["publish"] == "output"
    headers = {h["for"]: h["values"] for h in conf["headers"]}
    csp = headers["/*"]["Content-Security-Policy"]
    assert csp == policy.header_policy()  # one statement of the policy: the header, the pages' <meta>, serve
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "style-src 'self'" in csp  # wasm: Pagefind search
    assert "unsafe-inline" not in csp and "'unsafe-eval'" not in csp
    assert headers["/*"]["X-Content-Type-Options"] == "nosniff" and "Referrer-Policy" in headers["/*"]
    assert "immutable" in headers["/assets/*"]["Cache-Control"]
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy.meta_policy()}">'.replace("'", "&#39;")
    assert "frame-ancestors" not in policy.meta_policy()  # not allowed in a <meta> policy
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        head = html.split("<head>", 1)[1].split("\n")
        assert head[2] == meta or head[1] == meta, page  # hosts without headers (GitHub Pages): the page's own
        assert "<style" not in html and " style=" not in html, page  # no inline styles
        doc = parse(page)
        for script in doc.scripts:  # JSON-LD data, or a script file of our own; never inline code
            assert script.get("type") == "application/ld+json" or (
                script.get("src") and not script.get("src").startswith(("http", "//"))
            ), page
        for tag, href, attrs in doc.links:
            if tag in ("link", "script", "img") and attrs.get("rel") in (None, "stylesheet", ["stylesheet"]):
                assert not href.startswith(("http://", "https://", "//")), (page, href)  # no CDN or fonts
    # the search page's scripts are ours and Pagefind's, served from the site itself
    search_page = (site / "en" / "search" / "index.html").read_text(encoding="utf-8")
    assert "pagefind/pagefind-ui.js" in search_page and (site / "pagefind" / "pagefind-ui.js").exists()
    for asset in (site / "assets").iterdir():
        assert re.search(r"\.[0-9a-f]{10}\.", asset.name), asset  # fingerprinted: safe to cache for a year


def test_french_quotations_left_in_english_pages_are_marked(bundled):
    from briefing.frontmatter import dump_front_matter

    en = sorted((bundled / "content" / "en").glob("*.md"))[0]
    fr = bundled / "content" / "fr" / en.name
    meta, body = parse_front_matter(en.read_text(encoding="utf-8"), en)
    fr_meta, fr_body = parse_front_matter(fr.read_text(encoding="utf-8"), fr)
    fr.write_text(
        dump_front_matter(fr_meta, fr_body + "\n\nIl a parlé d'un « tournant historique »."), encoding="utf-8"
    )
    en.write_text(
        dump_front_matter(meta, body + "\n\nHe spoke of a « tournant historique » and a « new era »."), encoding="utf-8"
    )
    assert run_cli(bundled, "build").returncode == 0
    html = (bundled / "output" / "en" / "articles" / en.stem / "index.html").read_text(encoding="utf-8")
    assert '<span lang="fr">« tournant historique »</span>' in html  # left in French by the engine
    assert '<span lang="fr">« new era »</span>' not in html and "« new era »" in html  # translated: English
