"""What a wallet developer checks against a dev node, with web3.py and
eth-account against the real binary: transfers of every accepted type with
web3's own fee defaults and exact balance arithmetic, nonces, every
rejection's message, batches, withdrawals, and signed pre-confirmations."""

import tempfile

import pytest
import requests
from eth_account import Account
from eth_utils import keccak, to_bytes, to_checksum_address
from web3 import Web3
from web3.exceptions import BlockNotFound, TransactionNotFound, Web3RPCError
from web3.middleware import SignAndSendRawMiddlewareBuilder

import rawtx
from nodeproc import CHAIN_ID, DEV_BALANCE, WITHDRAWAL_ADDRESS, NodeProcess
from walletlib import filled, preconfirmation_signer, rpc, rpc_message, send, sign, wait_until

GWEI = 10**9
BASE_FEE_FLOOR = 10_000_000  # 0.01 gwei


def intrinsic_gas(data=b"", access_list=()):
    return (21000 + sum(16 if b else 4 for b in data)
            + sum(2400 + 1900 * len(e["storageKeys"]) for e in access_list))


def rejected(w3, raw):
    """Sends `raw`, expects web3 to raise, returns the node's message."""
    with pytest.raises(Web3RPCError) as e:
        w3.eth.send_raw_transaction(raw)
    return rpc_message(e.value)


def balances(w3, addresses, block):
    return {a: w3.eth.get_balance(a, block) for a in addresses}


def check_block_accounting(w3, number):
    """Over every account block `number` touched: the fee recipient gained
    exactly the tips, and the total balance fell by exactly the burned base
    fees plus the withdrawn values (the supply arithmetic)."""
    block = w3.eth.get_block(number, full_transactions=True)
    base = block["baseFeePerGas"]
    receipts = [w3.eth.get_transaction_receipt(t["hash"]) for t in block["transactions"]]
    tips = sum(r["gasUsed"] * (r["effectiveGasPrice"] - base) for r in receipts)
    burned = sum(r["gasUsed"] * base for r in receipts)
    withdrawn = sum(t["value"] for t in block["transactions"] if t["to"] == to_checksum_address(WITHDRAWAL_ADDRESS))
    touched = {block["miner"], to_checksum_address(WITHDRAWAL_ADDRESS)}
    for t in block["transactions"]:
        touched |= {t["from"], t["to"]}
    before, after = balances(w3, touched, number - 1), balances(w3, touched, number)
    assert after[block["miner"]] - before[block["miner"]] == tips
    assert sum(after.values()) - sum(before.values()) == -(burned + withdrawn)
    assert after[to_checksum_address(WITHDRAWAL_ADDRESS)] == 0
    assert block["gasUsed"] == sum(r["gasUsed"] for r in receipts)
    return block, receipts


