import ArgumentParser
import Foundation
import GraphSync
import Profiles

struct RenderProfile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Print the Graph requests a fresh apply of a profile would send (offline, no credentials).",
        discussion: """
            Prints {"applications":[{"name","displayName","requests":[{"method","path","body"}]}]} with keys \
            sorted, stable byte for byte. Ids not yet known are {servicePrincipalId} and {jobId}; secret tokens \
            are shown as where they come from, never as values.
            """
    )

    @OptionGroup var selection: ProfileSelection

    @Option(help: ArgumentHelp("Write one JSON file per request into this directory instead.", valueName: "DIR"))
    var output: String?

    func validate() throws {
        if let output { try WritableDirectory.check(output, option: "--output") }
    }

    func run() async throws {
        let resolved = try LoadedProfile.resolve(
            selection.profile, parameters: selection.parameters, policy: selection.policy.choice)
        _ = try selection.applications(of: resolved)
        let rendered: RenderedProfile
        do {
            rendered = try RequestRenderer.render(resolved, application: selection.application)
        } catch {
            Output.errLine("error: cannot render the schema: \(error.description)")
            throw ExitCode.failure
        }
        guard let output else {
            Output.out(rendered.text)
            return
        }
        let fileManager = FileManager.default
        for file in rendered.files {
            let path = output + "/" + file.path
            let directory = (path as NSString).deletingLastPathComponent
            do {
                try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try file.contents.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                Output.errLine("error: cannot write '\(path)': \(error.localizedDescription)")
                throw ExitCode.failure
            }
            Output.errLine("wrote \(path)")
        }
    }
}

/// A directory option (`--output`, `--backup-dir`) checked before any work: not empty, not a file, and either
/// existing and writable or creatable under a writable parent.
enum WritableDirectory {
    static func check(_ path: String, option: String) throws {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("\(option) needs a directory path, not an empty string")
        }
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ValidationError("\(option) '\(Output.escapedForTerminal(path))' is a file, not a directory; nothing was written")
            }
            guard fileManager.isWritableFile(atPath: path) else {
                throw ValidationError("\(option) '\(Output.escapedForTerminal(path))' is not writable; nothing was written")
            }
            return
        }
        // Not there yet: the nearest existing ancestor must be a writable directory.
        var ancestor = (path as NSString).deletingLastPathComponent
        while !ancestor.isEmpty, !fileManager.fileExists(atPath: ancestor) {
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        if ancestor.isEmpty { ancestor = "." }
        guard fileManager.fileExists(atPath: ancestor, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(option) '\(Output.escapedForTerminal(path))' lies under a file, not a directory; nothing was written")
        }
        guard fileManager.isWritableFile(atPath: ancestor) else {
            throw ValidationError("\(option) '\(Output.escapedForTerminal(path))' cannot be created: '\(ancestor)' is not writable; nothing was written")
        }
    }
}
