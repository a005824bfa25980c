// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Orrery",
    products: [
        .library(name: "Futures", targets: ["Futures"]),
        .library(name: "Scheduling", targets: ["Scheduling"]),
        .library(name: "Cluster", targets: ["Cluster"]),
        .library(name: "Simulation", targets: ["Simulation"]),
        .library(name: "ThreadExecutor", targets: ["ThreadExecutor"]),
        .library(name: "Scenarios", targets: ["Scenarios"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "OrreryCLI", targets: ["OrreryCLI"]),
        .library(name: "Orrery", targets: ["Orrery"]),
        .executable(name: "orrery", targets: ["orrery"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // `make docs` only: builds the DocC catalog; nothing links against it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(name: "Futures"),
        .target(
            name: "Scheduling",
            dependencies: [
                .product(name: "HeapModule", package: "swift-collections")
            ]
        ),
        .target(
            name: "Cluster",
            dependencies: [
                "Futures", "Scheduling",
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "Simulation",
            dependencies: ["Cluster", "Futures", "Scheduling"]
        ),
        .target(
            name: "ThreadExecutor",
            dependencies: [
                "Cluster", "Futures", "Scheduling",
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(
            name: "Scenarios",
            dependencies: [
                "Cluster", "Futures", "Scheduling", "Simulation", "ThreadExecutor",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(name: "Reports", dependencies: ["Scenarios", "Simulation", "Cluster", "Scheduling"]),
        .target(
            name: "OrreryCLI",
            dependencies: [
                "Scenarios", "Reports", "Scheduling", "Futures", "Cluster",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "orrery", dependencies: ["OrreryCLI"]),
        .target(
            name: "Orrery",
            dependencies: [
                "Cluster", "Futures", "Reports", "Scenarios", "Scheduling", "Simulation",
                "ThreadExecutor",
            ]),
        .executableTarget(
            name: "orrery-bench",
            dependencies: [
                "Futures", "Scheduling", "Cluster", "Simulation", "Scenarios", "Reports",
                "ThreadExecutor",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Benchmarks/orrery-bench"
        ),
        .testTarget(name: "FuturesTests", dependencies: ["Futures"]),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling"], exclude: ["Fixtures"]),
        .testTarget(
            name: "ClusterTests",
            dependencies: ["Cluster", "Futures", "Scheduling", "Simulation", "ThreadExecutor"]),
        .testTarget(name: "CommandLineTests", dependencies: ["orrery"], exclude: ["Golden"]),
        .testTarget(name: "OrreryTests", dependencies: ["Orrery"]),
        .testTarget(
            name: "ReportsTests", dependencies: ["Reports", "Scenarios", "Simulation"],
            exclude: ["Fixtures", "Golden", "Schemas"]),
        .testTarget(
            name: "ScenariosTests", dependencies: ["Scenarios", "Simulation", "Cluster"],
            exclude: ["Broken", "Extreme", "Fixtures"]),
        .testTarget(
            name: "ThreadExecutorTests",
            dependencies: ["ThreadExecutor", "Cluster", "Futures", "Scheduling"]),
        .testTarget(
            name: "SimulationTests",
            dependencies: ["Simulation", "Cluster", "Futures", "Scheduling"]),
    ],
    swiftLanguageModes: [.v6]
)

// Release builds only:
// - generic hot paths (`Future<Value>` and the state machines built on it) cross module
//   boundaries; without cross-module optimisation they run unspecialised, ten times slower;
// - the state machines keep their tables in class properties, whose dynamic exclusivity checks
//   cost a third of the scheduler's time; debug builds and the tests keep them on.
for target in package.targets where target.type != .test {
    target.swiftSettings =
        (target.swiftSettings ?? [])
        + [
            .unsafeFlags(
                ["-cross-module-optimization", "-enforce-exclusivity=unchecked"],
                .when(configuration: .release))
        ]
}
