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
