import Expressions
import GraphModel
import Testing

/// The one JSON-to-evaluator conversion: sample files, Graph directory users and the emulator all read values so.
@Suite struct EvaluationValueJSONTests {
    @Test func scalarsKeepTheirKind() {
        #expect(EvaluationValue(json: .null) == .null)
        #expect(EvaluationValue(json: "Ada") == .string("Ada"))
        #expect(EvaluationValue(json: true) == .boolean(true))
        #expect(EvaluationValue(json: 42) == .number(42))
        #expect(EvaluationValue(json: .double(1.5)) == .string("1.5"))
    }

    @Test func listsBecomeMultiValuedTextAsEntraSendsIt() {
        let list: JSONValue = ["a", 7, false, .null, ["b", ["c"]]]
        #expect(EvaluationValue(json: list) == .multi(["a", "7", "False", "b", "c"]))
    }

    @Test func nestedObjectsBecomeTheirJSONText() {
        let manager: JSONValue = ["id": "m-1"]
        #expect(EvaluationValue(json: manager) == .string(#"{"id":"m-1"}"#))
        #expect(EvaluationValue(json: ["x": manager]) == .string(#"{"x":{"id":"m-1"}}"#))
    }
}
