import Hashing
import Primitives
import Secp256k1

/// A BIP-32 extended private key: a secp256k1 key plus the chain code that
/// lets it derive children. Dev accounts come from `m/44'/60'/0'/0/i` of the
/// master key of a BIP-39 seed.
///
/// ```swift
/// let master = try ExtendedPrivateKey(seed: mnemonic.seed())
/// let account3 = try master.derive(DerivationPath("m/44'/60'/0'/0/3")).key
/// ```
///
/// Immutable value; safe to share between threads.
public struct ExtendedPrivateKey: Sendable, Equatable, CustomStringConvertible {
    /// The private key.
    public let key: Secp256k1.PrivateKey
    /// The 32-byte chain code.
    public let chainCode: [UInt8]
    /// 0 for the master key, one more per derivation step.
    public let depth: UInt8
    /// The child number this key was derived with (≥ 2³¹ when hardened); 0 for the master.
    public let childNumber: UInt32
    /// The parent's key, kept only to compute the parent fingerprint when the
    /// key is serialized (the fingerprint costs a point multiplication).
    private let parentKey: Secp256k1.PrivateKey?

    /// The master key of `seed` (16 to 64 bytes): HMAC-SHA512 keyed with
    /// "Bitcoin seed". Throws `invalidMasterKey` in the (2⁻¹²⁷-likely) case
    /// that the left half is zero or ≥ n, where BIP-32 says to use another seed.
    public init(seed: [UInt8]) throws(HDKeyError) {
        guard (16...64).contains(seed.count) else { throw .seedLength(seed.count) }
        let i = HMAC<SHA512>.authenticate(key: Array("Bitcoin seed".utf8), message: seed)
        guard let key = try? Secp256k1.PrivateKey(bytes: i[0..<32]) else { throw .invalidMasterKey }
        self.init(key: key, chainCode: Array(i[32...]), depth: 0, childNumber: 0, parentKey: nil)
    }

    private init(key: Secp256k1.PrivateKey, chainCode: [UInt8], depth: UInt8, childNumber: UInt32,
                 parentKey: Secp256k1.PrivateKey?) {
        self.key = key
        self.chainCode = chainCode
        self.depth = depth
        self.childNumber = childNumber
        self.parentKey = parentKey
    }

    /// CKDpriv: the child `index` (hardened when ≥ 2³¹). Throws
    /// `invalidChild` when BIP-32 declares that child invalid (probability
    /// below 2⁻¹²⁷): the caller should move on to the next index.
    public func child(_ index: UInt32) throws(HDKeyError) -> ExtendedPrivateKey {
        try child(index, publicKey: index >= DerivationPath.hardenedOffset ? nil : key.publicKey.compressed)
    }

    /// Non-hardened children `indices` at the cost of one public key (this
    /// key's) for all of them, instead of one per child.
    public func children(_ indices: some Sequence<UInt32>) throws(HDKeyError) -> [ExtendedPrivateKey] {
        var publicKey: [UInt8]?
        var out: [ExtendedPrivateKey] = []
        for index in indices {
            if index < DerivationPath.hardenedOffset && publicKey == nil { publicKey = key.publicKey.compressed }
            out.append(try child(index, publicKey: index >= DerivationPath.hardenedOffset ? nil : publicKey))
        }
        return out
    }

    /// The key at `path` below this one (normally the master).
    public func derive(_ path: DerivationPath) throws(HDKeyError) -> ExtendedPrivateKey {
        var k = self
        for index in path.indices { k = try k.child(index) }
        return k
    }

    private func child(_ index: UInt32, publicKey: [UInt8]?) throws(HDKeyError) -> ExtendedPrivateKey {
        guard depth < 255 else { throw .depthOverflow }
        var mac = HMAC<SHA512>(key: chainCode)
        if let publicKey {
            mac.update(bytes: publicKey)
        } else {
            mac.update(bytes: [0])
            mac.update(bytes: key.bytes)
        }
        mac.update(bytes: [UInt8(index >> 24), UInt8(truncatingIfNeeded: index >> 16),
                           UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index)])
        let i = mac.finalize()
        guard let childKey = key.adding(tweak: i[0..<32]) else { throw .invalidChild(index: index, depth: depth + 1) }
        return ExtendedPrivateKey(key: childKey, chainCode: Array(i[32...]), depth: depth + 1, childNumber: index, parentKey: key)
    }

    /// The Ethereum address of `key`.
    public var address: Address { Address(publicKey: key.publicKey) }

    /// The first four bytes of HASH160(compressed public key), by which
    /// children name this key.
    public var fingerprint: [UInt8] { Self.fingerprint(of: key) }

    /// The parent's fingerprint, zero for the master.
    public var parentFingerprint: [UInt8] { parentKey.map(Self.fingerprint(of:)) ?? [0, 0, 0, 0] }

    /// The mainnet `xprv…` Base58Check serialization (BIP-32 "Serialization format").
    public var serialized: String { Base58Check.encode(serialization(version: 0x0488_ADE4, keyData: [0] + key.bytes)) }

    /// The mainnet `xpub…` serialization of the matching extended public key.
    public var serializedPublic: String {
        Base58Check.encode(serialization(version: 0x0488_B21E, keyData: key.publicKey.compressed))
    }

    /// Redacted, as `Secp256k1.PrivateKey` is: use `serialized` to reveal it on purpose.
    public var description: String { "ExtendedPrivateKey(depth: \(depth), child: \(childNumber), <redacted>)" }

    private func serialization(version: UInt32, keyData: [UInt8]) -> [UInt8] {
        func be(_ v: UInt32) -> [UInt8] {
            [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
        }
        return be(version) + [depth] + parentFingerprint + be(childNumber) + chainCode + keyData
    }

    private static func fingerprint(of key: Secp256k1.PrivateKey) -> [UInt8] {
        Array(RIPEMD160.hash(SHA256.hash(key.publicKey.compressed)).prefix(4))
    }
}

/// Why a BIP-32 key could not be derived.
public enum HDKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A seed outside 16…64 bytes (the length given).
    case seedLength(Int)
    /// The seed's master key is zero or ≥ n; BIP-32 says to pick another seed.
    case invalidMasterKey
    /// Child `index` at `depth` is invalid (tweak ≥ n or a zero key); use the next index.
    case invalidChild(index: UInt32, depth: UInt8)
    /// A derivation below depth 255, which the serialization cannot record.
    case depthOverflow

    public var description: String {
        switch self {
        case let .seedLength(n): "a BIP-32 seed is 16 to 64 bytes, not \(n)"
        case .invalidMasterKey: "this seed gives an invalid BIP-32 master key; use another seed"
        case let .invalidChild(index, depth): "BIP-32 child \(index) at depth \(depth) is invalid; use the next index"
        case .depthOverflow: "BIP-32 keys cannot be derived below depth 255"
        }
    }
}
