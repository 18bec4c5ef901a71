"""Raw agency text → ``Dispatch``: the structure of one scraped VNA dispatch (pure: text in, record out).

The scraped copy mixes the article with the web page around it. Each line is classified
(caption, photo credit, CMS alt text, related link, timestamp, sign-off, "Voir plus", text)
and the article is what lies between the headline and the sign-off; everything after the
sign-off (or "Voir plus") is teasers of other stories, which never reach the body or the
taxonomy. The rules are about the *shape* of the copy, not about particular files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .taxonomy import LOW, UP

_STUB = re.compile(r"^\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?\b[ \t]*")
_CREDIT = re.compile(r"(?:^|(?<=[\s.,;)]))\(?\s*Photos?\s*:\s*(?P<credit>[^.!?\n]{0,60}?)\s*\)?\s*\|?\s*$", re.I)
_CMS = re.compile(r"\s*(?:hình\s+ảnh|hinh\s+anh|ảnh)\s?\d{1,2}(?=\S|$)")
_SIGNOFF = re.compile(r"(?P<glue>\s*-\s*|\s+-|-)(?P<agency>VNA/VI|VNA/CVN|VNA|AVI|CVN)\s*$")
_BARE_SIGNOFF = re.compile(r"^\s*(?:VNA/CVN|VNA/VI|VNA|AVI|CVN)\s*$")
_VOIR_PLUS = re.compile(r"^\s*(?:voir\s+plus|lire\s+plus|articles?\s+li[ée]s?)\s*:?\s*$", re.I)
_RELATED = re.compile(r"^\s*(?:>>|»|→|➜|➡|\U0001F449)")
_TIMESTAMP = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s+\d{1,2}:\d{2}\s*$")
_DATELINE = re.compile(
    rf"^(?P<place>[{UP}][\w'’.\- ]{{0,40}}?)\s*"
    r"(?:,\s*(?P<when>(?:\d{1,2}|1er)\s+[^\W\d_]+(?:\s+\d{4})?))?\s*,?\s*"
    r"\((?P<agency>VNA|AVI|CVN|VNA/CVN)\)\s*[-–—]+\s*"
)
_END_PUNCT = (".", "!", "?", "…", "»", '"', ":", ";")
_CAMEL = re.compile(rf"(?<=[{LOW}]{{2}})(?=[{UP}][{LOW}])|(?<=\b[{UP}][{LOW}])(?=[{UP}][{LOW}])")
_CAMEL_KEEP = frozenset(
    [
        "iPhone",
        "YouTube",
        "LinkedIn",
        "WhatsApp",
        "TikTok",
        "PayPal",
        "McDonald",
        "MacBook",
        "JavaScript",
        "PowerPoint",
        "eBay",
        "iPad",
        "FedEx",
        "VinFast",
        "VinGroup",
        "VietJet",
        "PetroVietnam",
        "VietinBank",
        "HiPP",
        "BioNTech",
        "AstraZeneca",
        "GlobalFoundries",
        "LinkedIn",
        "OpenAI",
        "DeepMind",
        "PlayStation",
    ]
)
_MISSING_SPACE = re.compile(rf"(?<=[{LOW}]{{3}}[.!?])(?=[{UP}][{LOW}'’])")


@dataclass(frozen=True)
class Dispatch:
    """What the raw copy says, structurally; no taxonomy, no dates resolved yet."""

    title: str
    title_derived: bool
    paragraphs: tuple[str, ...]
    captions: tuple[str, ...]
    dateline: str | None = None
    dateline_when: str | None = None
    agency: str = "VNA"
    signoff: str | None = None
    stub: tuple[int, int, int | None] | None = None
    timestamp: tuple[int, int, int] | None = None
    teasers: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)


# -- text repair ----------------------------------------------------------------------------------


def repair(text: str) -> str:
    """Undo the scraper's gluing: ``desAffaires`` → ``des Affaires``, ``rompus.L'ambassade`` → ``rompus. L'…``."""
    words = []
    for word in re.split(r"(\s+)", text):
        if word.strip() and word not in _CAMEL_KEEP and not any(k in word for k in _CAMEL_KEEP):
            word = _CAMEL.sub(" ", word)
        words.append(word)
    text = "".join(words)
    text = _MISSING_SPACE.sub(" ", text)
    return re.sub(r"[ \t\u00a0]{2,}", " ", text).strip()


