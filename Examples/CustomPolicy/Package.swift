// swift-tools-version: 6.0
import PackageDescription

// A package of its own that uses Orrery the way a user's would: by local path.
let package = Package(
    name: "CustomPolicy",
    dependencies: [
        .package(name: "Orrery", path: "../..")
    ],
    targets: [
        .target(
            name: "ShortestQueue",
            dependencies: [.product(name: "Orrery", package: "Orrery")]),
        .executableTarget(
            name: "custom-orrery",
            dependencies: [
                "ShortestQueue", .product(name: "OrreryCLI", package: "Orrery"),
            ]),
        .testTarget(name: "ShortestQueueTests", dependencies: ["ShortestQueue"]),
    ],
    swiftLanguageModes: [.v6]
)
