// swift-tools-version: 6.1
// Coverage-guided fuzz targets (libFuzzer). A separate package so `swift build` / `swift test` of scimctl never
// build them; `make fuzz` builds this with `-sanitize=fuzzer,address` into `.build-fuzz` and runs each target.
// Adding a target: a folder Sources/<name>/ holding one main.swift that calls `runFuzzer { data, size in … }`,
// plus one line in `fuzzTargets` below (`make fuzz` runs every Sources/fuzz-* folder).
import PackageDescription

/// Each fuzz target: its name (the folder under Sources/) and the scimctl library products it exercises.
let fuzzTargets: [(name: String, products: [String])] = [
    ("fuzz-expressions", ["ScimctlExpressions"]),
    ("fuzz-profiles", ["ScimctlVendorProfiles"]),
    ("fuzz-regex", ["ScimctlExpressions"]),
    ("fuzz-private-keys", ["ScimctlGraphHTTP"]),
]

let package = Package(
    name: "scimctl-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "scimctl", path: "..")],
    targets: [
        // libFuzzer's driver entry point, declared for Swift.
        .target(name: "CFuzzerDriver"),
        // runFuzzer: hands control to libFuzzer with a target's per-input function.
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"]),
    ]
        + fuzzTargets.map { target in
            .executableTarget(
                name: target.name,
                dependencies: ["FuzzSupport"] + target.products.map { .product(name: $0, package: "scimctl") })
        },
    swiftLanguageModes: [.v6]
)
