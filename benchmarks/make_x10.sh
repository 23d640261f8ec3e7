#!/bin/sh
# The corpus ten times over, by hard links (no file's data is copied): OUT/copy0 ... OUT/copy9,
# each a whole copy of CORPUS's tree without its `.git` directories, for the scale rows of
# benchmarks/RESULTS.md. GNU cp; CORPUS and OUT on one file system.
#
#   sh benchmarks/make_x10.sh /dev/shm/ftscan-corpus /dev/shm/ftscan-x10
set -eu
corpus=${1:?usage: make_x10.sh CORPUS OUT}
out=${2:?usage: make_x10.sh CORPUS OUT}
mkdir -p "$out"
for i in 0 1 2 3 4 5 6 7 8 9; do
    [ -e "$out/copy$i" ] && continue
    cp -al "$corpus" "$out/copy$i"
    find "$out/copy$i" -name .git -prune -exec rm -rf {} +
done
find "$out" -type f | wc -l | sed 's/$/ files/'
