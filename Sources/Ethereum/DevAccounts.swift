import Primitives
import Secp256k1

/// Dev accounts as local dev nodes make them: keys `m/44'/60'/0'/0/i` of a
/// BIP-39 mnemonic. The default "test test test test test test test test
/// test test test junk" gives the ten accounts Hardhat, Anvil and Foundry
/// fund; genesis funds them on L2 and the simulated L1 so tools preset for
/// local nodes work unchanged. Publicly known keys: never use them where
/// value is at stake.
public enum DevAccounts {
    /// The mnemonic local dev nodes use by default.
    public static let defaultMnemonic = "test test test test test test test test test test test junk"

    /// How many accounts a dev node funds unless told otherwise.
    public static let defaultCount = 10

    /// The first `count` account keys of `mnemonic` (with the BIP-39
    /// `passphrase`): one seed, one walk to `m/44'/60'/0'/0`, then one
    /// non-hardened step per account.
    public static func keys(of mnemonic: Mnemonic, count: Int, passphrase: String = "") throws(HDKeyError) -> [Secp256k1.PrivateKey] {
        guard count > 0 else { return [] }
        let parent = try ExtendedPrivateKey(seed: mnemonic.seed(passphrase: passphrase)).derive(.ethereumAccountParent)
        return try parent.children(0..<UInt32(count)).map(\.key)
    }

    /// The default mnemonic's ten keys, derived once on first use.
    public static let keys: [Secp256k1.PrivateKey] = {
        do {
            return try DevAccounts.keys(of: try Mnemonic(defaultMnemonic), count: defaultCount)
        } catch {
            fatalError("the default dev mnemonic must derive: \(error)")
        }
    }()

    /// `keys` as "0x" + 64 hex digits; index 0 is the key of `0xf39F…2266`.
    public static let privateKeys: [String] = keys.map { Hex.encode($0.bytes) }

    /// The addresses of `keys`, in the same order.
    public static let addresses: [Address] = keys.map { Address(publicKey: $0.publicKey) }
}
