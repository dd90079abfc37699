import Ethereum
import JSON
import JSONRPC
import Primitives
import Rollup
import Secp256k1

/// The unlocked dev accounts, as a local dev node offers them: sending from
/// them (`eth_sendTransaction`, also from impersonated addresses on the dev
/// chain) and signing with them (`eth_sign`, `personal_sign`,
/// `eth_signTypedData_v4`). The keys are the well-known dev keys.
struct AccountMethods: Sendable {
    let keys: [Address: Secp256k1.PrivateKey]
    let store: ChainStore
    let admission: Admission
    let dev: DevChain
    let suggestedTip: UInt256

    func register(into router: inout JSONRPCRouter) {
        let keys = keys, store = store, admission = admission, dev = dev, suggestedTip = suggestedTip
        let chain = dev.runtime.chain
        router.registerDeferred("eth_sendTransaction") { call, respond in
            let request = try TransactionRequest(call.params, store: store, chain: chain, suggestedTip: suggestedTip)
            if let key = keys[request.from] {
                let tx = request.transaction.signed(with: key)
                try admission.checkStateless(tx)
                admission.submit(tx, sender: request.from, arrived: 0) { outcome in
                    switch outcome {
                    case let .placed(hash, _), let .waitingForNonce(hash, _), let .waitingForWindow(hash):
                        respond(.success(.string(hash.description)))
                    case let .rejected(error):
                        respond.fail(error)
                    }
                }
            } else if dev.impersonated.withLock({ $0.contains(request.from) }) {
                let tx = DevOperation.impersonating(request.transaction, sender: request.from)
                dev.change(respond, answer: .string(tx.hash.description)) { core, now in
                    core.applyDev(.impersonated(tx, sender: request.from), nowMillis: now)
                }
            } else {
                throw AccountError.locked(request.from)
            }
        }
        router.register("eth_sign") { call in
            let address = try RPCHex.address(call.params, 0)
            let message = try Self.message(call.params, 1)
            return .success(.string(Hex.encode(PersonalMessage.sign(message, with: try Self.key(address, keys)))))
        }
        for name in ["eth_signTypedData_v4", "eth_signTypedData"] {
            router.register(name) { call in
                let address = try RPCHex.address(call.params, 0)
                let data: TypedData
                do {
                    if let text = call.params[1]?.stringValue { data = try TypedData(jsonText: text) }
                    else if let value = call.params[1], value.objectValue != nil { data = try TypedData(json: value) }
                    else { throw JSONRPCError.invalidParams("invalid argument 1: expected the typed data as an object or a JSON string") }
                    return .success(.string(Hex.encode(try data.sign(with: try Self.key(address, keys)))))
                } catch let error as TypedDataError {
                    throw JSONRPCError.invalidParams("invalid argument 1: \(error)")
                }
            }
        }
        router.register("personal_sign") { call in
            let message = try Self.message(call.params, 0)
            let address = try RPCHex.address(call.params, 1)
            return .success(.string(Hex.encode(PersonalMessage.sign(message, with: try Self.key(address, keys)))))
        }
    }

    static func key(_ address: Address, _ keys: [Address: Secp256k1.PrivateKey]) throws(JSONRPCError) -> Secp256k1.PrivateKey {
        guard let key = keys[address] else { throw AccountError.locked(address).jsonRPCError }
        return key
    }

    /// A message given as 0x-hex bytes, or else as text (its UTF-8 bytes), as dev nodes accept.
    static func message(_ params: JSONRPCParams, _ index: Int) throws(JSONRPCError) -> [UInt8] {
        guard let s = params[index]?.stringValue else { throw .invalidParams("invalid argument \(index): expected the message as hex or text") }
        if s.hasPrefix("0x"), let bytes = Hex.decode(s) { return bytes }
        return Array(s.utf8)
    }
}

/// Why an account method cannot act for an address.
enum AccountError: Error, Sendable, JSONRPCErrorConvertible {
    case locked(Address)

    var jsonRPCError: JSONRPCError {
        switch self {
        case let .locked(a):
            .server("unknown account \(a.checksummed): eth_accounts lists the unlocked ones; on the dev chain anvil_impersonateAccount lets you send from any address",
                    code: -32000)
        }
    }
}
