// swift-tools-version:6.2
import PackageDescription

/// Benchmarks for the root package, kept apart so the daemon's own build never compiles them.
/// Run in release: `swift run -c release --package-path Benchmarks rules-bench`.
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
