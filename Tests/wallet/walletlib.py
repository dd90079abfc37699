"""What a wallet does against the node, written with web3.py and eth-account
only: fill a transaction with web3's own defaults, sign it locally, send the
raw bytes, verify a pre-confirmation."""

import time

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import keccak, to_bytes
from web3._utils.fee_utils import fee_history_priority_fee
from web3._utils.transactions import fill_transaction_defaults


def filled(w3, acct, to, value, kind="eip1559", data=b"", nonce=None, access_list=None):
    """A transaction dict filled the way web3.py fills one before signing.

    kind: "legacy" (type 0, EIP-155, gasPrice = eth_gasPrice), "eip1559"
    (maxPriorityFeePerGas = eth_maxPriorityFeePerGas, maxFeePerGas = 2 × base
    fee + tip), "fee-history" (the tip from web3's eth_feeHistory estimate), or
    "access-list" (type 1 at eth_gasPrice with `access_list`).
    """
    tx = {"from": acct.address, "to": to, "value": value, "data": data,
          "nonce": w3.eth.get_transaction_count(acct.address, "pending") if nonce is None else nonce}
    if kind == "legacy":
        tx["gasPrice"] = w3.eth.gas_price
    elif kind == "access-list":
        tx["gasPrice"] = w3.eth.gas_price
        tx["accessList"] = access_list or []
        tx["type"] = 1
    elif kind == "fee-history":
        tx["maxPriorityFeePerGas"] = fee_history_priority_fee(w3.eth)
    elif kind != "eip1559":
        raise ValueError(kind)
    tx = dict(fill_transaction_defaults(w3, tx))
    tx.pop("from")
    return tx


def sign(acct, tx):
    return Account.sign_transaction(tx, acct.key).raw_transaction


def send(w3, acct, tx):
    return w3.eth.send_raw_transaction(sign(acct, tx))


def rpc_message(exc):
    """The JSON-RPC error message carried by a Web3RPCError."""
    response = getattr(exc, "rpc_response", None) or {}
    error = response.get("error") or {}
    return error.get("message", str(exc))


def preconfirmation_digest(p):
    """keccak256(chainId ‖ txHash ‖ blockNumber ‖ index ‖ timestamp), each a 32-byte big-endian word."""
    words = [int(p["chainId"], 16).to_bytes(32, "big"), to_bytes(hexstr=p["txHash"]),
             int(p["blockNumber"], 16).to_bytes(32, "big"), int(p["index"], 16).to_bytes(32, "big"),
             int(p["timestamp"], 16).to_bytes(32, "big")]
    assert all(len(w) == 32 for w in words)
    return keccak(b"".join(words))


def preconfirmation_signer(p):
    return Account.recover_message(encode_defunct(primitive=preconfirmation_digest(p)), signature=p["signature"])


def rpc(w3, method, params):
    """A raw JSON-RPC call through web3's provider; raises on an error object."""
    response = w3.provider.make_request(method, params)
    if "error" in response:
        raise RuntimeError(f"{method}: {response['error']}")
    return response["result"]


def wait_until(predicate, timeout=10.0, interval=0.05):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            return value
        time.sleep(interval)
