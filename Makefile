# Hémicycle — `make demo` and `make test` are the whole set-up (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-sqlite test-postgres lint bench install messages clean

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
	$(BIN)/hemicycle runserver 127.0.0.1:8000

# The whole suite: lint, SQLite, PostgreSQL (a throw-away server), browser tests.
test: $(STAMP)
	scripts/test-prerequisites
	$(BIN)/ruff check .
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: $(STAMP)
	$(BIN)/pytest -q

test-postgres: $(STAMP)
	scripts/with-postgres $(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	@for f in bench/bench_*.py; do \
		[ -e "$$f" ] || { echo '{}'; continue; }; \
		echo "# $$f" >&2; $(BIN)/python "$$f" || exit 1; \
	done

messages: $(STAMP)
	cd hemicycle && ../$(BIN)/hemicycle makemessages -l en --no-location && \
		../$(BIN)/hemicycle compilemessages -l en

clean:
	rm -rf $(VENV) var
