/// Why a BIP-39 mnemonic or its entropy was rejected.
public enum MnemonicError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A phrase whose word count is not 12, 15, 18, 21 or 24 (the count given).
    case wordCount(Int)
    /// A word that is not in the BIP-39 English list, with its 1-based position.
    case unknownWord(String, position: Int)
    /// The words are valid but their checksum bits do not match the entropy:
    /// usually a mistyped or reordered word.
    case checksumMismatch
    /// Entropy that is not 16, 20, 24, 28 or 32 bytes (the count given).
    case entropyLength(Int)

    public var description: String {
        switch self {
        case let .wordCount(n): "a mnemonic has 12, 15, 18, 21 or 24 words, not \(n)"
        case let .unknownWord(w, position): "word \(position) ('\(w)') is not in the BIP-39 English wordlist"
        case .checksumMismatch: "the mnemonic's checksum does not match: a word is mistyped or out of order"
        case let .entropyLength(n): "mnemonic entropy is 16, 20, 24, 28 or 32 bytes, not \(n)"
        }
    }
}
