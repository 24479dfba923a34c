#!/usr/bin/env bash
# Build Facilitator for macOS: Facilitator.app and a .dmg, in dist/.
#
#     bash installer/macos/build.sh
#
# Needs macOS 13 or newer with Python 3.11 or newer (python.org or Homebrew; PYTHON picks the
# interpreter, default python3) and the command line tools (xcode-select --install) for
# iconutil, codesign and hdiutil. Builds for the interpreter's architecture (arm64 or x86_64).
# PyInstaller and Facilitator's dependencies go into build/venv-macos.
#
# Outputs:
#   dist/Facilitator.app                              the application
#   dist/Facilitator-<version>-macos-<arch>.dmg       drag-to-Applications disk image
#
# Signing: set FACILITATOR_CODESIGN_IDENTITY ("Developer ID Application: ...") to sign the app
# with the hardened runtime; without it the app is signed ad hoc, which runs on the build Mac
# only. To notarize, set FACILITATOR_NOTARY_PROFILE to a `xcrun notarytool store-credentials`
# profile name as well.
set -euo pipefail

[ "$(uname -s)" = Darwin ] || { echo "This script runs on macOS." >&2; exit 1; }
started=$SECONDS
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
python=${PYTHON:-python3}
venv=build/venv-macos
icons=build/icons
app=dist/Facilitator.app
identity=${FACILITATOR_CODESIGN_IDENTITY:-}

step() { printf '\n== %s\n' "$*"; }

step "Build environment ($venv)"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip -q --disable-pip-version-check)
"${pip[@]}" install --upgrade pip
rm -rf build/lib build/bdist.*
"${pip[@]}" install --upgrade ".[package]"
"${pip[@]}" install --no-deps --force-reinstall .
rm -rf build/lib build/bdist.*
version=$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("facilitator"))')
arch=$("$venv/bin/python" -c 'import platform; print(platform.machine())')
echo "Facilitator $version ($arch)"

step "Icons ($icons)"
"$venv/bin/python" installer/make_icons.py "$icons" --iconset
iconutil --convert icns --output "$icons/facilitator.icns" "$icons/facilitator.iconset"

step "Application ($app)"
rm -rf "$app" dist/facilitator
FACILITATOR_CODESIGN_IDENTITY="$identity" "$venv/bin/python" -m PyInstaller --noconfirm --clean \
    --log-level WARN --distpath dist --workpath build/pyinstaller-macos installer/facilitator.spec
if [ -n "$identity" ]; then
    codesign --force --deep --options runtime --timestamp --sign "$identity" "$app"
fi
codesign --verify --deep --strict "$app"

step "Quick check of the application"
exe="$app/Contents/MacOS/facilitator"
[ "$("$exe" --version)" = "Facilitator $version" ]
check_data=$(mktemp -d)
trap 'rm -rf "$check_data"' EXIT
# The check clinic's key goes to this account's login keychain ("Facilitator"), as for any clinic.
QT_QPA_PLATFORM=offscreen FACILITATOR_PASSPHRASE=build-check-passphrase \
    "$exe" --data-dir "$check_data/clinic" demo --today 2026-11-23 >/dev/null
QT_QPA_PLATFORM=offscreen FACILITATOR_PASSPHRASE=build-check-passphrase \
    "$exe" --data-dir "$check_data/clinic" selftest

step "Disk image"
dmg="dist/Facilitator-$version-macos-$arch.dmg"
staging=build/dmg
rm -rf "$staging" "$dmg"
mkdir -p "$staging"
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "Facilitator $version" -srcfolder "$staging" -fs HFS+ -format UDZO \
    -ov "$dmg" >/dev/null
rm -rf "$staging"
if [ -n "$identity" ]; then
    codesign --force --sign "$identity" --timestamp "$dmg"
    if [ -n "${FACILITATOR_NOTARY_PROFILE:-}" ]; then
        xcrun notarytool submit "$dmg" --keychain-profile "$FACILITATOR_NOTARY_PROFILE" --wait
        xcrun stapler staple "$dmg"
    fi
fi

step "Done in $((SECONDS - started)) s"
echo "app  $app  ($(du -sh "$app" | cut -f1))"
echo "dmg  $dmg  ($(du -h "$dmg" | cut -f1))"