# -- structure ------------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    joined_to_previous: bool  # single newline before it, no blank line


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    blank = True
    for raw in text.split("\n"):
        stripped = raw.strip().strip("|").strip()
        if not stripped:
            blank = True
            continue
        out.append(_Line(stripped, not blank and bool(out)))
        blank = False
    return out


def _is_headline_like(text: str) -> bool:
    return (
        8 <= len(text) <= 220
        and not text.endswith(_END_PUNCT[:4])
        and text[:1].isupper()
        and not _DATELINE.match(text)
        and len(text.split()) >= 2
    )


def _split_caption(text: str) -> str | None:
    """The caption (with its credit) if the line is one; ``None`` otherwise."""
    m = _CREDIT.search(text)
    if not m:
        return None
    before = text[: m.start()].strip()
    # a caption is short; a long paragraph that happens to end with "Photo: X" still is one
    # only if it is not a whole article paragraph of several sentences
    if len(before) > 400 and before.count(". ") >= 3:
        return None
    return text.strip()


def _caption_like(text: str) -> bool:
    """A short, single-sentence line: what stands above a bare photo credit when it is the photo's caption."""
    sentences = [p for p in re.split(r"(?<=[.!?])\s+", text.strip()) if p]
    return len(text) <= 160 and len(sentences) <= 1 and not _DATELINE.match(text)


def _similar(a: str, b: str) -> bool:
    na, nb = re.sub(r"\W+", "", a.lower()), re.sub(r"\W+", "", b.lower())
    if not na or not nb:
        return False
    short, long_ = sorted((na, nb), key=len)
    return len(short) >= 30 and long_.startswith(short[: max(30, int(len(short) * 0.8))])


