import Foundation
import Testing

@testable import GraphModel

/// Every documentation example that is valid JSON decodes into its model and encodes back to the same document, as
/// Foundation's independent JSON reader sees it; bodies scimctl builds from typed values equal the documented ones.
struct GraphExampleTests {
    static let directory = "graph-examples"
    static let invalidExample = "servicePrincipals-synchronization-jobs.GET.response.json"

    /// Decodes `text` as the model type that describes `file` and returns the model's JSON.
    static func roundTrip(_ file: String, _ text: String) throws -> JSONValue {
        func via<V: JSONView>(_ type: V.Type) throws -> JSONValue { try V.decode(text).json }
        switch file {
        case let name where name.hasPrefix("applicationTemplates-instantiate") && name.contains("request"):
            return try via(InstantiateApplicationRequest.self)
        case let name where name.hasPrefix("applicationTemplates-instantiate"):
            return try via(InstantiateApplicationResponse.self)
        case let name where name.hasPrefix("graph-error"):
            return try via(GraphErrorBody.self)
        case "login-oauth2-v2.0-token.client_credentials.response.json":
            return try via(OAuthTokenResponse.self)
        case "login-oauth2-v2.0-token.error.response.json":
            return try via(OAuthErrorResponse.self)
        case "objectDefinition.resource-example.aad-user.json":
            return try via(ObjectDefinition.self)
        case "secrets-fragment.SkipOutOfScopeDeletions.json":
            return try via(KeyValuePair.self)
        case let name where name.contains("provisionOnDemand") && name.contains("request"):
            return try via(ProvisionOnDemandRequest.self)
        case let name where name.contains("provisionOnDemand"):
            return try via(ProvisionOnDemandResponse.self)
        case let name where name.contains("restart"):
            return try via(RestartJobRequest.self)
        case let name where name.contains("schema-filterOperators") || name.contains("schema-functions"):
            // Endpoints scimctl never calls (its function catalogue is built in): no typed view, the tree itself.
            return try JSONValue(parsing: text)
        case let name where name.contains("parseExpression"):
            return try via(ParseExpressionResponse.self)
        case let name where name.contains("schema.GET") || name.hasPrefix("synchronizationSchema"):
            return try via(SynchronizationSchema.self)
        case let name where name.contains("validateCredentials"):
            return try via(ValidateCredentialsRequest.self)
        case let name where name.contains("secrets"):
            return try via(SynchronizationSecrets.self)
        case "servicePrincipals-synchronization-jobs.POST.request.json":
            return try via(CreateJobRequest.self)
        case "servicePrincipals-synchronization-jobs.GET.response.json":
            return try via(GraphCollection<SynchronizationJob>.self)
        case let name where name.hasPrefix("servicePrincipals-synchronization-jobs"):
            return try via(SynchronizationJob.self)
        case let name where name.contains("templates"):
            return try via(GraphCollection<SynchronizationTemplate>.self)
        default:
            throw GraphDecodingError("no model registered for \(file)")
        }
    }

    /// The document as Foundation reads it: a second parser, so a mistake in `JSONValue` cannot hide itself.
    static func foundationDocument(_ text: String) throws -> NSObject {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        return try #require(object as? NSObject)
    }

    @Test func everyValidExampleRoundTrips() throws {
        let files = try GoldenFiles.list(Self.directory).filter { $0.hasSuffix(".json") }
        #expect(files.count == 30)
        // The list-jobs example has a trailing comma in the documentation (invalidDocumentationJSONIsRejected).
        let valid = files.filter { $0 != Self.invalidExample }
        #expect(valid.count == files.count - 1)
        for file in valid {
            let text = try GoldenFiles.read("\(Self.directory)/\(file)")
            let encoded = try Self.roundTrip(file, text).serialized(pretty: true)
            #expect(try Self.foundationDocument(encoded) == Self.foundationDocument(text), "\(file) changed in a round trip")
        }
    }

