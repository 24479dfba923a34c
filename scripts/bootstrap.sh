#!/usr/bin/env bash
# Sets up everything Facilitator needs on Debian/Ubuntu: system libraries for Qt, a virtual
# environment in .venv and the package itself. Safe to run again; it only does what is missing.
# Usage: scripts/bootstrap.sh [runtime|dev]
set -euo pipefail

profile=${1:-runtime}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="$root/.venv"

runtime_packages=(
    python3-venv libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
    libxcb-render-util0 libxcb-image0 fonts-dejavu-core
)
# gnome-keyring + dbus: a real Secret Service for the keyring tests (scripts/test.sh starts it).
# cups + printer-driver-cups-pdf (Debian 12's cups-pdf): a real print queue for the printing
# test, which starts cupsd and adds the queue; tesseract reads back what was printed.
# util-linux (mount, findmnt) and e2fsprogs (mkfs.ext4): the full-disk and read-only-drive tests
# mount small file systems (as root; they skip otherwise).
# postgresql: the tests on the clinic-server back end start a throwaway cluster of their own
# (tests/postgres_cluster.py; the Debian service it installs is not used).
dev_packages=(xvfb poppler-utils gnome-keyring dbus libsecret-tools
    cups cups-client printer-driver-cups-pdf tesseract-ocr tesseract-ocr-eng
    util-linux mount e2fsprogs postgresql)

source "$(dirname "${BASH_SOURCE[0]}")/system-packages.sh"

packages=("${runtime_packages[@]}")
[ "$profile" = dev ] && packages+=("${dev_packages[@]}")
# python3-venv is only needed where the interpreter lacks ensurepip (Debian's system python).
python3 -c "import ensurepip" 2>/dev/null && packages=("${packages[@]/python3-venv}")
install_system_packages "${packages[@]}"

if [ ! -x "$venv/bin/python" ]; then
    echo "Creating the virtual environment in $venv"
    python3 -m venv "$venv"
fi
extra=""
[ "$profile" = dev ] && extra="[dev]"
stamp="$venv/.installed-$profile"
if [ ! -f "$stamp" ] || [ "$root/pyproject.toml" -nt "$stamp" ]; then
    echo "Installing Facilitator and its Python dependencies"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -e "$root$extra"
    touch "$stamp"
fi
