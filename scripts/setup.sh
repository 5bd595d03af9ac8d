#!/usr/bin/env bash
# Installs the Debian packages compound needs to build and test, when they are missing.
# Idempotent and quiet when everything is present. Run as root, or with sudo available.
set -euo pipefail

packages=(
  libsqlite3-dev   # SQLite, used by GRDB.swift through the system library
  sqlite3          # the sqlite3 shell, used by tests to tamper with a database behind compound's back
  libcairo2-dev    # label PDF and PNG rendering
  libpango1.0-dev  # label text layout, measured
  libzint-dev      # label barcodes (Code 128, Data Matrix)
  fonts-dejavu-core  # the labels' sans-serif
  poppler-utils    # tests read label PDFs back (pdftotext, pdffonts, pdftoppm)
  zbar-tools       # tests decode the barcode from the rendered label (zbarimg)
  cups             # tests print to a real CUPS server on loopback
  cups-client      # lp, lpadmin
  libxlsxwriter-dev  # the monthly Excel export
  zlib1g-dev       # libxlsxwriter's pkg-config links -lz but the package does not pull it in
  libminizip-dev   # the export's Movements sheet, compressed as it is read, spliced into libxlsxwriter's zip
  python3-openpyxl # tests read the exported workbook back
  libcrypt-dev     # PINs are stored as salted yescrypt hashes (crypt_r)
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "setup: swift is at /opt/swift/usr/bin but not on PATH; the Makefile adds it" >&2
  else
    echo "setup: no Swift toolchain found: install Swift 6.1 or newer and put it on PATH" >&2
    exit 1
  fi
fi
