#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when they are missing. Idempotent; needs root or sudo.
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)                    # video metadata and key frames
command -v exiftool >/dev/null 2>&1 || need+=(libimage-exiftool-perl)  # image metadata
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing Debian packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
