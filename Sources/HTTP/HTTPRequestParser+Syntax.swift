import Glibc

/// Byte-level syntax of RFC 9110/9112: lines, tokens, field lines, lists, numbers.
extension HTTPRequestParser {
    enum LineResult {
        case partial
        case complete
        case tooLong
    }

    /// Appends `input[offset...]` up to and including the next LF to `buffer`,
    /// unless that would make `buffer` longer than `limit`. Returns the bytes
    /// taken and whether they ended a line.
    static func appendLine(_ input: UnsafeRawBufferPointer, from offset: Int, to buffer: inout [UInt8], limit: Int) -> (Int, LineResult) {
        let start = input.baseAddress! + offset
        let available = input.count - offset
        let newline = memchr(start, 10, available)
        let length = newline.map { UnsafeRawPointer($0) - start + 1 } ?? available
        guard buffer.count + length <= limit else { return (length, .tooLong) }
        buffer.append(contentsOf: UnsafeRawBufferPointer(start: start, count: length))
        return (length, newline == nil ? .partial : .complete)
    }

    /// The end of a line's content in `buffer` (which ends with LF): before the LF and an optional CR.
    static func contentEnd(_ buffer: [UInt8], from start: Int) -> Int {
        var end = buffer.count - 1
        if end > start && buffer[end - 1] == 13 { end -= 1 }
        return end
    }

    /// Parses `name: value` in `bytes[start..<end]`; nil when the name is not a
    /// token (which also rejects obsolete line folding and space before the colon)
    /// or the value holds control characters.
    static func parseField(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> HTTPHeaders.Field? {
        guard let colon = bytes[start..<end].firstIndex(of: 58), colon > start else { return nil }
        for i in start..<colon where !isTokenByte(bytes[i]) { return nil }
        var valueStart = colon + 1
        while valueStart < end && (bytes[valueStart] == 32 || bytes[valueStart] == 9) { valueStart += 1 }
        var valueEnd = end
        while valueEnd > valueStart && (bytes[valueEnd - 1] == 32 || bytes[valueEnd - 1] == 9) { valueEnd -= 1 }
        for i in valueStart..<valueEnd {
            let byte = bytes[i]
            if (byte < 32 && byte != 9) || byte == 127 { return nil }
        }
        return HTTPHeaders.Field(nameStart: Int32(start), nameEnd: Int32(colon), valueStart: Int32(valueStart), valueEnd: Int32(valueEnd))
    }

    /// RFC 9110 `tchar`.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 97...122, 65...90, 48...57: true
        case 33, 35, 36, 37, 38, 39, 42, 43, 45, 46, 94, 95, 96, 124, 126: true
        default: false
        }
    }

    /// Calls `body` with each non-empty element of a comma-separated list, trimmed of whitespace.
    static func forEachElement(_ value: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0
        while start <= value.count {
            var end = start
            while end < value.count && value[end] != 44 { end += 1 }
            var a = start
            var b = end
            while a < b && (value[a] == 32 || value[a] == 9) { a += 1 }
            while b > a && (value[b - 1] == 32 || value[b - 1] == 9) { b -= 1 }
            if b > a { body(UnsafeBufferPointer(rebasing: value[a..<b])) }
            start = end + 1
        }
    }

    /// A non-negative decimal; `Int.max` when it has more than 18 digits (too large for any limit).
    static func parseDecimal(_ digits: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !digits.isEmpty else { return nil }
        var value = 0
        for byte in digits {
            guard byte &- 48 < 10 else { return nil }
            value = value &* 10 &+ Int(byte &- 48)
        }
        return digits.count > 18 ? Int.max : value
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 48...57: Int(byte - 48)
        case 97...102: Int(byte - 87)
        case 65...70: Int(byte - 55)
        default: nil
        }
    }
}