def transfer_and_check(w3, sender, kind, data=b"", access_list=None, value=123_456_789_000_000_007):
    """One transfer to a new address, filled by web3, then every number checked exactly."""
    recipient = Account.create().address
    nonce = w3.eth.get_transaction_count(sender.address)
    assert w3.eth.get_transaction_count(sender.address, "pending") == nonce
    tx = filled(w3, sender, recipient, value, kind, data=data, access_list=access_list)
    assert tx["gas"] == intrinsic_gas(data, access_list or ())
    assert tx["chainId"] == CHAIN_ID and tx["nonce"] == nonce
    before = w3.eth.get_balance(sender.address)

    tx_hash = send(w3, sender, tx)
    assert tx_hash == keccak(sign(sender, tx))
    assert w3.eth.get_transaction_count(sender.address, "pending") == nonce + 1
    receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=20, poll_latency=0.05)

    n = receipt["blockNumber"]
    block = w3.eth.get_block(n)
    base = block["baseFeePerGas"]
    assert base >= BASE_FEE_FLOOR
    assert receipt["status"] == 1
    assert receipt["from"] == sender.address and receipt["to"] == recipient
    assert receipt["gasUsed"] == intrinsic_gas(data, access_list or ())
    assert receipt["blockHash"] == block["hash"]
    assert receipt["contractAddress"] is None and receipt["logs"] == []
    if "gasPrice" in tx:
        assert receipt["effectiveGasPrice"] == tx["gasPrice"]
    else:
        assert receipt["effectiveGasPrice"] == min(tx["maxFeePerGas"], base + tx["maxPriorityFeePerGas"])
    price, gas = receipt["effectiveGasPrice"], receipt["gasUsed"]

    assert w3.eth.get_balance(sender.address, n - 1) == before
    assert w3.eth.get_balance(sender.address, n) == before - value - gas * price
    assert w3.eth.get_balance(sender.address) == before - value - gas * price
    assert w3.eth.get_balance(recipient, n - 1) == 0
    assert w3.eth.get_balance(recipient, n) == value
    _, receipts = check_block_accounting(w3, n)
    if len(receipts) == 1:
        tips = w3.eth.get_balance(block["miner"], n) - w3.eth.get_balance(block["miner"], n - 1)
        assert tips == gas * (price - base)

    got = w3.eth.get_transaction(tx_hash)
    assert got["hash"] == tx_hash and got["from"] == sender.address and got["to"] == recipient
    assert got["nonce"] == nonce and got["value"] == value and got["gas"] == tx["gas"]
    assert got["blockNumber"] == n and got["transactionIndex"] == receipt["transactionIndex"]
    assert got["input"] == data
    assert got["type"] == receipt["type"]
    assert w3.eth.get_transaction_count(sender.address) == nonce + 1
    assert tx_hash in w3.eth.get_block(n)["transactions"]
    return receipt, got


# ---- the node as web3 sees it


def test_identity_and_genesis(w3, node, dev):
    assert w3.eth.chain_id == CHAIN_ID
    assert w3.net.version == str(CHAIN_ID)
    assert w3.client_version.startswith("sequencer/")
    assert w3.eth.accounts == [a.address for a in dev]
    assert w3.eth.syncing is False
    assert w3.eth.get_code(dev[0].address) == b""
    assert w3.eth.get_block("earliest")["number"] == 0
    if w3.eth.block_number < 100:
        assert all(w3.eth.get_balance(a.address, 0) == DEV_BALANCE for a in dev)
    assert requests.get(node.url + "/health", timeout=5).status_code == 200
    ready = requests.get(node.url + "/ready", timeout=5)
    assert ready.status_code == 200 and ready.json()["ready"] is True


def test_blocks_fee_history_and_estimates(w3, fresh):
    sender = fresh()
    transfer_and_check(w3, sender, "eip1559")
    head = w3.eth.block_number
    latest = w3.eth.get_block("latest")
    assert latest["number"] == head
    assert w3.eth.get_block(latest["hash"])["number"] == head
    assert w3.eth.get_block("pending")["number"] >= head
    for tag in ("safe", "finalized"):
        assert w3.eth.get_block(tag)["number"] <= head
    assert w3.eth.get_block_transaction_count(head) == len(latest["transactions"])
    assert w3.eth.gas_price >= latest["baseFeePerGas"]
    assert w3.eth.max_priority_fee >= 0

    history = w3.eth.fee_history(4, "latest", [10.0, 50.0, 90.0])
    blocks = min(4, head + 1)
    assert history["oldestBlock"] == head + 1 - blocks
    assert len(history["baseFeePerGas"]) == blocks + 1
    assert len(history["gasUsedRatio"]) == blocks
    assert len(history["reward"]) == blocks and all(len(r) == 3 for r in history["reward"])
    assert all(f >= BASE_FEE_FLOOR for f in history["baseFeePerGas"])

    to = Account.create().address
    assert w3.eth.estimate_gas({"from": sender.address, "to": to, "value": 1}) == 21000
    assert w3.eth.estimate_gas({"from": sender.address, "to": to, "data": "0x0001ff"}) == 21000 + 4 + 16 + 16
    assert w3.eth.call({"from": sender.address, "to": to, "value": 1}) == b""
    with pytest.raises(BlockNotFound):
        w3.eth.get_block(head + 1000)
    with pytest.raises(TransactionNotFound):
        w3.eth.get_transaction("0x" + "ab" * 32)


