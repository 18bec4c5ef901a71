"""The translation desk through the real command line and real Apertium: post-edits feed the memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require_tool, run_cli

from briefing.config import load_config
from briefing.frontmatter import dump_front_matter, parse_front_matter
from briefing.sources import parse_article
from briefing.translate import desk
from briefing.translate.memory import Memory

SLUG = "la-vice-ministre-des-affaires-etrangeres-le-thi-thu-hang-a-souligne-les"
NEW = "nouvelle-depeche-qui-reprend-des-phrases"


def review_with_edits(root: Path, n: int) -> list[tuple[str, str]]:
    """An editor fixes ``n`` body sentences of SLUG and marks it reviewed; returns (French, editor's English)."""
    cfg = load_config(root)
    body = [p for p in desk.segment_pairs(cfg, SLUG) if p.unit == "body"][1 : 1 + n]
    path = root / "content" / "en" / f"{SLUG}.md"
    text = path.read_text(encoding="utf-8")
    fixed = []
    for i, p in enumerate(body):
        mine = f"Editor's sentence number {i} says it properly."
        assert p.english and p.english in text
        text = text.replace(p.english, mine)
        fixed.append((p.french, mine))
    path.write_text(text.replace("translation: machine", "translation: reviewed"), encoding="utf-8")
    return fixed


def new_dispatch(root: Path, french: list[str]) -> Path:
    """A new French article that repeats ``french`` sentences after a sentence of its own."""
    src = root / "content" / "fr" / f"{SLUG}.md"
    meta, _ = parse_front_matter(src.read_text(encoding="utf-8"), src)
    meta = dict(meta)
    meta.update(title="Une nouvelle dépêche", summary="Une phrase nouvelle.", captions=[])
    del meta["original"]
    body = "Le ministre a visité le port de Hai Phong.\n\n" + "\n\n".join(french)
    path = root / "content" / "fr" / f"{NEW}.md"
    path.write_text(dump_front_matter(meta, body), encoding="utf-8")
    return path


@pytest.fixture
def apertium_project(bundled: Path) -> Path:
    require_tool("apertium", "the offline French→English engine")
    return bundled


def test_a_reviewed_article_teaches_the_memory_and_a_new_dispatch_gets_the_editors_english(apertium_project):
    root = apertium_project
    fixed = review_with_edits(root, 2)
    new_dispatch(root, [fr for fr, _ in fixed])
    done = run_cli(root, "translate", "--engine", "apertium", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "learnt 13 segment(s) from 1 reviewed article(s)" in done.stdout
    assert "the desk's)" in done.stdout  # the new dispatch's 2, and "Photo: VNA" in other captions
    en_path = root / "content" / "en" / f"{NEW}.md"
    en = parse_article(en_path.read_text(encoding="utf-8"), en_path, "en")
    for _, mine in fixed:
        assert mine in en.body
    assert en.desk_segments == 2 and en.translation == "machine"
    assert "Hai Phong" in en.body.split("\n\n")[0]  # the new sentence is the engine's
    mem = Memory(root / ".cache" / "translation-memory.sqlite")
    human = mem.human_many([fr for fr, _ in fixed])
    mem.close()
    assert human == dict(fixed)


def test_a_machine_article_holding_a_sentence_the_desk_learnt_is_redone_from_memory(apertium_project):
    root = apertium_project
    new_dispatch(root, ["Une phrase que le bureau traduira."])
    assert run_cli(root, "translate", "--engine", "apertium", "--quiet").returncode == 0
    mem = Memory(root / ".cache" / "translation-memory.sqlite")
    mem.put_human([("Une phrase que le bureau traduira.", "A sentence the desk translates.")])
    mem.close()
    again = run_cli(root, "translate", "--engine", "apertium", "--quiet")
    assert again.returncode == 0, again.stderr
    assert "translated 1 article(s)" in again.stdout and "0 by the engine" in again.stdout
    text = (root / "content" / "en" / f"{NEW}.md").read_text(encoding="utf-8")
    assert "A sentence the desk translates." in text and "desk_segments: 1" in text


def _queue_blocks(stdout: str) -> dict[str, list[tuple[int, str]]]:
    """slug → [(segment index, reasons line)] in the printed order."""
    out: dict[str, list[tuple[int, str]]] = {}
    slug = ""
    for line in stdout.splitlines()[1:]:
        if not line.startswith(" "):
            slug = line.split(" ")[0]
            out[slug] = []
        elif line.startswith("  #"):
            index, _, why = line.strip()[1:].partition(" ")
            out[slug].append((int(index), why))
    return out


def _rank(why: str) -> int:
    import re

    return sum(int(n) for n in re.findall(r"(\d+) (?:unknown|french|spanish|repaired|length)", why))


def test_queue_lists_the_segments_most_in_doubt_first_and_approval_takes_one_off(apertium_project):
    root = apertium_project
    assert run_cli(root, "translate", "--engine", "apertium", "--force", "--quiet").returncode == 0
    proc = run_cli(root, "translate", "--queue")
    assert proc.returncode == 0, proc.stderr
    blocks = _queue_blocks(proc.stdout)
    total = sum(len(v) for v in blocks.values())
    assert proc.stdout.startswith(f"review queue: {total} segment(s) awaiting review in 5 article(s)")
    for segments in blocks.values():
        ranks = [_rank(why) for _, why in segments]
        assert ranks == sorted(ranks, reverse=True) and ranks[0] > 0
    worst = [_rank(v[0][1]) for v in blocks.values()]
    assert worst == sorted(worst, reverse=True)  # articles: the one with the worst segment first
    first_slug, first = next(iter(blocks.items()))
    header = next(ln for ln in proc.stdout.splitlines() if ln.startswith(first_slug))
    assert f": {len(first)} of {len(first)} segment(s) awaiting review;" in header
    index = first[0][0]
    desk.approve(load_config(root), first_slug, index, "Fixed by the desk.")
    again = _queue_blocks(run_cli(root, "translate", "--queue").stdout)
    assert index not in [i for i, _ in again[first_slug]] and len(again[first_slug]) == len(first) - 1


def test_status_shows_state_and_segments_awaiting_review(apertium_project):
    root = apertium_project
    cfg = load_config(root)
    pairs = desk.segment_pairs(cfg, SLUG, flags=False)
    desk.approve(cfg, SLUG, 2, pairs[2].english or "")  # the summary is the same French: approved with it
    line = next(ln for ln in run_cli(root, "translate", "--status").stdout.splitlines() if SLUG in ln)
    assert pairs[1].french == pairs[2].french
    assert line.startswith("machine") and f"  {len(pairs) - 2} awaiting review · apertium" in line
    for p in pairs:
        desk.approve(cfg, SLUG, p.index, p.english or "")
    line = next(ln for ln in run_cli(root, "translate", "--status").stdout.splitlines() if SLUG in ln)
    assert line.startswith("reviewed") and "  0 awaiting review" in line


def test_argos_records_the_models_doubt_for_each_segment(bundled, tiny_argosmodel, tmp_path):
    env = {"ARGOS_PACKAGES_DIR": str(tmp_path / "argos-packages")}
    assert run_cli(bundled, "models", "install", "--from", str(tiny_argosmodel), env=env).returncode == 0
    done = run_cli(bundled, "translate", "--engine", "argos", "--force", "--quiet", env=env)
    assert done.returncode == 0, done.stderr
    mem = Memory(bundled / ".cache" / "translation-memory.sqlite")
    doubts = [r.flags.get("doubt") for r in mem.rows() if r.engine == "argos"]
    mem.close()
    assert doubts and all(isinstance(d, int) and d >= 0 for d in doubts) and len(set(doubts)) > 1
    queue = run_cli(bundled, "translate", "--queue", env=env).stdout
    assert " · doubt " in queue
    en = (bundled / "content" / "en" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "doubt" not in en  # per segment only, never summed into the front matter


OLD_SENTENCE = "jusqu'à la fin du 13e mandat"  # in a sentence the editor did not touch


def stale_review(root: Path, edits: int = 2) -> list[tuple[str, str]]:
    """SLUG reviewed with ``edits`` edits and learnt by a translate run; then its French changes: one sentence
    rewritten, one paragraph added."""
    fixed = review_with_edits(root, edits)
    assert run_cli(root, "translate", "--engine", "apertium", "--quiet").returncode == 0
    fr = root / "content" / "fr" / f"{SLUG}.md"
    text = fr.read_text(encoding="utf-8")
    assert OLD_SENTENCE in text
    text = text.replace(OLD_SENTENCE, "jusqu'à la fin du 15e mandat") + "\nUn paragraphe ajouté au texte.\n"
    fr.write_text(text, encoding="utf-8")
    return fixed


def test_diff_shows_the_french_changes_since_the_review_segment_by_segment(apertium_project):
    root = apertium_project
    stale_review(root)
    line = next(ln for ln in run_cli(root, "translate", "--status").stdout.splitlines() if SLUG in ln)
    assert line.startswith("stale")
    proc = run_cli(root, "translate", "--status", "--diff", SLUG)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"{SLUG}: the French since the review: 1 changed, 1 added, 0 removed segment(s)"
    changed = lines.index("~ [body] changed")
    assert lines[changed + 1].startswith("    - Il s'agit") and "du 13e mandat" in lines[changed + 1]
    assert lines[changed + 2].startswith("    + Il s'agit") and "du 15e mandat" in lines[changed + 2]
    assert lines[lines.index("+ [body] added") + 1] == "    + Un paragraphe ajouté au texte."
    usage = run_cli(root, "translate", "--diff", SLUG)
    assert usage.returncode == 2 and "--diff SLUG goes with --status" in usage.stderr


def test_redraft_drafts_only_the_changed_segments_and_keeps_the_editors(apertium_project):
    root = apertium_project
    fixed = stale_review(root)
    proc = run_cli(root, "translate", "--redraft", SLUG, "--engine", "apertium")
    assert proc.returncode == 0, proc.stderr
    assert "2 changed segment(s) drafted by apertium (awaiting review)" in proc.stdout
    path = root / "content" / "en" / f"{SLUG}.md"
    en = parse_article(path.read_text(encoding="utf-8"), path, "en")
    for _, mine in fixed:
        assert mine in en.body
    assert en.translation == "machine" and "15th" in en.body and en.body.endswith("text.")
    pairs = desk.segment_pairs(load_config(root), SLUG, flags=False)
    waiting = [p for p in pairs if p.state != "approved"]
    assert [p.french for p in waiting] == [p.french for p in pairs if "15e" in p.french or "ajouté" in p.french]
    assert en.desk_segments == len(pairs) - 2
    status = next(ln for ln in run_cli(root, "translate", "--status").stdout.splitlines() if SLUG in ln)
    assert status.startswith("machine") and "  2 awaiting review" in status
    redrafted = path.read_bytes()
    again = run_cli(root, "translate", "--engine", "apertium", "--quiet")  # a plain run leaves it alone
    assert again.returncode == 0 and path.read_bytes() == redrafted


def test_redraft_refuses_a_review_holding_english_of_its_own(apertium_project):
    root = apertium_project
    stale_review(root, edits=0)  # the editor's sentences hold numbers the French lacks: kept out of this case
    path = root / "content" / "en" / f"{SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## A heading the editor wrote, with no French\n")
    before = path.read_bytes()
    proc = run_cli(root, "translate", "--redraft", SLUG, "--engine", "apertium")
    assert proc.returncode == 1 and "1 English segment(s) of the review have no French" in proc.stderr
    assert "Traceback" not in proc.stderr and path.read_bytes() == before


def test_redraft_refuses_a_review_holding_a_caption_of_its_own(apertium_project):
    root = apertium_project
    stale_review(root, edits=0)
    path = root / "content" / "en" / f"{SLUG}.md"
    meta, body = parse_front_matter(path.read_text(encoding="utf-8"), path)
    meta = dict(meta)
    meta["captions"] = [*meta.get("captions", []), "A caption the editor wrote, with no French."]
    path.write_text(dump_front_matter(meta, body), encoding="utf-8")
    before = path.read_bytes()
    proc = run_cli(root, "translate", "--redraft", SLUG, "--engine", "apertium")
    assert proc.returncode == 1 and "English with no French in the review" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and path.read_bytes() == before


def test_accept_records_the_check_and_clears_stale(apertium_project):
    root = apertium_project
    stale_review(root)
    path = root / "content" / "en" / f"{SLUG}.md"
    _, body_before = parse_front_matter(path.read_text(encoding="utf-8"), path)
    proc = run_cli(root, "translate", "--accept", SLUG)
    assert proc.returncode == 0, proc.stderr
    assert f"{SLUG}: accepted against the current French" in proc.stdout
    _, body_after = parse_front_matter(path.read_text(encoding="utf-8"), path)
    assert body_after == body_before
    status = next(ln for ln in run_cli(root, "translate", "--status").stdout.splitlines() if SLUG in ln)
    assert status.startswith("reviewed") and "  0 awaiting review" in status
    twice = run_cli(root, "translate", "--accept", SLUG)
    assert twice.returncode == 1 and "the review is of the current French already" in twice.stderr


def test_desk_commands_refuse_what_they_cannot_do_changing_nothing(apertium_project):
    root = apertium_project
    before = {p.name: p.read_bytes() for p in (root / "content" / "en").glob("*.md")}
    machine = run_cli(root, "translate", "--accept", SLUG)
    assert machine.returncode == 1 and f"{SLUG}.md: not reviewed (translation: machine)" in machine.stderr
    unknown = run_cli(root, "translate", "--redraft", "no-such-article")
    assert unknown.returncode == 1 and "no-such-article.md: no such French article" in unknown.stderr
    path = root / "content" / "en" / f"{SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("translation: machine", "translation: reviewed"))
    fr = root / "content" / "fr" / f"{SLUG}.md"
    fr.write_text(fr.read_text(encoding="utf-8") + "\nAjout.\n", encoding="utf-8")
    unrecorded = run_cli(root, "translate", "--redraft", SLUG)
    assert unrecorded.returncode == 1 and "no record of the French this review was made against" in unrecorded.stderr
    assert "Traceback" not in machine.stderr + unknown.stderr + unrecorded.stderr
    after = {p.name: p.read_bytes() for p in (root / "content" / "en").glob("*.md")}
    assert {k: v for k, v in after.items() if k != path.name} == {k: v for k, v in before.items() if k != path.name}


def _json_ld(html: str) -> dict:
    import json
    import re

    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


def test_a_reviewed_page_names_the_editorial_desk_not_the_engine(bundled):
    site = bundled / "site.yaml"
    site.write_text(
        site.read_text(encoding="utf-8").replace("editorial_desk: VNA French-English desk", "editorial_desk: Desk X"),
        encoding="utf-8",
    )
    path = bundled / "content" / "en" / f"{SLUG}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("translation: machine", "translation: reviewed"))
    build = run_cli(bundled, "build", "--no-search")
    assert build.returncode == 0, build.stderr
    pages = bundled / "output" / "en" / "articles"
    reviewed = (pages / SLUG / "index.html").read_text(encoding="utf-8")
    assert _json_ld(reviewed)["translator"] == {"@type": "Organization", "name": "Desk X"}
    assert 'Translation reviewed by <span class="desk">Desk X</span>.' in reviewed and "apertium" not in reviewed
    machine = next(p for p in pages.glob("*/index.html") if p.parent.name != SLUG).read_text(encoding="utf-8")
    assert _json_ld(machine)["translator"]["name"] == "apertium" and "Desk X" not in machine
    site.write_text(site.read_text(encoding="utf-8").replace("editorial_desk: Desk X\n", ""), encoding="utf-8")
    assert run_cli(bundled, "build", "--no-search").returncode == 0
    default = (pages / SLUG / "index.html").read_text(encoding="utf-8")
    assert _json_ld(default)["translator"]["name"] == "Editorial desk"  # the schema's default
