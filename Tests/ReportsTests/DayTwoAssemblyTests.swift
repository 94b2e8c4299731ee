import Foundation
import GraphModel
import Reports
import Testing

@testable import Provisioning

@Suite("day-2 output of several results, in process")
struct DayTwoAssemblyTests {
    func onDemand(_ result: String) -> OnDemandResult {
        OnDemandProvisioner.result(["key": .string(#"{"result":"\#(result)"}"#), "value": "{}"], jobID: "job", ruleID: "rule")
    }

    func log(_ servicePrincipalID: String) -> ProvisioningLogSummary {
        ProvisioningLogSummary(
            servicePrincipalID: servicePrincipalID, since: Date(timeIntervalSince1970: 0), failedOnly: false, subjects: [],
            eventCount: 0, truncated: false)
    }

    @Test func onDemandOutcomesAreLabelledAndListed() {
        let outcomes = [
            OnDemandOutcome(label: "group Pilot with a, b", result: onDemand("Success")),
            OnDemandOutcome(label: nil, result: onDemand("Failure")),
        ]
        #expect(outcomes.map(\.result.result) == ["Success", "Failure"])
        let style = Style(enabled: false)
        let text = DayTwoRendering.onDemandText(outcomes, style: style)
        #expect(
            text == "group Pilot with a, b\n" + DayTwoRendering.onDemandText(outcomes[0].result, style: style) + "\n"
                + DayTwoRendering.onDemandText(outcomes[1].result, style: style))

        let one = Array(outcomes.prefix(1))
        #expect(DayTwoRendering.onDemandJSON(one, alwaysList: false) == DayTwoRendering.onDemandJSON(one[0].result))
        // A group's members are always a list, even when they fit in one request.
        #expect(DayTwoRendering.onDemandJSON(one, alwaysList: true)["requests"]?.arrayValue?.count == 1)
        #expect(DayTwoRendering.onDemandJSON(outcomes, alwaysList: false)["requests"]?.arrayValue?.count == 2)
    }

    @Test func logsOfSeveralApplicationsFollowEachOther() {
        let logs = [
            ApplicationProvisioningLog(name: nil, summary: log("sp-1")),
            ApplicationProvisioningLog(name: "Flosum", summary: log("sp-2")),
        ]
        let style = Style(enabled: false)
        #expect(
            ProvisioningLogRendering.text(logs, style: style)
                == ProvisioningLogRendering.text(logs[0].summary, name: nil, style: style) + "\n"
                + ProvisioningLogRendering.text(logs[1].summary, name: "Flosum", style: style))
        #expect(ProvisioningLogRendering.text(logs, style: style).contains("provisioning log of \"Flosum\" (service principal sp-2)"))

        #expect(ProvisioningLogRendering.json(Array(logs.suffix(1))) == ProvisioningLogRendering.json(logs[1].summary, name: "Flosum"))
        let both = ProvisioningLogRendering.json(logs)["applications"]?.arrayValue
        #expect(both?.map { $0["servicePrincipalId"]?.stringValue } == ["sp-1", "sp-2"])
        #expect(both?.first?["application"] == .null)
    }
}
