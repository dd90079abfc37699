import Primitives

/// A signed transaction as one JSON object, in the shape and number format
/// of geth's JSON-RPC transaction objects (quantities "0x…" without leading
/// zeros, lowercase addresses), for `sequencer tx decode` / `tx sign` and logs.
/// Failures have their own one-object form, `{"error": …, "input": …}`.
public enum TransactionDescription {
    /// How many input bytes an error object echoes.
    public static let echoedInputBytes = 64

    /// The fields of `transaction`, keyed `hash`, `from`, `type`, `chainId`
    /// (absent for pre-EIP-155 legacy), `nonce`, `to` (null for creation),
    /// `value`, `gas`, `gasPrice` (types 0 and 1) or `maxFeePerGas` and
    /// `maxPriorityFeePerGas` (type 2), `data`, `accessList` (typed only),
    /// `v`, `r`, `s`, `yParity` (typed only). `pretty` puts one field per line.
    public static func json(for transaction: SignedTransaction, sender: Address, pretty: Bool = false) -> String {
        let tx = transaction.transaction
        var fields: [(String, String)] = [
            ("hash", quoted(transaction.hash.description)),
            ("from", quoted(sender.hex)),
            ("type", quoted(UInt256(UInt64(tx.type.rawValue)).hexQuantity)),
        ]
        if let chainID = tx.chainID { fields.append(("chainId", quoted(UInt256(chainID).hexQuantity))) }
        fields.append(("nonce", quoted(UInt256(tx.nonce).hexQuantity)))
        fields.append(("to", tx.to.map { quoted($0.hex) } ?? "null"))
        fields.append(("value", quoted(tx.value.hexQuantity)))
        fields.append(("gas", quoted(UInt256(tx.gasLimit).hexQuantity)))
        if tx.type == .dynamicFee {
            fields.append(("maxFeePerGas", quoted(tx.maxFeePerGas.hexQuantity)))
            fields.append(("maxPriorityFeePerGas", quoted(tx.maxPriorityFeePerGas.hexQuantity)))
        } else {
            fields.append(("gasPrice", quoted(tx.gasPrice.hexQuantity)))
        }
        fields.append(("data", quoted(Hex.encode(tx.data))))
        if tx.type.isTyped { fields.append(("accessList", accessListJSON(tx.accessList))) }
        fields.append(("v", quoted(transaction.v.hexQuantity)))
        fields.append(("r", quoted(transaction.r.hexQuantity)))
        fields.append(("s", quoted(transaction.s.hexQuantity)))
        if tx.type.isTyped { fields.append(("yParity", quoted(UInt256(UInt64(transaction.yParity)).hexQuantity))) }
        return object(fields, pretty: pretty)
    }

    /// The error object for input that could not be used: the message and the
    /// first `echoedInputBytes` of the input as hex (with "…" and
    /// `inputLength` when cut).
    public static func json(error message: String, input: [UInt8], pretty: Bool = false) -> String {
        var fields = [("error", quoted(message))]
        if input.count > echoedInputBytes {
            fields.append(("input", quoted(Hex.encode(input.prefix(echoedInputBytes)) + "…")))
            fields.append(("inputLength", String(input.count)))
        } else {
            fields.append(("input", quoted(Hex.encode(input))))
        }
        return object(fields, pretty: pretty)
    }

    /// Decodes `raw`, recovers its sender and describes it; with `validation`,
    /// also applies those admission rules. Any failure gives the error object.
    public static func json(decoding raw: [UInt8], validation: TransactionValidation? = nil,
                            pretty: Bool = false) -> String {
        if let validation {
            do {
                let (tx, sender) = try validation.admit(raw)
                return json(for: tx, sender: sender, pretty: pretty)
            } catch {
                return json(error: error.message, input: raw, pretty: pretty)
            }
        }
        do {
            let tx = try SignedTransaction.decode(raw)
            return json(for: tx, sender: try tx.recoverSender(), pretty: pretty)
        } catch {
            return json(error: error.message, input: raw, pretty: pretty)
        }
    }

    /// `json(decoding:)` for hex text ("0x" optional), as a command line passes it.
    public static func json(decodingHex text: String, validation: TransactionValidation? = nil,
                            pretty: Bool = false) -> String {
        let trimmed = text.trimmingWhitespace
        guard let raw = Hex.decode(trimmed) else {
            return object([("error", quoted("invalid hex string")),
                           ("input", quoted(String(trimmed.prefix(2 * echoedInputBytes))))], pretty: pretty)
        }
        return json(decoding: raw, validation: validation, pretty: pretty)
    }

    private static func accessListJSON(_ list: [AccessListEntry]) -> String {
        let entries = list.map { entry in
            "{\"address\":\(quoted(entry.address.hex)),\"storageKeys\":["
                + entry.storageKeys.map { quoted($0.description) }.joined(separator: ",") + "]}"
        }
        return "[" + entries.joined(separator: ",") + "]"
    }

    private static func object(_ fields: [(String, String)], pretty: Bool) -> String {
        let members = fields.map { "\(quoted($0.0)):\(pretty ? " " : "")\($0.1)" }
        return pretty ? "{\n  " + members.joined(separator: ",\n  ") + "\n}" : "{" + members.joined(separator: ",") + "}"
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension String {
    fileprivate var trimmingWhitespace: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[start...end]
    }
}
