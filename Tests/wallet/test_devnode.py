"""A wallet team's integration suite pointed at the dev node the way it would
be pointed at a local dev node: only `w3.eth.accounts[i]` and
`send_transaction`, a snapshot before each test and a revert after it, time
travel, balances, impersonation, the txpool views, typed data, and the
receipt in one call. Dev-state changes are carried in L2 blocks, so after
all of it the embedded L1's `sequencer derive` equals the node's safe state.
"""
import json
import os
import subprocess
import tempfile
import time

import pytest
import requests
from eth_account import Account
from web3 import Web3

from nodeproc import CHAIN_ID, NodeProcess, binary_path

ETH = 10**18


@pytest.fixture(scope="module")
def devnode():
    with tempfile.TemporaryDirectory() as d:
        proc = NodeProcess(d, block_time="0",
                           extra_args=["--batch-max-age", "200ms", "--l1-block-time", "200ms", "--l1-port", "0"]).start()
        try:
            yield proc
        finally:
            proc.stop()


@pytest.fixture(scope="module")
def w3(devnode):
    client = Web3(Web3.HTTPProvider(devnode.url, request_kwargs={"timeout": 20}))
    assert client.is_connected()
    return client


def call(w3, method, *params):
    r = w3.provider.make_request(method, list(params))
    assert "error" not in r, f"{method}: {r['error']}"
    return r["result"]


@pytest.fixture(autouse=True)
def snapshot(w3):
    """Every test starts from the same chain and leaves nothing behind."""
    before = w3.eth.block_number
    snap = call(w3, "evm_snapshot")
    yield
    assert call(w3, "evm_revert", snap) is True
    assert w3.eth.block_number == before
    assert call(w3, "evm_revert", snap) is False, "a revert consumes its snapshot"


def test_unlocked_accounts_send_with_the_blanks_filled(w3):
    a, b = w3.eth.accounts[0], w3.eth.accounts[1]
    before = w3.eth.get_balance(b)
    h = w3.eth.send_transaction({"from": a, "to": b, "value": 12345})
    receipt = w3.eth.wait_for_transaction_receipt(h, timeout=10)
    assert receipt["status"] == 1 and receipt["from"] == a
    assert w3.eth.get_balance(b) == before + 12345
    assert w3.eth.get_transaction(h)["nonce"] == w3.eth.get_transaction_count(a) - 1


def test_the_revert_of_the_previous_test_left_no_trace(w3):
    assert w3.eth.get_transaction_count(w3.eth.accounts[0]) == 0


def test_time_travel_moves_block_timestamps(w3):
    start = w3.eth.get_block("latest")["timestamp"]
    call(w3, "evm_increaseTime", 3600)
    call(w3, "evm_mine")
    assert w3.eth.get_block("latest")["timestamp"] >= start + 3600
    target = w3.eth.get_block("latest")["timestamp"] + 1000
    call(w3, "evm_setNextBlockTimestamp", hex(target))
    call(w3, "evm_mine")
    assert w3.eth.get_block("latest")["timestamp"] == target
    n = w3.eth.block_number
    call(w3, "anvil_mine", hex(5), hex(12))
    assert w3.eth.block_number == n + 5
    assert w3.eth.get_block("latest")["timestamp"] == target + 4 * 12 + (w3.eth.get_block(n + 1)["timestamp"] - target)


def test_set_balance_and_nonce(w3):
    who = Account.create().address
    call(w3, "anvil_setBalance", who, hex(7 * ETH))
    assert w3.eth.get_balance(who) == 7 * ETH
    call(w3, "hardhat_setNonce", w3.eth.accounts[2], hex(9))
    assert w3.eth.get_transaction_count(w3.eth.accounts[2]) == 9
    h = w3.eth.send_transaction({"from": w3.eth.accounts[2], "to": who, "value": 1})
    assert w3.eth.wait_for_transaction_receipt(h, timeout=10)["status"] == 1
    assert w3.eth.get_transaction(h)["nonce"] == 9


def test_impersonated_address_sends_without_a_key(w3):
    whale = Account.create().address
    payee = Account.create().address
    call(w3, "anvil_setBalance", whale, hex(3 * ETH))
    r = w3.provider.make_request("eth_sendTransaction", [{"from": whale, "to": payee, "value": hex(ETH)}])
    assert "error" in r and "unknown account" in r["error"]["message"], r
    call(w3, "anvil_impersonateAccount", whale)
    h = w3.eth.send_transaction({"from": whale, "to": payee, "value": ETH})
    receipt = w3.eth.wait_for_transaction_receipt(h, timeout=10)
    assert receipt["status"] == 1 and receipt["from"] == whale
    assert w3.eth.get_balance(payee) == ETH
    call(w3, "anvil_stopImpersonatingAccount", whale)
    r = w3.provider.make_request("eth_sendTransaction", [{"from": whale, "to": payee, "value": hex(1)}])
    assert "error" in r, r


