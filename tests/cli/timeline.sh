# CLI tests: --timeline=FILE.svg (the run drawn as an SVG), and the SVGs
# (the timeline and the sweep's chart) read by xmllint and drawn by a
# real browser.
. tests/lib.sh

# 3 primes and 3 composites, each a millisecond or so or less; the
# costly composite (1000003 x 1000033) gives its colour a bar of size.
small="1000000000039 999999999989 1000036000099 12 13 4444444444444444"

# jobs FILE: the job bars drawn in FILE.
jobs() {
	grep -c '<rect class="\(prime\|composite\|stopped\)"' "$1"
}

# lanes FILE: the lane names drawn, one line each.
lanes() {
	sed -n 's/.*<text [^>]*class="lane">\([^<]*\)<.*/\1/p' "$1" |
		tr '\n' ',' | sed 's/,$//'
}

# well_formed DESC FILE: xmllint reads it, or a skip that says why.
well_formed() {
	if command -v xmllint >/dev/null 2>&1; then
		check "$1: well-formed (xmllint)" xmllint --noout "$2"
	else
		pass "$1: well-formed # SKIP xmllint not found (Debian: apt-get install libxml2-utils)"
	fi
}

# --- the three pools, drawn ---
run primes --threads=2 --gil --timeline="$T/gil.svg" $small
is "--threads --gil: exit 0" "$status" 0
empty "--threads --gil: stderr quiet" "$T/err"
is "--threads --gil: stdout as without --timeline (8 lines)" \
	"$(wc -l <"$T/out" | tr -d ' ')" 8
is "--threads --gil: the parent's lane and one per worker" \
	"$(lanes "$T/gil.svg")" "parent,worker 0,worker 1"
is "--threads --gil: a bar per number" "$(jobs "$T/gil.svg")" 6
is "--threads --gil: 3 primes" \
	"$(grep -c '<rect class="prime"' "$T/gil.svg")" 3
like "--threads --gil: GIL strips" "$T/gil.svg" '^<g class="gil"'
check "--threads --gil: some drawn" \
	sh -c "sed -n '/^<g class=\"gil\"/,/^<\\/g>/p' '$T/gil.svg' | grep -q '<rect'"
like "--threads --gil: the caption's command line" "$T/gil.svg" \
	'>\$ concdemo primes --threads=2 --gil --timeline=.* 4444444444444444</text>'
is "--threads --gil: ends with </svg>" "$(tail -n 1 "$T/gil.svg")" "</svg>"
is "--threads --gil: no temporary file left" \
	"$(ls -A "$T" | grep -c '^\.gil\.svg\.')" 0
well_formed "--threads --gil" "$T/gil.svg"

run primes --procs=2 --timeline="$T/procs.svg" --trace="$T/procs.json" $small
is "--procs with --trace: exit 0" "$status" 0
is "--procs: the parent and two workers" "$(lanes "$T/procs.svg")" \
	"parent,worker 0,worker 1"
is "--procs: a bar per number" "$(jobs "$T/procs.svg")" 6
check "--procs: no GIL" [ "$(grep -c 'holds the GIL' "$T/procs.svg")" -eq 0 ]
check "--procs: the trace written too" [ -s "$T/procs.json" ]
well_formed "--procs" "$T/procs.svg"

run primes --timeline="$T/seq.svg" $small
is "sequential: exit 0" "$status" 0
is "sequential: one lane" "$(lanes "$T/seq.svg" | tr -cd , | wc -c | tr -d ' ')" 0
is "sequential: a bar per number" "$(jobs "$T/seq.svg")" 6

# --- a worker killed: a cross where it died, every number still drawn ---
if robust_here; then
	# Three numbers three times: each worker is busy for ~0.6 s (here),
	# so the kill 0.1 s in finds it mid-job even on a loaded machine.
	three="100000000000000003 100000000000000013 100000000000000019"
	slow="$three $three $three"
	kill_worker 0.1 --timeline="$T/kill.svg" $slow
	is "kill -9 a worker: exit 0" "$?" 0
	is "kill -9 a worker: one death drawn" \
		"$(grep -c '<path class="death"' "$T/kill.svg")" 1
	is "kill -9 a worker: every number's bar" "$(jobs "$T/kill.svg")" 9
	like "kill -9 a worker: in the legend" "$T/kill.svg" '>worker died</text>'
