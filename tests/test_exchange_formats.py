"""XLIFF 1.2 / 2.0 and TMX as the portal writes and reads them (pure: bytes in, records out), and the checks a
returned file must pass before anything of it is applied."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from briefing.errors import ExchangeError
from briefing.translate.exchange import Received, Returned, Unit, check_received, text_sha256
from briefing.translate.tmx import read_tmx, write_tmx
from briefing.translate.xliff import read_xliff, write_xliff

PROJECT = "Briefing diplomatique du Vietnam"
UNITS = [
    Unit("sommet-asean", 0, "Le ministre a dit « oui » & <b>merci</b>.", 'The minister said "yes".', {"unknown": 2}),
    Unit("sommet-asean", 1, "Hanoï accueille la réunion.", "Hanoi hosts the meeting.", {}, approved=True),
    Unit("visite-paris", 3, "**Paris**, le 3 mai.", "**Paris**, 3 May.", {"french": 1, "length": 1}),
]
XLF = Path("desk.xlf")


@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_xliff_round_trip_keeps_ids_digests_targets_and_states(version):
    data = write_xliff(UNITS, PROJECT, version)
    got = read_xliff(data, XLF)
    assert (got.project, got.source_lang, got.target_lang) == (PROJECT, "fr", "en")
    assert [(r.id, r.source, r.target, r.done) for r in got.units] == [
        (u.id, u.source, u.target, u.approved) for u in UNITS
    ]
    assert [r.source_sha256 for r in got.units] == [text_sha256(u.source) for u in UNITS]
    assert [r.english_sha256 for r in got.units] == [text_sha256(u.target) for u in UNITS]
    root = etree.fromstring(data)
    assert root.get("version") == version
    notes = [n.text for n in root.iter("{*}note")]
    assert "review flags: 2 unknown" in notes and "review flags: 1 french, 1 length" in notes


def test_xliff_2_puts_notes_in_the_unit_before_its_one_segment_as_the_schema_requires():
    root = etree.fromstring(write_xliff(UNITS, PROJECT, "2.0"))
    units = list(root.iter("{*}unit"))
    assert [u.get("id") for u in units] == ["sommet-asean:0", "sommet-asean:1", "visite-paris:3"]
    for u in units:
        assert [etree.QName(c).localname for c in u] == ["notes", "segment"]
        segment = u[1]
        assert set(segment.attrib) <= {"id", "canResegment", "state", "subState"}
    assert [u[1].get("state") for u in units] == ["initial", "reviewed", "initial"]


def test_xliff_1_2_marks_machine_targets_for_review_and_human_ones_signed_off():
    root = etree.fromstring(write_xliff(UNITS, PROJECT, "1.2"))
    assert root.nsmap[None] == "urn:oasis:names:tc:xliff:document:1.2"
    (file,) = root.iter("{*}file")
    assert (file.get("original"), file.get("source-language"), file.get("target-language")) == (PROJECT, "fr", "en")
    states = [(tu.get("approved"), tu.find("{*}target").get("state")) for tu in root.iter("{*}trans-unit")]
    assert states == [("no", "needs-review-translation"), ("yes", "signed-off"), ("no", "needs-review-translation")]


def test_xml_that_is_not_well_formed_is_refused_with_its_line():
    data = write_xliff(UNITS, PROJECT, "1.2").replace(b"</body>", b"</bdy>")
    with pytest.raises(ExchangeError) as e:
        read_xliff(data, XLF)
    assert str(e.value).startswith("desk.xlf:") and "not well-formed XML" in str(e.value)
    assert e.value.problems[0].line is not None


def test_a_file_that_is_not_xliff_is_refused():
    with pytest.raises(ExchangeError, match=r"desk.xlf:1: <html> is not an XLIFF file"):
        read_xliff(b"<html><body/></html>", XLF)


def _received(*units: Returned, project: str = PROJECT, langs: tuple[str, str] = ("fr", "en")) -> Received:
    return Received(project, langs[0], langs[1], units)


def _back(u: Unit, target: str | None = None, done: bool = False, sha: str | None = None, line: int = 7) -> Returned:
    sha = text_sha256(u.source) if sha is None else sha
    return Returned(u.id, sha, u.source, u.target if target is None else target, done, line)


CURRENT = {u.id: u for u in UNITS}


def test_changed_and_newly_approved_targets_are_applied_and_nothing_else():
    got = check_received(
        XLF,
        _received(
            _back(UNITS[0], "The minister said yes.", done=False),  # changed, even not marked done
            _back(UNITS[1], done=True),  # already approved, unchanged
            _back(UNITS[2], done=True),  # approved as it is
        ),
        PROJECT,
        CURRENT,
    )
    assert [(u.id, r.target) for u, r in got] == [
        ("sommet-asean:0", "The minister said yes."),
        ("visite-paris:3", "**Paris**, 3 May."),
    ]
    assert check_received(XLF, _received(_back(UNITS[0]), _back(UNITS[2], "  ")), PROJECT, CURRENT) == []


def test_another_projects_file_is_refused():
    with pytest.raises(ExchangeError, match=r"^desk.xlf: exported by another project \('Other site'"):
        check_received(XLF, _received(_back(UNITS[0]), project="Other site"), PROJECT, CURRENT)


@pytest.mark.parametrize("langs", [("en", "fr"), ("fr", "de"), ("fr-FR", "")])
def test_wrong_languages_are_refused(langs):
    with pytest.raises(ExchangeError, match=r"^desk.xlf: languages .*, expected fr→en$"):
        check_received(XLF, _received(_back(UNITS[0]), langs=langs), PROJECT, CURRENT)


def test_regional_language_codes_are_accepted():
    assert check_received(XLF, _received(_back(UNITS[0], done=True), langs=("fr-FR", "en-GB")), PROJECT, CURRENT)


def test_every_bad_unit_is_listed_with_its_line():
    stranger = Unit("sommet-asean", 9, "Rien.", "Nothing.")
    with pytest.raises(ExchangeError) as e:
        check_received(
            XLF,
            _received(
                _back(UNITS[0], "Changed.", sha=text_sha256("Une autre phrase."), line=4),
                _back(stranger, line=11),
                Returned("not an id", "x", "", "", True, 15),
                _back(UNITS[1], "Fine.", line=25),
                _back(UNITS[1], "Twice.", line=30),
            ),
            PROJECT,
            CURRENT,
        )
    assert str(e.value).split("\n") == [
        "desk.xlf:4: unit sommet-asean:0: the French has changed since the export; export again",
        "desk.xlf:11: unit sommet-asean:9: no such segment in this project (article removed or re-segmented?)",
        "desk.xlf:15: unit id 'not an id' is not one of this portal's (slug:index)",
        "desk.xlf:30: unit sommet-asean:1 appears twice",
    ]


def test_english_edited_here_since_the_export_is_never_overwritten():
    exported = "The minister said so."  # what the file was made from; the project now has UNITS[0].target
    theirs = Returned(
        UNITS[0].id, text_sha256(UNITS[0].source), UNITS[0].source, "Theirs.", True, 5, text_sha256(exported)
    )
    with pytest.raises(ExchangeError, match=r"^desk.xlf:5: unit sommet-asean:0: its English was edited here since"):
        check_received(XLF, _received(theirs), PROJECT, CURRENT)
    same = Returned(UNITS[0].id, theirs.source_sha256, UNITS[0].source, UNITS[0].target, True, 5, theirs.english_sha256)
    assert [u.id for u, _ in check_received(XLF, _received(same), PROJECT, CURRENT)] == [UNITS[0].id]  # agrees
    untouched = Returned(UNITS[0].id, theirs.source_sha256, UNITS[0].source, exported, True, 5, theirs.english_sha256)
    with pytest.raises(ExchangeError, match="its English was edited here"):  # confirming the old text would undo it
        check_received(XLF, _received(untouched), PROJECT, CURRENT)


def test_a_tool_that_drops_notes_is_checked_on_the_source_it_returns():
    kept = Returned(UNITS[0].id, "", UNITS[0].source, "Changed.", True, 3)
    assert [u.id for u, _ in check_received(XLF, _received(kept), PROJECT, CURRENT)] == [UNITS[0].id]
    edited = Returned(UNITS[0].id, "", "Le ministre a dit non.", "Changed.", True, 3)
    with pytest.raises(ExchangeError, match=r"^desk.xlf:3: unit sommet-asean:0: the French has changed"):
        check_received(XLF, _received(edited), PROJECT, CURRENT)


PAIRS = [("Le ministre a dit.", "The minister said."), ("É & <b> « x »", "E & <b> “x”")]


def test_tmx_round_trip():
    data = write_tmx(PAIRS)
    assert read_tmx(data, Path("m.tmx")) == PAIRS
    root = etree.fromstring(data)
    assert root.get("version") == "1.4"
    assert [t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in root.iter("tuv")] == ["fr", "en"] * 2


def test_tmx_with_other_languages_beside_french_and_english_is_read():
    data = (
        b'<tmx version="1.4"><header srclang="fr" adminlang="en" segtype="sentence" datatype="plaintext" '
        b'o-tmf="x" creationtool="x" creationtoolversion="1"/><body><tu><tuv xml:lang="de"><seg>Hallo</seg></tuv>'
        b'<tuv xml:lang="fr-FR"><seg>Bonjour</seg></tuv><tuv xml:lang="en-GB"><seg>Hello</seg></tuv></tu></body></tmx>'
    )
    assert read_tmx(data, Path("m.tmx")) == [("Bonjour", "Hello")]


def test_tmx_in_other_languages_is_refused_unit_by_unit():
    data = (
        b'<tmx version="1.4">\n<header srclang="en" adminlang="en" segtype="sentence" datatype="plaintext" '
        b'o-tmf="x" creationtool="x" creationtoolversion="1"/>\n<body>\n<tu><tuv xml:lang="en"><seg>Hi</seg></tuv>'
        b'<tuv xml:lang="de"><seg>Hallo</seg></tuv></tu>\n<tu><tuv xml:lang="fr"><seg>Oui</seg></tuv>'
        b'<tuv xml:lang="en"><seg>Yes</seg></tuv></tu>\n<tu><tuv xml:lang="fr"><seg>Non</seg></tuv></tu>\n</body></tmx>'
    )
    with pytest.raises(ExchangeError) as e:
        read_tmx(data, Path("m.tmx"))
    assert str(e.value).split("\n") == [
        "m.tmx:4: unit in en, de: needs non-empty fr and en",
        "m.tmx:6: unit in fr: needs non-empty fr and en",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<tmx><body><tu>", "m.tmx:1: not well-formed XML"),
        (b'<xliff version="1.2"/>', "m.tmx:1: <xliff> is not a TMX file"),
        (b'<tmx version="1.4"><header srclang="fr"/><body/></tmx>', "m.tmx:1: no translation units"),
    ],
)
def test_malformed_tmx_is_refused(data, message):
    with pytest.raises(ExchangeError) as e:
        read_tmx(data, Path("m.tmx"))
    assert str(e.value).startswith(message)


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    data = write_xliff(UNITS[:1], PROJECT, "1.2").decode("utf-8")
    data = data.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE xliff [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>',
    ).replace("The minister said", "&leak; The minister said")
    got = read_xliff(data.encode("utf-8"), XLF)
    assert "TOP SECRET" not in repr(got)
