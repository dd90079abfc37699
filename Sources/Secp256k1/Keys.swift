extension Secp256k1 {
    /// A secp256k1 private key: an integer in 1 ..< n.
    ///
    /// `description` and the reflection mirror (`dump`) are redacted so a
    /// key cannot leak into logs by accident.
    public struct PrivateKey: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
        let scalar: Scalar

        /// From 32 big-endian bytes; throws `invalidPrivateKey` unless the
        /// count is 32 and the value is in 1 ..< n.
        public init(bytes: some Collection<UInt8>) throws(Secp256k1Error) {
            guard let s = Scalar(exactly: Array(bytes)), !s.isZero else { throw .invalidPrivateKey }
            scalar = s
        }

        init(scalar: Scalar) {
            precondition(!scalar.isZero)
            self.scalar = scalar
        }

        /// The 32 big-endian bytes.
        public var bytes: [UInt8] { scalar.bytes }

        /// The public key k·G, computed on each access (about as costly as
        /// a signature), so keep it if you need it repeatedly.
        public var publicKey: PublicKey {
            PublicKey(point: ECMultGen.multiply(scalar).affine!)
        }

        public var description: String { "Secp256k1.PrivateKey(<redacted>)" }

        public var customMirror: Mirror { Mirror(self, children: []) }
    }

    /// A secp256k1 public key: a finite point on the curve (guaranteed by
    /// every initializer).
    public struct PublicKey: Sendable, Hashable {
        let point: AffinePoint

        init(point: AffinePoint) { self.point = point }

        /// From x‖y (64 bytes) or 0x04‖x‖y (65 bytes), big-endian. Throws
        /// `invalidPublicKeyEncoding` for another length or prefix and
        /// `pointNotOnCurve` when a coordinate is ≥ p or the point is not on
        /// the curve.
        public init(uncompressed: some Collection<UInt8>) throws(Secp256k1Error) {
            var bytes = Array(uncompressed)
            if bytes.count == 65 {
                guard bytes[0] == 0x04 else { throw .invalidPublicKeyEncoding(65) }
                bytes.removeFirst()
            }
            guard bytes.count == 64 else { throw .invalidPublicKeyEncoding(bytes.count) }
            guard let x = FieldElement(bytes: Array(bytes[0..<32])),
                  let y = FieldElement(bytes: Array(bytes[32..<64])) else { throw .pointNotOnCurve }
            let p = AffinePoint(x: x, y: y)
            guard p.isOnCurve else { throw .pointNotOnCurve }
            point = p
        }

        /// From the 33-byte SEC 1 compressed form (0x02 or 0x03 for the
        /// parity of y, then x). Throws `invalidPublicKeyEncoding` or
        /// `pointNotOnCurve`.
        public init(compressed: some Collection<UInt8>) throws(Secp256k1Error) {
            let bytes = Array(compressed)
            guard bytes.count == 33, bytes[0] == 0x02 || bytes[0] == 0x03 else {
                throw .invalidPublicKeyEncoding(bytes.count)
            }
            guard let x = FieldElement(bytes: Array(bytes[1...])),
                  let p = AffinePoint(x: x, odd: bytes[0] == 0x03) else { throw .pointNotOnCurve }
            point = p
        }

        /// x‖y, 64 big-endian bytes without the 0x04 prefix: what Ethereum
        /// hashes to derive an address.
        public var uncompressed: [UInt8] {
            [UInt8](unsafeUninitializedCapacity: 64) { buffer, count in
                let base = UnsafeMutableRawPointer(buffer.baseAddress!)
                point.x.write(bigEndian: base)
                point.y.write(bigEndian: base + 32)
                count = 64
            }
        }

        /// The 33-byte SEC 1 compressed form: 0x02 (even y) or 0x03 (odd y), then x.
        public var compressed: [UInt8] {
            [point.y.isOdd ? 0x03 : 0x02] + point.x.bytes
        }
    }
}