else
	for i in 1 2 3 4; do
		pass "# SKIP kill -9 of a worker: no robust mutexes on $(uname -s)"
	done
fi

# --- past 64 lanes: 64 drawn, the rest said ---
run primes --threads=70 --timeline="$T/many.svg" 7 11
is "--threads=70: exit 0" "$status" 0
is "--threads=70: 64 lanes drawn" \
	"$(grep -c 'class="lane"' "$T/many.svg")" 64
like "--threads=70: the picture says what it left out" "$T/many.svg" \
	'>64 of 71 lanes drawn; left out: 7 lanes and [0-9]+ events?</text>'

# --- the spinner: a frozen loop has no frame; a napping one has ---
# (block: 0.3 s; nap: a prime near 10^17, ~0.25 s of slices)
run spinner --model=coroutine --work=block --delay=0.3 --spin=always \
	--timeline="$T/block.svg"
is "spinner block: exit 0" "$status" 0
like "spinner block: the blocking call drawn" "$T/block.svg" \
	'<title>blocking call</title>'
is "spinner block: no frame" \
	"$(sed -n '/^<g class="frames"/,/^<\/g>/p' "$T/block.svg" | grep -c '<line')" 0
well_formed "spinner block" "$T/block.svg"
run spinner --model=coroutine --work=nap --number=100000000000000003 \
	--spin=always --timeline="$T/nap.svg"
is "spinner nap: exit 0" "$status" 0
like "spinner nap: the steps drawn" "$T/nap.svg" '<title>step( \(|<)'
check "spinner nap: frames between the slices" [ \
	"$(sed -n '/^<g class="frames"/,/^<\/g>/p' "$T/nap.svg" | grep -c '<line')" -ge 1 ]
usage_error "spinner --timeline=" spinner --timeline=
run spinner --delay=0 --timeline="$T/nodir/x.svg"
is "spinner --timeline in a missing folder: exit 1" "$status" 1
empty "spinner --timeline in a missing folder: no work (stdout empty)" "$T/out"

# --- bad values: exit 2; unwritable files: exit 1 before any work ---
usage_error "--timeline=" primes --timeline= 7
unwritable primes --timeline --threads=2 7

# --- Ctrl-C: what ran is drawn, the jobs cut short in grey ---
"$TOOLS/ptyrun" -p -o "$T/tty" -c 300 -g 1000 -t 20000 -- "$CONCDEMO" \
	primes --threads=2 --timeline="$T/int.svg" 18446744073709551557 \
	18446744073709551557
is "Ctrl-C: exit 130" "$?" 130
is "Ctrl-C: the picture written" "$(tail -n 1 "$T/int.svg" 2>/dev/null)" \
	"</svg>"
is "Ctrl-C: both jobs, cut short" \
	"$(grep -c '<rect class="stopped"' "$T/int.svg" 2>/dev/null)" 2

# --- a real browser draws both SVGs: not blank, the lanes' colours ---
# One launch per make test, about 1.5 s; not under the sanitizers (the
# browser tests the pictures, not the program, and make sanitize runs
# the suite twice more).  The page draws each SVG into a canvas and
# counts its pixels near each colour (--allow-file-access-from-files
# keeps the canvas readable); --dump-dom prints the counts.
browser=""
for b in chromium chromium-headless-shell chromium-browser google-chrome; do
	if command -v "$b" >/dev/null 2>&1; then
		browser=$b
		break
	fi
done
why=""
[ -n "$browser" ] || why="no chromium (Debian: apt-get install chromium or chromium-headless-shell)"
[ -z "${SANITIZER:-}" ] || why="not under a sanitizer (run once, by make test)"
# (CONCDEMO_NO_BROWSER=1: a CI that runs make test with several compilers
# can draw the pictures in one of them only)
[ -z "${CONCDEMO_NO_BROWSER:-}" ] || why="CONCDEMO_NO_BROWSER is set"
run sweep --max=2 --runs=1 --svg="$T/chart.svg" 7 11
well_formed "sweep chart" "$T/chart.svg"
if [ -n "$why" ]; then
	for c in 1 2 3 4 5; do pass "browser check $c # SKIP $why"; done
