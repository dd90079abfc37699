import Ethereum
import Foundation
import Glibc
import HTTP
import Primitives

/// Seal-to-delivery latency of `newHeads` over WebSocket, against a running
/// node (`scripts/bench-websocket` starts one that seals only on demand).
///
///     swift run -c release bench websocket --url ws://127.0.0.1:P --token T [--pid PID]
///         [--subscribers 100] [--blocks 200] [--warmup 20] [--stalled-subscriptions 128]
///
/// Opens `subscribers` connections subscribed to `newHeads`, plus one that
/// subscribes `stalled-subscriptions` times and never reads. For each block a
/// control connection (with the admin token) sends one transaction, waits for
/// its hash, takes T0 and sends `admin_sealBlock`; each subscriber's receive
/// time T1 of that head gives one sample T1 − T0, all on this process's
/// monotonic clock. So a sample covers the seal request's trip, the seal,
/// the log's fsync, the fan-out and delivery: an upper bound of seal-to-delivery.
/// With `--pid` it reads the node's VmHWM (peak RSS) from /proc at the end.
/// Prints a `result` line of `key=value` pairs for the script.
func runWebSocketBench() {
    do {
        try WebSocketBench(arguments: CommandLine.arguments).run()
    } catch {
        print("  websocket: \(error)")
        exit(1)
    }
}

private enum WebSocketBenchError: Error, CustomStringConvertible {
    case badURL(String)
    case connectFailed(errno: Int32)
    case handshakeFailed(String)
    case closed(String)
    case rpcFailed(String)
    case timedOut(String)

    var description: String {
        switch self {
        case let .badURL(url): "cannot use \(url): expected ws://HOST:PORT"
        case let .connectFailed(e): "connect failed (errno \(e))"
        case let .handshakeFailed(line): "handshake refused: \(line)"
        case let .closed(what): "connection closed: \(what)"
        case let .rpcFailed(answer): "call failed: \(answer)"
        case let .timedOut(what): "timed out: \(what)"
        }
    }
}

private struct WebSocketBench {
    let port: Int
    let token: String?
    let pid: Int?
    let subscribers: Int
    let blocks: Int
    let warmup: Int
    let stalledSubscriptions: Int

    init(arguments: [String]) throws {
        func value(_ flag: String) -> String? {
            guard let i = arguments.firstIndex(of: flag), i + 1 < arguments.count else { return nil }
            return arguments[i + 1]
        }
        let url = value("--url") ?? "ws://127.0.0.1:8545"
        guard let colon = url.lastIndex(of: ":"), let port = Int(url[url.index(after: colon)...].prefix { $0.isNumber }) else {
            throw WebSocketBenchError.badURL(url)
        }
        self.port = port
        token = value("--token")
        pid = value("--pid").flatMap(Int.init)
        subscribers = value("--subscribers").flatMap(Int.init) ?? 100
        blocks = value("--blocks").flatMap(Int.init) ?? 200
        warmup = value("--warmup").flatMap(Int.init) ?? 20
        stalledSubscriptions = value("--stalled-subscriptions").flatMap(Int.init) ?? 128
    }

