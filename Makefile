# Quick start:  make serve   (set up, build the bundled site, serve it with live reload)
#               make test    (set up with test tools and system packages, run the whole test suite)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
ARGOS  := argostranslate==1.11.0
PORT   ?= 8000

.PHONY: serve build setup setup-dev system-deps test lighthouse bench clean

serve: setup
	$(PY) build.py serve --port $(PORT)

build: setup
	$(PY) build.py build

setup: $(VENV)/.runtime

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
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

test: setup-dev system-deps
	$(PY) -m pytest

# Lighthouse on every kind of page, both languages (installs the npm package into .cache/node)
lighthouse: setup-dev system-deps
	$(PY) -m pytest -q tests/test_lighthouse.py

bench: setup-dev
	$(PY) bench/translate_bench.py

# the site and the build cache; the translation memory (.cache/translation-memory.sqlite) stays
clean:
	rm -rf output .output.* test-artifacts .cache/build.sqlite* .cache/last-build-*
