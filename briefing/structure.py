"""The structure of one scraped VNA dispatch: a line classifier and a small assembler (pure: text in, record out).

The scraped copy mixes the article with the web page around it. ``classify`` gives each line one kind
(related link, timestamp, "Voir plus", bare sign-off, CMS alt text, caption, photo credit, dateline, text,
text ending in a sign-off); ``_Assembly`` walks the kinds in order, and each rule of the copy's shape lives in
one of its handlers: captions go to ``captions``, the sign-off ends the article, whatever follows it (or "Voir
plus") is teasers of other stories, which never reach the body or the taxonomy, and a lede printed twice counts
once. The rules are about the *shape* of agency copy, not about particular files.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from .layout import continues_rows
from .repair import repair
from .taxonomy import UP, fold
from .titles import derive_title, first_sentences, similar, without_repeats

_STUB = re.compile(r"^\s*date\s+(\d{4})-(\d{2})(?:-(\d{2}))?\b[ \t]*")
_CREDIT = re.compile(
    r"(?:^|(?<=[\s.,;)]))\(?\s*Photos?\s*:\s*(?P<credit>[^.!?\n]{0,60}?)(?:\s*\))?(?:\s*\|)?\s*$", re.I
)
_CMS = re.compile(r"\s*(?:hình\s+ảnh|hinh\s+anh|ảnh)\s?\d{1,2}(?=\S|$)")
# the tags a dispatch is signed with (the agency's services, and the other sources of the same copy: Nhân Dân en
# ligne, the Voice of Vietnam), and those a dateline names its source by: one place for each list
_SIGNED = r"(?:VNA/VI|VNA/CVN|VNA|AVI|CVN|VOV|NDEL)"
_DATELINE_SOURCE = r"(?:VNA|AVI|CVN|VNA/CVN|VOV)"
_SIGNOFF = re.compile(rf"(?P<glue>\s*[-–—]\s*|\s+[-–—]|[-–—])(?P<agency>{_SIGNED})\s*$")
_BARE_SIGNOFF = re.compile(rf"^\s*{_SIGNED}\s*$")
# "Source : VNA" names the source, under a table as much as at the end: never a paragraph, never the end
_SOURCE_LINE = re.compile(rf"^\s*source\s*:\s*{_SIGNED}\s*\.?\s*$", re.I)
# page furniture and bylines, never the article's text: "(À suivre)", "Écouter", "Partager : Facebook | Zalo",
# "Mots-clés : …", "Par Minh Hoa"
_FURNITURE = re.compile(
    r"^\s*(?:\(?\s*[àa]\s+suivre\s*\.?\s*\)?|[ée]couter(?:\s+l.article)?|imprimer|partager(?:\s*:\s*(?:facebook|twitter|zalo|e-?mail|linkedin)\b.*)?|"
    r"(?:mots?-cl[ée]s|tags?)\s*:.*|(?:facebook|twitter|zalo|e-?mail)(?:\s*[|,/]\s*(?:facebook|twitter|zalo|e-?mail|linkedin))+)"
    r"\s*$",
    re.I,
)
_BYLINE = re.compile(rf"^\s*Par\s+[{UP}][\w’'-]+(?:\s+[{UP}][\w’'-]+){{0,3}}\s*$")
_SOURCES = {"VOV": "VOV", "NDEL": "Nhân Dân"}  # copy by anyone else is the agency's (AVI, CVN: its French services)
_VOIR_PLUS = re.compile(r"^\s*(?:voir\s+plus|lire\s+plus|articles?\s+li[ée]s?)\s*:?\s*$", re.I)
_RELATED = re.compile(r"^\s*(?:>>|»|→|➜|➡|\U0001F449|lire\s+aussi\s*:)", re.I)
# a publication timestamp line: "12/12/2023 10:34", "20-11-2020 | 21:05", "09.04.2010 - 18h47", "… 21:05:09 GMT+7",
# "Jeudi 05/09/2024 - 15:40", "Publié le 02/03/2024 à 18h05"
_TIMESTAMP = re.compile(
    r"^\s*(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s*,?\s*|publi[ée]e?\s+le\s+)?(\d{1,2})([/.-])(\d{1,2})\2(\d{4})\s*(?:[|,–-]\s*)?(?:à\s*)?\d{1,2}\s*[:h]\s*\d{2}(?::\d{2})?"
    r"(?:\s*\(?GMT\s*[+-]?\s*\d{0,2}\)?)?\s*$",
    re.I,
)
_DATELINE = re.compile(
    rf"^(?P<place>[{UP}][\w'’.\- ()]{{0,40}}?)\s*"
    r"(?:,\s*(?P<when>(?:\d{1,2}|1er)\s+[^\W\d_]+(?:\s+\d{4})?))?\s*,?\s*"
    rf"\((?P<agency>{_DATELINE_SOURCE})\)\s*[-–—]+\s*"
)
# "… Photo : Thông Nhât/VNA Hanoï, 12 novembre (VNA) - …": a caption's credit and the dateline on one line
_CREDIT_THEN_DATELINE = re.compile(
    rf"(photos?\s*:\s*[^.!?\n]{{0,60}}?{_DATELINE_SOURCE}\b[^\s]*)[ \t]+(?=[{UP}][^\n()]{{0,60}}\({_DATELINE_SOURCE}\)\s*[-–—])",
    re.I,
)
# a line with a photo's positions, "(à droite)", "(2e à gauche)": a caption, credit or not
_POSITIONS = re.compile(
    r"\((?:\d+e\s+|premier\s+|première\s+)?à\s+(?:droite|gauche)\)|\(au\s+centre\)"
)  # not "(au Centre)"
_GRAPHIC = re.compile(r"^\s*(?:infographie|infographique|graphique)\s*:", re.I)  # the description of a graphic
# Nhân Dân's lead opens with its name alone: "NDEL – Dans la matinée du 5 septembre, …"
_SOURCE_LEAD = re.compile(r"^(?P<agency>NDEL)\s*[-–—]+\s*")
_END_PUNCT = (".", "!", "?", "…", "»", '"', ":", ";")


@dataclass(frozen=True)
class Dispatch:
    """What the raw copy says, structurally; no taxonomy, no dates resolved yet."""

    title: str
    title_derived: bool
    paragraphs: tuple[str, ...]
    captions: tuple[str, ...]
    subtitle: str | None = None  # a line under the headline, before the dateline (the agency's standfirst)
    dateline: str | None = None
    dateline_when: str | None = None
    agency: str = "VNA"
    signoff: str | None = None
    stub: tuple[int, int, int | None] | None = None
    timestamp: tuple[int, int, int] | None = None
    teasers: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)


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


def _broken_off(line: str, after: str) -> bool:
    """A body line that stops mid-sentence and the next line that ends it: a name split in two ("…, Sergueï" then
    "Lavrov, qui…"), or a line ending on a word that cannot end a sentence, then one in lower case."""
    line = line.rstrip()
    if line.count("«") > line.count("»") and after.count("»") > after.count("«"):
        return True  # a quotation closed on the next line: « … Vietnam et le Cambodge.\nNous avons le devoir … »
    if len(line) < 60 or line.endswith(_END_PUNCT + (")", "”", "’")):
        return False
    last = line.rsplit(None, 1)[-1]
    # "…, Sergueï" then "Lavrov, qui…"; "…, Lê Thi" then "Thu Hang." (the name's end, then its sentence's)
    if last[:1].isupper() and re.match(rf"[^\W\d]+,|(?:[{UP}][^\W\d_]*\s+){{0,3}}[{UP}][^\W\d_]*\s*[.,;:]", after):
        return True
    return after[:1].islower() and fold(last) in _CANNOT_END


_CANNOT_END = frozenset("de du des la le les l' d' et a au aux en pour avec par sur un une que qui dont ou".split())


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


__all__ = ["Dispatch", "derive_title", "first_sentences", "parse_dispatch", "repair"]


# -- the line classifier ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Classified:
    kind: str  # related | timestamp | more | signoff | source | cms | caption | credit | dateline | text
    text: str  # the line's text; for a line ending in a sign-off, the text before it
    joined: bool = False  # single newline before it (no blank line)
    signoff: str | None = None  # the sign-off that ends this line, if any
    parts: tuple[str, ...] = ()  # cms: (headline, caption); dateline: (place, when, agency, rest)


def classify(line: _Line) -> Classified:
    """One kind per line, from its shape alone."""
    t = line.text
    if _VOIR_PLUS.match(t):
        return Classified("more", t)
    if _RELATED.match(t):
        return Classified("related", t)
    if _FURNITURE.match(t) or _BYLINE.match(t):
        return Classified("text", "")
    ts = _TIMESTAMP.match(t)
    if ts:
        return Classified("timestamp", t, parts=ts.groups())
    if _BARE_SIGNOFF.match(t):
        return Classified("signoff", "", signoff=t.strip())
    if _SOURCE_LINE.match(t):
        return Classified("source", t.strip())
    cms = _CMS.search(t)
    if cms:
        return Classified("cms", t, parts=(t[: cms.start()].strip(), t[cms.end() :].strip()))
    if _split_caption(t) is not None:
        return Classified("credit" if _CREDIT.match(t) else "caption", t.strip(), line.joined_to_previous)
    if (_POSITIONS.search(t) and _caption_like(t) and not _DATELINE.match(t)) or _GRAPHIC.match(t):
        return Classified("caption", t.strip(), line.joined_to_previous)
    so = _SIGNOFF.search(t, max(0, len(t) - 60))  # at the line's end: linear on a line of spaces
    signoff = t[so.start() :].rstrip() if so else None
    text = t[: so.start()].rstrip() if so else t
    dl = _DATELINE.match(text) or _SOURCE_LEAD.match(text)
    if dl:
        parts = (
            (dl.groupdict().get("place") or "").strip().rstrip(","),
            dl.groupdict().get("when") or "",
            dl.group("agency"),
            text[dl.end() :].strip(),
        )
        return Classified("dateline", text, line.joined_to_previous, signoff, parts)
    return Classified("text", text, line.joined_to_previous, signoff)


# -- the assembler ------------------------------------------------------------------------------------------------


@dataclass
class _Assembly:
    """What the classified lines say, gathered in reading order; one handler per kind of line."""

    body: list[str] = field(default_factory=list)  # article lines after the dateline
    pre: list[str] = field(default_factory=list)  # text lines before the dateline
    captions: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    teasers: list[str] = field(default_factory=list)
    headline: str | None = None
    subtitle: str | None = None
    dateline: str | None = None
    dateline_when: str | None = None
    agency: str = "VNA"
    signoff: str | None = None
    timestamp: tuple[int, int, int] | None = None
    seen_dateline: bool = False
    ended: bool = False
    source_line: str | None = None  # "Source : VNA": the sign-off when no other ends the article
    last_kind: str = ""

    def take(self, c: Classified) -> None:
        if self.ended:
            if c.kind not in ("more", "caption", "credit", "cms", "source"):
                self.teasers.append(c.text or c.signoff or "")
            return
        getattr(self, f"_on_{c.kind}")(c)
        self.last_kind = c.kind
        # a sign-off glued to the very first line ends a headline ("Exportations : un record – VNA"), not the article
        if c.signoff is not None and (c.kind == "signoff" or self.seen_dateline or self.pre[:-1] or self.body):
            self.signoff, self.ended = c.signoff, True

    def _on_source(self, c: Classified) -> None:
        self.source_line = self.source_line or c.text

    def _on_more(self, c: Classified) -> None:
        self.ended = True

    def _on_related(self, c: Classified) -> None:
        self.related.append(c.text)

    def _on_timestamp(self, c: Classified) -> None:
        day, _, month, year = c.parts
        if _possible(int(year), int(month), int(day)):
            self.timestamp = (int(year), int(month), int(day))  # an impossible one is ignored

    def _on_signoff(self, c: Classified) -> None:
        pass  # take() records it and ends the article

    def _on_cms(self, c: Classified) -> None:
        """``<headline> ảnh 1<caption>``: the CMS alt text repeats the headline before the photo's caption."""
        head, cap = c.parts
        if head and self.headline is None and (not self.seen_dateline or _is_headline_like(head)):
            self.headline = head
        if cap:
            self.captions.append(cap)

    def _on_caption(self, c: Classified) -> None:
        self.captions.append(c.text)

    def _on_credit(self, c: Classified) -> None:
        """A bare credit under a short caption line ("caption\nPhoto : VNA/CVN") makes one caption with it."""
        if c.joined and self.last_kind == "caption" and not _CREDIT.search(self.captions[-1]):
            self.captions[-1] += " " + c.text  # "Le ministre (3e à gauche) et ses homologues." then "Photo : VNA"
            return
        target = self.body if self.seen_dateline or not self.pre else self.pre
        last = target[-1].rsplit("\n", 1)[-1] if target else ""  # of a block of rows, its last row only
        if target and ((c.joined and len(last) <= 250) or _caption_like(last)):
            rest = target.pop()[: -len(last)].rstrip("\n")
            target.extend([rest] if rest else [])
            self.captions.append(last + " " + c.text)
        else:
            self.captions.append(c.text)

    def _on_dateline(self, c: Classified) -> None:
        if self.seen_dateline:
            self._on_text(c)
            return
        place, when, agency, rest = c.parts
        self.seen_dateline = True
        self.dateline, self.dateline_when = place or None, when or None
        self.agency = _SOURCES.get(agency, "VNA")
        # a lead printed before the caption and again after the dateline counts once
        pre = [p for p in self.pre if not similar(p, rest)]
        if pre and self.headline is None and _is_headline_like(pre[0]):
            self.headline = pre.pop(0)
        elif self.headline is not None and pre and similar(pre[0], self.headline):
            pre.pop(0)
        if self.headline is not None and len(pre) == 1 and rest and _is_headline_like(pre[0]):
            self.subtitle = pre.pop(0)  # a line between the headline and the dateline: the standfirst
        self.body.extend(pre + ([rest] if rest else []))
        self.pre = []

    def _on_text(self, c: Classified) -> None:
        if not c.text:
            return
        lines = self.body if self.seen_dateline else self.pre
        # never onto the first line before a dateline: it may be the headline
        if c.joined and (self.seen_dateline or len(lines) >= 2) and lines and _broken_off(lines[-1], c.text):
            lines[-1] += " " + c.text  # a sentence the copy broke across lines ("Sergueï\nLavrov, qui…")
        elif c.joined and self.seen_dateline and len(lines) > 1 and continues_rows(lines[-1], c.text):
            lines[-1] += "\n" + c.text  # the next row of a table set one row a line
        else:
            lines.append(c.text)

    def article_lines(self) -> list[str]:
        """Without a dateline, the first short unpunctuated line before a real paragraph is the headline."""
        if self.seen_dateline:
            return self.body
        pre = list(self.pre)
        if pre and self.headline is None and _is_headline_like(pre[0]) and len(pre) > 1:
            self.headline = pre.pop(0)
        elif self.headline is not None and pre and similar(pre[0], self.headline):
            pre.pop(0)
        return pre + self.body


