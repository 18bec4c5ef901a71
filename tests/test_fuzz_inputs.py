"""Fuzzing the inputs an editor (or an attacker) can hand the portal: dispatch bytes, front matter, the
taxonomy, site.yaml, the glossary, rows planted in the build cache and model packages. The property for each: a clear error naming the file (``SourceError``
and its subclasses, ``ConfigError``, ``TaxonomyError``; exit code 1 on the command line) or a valid result;
never another exception, never a lost or changed file of the editor's."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import random
import re
import sqlite3
import time
import zipfile
from pathlib import Path

import yaml
from conftest import RAW_SEEDS, ROOT, make_project, snapshot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import cli, schema
from briefing.config import Config, load_config
from briefing.errors import ConfigError, InputError, SourceError, TaxonomyError
from briefing.importer import import_paths
from briefing.ingest import decode
from briefing.sources import Article, parse_article
from briefing.taxonomy import Taxonomy, load_taxonomy
from briefing.translate.protect import load_glossary

SEED = (RAW_SEEDS / "003_a3bcff71351936ca.txt").read_bytes()
TODAY = dt.date(2024, 1, 1)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# -- building blocks ----------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.dates(),
    st.sampled_from(["fr", "en", "machine", "high", "banana", "2021-02", "VNA", "", "\u202e", "a\x07b"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


def _document(names: list[str]) -> st.SearchStrategy[dict]:
    """A mapping whose keys are mostly the schema's own (so the checks go deep) and some strangers."""
    return st.dictionaries(st.sampled_from(names) | st.text(max_size=10), values, max_size=len(names) + 2)


def _yaml(doc: object) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few lines deleted, duplicated, re-indented or overwritten with junk."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        action = draw(st.sampled_from(["delete", "duplicate", "indent", "junk", "tab"]))
        if action == "delete" and lines:
            del lines[i]
        elif action == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif action == "indent" and lines:
            lines[i] = " " * draw(st.integers(1, 5)) + lines[i]
        elif action == "tab" and lines:
            lines[i] = "\t" + lines[i]
        else:
            lines.insert(i, draw(st.text(max_size=30)))
    return "\n".join(lines)


# -- dispatch bytes -----------------------------------------------------------------------------------


@st.composite
def hostile_dispatch(draw: st.DrawFn) -> bytes:
    data = SEED
    kind = draw(st.sampled_from(["bytes", "invisible", "encode", "truncate", "random"]))
    if kind == "bytes":
        for _ in range(draw(st.integers(1, 20))):
            i = draw(st.integers(0, len(data)))
            data = data[:i] + draw(st.binary(min_size=1, max_size=3)) + data[i:]
    elif kind == "invisible":
        text = data.decode("utf-8")
        for _ in range(draw(st.integers(1, 30))):
            i = draw(st.integers(0, len(text)))
            text = (
                text[:i] + draw(st.sampled_from("\u200b\u200d\u2060\ufeff\u00ad\u202e\u2066\u200f\x07\x1b")) + text[i:]
            )
        data = text.encode("utf-8")
    elif kind == "encode":
        codec = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1"]))
        data = data.decode("utf-8").encode(codec, errors="replace")
    elif kind == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    else:
        data = draw(st.binary(max_size=2000))
    return data


@FUZZ
@given(data=hostile_dispatch())
def test_hostile_dispatch_is_an_article_check_accepts_or_a_clear_error(taxonomy, tmp_path_factory, data):
    root = tmp_path_factory.mktemp("fuzz-dispatch")
    (root / "fuzz.txt").write_bytes(data)
    report, records = import_paths([root / "fuzz.txt"], root / "fr", taxonomy, today=TODAY)
    if report.errors:
        (error,) = report.errors
        assert isinstance(error, InputError) and error.path == root / "fuzz.txt" and not report.written
        return
    (written,) = report.written
    (rec,) = records
    assert schema.slug_problem(written.stem) is None
    try:
        article = parse_article(written.read_text(encoding="utf-8"), written, "fr", taxonomy)  # check accepts it
    except SourceError as exc:
        # except the ids import itself reported as missing from the taxonomy (its suggestions), nothing else
        suggested = {s.split()[1] for s in rec.suggestions}
        unknown = re.findall(r"(?:ministers|conferences): '([^']+)' is not in the taxonomy", exc.message)
        more = re.search(r"\(and (\d+) more", exc.message)
        n_problems = 1 + (int(more.group(1)) if more else 0)
        assert unknown and set(unknown) <= suggested and n_problems == len(unknown), exc.message
        return
    assert not [w for w in article.warnings if "unknown key" in w]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(hostile_dispatch(), min_size=1, max_size=4))