else
	sed 's/^\t//' >"$T/page.html" <<'EOF'
	<!DOCTYPE html>
	<html><head><meta charset="utf-8"><title>check</title></head><body>
	<pre id="r">PENDING</pre>
	<script>
	var want = {prime: [44, 160, 44], composite: [31, 119, 180],
		    gil: [255, 127, 14]};
	var files = ["gil.svg", "chart.svg"], lines = [], left = files.length;
	function near(d, i, c) {
		return Math.abs(d[i] - c[0]) <= 8 &&
		       Math.abs(d[i + 1] - c[1]) <= 8 &&
		       Math.abs(d[i + 2] - c[2]) <= 8;
	}
	function measure(name, img) {
		var c = document.createElement("canvas"), g, d, i, k, ink = 0;
		var n = {}, s;
		c.width = img.naturalWidth;
		c.height = img.naturalHeight;
		g = c.getContext("2d");
		g.drawImage(img, 0, 0);
		d = g.getImageData(0, 0, c.width, c.height).data;
		for (k in want)
			n[k] = 0;
		for (i = 0; i < d.length; i += 4) {
			if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)
				ink++;
			for (k in want)
				if (near(d, i, want[k]))
					n[k]++;
		}
		s = "DRAWN " + name + " px=" + (c.width * c.height) +
		    " ink=" + ink;
		for (k in want)
			s += " " + k + "=" + n[k];
		return s;
	}
	function done(line) {
		lines.push(line);
		if (--left == 0)
			document.getElementById("r").textContent =
				lines.sort().join("\n");
	}
	files.forEach(function (f) {
		var img = new Image();
		img.onload = function () {
			try { done(measure(f, img)); }
			catch (e) { done("FAILED " + f + " " + e); }
		};
		img.onerror = function () { done("FAILED " + f + " not drawn"); };
		img.src = f;
	});
	</script></body></html>
EOF
	"$TOOLS/ptyrun" -t 60000 -- sh -c "exec '$browser' --headless \
		--no-sandbox --disable-gpu --no-first-run \
		--allow-file-access-from-files --user-data-dir='$T/profile' \
		--virtual-time-budget=10000 --dump-dom 'file://$T/page.html' \
		>'$T/dom' 2>'$T/browser.err'"
	is "browser: $browser ran" "$?" 0
	sed -n 's/^\(<pre id="r">\)\{0,1\}\(DRAWN\|FAILED\)/\2/p' "$T/dom" |
		sed 's,</pre>.*,,' >"$T/drawn"
	grep FAILED "$T/drawn" | sed 's/^/# /'
	# field NAME KEY: a count from the line of NAME (0 if none)
	field() {
		v=$(sed -n "/^DRAWN $1 /s/.* $2=\([0-9]*\).*/\1/p" "$T/drawn")
		echo "${v:-0}"
	}
	# above A B [A B ...]: every A above its B
	above() {
		while [ $# -ge 2 ]; do
			[ "$1" -gt "$2" ] || return 1
			shift 2
		done
	}
	px=$(field gil.svg px) ink=$(field gil.svg ink)
	check "browser: the timeline drawn, not blank ($ink of $px px)" \
		above "$ink" $((px / 50))
	p=$(field gil.svg prime) c=$(field gil.svg composite) g=$(field gil.svg gil)
	# (more than the legend's swatches: 216 px a verdict, 72 the GIL)
	check "browser: the timeline's colours (prime $p, composite $c, GIL $g px)" \
		above "$p" 300 "$c" 300 "$g" 100
	px=$(field chart.svg px) ink=$(field chart.svg ink)
	check "browser: the sweep chart drawn, not blank ($ink of $px px)" \
		above "$ink" $((px / 100))
	c=$(field chart.svg composite) p=$(field chart.svg prime)
	check "browser: the chart's median and ideal lines ($c, $p px)" \
		above "$c" 50 "$p" 10
fi

done_testing