def parse_dispatch(text: str) -> Dispatch:
    """Recover headline, dateline, body, captions, sign-off and teasers from decoded raw text."""
    stub = None
    m = _STUB.match(text)
    if m:
        stub = _stub(int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None)
        text = text[m.end() :]
    a = _Assembly()
    for line in _lines(_CREDIT_THEN_DATELINE.sub(r"\1\n", text)):
        a.take(classify(line))
    paragraphs = without_repeats([repair(p) for p in a.article_lines() if p.strip()])
    warnings: list[str] = []
    if not paragraphs:
        if not a.headline:
            raise ValueError("no article text found")
        paragraphs = [repair(a.headline)]
        warnings.append("no article paragraph found: the body is the headline alone")
    title = repair(a.headline) if a.headline else derive_title(paragraphs[0])
    return Dispatch(
        title=title,
        title_derived=a.headline is None,
        subtitle=repair(a.subtitle) if a.subtitle else None,
        paragraphs=tuple(paragraphs),
        captions=tuple(repair(c) for c in a.captions),
        dateline=a.dateline,
        dateline_when=a.dateline_when,
        agency=a.agency,
        signoff=a.signoff or a.source_line,
        stub=stub,
        timestamp=a.timestamp,
        teasers=tuple(a.teasers),
        related=tuple(a.related),
        warnings=tuple(warnings),
    )


def _stub(year: int, month: int, day: int | None) -> tuple[int, int, int | None] | None:
    """The scraper's date stub; an impossible day ("2024-02-30") keeps its month, an impossible month nothing."""
    if not 1 <= month <= 12:
        return None
    return (year, month, day if day and _possible(year, month, day) else None)


def _possible(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
