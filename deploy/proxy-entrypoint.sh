#!/bin/sh
# Starts the reverse proxy: nginx from Debian's package with deploy/nginx.conf.template.
# On the first run without a certificate in PROXY_TLS_DIR it makes a self-signed one for
# the first name of DJANGO_ALLOWED_HOSTS, so the stack answers over HTTPS at once; put the
# real certificate there as tls.crt (full chain) and tls.key and restart the proxy.
set -eu

here=$(dirname "$0")
: "${PROXY_HTTP_PORT:=8080}"
: "${PROXY_HTTPS_PORT:=8443}"
: "${PROXY_UPSTREAM:=web:8000}"
: "${PROXY_STATIC_ROOT:=/app/var/staticfiles}"
: "${PROXY_TLS_DIR:=/certs}"
: "${PROXY_RUN_DIR:=/tmp/nginx}"
: "${NGINX_MIME_TYPES:=/etc/nginx/mime.types}"
: "${UPLOAD_MAX_BYTES:=10485760}"
PROXY_MAX_BODY_BYTES=$((UPLOAD_MAX_BYTES + 1048576))
hosts=${DJANGO_ALLOWED_HOSTS:-localhost}
tls_name=${PROXY_TLS_NAME:-${hosts%%,*}}
export PROXY_HTTP_PORT PROXY_HTTPS_PORT PROXY_UPSTREAM PROXY_STATIC_ROOT PROXY_TLS_DIR \
    PROXY_RUN_DIR NGINX_MIME_TYPES PROXY_MAX_BODY_BYTES

mkdir -p "$PROXY_RUN_DIR" "$PROXY_TLS_DIR"
if [ ! -s "$PROXY_TLS_DIR/tls.crt" ] || [ ! -s "$PROXY_TLS_DIR/tls.key" ]; then
    echo "proxy: no certificate in $PROXY_TLS_DIR; making a self-signed one for $tls_name" \
        "(browsers will warn; see README, Deployment)" >&2
    case "$tls_name" in
        *[!0-9.]*) san="DNS:$tls_name,DNS:localhost,IP:127.0.0.1" ;;
        *) san="IP:$tls_name,DNS:localhost" ;;
    esac
    umask 077
    if ! openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=$tls_name" \
        -addext "subjectAltName=$san" -keyout "$PROXY_TLS_DIR/tls.key" \
        -out "$PROXY_TLS_DIR/tls.crt" 2>"$PROXY_RUN_DIR/openssl.log"; then
        cat "$PROXY_RUN_DIR/openssl.log" >&2
        echo "proxy: cannot write a certificate into $PROXY_TLS_DIR (user $(id -u))" >&2
        exit 1
    fi
fi

# Only these names are substituted: nginx's own $host, $remote_addr ... stay as they are.
envsubst '${PROXY_HTTP_PORT} ${PROXY_HTTPS_PORT} ${PROXY_UPSTREAM} ${PROXY_STATIC_ROOT}
${PROXY_TLS_DIR} ${PROXY_RUN_DIR} ${NGINX_MIME_TYPES} ${PROXY_MAX_BODY_BYTES}' \
    < "$here/nginx.conf.template" > "$PROXY_RUN_DIR/nginx.conf"
exec nginx -e stderr -c "$PROXY_RUN_DIR/nginx.conf" -g 'daemon off;'
