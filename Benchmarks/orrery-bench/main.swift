// `make bench`: each figure beside a baseline measured in the same run, release build.
// Figures are best-of-N wall-clock rates on this machine; compare them within one run.
// Arguments name the groups to run (`futures`, `scheduler`, `simulation`, `dag`,
// `scenarios`, `simpy`, `reports`, `real`); none runs them all.
// `make bench` runs each group in its own process, so peak-memory figures are its own.

let groups: [(name: String, run: () -> [Figure])] = [
    ("futures", FutureBenchmarks.run),
    ("scheduler", SchedulerBenchmarks.run),
    ("simulation", SimulationBenchmarks.run),
    ("dag", SimulationBenchmarks.runDAG),
    ("scenarios", ScenarioBenchmarks.run),
    ("simpy", SimPyComparison.run),
    ("reports", ReportBenchmarks.run),
    ("real", ThreadBenchmarks.run),
]
let selected = Set(CommandLine.arguments.dropFirst())
print(
    "orrery-bench (release). Each figure is a best of several runs; its baseline ran in the same process."
)
for group in groups where selected.isEmpty || selected.contains(group.name) {
    for figure in group.run() { print(figure.line) }
}
