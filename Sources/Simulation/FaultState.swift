/// The faults in force and the record of when the sequencer was not both
/// honest and up (or the L1 was down): the only times the L1 may have to
/// force an item in, and so the only times a pre-confirmation may break.
struct FaultState {
    var sequencerDownUntil: UInt64?
    var l1DownUntil: UInt64?
    var maliciousUntil: UInt64?
    var censoredUntil: UInt64?
    /// Sorted, so iteration never depends on process-seeded hashing.
    var censoredUsers: [Int] = []
    var policy = "fcfs"

    private var impairmentReasons: Set<String> = []
    private var impairedSince: UInt64 = 0
    private var impairedIntervals: [(start: UInt64, end: UInt64)] = []

    mutating func beginImpairment(_ reason: String, at now: UInt64) {
        if impairmentReasons.isEmpty { impairedSince = now }
        impairmentReasons.insert(reason)
    }

    mutating func endImpairment(_ reason: String, at now: UInt64) {
        guard impairmentReasons.remove(reason) != nil, impairmentReasons.isEmpty else { return }
        impairedIntervals.append((impairedSince, now))
    }

    /// Whether the sequencer was down or malicious, or the L1 down, at any time since `millis`.
    func impaired(since millis: UInt64) -> Bool {
        !impairmentReasons.isEmpty || impairedIntervals.contains { $0.end >= millis }
    }

    var anyPending: Bool {
        sequencerDownUntil != nil || l1DownUntil != nil || maliciousUntil != nil || censoredUntil != nil
    }
}
