import GraphModel
import Testing

@Suite("Graph paths")
struct GraphPathsTests {
    /// An id is one path segment: it cannot climb out of its collection or add a query.
    @Test func idsArePercentEncodedAsOneSegment() {
        #expect(GraphPaths.servicePrincipal("../../applications") == "/servicePrincipals/..%2F..%2Fapplications")
        #expect(GraphPaths.servicePrincipal("..") == "/servicePrincipals/%2E%2E")
        #expect(GraphPaths.secrets(servicePrincipalId: "a?b#c d%") == "/servicePrincipals/a%3Fb%23c%20d%25/synchronization/secrets")
        #expect(GraphPaths.job(servicePrincipalId: "sp", jobId: "scim.1/../x") == "/servicePrincipals/sp/synchronization/jobs/scim.1%2F..%2Fx")
    }

    @Test func guidsAndRenderPlaceholdersAreUnchanged() {
        let id = "7c0b3c0e-2f4a-4d4e-9a0e-1b2c3d4e5f60"
        #expect(GraphPaths.servicePrincipal(id) == "/servicePrincipals/\(id)")
        #expect(GraphPaths.schema(servicePrincipalId: "{servicePrincipalId}", jobId: "{jobId}")
            == "/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{jobId}/schema")
    }
}