    /// Request bodies built from typed values, not decoded from the examples, equal what the documentation sends.
    @Test func typedRequestsEncodeAsDocumented() throws {
        func expectDocumented(_ body: some JSONView, _ file: String, sourceLocation: SourceLocation = #_sourceLocation)
            throws
        {
            let documented = try Self.foundationDocument(GoldenFiles.read("\(Self.directory)/\(file)"))
            #expect(try Self.foundationDocument(body.encoded()) == documented, "\(file)", sourceLocation: sourceLocation)
        }
        try expectDocumented(CreateJobRequest(templateId: "BoxOutDelta"), "servicePrincipals-synchronization-jobs.POST.request.json")
        try expectDocumented(
            KeyValuePair(key: "SkipOutOfScopeDeletions", value: "True"), "secrets-fragment.SkipOutOfScopeDeletions.json")
        let members = ["cbc86211-6ada-4803-b73f-8039cf56d8a2", "2bc86211-6ada-4803-b73f-8039cf56d8a2"].map {
            SynchronizationJobSubject(objectId: $0, objectTypeName: "User")
        }
        let group = SynchronizationJobSubject(
            objectId: "8213fd99-d6b6-417b-8e13-af6334856215", objectTypeName: "Group", members: members)
        try expectDocumented(
            ProvisionOnDemandRequest(ruleId: "33f7c90d-bf71-41b1-bda6-aaf0ddbee5d8#V2", subjects: [group]),
            "servicePrincipals-synchronization-jobs-jobId-provisionOnDemand.group.POST.request.json")

        // The documented restart lists its flags in another order; Graph reads the set, so compare the set.
        let restart = try RestartJobRequest.decode(
            GoldenFiles.read("\(Self.directory)/servicePrincipals-synchronization-jobs-jobId-restart.POST.request.json"))
        let documentedFlags = try #require(restart.json["criteria"]?["resetScope"]?.stringValue)
        let built = RestartJobRequest(resetScope: RestartScope.parse(documentedFlags))
        let builtFlags = try #require(built.json["criteria"]?["resetScope"]?.stringValue)
        func flags(_ text: String) -> Set<String> {
            Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
        #expect(flags(builtFlags) == ["Watermark", "Escrows", "QuarantineState"])
        #expect(flags(builtFlags) == flags(documentedFlags))
    }

    @Test func invalidDocumentationJSONIsRejected() throws {
        let text = try GoldenFiles.read("\(Self.directory)/\(Self.invalidExample)")
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func typedViewsReadTheExamples() throws {
        let job = try SynchronizationJob.decode(
            GoldenFiles.read("\(Self.directory)/servicePrincipals-synchronization-jobs-jobId.GET.response.json"))
        #expect(job.status?.code == "Paused")
        #expect(job.status?.quarantine?.seriesCount == 2)
        #expect(job.status?.quarantine?.error?.code == "SalesforceInvalidCredentials")
        #expect(job.schedule?.state == "Disabled")
        #expect(job.settings.first?.name == "QuarantineTooManyDeletesThreshold")

        let created = try InstantiateApplicationResponse.decode(
            GoldenFiles.read("\(Self.directory)/applicationTemplates-instantiate.response.json"))
        #expect(created.servicePrincipal?.id?.isEmpty == false)
        #expect(created.application?.appId?.isEmpty == false)

        let nonGallery = try InstantiateApplicationResponse.decode(
            GoldenFiles.read("\(Self.directory)/applicationTemplates-instantiate.nongallery.beta.response.json"))
        #expect(nonGallery.servicePrincipal?.id != nil)

        let parsed = try ParseExpressionResponse.decode(
            GoldenFiles.read(
                "\(Self.directory)/servicePrincipals-synchronization-jobs-jobId-schema-parseExpression.POST.response.json"))
        #expect(parsed.parsedExpression?.name == "Replace")
        #expect(parsed.parsedExpression?.parameters.map(\.key) == ["source", "Find", "Replacement"])
        #expect(parsed.parsedExpression?.parameters.first?.value?.type == "Attribute")

        let onDemand = try ProvisionOnDemandRequest.decode(
            GoldenFiles.read(
                "\(Self.directory)/servicePrincipals-synchronization-jobs-jobId-provisionOnDemand.group.POST.request.json"))
        #expect(onDemand.parameters.first?.ruleId == "33f7c90d-bf71-41b1-bda6-aaf0ddbee5d8#V2")
        #expect(onDemand.parameters.first?.subjects.first?.members.count == 2)

        let onDemandResult = try ProvisionOnDemandResponse.decode(
            GoldenFiles.read(
                "\(Self.directory)/servicePrincipals-synchronization-jobs-jobId-provisionOnDemand.POST.response.json"))
        #expect(onDemandResult.result != nil)
        #expect(onDemandResult.logEntry?["provisioningSteps"]?.arrayValue?.isEmpty == false)

        let throttled = try GraphErrorBody.decode(GoldenFiles.read("\(Self.directory)/graph-error-429.msqa-example.json"))
        #expect(throttled.error?.codeChain == ["activityLimitReached", "throttledRequest", "quota"])
        #expect(throttled.error?.requestId == "01c3bdb8-fbb1-4613-96ad-be961ba99e11")

        let secrets = try SynchronizationSecrets.decode(
            GoldenFiles.read("\(Self.directory)/servicePrincipals-synchronization-secrets.PUT.request.json"))
        #expect(secrets["SyncAll"] == "false")
        #expect(!secrets.description.contains("password-value"))

        let restart = try RestartJobRequest.decode(
            GoldenFiles.read("\(Self.directory)/servicePrincipals-synchronization-jobs-jobId-restart.POST.request.json"))
        #expect(restart.resetScope?.description == "Escrows, Watermark, QuarantineState")

        let token = try OAuthTokenResponse.decode(
            GoldenFiles.read("\(Self.directory)/login-oauth2-v2.0-token.client_credentials.response.json"))
        #expect(token.accessToken != nil)
        #expect(!token.description.contains(token.accessToken ?? "unreachable"))
    }

    @Test func settersKeepUnknownMembers() throws {
        var job = try SynchronizationJob.decode(#"{"id":"scim.1","futureMember":{"a":[1,2.5,null]},"templateId":"scim"}"#)
        job.templateId = "customappsso"
        #expect(job.json["futureMember"] == ["a": [1, 2.5, nil]])
        #expect(job.encoded() == #"{"futureMember":{"a":[1,2.5,null]},"id":"scim.1","templateId":"customappsso"}"#)
    }

    @Test func nonObjectBodiesAreRefused() {
        #expect(throws: GraphDecodingError.self) { try SynchronizationSchema.decode("[1,2]") }
        #expect(throws: JSONParseError.self) { try SynchronizationSchema.decode("{\"a\":") }
    }
}
