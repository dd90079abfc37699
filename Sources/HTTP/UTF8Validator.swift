/// Checks that a byte stream is well-formed UTF-8 (Unicode Table 3-7: no
/// overlong forms, no surrogates, nothing above U+10FFFF), fed in pieces
/// split anywhere, so text messages fail as soon as a bad byte arrives,
/// even when a character straddles two fragments.
struct UTF8Validator: Sendable {
    /// Continuation bytes still owed by the current character.
    private var owed = 0
    /// The range the next continuation byte must fall in.
    private var low: UInt8 = 0x80
    private var high: UInt8 = 0xBF

    /// Whether the bytes so far end on a character boundary.
    var isComplete: Bool { owed == 0 }

    /// Absorbs `bytes`; false as soon as they cannot be part of valid UTF-8.
    mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let count = bytes.count
        while i < count {
            if owed == 0 {
                while i + 8 <= count, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                }
                guard i < count else { return true }
                let b = bytes[i]
                i += 1
                switch b {
                case 0x00...0x7F: continue
                case 0xC2...0xDF: owed = 1; low = 0x80; high = 0xBF
                case 0xE0: owed = 2; low = 0xA0; high = 0xBF
                case 0xE1...0xEC, 0xEE...0xEF: owed = 2; low = 0x80; high = 0xBF
                case 0xED: owed = 2; low = 0x80; high = 0x9F
                case 0xF0: owed = 3; low = 0x90; high = 0xBF
                case 0xF1...0xF3: owed = 3; low = 0x80; high = 0xBF
                case 0xF4: owed = 3; low = 0x80; high = 0x8F
                default: return false
                }
            } else {
                let b = bytes[i]
                i += 1
                guard b >= low && b <= high else { return false }
                owed -= 1
                low = 0x80
                high = 0xBF
            }
        }
        return true
    }

    /// Whether `bytes` alone are complete, well-formed UTF-8.
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var validator = UTF8Validator()
        return validator.validate(bytes) && validator.isComplete
    }
}
