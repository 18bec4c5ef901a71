"""Raw agency text → ``Dispatch``: the structure of one scraped VNA dispatch (pure: text in, record out).

The scraped copy mixes the article with the web page around it. Each line is classified
(caption, photo credit, CMS alt text, related link, timestamp, sign-off, "Voir plus", text)
and the article is what lies between the headline and the sign-off; everything after the
sign-off (or "Voir plus") is teasers of other stories, which never reach the body or the
taxonomy. The rules are about the *shape* of the copy, not about particular files.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .errors import InputError
from .taxonomy import LOW, UP

MAX_BYTES = 5_000_000  # a dispatch is a few KB; 5 MB is far past any real article

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


# -- decoding -------------------------------------------------------------------------------------


_UTF8_RUN = re.compile(  # runs of well-formed UTF-8 (RFC 3629: no overlongs, no surrogates)
    rb"(?:[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2})+"
)
_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
# invisible characters that only get in the way: zero-width spaces and joiners, word joiner, soft hyphen,
# a stray byte-order mark, and the bidi marks, embeddings, overrides and isolates that can reorder a title
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069\u061c]")


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # category Cc, but tab and newline


def _bad_utf8(data: bytes) -> list[int]:
    """Offsets of the bytes that are not part of well-formed UTF-8 (one pass over the data)."""
    bad: list[int] = []
    pos = 0
    for m in _UTF8_RUN.finditer(data):
        bad += range(pos, m.start())
        pos = m.end()
    return bad + list(range(pos, len(data)))


def _where(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return f"line {line} col {col} (byte 0x{data[offset]:02x} at {offset:,})"


def _decode_text(data: bytes, path: str) -> tuple[str, list[str]]:
    """UTF-16 with a byte-order mark; else UTF-8, strictly; a file mostly UTF-8 stays UTF-8 with its bad
    bytes replaced and reported by position; only a file with no UTF-8 in it is read as Windows-1252."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise InputError(
                path, f"starts with a UTF-16 byte-order mark but is not UTF-16 (at byte {exc.start:,})"
            ) from None
    if b"\x00" in data[:8192]:
        raise InputError(path, "file is binary (it contains NUL bytes), not a text dispatch")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    bad = _bad_utf8(data)
    if len(_MULTIBYTE.findall(data)) >= len(bad):  # mostly UTF-8: one bad byte never turns the rest to mojibake
        places = ", ".join(_where(data, i) for i in bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        text = data.decode("utf-8-sig", errors="replace")
        return text, [f"not valid UTF-8 at {places}: replaced by \ufffd, check the words there"]
    line = data.count(b"\n", 0, bad[0]) + 1
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if not text or not _plausible_latin(text):
        raise InputError(
            path,
            f"unknown encoding: not UTF-8 (first invalid byte at {_where(data, bad[0])}) and not Windows-1252",
            line=line,
        )
    return text, ["decoded as Windows-1252/Latin-1 (not UTF-8)"]


def decode(data: bytes, path: str) -> tuple[str, list[str]]:
    """Bytes → NFC text with ``\\n`` line ends. Raises ``InputError`` for empty, binary or undecodable input."""
    if len(data) > MAX_BYTES:
        raise InputError(path, f"file is {len(data):,} bytes; a dispatch is expected to be under {MAX_BYTES:,}")
    if not data.strip():
        raise InputError(path, "file is empty")
    text, warnings = _decode_text(data, path)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text, invisible = _INVISIBLE.subn("", text)
    if invisible:
        warnings.append(f"removed {invisible} invisible character(s) (zero-width, soft hyphen, bidi control)")
    text, controls = _CONTROLS.subn("", text)
    if controls > max(8, len(text) // 100):
        raise InputError(path, f"file looks binary: {controls} control characters")
    if not text.strip() or not any(c.isalpha() for c in text):
        raise InputError(path, "file has no letters: nothing to import")
    return text, warnings


def _plausible_latin(text: str) -> bool:
    """French decoded as cp1252 is mostly letters and spaces, with few symbols from the C1 range."""
    letters = sum(c.isalpha() or c.isspace() for c in text)
    odd = sum(c in "\u0080\u0081\u008d\u008f\u0090\u009d" or unicodedata.category(c) in ("Co", "Cn") for c in text)
    return letters / max(1, len(text)) > 0.75 and odd == 0


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