# ---- transfers of every accepted type, with web3's defaults


def test_legacy_eip155_transfer(w3, fresh):
    receipt, got = transfer_and_check(w3, fresh(), "legacy")
    assert receipt["type"] == 0
    assert got["v"] in (CHAIN_ID * 2 + 35, CHAIN_ID * 2 + 36)
    assert got["chainId"] == CHAIN_ID


def test_eip1559_transfer(w3, fresh):
    receipt, got = transfer_and_check(w3, fresh(), "eip1559")
    assert receipt["type"] == 2
    assert got["maxPriorityFeePerGas"] == w3.eth.max_priority_fee
    assert got["yParity"] in (0, 1)


def test_eip1559_transfer_with_fee_history_tip(w3, fresh):
    receipt, got = transfer_and_check(w3, fresh(), "fee-history")
    assert receipt["type"] == 2
    assert got["maxPriorityFeePerGas"] >= GWEI  # web3 clamps its fee-history estimate to [1, 1.5] gwei


def test_access_list_transfer_with_data(w3, fresh):
    access_list = [{"address": Account.create().address, "storageKeys": ["0x" + "00" * 31 + "01"]}]
    receipt, got = transfer_and_check(w3, fresh(), "access-list", data=b"\x00\x01\xff", access_list=access_list)
    assert receipt["type"] == 1
    assert receipt["gasUsed"] == 21000 + 4 + 16 + 16 + 2400 + 1900


def test_send_transaction_through_web3_signing_middleware(node, fresh):
    sender = fresh()
    client = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 20}))
    client.middleware_onion.inject(SignAndSendRawMiddlewareBuilder.build(sender), layer=0)
    recipient = Account.create().address
    before = client.eth.get_balance(sender.address)
    tx_hash = client.eth.send_transaction({"from": sender.address, "to": recipient, "value": 10**15})
    receipt = client.eth.wait_for_transaction_receipt(tx_hash, timeout=20, poll_latency=0.05)
    assert receipt["status"] == 1 and receipt["type"] == 2 and receipt["gasUsed"] == 21000
    assert client.eth.get_balance(recipient) == 10**15
    assert client.eth.get_balance(sender.address) == before - 10**15 - 21000 * receipt["effectiveGasPrice"]


# ---- nonces


def test_pending_count_includes_accepted_transactions(w3, fresh):
    sender = fresh()
    start = w3.eth.get_transaction_count(sender.address)
    hashes = []
    for i in range(5):
        tx = filled(w3, sender, Account.create().address, 1000 + i, "eip1559", nonce=start + i)
        hashes.append(send(w3, sender, tx))
        assert w3.eth.get_transaction_count(sender.address, "pending") == start + i + 1
        assert w3.eth.get_transaction_count(sender.address, "latest") <= start + i + 1
    receipts = [w3.eth.wait_for_transaction_receipt(h, timeout=20, poll_latency=0.05) for h in hashes]
    positions = [(r["blockNumber"], r["transactionIndex"]) for r in receipts]
    assert positions == sorted(positions) and len(set(positions)) == 5
    assert [w3.eth.get_transaction(h)["nonce"] for h in hashes] == list(range(start, start + 5))
    assert w3.eth.get_transaction_count(sender.address) == start + 5


