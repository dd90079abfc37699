/// A BIP-32 derivation path such as `m/44'/60'/0'/0/3`: child indices from
/// the master key, hardened ones (`'`, `h` or `H`) with bit 31 set.
public struct DerivationPath: Sendable, Hashable, CustomStringConvertible {
    /// The child numbers in order; ≥ 2³¹ means hardened.
    public let indices: [UInt32]

    /// The first hardened child number, 2³¹.
    public static let hardenedOffset: UInt32 = 0x8000_0000

    public init(indices: [UInt32]) {
        self.indices = indices
    }

    /// Parses `m` followed by `/`-separated decimal indices below 2³¹, each
    /// optionally marked hardened. Throws `DerivationPathError` naming the
    /// offending component.
    public init(_ text: String) throws(DerivationPathError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.first == "m" || parts.first == "M" else { throw .missingRoot(text) }
        var indices: [UInt32] = []
        for (position, part) in parts.dropFirst().enumerated() {
            var digits = Substring(part)
            var hardened = false
            if let last = digits.last, last == "'" || last == "h" || last == "H" {
                hardened = true
                digits = digits.dropLast()
            }
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                throw .invalidComponent(part, position: position + 1)
            }
            guard digits.count <= 10, let value = UInt64(digits), value < UInt64(Self.hardenedOffset) else {
                throw .indexTooLarge(part, position: position + 1)
            }
            indices.append(UInt32(value) | (hardened ? Self.hardenedOffset : 0))
        }
        guard indices.count <= 255 else { throw .tooDeep(indices.count) }
        self.indices = indices
    }

    /// `m/44'/60'/0'/0/index`: the BIP-44 path of Ethereum account `index`,
    /// the one MetaMask, Hardhat, Anvil and eth-account use.
    public static func ethereum(index: UInt32) -> DerivationPath {
        DerivationPath(indices: ethereumAccountParent.indices + [index])
    }

    /// `m/44'/60'/0'/0`: the parent of every `ethereum(index:)` key.
    public static let ethereumAccountParent = DerivationPath(
        indices: [44 | hardenedOffset, 60 | hardenedOffset, hardenedOffset, 0])

    public var description: String {
        (["m"] + indices.map { $0 >= Self.hardenedOffset ? "\($0 - Self.hardenedOffset)'" : "\($0)" }).joined(separator: "/")
    }
}

/// Why a derivation path did not parse; positions count components after `m`, from 1.
public enum DerivationPathError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path does not start with `m` (the master key).
    case missingRoot(String)
    /// A component that is empty or not decimal digits with an optional `'`, `h` or `H`.
    case invalidComponent(String, position: Int)
    /// A component whose number is 2³¹ or more (hardening is written with `'`, not by value).
    case indexTooLarge(String, position: Int)
    /// More than 255 levels, which an extended key's depth byte cannot record.
    case tooDeep(Int)

    public var description: String {
        switch self {
        case let .missingRoot(p): "derivation path '\(p)' must start with m/ (for example m/44'/60'/0'/0/0)"
        case let .invalidComponent(c, i): "derivation path component \(i) ('\(c)') is not a number with an optional ' for hardened"
        case let .indexTooLarge(c, i): "derivation path component \(i) ('\(c)') is 2^31 or more; mark hardened indices with ' instead"
        case let .tooDeep(n): "a derivation path has at most 255 levels, not \(n)"
        }
    }
}
