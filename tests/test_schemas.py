"""Declared schemas (issue 15): site.yaml, taxonomy, front matter and glossary mistakes are one clear
line each, with the file and the line, and the documented exit code; unknown keys are warnings that
``--strict`` turns into errors; the field list lives in one place."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from briefing import cli, schema

SITE = (ROOT / "site.yaml").read_text(encoding="utf-8")

TAXONOMY = """\
kinds:
  sommet:
    fr: Sommet
    en: Summit
    patterns:
      - '{ord}\\s+sommet'
conferences:
  sommet-1:
    fr: 1er Sommet
    start: 2020-01-10
people:
  bui-thanh-son:
    name: Bùi Thanh Sơn
    en: Bui Thanh Son
    roles:
      - {rank: minister, fr: ministre, en: Minister, from: 2021-04-08}
places:
  - {fr: Hanoï, en: Hanoi}
"""


def _main(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--root", str(root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _errors(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error:")]


def _line_of(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


# -- site.yaml --------------------------------------------------------------------------------------

PUBLISHER = "publisher:\n  name: Vietnam News Agency (VNA)\n  url: https://vnanet.vn/"
TRANSLATE_BLOCK = SITE[SITE.index("translate:") :].rstrip("\n")


@pytest.mark.parametrize(
    "old, new, marker, message",
    [
        (PUBLISHER, "publisher: VNA", "publisher: VNA", "publisher: must be a mapping of keys, not text"),
        (TRANSLATE_BLOCK, "translate: apertium", "translate: apertium", "translate: must be a mapping of keys"),
        (
            "per_page: 20",
            "per_page: true",
            "per_page: true",
            "per_page: must be a whole number of at least 1, not True",
        ),
        ("default_language: fr", "default_language: de", "default_language", "'de' is not one of fr, en"),
        ("base_url: http://127.0.0.1:8000/", "base_url: ftp://x", "base_url", "must be an absolute http(s) URL"),
        ("  beam_size: 2", "  beam_size: 0", "beam_size: 0", "translate.beam_size: must be a whole number"),
        ("  engine: auto", "  engine: deepl", "engine: deepl", "translate.engine: 'deepl' is not one of"),
        ("  en: Vietnam Diplomatic Briefing\n", "", "  fr: Briefing", "title.en: required"),
        ("per_page: 20", "per_page: 20\nper_page: 10", "per_page: 10", "duplicate key 'per_page'"),
        ("per_page: 20", "per_page: 2021-02-30", "per_page:", "2021-02-30 is not a real date"),
    ],
)
def test_site_yaml_mistakes_are_one_line_with_file_and_line(capsys, project, old, new, marker, message):
    assert old in SITE
    text = SITE.replace(old, new)
    (project / "site.yaml").write_text(text, encoding="utf-8")
    code, _, err = _main(capsys, project, "check")
    assert code == 1
    (line,) = _errors(err)
    assert f"{project / 'site.yaml'}:{_line_of(text, marker)}:" in line and message in line, line


def test_misspelt_nested_setting_is_a_warning_and_an_error_with_strict(capsys, project):
    text = SITE.replace("  beam_size: 2", "  beem_size: 2")
    (project / "site.yaml").write_text(text, encoding="utf-8")
    where = f"{project / 'site.yaml'}:{_line_of(text, 'beem_size')}: translate.beem_size: unknown key"
    code, out, err = _main(capsys, project, "check")
    assert code == 0 and f"warning: {where}" in err and "did you mean 'beam_size'?" in err
    assert "0 error(s), 1 warning(s)" in out  # the summary counts the settings' warnings too
    code, _, err = _main(capsys, project, "check", "--strict")
    assert code == 1 and f"error: {where}" in err


def test_site_yaml_problems_are_all_reported_at_once(capsys, project):
    text = SITE.replace("per_page: 20", "per_page: -1").replace(PUBLISHER, "publisher: VNA")
    (project / "site.yaml").write_text(text, encoding="utf-8")
    code, _, err = _main(capsys, project, "build", "--no-search")
    assert code == 1 and len(_errors(err)) == 2 and not (project / "output").exists()


# -- taxonomy ---------------------------------------------------------------------------------------

ROLE = "      - {rank: minister, fr: ministre, en: Minister, from: 2021-04-08}"
PERSON = "  bui-thanh-son:\n    name: Bùi Thanh Sơn\n    en: Bui Thanh Son\n    roles:\n" + ROLE
KIND = "kinds:\n  sommet:\n    fr: Sommet\n    en: Summit\n    patterns:\n      - '{ord}\\s+sommet'"


@pytest.mark.parametrize(
    "old, new, marker, message",
    [
        (ROLE, "      - minister", "- minister", "people.bui-thanh-son.roles[0]: must be a mapping of keys, not text"),
        (
            PERSON,
            "  bui-thanh-son: [Bùi Thanh Sơn, Bui Thanh Son]",
            "bui-thanh-son:",
            "must be a mapping of keys, not a list",
        ),
        ("    patterns:\n      - '{ord}\\s+sommet'\n", "", "    fr: Sommet", "kinds.sommet.patterns: required"),
        (
            "    patterns:\n      - '{ord}\\s+sommet'",
            "    patterns: '{ord}\\s+sommet'",
            "patterns:",
            "must be a list, not text",
        ),
        ("'{ord}\\s+sommet'", "'{ord}\\s+(sommet'", "(sommet", "is not a regular expression"),
        (KIND, "kinds: [sommet]", "kinds:", "kinds: must be a mapping of id → entry, not a list"),
        ("  - {fr: Hanoï, en: Hanoi}", "  - {en: Hanoi}", "{en: Hanoi}", "places[0].fr: required"),
        (
            "    en: Bui Thanh Son\n",
            "    en: Bui Thanh Son\n    aliases: Bui Son\n",
            "aliases",
            "must be a list, not text",
        ),
        ("rank: minister", "rank: ministre", "rank: ministre", "'ministre' is not one of president"),
        ("from: 2021-04-08", "from: 2021-02-30", "from: 2021-02-30", "2021-02-30 is not a real date"),
        ("from: 2021-04-08", "from: 08/04/2021", "from: 08/04/2021", "'08/04/2021' is not a date"),
        (
            "  sommet-1:\n    fr: 1er Sommet\n    start: 2020-01-10",
            "  sommet-1: Premier Sommet",
            "sommet-1:",
            "must be a mapping",
        ),
        ("places:", "people:\n  x:\n    name: X\nplaces:", "people:\n  x", "duplicate key 'people'"),
        (TAXONOMY, "- people\n- kinds\n", "- people", "the file: must be a mapping of keys, not a list"),
        ("    name: Bùi Thanh Sơn", "\tname: Bùi Thanh Sơn", "\tname", "invalid YAML"),
    ],
)
def test_taxonomy_mistakes_are_one_line_with_file_and_line(capsys, project, old, new, marker, message):
    assert old in TAXONOMY
    text = TAXONOMY.replace(old, new)
    path = project / "content" / "taxonomy.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = _main(capsys, project, "check")
    assert code == 1
    (line,) = _errors(err)
    assert f"{path}:{_line_of(text, marker)}:" in line and message in line, line


def test_taxonomy_mistake_through_the_command_line_has_no_traceback(project):
    path = project / "content" / "taxonomy.yaml"
    path.write_text(TAXONOMY.replace(ROLE, "      - minister"), encoding="utf-8")
    for args in (("check",), ("build", "--no-search"), ("translate", "--status"), ("import", "--dry-run", str(path))):
        proc = run_cli(project, *args)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, (args, proc.stderr)
        assert f"{path}:16: people.bui-thanh-son.roles[0]: must be a mapping" in proc.stderr, (args, proc.stderr)


def test_the_bundled_taxonomy_and_reference_data_are_valid_without_a_warning(tmp_path):
    # an unquoted comma in a flow mapping ({fr: ministre, président du …, en: …}) splits a title into
    # unknown keys: the warning is what catches it
    for path in [ROOT / "content" / "taxonomy.yaml", *sorted((ROOT / "briefing" / "data").glob("*.yaml"))]:
        assert schema.check_taxonomy(schema.read_taxonomy(path), path) == [], path
    data = tmp_path / "people.yaml"  # the reference data files have the taxonomy's shape
    data.write_text(TAXONOMY.replace("people:", "peoples:"), encoding="utf-8")
    (problem,) = schema.check_taxonomy(schema.read_taxonomy(data), data)
    assert problem.warning and problem.line == 11 and "did you mean 'people'?" in problem.hint


# -- front matter -----------------------------------------------------------------------------------

ARTICLE = "---\ntitle: Un titre\ndate: 2021-12-13\ndate_confidence: high\nlang: fr\n---\n\nTexte.\n"


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "date_confidence: high",
            "date_confidence: banana",
            "date_confidence: 'banana' is not one of high, medium, low",
        ),
        ("lang: fr", 'lang: fr\ntitle_derived: "no"', "title_derived: must be true or false, not 'no'"),
        ("date: 2021-12-13", "date: 2021-02-30", "2021-02-30 is not a real date"),
        ("lang: fr", "lang: fr\ndate_source: guess", "date_source: 'guess' is not one of text"),
        ("lang: fr", "lang: fr\nconferences: sommet-1", "conferences: must be a list, not text"),
        ("lang: fr", "lang: fr\nlang: en", "duplicate key 'lang'"),
        ("title: Un titre", 'title: "Un \\a titre"', "title: contains an invisible character U+0007"),
        ("title: Un titre", 'title: "Un \u202etitre"', "U+202E (right-to-left override)"),
        ("lang: fr", "lang: fr\noriginal: {file: x.txt}", "original.sha256: required"),
    ],
)
def test_front_matter_mistakes_fail_check_strict_with_file_and_line(capsys, project, old, new, message):
    text = ARTICLE.replace(old, new)
    path = project / "content" / "fr" / "un-titre.md"
    path.write_text(text, encoding="utf-8")
    code, _, err = _main(capsys, project, "check", "--strict")
    assert code == 1
    (line,) = _errors(err)
    assert f"{path}:{_line_of(text, new.split(chr(10))[-1])}:" in line and message in line, line


def test_unknown_front_matter_key_is_a_warning_and_an_error_with_strict(capsys, project):
    path = project / "content" / "fr" / "un-titre.md"
    path.write_text(ARTICLE.replace("lang: fr", "lang: fr\nministres: []"), encoding="utf-8")
    code, _, err = _main(capsys, project, "check")
    assert code == 0 and f"warning: {path}:6: ministres: unknown key (ignored) (did you mean 'ministers'?)" in err
    code, _, _ = _main(capsys, project, "check", "--strict")
    assert code == 1


def test_impossible_date_is_one_line_from_every_command(project):
    path = project / "content" / "fr" / "un-titre.md"
    path.write_text(ARTICLE.replace("date: 2021-12-13", "date: 2021-02-30"), encoding="utf-8")
    raw = ROOT / "content" / "raw" / "003_a3bcff71351936ca.txt"
    for args in (("check",), ("build", "--no-search"), ("translate", "--status"), ("import", "--dry-run", str(raw))):
        proc = run_cli(project, *args)
        assert "Traceback" not in proc.stderr, (args, proc.stderr)
        assert f"{path}:3:7: invalid YAML in front matter: 2021-02-30 is not a real date" in proc.stderr, args
        assert proc.returncode == (0 if args[0] == "import" else 1), (args, proc.stderr)


def test_deeply_nested_lists_are_a_clear_error_naming_the_file(project):
    path = project / "content" / "fr" / "un-titre.md"
    body = "\n".join("  " * i + "- x" for i in range(1000))
    path.write_text(ARTICLE.replace("Texte.", body), encoding="utf-8")
    for args in (("check",), ("build", "--no-search")):
        proc = run_cli(project, *args)
        assert proc.returncode == 1 and "Recursion" not in proc.stderr and "Traceback" not in proc.stderr
        line = _line_of(path.read_text(encoding="utf-8"), "\n" + "  " * 60 + "- x") + 1
        assert f"{path}:{line}: lists or quotes nested more than 60 deep" in proc.stderr, proc.stderr


# -- glossary ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("version: 1\nterms:\n  - PCV\n", 2, "terms: must map French terms to English, not a list"),
        ("version: 1\nterms:\n  PCV:\n", 3, "'PCV': each term needs non-empty English text"),
        ("version: 1\nversion: 2\n", 2, "duplicate key 'version'"),
        ("version: 2021-02-30\n", 1, "2021-02-30 is not a real date"),
    ],
)
def test_glossary_mistakes_are_one_line_with_file_and_line(capsys, project, text, line, message):
    path = project / "content" / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    code, _, err = _main(capsys, project, "check")
    assert code == 1
    (found,) = _errors(err)
    assert f"{path}:{line}:" in found and message in found, found
    from briefing.errors import TaxonomyError
    from briefing.translate.protect import load_glossary

    with pytest.raises(TaxonomyError, match=f"{path}:{line}:"):
        load_glossary(path)


def test_unknown_glossary_key_is_a_warning(capsys, project):
    path = project / "content" / "glossary.yaml"
    path.write_text("version: 1\nterm:\n  PCV: CPV\n", encoding="utf-8")
    code, _, err = _main(capsys, project, "check")
    assert code == 0 and f"warning: {path}:2: term: unknown key (ignored) (did you mean 'terms'?)" in err


# -- one place for the field list -------------------------------------------------------------------


def test_importer_translator_and_readme_follow_the_schema(tmp_path):
    from briefing.sources import load_content

    content = load_content(ROOT / "content", None)
    fr = content.articles["fr"]
    names = [f.name for f in schema.FRONT_MATTER]
    for path in (ROOT / "content").glob("*/*.md"):  # every bundled file keeps the schema's key order
        keys = [
            line.split(":")[0]
            for line in path.read_text(encoding="utf-8").split("---")[1].splitlines()
            if line[:1].isalpha()
        ]
        assert keys == sorted(keys, key=names.index), path
    en = content.articles["en"]
    for slug, article in en.items():  # what the translator copies is what the schema marks as copied
        for name in schema.copied_fields():
            if name != "date":
                assert getattr(article, name) == getattr(fr[slug], name), (slug, name)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert schema.field_table() in readme


# -- small things -----------------------------------------------------------------------------------


def test_translate_status_into_a_closed_pipe_is_quiet(bundled):
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--root", str(bundled), "translate", "--status"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # like `| head -0`: the reader is gone before anything is written
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and b"Traceback" not in err and b"BrokenPipe" not in err, err


def test_import_translate_and_check_do_not_load_the_rendering_stack(bundled):
    raw = ROOT / "content" / "raw" / "003_a3bcff71351936ca.txt"
    heavy = ("briefing.build", "briefing.render", "briefing.site", "jinja2", "markdown")
    # --no-nlp: spaCy, when installed, imports jinja2 itself; the test is about our own rendering stack
    for args in (["check"], ["translate", "--status"], ["import", "--dry-run", "--no-nlp", str(raw)]):
        code = (
            "import sys; from briefing import cli; "
            f"rc = cli.main(['--root', {str(bundled)!r}, *{args!r}]); "
            f"print('LOADED', [m for m in {heavy!r} if m in sys.modules], rc)"
        )
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert "LOADED [] 0" in proc.stdout, (args, proc.stdout, proc.stderr)


def test_readme_commits_new_articles_too():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    day = readme[readme.index("## The editor's day") : readme.index("### Import")]
    assert "git add content/" in day and "git commit -am" not in day


def test_read_only_project_folder_says_why_about_the_lock_file(bundled, tmp_path, open_tmp):
    """As root (CI) the command runs as 'nobody' on a world-readable copy, so the folder really is read-only."""
    if os.geteuid() == 0:
        root = open_tmp / "portal"
        shutil.copytree(bundled, root)
        for p in [root, *root.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        out = open_tmp / "out"
        out.mkdir()
        os.chown(out, 65534, 65534)
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    else:
        root, out, cmd = bundled, tmp_path / "out", []
        root.chmod(0o555)
    try:
        proc = subprocess.run(
            [*cmd, sys.executable, str(ROOT / "build.py"), "--root", str(root), "build", "--output", str(out / "site")],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "HOME": str(out)},
        )
    finally:
        root.chmod(0o755)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert f"cannot create the lock file {root / '.briefing.lock'}" in proc.stderr
    assert "the project folder must be writable" in proc.stderr