def test_hostile_imports_never_touch_existing_articles(taxonomy, tmp_path_factory, batch):
    root = tmp_path_factory.mktemp("fuzz-import")
    content = root / "content"
    content.mkdir()
    (content / "mine.md").write_text("---\ntitle: Mon article\nlang: fr\n---\n\nMes modifications.\n")
    assert import_paths([RAW_SEEDS / "003_a3bcff71351936ca.txt"], content, taxonomy, today=TODAY)[0].written
    before = snapshot(content)
    raw = root / "raw"
    raw.mkdir()
    for i, data in enumerate(batch):
        (raw / f"d{i}.txt").write_bytes(data)
    report, _ = import_paths([raw], content, taxonomy, today=TODAY)
    after = snapshot(content)
    assert {k: after[k] for k in before} == before  # nothing of before changed, whatever the batch
    assert all(str(e.path).startswith(str(raw)) for e in report.errors)


# -- front matter -------------------------------------------------------------------------------------

FRONT_NAMES = [f.name for f in schema.FRONT_MATTER]


@FUZZ
@given(doc=_document(FRONT_NAMES), lang=st.sampled_from(["fr", "en"]))
def test_any_front_matter_is_an_article_or_a_source_error(taxonomy, doc, lang):
    text = "---\n" + _yaml(doc) + "---\n\nTexte.\n"
    try:
        article = parse_article(text, Path("fuzz.md"), lang, taxonomy)
    except SourceError as exc:
        assert exc.path == Path("fuzz.md") and exc.line is not None and exc.line >= 1
        return
    assert isinstance(article, Article) and isinstance(article.title, str) and article.title


@FUZZ
@given(junk=st.text(max_size=300))
def test_any_front_matter_text_is_an_article_or_a_source_error(taxonomy, junk):
    try:
        parse_article(f"---\ntitle: T\nlang: fr\n{junk}\n---\n\nTexte.\n", Path("fuzz.md"), "fr", taxonomy)
    except SourceError as exc:
        assert exc.path == Path("fuzz.md")


# -- taxonomy, site.yaml, glossary ----------------------------------------------------------------------

TAXONOMY_TEXT = (ROOT / "content" / "taxonomy.yaml").read_text(encoding="utf-8")
SITE_TEXT = (ROOT / "site.yaml").read_text(encoding="utf-8")
ENTRY_NAMES = sorted({sub.name for f in schema.TAXONOMY for sub in f.fields} | {"roles", "rank", "from", "to"})


def _taxonomy_docs() -> st.SearchStrategy[object]:
    entry = _document(ENTRY_NAMES)
    table = st.dictionaries(st.text(alphabet="abc-12", min_size=1, max_size=8), entry | values, max_size=3)
    top = {
        f.name: (table if f.kind == "table" else st.lists(entry | values, max_size=3)) | values for f in schema.TAXONOMY
    }
    return st.fixed_dictionaries({}, optional=top) | values


def _write(tmp_path_factory, name: str, text: str) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_text(text, encoding="utf-8")
    return path


