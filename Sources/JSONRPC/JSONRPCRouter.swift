import JSON

/// The method table: handlers registered by method name, set up once before
/// serving and then handed to `JSONRPCServer`, which freezes it.
///
/// A synchronous handler returns its answer; a deferred one receives a
/// `JSONRPCResponder` to answer later from any thread (the sequencer answers
/// `eth_sendRawTransaction` only once the transaction is durable). Handlers may
/// throw; errors are mapped by `JSONRPCError.init(_:)`. Handlers run on the
/// thread that calls `JSONRPCServer.handle`.
public struct JSONRPCRouter: Sendable {
    /// A handler that answers at once.
    public typealias Handler = @Sendable (JSONRPCCall) throws -> JSONRPCResult
    /// A handler that answers later through the responder.
    public typealias DeferredHandler = @Sendable (JSONRPCCall, JSONRPCResponder) throws -> Void

    enum Kind: Sendable {
        case sync(Handler)
        case deferred(DeferredHandler)
    }

    struct Entry: Sendable {
        let name: String
        let kind: Kind
    }

    private(set) var entries: [Entry] = []

    /// An empty method table.
    public init() {}

    /// Registers a synchronous handler; registering a name twice is a programming error.
    public mutating func register(_ method: String, _ handler: @escaping Handler) {
        add(Entry(name: method, kind: .sync(handler)))
    }

    /// Registers a deferred handler; registering a name twice is a programming error.
    public mutating func registerDeferred(_ method: String, _ handler: @escaping DeferredHandler) {
        add(Entry(name: method, kind: .deferred(handler)))
    }

    /// The registered method names, sorted.
    public var methodNames: [String] { entries.map(\.name).sorted() }

    private mutating func add(_ entry: Entry) {
        precondition(!entries.contains { $0.name == entry.name }, "JSON-RPC method \(entry.name) registered twice")
        entries.append(entry)
    }
}

/// An open-addressing index from method-name bytes to router entries, so a
/// request's method is found without building a `String` for it.
struct MethodTable: Sendable {
    let entries: [JSONRPCRouter.Entry]
    private let names: [[UInt8]]
    private let slots: [Int32]
    private let mask: Int

    init(_ entries: [JSONRPCRouter.Entry]) {
        self.entries = entries
        names = entries.map { Array($0.name.utf8) }
        var size = 8
        while size < entries.count * 3 { size <<= 1 }
        mask = size - 1
        var slots = [Int32](repeating: -1, count: size)
        for (i, name) in names.enumerated() {
            var s = name.withUnsafeBytes { MethodTable.hash($0) } & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            slots[s] = Int32(i)
        }
        self.slots = slots
    }

    /// The index of the entry named by `name`'s UTF-8, if registered.
    func lookup(_ name: UnsafeRawBufferPointer) -> Int? {
        var s = MethodTable.hash(name) & mask
        while true {
            let i = Int(slots[s])
            if i < 0 { return nil }
            if names[i].withUnsafeBytes({ MethodTable.equal($0, name) }) { return i }
            s = (s + 1) & mask
        }
    }

    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        var i = 0
        while i + 8 <= a.count {
            guard a.loadUnaligned(fromByteOffset: i, as: UInt64.self) == b.loadUnaligned(fromByteOffset: i, as: UInt64.self) else { return false }
            i += 8
        }
        while i < a.count {
            guard a[i] == b[i] else { return false }
            i += 1
        }
        return true
    }

    /// Mixes the length and the first and last eight bytes: constant time, and
    /// method names differ there in practice; collisions only cost a probe.
    private static func hash(_ b: UnsafeRawBufferPointer) -> Int {
        let n = b.count
        var head: UInt64 = 0
        var tail: UInt64 = 0
        if n >= 8 {
            head = b.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            tail = b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else {
            for i in 0..<n { head = head << 8 | UInt64(b[i]) }
        }
        var h = (head &* 0x9E37_79B9_7F4A_7C15) ^ (tail &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(n)
        h ^= h >> 29
        h = h &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 32
        return Int(truncatingIfNeeded: h & 0x7FFF_FFFF_FFFF_FFFF)
    }
}
