import Testing

/// The golden-file helper itself: recording is opt-in, never passes, and is refused on CI.
struct GoldenFilesTests {
    @Test func recordingIsAnExplicitOptIn() {
        #expect(GoldenFiles.mode([:]) == .compare)
        #expect(GoldenFiles.mode(["SCIMCTL_RECORD_GOLDEN": "0"]) == .compare)
        #expect(GoldenFiles.mode(["SCIMCTL_RECORD": "1"]) == .compare)
        #expect(GoldenFiles.mode(["SCIMCTL_RECORD_GOLDEN": "1"]) == .record)
        #expect(GoldenFiles.mode(["SCIMCTL_RECORD_GOLDEN": "1", "CI": "false"]) == .record)
    }

    @Test func continuousIntegrationRefusesRecording() {
        #expect(GoldenFiles.mode(["SCIMCTL_RECORD_GOLDEN": "1", "CI": "true"]) == .refused)
        #expect(GoldenFiles.mode(["SCIMCTL_RECORD_GOLDEN": "1", "CI": "1"]) == .refused)
        let failure = GoldenFiles.failure(actual: "same", expected: "same", golden: "a.json", mode: .refused)
        #expect(failure?.contains("refused when CI is set") == true)
    }

    @Test func onlyAnEqualComparisonPasses() {
        #expect(GoldenFiles.failure(actual: "a\nb", expected: "a\nb", golden: "x", mode: .compare) == nil)
        let differs = GoldenFiles.failure(actual: "a\nb", expected: "a\nc", golden: "x", mode: .compare)
        #expect(differs?.contains("first at line 2") == true)
        // A recording run writes the file and still fails, even when nothing changed.
        let recorded = GoldenFiles.failure(actual: "a", expected: "a", golden: "x", mode: .record)
        #expect(recorded?.contains("re-run without SCIMCTL_RECORD_GOLDEN") == true)
    }

    @Test func aMissingGoldenFileFailsWithInstructions() {
        let missing = GoldenFiles.failure(actual: "a", expected: nil, golden: "render/new.json", mode: .compare)
        #expect(missing == "golden file render/new.json is missing; create it with SCIMCTL_RECORD_GOLDEN=1 and review it")
        #expect(throws: (any Error).self) { try GoldenFiles.read("render/does-not-exist.json") }
    }
}
