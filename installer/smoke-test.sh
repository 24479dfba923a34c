#!/usr/bin/env bash
# Smoke test of the built Linux bundle, and of the .deb and tarball beside it when present.
#
#     bash installer/build-linux.sh && bash installer/smoke-test.sh [BUNDLE_DIR]
#
# BUNDLE_DIR defaults to dist/facilitator. The frozen app runs off screen (QT_QPA_PLATFORM=
# offscreen) with an empty environment and a throwaway HOME: nothing of the development setup
# (.venv, the user's data folder or keyring, a display) can help it. Each step prints PASS, FAIL
# or TODO (a step whose feature does not exist yet); the script exits 1 if any step failed, and
# also for a TODO when FACILITATOR_SMOKE_STRICT=1 (for releases). It is not part of the default
# test run (scripts/test.sh): building takes minutes; this script takes well under one.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bundle=$(cd "${1:-$root/dist/facilitator}" 2>/dev/null && pwd) || bundle=${1:-$root/dist/facilitator}
exe="$bundle/facilitator"
dist=$(dirname "$bundle")
if [ ! -x "$exe" ]; then
    echo "No bundle at $bundle: build it first with: bash installer/build-linux.sh" >&2
    exit 1
fi
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/pyproject.toml" | head -n 1)
demo_today=2026-11-23
passphrase=smoke-test-passphrase
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" && mkdir -m 700 "$work/run"
passed=0 failed=0 todo=0
signin=()  # FACILITATOR_USER=... FACILITATOR_PASSWORD=... for commands that read records

pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s: %s\n' "$1" "$2"; }
todo() { todo=$((todo + 1)); printf 'TODO  %s: %s\n' "$1" "$2"; }
show() { sed 's/^/      | /' "$@"; }

# frozen NAME ARGS...: run the bundle in a clean environment; output in $work/NAME.out and .err,
# exit code in $status, seconds in $took.
frozen() {
    local name=$1 start=$SECONDS
    shift
    env -i PATH=/usr/bin:/bin HOME="$work/home" XDG_RUNTIME_DIR="$work/run" LANG=C.UTF-8 \
        QT_QPA_PLATFORM=offscreen FACILITATOR_PASSPHRASE="$passphrase" "${signin[@]}" \
        timeout 120 "$@" >"$work/$name.out" 2>"$work/$name.err"
    status=$?
    took=$((SECONDS - start))
}

# check NAME DESCRIPTION EXPECTED_STATUS [PATTERN...]: the last run exited as expected, printed
# every pattern (grep -E on stdout and stderr) and no Python traceback.
check() {
    local name=$1 description=$2 expected=$3
    shift 3
    local output="$work/$name.out" errors="$work/$name.err" problem=""
    if [ "$status" -ne "$expected" ]; then
        problem="exit code $status, expected $expected"
    elif grep -q "Traceback" "$errors"; then
        problem="a Python traceback"
    else
        for pattern in "$@"; do
            grep -Eq -- "$pattern" "$output" "$errors" || { problem="no '$pattern' in its output"; break; }
        done
    fi
    if [ -n "$problem" ]; then
        fail "$description" "$problem"
        show "$output" "$errors"
        return 1
    fi
    pass "$description (${took} s)"
}

