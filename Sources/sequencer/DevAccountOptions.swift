import CLI
import Ethereum
import Primitives
import Secp256k1

/// `--mnemonic`, `--accounts` and `--balance`: the dev accounts genesis
/// funds, on L2 and on L1. The dev node and `sequencer l1` share them, and a
/// separate L1 must be started with the same values as the node, or the L1
/// re-executes batches from another genesis and rejects them.
struct DevAccountOptions {
    static let flags: [FlagSet.Flag] = [
        .init("mnemonic", value: "WORDS", default: DevAccounts.defaultMnemonic,
              help: "BIP-39 mnemonic whose keys m/44'/60'/0'/0/i are the funded, unlocked dev accounts."),
        .init("accounts", value: "N", default: "\(DevAccounts.defaultCount)", help: "How many dev accounts to derive and fund."),
        .init("balance", value: "ETH", default: "10000", help: "Genesis balance of each dev account in ETH (or with a unit: 0.5eth, 100gwei)."),
    ]

    let mnemonic: Mnemonic
    let keys: [Secp256k1.PrivateKey]
    let addresses: [Address]
    /// Each account's balance in wei.
    let balance: UInt256

    init(_ args: ParsedArguments) throws(CommandLineError) {
        let phrase = args.string("mnemonic") ?? DevAccounts.defaultMnemonic
        let count = try args.int("accounts", in: 0...10_000) ?? DevAccounts.defaultCount
        let balanceText = args.string("balance") ?? "10000"
        do {
            mnemonic = try Mnemonic(phrase)
        } catch {
            throw .invalidValue(flag: "mnemonic", value: phrase, expected: "a BIP-39 English mnemonic (\(error))")
        }
        if mnemonic.phrase == DevAccounts.defaultMnemonic && count <= DevAccounts.keys.count {
            keys = Array(DevAccounts.keys.prefix(count))
        } else {
            do {
                keys = try DevAccounts.keys(of: mnemonic, count: count)
            } catch {
                throw .invalidValue(flag: "mnemonic", value: phrase, expected: "a mnemonic whose first \(count) accounts derive (\(error))")
            }
        }
        addresses = keys.map { Address(publicKey: $0.publicKey) }
        let unitless = balanceText.allSatisfy { $0.isNumber || $0 == "." || $0 == "_" }
        guard let wei = WeiAmount.parse(unitless ? balanceText + "eth" : balanceText) else {
            throw .invalidValue(flag: "balance", value: balanceText, expected: "an amount of ETH like 10000 or 0.5 (at most 18 decimals)")
        }
        balance = wei
    }

    /// Genesis balances: every dev account with `balance`.
    var allocations: [(Address, UInt256)] { addresses.map { ($0, balance) } }

    /// The unlocked keys by address, for the signing RPC methods.
    var keysByAddress: [Address: Secp256k1.PrivateKey] {
        Dictionary(zip(addresses, keys).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
    }

    /// The "Available Accounts" and "Private Keys" sections of a banner.
    func bannerSections(privateKeys: Bool) -> String {
        var out = "Available Accounts\n==================\n"
        for (i, a) in addresses.enumerated() { out += "(\(i)) \(a.checksummed) (\(WeiAmount.ether(balance)) ETH)\n" }
        if privateKeys {
            out += "\nPrivate Keys\n==================\n"
            for (i, k) in keys.enumerated() { out += "(\(i)) \(Hex.encode(k.bytes))\n" }
        }
        out += "\nHD Wallet\n==================\nMnemonic:        \(mnemonic.phrase)\nDerivation path: m/44'/60'/0'/0/{i}\n"
        return out
    }
}
