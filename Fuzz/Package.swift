// swift-tools-version: 6.0
import PackageDescription

// libFuzzer targets for what reads files a user (or anyone) wrote. They build only with
// `swift build --sanitize=fuzzer` (libFuzzer supplies `main`); `make fuzz` runs them.
let package = Package(
    name: "OrreryFuzz",
    dependencies: [
        .package(name: "Orrery", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "fuzz-scenario-loader",
            dependencies: [.product(name: "Orrery", package: "Orrery")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
        .executableTarget(
            name: "fuzz-wfcommons-import",
            dependencies: [.product(name: "Orrery", package: "Orrery")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ],
    swiftLanguageModes: [.v6]
)
