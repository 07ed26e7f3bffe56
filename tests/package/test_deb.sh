#!/usr/bin/env bash
# The Debian package, for real: built from this build tree by cpack (no
# second compile), installed with dpkg, used from the installed paths
# (an index built by /usr/bin/lede-indexer, served by /usr/sbin/lede-searchd
# with /etc/lede/searchd.conf, searched with /usr/bin/lede, the page at /),
# its man pages read, its conffile kept on reinstall, then purged and
# checked gone. Only as root on Debian, and never over an installed lede.
# test_deb.sh BUILD-DIR GOOD.JSONL
. "$(dirname "$0")/lib.sh"
build=$1 jsonl=$2

skip() {
    echo "skip: $*"
    exit 77
}
[ "$(id -u)" -eq 0 ] || skip "the package test installs into /usr: it runs as root only"
[ -f /etc/debian_version ] && command -v dpkg >/dev/null || skip "not a Debian system with dpkg"
for tool in cpack dpkg-shlibdeps file curl; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/setup.sh installs it)"
done
state=$(dpkg-query -W -f='${db:Status-Abbrev}' lede 2>/dev/null || true)
case "$state" in "" | "un"*) ;; *) skip "a package named lede is installed here ($state); not touching it" ;; esac

WORK=$(cd "$(mktemp -d "${TMPDIR:-/tmp}/lede-test-deb-XXXXXX")" && pwd -P)
installed=
cleanup() {
    kill_searchd
    if [ -n "$installed" ]; then dpkg --purge lede >"$WORK/purge-trap.log" 2>&1 || cat "$WORK/purge-trap.log"; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# Build the package from the build tree.
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$WORK/pkg" >"$WORK/cpack.log" 2>&1 ||
    { cat "$WORK/cpack.log"; fail "cpack"; }
deb=$(ls "$WORK"/pkg/lede_*.deb)
dpkg-deb -f "$deb" Depends | grep -q "libxapian" || fail "Depends has no libxapian (dpkg-shlibdeps)"
echo "ok   built $(basename "$deb") (${SECONDS}s)"

installed=yes
dpkg -i "$deb" </dev/null >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; fail "dpkg -i"; }
[ "$(/usr/sbin/lede-searchd --version | cut -d' ' -f1-2)" = "lede-searchd $version" ] ||
    fail "/usr/sbin/lede-searchd --version: $(/usr/sbin/lede-searchd --version)"
getent passwd lede >/dev/null || fail "no lede user"
[ "$(stat -c %U /var/lib/lede)" = lede ] || fail "/var/lib/lede is not lede's"
dpkg-query -W -f='${Conffiles}\n' lede | grep -q "/etc/lede/searchd.conf" || fail "searchd.conf is no conffile"
grep -qx "db = /var/lib/lede/index" /etc/lede/searchd.conf || fail "/etc/lede/searchd.conf: db"
echo "ok   installed: --version, lede user, /var/lib/lede, conffile (${SECONDS}s)"

/usr/bin/lede-indexer --db "$WORK/idx" --quiet "$jsonl"
start_searchd "$WORK/searchd.log" /usr/sbin/lede-searchd --config /etc/lede/searchd.conf \
    -o "db=$WORK/idx" -o listen=127.0.0.1:0 -o http_listen=127.0.0.1:0
grep -qF "page from /usr/share/lede/web" "$WORK/searchd.log" || fail "the page is not /usr/share/lede/web"
check_serving /usr/bin/lede /usr/share/lede/web desalination g1
stop_searchd

# The unit as a service manager runs it: its ExecStart as its User, with
# $NOTIFY_SOCKET (READY=1, STOPPING=1), its ExecReload, a SIGTERM stop; the
# installed configuration serving the index at /var/lib/lede/index, built
# by the lede user. Only the ports are changed (0: free ones).
unit=/usr/lib/systemd/system/lede-searchd.service
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
user=$(sed -n 's/^User=//p' "$unit")
install -o lede -m 0640 "$jsonl" /var/lib/lede/seed.jsonl
runuser -u "$user" -- /usr/bin/lede-indexer --db /var/lib/lede/index --quiet /var/lib/lede/seed.jsonl ||
    fail "lede-indexer as $user into /var/lib/lede/index"
