import CLI
import L1
import Primitives

extension WalletCommand {
    static func balance(_ o: WalletOptions, _ args: ParsedArguments) throws -> Int32 {
        let rest = try positionals(args, max: 1)
        var address = o.address
        if let text = rest.first {
            guard let a = Address(checksummed: text) else { throw CommandLineError.invalidValue(flag: "ADDR", value: text, expected: "a 20-byte address") }
            address = a
        }
        var out = JSONValueBuilder()
        var lines = ["\(address.checksummed)"]
        out.set("address", address)
        var failures: [String] = []

        var l2 = JSONValueBuilder()
        do {
            let wei = try o.node.balance(of: address)
            l2.set("wei", wei: wei); l2.set("eth", WeiAmount.ether(wei)); l2.set("source", "sequencer")
            lines.append("  L2: \(WeiAmount.ether(wei)) ETH (\(wei) wei), from the sequencer")
        } catch NodeRPCError.unreachable(let why) {
            do {
                let derived = try DerivedL2.derive(from: o.l1)
                let wei = derived.chain.state[address].balance
                l2.set("wei", wei: wei); l2.set("eth", WeiAmount.ether(wei)); l2.set("source", "l1-derived")
                lines.append("  L2: \(WeiAmount.ether(wei)) ETH (\(wei) wei), derived from L1 (sequencer unreachable: \(why))")
            } catch {
                l2.set("error", "sequencer unreachable: \(why); derivation failed: \(error)")
                failures.append("L2")
                lines.append("  L2: unavailable (sequencer unreachable: \(why); \(error))")
            }
        } catch {
            l2.set("error", "\(error)")
            failures.append("L2")
            lines.append("  L2: unavailable (\(error))")
        }
        out.set("l2", l2)

        var l1 = JSONValueBuilder()
        do {
            let wei = try o.l1.balance(of: address)
            l1.set("wei", wei: wei); l1.set("eth", WeiAmount.ether(wei))
            lines.append("  L1: \(WeiAmount.ether(wei)) ETH (\(wei) wei)")
        } catch {
            l1.set("error", "\(error)")
            failures.append("L1")
            lines.append("  L1: unavailable (\(error))")
        }
        out.set("l1", l1)
        o.emit(out, lines.joined(separator: "\n"))
        return failures.count == 2 ? 1 : 0
    }
}
