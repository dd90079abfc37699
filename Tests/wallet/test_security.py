"""Security checks against the real binaries over loopback (issue 8): the
canonical live versions, one test per attack. Each asserts the refusal and
that nothing changed.

| attack                                               | live (this file)                   | rule level                                   |
|------------------------------------------------------|------------------------------------|----------------------------------------------|
| transaction replayed on another chain id             | test_replay_on_another_chain_id    | RollupTests/SecurityTests, L1Tests/Security… |
| high-s (malleated) signature                         | test_high_s_signatures             | RollupTests/SecurityTests, L1Tests/Security… |
| batch signed by another key, tampered, or replayed   | test_batches_not_from_the_sequencer| L1Tests/SecurityTests                        |
| batch with a wrong state root / skipping an overdue  | — (needs the batch codec)          | L1Tests/SecurityTests, RollupTests/Security… |
|   forced item                                        |                                    |                                              |
| deposit signed by another key, redirected, replayed  | test_deposits_signed_by_others     | L1Tests/SecurityTests                        |
| admin call without token, wrong token, in a batch    | test_admin_calls_need_the_token    | SequencerTests/NodeLiveTests (same checks)   |
| withdrawal claimed twice, forged proof, altered      | test_withdrawals_forged_or_twice   | L1Tests/SecurityTests, RollupTests/Security… |
|   amount or recipient                                |                                    |                                              |

The L1 here mines only on `l1_mine` (block time 0), so finality and
deadlines move only when a test says so.
"""

import json
import subprocess

import pytest
import requests
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import keccak

import rawtx
from crashloop_l1 import L1Node, SequencerNode, free_port
from nodeproc import CHAIN_ID, WITHDRAWAL_ADDRESS, NodeProcess, binary_path, dev_accounts

ADMIN_TOKEN = "security-test-token"
OTHER_CHAIN_ID = 5
DEV = dev_accounts()


def call(url, method, *params, headers=None):
    """(result, error) of one JSON-RPC call."""
    r = requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}, headers=headers,
                      timeout=20).json()
    return r.get("result"), r.get("error")


def ok(url, method, *params):
    result, error = call(url, method, *params)
    assert error is None, f"{method}: {error}"
    return result


def refused(url, method, *params):
    result, error = call(url, method, *params)
    assert error is not None, f"{method} was accepted: {result}"
    return error["message"]


def wait(what, condition, timeout=20.0):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def signed(acct, nonce, to, value, chain_id=CHAIN_ID, legacy=False):
    tx = {"chainId": chain_id, "nonce": nonce, "to": to, "value": value, "gas": 21000}
    tx.update({"gasPrice": 10**9} if legacy else {"type": 2, "maxFeePerGas": 10**9, "maxPriorityFeePerGas": 0})
    return bytes(acct.sign_transaction(tx).raw_transaction)


def hx(raw):
    return "0x" + raw.hex()


@pytest.fixture(scope="module")
def rollup(tmp_path_factory):
    """A separate L1 (mining only on request) and a sequencer posting to it."""
    d = tmp_path_factory.mktemp("security")
    port = free_port()
    l1 = L1Node(str(d / "l1"), port, block_time="0", force_delay=3, finality_depth=2).start()
    node = SequencerNode(str(d / "node"), l1.url, block_time="100ms", batch_max_age="200ms").start()
    yield l1, node
    node.stop()
    l1.stop()


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    """A dev node on another chain id, with a known admin token."""
    node = NodeProcess(str(tmp_path_factory.mktemp("other-chain")), block_time="100ms",
                       extra_args=["--chain-id", str(OTHER_CHAIN_ID), "--admin-token", ADMIN_TOKEN, "--silent"]).start()
    yield node
    node.stop()


def account_state(url, address):
    return int(ok(url, "eth_getBalance", address, "latest"), 16), int(ok(url, "eth_getTransactionCount", address, "pending"), 16)


def force_and_wait(l1, node, raws):
    """Queues `raws` on the L1 and waits until the sequencer's batch consumed them; returns their queue entries."""
    indexes = [int(ok(l1.url, "l1_enqueueTransaction", hx(r))["queueIndex"], 16) for r in raws]
    last = max(indexes)
    wait("the sequencer to include the forced items and post them",
         lambda: int(ok(l1.url, "l1_getL2Head")["forcedQueueCursor"], 16) > last)
    items = ok(l1.url, "l1_getQueue", hex(min(indexes)), hex(len(indexes)))["items"]
    return items


