FROM python:3.11-slim-bookworm
# WeasyPrint needs Pango; libthai gives Thai line breaking; gettext compiles messages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libthai0 gettext \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 bbportal
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN for po in $(find . -path ./\.venv -prune -o -name '*.po' -print); do msgfmt -o "${po%.po}.mo" "$po"; done \
 && DJANGO_SETTINGS_MODULE=bbportal.settings.production DJANGO_SECRET_KEY=build-only \
    DJANGO_ALLOWED_HOSTS=build python manage.py collectstatic --noinput \
 && mkdir -p /data/media && chown -R bbportal /data /app/var
USER bbportal
EXPOSE 8000
# Migrations run once per release, before the web and worker containers start:
#   docker compose run --rm web python manage.py migrate
