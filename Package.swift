// swift-tools-version:6.2
import Foundation
import PackageDescription

/// Settings every target shares: Swift 6 mode plus the upcoming features the house style asks for.
let sharedSwiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "artifactory-hooks",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "artifactory-hooks", targets: ["artifactory-hooks"]),
        .executable(name: "artifactory-sim", targets: ["artifactory-sim"]),
        /// The rule engine, for the benchmark package in Benchmarks/ (rules-bench).
        .library(name: "Rules", targets: ["Rules", "ArtifactoryEvents", "ArtifactoryRequests"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .executableTarget(
            name: "artifactory-hooks",
            dependencies: [
                "HooksDaemon",
                "ArtifactoryEvents",
                "Storage",
                "Rules",
                "YAMLDiagnostics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .target(
            name: "HooksDaemon",
            dependencies: [
                "ArtifactoryEvents",
                "ArtifactoryAPI",
                "ArtifactoryRequests",
                "Storage",
                "Rules",
                "YAMLDiagnostics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .target(
            name: "Rules",
            dependencies: [
                "ArtifactoryEvents",
                "ArtifactoryRequests",
                "YAMLDiagnostics",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .target(
            name: "ArtifactoryAPI",
            dependencies: [
                "ArtifactoryEvents",
                "ArtifactoryRequests",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .target(
            name: "ArtifactorySimulator",
            dependencies: [
                "ArtifactoryEvents",
                "ArtifactoryRequests",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .executableTarget(
            name: "artifactory-sim",
            dependencies: [
                "ArtifactorySimulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .target(
            name: "YAMLDiagnostics",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: sharedSwiftSettings
        ),
        .target(
            name: "Storage",
            dependencies: [
                "ArtifactoryEvents",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .target(
            name: "ArtifactoryEvents",
            dependencies: ["COpenSSL"],
            swiftSettings: sharedSwiftSettings
        ),
        // The one vocabulary of Artifactory requests: endpoint factories and their encoder. Pure
        // Swift without Foundation; rules plan with it and the client sends what it builds.
        .target(
            name: "ArtifactoryRequests",
            swiftSettings: sharedSwiftSettings
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // Load generators and store benchmarks for scripts/bench.sh (docs/benchmarks.md). Their
        // sources live in Benchmarks/; they are declared here so that they share this package's
        // build of Hummingbird, NIO and GRDB instead of compiling a second copy.
        .target(
            name: "LoadKit",
            path: "Benchmarks/Sources/LoadKit",
            swiftSettings: sharedSwiftSettings
        ),
        .executableTarget(
            name: "load-bench",
            dependencies: ["LoadKit"],
            path: "Benchmarks/Sources/load-bench",
            swiftSettings: sharedSwiftSettings
        ),
        .executableTarget(
            name: "e2e-bench",
            dependencies: [
                "LoadKit", "ArtifactorySimulator",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/Sources/e2e-bench",
            swiftSettings: sharedSwiftSettings
        ),
        .executableTarget(
            name: "store-bench",
            dependencies: [
                "Storage", "Rules", "ArtifactoryEvents",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/Sources/store-bench",
            swiftSettings: sharedSwiftSettings
        ),
        .target(name: "CChildSpawn"),
        .target(
            name: "HooksTestSupport",
            dependencies: [
                "CChildSpawn",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "ArtifactoryEventsTests",
            dependencies: ["ArtifactoryEvents", "HooksTestSupport"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "ArtifactoryRequestsTests",
            dependencies: ["ArtifactoryRequests", "HooksTestSupport"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "RulesTests",
            dependencies: ["Rules", "ArtifactoryEvents", "ArtifactoryRequests", "YAMLDiagnostics"],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "ArtifactoryEvents", "HooksTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "ArtifactoryAPITests",
            dependencies: [
                "ArtifactoryAPI", "ArtifactoryRequests", "ArtifactorySimulator", "ArtifactoryEvents",
                "HooksTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "ArtifactorySimulatorTests",
            dependencies: [
                "ArtifactorySimulator",
                "ArtifactoryEvents",
                "HooksTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
        .testTarget(
            name: "HooksDaemonTests",
            dependencies: [
                "HooksDaemon", "ArtifactoryEvents", "Storage", "Rules", "YAMLDiagnostics", "HooksTestSupport",
                "ArtifactoryAPI", "ArtifactoryRequests", "ArtifactorySimulator",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: sharedSwiftSettings
        ),
    ]
)

// The fuzz targets of Fuzz/ (docs/reliability.md), declared only for scripts/fuzz.sh, which sets
// ARTIFACTORY_HOOKS_FUZZ and builds them with `-sanitize=fuzzer,address` in a scratch path of
// their own, so `swift build` and `swift test` never see them. Each is one libFuzzer entry point
// over a function the daemon uses; FuzzSupport holds what they share (fixtures, the trap).
if ProcessInfo.processInfo.environment["ARTIFACTORY_HOOKS_FUZZ"] != nil {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("fuzz-json", ["ArtifactoryEvents"]),
        ("fuzz-webhook", ["ArtifactoryEvents"]),
        ("fuzz-signature", ["ArtifactoryEvents"]),
        ("fuzz-troubleshooting", ["ArtifactoryEvents"]),
        ("fuzz-url", ["ArtifactoryRequests"]),
        ("fuzz-rules", ["Rules", "ArtifactoryEvents"]),
        ("fuzz-template", ["Rules", "ArtifactoryEvents"]),
        ("fuzz-aql", ["Rules", "ArtifactoryEvents"]),
        ("fuzz-config", ["HooksDaemon", "YAMLDiagnostics"]),
    ]
    package.targets += [
        .target(name: "CFuzzerDriver", path: "Fuzz/CFuzzerDriver"),
        .target(
            name: "FuzzSupport", dependencies: ["CFuzzerDriver", "ArtifactoryEvents", "ArtifactoryRequests", "Rules"],
            path: "Fuzz/FuzzSupport", swiftSettings: sharedSwiftSettings),
    ]
    for (name, dependencies) in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: name, dependencies: dependencies + ["FuzzSupport"], path: "Fuzz/\(name)",
                swiftSettings: sharedSwiftSettings))
        package.products.append(.executable(name: name, targets: [name]))
    }
}
