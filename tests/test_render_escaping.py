"""Agency text escaped at import renders exactly as written (no visible backslash, no list, no heading), and the
lang="fr" mark of an untranslated « quotation » never lands inside a tag."""

from __future__ import annotations

import html
from html.parser import HTMLParser

import pytest

from briefing.frontmatter import escape_markdown
from briefing.render import mark_french_quotes, render_blocks, render_markdown


@pytest.mark.parametrize(
    "text",
    [
        "200.000 doses de vaccin ont été livrées.",
        "1. Le premier point de l'accord",
        "2021. Une année de diplomatie",
        "3) troisième volet",
        "= égalité",
        "===",
        "# pas un titre",
        "- pas une puce",
        "> pas une citation",
        "12.5 millions de dollars",
    ],
)
def test_a_paragraph_renders_as_the_agency_wrote_it(text):
    assert render_markdown(escape_markdown(text)) == f"<p>{html.escape(text, quote=False)}</p>"


@pytest.mark.parametrize(
    "legacy, shown",
    [("\\200.000 doses", "200.000 doses"), ("\\1. Le point", "1. Le point"), ("\\3) volet", "3) volet")],
)
def test_files_imported_with_the_old_escaping_render_without_a_backslash(legacy, shown):
    assert render_markdown(legacy) == f"<p>{shown}</p>"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append((tag, dict(attrs)))


def test_the_french_quote_mark_stays_out_of_a_link_title():
    body = 'Il a dit [« Bonjour à tous »](https://example.org "« Bonjour à tous »") hier, « Bonjour à tous ».'
    (block,) = render_blocks(body)
    marked = mark_french_quotes(block, "Il a dit « Bonjour à tous » hier.")
    parser = _Tags()
    parser.feed(marked)
    links = [attrs for tag, attrs in parser.tags if tag == "a"]
    assert links == [{"href": "https://example.org", "title": "« Bonjour à tous »", "rel": "noopener noreferrer"}]
    assert [attrs for tag, attrs in parser.tags if tag == "span"] == [{"lang": "fr"}, {"lang": "fr"}]
