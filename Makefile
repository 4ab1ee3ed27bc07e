# BB Portal. `make run` serves the portal; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= bbportal.settings.local

.PHONY: run test setup system-packages test-setup migrate messages lint bench worker check-deploy clean \
	lock audit check-migrations format-check typecheck

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data
	$(PY) manage.py runserver 127.0.0.1:8000

# pytest-xdist: one process per core (each with its own test database). The tests that
# wait on processes (workers, servers, Chromium) leave the cores idle, so CI runs more.
# loadgroup: a module marked xdist_group (the deploy stack) stays on one worker, so its
# module fixture starts its processes once.
PYTEST_WORKERS ?= auto
test: test-setup
	DJANGO_SETTINGS_MODULE=bbportal.settings.test $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

setup: system-packages $(STAMP) messages

# Cheap to re-check every time (a few ldconfig look-ups); installs only what is missing.
system-packages:
	@WITH_BROWSER=$(WITH_BROWSER) WITH_PROXY=$(WITH_PROXY) \
	  ./scripts/ensure-system-packages.sh

# Installs exactly the locked tree, every file checked against its hash (the lock pins pip
# itself too). Reinstalls only when a lock file changed: a second `make run` is fast.
# The lock's own pip goes first: the pip a new venv brings (23.2 with Python 3.11.7) refused
# the whole lock in hash mode once fonttools published a release newer than the pinned one
# (it reads weasyprint's fonttools[woff] as unpinned).
$(STAMP): requirements.lock requirements-dev.lock scripts/ensure-system-packages.sh
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	awk '/^pip==/ {keep = 1; print; next} keep && /^ / {print; next} {keep = 0}' \
	  requirements-dev.lock > $(VENV)/pip.lock
	$(PIP) install --quiet --require-hashes -r $(VENV)/pip.lock
	$(PIP) install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# requirements.txt and requirements-dev.txt are the lists people edit; this rewrites the locks
# (every package of the tree, pinned, with the hashes of all its files). Existing pins are
# kept; to move one: make lock LOCK_ARGS="--upgrade-package celery". The dev lock is
# constrained by the runtime one, so both install the same versions.
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock: $(STAMP)
	$(PIP_COMPILE) -o requirements.lock requirements.txt
	$(PIP_COMPILE) -c requirements.lock -o requirements-dev.lock requirements-dev.txt

# nginx: tests/deploy starts the compose stack's proxy natively.
test-setup:
	$(MAKE) setup WITH_BROWSER=1 WITH_PROXY=1

messages: $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po locale_thirdparty/*/LC_MESSAGES/*.po */locale/*/LC_MESSAGES/*.po))

%.mo: %.po
	msgfmt --check-format -o $@ $<

lint: setup
	$(VENV)/bin/ruff check .

format-check: setup
	$(VENV)/bin/ruff format --check .

# mypy with django-stubs, configured in pyproject.toml (strict on core, microsoft and
# notifications). The cache in .mypy_cache makes a second run take seconds.
typecheck: setup
	DJANGO_SETTINGS_MODULE=bbportal.settings.test $(VENV)/bin/mypy

# A model change without its migration fails here rather than on the production database.
# Models against migrations only: the embedded database, whatever DATABASE_URL names.
check-migrations: setup
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=bbportal.settings.test $(PY) manage.py makemigrations --check --dry-run

# Known vulnerabilities in the locked tree; says plainly when the vulnerability service
# cannot be reached (AUDIT NOT DONE) instead of passing silently.
audit: setup
	$(PY) scripts/audit_dependencies.py requirements-dev.lock

worker: setup
	$(VENV)/bin/celery -A bbportal worker -l info

bench: setup
	$(PY) -m bench

check-deploy: setup
	DJANGO_SETTINGS_MODULE=bbportal.settings.production DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  DJANGO_ALLOWED_HOSTS=bbportal.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var db.sqlite3
