#!/bin/sh
# Install the Debian packages Xinfang needs, if any are missing.
# Used by `make run` and `make check`; safe to run again.
# `deps.sh check` (make check) adds Debian's chromium and a CJK font for the browser tests.
# `deps.sh fuzz` (make fuzz) adds clang and its libFuzzer runtime.
# `deps.sh bench` adds what only the benchmarks need: PostgreSQL with pg_trgm
# (postgresql, postgresql-contrib) and libpq for bench/text (make -C bench text);
# the benchmark runs its own throw-away cluster in /tmp, never a system one.
set -e
PKGS="gcc make pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev libssl-dev libicu-dev libcriterion-dev sqlite3 nodejs npm"
if [ "$1" = "check" ]; then
	PKGS="$PKGS chromium fonts-noto-cjk"
fi
if [ "$1" = "fuzz" ]; then
	# a clang that links libFuzzer will do; else Debian's clang and its runtime (libFuzzer, ASan)
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n; }\n' |
		"${FUZZ_CC:-clang}" -fsanitize=fuzzer -x c - -o /dev/null 2>/dev/null ||
		PKGS="$PKGS clang libclang-rt-dev"
fi
if [ "$1" = "bench" ]; then
	PKGS="$PKGS postgresql postgresql-contrib libpq-dev"
fi
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# node may come from elsewhere than Debian (it does on the build machines)
if command -v node >/dev/null 2>&1; then
	missing=$(echo "$missing" | sed 's/ nodejs//')
fi
if command -v npm >/dev/null 2>&1; then
	missing=$(echo "$missing" | sed 's/ npm//')
fi
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