def test_pending_and_queued_against_a_slow_block(dev):
    """With a 3 s block, accepted transactions are visibly unsealed: `pending` counts them, `latest` does not."""
    with tempfile.TemporaryDirectory(prefix="sequencer-slow-") as d:
        node = NodeProcess(d, block_time="3s").start()
        try:
            w3 = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 20}))
            sender = dev[3]
            first = [filled(w3, sender, dev[4].address, 1 + i, "eip1559", nonce=i) for i in range(3)]
            hashes = [send(w3, sender, tx) for tx in first]
            assert w3.eth.get_transaction_count(sender.address, "pending") == 3
            assert w3.eth.get_transaction_count(sender.address, "latest") == 0
            for h in hashes:
                with pytest.raises(TransactionNotFound):
                    w3.eth.get_transaction_receipt(h)
                assert w3.eth.get_transaction(h)["blockNumber"] is None
            status = rpc(w3, "seq_status", [])
            assert status["openBlock"] == {"number": "0x1", "transactions": "0x3"}
            assert w3.eth.get_balance(sender.address, "pending") < w3.eth.get_balance(sender.address, "latest")

            gap = dict(first[0], nonce=4, value=5)
            queued = rpc(w3, "seq_sendRawTransaction", ["0x" + sign(sender, gap).hex()])
            assert queued["status"] == "queued" and queued["txHash"] == "0x" + keccak(sign(sender, gap)).hex()
            assert w3.eth.get_transaction_count(sender.address, "pending") == 3
            fill = dict(first[0], nonce=3, value=4)
            hashes += [send(w3, sender, fill), keccak(sign(sender, gap))]
            assert w3.eth.get_transaction_count(sender.address, "pending") == 5

            receipts = [w3.eth.wait_for_transaction_receipt(h, timeout=20, poll_latency=0.1) for h in hashes]
            assert [r["transactionIndex"] for r in receipts] == [0, 1, 2, 3, 4]
            assert {r["blockNumber"] for r in receipts} == {1}
            assert w3.eth.get_transaction_count(sender.address, "latest") == 5
            promise = rpc(w3, "seq_getPreconfirmation", [queued["txHash"]])
            assert (int(promise["blockNumber"], 16), int(promise["index"], 16)) == (1, 4)
        finally:
            node.stop()


# ---- every rejection, with the node's message, and nothing changed by it


def test_nonce_too_low(w3, fresh):
    sender = fresh()
    tx = filled(w3, sender, Account.create().address, 1, "eip1559")
    w3.eth.wait_for_transaction_receipt(send(w3, sender, tx), timeout=20, poll_latency=0.05)
    again = dict(tx, value=2)
    assert rejected(w3, sign(sender, again)).startswith("nonce too low")
    assert w3.eth.get_transaction_count(sender.address, "pending") == tx["nonce"] + 1
    try:
        assert w3.eth.send_raw_transaction(sign(sender, tx)) == keccak(sign(sender, tx))
    except Web3RPCError as e:
        assert "already known" in rpc_message(e) or "nonce too low" in rpc_message(e)


def test_insufficient_funds(w3, fresh):
    empty = Account.create()
    tx = {"to": Account.create().address, "value": 0, "gas": 21000, "gasPrice": w3.eth.gas_price,
          "nonce": 0, "chainId": CHAIN_ID}
    assert rejected(w3, sign(empty, tx)).startswith("insufficient funds for gas * price + value")

    sender = fresh()
    balance = w3.eth.get_balance(sender.address)
    tx = filled(w3, sender, Account.create().address, balance, "eip1559")
    assert rejected(w3, sign(sender, tx)).startswith("insufficient funds for gas * price + value")
    exact = dict(tx, value=balance - tx["gas"] * tx["maxFeePerGas"])
    receipt = w3.eth.wait_for_transaction_receipt(send(w3, sender, exact), timeout=20, poll_latency=0.05)
    assert w3.eth.get_balance(sender.address) == tx["gas"] * (tx["maxFeePerGas"] - receipt["effectiveGasPrice"])


