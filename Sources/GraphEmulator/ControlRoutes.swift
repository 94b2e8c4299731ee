import GraphModel

/// `/_emulator/...`: inspection and control, without authentication, never faulted and not recorded.
extension EmulatorEngine {
    func handleControl(_ context: inout GraphCallContext) -> EmulatorResponse {
        let method = context.request.method
        let path = Array(context.segments.dropFirst())
        do {
            switch (method, path) {
            case ("GET", ["requests"]):
                return .json(200, ["value": .array(log.map(\.json))])
            case ("DELETE", ["requests"]):
                log.removeAll()
                return .noContent()
            case ("POST", ["reset"]):
                reset()
                return .noContent()
            case ("GET", ["state"]):
                return .json(200, tenant().json(masked: true))
            case ("PUT", ["state"]):
                let body = try context.jsonBody()
                state = try TenantState(json: body)
                return .noContent()
            case ("GET", ["config"]):
                return .json(200, configuration.json)
            case ("PUT", ["config"]):
                try updateConfiguration(try context.jsonBody())
                return .json(200, configuration.json)
            case ("GET", ["users"]):
                return .json(200, ["value": .array(state.users)])
            case ("POST", ["users"]):
                let body = try context.jsonBody()
                try seedUser(body)
                return .json(201, body)
            case ("GET", ["directory"]):
                return .json(200, directory.json)
            case ("PUT", ["directory"]):
                directory = try EmulatedDirectory(json: try context.jsonBody())
                return .json(200, directory.json)
            case ("POST", ["clock"]):
                let body = try context.jsonBody()
                guard let seconds = body["advanceSeconds"].flatMap(Self.seconds), seconds > 0, seconds <= 1e9 else {
                    throw GraphError.badRequest("advanceSeconds must be a positive number of at most 1e9")
                }
                advanceClock(seconds: seconds)
                return .json(200, ["now": .string(Timestamp.iso8601(now, fractional: true))])
            default:
                return .json(404, ["error": ["code": "NotFound", "message": .string("no emulator control endpoint \(method) /\(context.segments.joined(separator: "/"))")]])
            }
        } catch let error as GraphError {
            return .json(error.status, ["error": ["code": .string(error.code), "message": .string(error.message)]])
        } catch let error as TenantStateError {
            return .json(400, ["error": ["code": "BadRequest", "message": .string(error.message)]])
        } catch let error as EmulatorConfigurationError {
            return .json(400, ["error": ["code": "BadRequest", "message": .string(error.message)]])
        } catch {
            return .json(400, ["error": ["code": "BadRequest", "message": "invalid request"]])
        }
    }

    private static func seconds(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let number): return Double(number)
        case .double(let number) where number.isFinite: return number
        default: return nil
        }
    }
}
