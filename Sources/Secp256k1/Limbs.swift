/// Helpers shared by `FieldElement` and `Scalar`: 256-bit values as four
/// little-endian 64-bit limbs, converted to and from 32 big-endian bytes.
enum Limbs {
    /// Reads 32 big-endian bytes at `p`.
    @inline(__always)
    static func load(bigEndian p: UnsafeRawPointer) -> (UInt64, UInt64, UInt64, UInt64) {
        (UInt64(bigEndian: p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)),
         UInt64(bigEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
         UInt64(bigEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
         UInt64(bigEndian: p.loadUnaligned(fromByteOffset: 0, as: UInt64.self)))
    }

    /// Writes four limbs as 32 big-endian bytes at `p`.
    @inline(__always)
    static func store(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64, bigEndian p: UnsafeMutableRawPointer) {
        p.storeBytes(of: l3.bigEndian, toByteOffset: 0, as: UInt64.self)
        p.storeBytes(of: l2.bigEndian, toByteOffset: 8, as: UInt64.self)
        p.storeBytes(of: l1.bigEndian, toByteOffset: 16, as: UInt64.self)
        p.storeBytes(of: l0.bigEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// The 32 big-endian bytes of four limbs.
    static func bytes(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            store(l0, l1, l2, l3, bigEndian: UnsafeMutableRawPointer(buffer.baseAddress!))
            count = 32
        }
    }

    /// Left-pads a big-endian number of at most 32 significant bytes to
    /// exactly 32; nil when a nonzero byte lies beyond the last 32.
    static func padded32(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        var a = Array(bytes)
        if a.count > 32 {
            guard a.prefix(a.count - 32).allSatisfy({ $0 == 0 }) else { return nil }
            a.removeFirst(a.count - 32)
        }
        return [UInt8](repeating: 0, count: 32 - a.count) + a
    }
}

// The carry helpers below turn overflow flags into integers with a bit cast
// (a Bool is one byte holding 0 or 1). In release builds LLVM lowers them to
// add/adc/sbb chains; a `flag ? 1 : 0` spelling got lowered to branches,
// slower and leaking timing. Unlike UInt128 arithmetic they also stay cheap
// in debug builds, where UInt128's generic initializers are not specialized.

/// 0 or 1.
@inline(__always)
func bit(_ flag: Bool) -> UInt64 { UInt64(unsafeBitCast(flag, to: UInt8.self)) }

/// `a + b + carry`, updating `carry` (0 or 1) to the carry out.
@inline(__always)
func addCarry(_ a: UInt64, _ b: UInt64, _ carry: inout UInt64) -> UInt64 {
    let (s1, o1) = a.addingReportingOverflow(b)
    let (s2, o2) = s1.addingReportingOverflow(carry)
    carry = bit(o1) | bit(o2)
    return s2
}

/// `a - b - borrow`, updating `borrow` (0 or 1) to the borrow out.
@inline(__always)
func subBorrow(_ a: UInt64, _ b: UInt64, _ borrow: inout UInt64) -> UInt64 {
    let (d1, o1) = a.subtractingReportingOverflow(b)
    let (d2, o2) = d1.subtractingReportingOverflow(borrow)
    borrow = bit(o1) | bit(o2)
    return d2
}

/// Adds the 128-bit product `a·b` into the three-limb column accumulator
/// `(c0, c1, c2)` of a product-scanning multiplication.
@inline(__always)
func mulAccumulate(_ a: UInt64, _ b: UInt64, _ c0: inout UInt64, _ c1: inout UInt64, _ c2: inout UInt64) {
    let (h, l) = a.multipliedFullWidth(by: b)
    let (s0, o0) = c0.addingReportingOverflow(l)
    let (s1, o1) = c1.addingReportingOverflow(h)
    let (s2, o2) = s1.addingReportingOverflow(bit(o0))
    c0 = s0
    c1 = s2
    c2 &+= bit(o1) | bit(o2)
}

/// An all-ones mask when `bit` is 1, zero when it is 0.
@inline(__always)
func mask(_ bit: UInt64) -> UInt64 { 0 &- bit }
