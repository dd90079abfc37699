"""The crash loop shared by `test_crash.py` (a few kills) and `scripts/crash-test`
(many): client threads submit transactions from several accounts, through
`seq_sendRawTransaction` and `eth_sendRawTransaction`, while the node is
killed with SIGKILL at random moments and restarted on the same data
directory. Then every promise is checked:

- every transaction whose hash or pre-confirmation a client received is in
  the chain, at exactly the promised (blockNumber, index) for a
  pre-confirmation, and at the position first observed otherwise;
- no transaction hash appears twice, and each sender's nonces in the chain
  are contiguous from 0 with no repeats;
- a transaction sent but never answered (killed mid-flight) may be present
  or absent, but at most once; a rejected one is absent.

Clients re-read their nonce (`pending`) after each restart.
"""

import random
import threading
import time

import requests
from eth_account import Account
from eth_utils import keccak

from nodeproc import CHAIN_ID, WITHDRAWAL_ADDRESS, NodeProcess, dev_accounts

GWEI = 10**9
BATCH = 400


class NodeDown(Exception):
    """The node did not answer: killed, restarting, or the connection dropped."""


class RPCError(Exception):
    def __init__(self, error):
        super().__init__(error.get("message"))
        self.code = error.get("code")
        self.message = error.get("message", "")


def call(session, url, method, params, timeout=10.0):
    try:
        response = session.post(url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params},
                                timeout=timeout)
        body = response.json()
    except (requests.RequestException, ValueError) as e:
        raise NodeDown(str(e)) from e
    if "error" in body:
        raise RPCError(body["error"])
    return body["result"]