@FUZZ
@given(text=st.one_of(_taxonomy_docs().map(_yaml), mutated(TAXONOMY_TEXT)))
def test_any_taxonomy_loads_or_is_a_taxonomy_error(tmp_path_factory, text):
    path = _write(tmp_path_factory, "taxonomy.yaml", text)
    try:
        assert isinstance(load_taxonomy(path), Taxonomy)
    except TaxonomyError as exc:
        assert all(line.startswith(str(path)) for line in str(exc).split("\n")), str(exc)


SITE_NAMES = [f.name for f in schema.SITE] + ["engine", "beam_size", "fr", "en", "name", "url"]


@FUZZ
@given(text=st.one_of(_document(SITE_NAMES).map(_yaml), mutated(SITE_TEXT), st.text(max_size=200)))
def test_any_site_yaml_is_a_config_or_a_config_error(tmp_path_factory, text):
    path = _write(tmp_path_factory, "site.yaml", text)
    try:
        cfg = load_config(path.parent, strict=True)
    except ConfigError as exc:
        assert all(line.startswith(str(path)) for line in str(exc).split("\n")), str(exc)
        return
    assert isinstance(cfg, Config) and cfg.per_page >= 1 and cfg.base_url.endswith("/")


@FUZZ
@given(text=st.one_of(_document(["version", "terms"]).map(_yaml), st.text(max_size=200)))
def test_any_glossary_loads_or_is_a_taxonomy_error(tmp_path_factory, text):
    path = _write(tmp_path_factory, "glossary.yaml", text)
    try:
        terms, version = load_glossary(path)
    except TaxonomyError as exc:
        assert str(exc).startswith(str(path))
        return
    assert isinstance(version, str) and all(t.fr and t.en for t in terms)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    site=st.one_of(st.just(SITE_TEXT), mutated(SITE_TEXT)),
    taxonomy_text=st.one_of(st.just(TAXONOMY_TEXT), mutated(TAXONOMY_TEXT)),
)
def test_check_on_hostile_settings_exits_0_or_1_naming_the_file(tmp_path_factory, site, taxonomy_text):
    root = make_project(tmp_path_factory.mktemp("fuzz-cli") / "portal")
    (root / "site.yaml").write_text(site, encoding="utf-8")
    (root / "content" / "taxonomy.yaml").write_text(taxonomy_text, encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["--root", str(root), "check", "--strict"])
    assert code in (0, 1)
    for line in err.getvalue().split("\n"):
        if line.startswith("error:"):
            assert str(root / "site.yaml") in line or str(root / "content" / "taxonomy.yaml") in line, line


# -- size: linear decoding ----------------------------------------------------------------------------


def _made_up_dispatch(n_bytes: int) -> bytes:
    rnd = random.Random(7)
    words = "le ministre Bùi Thanh Sơn a rencontré à Hanoï son homologue pour la coopération économique".split()
    parts, size = [], 0
    while size < n_bytes:
        sentence = " ".join(rnd.choice(words) for _ in range(400)) + ".\n"
        parts.append(sentence.encode("utf-8") + (b"\xff" if rnd.random() < 0.01 else b""))  # a few bad bytes
        size += len(parts[-1])
    return b"".join(parts)


def _best_of(n: int, data: bytes) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        decode(data, "big.txt")
        times.append(time.perf_counter() - start)
    return min(times)


def test_decoding_time_grows_linearly_with_size():
    """4x the bytes must take well under 16x (quadratic) the time: the ratio is ~4 (best of 3 runs)."""
    small, large = _made_up_dispatch(1_000_000), _made_up_dispatch(4_000_000)
    ratio = _best_of(3, large) / _best_of(3, small)
    assert ratio < 9, ratio


# -- cache rows and model packages ------------------------------------------------------------------------


@contextlib.contextmanager
def _environ(**values: str):  # type: ignore[no-untyped-def]
    import os

    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in before.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)


cache_rows = st.lists(
    st.tuples(
        st.sampled_from(["body", "parsed"]),
        st.text(max_size=16),  # key
        st.one_of(values.map(lambda v: json.dumps(v, default=str)), st.text(max_size=80)),  # value, JSON or not
        st.booleans(),  # signed with the build's key (a leaked CI secret), or not
    ),
    max_size=8,
)


