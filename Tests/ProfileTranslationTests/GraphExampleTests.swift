import Testing

@testable import GraphModel

/// Every documentation example that is valid JSON decodes into its model and encodes back to the same JSON value.
struct GraphExampleTests {
    static let directory = "graph-examples"

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
        case let name where name.contains("schema-filterOperators"):
            return try via(GraphCollection<FilterOperatorSchema>.self)
        case let name where name.contains("schema-functions"):
            return try via(GraphCollection<MappingFunctionSchema>.self)
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

    @Test func everyValidExampleRoundTrips() throws {
        let files = try GoldenFiles.list(Self.directory).filter { $0.hasSuffix(".json") }
        #expect(files.count == 30)
        var checked = 0
        for file in files {
            let text = try GoldenFiles.read("\(Self.directory)/\(file)")
            guard let original = try? JSONValue(parsing: text) else { continue }
            let encoded = try Self.roundTrip(file, text).serialized(pretty: true)
            #expect(try JSONValue(parsing: encoded) == original, "\(file) changed in a round trip")
            checked += 1
        }
        // The list-jobs example has a trailing comma in the documentation; every other file is valid JSON.
        #expect(checked == files.count - 1)
    }

    @Test func invalidDocumentationJSONIsRejected() throws {
        let text = try GoldenFiles.read("\(Self.directory)/servicePrincipals-synchronization-jobs.GET.response.json")
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
