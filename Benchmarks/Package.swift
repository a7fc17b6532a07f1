// swift-tools-version:6.2
import PackageDescription

/// The rule-planning benchmark, kept apart so the daemon's own build never compiles it; it needs
/// only the rule engine. Run in release: `swift run -c release --package-path Benchmarks rules-bench`.
/// The HTTP and store benchmarks (`load-bench`, `e2e-bench`, `store-bench`) keep their sources in
/// Benchmarks/Sources too but are targets of the root package, so they reuse its build of
/// Hummingbird, NIO and GRDB. `scripts/bench.sh` builds and runs them all.
let package = Package(
    name: "artifactory-hooks-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "artifactory-hooks", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "rules-bench",
            dependencies: [.product(name: "Rules", package: "artifactory-hooks")],
            swiftSettings: [
                .swiftLanguageMode(.v6),
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        )
    ]
)