def test_intrinsic_gas_too_low(w3, fresh):
    sender = fresh()
    tx = filled(w3, sender, Account.create().address, 1, "legacy")
    assert rejected(w3, sign(sender, dict(tx, gas=20999))).startswith("intrinsic gas too low")
    with_data = filled(w3, sender, Account.create().address, 1, "eip1559", data=b"\x01\x00")
    assert with_data["gas"] == 21020
    assert rejected(w3, sign(sender, dict(with_data, gas=21019))).startswith("intrinsic gas too low")
    assert w3.eth.get_transaction_count(sender.address, "pending") == tx["nonce"]


def test_max_fee_below_base_fee(w3, fresh):
    sender = fresh()
    base = w3.eth.get_block("pending")["baseFeePerGas"]
    tx = filled(w3, sender, Account.create().address, 1, "eip1559")
    low = dict(tx, maxFeePerGas=base - 1, maxPriorityFeePerGas=0)
    assert rejected(w3, sign(sender, low)).startswith("max fee per gas less than block base fee")
    legacy = filled(w3, sender, Account.create().address, 1, "legacy")
    assert rejected(w3, sign(sender, dict(legacy, gasPrice=base - 1))).startswith("max fee per gas less than block base fee")
    assert w3.eth.get_transaction_count(sender.address, "pending") == tx["nonce"]


def test_invalid_chain_id(w3, fresh):
    sender = fresh()
    for kind in ("legacy", "eip1559"):
        tx = filled(w3, sender, Account.create().address, 1, kind)
        assert "invalid chain id" in rejected(w3, sign(sender, dict(tx, chainId=1)))
    unprotected = filled(w3, sender, Account.create().address, 1, "legacy")
    del unprotected["chainId"]
    message = rejected(w3, sign(sender, unprotected))
    assert "invalid chain id" in message or "replay-protected" in message


def test_transaction_types_3_and_4_not_supported(w3, dev):
    key, to = dev[0].key, Account.create().address
    for raw in (rawtx.blob_transaction(key, CHAIN_ID, 0, to, 10 * GWEI, GWEI),
                rawtx.set_code_transaction(key, CHAIN_ID, 0, to, 10 * GWEI, GWEI),
                bytes([5]) + bytes.fromhex("c0"), bytes([0x7F]) + bytes.fromhex("c0")):
        assert rejected(w3, raw).startswith("transaction type not supported")


def test_contract_creation_not_supported(w3, fresh):
    sender = fresh()
    tx = {"value": 0, "data": b"\x60\x00", "gas": 100_000, "maxFeePerGas": w3.eth.gas_price * 2,
          "maxPriorityFeePerGas": w3.eth.max_priority_fee, "nonce": 0, "chainId": CHAIN_ID}
    assert rejected(w3, sign(sender, tx)) == "contract creation is not supported"
    with pytest.raises(Web3RPCError) as e:
        w3.eth.estimate_gas({"from": sender.address, "data": "0x6000"})
    assert "contract creation is not supported" in rpc_message(e.value)


def test_oversized_data(w3, fresh):
    sender = fresh()
    big = filled(w3, sender, Account.create().address, 0, "eip1559", data=b"\x01" * (129 * 1024))
    assert rejected(w3, sign(sender, big)).startswith("oversized data")
    fits = filled(w3, sender, Account.create().address, 0, "eip1559", data=b"\x01" * (120 * 1024))
    receipt = w3.eth.wait_for_transaction_receipt(send(w3, sender, fits), timeout=20, poll_latency=0.05)
    assert receipt["gasUsed"] == 21000 + 16 * 120 * 1024


def test_malformed_rlp(w3, dev):
    valid = sign(dev[0], {"to": dev[1].address, "value": 1, "gas": 21000, "gasPrice": GWEI, "nonce": 10**6,
                          "chainId": CHAIN_ID})
    for label, raw in rawtx.malformed_samples(valid):
        message = rejected(w3, raw)
        assert message.startswith("rlp:") or "typed transaction" in message, (label, message)
    for bad in ("0xzz", "0x", "f86b"):
        response = w3.provider.make_request("eth_sendRawTransaction", [bad])
        assert response["error"]["code"] == -32602, (bad, response)


