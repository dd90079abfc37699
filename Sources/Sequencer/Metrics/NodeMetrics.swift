import Synchronization

/// The node's counters and histograms for `GET /metrics`. Updated from any
/// thread without locks (atomics); rendered with the gauges read at scrape time.
public final class NodeMetrics: Sendable {
    /// Rejection reasons as metric labels, a fixed set so cardinality stays bounded.
    public static let rejectionReasons = [
        "malformed", "invalid_chain_id", "type_not_supported", "contract_creation", "oversized", "nonce_too_low",
        "nonce_too_high", "intrinsic_gas_too_low", "gas_limit", "fee_below_base_fee", "tip_above_fee_cap",
        "insufficient_funds", "invalid_withdrawal", "already_known", "replacement_underpriced", "queue_full",
        "paused", "unavailable", "other",
    ]

    let sequenced = Atomic<UInt64>(0)
    let queued = Atomic<UInt64>(0)
    private let rejected: [Counter]
    public let preconfirmationLatency = Histogram()
    public let walSyncLatency = Histogram()
    let walRecords = Atomic<UInt64>(0)
    let walBytes = Atomic<UInt64>(0)

    public init() {
        rejected = Self.rejectionReasons.map { _ in Counter() }
    }

    /// Counts one answered submission.
    public func record(_ outcome: SequencerCore.Outcome) {
        switch outcome {
        case .sequenced: sequenced.wrappingAdd(1, ordering: .relaxed)
        case .queued: queued.wrappingAdd(1, ordering: .relaxed)
        case let .rejected(r): countRejection(Self.label(r))
        }
    }

    /// Counts a rejection by label (one of `rejectionReasons`).
    public func countRejection(_ label: String) {
        let i = Self.rejectionReasons.firstIndex(of: label) ?? Self.rejectionReasons.count - 1
        rejected[i].add()
    }

    /// Records one group commit of the write-ahead log.
    public func recordFlush(records: Int, bytes: Int, nanoseconds: UInt64) {
        walRecords.wrappingAdd(UInt64(records), ordering: .relaxed)
        walBytes.wrappingAdd(UInt64(bytes), ordering: .relaxed)
        walSyncLatency.observe(nanoseconds: nanoseconds)
    }

    static func label(_ r: SubmissionRejection) -> String {
        switch r {
        case .malformed(let e):
            if case .unsupportedType = e { return "type_not_supported" }
            return "malformed"
        case .invalid(let e):
            switch e {
            case .invalidChainID: return "invalid_chain_id"
            case .typeNotSupported: return "type_not_supported"
            case .contractCreationNotSupported: return "contract_creation"
            case .oversized: return "oversized"
            case .nonceTooLow: return "nonce_too_low"
            case .nonceTooHigh: return "nonce_too_high"
            case .intrinsicGasTooLow: return "intrinsic_gas_too_low"
            case .gasLimitExceedsBlock: return "gas_limit"
            case .feeCapBelowBaseFee: return "fee_below_base_fee"
            case .tipAboveFeeCap: return "tip_above_fee_cap"
            case .insufficientFunds: return "insufficient_funds"
            case .invalidWithdrawalRecipient: return "invalid_withdrawal"
            case .malformed: return "malformed"
            case .devOperationsNotAllowed: return "dev_operation"
            }
        case .mempool(let m):
            switch m {
            case .alreadyKnown, .replaced: return "already_known"
            case .replacementUnderpriced: return "replacement_underpriced"
            case .senderQueueFull, .poolFull: return "queue_full"
            }
        case .paused: return "paused"
        case .unavailable: return "unavailable"
        }
    }

    /// Point-in-time values read from the node when scraped.
    public struct Gauges: Sendable {
        public var blockHeight: UInt64
        public var safeBlock: UInt64
        public var mempoolSize: Int
        public var censoredWithheld: Int
        public var feedSubscribers: Int
        public var httpRequests: Int
        public var openConnections: Int
        /// Pre-confirmations that reconciliations with the L1 could not keep.
        public var brokenPreconfirmations: Int = 0
    }

    /// Everything in Prometheus text exposition format 0.0.4.
    public func render(_ g: Gauges) -> String {
        var out = ""
        func counter(_ name: String, _ help: String, _ samples: [(String, UInt64)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) counter\n"
            for (labels, v) in samples { out += "\(name)\(labels) \(v)\n" }
        }
        func gauge(_ name: String, _ help: String, _ v: some BinaryInteger) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name) \(v)\n"
        }
        counter("sequencer_transactions_accepted_total", "Submissions accepted, by how they were answered.",
                [("{outcome=\"sequenced\"}", sequenced.load(ordering: .relaxed)), ("{outcome=\"queued\"}", queued.load(ordering: .relaxed))])
        counter("sequencer_transactions_rejected_total", "Submissions refused, by reason.",
                Self.rejectionReasons.enumerated().map { ("{reason=\"\($0.element)\"}", rejected[$0.offset].current) })
        gauge("sequencer_block_height", "Newest sealed L2 block.", g.blockHeight)
        gauge("sequencer_safe_block", "Newest L2 block in a batch accepted on L1.", g.safeBlock)
        gauge("sequencer_mempool_transactions", "Accepted transactions waiting for a place.", g.mempoolSize)
        gauge("sequencer_censored_withheld_transactions", "Waiting transactions withheld by the censor list.", g.censoredWithheld)
        counter("sequencer_preconfirmations_broken_total", "Pre-confirmations a reconciliation with the L1 could not keep.",
                [("", UInt64(g.brokenPreconfirmations))])
        gauge("sequencer_feed_subscribers", "Open pre-confirmation feed connections.", g.feedSubscribers)
        counter("sequencer_http_requests_total", "HTTP requests served.", [("", UInt64(g.httpRequests))])
        gauge("sequencer_http_open_connections", "Open HTTP connections.", g.openConnections)
        counter("sequencer_wal_records_total", "Records made durable in the write-ahead log.", [("", walRecords.load(ordering: .relaxed))])
        counter("sequencer_wal_bytes_total", "Bytes made durable in the write-ahead log.", [("", walBytes.load(ordering: .relaxed))])
        preconfirmationLatency.render(name: "sequencer_preconfirmation_latency_seconds",
                                      help: "From a submission's arrival to its durable answer.", into: &out)
        walSyncLatency.render(name: "sequencer_wal_fsync_seconds", help: "Write plus fsync of one group commit.", into: &out)
        return out
    }
}
