#!/usr/bin/env bash
# Installs everything the project needs on a fresh Debian 12 machine with Python 3.11:
# the system libraries WeasyPrint uses, the pinned fonts, the PDF and browser tools the tests use,
# and the Python packages in .venv. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--tests" ] && want_tests=1

# System packages. libharfbuzz-subset0 makes WeasyPrint's font subsetting fast.
system_packages=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 shared-mime-info
  fonts-noto-cjk fonts-tibetan-machine fonts-ddc-uchen fonts-lxgw-wenkai
  poppler-utils pandoc
)
# The tests load the pages in Chromium's headless shell (axe-core) and run the Nu HTML checker (Java); both
# checkers come from the npm registry, pinned in package-lock.json. Chromium itself is for looking at pages.
[ "$want_tests" = 1 ] && system_packages+=(chromium chromium-headless-shell)
missing=()
for p in "${system_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "$want_tests" = 1 ]; then
  command -v java >/dev/null || missing+=(default-jre-headless)
  command -v npm >/dev/null || missing+=(npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Python packages, pinned in pyproject.toml.
[ -x .venv/bin/python ] || python3 -m venv .venv
# Keyed by what pip reads from pyproject.toml (the project's metadata and dependencies, the build system,
# setuptools' settings): a change to the tools' settings there (pytest, ruff) installs nothing again.
installed=$(python3 -c 'import hashlib, json, tomllib
d = tomllib.load(open("pyproject.toml", "rb"))
read = [d.get("build-system"), d.get("project"), d.get("tool", {}).get("setuptools")]
print(hashlib.sha256(json.dumps(read, sort_keys=True).encode()).hexdigest()[:16])')
stamp=.venv/.installed-$installed-$want_tests
if [ ! -f "$stamp" ]; then
  .venv/bin/pip install -q --upgrade pip
  if [ "$want_tests" = 1 ]; then
    .venv/bin/pip install -q -e '.[test]'
  else
    .venv/bin/pip install -q -e .
  fi
  rm -f .venv/.installed-*; touch "$stamp"
fi

# axe-core and vnu.jar, as package-lock.json pins them, into node_modules/ (git-ignored). Their install
# scripts are not run: vnu-jar's would download a Java of its own, and Debian's is used.
if [ "$want_tests" = 1 ]; then
  npm_stamp=node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)
  if [ ! -f "$npm_stamp" ]; then
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    touch "$npm_stamp"
  fi
fi

# The fonts the site and the PDFs use, copied from the Debian packages into themes/ and checked
# against pinned checksums, so output never depends on what else the machine has installed.
.venv/bin/python -m gazette.fonts install