def parse_dispatch(text: str) -> Dispatch:
    """Recover headline, dateline, body, captions, sign-off and teasers from decoded raw text."""
    warnings: list[str] = []
    stub = None
    m = _STUB.match(text)
    if m:
        stub = (int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None)
        text = text[m.end() :]

    lines = _lines(text)
    captions: list[str] = []
    related: list[str] = []
    body: list[str] = []  # article text lines, in order
    pre: list[str] = []  # text lines before the dateline
    headline: str | None = None
    dateline = dateline_when = None
    agency = "VNA"
    signoff = None
    timestamp = None
    teasers: list[str] = []
    seen_dateline = False
    ended = False

    for _i, line in enumerate(lines):
        t = line.text
        if ended:
            if not _VOIR_PLUS.match(t) and not _split_caption(t) and not _CMS.search(t):
                teasers.append(t)
            continue
        if _VOIR_PLUS.match(t):
            ended = True
            continue
        if _RELATED.match(t):
            related.append(t)
            continue
        ts = _TIMESTAMP.match(t)
        if ts:
            timestamp = (int(ts.group(3)), int(ts.group(2)), int(ts.group(1)))
            continue
        if _BARE_SIGNOFF.match(t):
            signoff = t.strip()
            ended = True
            continue
        cms = _CMS.search(t)
        if cms:
            head, cap = t[: cms.start()].strip(), t[cms.end() :].strip()
            if head and headline is None and (not seen_dateline or _is_headline_like(head)):
                headline = head
            if cap:
                captions.append(cap)
            continue
        cap = _split_caption(t)
        if cap is not None:
            credit_only = _CREDIT.match(t) is not None
            target = body if seen_dateline or not pre else pre
            if (
                credit_only
                and target
                and ((line.joined_to_previous and len(target[-1]) <= 250) or _caption_like(target[-1]))
            ):
                captions.append(target.pop() + " " + t)  # "caption\nPhoto : VNA/CVN" is one caption
            else:
                captions.append(cap)
            continue
        so = _SIGNOFF.search(t)
        if so:
            signoff = t[so.start() :].rstrip()
            t = t[: so.start()].rstrip()
            ended = True
            if not t:
                continue
        dl = _DATELINE.match(t)
        if dl and not seen_dateline:
            seen_dateline = True
            dateline = dl.group("place").strip().rstrip(",")
            dateline_when = dl.group("when")
            agency = {"AVI": "VNA", "CVN": "VNA"}.get(dl.group("agency"), "VNA")
            rest = t[dl.end() :].strip()
            # a lead printed before the caption and again after the dateline counts once
            pre_kept = [p for p in pre if not _similar(p, rest)]
            if pre_kept and headline is None and _is_headline_like(pre_kept[0]):
                headline = pre_kept.pop(0)
            elif headline is not None and pre_kept and _similar(pre_kept[0], headline):
                pre_kept.pop(0)
            body.extend(pre_kept)
            pre = []
            if rest:
                body.append(rest)
            continue
        if seen_dateline:
            body.append(t)
        else:
            pre.append(t)

    if not seen_dateline:
        # no dateline: the first short unpunctuated line before a real paragraph is the headline
        if pre and headline is None and _is_headline_like(pre[0]) and len(pre) > 1:
            headline = pre.pop(0)
        elif headline is not None and pre and _similar(pre[0], headline):
            pre.pop(0)
        body = pre + body

    paragraphs = [repair(p) for p in body if p.strip()]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        if headline:
            paragraphs = [repair(headline)]
            warnings.append("no article paragraph found: the body is the headline alone")
        else:
            raise ValueError("no article text found")
    title_derived = headline is None
    title = repair(headline) if headline else derive_title(paragraphs[0])
    return Dispatch(
        title=title,
        title_derived=title_derived,
        paragraphs=tuple(paragraphs),
        captions=tuple(repair(c) for c in captions),
        dateline=dateline,
        dateline_when=dateline_when,
        agency=agency,
        signoff=signoff,
        stub=stub,
        timestamp=timestamp,
        teasers=tuple(teasers),
        related=tuple(related),
        warnings=tuple(warnings),
    )


def derive_title(lead: str, limit: int = 110) -> str:
    """A headline from the lead's first sentence: cut at a clause boundary, never mid-word."""
    sentence = re.split(rf"(?<=[.!?])\s+(?=[{UP}«\"])", lead, maxsplit=1)[0].rstrip(" .")
    # an opening adverbial clause ("Dans le cadre de …,", "Depuis …,") makes a poor headline: keep the main clause
    opener = re.match(
        r"^(?:Dans le cadre d|Depuis|Lors d|En marge d|À l'occasion d|A l'occasion d|Selon|Après|"
        r"Au cours d|En présence d)[^,]{0,140},\s+(?P<rest>.{30,})$",
        sentence,
    )
    if opener:
        rest = opener.group("rest")
        sentence = rest[0].upper() + rest[1:]
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit]
    for sep in (", ", " : ", " – ", " - "):
        pos = cut.rfind(sep)
        if pos >= 40:
            return cut[:pos].rstrip() + "…"
    return cut[: cut.rfind(" ")].rstrip(" ,;:") + "…"


def first_sentences(text: str, limit: int = 300) -> str:
    """Summary text: whole sentences up to ``limit`` characters."""
    parts = re.split(rf"(?<=[.!?…])\s+(?=[{UP}«\"])", text)
    out = ""
    for part in parts:
        if out and len(out) + len(part) + 1 > limit:
            break
        out = f"{out} {part}".strip()
    if len(out) > limit:
        out = out[: out.rfind(" ", 0, limit)].rstrip(" ,;:") + "…"
    return out