def test_high_s_signature_rejected(w3, dev):
    valid = sign(dev[0], {"to": dev[1].address, "value": 1, "gas": 21000, "gasPrice": GWEI, "nonce": 10**6,
                          "chainId": CHAIN_ID})
    assert rejected(w3, rawtx.high_s(valid, CHAIN_ID)).startswith("invalid transaction v, r, s values")


# ---- JSON-RPC batches


def test_web3_batch_requests(w3, dev):
    a = dev[0].address
    with w3.batch_requests() as batch:
        batch.add(w3.eth.get_block_number())
        batch.add(w3.eth.get_balance(a))
        batch.add(w3.eth.get_transaction_count(a, "pending"))
        batch.add(w3.eth.get_block("latest"))
        results = batch.execute()
    assert len(results) == 4
    assert results[0] == results[3]["number"] or results[0] + 1 == results[3]["number"]
    assert results[1] == w3.eth.get_balance(a, results[3]["number"]) or results[0] != results[3]["number"]
    assert results[2] == w3.eth.get_transaction_count(a, "pending")
    assert results[3]["hash"] == w3.eth.get_block(results[3]["number"])["hash"]


def test_raw_batch_with_errors_and_a_transaction(node, w3, fresh):
    sender = fresh()
    tx = filled(w3, sender, Account.create().address, 77, "eip1559")
    raw = "0x" + sign(sender, tx).hex()
    body = [
        {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []},
        {"jsonrpc": "2.0", "id": "two", "method": "eth_sendRawTransaction", "params": [raw]},
        {"jsonrpc": "2.0", "id": 3, "method": "no_suchMethod", "params": []},
        {"jsonrpc": "2.0", "method": "eth_blockNumber", "params": []},
        {"jsonrpc": "2.0", "id": 5, "method": "eth_getTransactionCount", "params": [sender.address, "pending"]},
        {"foo": "bar"},
    ]
    response = requests.post(node.url, json=body, timeout=20)
    assert response.status_code == 200
    answers = response.json()
    assert isinstance(answers, list) and len(answers) == 5
    by_id = {str(x.get("id")): x for x in answers}
    assert by_id["1"]["result"] == hex(CHAIN_ID)
    assert by_id["two"]["result"] == "0x" + keccak(bytes.fromhex(raw[2:])).hex()
    assert by_id["3"]["error"]["code"] == -32601
    assert int(by_id["5"]["result"], 16) in (tx["nonce"], tx["nonce"] + 1)
    assert by_id["None"]["error"]["code"] == -32600
    receipt = w3.eth.wait_for_transaction_receipt(by_id["two"]["result"], timeout=20, poll_latency=0.05)
    assert receipt["status"] == 1
    empty = requests.post(node.url, json=[], timeout=5).json()
    assert empty["error"]["code"] == -32600


# ---- withdrawals


def test_withdrawal_burns_value(w3, fresh):
    sender = fresh()
    value = 3 * 10**18 + 11
    tx = filled(w3, sender, WITHDRAWAL_ADDRESS, value, "eip1559")
    assert tx["gas"] == 21000
    before = w3.eth.get_balance(sender.address)
    receipt = w3.eth.wait_for_transaction_receipt(send(w3, sender, tx), timeout=20, poll_latency=0.05)
    n = receipt["blockNumber"]
    assert receipt["status"] == 1
    assert receipt["withdrawal"]["recipient"] == sender.address
    assert int(receipt["withdrawal"]["amount"], 16) == value
    assert w3.eth.get_balance(sender.address, n) == before - value - receipt["gasUsed"] * receipt["effectiveGasPrice"]
    assert w3.eth.get_balance(WITHDRAWAL_ADDRESS, n) == 0
    block, _ = check_block_accounting(w3, n)
    assert block["l2WithdrawalsRoot"] != "0x" + "00" * 32


