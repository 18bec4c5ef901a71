"""The reference data shipped in briefing/data/: well-formed, and consistent with both labelled corpora.

people.yaml (Vietnamese office-holders), foreign.yaml (foreign persons) and events.yaml (instances of the recurring
events) use the schema of content/taxonomy.yaml. The editor's taxonomy overrides them entry by entry, so the
corpus checks look at the merged view as the importer will see it, and at each reference entry on its own.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefing.taxonomy import GOVERNMENT_RANKS, OTHER_RANKS, fold, slugify_name

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "briefing" / "data"
CORPORA = (ROOT / "tests" / "corpus", ROOT / "tests" / "corpus2")

GOVERNMENT = set(GOVERNMENT_RANKS)  # one place for each fact: the loader's ranks
RANKS = GOVERNMENT | set(OTHER_RANKS)
# the kinds and how each is keyed: one place for each fact, the shipped kinds.yaml
_KINDS = yaml.safe_load((DATA / "kinds.yaml").read_text(encoding="utf-8"))["kinds"]
YEAR_KINDS = {k for k, v in _KINDS.items() if v.get("number") == "year"}
NUMBERED_KINDS = set(_KINDS) - YEAR_KINDS
# Persons of the corpora that the corpus READMEs say are invented (provincial officials of 001 and 022, the
# Guangxi official of 022): no reference data can know them.
INVENTED = {"hoang-van-nghiem", "tran-thi-kim-lien", "vu-quoc-khanh", "pham-hoang-long", "li-wei"}
# Conference facts stated in the labels headers of tests/corpus and tests/corpus2 (id: start, end, place).
HEADER_FACTS: dict[str, tuple[str, str, str | None]] = {
    "conference-diplomatique-28": ("2013-12-16", "2013-12-20", "Hanoï"),
    "conference-diplomatique-29": ("2016-08-22", "2016-08-26", "Hanoï"),
    "conference-diplomatique-30": ("2018-08-13", "2018-08-17", "Hanoï"),
    "conference-affaires-etrangeres-17": ("2013-12-15", "2013-12-15", "Hanoï"),
    "conference-affaires-etrangeres-18": ("2016-08-21", "2016-08-21", "Hanoï"),
    "conference-affaires-etrangeres-19": ("2018-08-12", "2018-08-12", "Hanoï"),
    "conference-diplomatie-economique-2022": ("2022-09-19", "2022-09-19", None),
    "conference-diplomatie-economique-2025": ("2025-07-22", "2025-07-22", None),
    "conference-mondiale-vietnamiens-etranger-4": ("2024-08-21", "2024-08-24", "Hanoï"),
    "sommet-asean-18": ("2011-05-07", "2011-05-08", "Jakarta"),
    "sommet-asean-23": ("2013-10-09", "2013-10-10", "Bandar Seri Begawan"),
    "sommet-asean-24": ("2014-05-10", "2014-05-11", "Nay Pyi Taw"),
    "sommet-asean-36": ("2020-06-26", "2020-06-26", "en ligne"),
    "sommet-asean-37": ("2020-11-12", "2020-11-15", "en ligne"),
    "sommet-asean-38": ("2021-10-26", "2021-10-28", "en ligne"),
    "sommet-asean-39": ("2021-10-26", "2021-10-28", "en ligne"),
    "sommet-asean-42": ("2023-05-10", "2023-05-11", "Labuan Bajo"),
    "sommet-asean-43": ("2023-09-05", "2023-09-07", "Jakarta"),
    "sommet-asean-47": ("2025-10-26", "2025-10-28", "Kuala Lumpur"),
    "amm-45": ("2012-07-09", "2012-07-13", "Phnom Penh"),
    "amm-48": ("2015-08-04", "2015-08-06", "Kuala Lumpur"),
    "amm-50": ("2017-08-05", "2017-08-08", "Manille"),
    "amm-52": ("2019-07-29", "2019-08-03", "Bangkok"),
    "amm-53": ("2020-09-09", "2020-09-12", "en ligne"),
    "amm-54": ("2021-08-02", "2021-08-06", "en ligne"),
    "amm-55": ("2022-08-03", "2022-08-05", "Phnom Penh"),
    "amm-56": ("2023-07-11", "2023-07-14", "Jakarta"),
    "amm-57": ("2024-07-24", "2024-07-27", "Vientiane"),
    "amm-58": ("2025-07-08", "2025-07-11", "Kuala Lumpur"),
    "iamm-2013": ("2013-09-26", "2013-09-26", "New York"),
    "som-asean-2024": ("2024-07-23", "2024-07-23", "Vientiane"),
    "amm-retreat-2020": ("2020-01-17", "2020-01-17", "Nha Trang"),
    "amm-retreat-2025": ("2025-01-19", "2025-01-19", "Langkawi"),
    "amm-retreat-2026": ("2026-01-28", "2026-01-29", "Cebu"),
    "conference-ministerielle-eas-2": ("2012-07-12", "2012-07-12", "Phnom Penh"),
    "forum-regional-asean-19": ("2012-07-12", "2012-07-12", "Phnom Penh"),
    "sommet-asean-plus-3-23": ("2020-11-14", "2020-11-14", "en ligne"),
    "sommet-asie-est-15": ("2020-11-14", "2020-11-14", "en ligne"),
    "sommet-g20-2019": ("2019-06-28", "2019-06-29", "Osaka"),
    "sommet-g20-2025": ("2025-11-22", "2025-11-23", "Johannesburg"),
    "sommet-asem-12": ("2018-10-18", "2018-10-19", "Bruxelles"),
    "sommet-non-alignes-19": ("2024-01-19", "2024-01-20", "Kampala"),
}


# -- loading --------------------------------------------------------------------------------------------------------
@cache
def load(name: str) -> dict[str, Any]:
    path = ROOT / "content" / "taxonomy.yaml" if name == "taxonomy" else DATA / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: not a mapping"
    return data


def reference_people() -> dict[str, dict[str, Any]]:
    return {**load("people")["people"], **load("foreign")["people"]}


def merged_people() -> dict[str, dict[str, Any]]:
    """What the importer sees: the editor's entries override the reference data by id."""
    return {**reference_people(), **load("taxonomy")["people"]}


