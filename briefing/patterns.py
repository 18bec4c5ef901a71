"""The regular expressions of the taxonomy: kind patterns written with macros (``{ord}``, ``{asean}``…), and
one pattern for every known name, shaped as a trie of words."""

from __future__ import annotations

import re
from typing import Any

from .folding import fold

ORD = (
    r"(?:(?P<num>\d{1,3})\s?(?:e|eme|er|ere|me)|\b(?P<roman>[ivxlc]{2,7}|[ivx])e|\b(?P<first>premiere?))"
    r"(?:\s*(?:et|,)\s*(?:des?\s+|du\s+)?(?P<num2>\d{1,3})\s?(?:e|eme|er|me))?\b"
)
MACROS = {
    "{ord}": ORD,
    "{asean}": r"(?:asean|association\s*des\s*nations\s*de\s*l\s*.\s*asie\s*du\s*sud\s*-\s*est(?:\s*\(\s*asean\s*\))?)",
    "{ae}": r"(?:affaires\s+etrangeres|ae)\b",
    "{apec}": r"(?:apec|(?:forum\s+de\s+)?cooperation\s+economique\s+(?:pour\s+l.)?asie\s*-\s*pacifique(?:\s*\(\s*apec\s*\))?)",
}


def expand(pattern: str) -> str:
    for macro, regex in MACROS.items():
        pattern = pattern.replace(macro, regex)
    return pattern


def compile_patterns(kind_id: str, patterns: Any, problems: list[str]) -> list[re.Pattern[str]]:
    out = []
    for p in patterns or []:
        try:
            out.append(re.compile(expand(str(p))))
        except re.error as exc:
            problems.append(f"kinds.{kind_id}: bad pattern {p!r}: {exc}")
    return out


ORDINAL_HEAD = "{ord}\\s+"  # a kind pattern that opens with an ordinal: "{ord}\s+sommet…"


def without_leading_ordinal(pattern: str) -> str:
    """``{ord}\\s+sommet…`` or ``(?:{ord}\\s+…)?sommet…`` → ``sommet…``: what any match must also contain."""
    if pattern.startswith(ORDINAL_HEAD):
        return pattern[len(ORDINAL_HEAD) :]
    if not pattern.startswith("(?:{ord}"):
        return pattern
    depth = 0
    for i, ch in enumerate(pattern):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return pattern[i + 2 :] if pattern[i + 1 : i + 2] == "?" else pattern
    return pattern


def compile_gate(patterns: Any) -> re.Pattern[str] | None:
    """One regular expression every text a kind's patterns match also matches, with no ordinal at its head: a fast
    first look (an ordinal can start at almost any letter, a word like "sommet" only where it is written)."""
    parts = [re.sub(r"\(\?P<\w+>", "(?:", expand(without_leading_ordinal(str(p)))) for p in patterns or []]
    try:
        return re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None
    except re.error:
        return None


def alias_words(alias: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", fold(alias)) if w]


Trie = dict[str, "Trie"]


def trie(names: list[list[str]]) -> Trie:
    root: Trie = {}
    for words in names:
        node = root
        for w in words:
            node = node.setdefault(w, {})
        node[""] = {}
    return root


def trie_pattern(node: Trie) -> str:
    """One regular expression for every name, shaped as a trie of words (fast where a flat alternation of a
    thousand names is slow); words may be glued or hyphenated, and the longest name at a position wins."""
    alternatives = []
    for word, child in sorted(node.items(), key=lambda kv: -len(kv[0])):
        if not word:
            continue
        rest = {k: v for k, v in child.items() if k}
        if not rest:
            tail = r"(?![a-z])"
        elif "" in child:
            tail = r"(?:[\s\-]*" + trie_pattern(rest) + r"|(?![a-z]))"
        else:
            tail = r"[\s\-]*" + trie_pattern(rest)
        alternatives.append(re.escape(word) + tail)
    return "(?:" + "|".join(alternatives) + ")"
