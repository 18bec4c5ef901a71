from __future__ import annotations

import datetime as dt

import pytest

from briefing.errors import SourceError
from briefing.frontmatter import dump_front_matter, parse_front_matter


def test_round_trip_is_stable_and_keeps_key_order():
    meta = {"title": "Titre « cité »", "date": dt.date(2021, 12, 13), "lang": "fr", "ministers": ["bui-thanh-son"]}
    text = dump_front_matter(meta, "Corps.\n\nDeuxième.")
    again = dump_front_matter(*parse_front_matter(text, "x.md"))
    assert text == again
    assert text.startswith("---\ntitle: Titre « cité »\ndate: '2021-12-13'\nlang: fr\n")
    assert text.endswith("---\n\nCorps.\n\nDeuxième.\n")


def test_broken_yaml_reports_the_line_in_the_file():
    text = "---\ntitle: Bon\ndate: 2021-12-13\nministers: [bui-thanh-son\nlang: fr\n---\nCorps\n"
    with pytest.raises(SourceError) as info:
        parse_front_matter(text, "content/fr/a.md")
    err = info.value
    assert str(err.path) == "content/fr/a.md"
    assert err.line == 5  # the line YAML stumbles on, counted in the file
    assert "invalid YAML" in err.message
    assert "ministers: [bui-thanh-son" in err.excerpt


@pytest.mark.parametrize(
    "text, message",
    [
        ("title: x\n", "must start with a '---' line"),
        ("---\ntitle: x\nno end\n", "not closed"),
        ("---\n- a\n- b\n---\nbody", "must be a mapping"),
    ],
)
def test_structural_errors_are_named(text, message):
    with pytest.raises(SourceError) as info:
        parse_front_matter(text, "f.md")
    assert message in str(info.value)
    assert str(info.value).startswith("f.md:")
