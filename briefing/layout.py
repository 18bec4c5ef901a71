"""Blocks of an article body that are not running paragraphs (pure).

Agency copy sometimes sets figures as a table written one row a line ("Recettes liées au foncier : environ
200 000 milliards de dongs", then the next row on the next line), lists as bulleted lines ("• …"), and boxes or sections under a short title line
("Encadré : le CCG en bref"). A row block is one block of the body (a Markdown list, one item a row); a title line
is a heading, not a paragraph. Both are read from the shape of the lines alone.
"""

from __future__ import annotations

import re

from .frontmatter import escape_markdown

_SENTENCE_END = (".", "!", "?", "…", "»", '"', "”", ")", ";", ":", ",")
MAX_ROW = 120  # characters: a table row is short
MAX_TITLE = 70  # characters, and words below: "Un plan attendu par les investisseurs", not a caption without credit
MAX_TITLE_WORDS = 8


def _row_like(line: str) -> bool:
    """A short line that is not a sentence: no sentence end, no full stop inside, and not the rest of a wrapped
    sentence (a row starts with a capital or a figure: "dans la coopération…" continues the line above)."""
    line = line.strip()
    return (
        0 < len(line) <= MAX_ROW
        and not line.endswith(_SENTENCE_END)
        and ". " not in line
        and (line[:1].isupper() or line[:1].isdigit())
    )


# not a dash: dashes also open the turns of an interview; numbered points "1)", "2." set one a line
_BULLET = re.compile(r"^\s*(?:[•▪◦●■·]\s*|\d{1,2}[).]\s+)")
_ROW_MARK = re.compile(r"^\s*(?:[•▪◦●■·*]|[-–—](?=\s))\s*")


def continues_rows(block: str, line: str) -> bool:
    """``line``, set on the line under ``block`` with no blank line between, is the next row of a table or the next
    item of a bulleted list ("• la Déclaration commune ;" then "• le Plan d'action ;")."""
    last = block.rsplit("\n", 1)[-1]
    if _BULLET.match(last) and _BULLET.match(line):
        return True
    return _row_like(last) and _row_like(line)


def _is_title(text: str) -> bool:
    return (
        "\n" not in text
        and _row_like(text)
        and len(text) <= MAX_TITLE
        and len(text.split()) <= MAX_TITLE_WORDS
        and text[:1].isupper()
    )


def _ends_a_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", "…", "»", '"', "”"))


def titles(paragraphs: tuple[str, ...]) -> frozenset[int]:
    """Indexes of the title lines among the body's blocks: a short line without a sentence end, between a block
    that ends a sentence and a running paragraph. The lead is never one."""
    found = set()
    for i in range(1, len(paragraphs) - 1):
        before, text, after = paragraphs[i - 1], paragraphs[i], paragraphs[i + 1]
        if _is_title(text) and _ends_a_sentence(before) and _ends_a_sentence(after) and len(after) > len(text):
            found.add(i)
    return frozenset(found)


def markdown_block(text: str, title: bool) -> str:
    """The Markdown of one block: a heading, a list of rows, or a paragraph; its characters never markup."""
    if title:
        return "## " + escape_markdown(text)
    rows = text.split("\n")
    if len(rows) > 1:
        return "\n".join("- " + escape_markdown(_ROW_MARK.sub("", row, count=1)) for row in rows)
    return escape_markdown(text)


def markdown_body(paragraphs: tuple[str, ...]) -> tuple[str, int]:
    """The body's Markdown, and how many of its blocks are paragraphs (title lines are not)."""
    found = titles(paragraphs)
    body = "\n\n".join(markdown_block(p, i in found) for i, p in enumerate(paragraphs))
    return body, len(paragraphs) - len(found)
