import JSON

/// The `params` of a call, with positional accessors that fail with
/// `JSONRPCParamsError` (-32602, geth's wording) so handlers can just `try`.
public struct JSONRPCParams: Sendable {
    /// The raw `params` member: an array, an object, or nil when absent.
    public let value: JSONValue?

    /// Params from the request's `params` member (an array, an object, or nil).
    public init(_ value: JSONValue?) {
        self.value = value
    }

    /// The positional arguments (empty when `params` is absent or named).
    public var positional: [JSONValue] {
        if case .array(let a)? = value { return a }
        return []
    }

    /// The named arguments, when `params` is an object.
    public var named: [(key: String, value: JSONValue)]? {
        value?.objectValue
    }

    /// The number of positional arguments.
    public var count: Int { positional.count }

    /// The positional argument at `index`, or nil when there are fewer.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let a)? = value, index < a.count, index >= 0 else { return nil }
        return a[index]
    }

    /// Fails unless `params` is absent or an array of at most `limit` elements.
    public func expectAtMost(_ limit: Int) throws(JSONRPCParamsError) {
        if case .object? = value { throw .notPositional }
        if count > limit { throw .tooMany(limit: limit, given: count) }
    }

    /// The argument at `index`; missing or `null` is an error.
    public func required(_ index: Int) throws(JSONRPCParamsError) -> JSONValue {
        if case .object? = value { throw .notPositional }
        guard let v = self[index], !v.isNull else { throw .missing(index: index) }
        return v
    }

    /// The argument at `index`, or nil when it is missing or `null`.
    public func optional(_ index: Int) throws(JSONRPCParamsError) -> JSONValue? {
        if case .object? = value { throw .notPositional }
        guard let v = self[index], !v.isNull else { return nil }
        return v
    }

    /// The required argument at `index` converted by `convert`; when that returns
    /// nil the error reads "invalid argument N: expected `expected`, got …".
    public func required<T>(_ index: Int, expected: String, _ convert: (JSONValue) -> T?) throws(JSONRPCParamsError) -> T {
        let v = try required(index)
        guard let t = convert(v) else { throw .invalid(index: index, reason: "expected \(expected), got \(v.kindName)") }
        return t
    }

    /// The required string argument at `index`.
    public func string(_ index: Int) throws(JSONRPCParamsError) -> String {
        try required(index, expected: "a string") { $0.stringValue }
    }

    /// The required Boolean argument at `index`.
    public func bool(_ index: Int) throws(JSONRPCParamsError) -> Bool {
        try required(index, expected: "a boolean") { $0.boolValue }
    }

    /// The required integer argument at `index` (a JSON number written as an integer).
    public func int(_ index: Int) throws(JSONRPCParamsError) -> Int {
        try required(index, expected: "an integer") { $0.intValue }
    }

    /// The required object argument at `index`.
    public func object(_ index: Int) throws(JSONRPCParamsError) -> [(key: String, value: JSONValue)] {
        try required(index, expected: "an object") { $0.objectValue }
    }

    /// The required array argument at `index`.
    public func array(_ index: Int) throws(JSONRPCParamsError) -> [JSONValue] {
        try required(index, expected: "an array") { $0.arrayValue }
    }
}

/// Why a call's parameters were rejected; maps to -32602.
public enum JSONRPCParamsError: Error, Sendable, Equatable, JSONRPCErrorConvertible {
    /// A required positional argument is missing or null.
    case missing(index: Int)
    /// The argument at `index` has the wrong type or form.
    case invalid(index: Int, reason: String)
    /// More positional arguments than the method takes.
    case tooMany(limit: Int, given: Int)
    /// Named (object) params where the method takes positional ones.
    case notPositional

    public var jsonRPCError: JSONRPCError {
        switch self {
        case .missing(let index): .invalidParams("missing value for required argument \(index)")
        case let .invalid(index, reason): .invalidParams("invalid argument \(index): \(reason)")
        case let .tooMany(limit, _): .invalidParams("too many arguments, want at most \(limit)")
        case .notPositional: .invalidParams("invalid params: expected positional arguments (an array), got named ones")
        }
    }
}
