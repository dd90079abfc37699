import Hashing

/// Base58Check (Bitcoin's alphabet, 4-byte double-SHA-256 checksum): the
/// text form of BIP-32 extended keys (`xprv…`, `xpub…`).
enum Base58Check {
    static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

    /// `payload` ‖ first four bytes of SHA-256(SHA-256(payload)), in base 58;
    /// each leading zero byte becomes a leading "1".
    static func encode(_ payload: [UInt8]) -> String {
        let bytes = payload + SHA256.hash(SHA256.hash(payload)).prefix(4)
        let zeros = bytes.prefix { $0 == 0 }.count
        var digits: [UInt8] = []
        for byte in bytes.dropFirst(zeros) {
            var carry = Int(byte)
            for i in digits.indices {
                carry += Int(digits[i]) << 8
                digits[i] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                digits.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        let text = [UInt8](repeating: alphabet[0], count: zeros) + digits.reversed().map { alphabet[Int($0)] }
        return String(decoding: text, as: UTF8.self)
    }
}
