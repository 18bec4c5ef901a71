# Quick start:  make serve   (set up, build the bundled site, serve it with live reload)
#               make test    (set up with test tools and system packages, run the whole test suite)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
ARGOS  := argostranslate==1.11.0
PORT   ?= 8000

# What `make setup` installs for the editor, one file a set (README, "Dependencies and why"): requirements.txt is
# the build's (and all that a deploy installs), requirements-editor.txt the editor's tools, requirements-import.txt
# the importer's French NLP pipeline (spaCy). A new set is one more file here.
SETUP_SETS := requirements.txt requirements-editor.txt requirements-import.txt

.PHONY: serve build setup setup-dev system-deps test lint lighthouse bench clean netlify-check

serve: setup
	$(PY) build.py serve --port $(PORT)

build: setup
	$(PY) build.py build

setup: $(VENV)/.runtime

$(VENV)/.runtime: $(SETUP_SETS)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(addprefix -r ,$(SETUP_SETS))
	$(PY) -m pip install --quiet --no-deps $(ARGOS)
	touch $@

setup-dev: $(VENV)/.dev

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Debian packages the tests use for real: Apertium (fr→es→en), Chromium for browser tests, Java for the
# Nu HTML Checker, npm for axe-core (installed by the accessibility test into .cache/node).
system-deps:
	@missing=""; \
	command -v apertium >/dev/null || missing="$$missing apertium apertium-fr-es apertium-eng-spa"; \
	[ -d /usr/share/apertium/apertium-fr-es ] || missing="$$missing apertium-fr-es"; \
	[ -d /usr/share/apertium/apertium-eng-spa ] || missing="$$missing apertium-eng-spa"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "installing Debian packages:$$missing"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# lint and type check first (seconds), then every test: those that do not drive a browser or a live server on
# every core, at most 4 (pytest-xdist; each module's tests on one worker: they share its fixtures; the tests' builds
# fork workers of their own), then the others one at a time
TEST_JOBS ?= auto
test: setup-dev system-deps lint
	$(PY) -m pytest -n $(TEST_JOBS) --maxprocesses 4 --dist loadfile -m "not serial"
	$(PY) -m pytest -m serial

lint: setup-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) bench/code_size.py

# Lighthouse on every kind of page, both languages (installs the npm package into .cache/node)
lighthouse: setup-dev system-deps
	$(PY) -m pytest -q tests/test_lighthouse.py

bench: setup-dev
	$(PY) bench/translate_bench.py

# the site and the build cache; the translation memory (.cache/translation-memory.sqlite) stays
clean:
	rm -rf output .output.* test-artifacts .cache/build.sqlite* .cache/last-build-*

# Maintainers: Netlify's own CLI builds the site as Netlify's servers do (netlify.toml's production command and
# plugin, offline, in a virtualenv with requirements.txt alone, as Netlify installs it), then serves output/ with
# netlify.toml's redirects, 404 pages and headers on http://localhost:$(NETLIFY_PORT)/ (Ctrl-C stops it). The CLI
# and the Node.js it needs (22+) are installed with npm into .cache/netlify-cli, never committed.
NETLIFY_CLI_VERSION ?= 27.10.2
NETLIFY_PORT ?= 8888
NETLIFY_DIR  := .cache/netlify-cli
DEPLOY_VENV  := .cache/deploy-venv
NETLIFY_BIN  := $(abspath $(NETLIFY_DIR))/node_modules/.bin
NETLIFY      := PATH="$(abspath $(DEPLOY_VENV))/bin:$(NETLIFY_BIN):$$PATH" BROWSER=none $(NETLIFY_BIN)/netlify

# `netlify dev --dir` is the CLI's static server with Netlify's rules; edge functions (none here) are off, since
# their runtime is downloaded on first use.
netlify-check: $(DEPLOY_VENV)/.installed $(NETLIFY_DIR)/.installed
	URL=http://localhost:$(NETLIFY_PORT) $(NETLIFY) build --offline
	$(NETLIFY) dev --offline --dir output --port $(NETLIFY_PORT) --internal-disable-edge-functions

$(DEPLOY_VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(DEPLOY_VENV)
	$(DEPLOY_VENV)/bin/python -m pip install --quiet -r requirements.txt
	touch $@

$(NETLIFY_DIR)/.installed:
	@command -v npm >/dev/null || { echo "netlify-check needs npm: make system-deps"; exit 2; }
	npm install --no-audit --no-fund --loglevel=error --prefix $(NETLIFY_DIR) netlify-cli@$(NETLIFY_CLI_VERSION) node@22
	touch $@
