import Primitives

/// `fcfs`: arrival order. A transaction's place is fixed the moment it
/// arrives, so its pre-confirmation is returned at once.
public struct FirstComeFirstServed: OrderingPolicy {
    public init() {}
    public var name: String { "fcfs" }
    public var placesOnArrival: Bool { true }

    public func order(_ window: [WindowEntry], seed: Hash32, baseFee: UInt256) -> [WindowEntry] {
        window.sorted { $0.arrival < $1.arrival }
    }
}
