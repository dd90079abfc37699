import CLI
import Ethereum
import JSON
import L1
import Primitives
import Secp256k1

/// The flags every `sequencer wallet` subcommand shares, resolved: the two
/// endpoints, the signing key and the output mode.
struct WalletOptions {
    static let flags: [FlagSet.Flag] = [
        .init("rpc", value: "URL", default: "http://127.0.0.1:8545", help: "The sequencer's JSON-RPC URL."),
        .init("l1", value: "URL", default: "http://127.0.0.1:8546", help: "The L1's JSON-RPC URL."),
        .init("account", value: "N", default: "0", help: "Dev account index 0-9 to sign with."),
        .init("key", value: "HEX", help: "Private key to sign with (32 bytes hex), instead of --account."),
        .init("json", help: "Print one JSON object instead of text."),
    ]

    let node: NodeRPCClient
    let l1: HTTPL1Client
    let key: Secp256k1.PrivateKey
    let address: Address
    let json: Bool

    init(_ args: ParsedArguments) throws(CommandLineError) {
        let rpc = args.string("rpc") ?? "http://127.0.0.1:8545"
        let l1URL = args.string("l1") ?? "http://127.0.0.1:8546"
        guard let node = NodeRPCClient(url: rpc) else { throw .invalidValue(flag: "rpc", value: rpc, expected: "a URL like http://127.0.0.1:8545") }
        guard let l1 = HTTPL1Client(url: l1URL) else { throw .invalidValue(flag: "l1", value: l1URL, expected: "a URL like http://127.0.0.1:8546") }
        if let text = args.string("key") {
            guard let key = try? TransactionTemplate.privateKey(hex: text) else {
                throw .invalidValue(flag: "key", value: "…", expected: "32 bytes of hex below the curve order")
            }
            self.key = key
        } else {
            let index = try args.int("account", in: 0...9) ?? 0
            key = DevAccounts.keys[index]
        }
        self.node = node
        self.l1 = l1
        address = Address(publicKey: key.publicKey)
        json = args.bool("json")
    }

    /// Prints `value` as one line of JSON with `--json`, else `text`.
    func emit(_ value: JSONValueBuilder, _ text: @autoclosure () -> String) {
        print(json ? value.json.description : text())
    }

    /// The `--NAME` value as an amount in wei.
    static func amount(_ args: ParsedArguments, _ name: String = "value") throws(CommandLineError) -> UInt256 {
        guard let text = args.string(name) else { throw .missingArgument("--\(name) AMOUNT") }
        guard let wei = WeiAmount.parse(text) else {
            throw .invalidValue(flag: name, value: text, expected: "wei, or a number with a gwei/eth suffix (1eth, 0.5eth, 20gwei)")
        }
        return wei
    }

    /// The `--NAME` value as an address (EIP-55 checked when mixed case), nil when absent.
    static func address(_ args: ParsedArguments, _ name: String) throws(CommandLineError) -> Address? {
        guard let text = args.string(name) else { return nil }
        guard let a = Address(checksummed: text) else { throw .invalidValue(flag: name, value: text, expected: "a 20-byte address") }
        return a
    }

    /// The `--data` bytes, empty when absent.
    static func data(_ args: ParsedArguments) throws(CommandLineError) -> [UInt8] {
        guard let text = args.string("data") else { return [] }
        guard let bytes = Hex.decode(text) else { throw .invalidValue(flag: "data", value: text, expected: "hex bytes") }
        return bytes
    }

    /// Every address given to `--flag` (repeated, `--flag=A`, or comma-separated).
    static func addresses(repeatedFlag flag: String, in arguments: [String]) throws(CommandLineError) -> [Address] {
        var texts: [String] = []
        var i = 0
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if arg == "--" { break }
            if arg == "--\(flag)" || arg == "-\(flag)", i < arguments.count {
                texts.append(arguments[i])
                i += 1
            } else if arg.hasPrefix("--\(flag)=") {
                texts.append(String(arg.dropFirst(flag.count + 3)))
            }
        }
        var out: [Address] = []
        for text in texts.flatMap({ $0.split(separator: ",") }) {
            let trimmed = text.filter { !$0.isWhitespace }
            guard let a = Address(checksummed: trimmed) else { throw .invalidValue(flag: flag, value: trimmed, expected: "a 20-byte address") }
            out.append(a)
        }
        return out
    }
}
