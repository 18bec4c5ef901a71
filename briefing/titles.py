"""A headline and a summary cut from a lead: whole phrases, never mid-phrase; a lead printed again counted once."""

from __future__ import annotations

import re

from .taxonomy import UP

# a clause that goes on with an enumeration ("ses homologues du Laos, du Cambodge et de la Thaïlande"): a
# headline cut before it would name one of the list only
_ENUMERATION_GOES_ON = re.compile(r"(?:du|des|de|et|ainsi que)\s|de l['’]|d['’]")


def derive_title(lead: str, limit: int = 200) -> str:
    """A headline from the lead's main clause: a whole phrase, never cut mid-phrase and never with "…".

    An opening adverbial clause ("Dans le cadre de …,", "Depuis …,") and trailing appositions (", placée sous
    le thème …", ", selon le vice-ministre …") are left out; a clause still longer than ``limit`` ends at its
    last coordination ("… et de la 21e Conférence") or, failing that, its last whole clause before the limit.
    """
    sentence = re.split(rf"(?<=[.!?])\s+(?=[{UP}«\"])", lead, maxsplit=1)[0].rstrip(" .")
    opener = re.match(
        r"^(?:Dans le cadre d|Depuis|Lors d|En marge d|À l'occasion d|A l'occasion d|Selon|Après|"
        r"Au cours d|En présence d)[^,]{0,140},\s+(?P<rest>.{30,})$",
        sentence,
    )
    if opener:
        rest = opener.group("rest")
        sentence = rest[0].upper() + rest[1:]
    clauses = sentence.split(", ")
    title = clauses[0]
    for clause in clauses[1:]:
        if len(title) >= 40 and (not _ENUMERATION_GOES_ON.match(clause) or len(title) > limit):
            break
        title = f"{title}, {clause}"
    if len(title) > limit:
        cut = max(title.rfind(" et ", 0, limit), title.rfind(" : ", 0, limit))
        cut = cut if cut >= 60 else title.rfind(", ", 0, limit)  # else the last whole clause before the limit
        if cut >= 60:
            title = title[:cut]
    return title.rstrip(" ,;:")


def first_sentences(text: str, limit: int = 300) -> str:
    """Summary text: whole sentences up to ``limit`` characters; the first sentence whole even if longer (a
    sentence cut with "…" reads as a fragment, and is translated as one), unless it runs past twice the limit:
    then it ends at its last clause before that, with "…"."""
    parts = re.split(rf"(?<=[.!?…])\s+(?=[{UP}«\"])", text)
    out = ""
    for part in parts:
        if out and len(out) + len(part) + 1 > limit:
            break
        out = f"{out} {part}".strip()
    if len(out) > 2 * limit:
        cut = max(out.rfind(", ", 0, 2 * limit), out.rfind(" ", 0, limit))
        out = out[: cut if cut > 0 else 2 * limit].rstrip(" ,;:") + "…"
    return out


def similar(a: str, b: str) -> bool:
    """The same text printed twice (a lead repeated, a headline again as the first line), spacing and case aside."""
    na, nb = re.sub(r"\W+", "", a.lower()), re.sub(r"\W+", "", b.lower())
    if not na or not nb:
        return False
    short, long_ = sorted((na, nb), key=len)
    return len(short) >= 30 and long_.startswith(short[: max(30, int(len(short) * 0.8))])


def without_repeats(paragraphs: list[str]) -> list[str]:
    """A lead printed twice in a row (after the headline, with or without a caption between) counts once."""
    out: list[str] = []
    for p in paragraphs:
        if p and not (out and (p == out[-1] or similar(p, out[-1]))):
            out.append(p)
    return out
