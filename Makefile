# Hémicycle — `make demo` and `make test` are the whole set-up (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-sqlite test-postgres test-browser test-messages lint bench install \
	messages clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	mkdir -p var
	$(BIN)/hemicycle migrate --noinput
	$(BIN)/hemicycle demo
	@# The task worker (mail, ingestion, publications, media watch), the scheduler of
	@# posts and the newsletter sender run beside the web server and stop with it.
	$(BIN)/hemicycle db_worker --no-reload & worker=$$!; \
		$(BIN)/hemicycle publish_due --loop & scheduler=$$!; \
		$(BIN)/hemicycle send_newsletters --loop & sender=$$!; \
		trap 'kill $$worker $$scheduler $$sender 2>/dev/null' EXIT INT TERM; \
		$(BIN)/hemicycle runserver 127.0.0.1:8000

# The whole suite: system packages (apt, as root), lint, then the same pytest suite on
# SQLite and on a throw-away PostgreSQL server, browser tests (headless Chromium) included.
# TEST_DATABASE_URL / CHROMIUM_PATH point it at an existing server / browser;
# PYTEST_ARGS passes options to pytest (make test-sqlite PYTEST_ARGS="-k login").
PYTEST = $(BIN)/pytest -q -rfEs $(PYTEST_ARGS)

test:
	PYTHON=$(PYTHON) scripts/test-prerequisites
	$(MAKE) --no-print-directory install
	$(MAKE) --no-print-directory test-messages
	$(BIN)/ruff check .
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# SQLite in memory, whatever DATABASE_URL the shell may have.
test-sqlite: $(STAMP)
	env -u DATABASE_URL -u DATABASE_URL_FILE $(PYTEST)

# The browser tests drive the same views on SQLite only, to keep `make test` under 30
# minutes on two cores: the PostgreSQL run covers everything under them with the rest of
# the suite. BROWSER_ON_POSTGRES=1 runs them there too. The tests that use no database
# (engines, parsers) run once, on SQLite; ALL_ON_POSTGRES=1 runs them there too.
test-postgres: $(STAMP)
	$(if $(ALL_ON_POSTGRES),,DATABASE_TESTS_ONLY=1) scripts/with-postgres $(PYTEST) \
		$(if $(BROWSER_ON_POSTGRES),,-m "not browser")

test-browser: $(STAMP)
	env -u DATABASE_URL -u DATABASE_URL_FILE $(PYTEST) -m browser

# Compiled catalogs (.mo) for the tests of the English interface.
test-messages: $(STAMP)
	@if [ -n "$$(find hemicycle -name '*.po' -print -quit)" ]; then \
		cd hemicycle && ../$(BIN)/hemicycle compilemessages --verbosity 0; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	@for f in bench/bench_*.py; do \
		[ -e "$$f" ] || { echo '{}'; continue; }; \
		echo "# $$f" >&2; $(BIN)/python "$$f" || exit 1; \
	done

messages: $(STAMP)
	cd hemicycle && ../$(BIN)/hemicycle makemessages -l en --no-location --no-obsolete && \
		../$(BIN)/hemicycle compilemessages -l en

clean:
	rm -rf $(VENV) var
