import Testing
@testable import GraphSync
@Test func placeholderCompiles() { #expect(DefaultTemplateSchema.schema().synchronizationRules.count == 1) }
