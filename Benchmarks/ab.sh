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
source "$(dirname "$0")/two-commits.sh"
build_both orrery-bench
for run in $(seq 1 "$runs"); do
    for side in base head; do
        "$scratch/$side/.build/release/orrery-bench" "$group" | tail -n +2 | sed "s/^/$side  /"
    done
done
