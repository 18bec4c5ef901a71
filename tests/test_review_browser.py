"""The review page in real headless Chromium: the queue, an article, an edited segment approved; the file on
disk, the memory's human row and the open English page reloaded with the new sentence."""

from __future__ import annotations

import re

import pytest
from browser import chromium, served, wait_live
from conftest import require_tool, run_cli

from briefing.frontmatter import parse_front_matter
from briefing.translate.memory import HUMAN, Memory

pytestmark = pytest.mark.browser

SLUG = "la-vice-ministre-des-affaires-etrangeres-le-thi-thu-hang-a-souligne-les"
FRENCH_START = "Dans une interview récemment accordée à la presse"
OLD_ENGLISH = "In a recently conceded interview to the press"
NEW_ENGLISH = (
    "In a recent press interview, Le Thi Thu Hang said the 32nd Diplomatic Conference had held 23 sessions, "
    "including nine thematic discussions, and heard more than 300 speeches."
)
CSP_WATCH = (
    "window.__violations = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
    "e.violatedDirective + ' ' + e.blockedURI));"
)


def test_edit_and_approve_a_segment_in_the_browser(bundled, artifacts):
    en_path = bundled / "content" / "en" / f"{SLUG}.md"
    before_text = en_path.read_text(encoding="utf-8")
    before_meta, before_body = parse_front_matter(before_text, en_path)
    assert OLD_ENGLISH in before_body
    with served(bundled) as url, chromium() as browser:
        preview = browser.new_page()
        preview.goto(f"{url}en/articles/{SLUG}/")
        wait_live(url)
        preview.evaluate("window.__before_approval = true")
        assert NEW_ENGLISH not in preview.locator("main").inner_text()

        review = browser.new_page(viewport={"width": 1280, "height": 900})
        review.add_init_script(CSP_WATCH)
        review.goto(f"{url}_review/")
        assert review.locator("h1").inner_text() == "Review queue"
        assert review.locator("html").get_attribute("lang") == "en"
        review.locator("table a", has_text="Le Thi Thu Hang has underlined").click()
        review.wait_for_url(re.compile(rf"/_review/{SLUG}/$"))
        review.wait_for_selector("html[data-review-ready]")
        awaiting = int(review.locator("#article-awaiting").inner_text())
        assert awaiting == review.locator("li.segment:not(.approved) form").count() > 0
        segment = review.locator("li.segment", has_text=FRENCH_START)
        assert segment.count() == 1
        assert segment.locator("blockquote[lang=fr]").inner_text().startswith(FRENCH_START)
        field = segment.get_by_label("English")
        assert OLD_ENGLISH in field.input_value()
        field.fill(NEW_ENGLISH)
        segment.get_by_role("button", name=re.compile("^Approve segment")).click()
        status = segment.locator("output.status")
        status.filter(has_text="Approved and saved.").wait_for(timeout=15000)
        assert "approved" in (segment.get_attribute("class") or "")
        assert review.locator("#article-awaiting").inner_text() == str(awaiting - 1)
        assert review.locator("#article-state").inner_text() == "machine"  # one segment of many: not reviewed yet
        review.screenshot(path=str(artifacts / "review-article-1280.png"), full_page=True)

        # the open English page reloaded (a fresh window: the flag is gone) and shows the new sentence
        preview.wait_for_function(
            "s => document.body.innerText.includes(s) && window.__before_approval === undefined",
            arg=NEW_ENGLISH,
            timeout=15000,
        )
        assert review.evaluate("window.__violations") == []

    after_text = en_path.read_text(encoding="utf-8")
    after_meta, after_body = parse_front_matter(after_text, en_path)
    assert NEW_ENGLISH in after_body and OLD_ENGLISH not in after_body
    assert after_body == before_body.replace(_old_sentence(before_body), NEW_ENGLISH)  # only that sentence
    for key, value in before_meta.items():  # front matter intact (the desk may add its own counts)
        if key not in ("translation", "source_sha256", "desk_segments"):
            assert after_meta[key] == value, key
    assert after_text.startswith("---\n") and "\n---\n" in after_text

    memory = Memory(bundled / ".cache" / "translation-memory.sqlite")
    try:
        human = [r for r in memory.rows() if r.origin == HUMAN]
    finally:
        memory.close()
    assert [(r.source[: len(FRENCH_START)], r.target) for r in human] == [(FRENCH_START, NEW_ENGLISH)]


def _old_sentence(body: str) -> str:
    found = re.search(re.escape(OLD_ENGLISH) + r"[^\n]*?speeches\.", body)
    assert found is not None
    return found.group(0)


def test_the_queue_lists_the_segments_most_in_doubt_first(bundled):
    require_tool("apertium", "the engine whose flags the queue sorts by")
    proc = run_cli(bundled, "translate", "--engine", "apertium", "--force", "--quiet")  # flags into the memory
    assert proc.returncode == 0, proc.stderr
    with served(bundled) as url, chromium() as browser:
        page = browser.new_page()
        page.add_init_script(CSP_WATCH)
        page.goto(f"{url}_review/")
        rows = page.locator("table tbody tr")
        assert rows.count() == len(list((bundled / "content" / "en").glob("*.md")))
        flags = page.locator("ol.queue li .flags").all_inner_texts()
        assert flags, "no segment in the queue"
        counts = [sum(int(n) for n in re.findall(r"(\d+) \w+", f)) for f in flags]
        assert counts == sorted(counts, reverse=True) and counts[0] > 0
        first = page.locator("ol.queue li a").first
        href = first.get_attribute("href") or ""
        assert re.fullmatch(r"/_review/[a-z0-9-]+/#seg-\d+", href)
        first.click()
        page.wait_for_selector("html[data-review-ready]")
        assert page.locator(f"li{href[href.index('#') :]}").count() == 1
        assert page.evaluate("window.__violations") == []


def test_the_review_pages_have_no_serious_accessibility_violation(bundled):
    from test_standards import _axe  # installs axe-core under .cache/node once, like the site's own check

    axe = _axe()
    slug = sorted((bundled / "content" / "en").glob("*.md"))[0].stem
    with served(bundled) as url, chromium() as browser:
        for scheme in ("light", "dark"):
            # axe-core is injected as an inline script: the test tool (not the page) bypasses the CSP
            context = browser.new_context(color_scheme=scheme, bypass_csp=True)
            page = context.new_page()
            for path in ("_review/", f"_review/{slug}/"):
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
