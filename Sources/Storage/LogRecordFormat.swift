/// The framing of one log record: `length (u32 LE) ‖ crc32c (u32 LE) ‖ payload`,
/// the checksum covering the length and the payload. A zero length marks the
/// end of the log (preallocated space is zero-filled), so a torn or partial
/// last record is detected by its checksum and dropped at recovery.
public enum LogRecordFormat {
    /// Bytes before each payload.
    public static let headerSize = 8
    /// The largest payload a record may carry.
    public static let maxPayload = 64 << 20

    /// Appends the framed record for `payload` to `buffer`.
    public static func append(_ payload: [UInt8], to buffer: inout [UInt8]) {
        let length = UInt32(payload.count)
        var crc = withUnsafeBytes(of: length.littleEndian) { CRC32C.checksum($0) }
        crc = CRC32C.checksum(payload, continuing: crc)
        withUnsafeBytes(of: length.littleEndian) { buffer.append(contentsOf: $0) }
        withUnsafeBytes(of: crc.littleEndian) { buffer.append(contentsOf: $0) }
        buffer.append(contentsOf: payload)
    }

    /// The result of scanning a log image.
    public struct Scan: Equatable, Sendable {
        /// The payloads of every intact record, in order.
        public var records: [[UInt8]]
        /// The byte length of the intact prefix: where the next record goes.
        public var validLength: Int
        /// Non-zero bytes after the intact prefix: a torn or corrupt tail that recovery drops.
        public var discardedBytes: Int
    }

    /// Reads records from the start of `image` until the end marker, the end
    /// of the data, or the first record that is incomplete or fails its checksum.
    public static func scan(_ image: [UInt8]) -> Scan {
        var records: [[UInt8]] = []
        var offset = 0
        image.withUnsafeBytes { raw in
            while raw.count - offset >= headerSize {
                let length = Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                let crc = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self).littleEndian
                if length == 0 || length > maxPayload || raw.count - offset - headerSize < length { break }
                var expected = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + 4]))
                let payload = UnsafeRawBufferPointer(rebasing: raw[(offset + headerSize)..<(offset + headerSize + length)])
                expected = CRC32C.checksum(payload, continuing: expected)
                if expected != crc { break }
                records.append(Array(payload))
                offset += headerSize + length
            }
        }
        var tail = 0
        for i in offset..<image.count where image[i] != 0 { tail = image.count - offset; break }
        return Scan(records: records, validLength: offset, discardedBytes: tail)
    }
}