def test_txpool_views_show_a_transaction_behind_a_nonce_gap(w3):
    a = w3.eth.accounts[3]
    nonce = w3.eth.get_transaction_count(a)
    h = w3.eth.send_transaction({"from": a, "to": w3.eth.accounts[4], "value": 5, "nonce": nonce + 1})
    status = call(w3, "txpool_status")
    assert int(status["queued"], 16) == 1 and int(status["pending"], 16) == 0, status
    content = call(w3, "txpool_content")
    entry = content["queued"][a][str(nonce + 1)]
    assert entry["hash"] == h.to_0x_hex() and entry["blockHash"] is None
    inspect = call(w3, "txpool_inspect")
    summary = inspect["queued"][a][str(nonce + 1)]
    assert summary.startswith(w3.eth.accounts[4] + ": 5 wei + ") and " gas × " in summary, summary
    assert call(w3, "anvil_dropTransaction", h.to_0x_hex()) == h.to_0x_hex()
    assert int(call(w3, "txpool_status")["queued"], 16) == 0


def test_a_pre_confirmed_transaction_cannot_be_dropped(w3):
    h = w3.eth.send_transaction({"from": w3.eth.accounts[5], "to": w3.eth.accounts[6], "value": 1})
    w3.eth.wait_for_transaction_receipt(h, timeout=10)
    r = w3.provider.make_request("anvil_dropTransaction", [h.to_0x_hex()])
    assert "error" in r and "pre-confirmed" in r["error"]["message"], r


def test_personal_sign_recovers_to_the_account(w3):
    from eth_account.messages import encode_defunct
    a = w3.eth.accounts[7]
    signature = call(w3, "personal_sign", "0x" + b"hello wallet".hex(), a)
    assert Account.recover_message(encode_defunct(b"hello wallet"), signature=signature) == a


def test_send_raw_transaction_sync_returns_the_receipt_in_one_call(w3):
    acct = Account.create()
    call(w3, "anvil_setBalance", acct.address, hex(ETH))
    tx = {"type": 2, "chainId": CHAIN_ID, "nonce": 0, "to": w3.eth.accounts[8], "value": 77, "gas": 21000,
          "maxFeePerGas": 10**9, "maxPriorityFeePerGas": 10**6}
    raw = "0x" + bytes(acct.sign_transaction(tx).raw_transaction).hex()
    receipt = call(w3, "eth_sendRawTransactionSync", raw)
    assert receipt["status"] == "0x1" and receipt["blockHash"] is not None
    assert receipt["from"].lower() == acct.address.lower()
    gap = dict(tx, nonce=5)
    r = w3.provider.make_request("eth_sendRawTransactionSync", ["0x" + bytes(acct.sign_transaction(gap).raw_transaction).hex()])
    assert r["error"]["code"] == 5 and r["error"]["data"]["expectedNonce"] == "0x1", r


def test_manual_mining_holds_transactions_until_mined(w3):
    call(w3, "evm_setAutomine", False)
    try:
        a = w3.eth.accounts[9]
        n = w3.eth.block_number
        h = w3.eth.send_transaction({"from": a, "to": w3.eth.accounts[0], "value": 3})
        time.sleep(0.3)
        assert w3.eth.block_number == n
        assert call(w3, "eth_getTransactionReceipt", h.to_0x_hex()) is None
        acct = Account.create()
        call(w3, "anvil_setBalance", acct.address, hex(ETH))
        raw = "0x" + bytes(acct.sign_transaction({"type": 2, "chainId": CHAIN_ID, "nonce": 0, "to": a, "value": 1, "gas": 21000,
                                                  "maxFeePerGas": 10**9, "maxPriorityFeePerGas": 10**6}).raw_transaction).hex()
        r = w3.provider.make_request("eth_sendRawTransactionSync", [raw, 300])
        assert r["error"]["code"] == 4 and r["error"]["data"].startswith("0x"), r
        call(w3, "evm_mine")
        assert w3.eth.block_number == n + 1
        assert w3.eth.get_transaction_receipt(h)["blockNumber"] == n + 1
        assert call(w3, "eth_getTransactionReceipt", r["error"]["data"])["blockNumber"] == hex(n + 1)
    finally:
        call(w3, "evm_setAutomine", True)


