/// What the parser was looking for when it failed, for error messages.
public enum JSONExpectation: Sendable, Equatable, CustomStringConvertible {
    case value
    case memberName
    case colon
    case commaOrCloseBrace
    case commaOrCloseBracket
    case digit
    case hexDigit
    case closingQuote
    case literal(String)
    case endOfInput

    public var description: String {
        switch self {
        case .value: "a value"
        case .memberName: "a member name string"
        case .colon: "':'"
        case .commaOrCloseBrace: "',' or '}'"
        case .commaOrCloseBracket: "',' or ']'"
        case .digit: "a digit"
        case .hexDigit: "a hex digit"
        case .closingQuote: "a closing '\"'"
        case .literal(let word): "'\(word)'"
        case .endOfInput: "the end of input"
        }
    }
}

/// Why a document was rejected, with the byte offset of the problem.
///
/// The parser is strict RFC 8259: no BOM, comments, trailing commas, leading
/// zeros, raw control characters, invalid escapes, lone surrogates (rejected,
/// never replaced, so no data is silently altered) or invalid UTF-8.
public enum JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input ended while `expected` was still needed.
    case unexpectedEnd(offset: Int, expected: JSONExpectation)
    /// A byte that cannot start or continue what was `expected`.
    case unexpectedByte(UInt8, offset: Int, expected: JSONExpectation)
    /// A number with a redundant leading zero (`01`, `-00`).
    case leadingZero(offset: Int)
    /// A raw byte below 0x20 inside a string; it must be escaped.
    case controlCharacterInString(UInt8, offset: Int)
    /// A backslash followed by a byte that is not a JSON escape.
    case invalidEscape(UInt8, offset: Int)
    /// A `\u` escape of a UTF-16 surrogate without its partner.
    case loneSurrogate(offset: Int)
    /// A byte sequence that is not well-formed UTF-8.
    case invalidUTF8(offset: Int)
    /// Arrays and objects nested deeper than the limit.
    case nestingTooDeep(offset: Int, limit: Int)
    /// The input is longer than the caller allows.
    case inputTooLarge(size: Int, limit: Int)

    /// The byte offset at which the problem was found.
    public var offset: Int {
        switch self {
        case .unexpectedEnd(let o, _), .unexpectedByte(_, let o, _), .leadingZero(let o),
             .controlCharacterInString(_, let o), .invalidEscape(_, let o), .loneSurrogate(let o),
             .invalidUTF8(let o), .nestingTooDeep(let o, _):
            o
        case .inputTooLarge(_, let limit): limit
        }
    }

    public var description: String {
        switch self {
        case let .unexpectedEnd(o, expected):
            "unexpected end of input at offset \(o), expected \(expected)"
        case let .unexpectedByte(b, o, expected):
            "unexpected \(Self.show(b)) at offset \(o), expected \(expected)"
        case let .leadingZero(o):
            "number with a leading zero at offset \(o)"
        case let .controlCharacterInString(b, o):
            "unescaped control character \(Self.show(b)) in string at offset \(o)"
        case let .invalidEscape(b, o):
            "invalid escape '\\\(Self.show(b, quoted: false))' at offset \(o)"
        case let .loneSurrogate(o):
            "unpaired UTF-16 surrogate escape at offset \(o)"
        case let .invalidUTF8(o):
            "invalid UTF-8 at offset \(o)"
        case let .nestingTooDeep(o, limit):
            "nesting deeper than \(limit) at offset \(o)"
        case let .inputTooLarge(size, limit):
            "input of \(size) bytes exceeds the limit of \(limit)"
        }
    }

    private static func show(_ b: UInt8, quoted: Bool = true) -> String {
        if b >= 0x21 && b < 0x7F {
            let c = String(UnicodeScalar(b))
            return quoted ? "'\(c)'" : c
        }
        let hex = String(b, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count < 2 ? "0" + hex : hex)
    }
}
