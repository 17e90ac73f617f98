# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 5000
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app service

.PHONY: run test install assets browser translations lint audit bench load lighthouse clean

run: install assets translations
	$(FLASK) db upgrade
	$(FLASK) demo load
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Two workers (one per core of this machine kind), each test file kept on one worker.
PYTEST_ARGS ?= -n 2 --dist loadfile
test: install assets browser translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Performance figures at regulator scale (docs/performance.md); BENCH_SIZE=10000 for a quick run.
bench: install assets browser
	$(BIN)/python -m bench

# Many users at once against gunicorn and PostgreSQL (docs/performance.md); LOAD_USERS, LOAD_SECONDS.
load: install assets translations $(VENV)/.installed-load
	$(BIN)/python -m bench.load

$(VENV)/.installed-load: pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[load]'
	touch $@

# Style (ruff) and the import contracts between layers (import-linter; docs/design.md section 1).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Supply chain: bandit on our code (must be clean), pip-audit on the dependencies.
audit: install
	$(BIN)/bandit -q -c pyproject.toml -r service workflows forms
	$(BIN)/python scripts/pip_audit.py

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,lint]'
	touch $@

# The Korean catalog, compiled for Flask-Babel; `scripts/translate.py` keeps it in step.
translations: install
	$(BIN)/pybabel compile -d service/translations

# KRDS (the government design system) and its font, from npm, vendored under static/;
# the full PretendardGOV OTFs for the PDFs under static/vendor/fonts/; then what the pages
# load, built under static/build/ (docs/performance.md, "Light pages").
assets: service/static/vendor/krds/VERSION service/static/vendor/fonts/VERSION service/static/build/site.css

service/static/vendor/krds/VERSION service/static/vendor/fonts/VERSION &: package-lock.json scripts/vendor_assets.sh
	npm ci --no-audit --no-fund --loglevel=error
	bash scripts/vendor_assets.sh

# KRDS purged (PurgeCSS) and minified (esbuild) with app.css, the scripts minified, the font
# cut into pieces: again whenever a template, the Python that emits classes or text, or
# our CSS and JS change.
BUILD_INPUTS := $(shell find templates service forms workflows \( -name '*.html' -o -name '*.py' -o -name '*.po' \) -not -path '*/static/*' 2>/dev/null)
service/static/build/site.css: $(VENV)/.installed service/static/vendor/krds/VERSION scripts/build_assets.py purgecss.config.cjs service/static/css/app.css service/static/js/app.js $(BUILD_INPUTS)
	$(BIN)/python scripts/build_assets.py

# Lighthouse 12.2.3 (npm, pinned) in Debian's Chromium against gunicorn on the demo data:
# six pages in both languages; prints performance, accessibility and best practices.
lighthouse: install assets browser translations
	$(BIN)/python -m bench.lighthouse

# The browser tests drive Debian's Chromium (Playwright's own download does not work here).
browser:
	@test -x /usr/bin/chromium || { \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf $(VENV) node_modules service/static/vendor
