import Diagnostics

/// Checks of the keys that manage the app's life beyond mappings: notification address, pause.
extension ProfileValidator {
    static func checkLifecycle(_ application: Application, into findings: inout Findings) {
        if application.paused, application.startProvisioning {
            findings.add(
                .warning(
                    .pausedAndStarted, "application '\(application.name)' is paused, so startProvisioning has no effect",
                    at: application.location, hint: "remove 'paused: true' to resume provisioning"))
        }
    }

    /// Values that hold placeholders are checked once the parameters are substituted.
    static func checkResolvedSettings(
        _ application: ResolvedApplication, original: [Application], into findings: inout Findings
    ) {
        guard let source = original.first(where: { $0.name == application.name }),
            let template = source.notificationEmail, !Placeholders.names(in: template).isEmpty,
            let email = application.notificationEmail, !isPlausibleEmail(email)
        else { return }
        findings.add(
            .error(
                .notificationEmail, "'\(email)' (from \(template)) is not an e-mail address", at: application.location,
                hint: "pass one address such as ops@example.com for the parameter"))
    }
}

extension DiagnosticID {
    public static let pausedAndStarted: DiagnosticID = "profile.paused-start"
}
