#!/usr/bin/env bash
# Side-by-side benchmark of two commits: builds orrery-bench (release) at each in a scratch
# worktree and runs one group of it alternately, so both see the same machine at the same
# hour (this machine's speed swings between hours; compare figures only within one run).
#
#   Benchmarks/ab.sh BASE [HEAD] [GROUP] [RUNS]
#   Benchmarks/ab.sh 91dced0 HEAD scenarios 3     # explore's seeds/s, before and after
set -euo pipefail
base=${1:?usage: Benchmarks/ab.sh BASE [HEAD] [GROUP] [RUNS]}
head=${2:-HEAD}
group=${3:-scenarios}
runs=${4:-3}
top=$(git rev-parse --show-toplevel)
scratch=$(mktemp -d)
cleanup() {
    git -C "$top" worktree remove --force "$scratch/base" 2>/dev/null || true
    git -C "$top" worktree remove --force "$scratch/head" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT
for side in base head; do
    rev=${!side}
    git -C "$top" worktree add --detach --quiet "$scratch/$side" "$rev"
    echo "building $side ($(git -C "$top" rev-parse --short "$rev")) ..." >&2
    (cd "$scratch/$side" && swift build -c release --product orrery-bench >/dev/null)
done
for run in $(seq 1 "$runs"); do
    for side in base head; do
        "$scratch/$side/.build/release/orrery-bench" "$group" | tail -n +2 | sed "s/^/$side  /"
    done
done
