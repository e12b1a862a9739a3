#!/usr/bin/env bash
# End-to-end benchmark through the command line, on corpora shaped like
# months of coverage of one topic (../shared/tools/gencorpus.py): for each
# size, import, analyze, align --json, propagation --json and propagation
# (the text summary: reading and tracing without writing the JSON), each
# first with --fresh (a new trace, then kept) and then as a researcher's
# next call finds it (the kept trace read back), timed
# with /usr/bin/time (wall
# seconds and peak resident memory), REPEAT times, reporting the median;
# plus the project's size against the imported text and the largest
# cluster. Corpora are generated once into $BENCH_DIR and reused.
#
#   make bench-cli                      # 1000 4000 16000, 3 runs each
#   make bench-cli SIZES="16000 100000" REPEAT=1
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"1000 4000 16000"}
REPEAT=${REPEAT:-3}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/parallax-bench}
BIN=${BIN:-./parallax}
GEN=../shared/tools/gencorpus.py
[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 1; }
[ -f "$GEN" ] || { echo "missing $GEN" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed to generate the corpora" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed: apt-get install -y time" >&2; exit 1; }
mkdir -p "$BENCH_DIR"
# Kept propagation traces go beside the corpora, not in the user's cache.
export XDG_CACHE_HOME="$BENCH_DIR/cache"

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# timed LABEL CMD...: runs CMD, appends "seconds peak-KiB" to $BENCH_DIR/LABEL.
timed() {
	local label=$1; shift
	/usr/bin/time -f "%e %M" -o "$BENCH_DIR/.time" "$@"
	cat "$BENCH_DIR/.time" >> "$BENCH_DIR/$label"
}

printf '%-7s %-22s %10s %10s %11s %10s %9s %8s %12s\n' articles step "wall s" "peak MiB" "text MiB" "proj MiB" "×text" passages "largest"
for n in $SIZES; do
	corpus="$BENCH_DIR/corpus-$n"
	if [ ! -f "$corpus/.done" ]; then
		rm -rf "$corpus"
		python3 "$GEN" "$n" "$corpus" 1 >/dev/null
		touch "$corpus/.done"
	fi
	text=$(find "$corpus" -name '*.txt' -print0 | xargs -0 cat | wc -c)
	steps="import analyze align propagation-fresh propagation-text-fresh propagation propagation-text"
	for step in $steps; do rm -f "$BENCH_DIR/$step-$n"; done
	for _ in $(seq "$REPEAT"); do
		proj="$BENCH_DIR/bench-$n.parallax"
		rm -f "$proj" "$proj-wal" "$proj-shm"
		timed "import-$n" "$BIN" import --project "$proj" "$corpus" >/dev/null
		timed "analyze-$n" "$BIN" analyze --json --project "$proj" > "$BENCH_DIR/analyze-$n.json"
		timed "align-$n" "$BIN" align --json --project "$proj" >/dev/null
		timed "propagation-fresh-$n" "$BIN" propagation --json --fresh --project "$proj" >/dev/null
		timed "propagation-text-fresh-$n" "$BIN" propagation --fresh --project "$proj" >/dev/null
		timed "propagation-$n" "$BIN" propagation --json --project "$proj" >/dev/null
		timed "propagation-text-$n" "$BIN" propagation --project "$proj" >/dev/null
	done
	size=$(stat -c %s "$proj")
	passages=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["passages"])' "$BENCH_DIR/analyze-$n.json")
	largest=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["largest"])' "$BENCH_DIR/analyze-$n.json")
	for step in $steps; do
		wall=$(cut -d' ' -f1 "$BENCH_DIR/$step-$n" | median)
		peak=$(cut -d' ' -f2 "$BENCH_DIR/$step-$n" | median)
		printf '%-7s %-22s %10.2f %10.0f %11.1f %10.1f %9.2f %8s %12s\n' "$n" "$step" "$wall" "$(echo "$peak/1024" | bc -l)" \
			"$(echo "$text/1048576" | bc -l)" "$(echo "$size/1048576" | bc -l)" "$(echo "$size/$text" | bc -l)" "$passages" \
			"$largest ($(echo "scale=2; 100*$largest/$passages" | bc)%)"
	done
done
echo "(median of $REPEAT runs; $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
