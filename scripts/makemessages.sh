#!/usr/bin/env bash
# Collect translatable strings. Each app keeps its own catalogue (<app>/locale/th) so work
# on one app never conflicts with another; the project catalogue (locale/th) holds the
# strings of bbportal/, core/, microsoft/ and templates/.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
APPS=(cities vendors meetings outcomes reports documents privacy notifications buyers)
ignores=(--ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=static)
for app in "${APPS[@]}"; do ignores+=(--ignore="$app/*"); done
$PY manage.py makemessages -l th --no-obsolete "${ignores[@]}"
for app in "${APPS[@]}"; do
  mkdir -p "$app/locale"
  (cd "$app" && ../$PY ../manage.py makemessages -l th --no-obsolete)
done
