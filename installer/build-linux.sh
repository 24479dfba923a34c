#!/usr/bin/env bash
# Build Facilitator for Linux: the one-folder bundle, a .deb and a tarball, all in dist/.
#
#     bash installer/build-linux.sh && bash installer/smoke-test.sh
#
# Run it from a checkout on Debian or Ubuntu (x86_64 or arm64), on the oldest release you want
# to support: the bundle needs a C library at least as new as the build machine's. It installs
# what it needs: a few system packages through apt (as root, or with sudo), and PyInstaller with
# Facilitator and its dependencies in a virtual environment of its own, build/package-venv (the
# development .venv is not used, so no test tools end up in the bundle). Takes a few minutes.
#
# Outputs:
#   dist/facilitator/                                 the bundle; run dist/facilitator/facilitator
#   dist/facilitator_<version>_<arch>.deb             installs /opt/facilitator, a menu entry
#   dist/facilitator-<version>-linux-<machine>.tar.gz the bundle as facilitator-<version>/
#
# Environment: PYTHON (default python3, 3.11 or newer), DEB_MAINTAINER (the .deb's Maintainer).
set -euo pipefail

started=$SECONDS
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
python=${PYTHON:-python3}
venv=build/package-venv
icons=build/icons
bundle=dist/facilitator
maintainer=${DEB_MAINTAINER:-Facilitator packaging <packaging@facilitator.invalid>}

# What the bundle takes from the system rather than carrying it: the C library, and OpenGL, EGL,
# X11's and Wayland's client libraries, which must match the machine's graphics drivers (the
# smoke test lists what the bundle uses from the system); fonts. Printing needs CUPS, and the
# database key is kept in the desktop's keyring (else behind a passphrase).
deb_depends="libc6, libgl1, libegl1, libxcb1, libwayland-client0, libwayland-cursor0, \
libwayland-egl1, fontconfig-config, fonts-dejavu-core | fonts-liberation"
deb_recommends="cups, gnome-keyring | kwalletmanager | keepassxc"

build_packages=(
    # Qt's libraries, to render the icons and for PyInstaller to find every dependency
    libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0
    libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0
    libxcb-image0 libwayland-client0 libwayland-cursor0 libwayland-egl1 libcups2 fonts-dejavu-core
    binutils            # objdump and strip, used by PyInstaller
    dpkg                # dpkg-deb
    desktop-file-utils  # desktop-file-validate
)

step() { printf '\n== %s\n' "$*"; }

source "$(dirname "${BASH_SOURCE[0]}")/../scripts/system-packages.sh"

# PEP 440 to Debian: 1.2.0rc1 -> 1.2.0~rc1, 1.2.0.dev3 -> 1.2.0~dev3 (sorts before 1.2.0).
debian_version() { sed -E 's/\.?(a|b|rc|dev)([0-9]+)/~\1\2/g' <<<"$1"; }

step "System packages"
install_system_packages "${build_packages[@]}"

step "Build environment ($venv)"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip -q --disable-pip-version-check)
"${pip[@]}" install --upgrade pip
rm -rf build/lib build/bdist.*  # setuptools' staging copy: stale modules there would be bundled
"${pip[@]}" install --upgrade ".[package]"
"${pip[@]}" install --no-deps --force-reinstall .  # this checkout, even at an unchanged version
rm -rf build/lib build/bdist.*
version=$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("facilitator"))')
echo "Facilitator $version"

step "Icons ($icons)"
"$venv/bin/python" installer/make_icons.py "$icons"

step "Bundle ($bundle)"
rm -rf "$bundle"
"$venv/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller installer/facilitator.spec

step "Tarball"
machine=$(uname -m)
tarball="dist/facilitator-$version-linux-$machine.tar.gz"
tar -C dist --owner=0 --group=0 --transform "s,^facilitator,facilitator-$version," \
    -czf "$tarball" facilitator

step ".deb"
arch=$(dpkg --print-architecture)
deb_version=$(debian_version "$version")
stage="build/deb/facilitator_${deb_version}_$arch"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin"
cp -a "$bundle" "$stage/opt/facilitator"
ln -s /opt/facilitator/facilitator "$stage/usr/bin/facilitator"
install -D -m 644 installer/linux/facilitator.desktop \
    "$stage/usr/share/applications/facilitator.desktop"
for size in 16 24 32 48 64 128 256 512; do
    install -D -m 644 "$icons/png/facilitator-$size.png" \
        "$stage/usr/share/icons/hicolor/${size}x$size/apps/facilitator.png"
done
install -D -m 644 resources/icons/facilitator.svg \
    "$stage/usr/share/icons/hicolor/scalable/apps/facilitator.svg"
installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<EOF
Package: facilitator
Version: $deb_version
Section: misc
Priority: optional
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_size
Depends: $deb_depends
Recommends: $deb_recommends
Homepage: https://facilitator.invalid/
Description: group notes and attendance for intensive outpatient programs
 Facilitator is the tool a clinician keeps open while leading groups in an
 intensive outpatient program for addiction and mental health: the day's
 blocks, attendance with minutes attended, group and participant notes from
 templates, signing, locking and printing the record.
 .
 The application is installed in /opt/facilitator; each user's clinic data
 lives in their own data folder and is never touched by upgrades or removal.
EOF
desktop-file-validate "$stage/usr/share/applications/facilitator.desktop"  # prints hints, fails on errors
deb="dist/facilitator_${deb_version}_$arch.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
rm -rf "$stage"

step "Done in $((SECONDS - started)) s"
printf '%-8s %-48s %s\n' \
    bundle "$bundle/" "$(du -sh "$bundle" | cut -f1) ($(find "$bundle" -type f | wc -l) files)" \
    tarball "$tarball" "$(du -h "$tarball" | cut -f1)" \
    deb "$deb" "$(du -h "$deb" | cut -f1)"
echo "Run it: $bundle/facilitator    Check it: bash installer/smoke-test.sh"