def merged_conferences() -> dict[str, dict[str, Any]]:
    return {**load("events")["conferences"], **load("taxonomy")["conferences"]}


def parse_date(value: Any, *, end: bool = False) -> dt.date:
    """YYYY-MM-DD (a date for YAML) or YYYY-MM; a month-only end date stands for the month's last day."""
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if not re.fullmatch(r"\d{4}-\d{2}", text):
        return dt.date.fromisoformat(text)
    year, month = int(text[:4]), int(text[5:])
    return dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)


def covers(role: dict[str, Any], day: dt.date) -> bool:
    start = parse_date(role["from"]) if role.get("from") else dt.date.min
    stop = parse_date(role["to"], end=True) if role.get("to") else dt.date.max
    return start <= day <= stop


def government_on(person: dict[str, Any], day: dt.date) -> bool:
    return any(r["rank"] in GOVERNMENT and covers(r, day) for r in person.get("roles") or [])


def labelled() -> Iterator[tuple[str, dict[str, Any]]]:
    for corpus in CORPORA:
        for entry in yaml.safe_load((corpus / "labels.yaml").read_text(encoding="utf-8")):
            yield f"{corpus.name}/{entry['file']}", entry


# -- people ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("source", ["people", "foreign"])
def test_people_are_well_formed(source: str) -> None:
    people = load(source)["people"]
    assert len(people) > 20
    problems = []
    for pid, person in people.items():
        spellings = [person.get("name"), person.get("en"), *(person.get("aliases") or [])]
        if pid not in {slugify_name(s) for s in spellings if s}:
            problems.append(f"{pid}: not the slug of its name ({person.get('name')!r})")
        if not pid.isascii() or not person.get("name") or not person.get("en"):
            problems.append(f"{pid}: needs an ASCII id, a name and an en")
        if not person.get("roles"):
            problems.append(f"{pid}: no roles")
        for role in person.get("roles") or []:
            problems += role_problems(pid, role, foreign=source == "foreign")
    assert not problems, "\n".join(problems)


def role_problems(pid: str, role: dict[str, Any], *, foreign: bool) -> list[str]:
    out = []
    if role.get("rank") not in RANKS:
        out.append(f"{pid}: rank {role.get('rank')!r} not allowed")
    if foreign and role.get("rank") != "foreign":
        out.append(f"{pid}: a foreign person has rank 'foreign'")
    if not foreign and role.get("rank") == "foreign":
        out.append(f"{pid}: rank 'foreign' in people.yaml")
    if not role.get("fr") or not role.get("en"):
        out.append(f"{pid}: role without fr or en title")
    try:
        start = parse_date(role["from"]) if role.get("from") else None
        stop = parse_date(role["to"], end=True) if role.get("to") else None
    except (AttributeError, ValueError):
        return [*out, f"{pid}: bad date in {role}"]
    if start and stop and start > stop:
        out.append(f"{pid}: from {role['from']} after to {role['to']}")
    return out


