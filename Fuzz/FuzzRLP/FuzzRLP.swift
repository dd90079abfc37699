import Primitives
import RLP

/// libFuzzer entry for the RLP decoder (scripts/fuzz). Properties:
/// decoding and validating agree; a decoded item re-encodes to exactly the
/// input (decoding is strict, so there is one encoding per value); the tree
/// has at most one item per input byte; and `RLPReader`'s integer reads
/// re-encode to the bytes they read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let decoded = Result { () throws(RLPError) in try RLP.decode(buffer: input) }
    let validated = Result { () throws(RLPError) in try RLP.validate(buffer: input) }
    switch (decoded, validated) {
    case (.success(let item), .success):
        check(RLP.encode(item).elementsEqual(input), "re-encoding differs from the input")
        check(RLP.encodedLength(of: item) == size, "encodedLength differs from the input size")
        check(itemCount(item) <= size, "more items than input bytes")
        var reader = RLPReader(input)
        walk(&reader, item)
        check(reader.isAtEnd, "reader did not consume the input")
    case (.failure(let a), .failure(let b)):
        check(a == b, "decode threw \(a), validate threw \(b)")
    default:
        check(false, "decode and validate disagree: \(decoded), \(validated)")
    }
    return 0
}

/// Reads `item` again with `reader`, checking kinds and integer round trips.
private func walk(_ reader: inout RLPReader, _ item: RLPItem) {
    let element = try! reader.peek()
    switch item {
    case .bytes(let bytes):
        check(element.kind == .bytes, "peek disagrees with the tree")
        let encoded = UnsafeRawBufferPointer(rebasing: reader.buffer[element.range])
        var integer = reader
        if let value = try? integer.readUInt256() {
            var encoder = RLPEncoder()
            encoder.append(value)
            check(encoder.bytes.elementsEqual(encoded), "UInt256 \(value) re-encodes differently")
            check(value.minimalBigEndianBytes == bytes, "UInt256 bytes differ")
        }
        integer = reader
        if let value = try? integer.readUInt64() {
            var encoder = RLPEncoder()
            encoder.append(value)
            check(encoder.bytes.elementsEqual(encoded), "UInt64 \(value) re-encodes differently")
        }
        check(Array(try! reader.readBytes()) == bytes, "readBytes differs from the tree")
    case .list(let items):
        check(element.kind == .list, "peek disagrees with the tree")
        var child = try! reader.readList()
        for childItem in items { walk(&child, childItem) }
        check(child.isAtEnd, "list reader has items left")
        try! child.finish()
    }
}

private func itemCount(_ item: RLPItem) -> Int {
    switch item {
    case .bytes: 1
    case .list(let items): items.reduce(1) { $0 + itemCount($1) }
    }
}

/// Fails the run with `message` when `condition` is false, in every build
/// configuration (unlike `precondition`, which `-Ounchecked` removes).
private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
