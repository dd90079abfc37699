import HTTP
import Primitives

/// libFuzzer entry for the incremental HTTP request parser (scripts/fuzz).
/// The input is one connection's bytes. It is parsed whole, in one-byte
/// drips, and in random chunks seeded from the input, with default or small
/// limits; the three runs must give the same requests, `100 Continue`s and
/// error, and end in the same state. Every call must make progress (consume
/// a byte or more, all of them unless it reports an event), the parser must
/// be idle after each request, bodies must respect the limit, and an error
/// must be sticky.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    var rng = SplitMix64(seed: fnv1a(input))
    let small = rng.next() & 1 == 0
    let limits = small ? HTTPRequestParser.Limits(maxHeaderBytes: 256, maxBodyBytes: 300) : HTTPRequestParser.Limits()
    let whole = run(input, chunks: size == 0 ? [] : [size], limits: limits)
    let drip = run(input, chunks: Array(repeating: 1, count: size), limits: limits)
    check(whole == drip, "one-byte drip differs from whole:\n\(whole)\n\(drip)")
    let maxChunk = [2, 7, 64, Swift.max(size, 1)][Int(rng.next() % 4)]
    var chunks: [Int] = []
    var left = size
    while left > 0 {
        let n = Int.random(in: 1...Swift.min(maxChunk, left), using: &rng)
        chunks.append(n)
        left -= n
    }
    let split = run(input, chunks: chunks, limits: limits)
    check(whole == split, "split \(chunks) differs from whole:\n\(whole)\n\(split)")
    return 0
}

/// What a parser run produced, in a comparable form.
private enum Outcome: Equatable {
    case request(method: HTTPMethod, target: String, version: HTTPVersion, headers: [String], trailers: [String],
                 body: [UInt8], keepAlive: Bool)
    case continueNeeded
    case error(HTTPParseError)
    /// Where the input ended: idle between requests, or in a body.
    case end(idle: Bool, readingBody: Bool)

    init(_ event: HTTPRequestParser.Event) {
        switch event {
        case .request(let r):
            self = .request(method: r.method, target: r.target, version: r.version,
                             headers: r.headers.map { "\($0.name): \($0.value)" },
                             trailers: r.trailers.map { "\($0.name): \($0.value)" }, body: r.body, keepAlive: r.keepAlive)
        case .continueNeeded:
            self = .continueNeeded
        case .error(let e):
            self = .error(e)
        }
    }
}

/// Feeds `input` in chunks of the given sizes as a connection does, checking
/// each call, until the first error or the end of the input.
private func run(_ input: UnsafeRawBufferPointer, chunks: [Int], limits: HTTPRequestParser.Limits) -> [Outcome] {
    var parser = HTTPRequestParser(limits: limits)
    var outcomes: [Outcome] = []
    var start = 0
    for size in chunks {
        var chunk = UnsafeRawBufferPointer(rebasing: input[start..<start + size])
        start += size
        while !chunk.isEmpty {
            let (consumed, event) = parser.parse(chunk)
            check(consumed >= 1 && consumed <= chunk.count, "consumed \(consumed) of \(chunk.count)")
            check(event != nil || consumed == chunk.count, "stopped at \(consumed) of \(chunk.count) without an event")
            chunk = UnsafeRawBufferPointer(rebasing: chunk[consumed...])
            guard let event else { continue }
            outcomes.append(Outcome(event))
            switch event {
            case .request(let request):
                check(parser.isIdle && !parser.isReadingBody, "not idle after a request")
                check(request.body.count <= limits.maxBodyBytes, "body of \(request.body.count) bytes")
            case .continueNeeded:
                check(parser.isReadingBody, "100 Continue without a body to read")
            case .error(let error):
                let again = [UInt8(ascii: "G")].withUnsafeBytes { parser.parse($0) }
                guard case .error(let same)? = again.event, same == error, again.consumed == 1 else {
                    check(false, "error \(error) is not sticky")
                    return outcomes
                }
                return outcomes
            }
        }
    }
    outcomes.append(.end(idle: parser.isIdle, readingBody: parser.isReadingBody))
    return outcomes
}

private func fnv1a(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
    return h
}

/// Fails the run with `message` when `condition` is false, in every build
/// configuration (unlike `precondition`, which `-Ounchecked` removes).
private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
