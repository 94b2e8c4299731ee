// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "scimctl",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "scimctl", targets: ["scimctl"]),
        .executable(name: "graph-emulator", targets: ["graph-emulator"]),
        // For the fuzz targets in Fuzz/ (a separate package that depends on this one by path).
        .library(name: "ScimctlExpressions", targets: ["Expressions"]),
        .library(name: "ScimctlProfiles", targets: ["Profiles"]),
        .library(name: "ScimctlGraphHTTP", targets: ["GraphHTTP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // libcurl, reached through typed static-inline wrappers (Swift cannot call C variadics).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Findings shared by every module: severity, stable id, location, hint, fix-it.
        .target(name: "Diagnostics"),
        // The Entra mapping-expression language; no third-party dependencies.
        .target(name: "Expressions", dependencies: ["Diagnostics"]),
        // Vendor profiles: YAML model with source locations, parameters, validation rules.
        .target(
            name: "Profiles",
            dependencies: ["Diagnostics", "Expressions", .product(name: "Yams", package: "Yams")]
        ),
        // Microsoft Graph synchronization models, default template schema, merge, request rendering.
        .target(name: "GraphSync", dependencies: ["Diagnostics", "Expressions", "Profiles"]),
        // HTTP transport (libcurl), Graph client, retries, authentication, redaction.
        .target(
            name: "GraphHTTP",
            dependencies: ["CCurl", "GraphSync", .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "_CryptoExtras", package: "swift-crypto"),
                           .product(name: "X509", package: "swift-certificates"),
                           .product(name: "SwiftASN1", package: "swift-asn1")]
        ),
        // plan / apply / export / status / rollback against a live tenant.
        .target(name: "Provisioning", dependencies: ["GraphSync", "GraphHTTP", "Profiles", "Expressions"]),
        // Pure renderers from results to text, JSON, SARIF, JUnit, Markdown and CI annotations; the executable writes.
        .target(name: "Reports", dependencies: ["Diagnostics", "Expressions", "Profiles", "GraphSync", "GraphHTTP", "Provisioning"]),
        // A stateful local Microsoft Graph synchronization API.
        .target(
            name: "GraphEmulator",
            dependencies: ["GraphSync", "Expressions", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .executableTarget(
            name: "graph-emulator",
            dependencies: ["GraphEmulator", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "scimctl",
            dependencies: [
                "Diagnostics", "Expressions", "Profiles", "GraphSync", "GraphHTTP", "Provisioning", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench`: the speed goals, measured (release build).
        .executableTarget(
            name: "scimctl-bench",
            dependencies: ["Diagnostics", "Expressions", "Profiles", "GraphSync", "GraphHTTP", "Provisioning", "GraphEmulator"],
            path: "Benchmarks/ScimctlBenchmarks"
        ),
        // Shared by the test targets only (loopback HTTP server, scratch directories, documented fixtures).
        .target(name: "TestSupport", path: "Tests/TestSupport", resources: [.copy("Resources")]),
        .testTarget(name: "ExpressionsTests", dependencies: ["Expressions"]),
        .testTarget(name: "ProfilesTests", dependencies: ["Profiles"]),
        .testTarget(
            name: "GraphSyncTests", dependencies: ["GraphSync", "Profiles", "TestSupport"], resources: [.copy("Golden")]),
        .testTarget(
            name: "GraphHTTPTests",
            dependencies: ["GraphHTTP", "TestSupport", .product(name: "X509", package: "swift-certificates"),
                           .product(name: "SwiftASN1", package: "swift-asn1")]
        ),
        .testTarget(name: "GraphEmulatorTests", dependencies: ["GraphEmulator", "GraphSync", "TestSupport"]),
        .testTarget(name: "ProvisioningTests", dependencies: ["Provisioning", "GraphEmulator", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Provisioning", "Profiles", "GraphSync", "Diagnostics"]),
        .testTarget(name: "ScimctlCLITests", dependencies: ["TestSupport"], exclude: ["Resources"]),
    ],
    swiftLanguageModes: [.v6]
)