@FUZZ
@given(rows=cache_rows)
def test_any_cache_row_is_a_miss_or_a_clean_value_of_its_kind(tmp_path_factory, rows):
    """Rows planted in .cache/build.sqlite, signed or not, well-formed JSON or not: the cache answers a miss or a
    value of its table's kind, never an exception; a body from it is only ever allow-listed HTML."""
    from briefing import cache as cache_mod
    from briefing.bodies import cached_bodies, clean_blocks

    path = tmp_path_factory.mktemp("cache") / "build.sqlite"
    with _environ(BRIEFING_CACHE_KEY="a shared CI secret"), cache_mod.DiskCache(path) as cache:
        db = sqlite3.connect(path)
        for table, key, value, signed in rows:
            mac = cache._mac(table, key, value) if signed else b"\x00" * 32
            with db:
                db.execute(
                    f"INSERT OR REPLACE INTO {table}_v{cache_mod.CACHE_FORMAT} VALUES (?, ?, ?)", (key, value, mac)
                )
        db.close()
        keys = [k for _, k, _, _ in rows]
        bodies = cache.get_many("body", keys)
        parsed = cache.get_many("parsed", keys)
        assert all(isinstance(v, list) and all(isinstance(b, str) for b in v) for v in bodies.values())
        assert all(isinstance(v, Article) for v in parsed.values())
        served = cached_bodies(cache, {k: "Un paragraphe." for k in keys}, lambda texts: [["<p>x</p>"] for _ in texts])
        assert all(clean_blocks(v) for v in served.values())


@st.composite
def hostile_package(draw: st.DrawFn, good: bytes) -> bytes:
    """The tiny real package with bytes flipped, its metadata replaced, or a member renamed."""
    how = draw(st.sampled_from(["flip", "metadata", "rename"]))
    if how == "flip":
        data = bytearray(good)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 255))
        return bytes(data)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        victim = draw(st.sampled_from(names))
        for name in names:
            body = src.read(name)
            if how == "metadata" and name.endswith("metadata.json"):
                body = json.dumps(draw(values), default=str).encode()
            if how == "rename" and name == victim:
                name = draw(st.sampled_from(["../escape", "/abs/file", "translate-fr_en/../../x", "a\\b", ""]))
                name = name or draw(st.text(min_size=1, max_size=20))
            dst.writestr(name, body)
    return out.getvalue()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_model_package_installs_whole_or_is_refused_leaving_the_working_one(
    tmp_path_factory, tiny_argosmodel, data
):
    """``models install --from`` a damaged or hostile package: exit 0 with the package whole, or exit 3 with one
    line naming the file; the package installed before it is byte for byte the same, nothing half-installed."""
    from conftest import run_cli

    root = make_project(tmp_path_factory.mktemp("models") / "portal")
    env = {"ARGOS_PACKAGES_DIR": str(tmp_path_factory.mktemp("argos-packages"))}
    assert run_cli(root, "models", "install", "--from", str(tiny_argosmodel), env=env).returncode == 0
    packages = Path(env["ARGOS_PACKAGES_DIR"])
    before = snapshot(packages)
    hostile = tmp_path_factory.mktemp("pkg") / "hostile.argosmodel"
    hostile.write_bytes(data.draw(hostile_package(tiny_argosmodel.read_bytes())))
    proc = run_cli(root, "models", "install", "--from", str(hostile), env=env)
    assert proc.returncode in (0, 3) and "Traceback" not in proc.stderr, proc.stderr
    if proc.returncode == 3:
        assert str(hostile) in proc.stderr and snapshot(packages) == before
    else:  # installed: exactly the package's files, whole
        with zipfile.ZipFile(hostile) as zf:
            members = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
        assert snapshot(packages) == members
    assert not [p for p in packages.parent.iterdir() if p.name.startswith(".briefing-install-")]
    assert sorted(p.name for p in packages.iterdir()) == ["translate-fr_en"]
