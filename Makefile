# BB Portal. `make run` serves the portal; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= bbportal.settings.local

.PHONY: run test setup system-packages test-setup migrate messages lint bench worker check-deploy clean

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data
	$(PY) manage.py runserver 127.0.0.1:8000

test: test-setup
	DJANGO_SETTINGS_MODULE=bbportal.settings.test $(VENV)/bin/pytest $(PYTEST_ARGS)

setup: system-packages $(STAMP) messages

# Cheap to re-check every time (a few ldconfig look-ups); installs only what is missing.
system-packages:
	@WITH_BROWSER=$(WITH_BROWSER) WITH_BENCH=$(WITH_BENCH) ./scripts/ensure-system-packages.sh

# Reinstall only when a requirements file changed: a second `make run` is fast.
$(STAMP): requirements.txt requirements-dev.txt scripts/ensure-system-packages.sh
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

test-setup:
	$(MAKE) setup WITH_BROWSER=1

messages: $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po locale_thirdparty/*/LC_MESSAGES/*.po */locale/*/LC_MESSAGES/*.po))

%.mo: %.po
	msgfmt --check-format -o $@ $<

lint: setup
	$(VENV)/bin/ruff check .

worker: setup
	$(VENV)/bin/celery -A bbportal worker -l info

bench:
	$(MAKE) setup WITH_BENCH=1
	$(PY) -m bench

check-deploy: setup
	DJANGO_SETTINGS_MODULE=bbportal.settings.production DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	  DJANGO_ALLOWED_HOSTS=bbportal.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var db.sqlite3
