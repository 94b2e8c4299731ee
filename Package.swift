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
        .library(name: "ScimctlVendorProfiles", targets: ["VendorProfiles"]),
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
        // JSON and the Microsoft Graph wire model (synchronization objects, schema, paths); no dependencies.
        .target(name: "GraphModel"),
        // The Entra mapping-expression language and its Graph tree form; no third-party dependencies.
        .target(name: "Expressions", dependencies: ["Diagnostics", "GraphModel"]),
        // Vendor profiles (the YAML files in Profiles/): model with source locations, parameters, validation rules.
        .target(
            name: "VendorProfiles",
            dependencies: ["Diagnostics", "Expressions", .product(name: "Yams", package: "Yams")]
        ),
        // Profile -> Graph translation: default template schema, schema merge, secrets, request rendering.
        .target(name: "ProfileTranslation", dependencies: ["Expressions", "GraphModel", "VendorProfiles"]),
        // HTTP transport (libcurl), Graph client, retries, authentication, redaction.
        .target(
            name: "GraphHTTP",
            dependencies: ["CCurl", "GraphModel", .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "_CryptoExtras", package: "swift-crypto"),
                           .product(name: "X509", package: "swift-certificates"),
                           .product(name: "SwiftASN1", package: "swift-asn1")]
        ),
        // plan / apply / export / status / rollback against a live tenant.
        .target(
            name: "Provisioning",
            dependencies: ["Diagnostics", "Expressions", "GraphHTTP", "GraphModel", "ProfileTranslation",
                           "VendorProfiles"]
        ),
        // Pure renderers from results to text, JSON, SARIF, JUnit, Markdown and CI annotations; the executable writes.
        .target(
            name: "Reports",
            dependencies: ["Diagnostics", "Expressions", "GraphHTTP", "GraphModel", "ProfileTranslation", "Provisioning",
                           "VendorProfiles"]
        ),
        // A stateful local Microsoft Graph synchronization API.
        .target(
            name: "GraphEmulator",
            dependencies: ["Expressions", "GraphModel", .product(name: "Hummingbird", package: "hummingbird")]
        ),
        .executableTarget(
            name: "graph-emulator",
            dependencies: ["GraphEmulator", "GraphModel", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "scimctl",
            dependencies: [
                "Diagnostics", "Expressions", "GraphHTTP", "GraphModel", "ProfileTranslation", "Provisioning",
                "Reports", "VendorProfiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench`: the speed goals, measured (release build).
        .executableTarget(
            name: "scimctl-bench",
            dependencies: ["Diagnostics", "Expressions", "GraphEmulator", "GraphHTTP", "GraphModel", "ProfileTranslation",
                           "Provisioning", "VendorProfiles"],
            path: "Benchmarks/ScimctlBenchmarks"
        ),
        // Shared by the test targets only (loopback HTTP server, scratch directories, documented fixtures).
        .target(name: "TestSupport", path: "Tests/TestSupport", resources: [.copy("Resources")]),
        .testTarget(name: "ExpressionsTests", dependencies: ["Expressions", "GraphModel"]),
        .testTarget(name: "GraphModelTests", dependencies: ["GraphModel"]),
        .testTarget(name: "VendorProfilesTests", dependencies: ["VendorProfiles", "TestSupport"]),
        .testTarget(
            name: "ProfileTranslationTests",
            dependencies: ["Expressions", "GraphModel", "ProfileTranslation", "VendorProfiles", "TestSupport"],
            resources: [.copy("Golden")]
        ),
        .testTarget(
            name: "GraphHTTPTests",
            dependencies: ["GraphHTTP", "TestSupport", .product(name: "X509", package: "swift-certificates"),
                           .product(name: "SwiftASN1", package: "swift-asn1")]
        ),
        .testTarget(
            name: "GraphEmulatorTests", dependencies: ["GraphEmulator", "GraphModel", "ProfileTranslation", "TestSupport"]),
        .testTarget(name: "ProvisioningTests", dependencies: ["Provisioning", "GraphEmulator", "TestSupport"]),
        .testTarget(
            name: "ReportsTests",
            dependencies: [
                "Reports", "Provisioning", "VendorProfiles", "ProfileTranslation", "GraphHTTP", "GraphModel", "Expressions",
                "Diagnostics",
            ]),
        // docs/architecture.md's module graph against this file.
        .testTarget(name: "ArchitectureTests"),
        .testTarget(name: "ScimctlCLITests", dependencies: ["TestSupport"], exclude: ["Resources"]),
    ],
    swiftLanguageModes: [.v6]
)
