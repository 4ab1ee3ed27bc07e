#!/usr/bin/env bash
# Installs the Debian packages the portal needs and pip cannot provide:
#   libpango-1.0-0, libpangoft2-1.0-0 (WeasyPrint), libthai0 (Thai line breaking),
#   gettext (compiling the Thai messages), fonts-noto-cjk (Korean, Japanese and Chinese in the
#   cities' coordination pack PDF); with WITH_BROWSER=1 chromium, poppler-utils and
#   libreoffice-writer-nogui (tests: the official documents' .docx must convert to PDF),
#   with WITH_PROXY=1 nginx-light and openssl (tests/deploy runs the stack's proxy).
# As root it uses apt-get; otherwise it stops and names what is missing.
set -euo pipefail

need=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib "libpango-1.0.so.0"     || need+=(libpango-1.0-0)
have_lib "libpangoft2-1.0.so.0"  || need+=(libpangoft2-1.0-0)
have_lib "libthai.so.0"          || need+=(libthai0)
command -v msgfmt >/dev/null     || need+=(gettext)
# The showcase's product sheets (issue #17) in Korean, Japanese and Chinese: Noto Sans CJK,
# found by fontconfig (never fetched from a CDN).
[ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need+=(fonts-noto-cjk)
if [ "${WITH_PROXY:-0}" = 1 ]; then
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
  command -v openssl >/dev/null  || need+=(openssl)
fi
if [ "${WITH_BROWSER:-0}" = 1 ]; then
  command -v chromium >/dev/null || need+=(chromium)
  command -v pdftoppm >/dev/null || need+=(poppler-utils)
  command -v soffice >/dev/null  || need+=(libreoffice-writer-nogui)
fi

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "BB Portal needs these system packages: ${need[*]}" >&2
  echo "Install them as root, e.g.: sudo apt-get install ${need[*]}" >&2
  exit 1
fi