    func run() throws {
        let rssBefore = pid.flatMap { Self.status(pid: $0, field: "VmRSS") }
        let control = try BenchSocket(port: port, authorization: token.map { "Bearer \($0)" })
        let readers = try (0..<subscribers).map { _ in try BenchSocket(port: port) }
        for (i, reader) in readers.enumerated() {
            _ = try reader.call(#"{"jsonrpc":"2.0","id":\#(i),"method":"eth_subscribe","params":["newHeads"]}"#)
        }
        let stalled = try BenchSocket(port: port, receiveBufferSize: 4096)
        for i in 0..<stalledSubscriptions {
            _ = try stalled.call(#"{"jsonrpc":"2.0","id":\#(i),"method":"eth_subscribe","params":["newHeads"]}"#)
        }
        for reader in readers { reader.makeNonBlocking() }

        let sender = DevAccounts.keys[1]
        let nonceHex = try control.result(of: #"{"jsonrpc":"2.0","id":1,"method":"eth_getTransactionCount","params":["\#(DevAccounts.addresses[1].checksummed)","pending"]}"#)
        var nonce = UInt64(nonceHex.dropFirst(3).dropLast(), radix: 16) ?? 0
        var samples: [Double] = []
        var lastArrivals: [Double] = []
        samples.reserveCapacity(blocks * subscribers)
        print("  websocket: \(subscribers) subscribers to newHeads + 1 that never reads (\(stalledSubscriptions) subscriptions); "
              + "\(warmup) warm-up blocks, then \(blocks) measured")
        fflush(nil)
        for round in 0..<(warmup + blocks) {
            let t = Transaction(type: .dynamicFee, chainID: 31337, nonce: nonce, maxPriorityFeePerGas: UInt256(1),
                                maxFeePerGas: UInt256(1_000_000_000), gasLimit: 21_000, to: DevAccounts.addresses[9], value: UInt256(1))
            nonce += 1
            let raw = Hex.encode(t.signed(with: sender).raw)
            _ = try control.result(of: #"{"jsonrpc":"2.0","id":2,"method":"eth_sendRawTransaction","params":["\#(raw)"]}"#)
            let t0 = monotonicNanos()
            try control.sendText(#"{"jsonrpc":"2.0","id":3,"method":"admin_sealBlock"}"#)
            let arrivals = try Self.awaitHeads(readers, deadline: t0 + 10_000_000_000)
            let sealed = try control.result(ofID: 3)
            guard let number = UInt64(sealed.dropFirst(3).dropLast(), radix: 16) else { throw WebSocketBenchError.rpcFailed(sealed) }
            guard arrivals.allSatisfy({ $0.number == number }) else {
                throw WebSocketBenchError.rpcFailed("sealed \(number), heads \(Set(arrivals.map(\.number)))")
            }
            if round >= warmup {
                for a in arrivals { samples.append(Double(a.time - t0)) }
                lastArrivals.append(Double(arrivals.map(\.time).max()! - t0))
            }
        }
        samples.sort()
        lastArrivals.sort()
        let dropped = stalled.isClosedByPeer(timeout: 5)
        let peak = pid.flatMap { Self.status(pid: $0, field: "VmHWM") }
        let rssAfter = pid.flatMap { Self.status(pid: $0, field: "VmRSS") }
        print("  seal-to-delivery per subscriber: p50 \(format(quantile(samples, 0.5) / 1e6, 3)) ms, p99 \(format(quantile(samples, 0.99) / 1e6, 3)) ms"
              + " (\(samples.count) samples)")
        print("  seal-to-last-subscriber per block: p50 \(format(quantile(lastArrivals, 0.5) / 1e6, 3)) ms, p99 \(format(quantile(lastArrivals, 0.99) / 1e6, 3)) ms")
        print("  non-reading connection dropped by the node: \(dropped ? "yes" : "no")")
        if let peak { print("  node VmHWM (peak RSS) \(peak) kB; VmRSS before clients \(rssBefore ?? 0) kB, after \(rssAfter ?? 0) kB") }
        print("result p50_ms=\(format(quantile(samples, 0.5) / 1e6, 3)) p99_ms=\(format(quantile(samples, 0.99) / 1e6, 3))"
              + " last_p50_ms=\(format(quantile(lastArrivals, 0.5) / 1e6, 3)) last_p99_ms=\(format(quantile(lastArrivals, 0.99) / 1e6, 3))"
              + " samples=\(samples.count) dropped=\(dropped) vmhwm_kb=\(peak ?? 0) rss_before_kb=\(rssBefore ?? 0)")
        withExtendedLifetime((readers, stalled)) {}
    }

    /// Polls the subscribers until each has received one head; returns each one's (number, receive time).
    private static func awaitHeads(_ readers: [BenchSocket], deadline: UInt64) throws -> [(number: UInt64, time: UInt64)] {
        var arrivals: [(number: UInt64, time: UInt64)?] = Array(repeating: nil, count: readers.count)
        var waiting = readers.count
        var fds = readers.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        while waiting > 0 {
            guard monotonicNanos() < deadline else { throw WebSocketBenchError.timedOut("\(waiting) subscribers without the head") }
            let ready = poll(&fds, nfds_t(fds.count), 100)
            guard ready > 0 else { continue }
            for i in fds.indices where fds[i].revents != 0 && arrivals[i] == nil {
                fds[i].revents = 0
                guard let text = try readers[i].readAvailableText() else { continue }
                arrivals[i] = (Self.headNumber(text), monotonicNanos())
                waiting -= 1
            }
            for i in fds.indices where arrivals[i] != nil { fds[i].events = 0 }
        }
        for i in fds.indices { fds[i].events = Int16(POLLIN) }
        return arrivals.map { $0! }
    }

    private static func headNumber(_ text: [UInt8]) -> UInt64 {
        let key = Array(#""number":"0x"#.utf8)
        guard let start = text.indices.first(where: { text[$0...].starts(with: key) }) else { return .max }
        var value: UInt64 = 0
        for c in text[(start + key.count)...] {
            guard let digit = Int(String(UnicodeScalar(c)), radix: 16) else { break }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    private static func status(pid: Int, field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "")
        }
        return nil
    }
}

/// A WebSocket client socket for the benchmark: blocking handshake and
/// calls, then non-blocking reads of whole frames.
private final class BenchSocket {
    let fd: Int32
    private var buffer: [UInt8] = []
    /// Reused for every read, so a read costs no allocation or zeroing.
    private var chunk = [UInt8](repeating: 0, count: 16_384)
    private var rng = SystemRandomNumberGenerator()

    init(port: Int, authorization: String? = nil, receiveBufferSize: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBufferSize { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw WebSocketBenchError.connectFailed(errno: errno) }
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let key = Base64.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })
        var head = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
        if let authorization { head += "Authorization: \(authorization)\r\n" }
        try write(Array((head + "\r\n").utf8))
        while true {
            if let end = buffer.indices.dropLast(3).first(where: { buffer[$0...].starts(with: [13, 10, 13, 10]) }) {
                let status = String(decoding: buffer.prefix { $0 != 13 }, as: UTF8.self)
                guard status.hasPrefix("HTTP/1.1 101") else { throw WebSocketBenchError.handshakeFailed(status) }
                buffer.removeFirst(end + 4)
                return
            }
            guard try fill() else { throw WebSocketBenchError.closed("during the handshake") }
        }
    }

    deinit { close(fd) }

    func makeNonBlocking() {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    func sendText(_ text: String) throws {
        try write(WebSocketFrameEncoder.frame(opcode: .text, payload: text.utf8, mask: UInt32.random(in: 1...UInt32.max, using: &rng)))
    }

    /// Sends a request and returns the next text message (the answer, on connections without notifications).
    func call(_ request: String) throws -> [UInt8] {
        try sendText(request)
        return try nextText()
    }

    /// The `result` member of the answer to `request`, as raw JSON text.
    func result(of request: String) throws -> String {
        try sendText(request)
        return try Self.result(String(decoding: try nextText(), as: UTF8.self))
    }

    /// The `result` of the next answer, which must carry `id`.
    func result(ofID id: Int) throws -> String {
        let text = String(decoding: try nextText(), as: UTF8.self)
        guard text.contains("\"id\":\(id)") else { throw WebSocketBenchError.rpcFailed(text) }
        return try Self.result(text)
    }

    private static func result(_ text: String) throws -> String {
        guard let range = text.range(of: "\"result\":") else { throw WebSocketBenchError.rpcFailed(text) }
        return String(text[range.upperBound...].dropLast())
    }

    /// Blocks until a whole text frame is here.
    func nextText() throws -> [UInt8] {
        while true {
            if let payload = takeFrame() { return payload }
            guard try fill() else { throw WebSocketBenchError.closed("while waiting for a message") }
        }
    }

    /// Reads what is available (non-blocking) and returns one whole text frame if there is one.
    func readAvailableText() throws -> [UInt8]? {
        if let payload = takeFrame() { return payload }
        _ = try fill()
        return takeFrame()
    }

    /// Whether the peer closed the connection (EOF or reset) within `timeout` seconds, reading and discarding data.
    func isClosedByPeer(timeout: Int) -> Bool {
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n == 0 || (n < 0 && errno == ECONNRESET) { return true }
            if n < 0 { return false }
        }
    }

    private func takeFrame() -> [UInt8]? {
        while buffer.count >= 2 {
            var length = Int(buffer[1] & 0x7F)
            var offset = 2
            if length == 126 {
                guard buffer.count >= 4 else { return nil }
                length = Int(buffer[2]) << 8 | Int(buffer[3])
                offset = 4
            } else if length == 127 {
                guard buffer.count >= 10 else { return nil }
                length = buffer[2..<10].reduce(0) { $0 << 8 | Int($1) }
                offset = 10
            }
            guard buffer.count >= offset + length else { return nil }
            let opcode = buffer[0] & 0x0F
            let payload = Array(buffer[offset..<offset + length])
            buffer.removeFirst(offset + length)
            if opcode == 1 { return payload }
            if opcode == 9 { try? write(WebSocketFrameEncoder.frame(opcode: .pong, payload: payload, mask: 1)) }
        }
        return nil
    }

    /// Reads once; false at EOF. A non-blocking socket with nothing to read returns true.
    private func fill() throws -> Bool {
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer += chunk[0..<n]
            return true
        }
        if n == 0 { return false }
        if errno == EAGAIN || errno == EWOULDBLOCK { return true }
        throw WebSocketBenchError.closed("recv errno \(errno)")
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw WebSocketBenchError.closed("send errno \(errno)") }
            offset += n
        }
    }
}
