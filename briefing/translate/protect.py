"""Protected terms: names, places, set phrases every engine must render exactly, with their grammar kept.

Terms come from the glossary, the taxonomy (people with every alias, places, organisations, and the
English the taxonomy already holds for role titles, event kinds and events) and, per article, the
people the taxonomy does not know (``names``). They are found on folded text (so "Lê Thi Thu Hang"
matches "Lê Thị Thu Hằng") and locked into placeholders like markup is. Each lock carries its kind:
a locked *place* goes to an engine that offers stand-ins as a place the engine knows ("à Hanoï" →
"à Paris" → "in Paris" → "in Hanoi"), so the preposition is chosen for a place. After translation
each lock must come back exactly once; if an engine drops or repeats one, the segment is translated
again piece by piece between the locked parts, which guarantees the terms whatever the engine does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..frontmatter import escape_markdown
from ..schema import read_glossary
from ..taxonomy import Kind, Taxonomy, Term, fold
from .segment import LOCK_CLOSE, LOCK_OPEN, Segment

_LOCK_RE = re.compile(f"{LOCK_OPEN}(\\d+){LOCK_CLOSE}")
_PAREN_TAIL = re.compile(r"\s*\([^()]*\)$")
_QUOTES = re.compile(r"[«»‹›“”]")  # locked like markup: Apertium moves bare guillemets around words
_SUPERSCRIPT_ORDINAL = re.compile(r"(?<=\d)(ᵉʳ|ᵉ|ʳᵉ)")
# "à <place>" is locked with its preposition: "to" after a verb of going somewhere, "in" otherwise (an engine
# that sees only the place picks "to" for any "à", which made "organisée à Hanoï" "organised to Hanoi");
# "arriver à Hanoï" is "arrive in Hanoi"
_A_PLACE = re.compile(f"(?<![\\w])([àÀ])\\s+{LOCK_OPEN}(\\d+){LOCK_CLOSE}")
MOTION = re.compile(
    r"(?<![\w])(?:rend(?:u|ue|us|ues|ra|ront|ait|aient)?|all(?:er|é|ée|és|ées)|va|vont|ira|iront|"
    r"ven(?:ir|u|ue|us|ues)|vien(?:t|nent|dra|dront)|retourn\w*|reven\w*|rentr\w*|part(?:ir|i|ie|is|ies)|"
    r"voyag\w*|envoy\w*|rapatri\w*|transfér\w*|achemin\w*|invit\w*)(?![\w])"
)
MARKUP, PLACE, NAME, TERM = "markup", "place", "name", "term"


@dataclass(frozen=True)
class Locked:
    """A segment ready for an engine: text with locks, what each lock becomes in English, and its kind."""

    text: str
    targets: tuple[str, ...]
    spaces: tuple[tuple[bool, bool], ...] = ()  # whitespace before/after each lock in the source
    kinds: tuple[str, ...] = ()

    def kind(self, i: int) -> str:
        return self.kinds[i] if i < len(self.kinds) else MARKUP


def load_glossary(path: Path) -> tuple[list[Term], str]:
    raw = read_glossary(path)  # checked against schema.GLOSSARY: errors with file:line
    if raw is None:
        return [], "0"
    terms = raw.get("terms") or {}
    return [Term(str(k), str(v)) for k, v in terms.items()], str(raw.get("version", "1"))


def _key(text: str) -> str:
    return " ".join(fold(text).replace("-", " ").replace("’", "'").split())


def _word(word: str) -> str:
    return re.escape(word).replace("'", "['’]")


def _alternation(keys: Iterable[str]) -> re.Pattern[str] | None:
    """Whole-word match of any key, longest first, as a trie of words (1,700 taxonomy terms compile in
    milliseconds and match without trying each term in turn); words may be glued or hyphenated."""
    trie: dict[str, dict] = {}
    for key in keys:
        node = trie
        for w in key.split():
            node = node.setdefault(w, {})
        node[""] = {}  # a key ends here

    def tail(node: dict[str, dict]) -> str:
        alts = [_word(w) + tail(child) for w, child in sorted(node.items(), key=lambda kv: -len(kv[0])) if w]
        if not alts:
            return ""
        group = r"[\s\-]*(?:" + "|".join(alts) + ")"
        return f"(?:{group})?" if "" in node else group

    if not trie:
        return None
    first = [_word(w) + tail(child) for w, child in sorted(trie.items(), key=lambda kv: -len(kv[0]))]
    return re.compile(r"(?<![\w])(?:" + "|".join(first) + r")(?![\w])")


def taxonomy_terms(tax: Taxonomy) -> list[tuple[Term, str]]:
    """Every term the taxonomy gives an English form for, with its kind."""
    out: list[tuple[Term, str]] = []
    for person in tax.people.values():
        out += [(Term(alias, person.en), NAME) for alias in {person.name, person.en, *person.aliases}]
        # role titles of two words or more: a lone "ministre" is the engine's to translate in context
        out += [(Term(r.fr, r.en), TERM) for r in person.roles if r.fr and r.en and len(_key(r.fr).split()) > 1]
    out += [(t, PLACE) for t in tax.places]
    out += [(t, NAME) for t in tax.organisations]
    out += [(Term(k.fr, k.en), TERM) for k in tax.kinds.values() if k.fr and k.en]
    out += [(Term(c.fr, c.en), TERM) for c in tax.conferences.values() if c.fr and c.en]
    return out


class Protector:
    def __init__(self, terms: Iterable[Term | tuple[Term, str]]) -> None:
        by_key: dict[str, tuple[str, str]] = {}
        for item in terms:
            term, kind = item if isinstance(item, tuple) else (item, TERM)
            key = _key(term.fr)
            if key:
                by_key.setdefault(key, (term.en, kind))  # first wins: the glossary before the taxonomy
        self._target = by_key
        # looked up without spaces: the agency glues words ("Affairesétrangères") and the patterns allow it
        self._glued = {k.replace(" ", ""): v for k, v in reversed(list(by_key.items()))}
        self._re = _alternation(by_key)
        self.events: tuple[Kind, ...] = ()  # event kinds whose numbered names are locked in English

    @classmethod
    def for_project(cls, tax: Taxonomy, glossary: list[Term], glossary_version: str = "") -> Protector:
        p = cls([*glossary, *taxonomy_terms(tax)])
        p.events = tuple(k for k in tax.kinds.values() if not k.by_year and k.patterns)
        return p

    def place_names(self) -> dict[str, str]:
        """French place → English place (for the finishing pass)."""
        return {k: en for k, (en, kind) in self._target.items() if kind == PLACE}

    def lock(self, seg: Segment, names: Sequence[str] = ()) -> Locked:
        """Lock protected terms (and ``names``, kept as written); markup locks become themselves."""
        targets, kinds = list(seg.locks), [MARKUP] * len(seg.locks)
        text = _QUOTES.sub(lambda m: _add_lock(m.group(0), MARKUP, targets, kinds), seg.text)
        text = _lock_events(text, self.events, targets, kinds)
        for regex, lookup in ((_names_re(tuple(names)), None), (self._re, self._glued)):
            if regex is None:
                continue
            text = _lock_matches(text, regex, lookup, targets, kinds)
        text = _with_preposition(text, targets, kinds)
        spaces = [(True, True)] * len(targets)
        for m in _LOCK_RE.finditer(text):
            # after a French elision (l', d', qu') the English needs a space: "de l'Assemblée" → "of the Assembly"
            before = m.start() == 0 or text[m.start() - 1].isspace() or text[m.start() - 1] in "'’"
            after = m.end() == len(text) or text[m.end()].isspace()
            spaces[int(m.group(1))] = (before, after)
        return Locked(text, tuple(targets), tuple(spaces), tuple(kinds))


_ANY_ORDINAL = re.compile(r"(?<![\w])(?:\d{1,3}\s?(?:e|ème|eme|er|ère|ere|me|ᵉ)|[IVXLC]{1,7}(?:e|ème|ᵉ))(?![\w])")
_ORDINAL_START = re.compile(r"(?:\d{1,3}\s?(?:e|eme|er|ere|me)|[ivxlc]{1,7}e)\s")


def _lock_events(text: str, events: Sequence[Kind], targets: list[str], kinds: list[str]) -> str:
    """A numbered event named the agency's way ("la 32e Conférence nationale de la diplomatie") → its
    English instance name ("32nd Diplomatic Conference"), when exactly one kind claims the words."""
    if not events:
        return text
    if not _ANY_ORDINAL.search(text):
        return text  # most sentences name no numbered event: skip the kinds' patterns
    folded = fold(text)
    spans: dict[tuple[int, int], set[str]] = {}
    names: dict[tuple[int, int], str] = {}
    for kind in events:
        for pat in kind.patterns:
            for m in pat.finditer(folded):
                gd = m.groupdict()
                if not gd.get("num") or gd.get("num2") or not _ORDINAL_START.match(m.group(0) + " "):
                    continue  # "AMM-52" stays as written; "les 40e et 41e" is two events
                if LOCK_OPEN in text[m.start() : m.end()]:
                    continue
                spans.setdefault((m.start(), m.end()), set()).add(kind.id)
                names[(m.start(), m.end())] = kind.instance_name(int(gd["num"]), "en")
    out, last = [], 0
    for (start, end), claimed in sorted(spans.items()):
        if len(claimed) != 1 or start < last:
            continue
        out.append(text[last:start])
        out.append(_add_lock(names[(start, end)], TERM, targets, kinds))
        last = end
    out.append(text[last:])
    return "".join(out)


def _with_preposition(text: str, targets: list[str], kinds: list[str]) -> str:
    def merge(m: re.Match[str]) -> str:
        i = int(m.group(2))
        if kinds[i] != PLACE:
            return m.group(0)
        before = " ".join(text[: m.start()].split()[-6:])
        word = "to" if MOTION.search(before) else "in"
        targets[i] = f"{word.capitalize() if m.group(1) == 'À' else word} {targets[i]}"
        return f"{LOCK_OPEN}{i}{LOCK_CLOSE}"

    return _A_PLACE.sub(merge, text)


def _add_lock(target: str, kind: str, targets: list[str], kinds: list[str]) -> str:
    targets.append(target)
    kinds.append(kind)
    return f"{LOCK_OPEN}{len(targets) - 1}{LOCK_CLOSE}"


@lru_cache(maxsize=256)
def _names_re(names: tuple[str, ...]) -> re.Pattern[str] | None:
    return _alternation({_key(n) for n in names if _key(n)})


def _lock_matches(
    text: str,
    regex: re.Pattern[str],
    lookup: dict[str, tuple[str, str]] | None,
    targets: list[str],
    kinds: list[str],
) -> str:
    folded = fold(text)
    taken = [(m.start(), m.end()) for m in _LOCK_RE.finditer(text)]
    out, last = [], 0
    for m in regex.finditer(folded):
        if any(s <= m.start() < e for s, e in taken):
            continue
        original = text[m.start() : m.end()]
        if lookup is None:
            target, kind = original, NAME  # a name the taxonomy does not know: kept as written
        else:
            target, kind = lookup[_key(m.group(0)).replace(" ", "")]
            if _PAREN_TAIL.search(target) and text[m.end() :].lstrip().startswith("("):
                target = _PAREN_TAIL.sub("", target)  # "Hoàng Sa (Paracels)": the source gives the gloss
        out.append(text[last : m.start()])
        targets.append(target)
        kinds.append(kind)
        out.append(f"{LOCK_OPEN}{len(targets) - 1}{LOCK_CLOSE}")
        last = m.end()
    out.append(text[last:])
    return "".join(out)


@dataclass(frozen=True)
class EngineText:
    """A locked segment as sent to an engine, and what the engine should give back for each lock."""

    text: str
    expected: tuple[str, ...]


def to_engine(locked: Locked, token: Callable[[int], str], stand_ins: Sequence[tuple[str, str]] = ()) -> EngineText:
    lowered = locked.text.lower()
    free = [(s, o) for s, o in stand_ins if s.lower() not in lowered and o.lower() not in lowered]
    expected = [token(i) for i in range(len(locked.targets))]

    def sub(m: re.Match[str]) -> str:
        i = int(m.group(1))
        if locked.kind(i) == PLACE and free:
            source, expected[i] = free.pop(0)
            return f" {source} "
        return f" {expected[i]} "

    text = _LOCK_RE.sub(sub, locked.text)
    text = _SUPERSCRIPT_ORDINAL.sub(lambda m: {"ᵉ": "e", "ᵉʳ": "er", "ʳᵉ": "re"}[m.group(0)], text)
    text = text.replace("œ", "oe").replace("Œ", "Oe")  # Apertium knows "coeur", not "cœur"
    return EngineText(" ".join(text.split()), tuple(expected))


def restore(output: str, locked: Locked, sent: EngineText) -> str | None:
    """Put the English targets back; ``None`` if the engine lost or repeated a lock."""
    output = escape_markdown(output)  # engine output is text: its '-' or '*' must not become markup
    finders = [re.compile(r"\s*(?<![\w])" + re.escape(e) + r"(?![\w])\s*") for e in sent.expected]
    if any(len(f.findall(output)) != 1 for f in finders):
        return None
    for i, (finder, target) in enumerate(zip(finders, locked.targets, strict=True)):
        before, after = locked.spaces[i] if i < len(locked.spaces) else (True, True)

        def put(m: re.Match[str], t: str = target, b: bool = before, a: bool = after) -> str:
            return (" " if b and m.start() else "") + t + (" " if a else "")

        output = finder.sub(put, output)
    return tidy(output)


def pieces(locked: Locked) -> list[str]:
    """The translatable text between locks (for the piecewise fallback)."""
    return _LOCK_RE.split(locked.text)[0::2]


def join_pieces(translated: list[str], locked: Locked, original: list[str]) -> str:
    out = []
    for i, (piece, src) in enumerate(zip(translated, original, strict=False)):
        lead = " " if src[:1].isspace() else ""
        trail = " " if src[-1:].isspace() else ""
        out.append(lead + escape_markdown(piece.strip()) + trail if piece.strip() else src)
        if i < len(locked.targets):
            out.append(locked.targets[i])
    return tidy("".join(out))


def tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"(?<=\w)\s+([,.;:!?)])", r"\1", text)
    return text.strip()
