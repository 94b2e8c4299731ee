import Provisioning

/// The library's remedies in the executable's words: its commands and options.
public enum RemedyWording {
    public static func text(_ remedy: Remedy) -> String {
        switch remedy {
        case .pinServicePrincipal: "; pin one with --service-principal-id"
        case .nameJob: "; name one with --job-id"
        case .queueBehindLock: ", or pass --lock-wait SECONDS to queue behind it"
        case .pointAtExistingApplication: ", then point at it with its displayName, appId or --service-principal-id"
        case .createApplicationOrSimulateEveryone:
            "; create it with `scimctl apply profile --no-start`, or simulate every user with --scope all"
        }
    }

    /// What to do about a job's state, with the commands that do it.
    public static func job(_ remedy: JobRemedy, servicePrincipalID: String) -> String {
        let restart = "scimctl restart --service-principal-id \(servicePrincipalID) --reset-scope"
        return switch remedy {
        case .start: "run apply with --start"
        case .startOrStartOver: "run apply with --start, or \(restart) Watermark to start over"
        case .applyProfile: "run scimctl apply profile for this application"
        case .reviewDeletions: "check the pending deletions in the provisioning logs; if they are intended, run \(restart) ForceDeletes"
        case .checkCredentials:
            "check the secret token and tenant URL (scimctl apply profile ... --update-secrets), then run \(restart) QuarantineState"
        case .fixFailingObjects:
            "fix the failing mappings or target data (see the provisioning logs), then run \(restart) Escrows,QuarantineState"
        case .resume: "run \(restart) QuarantineState when it should resume"
        case .resumeOrRestartFully: "run \(restart) QuarantineState; if it returns, \(restart) Full"
        case .fixCause: "fix the cause shown in the provisioning logs, then run \(restart) QuarantineState"
        }
    }

    /// An error's message followed by its remedy, when it has one.
    public static func describe(_ error: any Error) -> String {
        let remedy = (error as? ProvisioningError)?.remedy ?? (error as? ApplyLockError)?.remedy
        return String(describing: error) + (remedy.map(text) ?? "")
    }
}
