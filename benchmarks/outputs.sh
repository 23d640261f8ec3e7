#!/usr/bin/env bash
# Every output one ftscan writes for a set of trees, one file per (tree, command, format), so
# that two versions of ftscan can be compared byte for byte with `cmp` (a refactor must
# change none of them):
#
#   bash benchmarks/outputs.sh OLD_VENV/bin/ftscan /tmp/out-old fixtures/* /dev/shm/pub/*
#   bash benchmarks/outputs.sh NEW_VENV/bin/ftscan /tmp/out-new fixtures/* /dev/shm/pub/*
#   diff -r /tmp/out-old /tmp/out-new && echo identical
#
# Each tree is scanned from inside it (`ftscan scan .`), at a pinned date, in every report
# format and with `--jobs 1` and the default pool; its inventory in every format; plus the
# rule commands and a baseline. Exit statuses are recorded beside the outputs.
set -uo pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 FTSCAN OUT_DIR TREE..." >&2
  exit 2
fi
ftscan=$(realpath "$1")
out=$(realpath -m "$2")
shift 2
as_of=2026-11-22
mkdir -p "$out"
export FTSCAN_CACHE_DIR=  # no rule cache: every run loads the packs the same way

run() {  # run NAME CMD...: stdout to NAME.out, stderr to NAME.err, status to NAME.rc
  local name=$1
  shift
  "$@" >"$name.out" 2>"$name.err"
  echo $? >"$name.rc"
}

for tree in "$@"; do
  [ -d "$tree" ] || continue
  name=$(basename "$tree")
  dest="$out/$name"
  mkdir -p "$dest"
  (
    cd "$tree" || exit 1
    for fmt in text json sarif github markdown; do
      run "$dest/scan.$fmt" "$ftscan" scan . -f "$fmt" --as-of "$as_of" --no-progress --no-color
    done
    run "$dest/scan.jobs1.sarif" "$ftscan" scan . -f sarif --as-of "$as_of" --no-progress --jobs 1
    run "$dest/scan.python-walk.json" env FTSCAN_WALK=python "$ftscan" scan . -f json --as-of "$as_of" --no-progress
    run "$dest/scan.unused.text" "$ftscan" scan . --as-of 2027-02-01 --no-progress --no-color --report-unused-ignores
    for fmt in markdown json csv html ics; do
      run "$dest/inventory.$fmt" "$ftscan" inventory . -f "$fmt" --as-of "$as_of" --no-progress
    done
    run "$dest/baseline" "$ftscan" baseline "$dest/baseline.json" . --as-of "$as_of" --no-progress
    run "$dest/scan.new" "$ftscan" scan . --baseline "$dest/baseline.json" --as-of "$as_of" --no-progress
    for k in 1 2; do
      run "$dest/shard$k" "$ftscan" scan . -f sarif --shard "$k/2" -o "$dest/shard$k.sarif" --as-of "$as_of" --no-progress
    done
    run "$dest/merged" "$ftscan" merge "$dest/shard1.sarif" "$dest/shard2.sarif"
  )
done
run "$out/rules-list" "$ftscan" rules list
run "$out/rules-show" "$ftscan" rules show FT201
run "$out/rules-test" "$ftscan" rules test
run "$out/version" "$ftscan" --version
run "$out/help" "$ftscan" --help
for command in scan baseline inventory merge rules; do
  run "$out/help-$command" "$ftscan" "$command" --help
done
# Messages that name an output file name it under OUT_DIR: write it as `OUT` for the comparison.
find "$out" -name '*.err' -exec sed -i "s|$out|OUT|g" {} +
echo "$out: $(find "$out" -type f | wc -l) files"
