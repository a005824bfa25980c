#!/usr/bin/env bash
# Instructions executed by two commits on the same workloads, counted under valgrind's
# callgrind. Unlike the wall-clock figures of `make bench` and ab.sh, a count does not move
# with the machine's load, so a change of one percent shows in one run. Instructions are not
# time (a cache miss costs more than an add), so confirm a change that matters with ab.sh.
#
#   Benchmarks/instructions.sh BASE [HEAD]
#
# Each commit is built (release) in a scratch worktree and driven through its command line,
# so any commit with `orrery explore` can be counted:
#   - explore: the benchmark's 100-task random DAG on 8 workers of 2 threads with work
#     stealing, 100 seeds in one job, invariants after every event: instructions a seed;
#   - run: the same kind of DAG with 20,000 tasks less one with 5,000, one seed: the
#     instructions a task costs beyond what a run costs anyway;
#   - model: SimPy's model of the bench (independent tasks of exp(1 s) on 100 one-thread
#     workers, queuing off, invariants at the end), 20,000 tasks less 5,000, the loading of
#     each (`orrery validate`) taken out: what a task costs the simulation itself, with no
#     dependencies and no data to move (all in one layer of the generator, which then draws
#     nothing);
#   - real: a fan-out of 15,000 no-ops less one of 5,000 on the thread executor (one worker of
#     two threads, batching off, modelled delays scaled to a thousandth), counted under the
#     control loop only: valgrind runs threads one at a time and counts each where it runs, so
#     this is the control thread's own work a task (the thread real mode waits on).
# Needs valgrind. Its debug-info reader predates DWARF 5, so each binary is counted from a
# copy without debug information (symbols kept).
set -euo pipefail
command -v valgrind >/dev/null || { echo "valgrind not found: nothing counted" >&2; exit 1; }
base=${1:?usage: Benchmarks/instructions.sh BASE [HEAD]}
head=${2:-HEAD}
source "$(dirname "$0")/two-commits.sh"

dag() {
    cat <<EOF
cluster:
  workers: [{count: 8, prefix: w, threads: 2}]
scheduler: {policy: work-stealing, steal_interval: 10ms}
network: {worker_latency: 1ms}
generate:
  - random_dag: {prefix: t, size: $1, width: 10, density: 0.3, seed: 1, duration: {exponential: 10ms}, output: 1MB}
expect:
  - {completes: true}
EOF
}
model() {
    cat <<EOF
cluster:
  workers: [{count: 100, prefix: w, threads: 1}]
scheduler: {worker_saturation: inf}
generate:
  - random_dag: {prefix: t, size: $1, width: $1, density: 0, seed: 1, duration: {exponential: 1s}}
expect:
  - {completes: true}
EOF
}
fan() {
    cat <<EOF
cluster:
  workers: [{count: 1, prefix: w, threads: 2}]
network:
  batching: {client_to_scheduler: 0s, scheduler_to_client: 0s, scheduler_to_worker: 0s, worker_to_scheduler: 0s}
generate:
  - fan_out_fan_in: {prefix: t, width: $1}
expect:
  - {completes: true}
EOF
}
dag 100 >"$scratch/dag-100.yaml"
dag 5000 >"$scratch/dag-5000.yaml"
dag 20000 >"$scratch/dag-20000.yaml"
model 5000 >"$scratch/model-5000.yaml"
model 20000 >"$scratch/model-20000.yaml"
fan 5000 >"$scratch/fan-5000.yaml"
fan 15000 >"$scratch/fan-15000.yaml"

# Instructions of one command line.
count() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
        awk '/Collected :/ { print $4 }'
}

# Instructions of a scenario's run (invariants at the end) less those of loading it:
#   simulated ORRERY SCENARIO
simulated() {
    local ran loaded
    ran=$(count "$1" run "$2" --invariants end --format json)
    loaded=$(count "$1" validate "$2")
    echo $((ran - loaded))
}

# Instructions of one command line under the control loop (the control thread's own).
control() {
    valgrind --tool=callgrind --callgrind-out-file="$scratch/control.out" "$@" >/dev/null 2>&1
    # A renamed loop would count nothing: stop rather than print a figure of zero.
    callgrind_annotate --inclusive=yes "$scratch/control.out" |
        awk '/EventLoopC3run/ && !found { gsub(",", "", $1); print $1; found = 1 }
            END { if (!found) { print "the control loop (EventLoop.run) was not found" > "/dev/stderr"; exit 1 } }'
}

build_both orrery
for side in base head; do
    strip --strip-debug -o "$scratch/orrery-$side" "$scratch/$side/.build/release/orrery"
done
for side in base head; do
    orrery="$scratch/orrery-$side"
    explore=$(count "$orrery" explore "$scratch/dag-100.yaml" --seeds 100 --jobs 1)
    small=$(count "$orrery" run "$scratch/dag-5000.yaml" --format json)
    large=$(count "$orrery" run "$scratch/dag-20000.yaml" --format json)
    fewest=$(simulated "$orrery" "$scratch/model-5000.yaml")
    most=$(simulated "$orrery" "$scratch/model-20000.yaml")
    real=(--mode real --time-scale 0.001 --format json)
    fewer=$(control "$orrery" run "$scratch/fan-5000.yaml" "${real[@]}")
    more=$(control "$orrery" run "$scratch/fan-15000.yaml" "${real[@]}")
    echo "$side  explore: $((explore / 100)) instructions a seed;" \
        "run: $(((large - small) / 15000)) instructions a task;" \
        "model: $(((most - fewest) / 15000)) instructions a task;" \
        "real: $(((more - fewer) / 10000)) instructions a task on the control thread"
done
