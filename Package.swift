// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Orrery",
    products: [
        .library(name: "Futures", targets: ["Futures"])
    ],
    targets: [
        .target(name: "Futures"),
        .executableTarget(
            name: "orrery-bench",
            dependencies: ["Futures"],
            path: "Benchmarks/orrery-bench"
        ),
        .testTarget(name: "FuturesTests", dependencies: ["Futures"]),
    ],
    swiftLanguageModes: [.v6]
)

// Generic hot paths (`Future<Value>` and the state machines built on it) cross module
// boundaries; without cross-module optimisation they run unspecialised, about ten times slower.
for target in package.targets where target.type != .test {
    target.swiftSettings =
        (target.swiftSettings ?? [])
        + [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]
}
