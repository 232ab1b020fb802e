# Servanda — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install demo test lint typecheck pytest chromium bench serve clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# UI tests drive Debian's Chromium (never a downloaded browser build).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install
	$(BIN)/mypy src

pytest: install chromium
	$(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(BIN)/pytest

test: lint typecheck pytest

demo: install
	$(BIN)/servanda migrate --noinput
	$(BIN)/servanda collectstatic --noinput -v 0
	$(BIN)/servanda load_demo
	@echo ""
	@echo "  Servanda is running on http://$(HOST):$(PORT)/"
	@echo "  Log in as  demo / servanda-demo  (administrator)"
	@echo "  API docs:  http://$(HOST):$(PORT)/api/docs   token: $(BIN)/servanda token demo"
	@echo ""
	$(BIN)/gunicorn servanda.wsgi -b $(HOST):$(PORT) -w 2 --access-logfile -

serve: install
	$(BIN)/gunicorn servanda.wsgi -b $(HOST):$(PORT) -w 2 --access-logfile -

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var/servanda.sqlite3* var/static