rm -f /var/lib/lede/seed.jsonl
sed -i 's/^listen = .*/listen = 127.0.0.1:0/; s/^http_listen = .*/http_listen = 127.0.0.1:0/' /etc/lede/searchd.conf
notify_dir=$(mktemp -d /tmp/lede-notify-XXXXXX)
chmod 0755 "$notify_dir"
python3 - "$notify_dir/sock" "$WORK/notify.log" <<'PY' &
import socket, sys, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o777)
s.settimeout(60)
with open(sys.argv[2], "a", buffering=1) as log:
    for _ in range(2):
        log.write(s.recv(4096).decode() + "\n")
PY
listener=$!
for _ in $(seq 50); do [ -S "$notify_dir/sock" ] && break; sleep 0.1; done
# shellcheck disable=SC2086 # ExecStart is words, as systemd splits them
start_searchd "$WORK/unit.log" runuser -u "$user" -- env NOTIFY_SOCKET="$notify_dir/sock" $exec_start
wait_log "$WORK/notify.log" "READY=1"
check_serving /usr/bin/lede /usr/share/lede/web desalination g1
searchd_pid=$(pgrep -u "$user" -f "^/usr/sbin/lede-searchd" | head -1)
[ -n "$searchd_pid" ] || fail "no lede-searchd running as $user"
kill -HUP "$searchd_pid" # ExecReload
wait_log "$WORK/unit.log" "SIGHUP: reopening the index"
kill -TERM "$searchd_pid"
wait_log "$WORK/notify.log" "STOPPING=1"
wait "$SEARCHD_PID" || fail "the unit's lede-searchd did not exit 0"
SEARCHD_PID=
wait "$listener" || true
rm -rf "$notify_dir"
echo "ok   the unit: ExecStart as $user, READY=1, a search, ExecReload, STOPPING=1, exit 0 (${SECONDS}s)"

if [ ! -f /usr/share/man/man1/lede.1 ]; then
    echo "skip: man pages (dpkg is set to leave /usr/share/man out here)"
elif command -v man >/dev/null; then
    MANWIDTH=80 man -M /usr/share/man -P cat 1 lede 2>/dev/null | grep -q "search a lede index" || fail "man lede"
    MANWIDTH=80 man -M /usr/share/man -P cat 8 lede-searchd 2>/dev/null | grep -q "SIGUSR1" ||
        fail "man lede-searchd"
    echo "ok   man lede, man 8 lede-searchd"
elif command -v mandoc >/dev/null; then
    mandoc -T ascii /usr/share/man/man1/lede.1 | grep -q "search a lede index" || fail "mandoc lede.1"
    echo "ok   mandoc lede.1"
else
    echo "skip: no man or mandoc to read the man pages"
fi

# A reinstall (an upgrade to the same version) keeps an edited conffile.
echo "# edited by test_deb" >>/etc/lede/searchd.conf
dpkg -i "$deb" </dev/null >"$WORK/reinstall.log" 2>&1 || { cat "$WORK/reinstall.log"; fail "dpkg -i again"; }
grep -qx "# edited by test_deb" /etc/lede/searchd.conf || fail "the edited searchd.conf was replaced"
echo "ok   reinstall keeps /etc/lede/searchd.conf (${SECONDS}s)"

dpkg --purge lede </dev/null >"$WORK/purge.log" 2>&1 || { cat "$WORK/purge.log"; fail "dpkg --purge"; }
installed=
for f in /usr/sbin/lede-searchd /usr/bin/lede /usr/bin/lede-indexer /usr/share/lede /etc/lede \
    /etc/logrotate.d/lede-searchd /usr/lib/systemd/system/lede-searchd.service \
    /usr/lib/sysusers.d/lede.conf /usr/share/man/man1/lede.1 /var/lib/lede; do
    [ ! -e "$f" ] || fail "still there after the purge: $f"
done
echo "ok   purged: the files are gone (${SECONDS}s)"
echo "1 passed, 0 failed"