def batch_call(session, url, calls, timeout=60.0):
    """[(method, params)] → [result or RPCError], in order, in batches of BATCH."""
    results = []
    for start in range(0, len(calls), BATCH):
        chunk = calls[start:start + BATCH]
        body = [{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, (m, p) in enumerate(chunk)]
        response = session.post(url, json=body, timeout=timeout)
        answers = {a["id"]: a for a in response.json()}
        for i in range(len(chunk)):
            a = answers[i]
            results.append(RPCError(a["error"]) if "error" in a else a["result"])
    return results


class Ledger:
    """What the clients were told, shared by their threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.promised = {}  # hash → {sender, nonce, method, position or None}
        self.unanswered = {}  # hash → {sender, nonce, method}
        self.rejected = {}  # hash → message
        self.sent = 0
        self.echoes = []  # threads resubmitting a transaction while its first submission is in flight
        self.echo_promises = 0
        self.conflicts = 0  # two answers for one transaction with different positions
        self.client_errors = 0  # client threads that died of an unexpected answer

    def promise(self, tx_hash, entry, report):
        with self.lock:
            old = self.promised.get(tx_hash)
            if old and old["position"] and entry["position"] and old["position"] != entry["position"]:
                self.conflicts += 1
                report(f"CONFLICT: {tx_hash} promised at {old['position']} and at {entry['position']}")
            if not old or not old["position"]:
                self.promised[tx_hash] = entry

    def snapshot(self):
        with self.lock:
            return dict(self.promised)


class Endpoint:
    """The current node URL, or none while it restarts; clients wait on it."""

    def __init__(self):
        self.cond = threading.Condition()
        self.generation = 0
        self.url = None
        self.stopping = False

    def up(self, url):
        with self.cond:
            self.generation += 1
            self.url = url
            self.cond.notify_all()

    def down(self):
        with self.cond:
            self.url = None

    def stop(self):
        with self.cond:
            self.stopping = True
            self.cond.notify_all()

    def current(self, newer_than=0):
        """(generation, url) once a node newer than `newer_than` is up; None when stopping."""
        with self.cond:
            while not self.stopping and (self.url is None or self.generation <= newer_than):
                self.cond.wait(0.5)
            return None if self.stopping else (self.generation, self.url)


def echo(url, raw, tx_hash, entry, method, ledger, report):
    """The same raw transaction again, on another connection, while the first is in flight:
    either answer is a promise, and both must name the same place."""
    try:
        result = call(requests, url, method, ["0x" + raw.hex()])
    except (NodeDown, RPCError):
        return
    entry = dict(entry, method=method, position=None)
    if method == "seq_sendRawTransaction":
        if "status" in result:
            return
        entry["position"] = (int(result["blockNumber"], 16), int(result["index"], 16))
    with ledger.lock:
        ledger.echo_promises += 1
    ledger.promise(tx_hash, entry, report)


def client(acct, endpoint, ledger, rng, recipients, report):
    try:
        submit_until_stopped(acct, endpoint, ledger, rng, recipients, report)
    except Exception as e:  # noqa: BLE001 — any surprise is a finding, reported in the summary
        with ledger.lock:
            ledger.client_errors += 1
        report(f"CLIENT {acct.address} STOPPED: {type(e).__name__}: {e}")


def submit_until_stopped(acct, endpoint, ledger, rng, recipients, report):
    session = requests.Session()
    nonce, seen = None, 0
    while True:
        current = endpoint.current(seen)
        if current is None:
            return
        generation, url = current
        try:
            if nonce is None:
                nonce = int(call(session, url, "eth_getTransactionCount", [acct.address, "pending"]), 16)
            while not endpoint.stopping:
                to = WITHDRAWAL_ADDRESS if rng.random() < 0.05 else rng.choice(recipients)
                value = rng.randrange(1, 10**12)
                lengths = (0, 20) if to == WITHDRAWAL_ADDRESS else (0, 0, 0, 4, 40)
                data = bytes(rng.randrange(256) for _ in range(rng.choice(lengths)))
                gas = 21000 + sum(16 if b else 4 for b in data)
                if rng.random() < 0.5:
                    tx = {"to": to, "value": value, "data": data, "gas": gas, "nonce": nonce, "chainId": CHAIN_ID,
                          "gasPrice": GWEI // 10}
                else:
                    tx = {"to": to, "value": value, "data": data, "gas": gas, "nonce": nonce, "chainId": CHAIN_ID,
                          "maxFeePerGas": GWEI, "maxPriorityFeePerGas": rng.choice((0, 10**6, 10**7))}
                raw = Account.sign_transaction(tx, acct.key).raw_transaction
                tx_hash = "0x" + keccak(raw).hex()
                method = rng.choice(("seq_sendRawTransaction", "eth_sendRawTransaction"))
                entry = {"sender": acct.address, "nonce": nonce, "method": method, "position": None}
                with ledger.lock:
                    ledger.sent += 1
                echoed = rng.random() < 0.1
                if echoed:
                    twin = threading.Thread(target=echo, daemon=True, args=(
                        url, raw, tx_hash, entry, rng.choice(("seq_sendRawTransaction", "eth_sendRawTransaction")),
                        ledger, report))
                    twin.start()
                    with ledger.lock:
                        ledger.echoes.append(twin)
                try:
                    result = call(session, url, method, ["0x" + raw.hex()])
                except NodeDown:
                    with ledger.lock:
                        ledger.unanswered[tx_hash] = entry
                    raise
                except RPCError as e:
                    if not echoed:
                        with ledger.lock:
                            ledger.rejected[tx_hash] = e.message
                        report(f"REJECTED {tx_hash} {entry}: {e.message}")
                    else:
                        # The echo may be the copy that was placed: wait until it is answered
                        # (and durable) before reading the pending nonce again.
                        twin.join(timeout=30)
                    nonce = None
                    break
                if method == "seq_sendRawTransaction":
                    assert result["txHash"] == tx_hash, result
                    entry["position"] = (int(result["blockNumber"], 16), int(result["index"], 16))
                else:
                    assert result == tx_hash, result
                ledger.promise(tx_hash, entry, report)
                nonce += 1
        except NodeDown:
            nonce, seen = None, generation
        except RPCError:
            nonce = None
            time.sleep(0.1)


def positions(session, url, hashes):
    """hash → (blockNumber, index) or None, from eth_getTransactionByHash, or
    from seq_getPreconfirmation for transactions still in the open block."""
    found = {}
    for h, t in zip(hashes, batch_call(session, url, [("eth_getTransactionByHash", [h]) for h in hashes])):
        if t is None or isinstance(t, RPCError):
            found[h] = None
        elif t["blockNumber"] is not None:
            found[h] = (int(t["blockNumber"], 16), int(t["transactionIndex"], 16))
    open_hashes = [h for h in hashes if h not in found]
    for h, p in zip(open_hashes, batch_call(session, url, [("seq_getPreconfirmation", [h]) for h in open_hashes])):
        found[h] = None if p is None or isinstance(p, RPCError) else (int(p["blockNumber"], 16), int(p["index"], 16))
    return found


def check_recovered(session, url, promised, observed, verified, rng, report, sample=200):
    """Right after a restart: every promise made since the last check, and a
    sample of older ones, is known to the node at its place."""
    new = [h for h in promised if h not in verified]
    old = [h for h in promised if h in verified]
    hashes = new + rng.sample(old, min(sample, len(old)))
    lost = moved = 0
    for h, position in positions(session, url, hashes).items():
        if position is None:
            lost += 1
            report(f"LOST after restart: {h} {promised[h]}")
            continue
        expected = promised[h]["position"] or observed.get(h)
        if expected is None:
            observed[h] = position
        elif expected != position:
            moved += 1
            report(f"MOVED after restart: {h} promised {expected}, now {position}")
        verified.add(h)
    return lost, moved, len(hashes)


def verify_chain(session, url, ledger, observed, report, seal_timeout=10.0):
    """The final check over the whole chain; returns the counters of the summary."""
    promised = ledger.snapshot()
    deadline = time.monotonic() + seal_timeout
    while True:
        receipts = batch_call(session, url, [("eth_getTransactionReceipt", [h]) for h in promised])
        missing = [h for h, r in zip(promised, receipts) if r is None or isinstance(r, RPCError)]
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    by_hash = dict(zip(promised, receipts))
    txs = dict(zip(promised, batch_call(session, url, [("eth_getTransactionByHash", [h]) for h in promised])))
    lost = moved = 0
    for h, entry in promised.items():
        r, t = by_hash[h], txs[h]
        if r is None or isinstance(r, RPCError) or t is None or isinstance(t, RPCError):
            lost += 1
            report(f"LOST: {h} {entry} receipt={r}")
            continue
        position = (int(r["blockNumber"], 16), int(r["transactionIndex"], 16))
        expected = entry["position"] or observed.get(h)
        if expected is not None and position != expected:
            moved += 1
            report(f"MOVED: {h} promised {expected}, in chain at {position}")
        if (int(t["blockNumber"], 16), int(t["transactionIndex"], 16)) != position or \
                t["from"].lower() != entry["sender"].lower() or int(t["nonce"], 16) != entry["nonce"]:
            moved += 1
            report(f"MISMATCH: {h} transaction {t} receipt {position} entry {entry}")

    head = int(call(session, url, "eth_blockNumber", []), 16)
    blocks = batch_call(session, url, [("eth_getBlockByNumber", [hex(n), False]) for n in range(head + 1)])
    chain, broken_links = [], 0
    for n, b in enumerate(blocks):
        if n > 0 and b["parentHash"] != blocks[n - 1]["hash"]:
            broken_links += 1
            report(f"BROKEN LINK at block {n}")
        chain += [(h, (n, i)) for i, h in enumerate(b["transactions"])]
    counts = {}
    for h, _ in chain:
        counts[h] = counts.get(h, 0) + 1
    duplicated = sum(1 for c in counts.values() if c > 1)
    where = {h: pos for h, pos in chain}
    for h, entry in promised.items():
        pos = where.get(h)
        expected = entry["position"] or observed.get(h)
        if pos is None:
            if by_hash[h] is not None and not isinstance(by_hash[h], RPCError):
                lost += 1
                report(f"NOT IN ANY BLOCK although it has a receipt: {h}")
        elif expected is not None and pos != expected:
            moved += 1
            report(f"MOVED in block list: {h} promised {expected}, block list {pos}")

    chain_txs = batch_call(session, url, [("eth_getTransactionByHash", [h]) for h, _ in chain])
    nonces = {}
    for t in chain_txs:
        nonces.setdefault(t["from"].lower(), []).append(int(t["nonce"], 16))
    gaps = 0
    for sender, ns in nonces.items():
        if sorted(ns) != list(range(len(ns))):
            gaps += 1
            report(f"NONCES NOT CONTIGUOUS for {sender}: {sorted(ns)[:20]}…")
        pending = int(call(session, url, "eth_getTransactionCount", [sender, "pending"]), 16)
        if pending != len(ns):
            gaps += 1
            report(f"PENDING COUNT {pending} != {len(ns)} transactions in chain for {sender}")
    unanswered_present = sum(1 for h in ledger.unanswered if h in counts)
    rejected_present = sum(1 for h in ledger.rejected if h in counts)
    if rejected_present:
        report(f"{rejected_present} rejected transactions are in the chain")
    return {
        "promised": len(promised),
        "promised_preconfirmed": sum(1 for e in promised.values() if e["position"] is not None),
        "lost": lost, "moved": moved, "duplicated": duplicated, "nonce_gaps": gaps,
        "broken_links": broken_links, "rejected_present": rejected_present,
        "unanswered": len(ledger.unanswered), "unanswered_present": unanswered_present,
        "rejected": len(ledger.rejected), "conflicts": ledger.conflicts, "client_errors": ledger.client_errors,
        "echo_promises": ledger.echo_promises, "blocks": head, "chain_transactions": len(chain),
    }


def run(kills, data_dir, seed=None, senders=4, block_time="100ms", min_up=0.15, max_up=1.2, report=print):
    """Runs the loop and returns the summary counters (all failure counters must be 0)."""
    seed = random.randrange(1 << 30) if seed is None else seed
    rng = random.Random(seed)
    accounts = dev_accounts()[1:1 + senders]
    recipients = [Account.create().address for _ in range(5)] + [a.address for a in dev_accounts()[7:]]
    report(f"crash test: {kills} kills, {senders} senders, seed {seed}, data dir {data_dir}")

    node = NodeProcess(data_dir, block_time=block_time).start()
    endpoint, ledger, observed, verified = Endpoint(), Ledger(), {}, set()
    endpoint.up(node.url)
    threads = [threading.Thread(target=client, args=(a, endpoint, ledger, random.Random(rng.random()), recipients, report),
                                daemon=True) for a in accounts]
    for t in threads:
        t.start()
    session = requests.Session()
    lost = moved = survived = 0
    try:
        for k in range(kills):
            time.sleep(rng.uniform(0, 0.05) if rng.random() < 0.15 else rng.uniform(min_up, max_up))
            node.kill()
            endpoint.down()
            promised = ledger.snapshot()
            started = time.monotonic()
            if rng.random() < 0.1:
                node.spawn()
                time.sleep(rng.uniform(0, 0.03))
                node.kill()
            node.start()
            recovered = call(session, node.url, "seq_status", [])["recoveredLogRecords"]
            l, m, checked = check_recovered(session, node.url, promised, observed, verified, rng, report)
            lost, moved = lost + l, moved + m
            survived += 1
            report(f"kill {k + 1}/{kills}: restarted in {time.monotonic() - started:.2f}s, "
                   f"{int(recovered, 16)} log records, {checked} of {len(promised)} promises checked"
                   + ("" if not (l or m) else f", {l} lost, {m} moved"))
            endpoint.up(node.url)
        time.sleep(min_up)
    finally:
        endpoint.stop()
        for t in threads + ledger.echoes:
            t.join(timeout=30)
    try:
        summary = verify_chain(session, node.url, ledger, observed, report)
    finally:
        node.stop()
    summary["lost"] += lost
    summary["moved"] += moved
    summary["kills"] = survived
    summary["sent"] = ledger.sent
    summary["seed"] = seed
    report(f"crash test: kills survived {survived}/{kills}, promised txs checked {summary['promised']} "
           f"({summary['promised_preconfirmed']} pre-confirmed), lost = {summary['lost']}, "
           f"moved = {summary['moved']}, duplicated = {summary['duplicated']}, nonce gaps = {summary['nonce_gaps']}; "
           f"unanswered {summary['unanswered']} ({summary['unanswered_present']} present), "
           f"rejected {summary['rejected']}, resubmissions answered {summary['echo_promises']}; "
           f"chain: {summary['blocks']} blocks, {summary['chain_transactions']} txs")
    return summary


def failures(summary):
    """The failure counters that are not zero."""
    keys = ("lost", "moved", "duplicated", "nonce_gaps", "broken_links", "rejected", "rejected_present", "conflicts",
            "client_errors")
    return {k: summary[k] for k in keys if summary[k]}


def main(argv=None):
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--senders", type=int, default=4, help="client threads, one dev account each (1–6)")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--block-time", default="100ms")
    parser.add_argument("--data-dir", help="default: a new temporary directory, removed on success")
    args = parser.parse_args(argv)
    keep = args.data_dir is not None
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="sequencer-crash-")
    summary = run(args.kills, data_dir, seed=args.seed, senders=max(1, min(6, args.senders)), block_time=args.block_time)
    bad = failures(summary)
    if bad or summary["promised"] == 0 or summary["kills"] != args.kills:
        print(f"crash test FAILED: {bad or 'nothing was promised'}; data kept in {data_dir}")
        return 1
    if not keep:
        import shutil

        shutil.rmtree(data_dir, ignore_errors=True)
    print("crash test passed")
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