def test_withdrawal_to_another_l1_recipient(w3, fresh):
    sender = fresh()
    l1_recipient = Account.create().address
    data = to_bytes(hexstr=l1_recipient)
    tx = filled(w3, sender, WITHDRAWAL_ADDRESS, 10**17, "legacy", data=data)
    assert tx["gas"] == intrinsic_gas(data)
    receipt = w3.eth.wait_for_transaction_receipt(send(w3, sender, tx), timeout=20, poll_latency=0.05)
    assert receipt["withdrawal"]["recipient"] == l1_recipient
    assert w3.eth.get_balance(l1_recipient) == 0
    check_block_accounting(w3, receipt["blockNumber"])
    bad = filled(w3, sender, WITHDRAWAL_ADDRESS, 1, "eip1559", data=b"\x01" * 20)
    bad["data"] = b"\x01" * 19
    bad["gas"] = intrinsic_gas(bad["data"])
    assert "invalid withdrawal" in rejected(w3, sign(sender, bad))


# ---- pre-confirmations


def test_preconfirmation_is_signed_and_kept(w3, fresh):
    sender = fresh()
    status = rpc(w3, "seq_status", [])
    promises = []
    nonce = w3.eth.get_transaction_count(sender.address, "pending")
    for i in range(3):
        raw = sign(sender, filled(w3, sender, Account.create().address, 10**12 + i, "eip1559", nonce=nonce + i))
        p = rpc(w3, "seq_sendRawTransaction", ["0x" + raw.hex()])
        assert set(p) == {"txHash", "blockNumber", "index", "timestamp", "chainId", "sequencer", "signature"}
        assert p["txHash"] == "0x" + keccak(raw).hex()
        assert int(p["chainId"], 16) == CHAIN_ID
        assert p["sequencer"] == status["sequencer"]
        assert len(to_bytes(hexstr=p["signature"])) == 65
        assert preconfirmation_signer(p) == status["sequencer"]
        forged = dict(p, index=hex(int(p["index"], 16) + 1))
        assert preconfirmation_signer(forged) != status["sequencer"]
        promises.append(p)
    for p in promises:
        receipt = w3.eth.wait_for_transaction_receipt(p["txHash"], timeout=20, poll_latency=0.05)
        assert receipt["blockNumber"] == int(p["blockNumber"], 16)
        assert receipt["transactionIndex"] == int(p["index"], 16)
        assert w3.eth.get_block(receipt["blockNumber"])["timestamp"] == int(p["timestamp"], 16)
        again = rpc(w3, "seq_getPreconfirmation", [p["txHash"]])
        assert {k: again[k] for k in ("blockNumber", "index", "timestamp", "sequencer")} == \
               {k: p[k] for k in ("blockNumber", "index", "timestamp", "sequencer")}
        assert preconfirmation_signer(again) == status["sequencer"]
    positions = [(int(p["blockNumber"], 16), int(p["index"], 16)) for p in promises]
    assert positions == sorted(positions)
    assert rpc(w3, "seq_getPreconfirmation", ["0x" + "ab" * 32]) is None


def test_resubmitting_gives_the_same_preconfirmation(w3, fresh):
    sender = fresh()
    raw = "0x" + sign(sender, filled(w3, sender, Account.create().address, 5, "legacy")).hex()
    first = rpc(w3, "seq_sendRawTransaction", [raw])
    second = rpc(w3, "seq_sendRawTransaction", [raw])
    assert (second["blockNumber"], second["index"], second["timestamp"]) == \
           (first["blockNumber"], first["index"], first["timestamp"])
    assert wait_until(lambda: w3.eth.get_transaction_count(sender.address) == 1)