def test_vietnamese_names_carry_diacritics_and_en_is_their_folding() -> None:
    for pid, person in load("people")["people"].items():
        assert fold(person["name"]) == person["en"].lower(), pid
    assert any(not p["name"].isascii() for p in load("people")["people"].values())


def test_no_person_id_twice() -> None:
    people, foreign = load("people")["people"], load("foreign")["people"]
    assert not set(people) & set(foreign)
    editor = load("taxonomy")["people"]
    for pid in (set(people) | set(foreign)) & set(editor):
        mine = reference_people()[pid]
        assert normalised_roles(mine) == normalised_roles(editor[pid]), f"{pid} differs from content/taxonomy.yaml"


def normalised_roles(person: dict[str, Any]) -> list[tuple[str, str, str]]:
    return sorted((r["rank"], str(r.get("from")), str(r.get("to"))) for r in person.get("roles") or [])


def matching_key(spelling: str) -> str:
    """What name matching compares: folded, without spaces or hyphens."""
    return re.sub(r"[\s\-]+", "", fold(spelling))


def test_aliases_differ_from_the_name_beyond_diacritics_case_and_spaces() -> None:
    for pid, person in reference_people().items():
        for alias in person.get("aliases") or []:
            assert matching_key(alias) not in {matching_key(person["name"]), matching_key(person["en"])}, pid


def test_no_name_is_claimed_by_two_people() -> None:
    owner: dict[str, str] = {}
    for pid, person in merged_people().items():
        for spelling in {person["name"], person.get("en") or person["name"], *(person.get("aliases") or [])}:
            key = matching_key(spelling)
            assert owner.setdefault(key, pid) == pid, f"{spelling!r}: {pid} and {owner[key]}"


# -- events ---------------------------------------------------------------------------------------------------------
def split_id(cid: str) -> tuple[str, int]:
    kind, _, number = cid.rpartition("-")
    assert number.isdigit(), f"{cid}: id must end with a number"
    return kind, int(number)


def test_conferences_are_well_formed() -> None:
    conferences = load("events")["conferences"]
    assert len(conferences) > 200
    for cid, conf in conferences.items():
        kind, number = split_id(cid)
        assert kind in NUMBERED_KINDS | YEAR_KINDS, f"{cid}: unknown kind {kind}"
        if kind in YEAR_KINDS:
            assert 1980 <= number <= 2030, f"{cid}: a by-year id takes the year"
            assert parse_date(conf["start"]).year == number, f"{cid}: start is not in {number}"
        assert conf.get("fr") and conf.get("en") and conf.get("place"), f"{cid}: needs fr, en and place"
        start, end = parse_date(conf["start"]), parse_date(conf.get("end") or conf["start"], end=True)
        assert start <= end, f"{cid}: start after end"


def test_conference_names_carry_their_ordinal() -> None:
    for cid, conf in load("events")["conferences"].items():
        kind, number = split_id(cid)
        if kind in NUMBERED_KINDS:
            assert re.match(rf"{number}(e|er|re) ", conf["fr"]), f"{cid}: {conf['fr']!r}"
            assert re.match(rf"{number}(st|nd|rd|th) ", conf["en"]), f"{cid}: {conf['en']!r}"


def test_numbered_series_are_in_date_order() -> None:
    by_kind: dict[str, list[tuple[int, dt.date]]] = {}
    for cid, conf in load("events")["conferences"].items():
        kind, number = split_id(cid)
        by_kind.setdefault(kind, []).append((number, parse_date(conf["start"])))
    for kind, instances in by_kind.items():
        dates = [d for _, d in sorted(instances)]
        assert dates == sorted(dates), f"{kind}: a later number starts earlier"


def test_series_the_brief_names_are_complete() -> None:
    ids = set(load("events")["conferences"]) | set(load("taxonomy")["conferences"])
    wanted = (
        [f"sommet-asean-{n}" for n in range(1, 48)]
        + [f"amm-{n}" for n in range(39, 59)]
        + [f"sommet-asie-est-{n}" for n in range(1, 21)]
        + [f"forum-regional-asean-{n}" for n in range(1, 33)]
        + [f"sommet-apec-{y}" for y in range(1993, 2026) if y != 2019]  # 2019 (Santiago) was cancelled
        + [f"sommet-asem-{n}" for n in range(1, 14)]  # no 14th summit held yet
        + [f"sommet-g20-{y}" for y in range(2008, 2026)]
        + [f"assemblee-generale-onu-{n}" for n in range(61, 81)]
        + [f"conference-mondiale-vietnamiens-etranger-{n}" for n in range(1, 5)]
    )
    assert not [cid for cid in wanted if cid not in ids]


