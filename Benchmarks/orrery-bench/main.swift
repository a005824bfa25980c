// `make bench`: each figure beside a baseline measured in the same run, release build.
// Figures are best-of-five wall-clock rates on this machine; compare them within one run.

print("orrery-bench (release). Each figure is best of 5; the baseline ran in the same process.")
for figure in FutureBenchmarks.run() {
    print(figure.line)
}
