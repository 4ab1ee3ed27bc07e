# One image for every process of the stack: web (gunicorn), worker, beat, the one-shot
# migrate and the reverse proxy (nginx). docker-compose.yml builds it once.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint needs Pango; libthai gives Thai line breaking; gettext compiles messages and
# gives the proxy envsubst; nginx-light and openssl are the proxy and its first-run certificate;
# fonts-noto-cjk draws Korean, Japanese and Chinese in the showcase's product sheets.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libthai0 gettext fonts-noto-cjk \
    nginx-light openssl \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 bbportal
WORKDIR /app
# The locked tree, every file checked against its hash (see `make lock`).
COPY requirements.lock .
RUN pip install --require-hashes -r requirements.lock
COPY . .
RUN for po in $(find . -name '*.po'); do msgfmt -o "${po%.po}.mo" "$po"; done \
 && DJANGO_SETTINGS_MODULE=bbportal.settings.production DJANGO_SECRET_KEY=build-only \
    DJANGO_ALLOWED_HOSTS=build STATIC_ROOT=/app/var/staticfiles python manage.py collectstatic --noinput \
 && mkdir -p /data/media /certs \
 && chown -R bbportal /data /certs /app/var
# Nothing in the stack runs as root; the proxy listens on 8080/8443 for that reason.
USER bbportal
ENV DJANGO_SETTINGS_MODULE=bbportal.settings.production \
    STATIC_ROOT=/app/var/staticfiles \
    MEDIA_ROOT=/data/media
EXPOSE 8000 8080 8443
CMD ["gunicorn", "bbportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
