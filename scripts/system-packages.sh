# Sourced by the setup and build scripts: install_system_packages PACKAGE... installs, with apt-get
# (through sudo when not root), those of the named Debian packages that are not installed yet.

install_system_packages() {
    command -v dpkg-query >/dev/null || {
        echo "Not a Debian system: install the equivalents of these yourself: $*" >&2
        return
    }
    local missing=()
    for package in "$@"; do
        [ -n "$package" ] || continue
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "Please install as root: ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    echo "Installing system packages: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}
