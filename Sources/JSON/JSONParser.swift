/// Entry points for parsing a whole document into a `JSONValue`.
///
/// Strict RFC 8259 (see `JSONParseError` for what is rejected): any value may
/// be at the top, surrounded only by whitespace. Thread-safe: it keeps no state.
public enum JSONParser {
    /// Parses `bytes` as one JSON document.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .default) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try parse(buffer, limits: limits) }
        }
        return try result.get()
    }

    /// Parses the UTF-8 of `text` as one JSON document.
    public static func parse(_ text: String, limits: JSONLimits = .default) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }

    /// Parses the bytes in `buffer` as one JSON document.
    public static func parse(_ buffer: UnsafeRawBufferPointer, limits: JSONLimits = .default) throws(JSONParseError) -> JSONValue {
        guard buffer.count <= limits.maxInputSize else {
            throw .inputTooLarge(size: buffer.count, limit: limits.maxInputSize)
        }
        var reader = JSONReader(buffer, limits: limits)
        let value = try reader.readValue()
        try reader.finish()
        return value
    }

    /// Checks that `buffer` is one valid JSON document without building it.
    public static func validate(_ buffer: UnsafeRawBufferPointer, limits: JSONLimits = .default) throws(JSONParseError) {
        guard buffer.count <= limits.maxInputSize else {
            throw .inputTooLarge(size: buffer.count, limit: limits.maxInputSize)
        }
        var reader = JSONReader(buffer, limits: limits)
        try reader.skipValue()
        try reader.finish()
    }
}

/// Bounds on what the parser accepts, so hostile input cannot exhaust the stack or memory.
public struct JSONLimits: Sendable, Equatable {
    /// The largest nesting depth the parser will ever allow. Parsing recurses
    /// once per level, so this bounds stack use on any thread (well under 512 KiB).
    public static let hardMaxDepth = 512

    /// Maximum nesting of arrays and objects; the top-level container is depth 1.
    /// Clamped to `1...hardMaxDepth`.
    public var maxDepth: Int {
        didSet { maxDepth = Self.clamp(maxDepth) }
    }

    /// Maximum input length in bytes.
    public var maxInputSize: Int

    /// A nesting depth of 64 and 5 MiB of input (geth's HTTP body limit).
    public static let `default` = JSONLimits(maxDepth: 64, maxInputSize: 5 << 20)

    /// Limits with the given depth (clamped to `1...hardMaxDepth`) and input size.
    public init(maxDepth: Int = 64, maxInputSize: Int = 5 << 20) {
        self.maxDepth = Self.clamp(maxDepth)
        self.maxInputSize = maxInputSize
    }

    private static func clamp(_ depth: Int) -> Int { min(max(depth, 1), hardMaxDepth) }
}
