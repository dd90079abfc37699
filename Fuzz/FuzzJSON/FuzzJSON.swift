import JSON

/// A depth limit most fuzzed documents exceed.
private let tight = JSONLimits(maxDepth: 4)

/// libFuzzer entry for the JSON parser (scripts/fuzz). Properties: parsing
/// and validating agree (same error); a parsed document serializes to text
/// that parses back to the same value and serializes to the same bytes; the
/// tree has at most one value per input byte and respects the depth limit;
/// a tighter depth limit accepts exactly the documents no deeper than it;
/// number accessors never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let parsed = Result { () throws(JSONParseError) in try JSONParser.parse(input) }
    let validated = Result { () throws(JSONParseError) in try JSONParser.validate(input) }
    switch (parsed, validated) {
    case (.success(let value), .success):
        checkParsed(value, input: input)
    case (.failure(let a), .failure(let b)):
        check(a == b, "parse threw \(a), validate threw \(b)")
        check(a.offset <= size, "error offset \(a.offset) beyond the input")
        _ = a.description
    default:
        check(false, "parse and validate disagree: \(parsed), \(validated)")
    }
    return 0
}

private func checkParsed(_ value: JSONValue, input: UnsafeRawBufferPointer) {
    let (count, depth) = shape(value)
    check(count <= input.count, "\(count) values from \(input.count) bytes")
    check(depth <= JSONLimits.default.maxDepth, "depth \(depth) beyond the limit")
    let text = value.serialized()
    guard let again = try? JSONParser.parse(text) else {
        check(false, "serialized form does not parse: \(String(decoding: text, as: UTF8.self))")
        return
    }
    check(again == value, "round trip changed the value")
    check(again.serialized() == text, "serialization is not stable")
    switch Result(catching: { () throws(JSONParseError) in try JSONParser.parse(input, limits: tight) }) {
    case .success(let shallow):
        check(depth <= tight.maxDepth && shallow == value, "tight limit accepted depth \(depth)")
    case .failure(let error):
        guard case .nestingTooDeep = error, depth > tight.maxDepth else {
            check(false, "tight limit threw \(error) for depth \(depth)")
            return
        }
    }
}

/// The number of values in `value` and its container depth; also reads
/// every number through its accessors.
private func shape(_ value: JSONValue) -> (count: Int, depth: Int) {
    switch value {
    case .array(let elements):
        let children = elements.map(shape)
        return (children.reduce(1) { $0 + $1.count }, 1 + (children.map(\.depth).max() ?? 0))
    case .object(let members):
        let children = members.map { shape($0.value) }
        return (children.reduce(1) { $0 + $1.count }, 1 + (children.map(\.depth).max() ?? 0))
    case .number(let n):
        if let i = n.int { check(n.isInteger && Int(n.text) == i, "int accessor disagrees with the text") }
        _ = n.uint64
        _ = n.double
        return (1, 0)
    default:
        return (1, 0)
    }
}

/// Fails the run with `message` when `condition` is false, in every build
/// configuration (unlike `precondition`, which `-Ounchecked` removes).
private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
