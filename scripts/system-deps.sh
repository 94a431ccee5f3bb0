#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when they are missing. Idempotent; needs root or sudo.
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)                    # video metadata and key frames
command -v exiftool >/dev/null 2>&1 || need+=(libimage-exiftool-perl)  # image metadata
command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-noto-core)  # web browser tests (Playwright), Arabic glyphs
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)           # PDF report checks: pdftoppm, pdftotext
[ -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf ] || need+=(fonts-noto-core)  # PDF report fonts
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -d /usr/share/fonts/truetype/kacst ] || need+=(fonts-kacst)                 # fallback Arabic fonts
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || command -v pg_ctl >/dev/null 2>&1 \
    || need+=(postgresql)                                               # storage tests on a real PostgreSQL server
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0 libpangoft2-1.0-0)  # WeasyPrint's text layout
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