is_png() { [ "$(head -c 8 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }

echo "Smoke test of $bundle (Facilitator $version)"

frozen version "$exe" --version
check version "starts and reports its version" 0 "^Facilitator $version\$"

frozen help "$exe" --help
check help "lists its commands" 0 "selftest" "demo"

clinic="$work/clinic"
frozen demo "$exe" --data-dir "$clinic" demo --today "$demo_today"
if check demo "creates a demo clinic in a new data folder (folder made, migrations run)" 0 \
    "Demo clinic created in $clinic: 2 groups, 28 participants" \
    "passphrase-protected key file" "^    admin +[a-z0-9]{4}(-[a-z0-9]{4}){3}$"; then
    header=$(head -c 15 "$clinic/facilitator.db")
    if [ "$header" = "SQLite format 3" ]; then
        fail "the database is encrypted (SQLCipher)" "facilitator.db starts like a plain SQLite file"
    else
        pass "the database is encrypted (SQLCipher)"
    fi
fi

# The demo prints each account's password once; commands that read records sign in with it.
admin_password=$(sed -n 's/^    admin  *//p' "$work/demo.out")
signin=(FACILITATOR_USER=admin FACILITATOR_PASSWORD="wrong-$admin_password")
frozen wrong-password "$exe" --data-dir "$clinic" selftest
check wrong-password "refuses a wrong password, saying so, before showing records" 2 \
    "username or password is not correct"

signin=(FACILITATOR_USER=admin FACILITATOR_PASSWORD="$admin_password")
shot="$work/main-window.png"
frozen selftest "$exe" --data-dir "$clinic" selftest --screenshot "$shot"
if check selftest "opens the demo clinic, draws the main window and prints a page off screen" 0 \
    "^selftest: passed$" "^database schema: ([0-9a-z_]+) \(newest known: \1\)$" \
    "^sqlcipher: SQLCipher " "^clinic: 2 groups" "^icon: drawn$" "^print: 1 page to a PDF file$" "^main window: Facilitator( — .+)?, drawn at"; then
    show "$work/selftest.out"
    if is_png "$shot"; then
        pass "saved the drawn window as a PNG ($(du -h "$shot" | cut -f1))"
    else
        fail "saved the drawn window as a PNG" "$shot is missing or not a PNG"
    fi
fi

signin=()  # an empty clinic has no records to protect: no sign-in
frozen default-folder "$exe" selftest
check default-folder "uses the platform's data folder by default" 0 "^selftest: passed$" \
    "^data folder: $work/home/.local/share/Facilitator$"

touch "$work/a-file"
frozen bad-folder "$exe" --data-dir "$work/a-file" demo
check bad-folder "refuses a data folder that is a file, with a message" 2 "cannot be used"

if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
    mkdir -p "$work/keyring-home" && mkdir -m 700 "$work/keyring-run"
    start=$SECONDS
    # shellcheck disable=SC2016  # expanded by the inner shell
    env -i PATH=/usr/bin:/bin HOME="$work/keyring-home" XDG_RUNTIME_DIR="$work/keyring-run" \
        LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen timeout 120 dbus-run-session -- bash -c '
            echo -n smoke | gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
            demo=$("$1" --data-dir "$2" demo --today "$3") && printf "%s\n" "$demo" &&
            FACILITATOR_USER=admin \
            FACILITATOR_PASSWORD=$(printf "%s\n" "$demo" | sed -n "s/^    admin  *//p") \
            "$1" --data-dir "$2" selftest' \
        keyring-session "$exe" "$work/keyring-clinic" "$demo_today" \
        >"$work/keyring.out" 2>"$work/keyring.raw"
    status=$?
    grep -v "^dbus-daemon\|^dbus\[" "$work/keyring.raw" >"$work/keyring.err"
    took=$((SECONDS - start))
    check keyring "keeps the key in the Secret Service (gnome-keyring, private D-Bus session)" 0 \
        "kept in the system keyring \(.*SecretService" "^key kept in: the system keyring$" \
        "^selftest: passed$"
else
    todo "keeps the key in the Secret Service" "not run: needs dbus-run-session and gnome-keyring-daemon"
fi

# A session record of a past demo day, exported as the group's lead: the bundled fonts, the Part
# 2 notice, the PDF signature with the clinician's key, then `verify` against the records.
lead_password=$(sed -n 's/^    mreyes  *//p' "$work/demo.out")
saved_signin=("${signin[@]}")
signin=(FACILITATOR_USER=mreyes FACILITATOR_PASSWORD="$lead_password")
pdf="$work/session-record.pdf"
frozen export "$exe" --data-dir "$clinic" export session --group "Adult IOP Morning" \
    --date 2026-11-19 --out "$pdf"
signin=("${saved_signin[@]}")
if check export "exports a signed session record as a PDF" 0 \
    "^Exported session record \([0-9]+ pages?, signed with your key\) to $pdf"; then
    if [ "$(head -c 5 "$pdf")" != "%PDF-" ]; then
        fail "the export is a PDF file" "$pdf does not start with %PDF-"
    elif command -v pdftotext >/dev/null && ! pdftotext "$pdf" - | tr -s ' \n' ' ' \
        | grep -q "protected by Federal confidentiality rules (42 CFR part 2)"; then
        fail "the PDF's text holds the 42 CFR Part 2 notice" "pdftotext does not find it"
    else
        pass "the export is a PDF file with the Part 2 notice in its text ($(du -h "$pdf" | cut -f1))"
    fi
    frozen verify "$exe" --data-dir "$clinic" verify "$pdf"
    check verify "verifies the exported PDF: signature and notes match the clinic's records" 0 \
        "^Signature: valid" "^Result: VALID"
fi

# Every library the bundle's programs and plugins link to is either bundled or on the system.
: >"$work/libraries"
missing=""
while IFS= read -r -d '' file; do
    LD_LIBRARY_PATH="$bundle/_internal:$bundle/_internal/PySide6/Qt/lib" ldd "$file" 2>/dev/null \
        >"$work/ldd" || continue
    grep -q "not found" "$work/ldd" && missing+="$(basename "$file"): $(grep "not found" "$work/ldd" | tr -s ' \t' ' ')"$'\n'
    awk '/=> \// {print $3}' "$work/ldd" | grep -v "^$bundle/" >>"$work/libraries"
done < <(find "$bundle" -type f \( -name "*.so*" -o -name facilitator \) -print0)
system_libraries=$(sort -u "$work/libraries" | xargs -r -n1 basename | tr '\n' ' ')
if [ -n "$missing" ]; then
    fail "every library the bundle links to is present" "missing:"
    printf '%s' "$missing" | show
else
    pass "every library the bundle links to is present; from the system: $system_libraries"
fi

deb=$(ls "$dist"/facilitator_*.deb 2>/dev/null | tail -n 1)
if [ -n "$deb" ]; then
    dpkg-deb -c "$deb" >"$work/deb-contents" && dpkg-deb -f "$deb" Depends >"$work/deb-depends"
    problem=""
    for path in ./opt/facilitator/facilitator ./usr/bin/facilitator \
        ./usr/share/applications/facilitator.desktop \
        ./usr/share/icons/hicolor/256x256/apps/facilitator.png \
        ./usr/share/icons/hicolor/scalable/apps/facilitator.svg; do
        grep -q " $path\( \|$\)" "$work/deb-contents" || problem+="no $path; "
    done
    # The system libraries' Debian packages, each named in Depends or depended on by one there.
    if command -v dpkg-query >/dev/null; then
        depends=$(tr ',|' '\n\n' <"$work/deb-depends" | awk '{print $1}')
        provided=$depends
        for package in $depends; do
            provided+=$'\n'$(dpkg-query -W -f='${Depends}' "$package" 2>/dev/null | tr ',|' '\n\n' | awk '{print $1}')
        done
        for library in $(sort -u "$work/libraries"); do
            package=$(dpkg -S "$(readlink -f "$library")" 2>/dev/null | head -n 1 | cut -d: -f1)
            [ -z "$package" ] || grep -qx "$package" <<<"$provided" || problem+="$package (for $(basename "$library")) is not in Depends; "
        done
    fi
    mkdir "$work/deb" && dpkg-deb -x "$deb" "$work/deb"
    frozen deb-version "$work/deb/opt/facilitator/facilitator" --version
    [ "$status" -eq 0 ] && grep -qx "Facilitator $version" "$work/deb-version.out" \
        || problem+="/opt/facilitator/facilitator --version failed; "
    if command -v desktop-file-validate >/dev/null; then
        desktop-file-validate "$work/deb/usr/share/applications/facilitator.desktop" >"$work/desktop" \
            || problem+="desktop-file-validate: $(grep -v hint: "$work/desktop" | tr '\n' ' '); "
    fi
    grep -qx "StartupWMClass=facilitator" "$work/deb/usr/share/applications/facilitator.desktop" \
        || problem+="the .desktop entry lacks StartupWMClass=facilitator; "
    if [ -n "$problem" ]; then
        fail "the .deb ($(basename "$deb"))" "$problem"
    else
        pass "the .deb: menu entry, icons, /usr/bin link, Depends cover the system libraries, runs from /opt"
    fi
else
    todo "the .deb" "not found in $dist (installer/build-linux.sh makes it)"
fi

tarball=$(ls "$dist"/facilitator-*-linux-*.tar.gz 2>/dev/null | tail -n 1)
if [ -n "$tarball" ]; then
    mkdir "$work/tar" && tar -C "$work/tar" -xzf "$tarball"
    frozen tar-version "$work/tar/facilitator-$version/facilitator" --version
    check tar-version "the tarball unpacks to facilitator-$version/ and runs" 0 "^Facilitator $version\$"
else
    todo "the tarball" "not found in $dist (installer/build-linux.sh makes it)"
fi

echo
echo "Bundle size: $(du -sh "$bundle" | cut -f1) in $(find "$bundle" -type f | wc -l) files ($bundle)"
for package in "$deb" "$tarball"; do
    [ -n "$package" ] && echo "             $(du -h "$package" | cut -f1) $(basename "$package")"
done
echo "Passed $passed, failed $failed, not yet available $todo."
if [ "$failed" -gt 0 ] || { [ "$todo" -gt 0 ] && [ "${FACILITATOR_SMOKE_STRICT:-0}" = 1 ]; }; then
    exit 1
fi
exit 0
