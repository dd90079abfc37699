import Foundation
import Hashing

/// A BIP-39 mnemonic in English: 12 to 24 words that encode 128 to 256 bits
/// of entropy plus a SHA-256 checksum, and the 64-byte seed BIP-32 derives
/// keys from.
///
/// ```swift
/// let m = try Mnemonic("test test test test test test test test test test test junk")
/// let seed = m.seed()                       // PBKDF2-HMAC-SHA512, 2048 rounds
/// ```
///
/// Invariant: `words` are list words whose checksum matches `entropy`.
public struct Mnemonic: Sendable, Equatable, CustomStringConvertible {
    /// The words, lowercase, in order.
    public let words: [String]
    /// The entropy the words encode: 16, 20, 24, 28 or 32 bytes.
    public let entropy: [UInt8]

    /// Word counts BIP-39 defines: 3 words per 32 bits of entropy.
    public static let wordCounts = [12, 15, 18, 21, 24]

    /// Parses a phrase: words separated by any whitespace, in any case (as
    /// wallets accept them). Throws the first problem found: word count,
    /// then an unknown word (with its position), then the checksum.
    public init(_ phrase: String) throws(MnemonicError) {
        let words = phrase.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)
        guard Self.wordCounts.contains(words.count) else { throw .wordCount(words.count) }
        var bits: [Bool] = []
        bits.reserveCapacity(words.count * 11)
        for (i, word) in words.enumerated() {
            guard let index = Self.index[word] else { throw .unknownWord(word, position: i + 1) }
            for b in stride(from: 10, through: 0, by: -1) { bits.append(index >> b & 1 == 1) }
        }
        let entropyBits = words.count * 32 / 3
        var entropy = [UInt8](repeating: 0, count: entropyBits / 8)
        for i in 0..<entropyBits where bits[i] { entropy[i / 8] |= 0x80 >> UInt8(i % 8) }
        guard Self.checksumBits(of: entropy) == Array(bits[entropyBits...]) else { throw .checksumMismatch }
        self.words = words
        self.entropy = entropy
    }

    /// The mnemonic that encodes `entropy` (16, 20, 24, 28 or 32 bytes).
    public init(entropy: [UInt8]) throws(MnemonicError) {
        guard [16, 20, 24, 28, 32].contains(entropy.count) else { throw .entropyLength(entropy.count) }
        var bits: [Bool] = []
        for byte in entropy { for b in stride(from: 7, through: 0, by: -1) { bits.append(byte >> UInt8(b) & 1 == 1) } }
        bits += Self.checksumBits(of: entropy)
        words = stride(from: 0, to: bits.count, by: 11).map { start in
            BIP39Wordlist.english[bits[start..<(start + 11)].reduce(0) { $0 << 1 | ($1 ? 1 : 0) }]
        }
        self.entropy = entropy
    }

    /// A new mnemonic of `wordCount` words from the system's random source.
    public static func random(wordCount: Int = 12) throws(MnemonicError) -> Mnemonic {
        guard wordCounts.contains(wordCount) else { throw .wordCount(wordCount) }
        var generator = SystemRandomNumberGenerator()
        return try Mnemonic(entropy: (0..<(wordCount * 4 / 3)).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The words joined by single spaces: the form the seed is computed from.
    public var phrase: String { words.joined(separator: " ") }

    public var description: String { phrase }

    /// The 64-byte BIP-39 seed: PBKDF2-HMAC-SHA512 of the NFKD-normalized
    /// phrase, salted with "mnemonic" + the NFKD-normalized passphrase, 2048 rounds.
    public func seed(passphrase: String = "") -> [UInt8] {
        PBKDF2.deriveKey(using: SHA512.self, password: Array(phrase.decomposedStringWithCompatibilityMapping.utf8),
                         salt: Array(("mnemonic" + passphrase).decomposedStringWithCompatibilityMapping.utf8),
                         iterations: 2048, keyLength: 64)
    }

    /// The first entropy-bits/32 bits of SHA-256(entropy).
    private static func checksumBits(of entropy: [UInt8]) -> [Bool] {
        let hash = SHA256.hash(entropy)
        return (0..<(entropy.count / 4)).map { i in hash[i / 8] & (0x80 >> UInt8(i % 8)) != 0 }
    }

    /// Word → its 11-bit index.
    private static let index: [String: Int] = Dictionary(
        uniqueKeysWithValues: BIP39Wordlist.english.enumerated().map { ($1, $0) })
}
