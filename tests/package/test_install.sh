#!/usr/bin/env bash
# `cmake --install` into a temporary prefix: every file in its place, the
# configuration kept when it is already there, /etc for the prefix /usr,
# the unit naming the installed daemon (and passing `systemd-analyze
# verify` where there is one), and the installed programs serving an
# index and the installed page. test_install.sh BUILD-DIR GOOD.JSONL
. "$(dirname "$0")/lib.sh"
build=$1 jsonl=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(cd "$(mktemp -d "${TMPDIR:-/tmp}/lede-test-install-XXXXXX")" && pwd -P)
trap 'kill_searchd; rm -rf "$WORK"' EXIT
P=$WORK/prefix

cmake --install "$build" --prefix "$P" >"$WORK/install.log" || { cat "$WORK/install.log"; fail "cmake --install"; }
for f in bin/lede bin/lede-indexer sbin/lede-searchd share/lede/web/index.html share/lede/web/app.js \
    etc/lede/searchd.conf etc/logrotate.d/lede-searchd lib/systemd/system/lede-searchd.service \
    lib/sysusers.d/lede.conf share/man/man1/lede.1 share/man/man1/lede-indexer.1 \
    share/man/man5/searchd.conf.5 share/man/man8/lede-searchd.8; do
    [ -f "$P/$f" ] || fail "not installed: $f"
done
for f in bin/lede bin/lede-indexer sbin/lede-searchd; do [ -x "$P/$f" ] || fail "not executable: $f"; done
echo "ok   files in place"

# The installed configuration is conf/searchd.conf with the packaged db.
diff "$src/conf/searchd.conf" "$P/etc/lede/searchd.conf" >"$WORK/conf.diff" || true
[ "$(grep -c '^[<>]' "$WORK/conf.diff")" -eq 2 ] || { cat "$WORK/conf.diff"; fail "searchd.conf differs by more than db"; }
grep -qx '> db = /var/lib/lede/index' "$WORK/conf.diff" || fail "installed db is not /var/lib/lede/index"
grep -qx "ExecStart=$P/sbin/lede-searchd --config $P/etc/lede/searchd.conf" \
    "$P/lib/systemd/system/lede-searchd.service" || fail "the unit's ExecStart"
echo "ok   searchd.conf and the unit"

# An operator's configuration survives a second install.
echo "max_limit = 42" >>"$P/etc/lede/searchd.conf"
cmake --install "$build" --prefix "$P" >"$WORK/install2.log"
grep -qx "max_limit = 42" "$P/etc/lede/searchd.conf" || fail "searchd.conf was overwritten"
grep -q "Keeping: $P/etc/lede/searchd.conf" "$WORK/install2.log" || fail "no 'Keeping' message"
echo "ok   an edited searchd.conf is kept"

# The prefix /usr puts the configuration in /etc (staged with DESTDIR).
DESTDIR=$WORK/stage cmake --install "$build" --prefix /usr >"$WORK/stage.log"
[ -f "$WORK/stage/etc/lede/searchd.conf" ] || fail "prefix /usr: no /etc/lede/searchd.conf"
[ -f "$WORK/stage/etc/logrotate.d/lede-searchd" ] || fail "prefix /usr: no /etc/logrotate.d/lede-searchd"
grep -qx "ExecStart=/usr/sbin/lede-searchd --config /etc/lede/searchd.conf" \
    "$WORK/stage/usr/lib/systemd/system/lede-searchd.service" || fail "prefix /usr: ExecStart"
echo "ok   prefix /usr: /etc/lede/searchd.conf"

if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify --man=no "$P/lib/systemd/system/lede-searchd.service" >"$WORK/verify.log" 2>&1 ||
        { cat "$WORK/verify.log"; fail "systemd-analyze verify"; }
    [ ! -s "$WORK/verify.log" ] || { cat "$WORK/verify.log"; fail "systemd-analyze verify warned"; }
    echo "ok   systemd-analyze verify"
else
    echo "skip: systemd-analyze verify (no systemd-analyze)"
fi

# The installed programs, with the installed configuration and page.
"$P/bin/lede-indexer" --db "$WORK/idx" --quiet "$jsonl"
start_searchd "$WORK/searchd.log" "$P/sbin/lede-searchd" --config "$P/etc/lede/searchd.conf" \
    --db "$WORK/idx" --listen 127.0.0.1:0 -o http_listen=127.0.0.1:0
grep -qF "page from $P/share/lede/web" "$WORK/searchd.log" || fail "the page is not the installed one"
check_serving "$P/bin/lede" "$P/share/lede/web" desalination g1
stop_searchd
echo "1 passed, 0 failed"
