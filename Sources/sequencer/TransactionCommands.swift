import CLI
import Ethereum
import Foundation

/// `sequencer tx decode` and `sequencer tx sign`: make and inspect raw
/// transactions without a wallet, for curl users.
enum TransactionCommands {
    static let signFlags = FlagSet(TransactionTemplate.options.map { .init($0.name, value: $0.value, help: $0.help) })
    static let decodeFlags = FlagSet([.init("pretty", help: "Indent the JSON.")])

    static func run(_ arguments: [String]) throws -> Int32 {
        var args = arguments
        guard let sub = args.first else {
            print("usage: sequencer tx decode [RAW…] | sequencer tx sign --key HEX --chain-id N --nonce N --to ADDR --value WEI [flags]")
            return 2
        }
        args.removeFirst()
        switch sub {
        case "decode": return try decode(args)
        case "sign": return try sign(args)
        default: throw CommandLineError.unknownCommand("tx \(sub)", known: ["tx decode", "tx sign"])
        }
    }

    static func decode(_ arguments: [String]) throws -> Int32 {
        let args = try decodeFlags.parse(arguments)
        if args.wantsHelp {
            print(decodeFlags.help(usage: "sequencer tx decode [RAW…]",
                                   summary: "Decodes raw transactions (hex arguments, or one per line on standard input) into one JSON object each; an invalid one prints an error object and the command goes on."))
            return 0
        }
        var failures = 0
        func handle(_ text: String) {
            let out = TransactionDescription.json(decodingHex: text, pretty: args.bool("pretty"))
            if out.hasPrefix("{\"error\"") || out.hasPrefix("{\n  \"error\"") { failures += 1 }
            print(out)
        }
        if args.positionals.isEmpty {
            while let line = readLine() {
                if line.allSatisfy(\.isWhitespace) { continue }
                handle(line)
            }
        } else {
            args.positionals.forEach(handle)
        }
        return failures == 0 ? 0 : 1
    }

    static func sign(_ arguments: [String]) throws -> Int32 {
        let args = try signFlags.parse(arguments)
        if args.wantsHelp {
            print(signFlags.help(usage: "sequencer tx sign --key HEX --chain-id N --nonce N --to ADDR --value WEI [flags]",
                                 summary: "Signs a transaction and prints its raw hex, ready for eth_sendRawTransaction."))
            return 0
        }
        var options = args.values
        options["help"] = nil
        do {
            let tx = try TransactionTemplate.sign(options: options)
            print("0x" + tx.raw.map { String(format: "%02x", $0) }.joined())
            return 0
        } catch {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            return 2
        }
    }
}