def test_derive_on_the_embedded_l1_equals_the_safe_state_after_dev_changes(w3, devnode):
    who = Account.create().address
    call(w3, "anvil_setBalance", who, hex(2 * ETH))
    call(w3, "anvil_impersonateAccount", who)
    w3.eth.send_transaction({"from": who, "to": w3.eth.accounts[1], "value": ETH})
    def wait_safe(number):
        deadline = time.time() + 20
        while time.time() < deadline and w3.eth.get_block("safe")["number"] < number:
            time.sleep(0.1)
        assert w3.eth.get_block("safe")["number"] >= number

    wait_safe(w3.eth.block_number)
    call(w3, "evm_increaseTime", 86400)
    call(w3, "anvil_mine", hex(2))
    wait_safe(w3.eth.block_number)  # blocks stamped a day ahead would never "age": they are posted at once
    inner = call(w3, "evm_snapshot")
    w3.eth.send_transaction({"from": w3.eth.accounts[0], "to": who, "value": 5})
    time.sleep(0.6)
    assert call(w3, "evm_revert", inner) is True
    w3.eth.send_transaction({"from": w3.eth.accounts[0], "to": who, "value": 6})
    head = w3.eth.block_number
    l1 = devnode.output().split("L1:")[1].split()[0] if "L1:" in devnode.output() else None
    assert l1, devnode.output()
    deadline = time.time() + 20
    while time.time() < deadline and w3.eth.get_block("safe")["number"] < head:
        time.sleep(0.1)
    safe = w3.eth.get_block("safe")
    assert safe["number"] == head
    p = subprocess.run([binary_path(), "derive", "--l1", l1, "--address", who], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    derived = json.loads(p.stdout)
    assert derived["l2BlockNumber"] == head
    assert derived["stateRoot"] == safe["stateRoot"].to_0x_hex(), (derived, safe)
    assert int(derived["balances"][who]) == w3.eth.get_balance(who)


def test_typed_data_v4_signature_verifies_with_eth_account(w3):
    from eth_account.messages import encode_typed_data
    a = w3.eth.accounts[4]
    data = {
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                             {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
            "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
            "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person[]"},
                     {"name": "contents", "type": "string"}, {"name": "amount", "type": "int256"}],
        },
        "primaryType": "Mail",
        "domain": {"name": "Ether Mail", "version": "1", "chainId": CHAIN_ID,
                   "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
        "message": {"from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                    "to": [{"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"}],
                    "contents": "Hello, Bob!", "amount": -5},
    }
    signature = call(w3, "eth_signTypedData_v4", a, json.dumps(data))
    assert Account.recover_message(encode_typed_data(full_message=data), signature=signature) == a


def test_a_node_with_a_separate_l1_refuses_dev_methods():
    from test_cli import L1Process
    with tempfile.TemporaryDirectory() as d:
        l1 = L1Process(os.path.join(d, "l1"), block_time="200ms")
        l1.start()
        node = NodeProcess(os.path.join(d, "node"), block_time="100ms", extra_args=["--l1", l1.url])
        try:
            node.start()
            for method, params in [("evm_snapshot", []), ("anvil_setBalance", [Account.create().address, "0x1"]),
                                   ("evm_mine", []), ("anvil_impersonateAccount", [Account.create().address])]:
                r = requests.post(node.url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params}, timeout=10).json()
                assert r["error"]["code"] == -32004 and "embedded L1" in r["error"]["message"], (method, r)
            r = requests.post(node.url, json={"jsonrpc": "2.0", "id": 1, "method": "txpool_status", "params": []}, timeout=10).json()
            assert r["result"] == {"pending": "0x0", "queued": "0x0"}, "the read-only txpool views work everywhere"
        finally:
            node.kill()
            l1.kill()


def test_dev_changes_snapshots_and_reverts_survive_kill_9():
    with tempfile.TemporaryDirectory() as d:
        node = NodeProcess(d, block_time="0", extra_args=["--l1-port", "0"]).start()
        try:
            w3 = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 20}))
            who = Account.create().address
            call(w3, "anvil_setBalance", who, hex(ETH))
            snap = call(w3, "evm_snapshot")
            w3.eth.send_transaction({"from": w3.eth.accounts[0], "to": who, "value": 1})
            assert call(w3, "evm_revert", snap) is True
            w3.eth.send_transaction({"from": w3.eth.accounts[0], "to": who, "value": 2})
            later = call(w3, "evm_snapshot")
            before = w3.eth.get_block("latest")
            node.kill()
            node.start()
            w3 = Web3(Web3.HTTPProvider(node.url, request_kwargs={"timeout": 20}))
            after = w3.eth.get_block("latest")
            assert (after["number"], after["hash"], after["stateRoot"]) == (before["number"], before["hash"], before["stateRoot"])
            assert w3.eth.get_balance(who) == ETH + 2
            assert call(w3, "evm_revert", snap) is False, "the first snapshot was consumed before the crash"
            assert call(w3, "evm_revert", later) is True, "the later one survived it"
            assert w3.eth.get_block("latest")["number"] == before["number"]
        finally:
            node.kill()
