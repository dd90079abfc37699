/// Simulated wall-clock time in milliseconds since the Unix epoch. Only the
/// simulation moves it, so every component that reads it sees the same instant.
public struct SimulationClock: Sendable {
    public private(set) var nowMillis: UInt64

    public init(startMillis: UInt64 = 1_700_000_000_000) { nowMillis = startMillis }

    public var nowSeconds: UInt64 { nowMillis / 1000 }

    public mutating func advance(by millis: UInt64) { nowMillis += millis }
}
