#!/bin/sh
# run.sh BIN SECONDS - run one libFuzzer harness (make fuzz), then merge what it
# found into its saved corpus.
#
#   tests/fuzz/seeds/<h>/    hand-written seeds (kept as they are)
#   tests/fuzz/corpus/<h>/   the saved corpus: a minimal set of inputs that adds
#                            coverage beyond the seeds (libFuzzer -merge=1), plus
#                            reproducers of fixed bugs (regress-*, never dropped)
#   build/fuzz/<h>.log       the fuzzer's output; findings in build/fuzz/artifacts/<h>/
#
# Exit status: 0 when the fuzzer ran its time with no finding.
set -u
bin=$1
secs=$2
h=$(basename "$bin")
seeds=tests/fuzz/seeds/$h
corpus=tests/fuzz/corpus/$h
work=build/fuzz/work/$h
min=build/fuzz/min/$h
art=build/fuzz/artifacts/$h
log=build/fuzz/$h.log
max=${FUZZ_CORPUS_MAX:-500}

# fuzz_http: libFuzzer's leak check after each new input stops the server's threads and
# scans ~500 MB (it halves exec/s); LeakSanitizer still runs at exit, and the replay under
# ASan in make check runs it over the saved corpus
extra=""
case $h in
fuzz_http) maxlen=16384 extra="-detect_leaks=0" ;;
fuzz_sniff) maxlen=16384 ;;
*) maxlen=4096 ;;
esac
dict=""
[ -f "tests/fuzz/$h.dict" ] && dict="-dict=tests/fuzz/$h.dict"

mkdir -p "$seeds" "$corpus" "$work" "$art"
echo "fuzz: $h for $secs s (log: $log)"
# shellcheck disable=SC2086
"$bin" -max_total_time="$secs" -timeout=30 -rss_limit_mb=4096 -max_len="$maxlen" $dict $extra \
	-artifact_prefix="$art/" -print_final_stats=1 "$work" "$corpus" "$seeds" >"$log" 2>&1
rc=$?
grep -E '^#[0-9]+.*(DONE|pulse)' "$log" | tail -n 1
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" |
	awk '!seen[$0]++'

if [ $rc -ne 0 ]; then
	echo "fuzz: $h FAILED (exit $rc); the report is in $log, the input in $art/"
	grep -E '==ERROR|runtime error|fuzz_[a-z]+ finding|fuzz_[a-z]+:|SUMMARY' "$log" | head -n 5
fi

# merge: the seeds and the reproducers count as covered (make check replays them anyway);
# edges only, not hit counts (-use_counters=0): the saved corpus is the inputs that add an
# edge, so it is bounded by the code (a few hundred files)
rm -rf "$min"
mkdir -p "$min"
cp "$seeds"/* "$corpus"/regress-* "$min"/ 2>/dev/null
# shellcheck disable=SC2086
if "$bin" -merge=1 -use_counters=0 -max_len="$maxlen" -timeout=30 -rss_limit_mb=4096 $extra "$min" "$corpus" "$work" \
	>"build/fuzz/$h.merge.log" 2>&1; then
	find "$corpus" -maxdepth 1 -type f ! -name 'regress-*' -delete
	for f in "$min"/*; do
		[ -e "$seeds/$(basename "$f")" ] || [ -e "$corpus/$(basename "$f")" ] || cp "$f" "$corpus"/
	done
	n=$(ls "$corpus" | wc -l)
	echo "fuzz: $h corpus: $n files, $(cat "$corpus"/* | wc -c) bytes"
	[ "$n" -gt "$max" ] && echo "fuzz: $h corpus has more than $max files; consider pruning it"
else
	echo "fuzz: $h merge failed (build/fuzz/$h.merge.log); corpus left as it was"
	[ $rc -eq 0 ] && rc=1
fi
exit $rc
