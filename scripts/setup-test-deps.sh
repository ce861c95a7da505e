#!/usr/bin/env bash
# Installs the Debian packages that the tests need. Idempotent: installs only what is missing.
#   chromium                 end-to-end tests (Playwright drives Debian's Chromium; never a download)
#   imagemagick              makes 12-megapixel test photos
#   libimage-exiftool-perl   writes EXIF (orientation, GPS, camera serial) into test photos and
#                            checks that stored photos carry none
#   gdal-bin                 ogrinfo and ogr2ogr: a real GIS client reads every export
#   spatialite-bin           the `spatialite` shell: SpatiaLite/GEOS (what QGIS uses) is the reference
#                            for lighting coverage (test/unit/spatialite-lighting.test.ts) and the
#                            GIS alternative in the lighting benchmark
#   poppler-utils            pdfinfo and pdftoppm: the printed reports' PDFs are counted and turned
#                            into PNG pages (test/e2e/plan-report.spec.ts)
#   postgresql               PostgreSQL 15: the sync server's suite runs against a real server
#   postgresql-15-postgis-3  PostGIS for it (src/server/server.test.ts starts its own cluster on
#                            loopback in a temporary folder, as the postgres user)
set -euo pipefail

PACKAGES=(chromium imagemagick libimage-exiftool-perl fonts-dejavu-core gdal-bin spatialite-bin poppler-utils postgresql postgresql-15-postgis-3)
missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: test packages already installed (${PACKAGES[*]})"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "setup: need root (or sudo) to apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: installed ${missing[*]}"
