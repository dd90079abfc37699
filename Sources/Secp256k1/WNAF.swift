/// A scalar recoded in width-w non-adjacent form: Σ digits[i]·2^i where each
/// digit is 0 or odd with |digit| < 2^(w−1), and any two nonzero digits are
/// at least w positions apart. Multiplying by it takes one doubling per
/// position and one addition of a precomputed odd multiple per nonzero digit.
///
/// Covers 129 positions: enough for the ~128-bit halves of a GLV split
/// (whose sign is folded into the digits). Variable time.
struct WNAF {
    static let positions = 129
    var digits = InlineArray<130, Int16>(repeating: 0)
    /// One past the highest nonzero digit (0 for the zero scalar).
    var length = 0

    /// Recodes `scalar`, taken as negative (n − scalar, negated digits) when
    /// its top bit is set, so a GLV half like n − 5 becomes −5.
    init(_ scalar: Scalar, window w: Int) {
        var s = scalar
        var sign: Int32 = 1
        if s.l3 >> 63 == 1 {
            s = -s
            sign = -1
        }
        var carry: UInt32 = 0
        var bit = 0
        let len = WNAF.positions
        while bit < len {
            if s.bits_var(at: bit, count: 1) == carry {
                bit += 1
                continue
            }
            let now = min(w, len - bit)
            var word = Int32(s.bits_var(at: bit, count: now) &+ carry)
            carry = UInt32((word >> Int32(w - 1)) & 1)
            word -= Int32(carry) << Int32(w)
            digits[bit] = Int16(sign * word)
            length = bit + 1
            bit += now
        }
    }
}