def derive(l1, *addresses):
    p = subprocess.run([binary_path(), "derive", "--l1", l1.url, *sum((["--address", a] for a in addresses), [])],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def test_replay_on_another_chain_id(rollup, other):
    l1, node = rollup
    victim, payee = DEV[1], Account.create().address
    for_mainnet = signed(victim, 0, payee, 10**18, chain_id=1)
    for_us = signed(victim, 0, payee, 10**18)
    for method in ("eth_sendRawTransaction", "seq_sendRawTransaction"):
        assert "invalid chain id" in refused(node.url, method, hx(for_mainnet))
        assert "invalid chain id" in refused(other.url, method, hx(for_us)), "ours must not replay on chain 5"
    assert account_state(node.url, victim.address)[1] == 0

    # Forced through the L1 queue instead: the queue holds bytes, but executing them is refused (skipped) by the
    # sequencer, by the L1's re-execution of its batch, and by derivation alike.
    before = account_state(node.url, victim.address)
    items = force_and_wait(l1, node, [for_mainnet])
    assert items[0]["included"] is True
    assert account_state(node.url, victim.address) == before
    assert ok(node.url, "eth_getBalance", payee, "latest") == "0x0"
    assert ok(node.url, "eth_getTransactionByHash", hx(keccak(for_mainnet))) is None
    derived = derive(l1, victim.address, payee)
    assert int(derived["nonces"][victim.address]) == 0 and int(derived["balances"][payee]) == 0, derived


def test_high_s_signatures(rollup):
    l1, node = rollup
    sender = DEV[2]
    valid = signed(sender, 0, DEV[3].address, 12345, legacy=True)
    malleated = rawtx.high_s(valid, CHAIN_ID)
    assert keccak(malleated) != keccak(valid)
    for method in ("eth_sendRawTransaction", "seq_sendRawTransaction"):
        assert refused(node.url, method, hx(malleated)).startswith("invalid transaction v, r, s values")
    before = account_state(node.url, sender.address)
    force_and_wait(l1, node, [malleated])
    assert account_state(node.url, sender.address) == before, "a forced high-s transaction is skipped"
    assert ok(node.url, "eth_getTransactionByHash", hx(keccak(malleated))) is None
    assert ok(node.url, "eth_sendRawTransaction", hx(valid)) == hx(keccak(valid)), "the low-s original is valid"


def test_batches_not_from_the_sequencer(rollup):
    l1, node = rollup
    h = ok(node.url, "eth_sendRawTransaction", hx(signed(DEV[4], 0, DEV[5].address, 1)))
    block = int(wait("the receipt", lambda: ok(node.url, "eth_getTransactionReceipt", h))["blockNumber"], 16)
    wait("a batch on L1", lambda: int(ok(l1.url, "l1_getL2Head")["number"], 16) >= block)
    entry = next(e for e in ok(l1.url, "l1_getInbox", "0x0", "0x64")["entries"] if e["kind"] == "batch")
    data = bytes.fromhex(entry["data"][2:])
    digest = encode_defunct(primitive=keccak(data))
    sequencer = ok(l1.url, "l1_getParameters")["sequencerAddress"]
    assert Account.recover_message(digest, signature=entry["signature"]) == sequencer, "the inbox's signature scheme"
    head = ok(l1.url, "l1_getL2Head")

    other_key = Account.sign_message(digest, DEV[0].key).signature
    assert "not signed by the sequencer" in refused(l1.url, "l1_postBatch", entry["data"], hx(other_key))
    tampered = bytearray(data)
    tampered[-1] ^= 1
    assert "not signed by the sequencer" in refused(l1.url, "l1_postBatch", hx(bytes(tampered)), entry["signature"])
    assert "wrong parent batch" in refused(l1.url, "l1_postBatch", entry["data"], entry["signature"]), "a replayed batch"
    after = ok(l1.url, "l1_getL2Head")
    assert {k: after[k] for k in ("number", "hash", "inboxLength", "inboxAccumulator")} == \
           {k: head[k] for k in ("number", "hash", "inboxLength", "inboxAccumulator")}


def deposit_request(owner, to, amount, nonce, signer):
    digest = keccak(b"rollup-l1:deposit" + bytes.fromhex(owner.address[2:]) + bytes.fromhex(to[2:]) +
                    amount.to_bytes(32, "big") + nonce.to_bytes(32, "big"))
    signature = Account.sign_message(encode_defunct(primitive=digest), signer.key).signature
    return {"from": owner.address, "to": to, "amount": hex(amount), "nonce": hex(nonce), "signature": hx(signature)}


def test_deposits_signed_by_others(rollup):
    l1, node = rollup
    owner, thief, to = DEV[6], DEV[0], Account.create().address
    nonce = int(ok(l1.url, "l1_getNonce", owner.address), 16)
    balance = ok(l1.url, "l1_getBalance", owner.address)
    assert "invalid signature" in refused(l1.url, "l1_deposit", deposit_request(owner, to, 10**18, nonce, signer=thief))
    redirected = dict(deposit_request(owner, to, 10**18, nonce, signer=owner), to=thief.address)
    assert "invalid signature" in refused(l1.url, "l1_deposit", redirected), "the signature covers the recipient"
    assert ok(l1.url, "l1_getBalance", owner.address) == balance and int(ok(l1.url, "l1_getNonce", owner.address), 16) == nonce

    genuine = deposit_request(owner, to, 10**18, nonce, signer=owner)
    ok(l1.url, "l1_deposit", genuine)
    assert "wrong L1 nonce" in refused(l1.url, "l1_deposit", genuine), "a replayed deposit"
    wait("the deposit on L2", lambda: ok(node.url, "eth_getBalance", to, "latest") == hex(10**18))
    assert ok(node.url, "eth_getBalance", thief.address, "latest") == hex(10_000 * 10**18)


def test_admin_calls_need_the_token(other):
    url = other.url
    body = {"jsonrpc": "2.0", "id": 1, "method": "admin_pause", "params": []}
    hidden = [{"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}, dict(body, id=2)]
    attempts = [(body, {}), (body, {"Authorization": "Bearer wrong"}), (body, {"Authorization": ADMIN_TOKEN}),
                (hidden, {}), (hidden, {"Authorization": "Bearer wrong"})]
    for payload, headers in attempts:
        r = requests.post(url, json=payload, headers=headers, timeout=10)
        assert r.status_code == 401, (payload, headers, r.status_code, r.text)
    assert ok(url, "seq_status")["paused"] is False, "nothing changed"
    tx = signed(DEV[1], 0, DEV[2].address, 1, chain_id=OTHER_CHAIN_ID)
    assert ok(url, "eth_sendRawTransaction", hx(tx)) == hx(keccak(tx)), "the node still accepts transactions"

    authorized = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    assert requests.post(url, json=body, headers=authorized, timeout=10).status_code == 200, "the token itself works"
    assert ok(url, "seq_status")["paused"] is True
    r = requests.post(url, json=dict(body, method="admin_resume"), headers=authorized, timeout=10)
    assert r.status_code == 200 and ok(url, "seq_status")["paused"] is False


def claim_params(claim):
    return {"l2BlockNumber": hex(int(claim["l2BlockNumber"])), "index": hex(int(claim["index"])), "sender": claim["sender"],
            "recipient": claim["recipient"], "amount": hex(int(claim["amount"])), "transactionHash": claim["transactionHash"],
            "proof": list(claim["proof"])}


def test_withdrawals_forged_or_twice(rollup):
    l1, node = rollup
    exits = [signed(DEV[i], int(ok(node.url, "eth_getTransactionCount", DEV[i].address, "pending"), 16), WITHDRAWAL_ADDRESS,
                    i * 10**17) for i in (7, 8)]
    answers = requests.post(node.url, json=[{"jsonrpc": "2.0", "id": i, "method": "eth_sendRawTransaction", "params": [hx(r)]}
                                            for i, r in enumerate(exits)], timeout=20).json()
    hashes = [a["result"] for a in sorted(answers, key=lambda a: a["id"])]
    receipts = [wait("the exit receipt", lambda h=h: ok(node.url, "eth_getTransactionReceipt", h)) for h in hashes]
    last = max(int(r["blockNumber"], 16) for r in receipts)
    wait("the exits batched", lambda: int(ok(l1.url, "l1_getL2Head")["number"], 16) >= last)

    # Not final yet (the L1 mines only on request): the wallet builds the claim and the L1 refuses it for now.
    p = subprocess.run([binary_path(), "wallet", "claim", "--tx", hashes[0], "--account", "7", "--l1", l1.url,
                        "--rpc", node.url, "--json"], capture_output=True, text=True, timeout=60)
    claim = json.loads(p.stdout)
    assert p.returncode == 1 and claim["claimed"] is False and claim["reason"] == "withdrawalNotFinal", p.stdout + p.stderr
    ok(l1.url, "l1_mine", "0x3")

    genuine = claim_params(claim)
    recipient = genuine["recipient"]
    assert recipient == DEV[7].address
    paid_before = int(ok(l1.url, "l1_getBalance", recipient), 16)
    other_before = ok(l1.url, "l1_getBalance", DEV[0].address)
    forgeries = {
        "altered amount": dict(genuine, amount=hex(int(genuine["amount"], 16) * 10)),
        "altered recipient": dict(genuine, recipient=DEV[0].address),
        "another index": dict(genuine, index=hex(int(genuine["index"], 16) + 1)),
        "a bogus sibling added": dict(genuine, proof=genuine["proof"] + ["0x" + "11" * 32]),
    }
    if genuine["proof"]:
        forgeries["a tampered sibling"] = dict(genuine, proof=["0x" + "22" * 32] + genuine["proof"][1:])
        forgeries["no proof"] = dict(genuine, proof=[])
    for name, forged in forgeries.items():
        assert "invalid proof" in refused(l1.url, "l1_claimWithdrawal", forged), name
    assert int(ok(l1.url, "l1_getBalance", recipient), 16) == paid_before, "forgeries paid nothing"
    assert ok(l1.url, "l1_getBalance", DEV[0].address) == other_before

    paid = ok(l1.url, "l1_claimWithdrawal", genuine)
    assert int(paid["amount"], 16) == 7 * 10**17
    assert "already claimed" in refused(l1.url, "l1_claimWithdrawal", genuine), "a second claim"
    assert int(ok(l1.url, "l1_getBalance", recipient), 16) == paid_before + 7 * 10**17, "paid exactly once"
