import JSON

/// A request id as sent by the client: a string, a number or null, kept as its
/// exact JSON text so the response echoes it byte for byte (big integers and
/// escaped strings included).
public struct JSONRPCID: Sendable, Hashable, CustomStringConvertible {
    /// Which JSON type the id is.
    public enum Kind: Sendable, Hashable {
        case string, number, null
    }

    /// The id's JSON type.
    public let kind: Kind
    /// The id's JSON text exactly as sent, e.g. `"abc"` (with quotes), `1`, `null`.
    public let json: String

    init(kind: Kind, json: String) {
        self.kind = kind
        self.json = json
    }

    /// The `null` id.
    public static let null = JSONRPCID(kind: .null, json: "null")

    /// A numeric id.
    public init(_ number: Int) {
        self.init(kind: .number, json: String(number))
    }

    /// A string id.
    public init(_ string: String) {
        self.init(kind: .string, json: String(decoding: JSONValue.string(string).serialized(), as: UTF8.self))
    }

    /// The id as a JSON value.
    public var value: JSONValue {
        (try? JSONParser.parse(json)) ?? .null
    }

    public var description: String { json }
}
