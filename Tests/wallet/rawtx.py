"""Raw transaction bytes eth-account will not produce: blob (type 3) and
set-code (type 4) transactions, high-s signatures, broken RLP."""

import rlp
from eth_account import Account
from eth_utils import keccak, to_bytes

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


def _signed_typed(type_byte, unsigned_fields, key):
    digest = keccak(bytes([type_byte]) + rlp.encode(unsigned_fields))
    sig = Account.unsafe_sign_hash(digest, key)
    y_parity = sig.v - 27 if sig.v >= 27 else sig.v
    return bytes([type_byte]) + rlp.encode(unsigned_fields + [y_parity, sig.r, sig.s])


def blob_transaction(key, chain_id, nonce, to, max_fee, tip):
    """An EIP-4844 transaction (type 3) with one versioned hash, signed by `key`."""
    versioned_hash = b"\x01" + b"\x00" * 31
    fields = [chain_id, nonce, tip, max_fee, 21000, to_bytes(hexstr=to), 1, b"", [], 1, [versioned_hash]]
    return _signed_typed(3, fields, key)


def set_code_transaction(key, chain_id, nonce, to, max_fee, tip):
    """An EIP-7702 transaction (type 4) with one (unsigned-looking) authorization, signed by `key`."""
    authorization = [chain_id, to_bytes(hexstr=to), 0, 0, 1, 1]
    fields = [chain_id, nonce, tip, max_fee, 50000, to_bytes(hexstr=to), 0, b"", [], [authorization]]
    return _signed_typed(4, fields, key)


def high_s(raw_legacy, chain_id):
    """The same legacy EIP-155 transaction with s replaced by n − s (and v flipped): valid before EIP-2, not after."""
    fields = rlp.decode(raw_legacy)
    v = int.from_bytes(fields[6], "big")
    s = int.from_bytes(fields[8], "big")
    parity = (v - 35 - 2 * chain_id) ^ 1
    fields[6] = chain_id * 2 + 35 + parity
    fields[8] = SECP256K1_N - s
    return rlp.encode(fields)


def malformed_samples(valid_raw):
    """(label, bytes) pairs that are not a well-formed transaction."""
    return [
        ("truncated list header", bytes.fromhex("f8")),
        ("truncated transaction", valid_raw[:-5]),
        ("trailing bytes", valid_raw + b"\x00"),
        ("list of too few fields", rlp.encode([1, 2, 3])),
        ("a byte string, not a list", rlp.encode(b"hello world, not a transaction")),
    ]