def span(value: Any) -> tuple[dt.date, dt.date]:
    """The days a date may stand for: one day, or a whole month for YYYY-MM."""
    return parse_date(value), parse_date(value, end=True)


def same_dates(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Same start and end, a month-only date agreeing with any day of its month."""
    for key in ("start", "end"):
        (a0, a1), (b0, b1) = span(a.get(key) or a["start"]), span(b.get(key) or b["start"])
        if a1 < b0 or b1 < a0:
            return False
    return True


def test_no_conference_id_twice_unless_identical() -> None:
    mine, editor = load("events")["conferences"], load("taxonomy")["conferences"]
    shared = set(mine) & set(editor)
    for cid in shared:
        assert same_dates(mine[cid], editor[cid]), f"{cid}: dates differ from content/taxonomy.yaml"
        assert mine[cid]["place"] == editor[cid]["place"], f"{cid}: place differs from content/taxonomy.yaml"


@pytest.mark.parametrize("cid", sorted(HEADER_FACTS))
def test_conference_facts_agree_with_the_labels_headers(cid: str) -> None:
    start, end, place = HEADER_FACTS[cid]
    for source in ("events", "taxonomy"):
        conf = load(source)["conferences"].get(cid)
        if conf is not None:
            assert same_dates(conf, {"start": start, "end": end}), f"{cid} in {source}: {conf}"
            assert not place or conf["place"] == place, f"{cid} in {source}: {conf['place']}"
    assert cid in merged_conferences()


# -- consistency with the labelled corpora --------------------------------------------------------------------------
def test_every_labelled_minister_holds_a_government_role_on_the_article_date() -> None:
    problems = []
    for name, entry in labelled():
        if not entry["event_date"]:
            continue
        day = parse_date(entry["event_date"])
        for pid in entry["ministers"]:
            for source, people in (("reference", reference_people()), ("merged", merged_people())):
                if pid in people and not government_on(people[pid], day):
                    problems.append(f"{name}: {pid} not in government on {day} ({source})")
            if pid not in merged_people():
                problems.append(f"{name}: minister {pid} unknown")
    assert not problems, "\n".join(problems)


def test_no_labelled_person_holds_a_government_role_on_the_article_date() -> None:
    problems = []
    for name, entry in labelled():
        if not entry["event_date"]:
            continue
        day = parse_date(entry["event_date"])
        for pid in entry["people"]:
            for source, people in (("reference", load("people")["people"]), ("merged", merged_people())):
                if pid in people and government_on(people[pid], day):
                    problems.append(f"{name}: {pid} is a person, yet in government on {day} ({source})")
    assert not problems, "\n".join(problems)


def test_every_real_labelled_person_is_known() -> None:
    known = set(merged_people())
    missing = {
        f"{name}: {pid}"
        for name, entry in labelled()
        for pid in entry["people"] + entry["ministers"]
        if pid not in known and pid not in INVENTED
    }
    assert not missing, "\n".join(sorted(missing))


def test_every_labelled_conference_is_known_and_dated_near_the_article() -> None:
    conferences = merged_conferences()
    problems = []
    for name, entry in labelled():
        for cid in entry["conferences"]:
            if cid not in conferences:
                problems.append(f"{name}: {cid} unknown")
                continue
            if not entry["event_date"]:
                continue
            day = parse_date(entry["event_date"])
            start = parse_date(conferences[cid]["start"])
            end = parse_date(conferences[cid].get("end") or conferences[cid]["start"], end=True)
            # a preview or a preparatory meeting comes before (up to four months); a stub may lag one day behind
            if not start - dt.timedelta(days=120) <= day <= end + dt.timedelta(days=2):
                problems.append(f"{name}: {day} is far from {cid} ({start} - {end})")
    assert not problems, "\n".join(problems)


def test_the_merged_data_load_with_the_project_loader() -> None:
    """The project's loader reads the shipped reference data under the editor's taxonomy: every person and
    instance is there, names match (no alias clash, every date parses), roles hold on their dates."""
    import briefing.taxonomy as taxonomy

    loaded = taxonomy.load_taxonomy(ROOT / "content" / "taxonomy.yaml")
    assert set(merged_people()) <= set(loaded.people)
    assert set(merged_conferences()) <= set(loaded.conferences)
    found = [m.id for m in loaded.find_people("Le vice-ministre Hô Xuân Son a reçu Prayuth Chan-ocha et Kono Taro.")]
    assert found == ["ho-xuan-son", "prayut-chan-o-cha", "kono-taro"]
    assert loaded.people["ho-xuan-son"].is_minister_on(dt.date(2011, 12, 19))
    assert loaded.conferences["amm-56"].place == "Jakarta"
