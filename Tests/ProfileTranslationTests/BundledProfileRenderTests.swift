import Foundation
import Testing
import VendorProfiles

@testable import ProfileTranslation

/// `scimctl render` output for every bundled profile and parameter variant, pinned byte for byte.
/// After an intended change, re-record with `SCIMCTL_RECORD_GOLDEN=1 swift test --filter BundledProfileRenderTests`
/// and review the diff of Tests/ProfileTranslationTests/Golden/render/.
@Suite struct BundledProfileRenderTests {
    struct Variant: CustomTestStringConvertible, Sendable {
        var profile: String
        var parameters: [String: String]
        var golden: String
        var testDescription: String { golden }
    }

    static let variants: [Variant] =
        ["us", "de", "jp", "au"].map { Variant(profile: "flosum", parameters: ["region": $0], golden: "flosum-\($0).json") }
        + ["test", "production"].map {
            Variant(profile: "andmoney", parameters: ["environment": $0], golden: "andmoney-\($0).json")
        }
        + [
            Variant(profile: "eptura", parameters: ["domain": "scim.contoso.eptura.com"], golden: "eptura.json"),
            Variant(profile: "telemessage", parameters: ["manager": "Jane Doe"], golden: "telemessage.json"),
            Variant(profile: "totalmobile", parameters: ["customer": "TestCustomer"], golden: "totalmobile.json"),
        ]

    @Test(arguments: variants)
    func renderMatchesGolden(_ variant: Variant) throws {
        let profile = try #require(BundledProfiles.load(named: variant.profile)?.profile)
        let (resolved, diagnostics) = profile.resolve(parameters: variant.parameters)
        let ready = try #require(resolved, "\(diagnostics)")
        let rendered = try RequestRenderer.render(ready)
        try GoldenFiles.assertMatches(rendered.text, golden: "render/bundled/\(variant.golden)")
    }

    @Test func everyRenderIsStableAndSecretFree() throws {
        for variant in Self.variants {
            let profile = try #require(BundledProfiles.load(named: variant.profile)?.profile)
            let resolved = try #require(profile.resolve(parameters: variant.parameters).0)
            let first = try RequestRenderer.render(resolved).text
            #expect(try first == RequestRenderer.render(resolved).text)
            // Tokens appear only as where they come from.
            for application in resolved.applications {
                if case .environment(let variable) = application.secretToken {
                    #expect(first.contains("<from env \(variable)>"))
                }
            }
        }
    }
}
