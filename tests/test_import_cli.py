"""``build.py import`` on real files: bad input, never overwriting an editor's work, JSON output."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import CORPUS, RAW_SEEDS, run_cli, snapshot


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", b"  \n\t\n  ", "file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("latin-garbage.txt", bytes([0x81, 0x8D, 0x8F, 0x90]) * 200, "not UTF-8"),
        ("symbols.txt", "— … « » 123 456 !!!".encode(), "no letters"),
    ],
)
def test_bad_raw_input_is_a_clear_error_and_writes_nothing(project, tmp_path, name, data, message):
    (project / "content" / "fr" / "keep.md").write_text("---\ntitle: Keep\nlang: fr\n---\n\nMine.\n")
    before = snapshot(project / "content")
    raw = tmp_path / name
    raw.write_bytes(data)
    proc = run_cli(project, "import", str(raw))
    assert proc.returncode == 1
    assert f"{raw}" in proc.stderr and message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(project / "content") == before


def test_windows_1252_is_decoded_with_a_warning(project, tmp_path):
    text = (RAW_SEEDS / "003_a3bcff71351936ca.txt").read_text(encoding="utf-8")
    text = text.replace("’", "'").replace("«", '"').replace("»", '"')
    raw = tmp_path / "cp1252.txt"
    raw.write_bytes(text.encode("cp1252"))
    proc = run_cli(project, "import", "--dry-run", "--json", str(raw))
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["ministers"] == ["bui-thanh-son"]
    assert "Windows-1252" in proc.stderr


def test_import_then_reimport_is_a_no_op_and_edits_survive(project):
    proc = run_cli(project, "import", str(RAW_SEEDS))
    assert proc.returncode == 0, proc.stderr
    written = sorted((project / "content" / "fr").glob("*.md"))
    assert len(written) == 5
    edited = written[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAjout de l'éditeur.\n", encoding="utf-8")
    before = snapshot(project / "content")
    again = run_cli(project, "import", str(RAW_SEEDS))
    assert again.returncode == 0 and "0 article(s), 5 already imported" in again.stdout
    assert snapshot(project / "content") == before


def test_changed_raw_file_is_a_new_article_and_force_remakes_only_its_own(project, tmp_path):
    raw = tmp_path / "dispatch.txt"
    shutil.copy(RAW_SEEDS / "003_a3bcff71351936ca.txt", raw)
    assert run_cli(project, "import", str(raw)).returncode == 0
    (article,) = (project / "content" / "fr").glob("*.md")
    article.write_text(article.read_text(encoding="utf-8") + "\nAjout de l'éditeur.\n", encoding="utf-8")
    before = article.read_bytes()
    raw.write_text(raw.read_text(encoding="utf-8").replace("422 accords", "424 accords"), encoding="utf-8")
    procs = [run_cli(project, "import", *args, str(raw)) for args in ((), ("--force",))]
    for proc in procs:  # other bytes are another dispatch: --force does not touch the first's article
        assert proc.returncode == 0, proc.stderr
        assert article.read_bytes() == before
    assert f"{article} came from another file of this name" in procs[0].stderr
    (second,) = set((project / "content" / "fr").glob("*.md")) - {article}
    assert "424 accords" in second.read_text(encoding="utf-8")
    shutil.copy(RAW_SEEDS / "003_a3bcff71351936ca.txt", raw)  # the first dispatch again: --force remakes its own
    assert run_cli(project, "import", "--force", str(raw)).returncode == 0
    assert "Ajout de l'éditeur" not in article.read_text(encoding="utf-8")
    assert "424 accords" in second.read_text(encoding="utf-8")


def test_slug_collisions_are_numbered_and_reported(project, tmp_path):
    for i in range(2):
        text = (RAW_SEEDS / "001_097acef678100456.txt").read_text(encoding="utf-8")
        (tmp_path / f"copy{i}.txt").write_text(text + ("" if i == 0 else "\nVariante."), encoding="utf-8")
    proc = run_cli(project, "import", str(tmp_path / "copy0.txt"), str(tmp_path / "copy1.txt"))
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in (project / "content" / "fr").glob("*.md"))
    plain, numbered = sorted(names, key=len)
    assert numbered.endswith("-2.md") and numbered[:-5].startswith(plain[:-3][:70])
    assert "is taken" in proc.stderr


def test_hostile_headline_gives_a_safe_slug(project, tmp_path):
    raw = tmp_path / "evil.txt"
    raw.write_text(
        "../../etc/passwd <script>alert(1)</script> CON\n\nHanoï (VNA) - Le ministre Bui Thanh Son a "
        "parlé le 13 décembre 2021 devant la presse à propos de la coopération. -VNA",
        encoding="utf-8",
    )
    proc = run_cli(project, "import", str(raw))
    assert proc.returncode == 0, proc.stderr
    (md,) = (project / "content" / "fr").glob("*.md")
    assert md.parent == project / "content" / "fr"
    assert all(c.isalnum() or c == "-" for c in md.stem) and ".." not in md.stem
    text = md.read_text(encoding="utf-8")
    assert "&lt;script>" in text.split("---")[2] or "<script>" not in text.split("---")[2]


def test_dry_run_json_for_editors_and_scripts(project):
    raw = CORPUS / "016_23e-sommet-asean-nguyen-tan-dung.txt"
    proc = run_cli(project, "import", "--dry-run", "--json", str(raw))
    assert proc.returncode == 0, proc.stderr
    rec = json.loads(proc.stdout)
    assert rec["date"] == "2013-10-09" and rec["date_source"] == "conference"
    assert rec["conferences"] == ["sommet-asean-23"]
    assert rec["ministers"] == ["nguyen-tan-dung", "pham-binh-minh", "nguyen-thanh-son"]
    assert rec["body_paragraphs"] == 5 and len(rec["captions"]) == 1
    assert not list((project / "content" / "fr").glob("*.md"))


def test_suggest_writes_unknown_names_for_review(project):
    proc = run_cli(
        project,
        "import",
        "--dry-run",
        "--suggest",
        str(CORPUS / "001_20e-conference-affaires-etrangeres-localites.txt"),
    )
    assert proc.returncode == 0, proc.stderr
    text = (project / "content" / "taxonomy-suggestions.yaml").read_text(encoding="utf-8")
    assert "hoang-van-nghiem" in text and "tran-thi-kim-lien" in text
    assert "bui-thanh-son" not in text


def test_check_reports_every_problem_at_once_with_file_and_line(project):
    fr, en = project / "content" / "fr", project / "content" / "en"
    (fr / "bon.md").write_text(
        "---\ntitle: Bon\ndate: 2021-12-13\nlang: fr\nministers: [bui-thanh-son]\n---\n\nTexte.\n"
    )
    (fr / "date.md").write_text("---\ntitle: Date\ndate: 13/12/2021\nlang: fr\n---\n\nTexte.\n")
    (fr / "inconnu.md").write_text("---\ntitle: X\nlang: fr\nministers: [personne-inconnue]\n---\n\nTexte.\n")
    (fr / "langue.md").write_text("---\ntitle: X\nlang: en\n---\n\nTexte.\n")
    (fr / "typo.md").write_text("---\ntitle: X\nlang: fr\nministres: []\n---\n\nTexte.\n")
    (en / "orphelin.md").write_text("---\ntitle: Orphan\nlang: en\ntranslation: machine\n---\n\nText.\n")
    (en / "bon.md").write_text("---\ntitle: Good\nlang: en\n---\n\nText.\n")
    proc = run_cli(project, "check")
    assert proc.returncode == 1
    err = proc.stderr
    assert f"{fr / 'date.md'}:3: date: '13/12/2021' is not a date (the event's date: YYYY-MM-DD" in err
    assert f"{fr / 'inconnu.md'}:4: ministers: 'personne-inconnue' is not in the taxonomy" in err
    assert f"{fr / 'langue.md'}:3: lang: is 'en' but the file is in content/fr/" in err
    assert f"{en / 'bon.md'}:2: translation: required (machine, or reviewed once corrected)" in err
    # a warning, not an error
    assert f"warning: {fr / 'typo.md'}:4: ministres: unknown key (ignored) (did you mean 'ministers'?)" in err
    assert f"warning: {en / 'orphelin.md'}: no French original" in err
    assert "4 error(s), 2 warning(s)" in proc.stdout
    assert "bon.md" not in "".join(ln for ln in err.splitlines() if "error:" in ln and "content/fr/bon.md" in ln)


def test_explain_prints_the_evidence_of_every_field_and_writes_nothing(project, tmp_path):
    raw = tmp_path / "amm.txt"
    raw.write_text(
        "Manille (VNA) - La 50ème Conférence des ministres des Affaires étrangères de l'ASEAN (AMM-50) s'est ouverte "
        "samedi 5 août 2017 en présence du ministre Pham Binh Minh et de la ministre laotienne Mme Bounmy Phetsada.",
        encoding="utf-8",
    )
    before = snapshot(project / "content")
    proc = run_cli(project, "import", "--explain", "--no-nlp", str(raw))
    assert proc.returncode == 0, proc.stderr
    assert "amm.txt:" in proc.stdout
    assert "date: 2017-08-05 (source text, confidence high)" in proc.stdout
    assert "conference amm-50: reported in the lead" in proc.stdout
    assert "minister pham-binh-minh: taxonomy entry Phạm Bình Minh" in proc.stdout
    assert "person bounmy-phetsada: not in the taxonomy; «Bounmy Phetsada»" in proc.stdout
    assert "would write 1 article(s)" in proc.stdout
    assert snapshot(project / "content") == before
