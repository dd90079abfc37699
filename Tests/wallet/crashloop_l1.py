"""The crash loop of `crashloop.py` with the L1 and the sequencer as separate
processes (`sequencer l1` on a fixed port, `sequencer node --l1 URL`), shared
by `test_crash_l1.py` (a few kills) and `scripts/crash-test-l1` (many).

While client threads submit transactions to the sequencer (crashloop's
clients) and forcer threads put signed transactions in the L1's forced queue
(`l1_enqueueTransaction`), the sequencer, the L1, or both are killed with
SIGKILL: at random moments, right after the L1 accepted a batch, or right
after an item was queued. Batches are posted every few hundred milliseconds
(`--batch-max-age`), so many kills land while one is in flight. Every outage
is kept far shorter than the L1's force-inclusion delay, so the honest
sequencer must include every forced item itself (nobody calls
`l1_forceInclude`).

After every restart: every pre-confirmed transaction is where it was promised
(crashloop.check_recovered), every forced item already seen on L2 is still
where it was, and a restarted L1 has lost none of its L2 head, queue or inbox.
At the end: crashloop.verify_chain (nothing lost, moved or duplicated, nonces
contiguous), every queued item included once and by a batch (the inbox holds
no forced inclusions), and `sequencer derive --l1 URL` gives the state root of
the sequencer's block at the derived height, which is its `safe` block.
"""

import json
import os
import random
import socket
import subprocess
import threading
import time

import requests
from eth_account import Account
from eth_utils import keccak

import crashloop
from crashloop import Endpoint, Ledger, NodeDown, RPCError, call, batch_call, check_recovered, client, verify_chain
from nodeproc import CHAIN_ID, WITHDRAWAL_ADDRESS, NodeProcess, binary_path, dev_accounts

GWEI = 10**9


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class L1Node(NodeProcess):
    """`sequencer l1` on a fixed port (the sequencer's --l1 URL must survive restarts). A restart replays the whole
    L1 log, re-executing every batch, so it takes longer as the chain grows (debug builds most)."""

    def start(self, timeout=120.0):
        return super().start(timeout)

    def __init__(self, data_dir, port, block_time, force_delay, finality_depth):
        super().__init__(data_dir, block_time=block_time, port=port)
        self.force_delay = force_delay
        self.finality_depth = finality_depth

    def spawn(self):
        os.makedirs(self.data_dir, exist_ok=True)
        self.runs += 1
        self.log_path = os.path.join(self.data_dir, f"l1-{self.runs}.log")
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [binary_path(), "l1", "--port", str(self.requested_port), "--block-time", self.block_time,
                 "--force-delay", str(self.force_delay), "--finality-depth", str(self.finality_depth),
                 "--data-dir", self.data_dir, "--silent"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        return self


class SequencerNode(NodeProcess):
    """`sequencer node --l1 URL` on a free port."""

    def start(self, timeout=120.0):
        return super().start(timeout)

    def __init__(self, data_dir, l1_url, block_time, batch_max_age):
        super().__init__(data_dir, block_time=block_time)
        self.l1_url = l1_url
        self.batch_max_age = batch_max_age

    def spawn(self):
        os.makedirs(self.data_dir, exist_ok=True)
        self.runs += 1
        self.log_path = os.path.join(self.data_dir, f"node-{self.runs}.log")
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [binary_path(), "node", "--l1", self.l1_url, "--port", "0", "--block-time", self.block_time,
                 "--batch-max-age", self.batch_max_age, "--data-dir", self.data_dir, "--silent"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        return self


class ForcedLedger:
    """What the L1 acknowledged to the forcers: tx hash → {sender, nonce, queueIndex, deadline}."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items = {}
        self.unanswered = 0  # enqueues whose answer was lost to an L1 kill (resolved by reading the queue)
        self.rejected = []
        self.errors = 0

    def add(self, tx_hash, entry):
        with self.lock:
            self.items[tx_hash] = entry

    def snapshot(self):
        with self.lock:
            return dict(self.items)


def queue_items(session, l1_url):
    items, start = [], 0
    while True:
        page = call(session, l1_url, "l1_getQueue", [hex(start), hex(1000)])
        items += page["items"]
        if not page["items"] or len(items) >= int(page["length"], 16):
            return items
        start = len(items)


def wait_until_up(session, url, stop, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            call(session, url, "l1_blockNumber", [], timeout=2)
            return True
        except (NodeDown, RPCError):
            time.sleep(0.05)
    return False


def forcer(acct, l1_url, ledger, rng, recipients, stop, report):
    """Queues signed transfers (and a few withdrawals) from `acct` through the L1, one nonce after another. When an
    answer is lost to an L1 kill, the queue itself says whether the item got in; if not, it is queued again."""
    session = requests.Session()
    nonce = 0
    try:
        while not stop.wait(rng.uniform(0.15, 0.6)):
            to = WITHDRAWAL_ADDRESS if rng.random() < 0.1 else rng.choice(recipients)
            tx = {"type": 2, "chainId": CHAIN_ID, "nonce": nonce, "to": to, "value": rng.randrange(1, 10**12),
                  "gas": 21000, "maxFeePerGas": 10 * GWEI, "maxPriorityFeePerGas": 0}
            raw = "0x" + bytes(Account.sign_transaction(tx, acct.key).raw_transaction).hex()
            tx_hash = "0x" + keccak(hexstr=raw).hex()
            entry = {"sender": acct.address, "nonce": nonce, "raw": raw}
            try:
                result = call(session, l1_url, "l1_enqueueTransaction", [raw], timeout=5)
            except NodeDown:
                with ledger.lock:
                    ledger.unanswered += 1
                if not wait_until_up(session, l1_url, stop):
                    return
                found = [i for i in queue_items(session, l1_url) if i.get("raw") == raw]
                if found:
                    ledger.add(tx_hash, dict(entry, queueIndex=int(found[0]["index"], 16),
                                             deadline=int(found[0]["deadline"], 16)))
                    nonce += 1
                continue
            except RPCError as e:
                with ledger.lock:
                    ledger.rejected.append((tx_hash, e.message))
                report(f"FORCED ENQUEUE REJECTED {tx_hash}: {e.message}")
                return
            ledger.add(tx_hash, dict(entry, queueIndex=int(result["queueIndex"], 16), deadline=int(result["deadline"], 16)))
            nonce += 1
    except Exception as e:  # noqa: BLE001 — any surprise is a finding, reported in the summary
        with ledger.lock:
            ledger.errors += 1
        report(f"FORCER {acct.address} STOPPED: {type(e).__name__}: {e}")


def forced_positions(session, url, hashes):
    """hash → (block, index) for forced transactions the sequencer has in a block."""
    found = {}
    for h, t in zip(hashes, batch_call(session, url, [("eth_getTransactionByHash", [h]) for h in hashes])):
        if isinstance(t, dict) and t.get("blockNumber"):
            found[h] = (int(t["blockNumber"], 16), int(t["transactionIndex"], 16))
    return found


def check_forced(session, url, forced, seen, report):
    """Forced items seen on L2 before must still be where they were; records newly seen ones. Returns moves/losses."""
    hashes = list(forced)
    now = forced_positions(session, url, hashes) if hashes else {}
    bad = 0
    for h, pos in seen.items():
        if now.get(h) != pos:
            bad += 1
            report(f"FORCED ITEM MOVED OR LOST: {h} was at {pos}, now {now.get(h)}")
    for h, pos in now.items():
        seen.setdefault(h, pos)
    return bad


def l1_state(session, l1_url):
    head = call(session, l1_url, "l1_getL2Head", [])
    return {k: int(head[k], 16) for k in ("number", "queueLength", "inboxLength", "forcedQueueCursor", "l1BlockNumber")} | {
        "hash": head["hash"], "queueAccumulator": head["queueAccumulator"], "inboxAccumulator": head["inboxAccumulator"]}


def derive(l1_url):
    p = subprocess.run([binary_path(), "derive", "--l1", l1_url], capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError(f"derive failed: {p.stderr}")
    return json.loads(p.stdout)


def wait_for(what, condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def wait_for_change(session, l1_url, key, timeout=2.0):
    """Returns as soon as the L1's `key` (number: a batch landed; queueLength: an item was queued) changes."""
    try:
        before = l1_state(session, l1_url)[key]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if l1_state(session, l1_url)[key] != before:
                return True
            time.sleep(0.005)
    except (NodeDown, RPCError):
        pass
    return False


def run(kills, data_dir, seed=None, senders=3, forcers=2, block_time="100ms", l1_block_time="200ms", force_delay=40,
        batch_max_age="300ms", min_up=0.3, max_up=1.5, schedule=None, report=print):
    """Runs the loop and returns the summary counters (every failure counter must be 0). `schedule` fixes the
    (what, when) of each kill, e.g. [("l1", "after enqueue")]; by default both are drawn at random."""
    seed = random.randrange(1 << 30) if seed is None else seed
    rng = random.Random(seed)
    devs = dev_accounts()
    accounts = devs[1:1 + senders]
    forcer_accounts = devs[1 + senders:1 + senders + forcers]
    recipients = [Account.create().address for _ in range(4)] + [a.address for a in devs[8:]]
    port = free_port()
    l1_url = f"http://127.0.0.1:{port}"
    l1_seconds = float(l1_block_time.rstrip("ms")) / (1000 if l1_block_time.endswith("ms") else 1)
    report(f"crash test (L1 + sequencer): {kills} kills, {senders} senders, {forcers} forcers, seed {seed}, "
           f"L1 block {l1_block_time}, force delay {force_delay} L1 blocks, batch max age {batch_max_age}, data dir {data_dir}")

    l1 = L1Node(os.path.join(data_dir, "l1"), port, l1_block_time, force_delay, finality_depth=2).start()
    node = SequencerNode(os.path.join(data_dir, "node"), l1_url, block_time, batch_max_age).start()
    endpoint, ledger, forced, observed, verified, forced_seen = Endpoint(), Ledger(), ForcedLedger(), {}, set(), {}
    endpoint.up(node.url)
    stop = threading.Event()
    threads = [threading.Thread(target=client, daemon=True,
                                args=(a, endpoint, ledger, random.Random(rng.random()), recipients, report)) for a in accounts]
    threads += [threading.Thread(target=forcer, daemon=True,
                                 args=(a, l1_url, forced, random.Random(rng.random()), recipients, stop, report))
                for a in forcer_accounts]
    for t in threads:
        t.start()
    session = requests.Session()
    counters = dict.fromkeys(("lost", "moved", "forced_moved", "l1_regressions", "long_outages"), 0)
    kinds = dict.fromkeys(("sequencer", "l1", "both"), 0)
    timings = dict.fromkeys(("random", "after batch", "after enqueue"), 0)
    longest_outage_blocks = 0
    restart_seconds = {"sequencer": [], "l1": [], "both": []}
    survived = 0
    try:
        for k in range(kills):
            time.sleep(rng.uniform(min_up, max_up))
            if schedule:
                kind, timing = schedule[k % len(schedule)]
            else:
                kind = rng.choices(("sequencer", "l1", "both"), weights=(5, 3, 2))[0]
                timing = rng.choice(("random", "after batch", "after enqueue"))
            if timing == "after batch":
                wait_for_change(session, l1_url, "number")
            elif timing == "after enqueue":
                wait_for_change(session, l1_url, "queueLength")
            l1_before = l1_state(session, l1_url)
            kinds[kind] += 1
            timings[timing] += 1
            started = time.monotonic()
            if kind in ("sequencer", "both"):
                node.kill()
                endpoint.down()
            if kind in ("l1", "both"):
                l1.kill()
            promised = ledger.snapshot()
            time.sleep(rng.uniform(0, 0.3))
            order = [l1, node] if rng.random() < 0.7 else [node, l1]
            for proc in order:
                if proc is l1 and kind in ("l1", "both"):
                    l1.start()
                if proc is node and kind in ("sequencer", "both"):
                    node.start()
            restart_seconds[kind].append(time.monotonic() - started)
            l1_after = l1_state(session, l1_url)
            for key in ("number", "queueLength", "inboxLength", "forcedQueueCursor", "l1BlockNumber"):
                if l1_after[key] < l1_before[key]:
                    counters["l1_regressions"] += 1
                    report(f"L1 REGRESSED after kill {k + 1}: {key} {l1_before[key]} -> {l1_after[key]}")
            outage_blocks = l1_after["l1BlockNumber"] - l1_before["l1BlockNumber"]
            if kind != "l1":
                longest_outage_blocks = max(longest_outage_blocks, outage_blocks)
                if outage_blocks >= force_delay // 2:
                    counters["long_outages"] += 1
                    report(f"OUTAGE TOO LONG for this scenario: {outage_blocks} L1 blocks (delay {force_delay})")
            note = ""
            if kind in ("sequencer", "both"):
                lost, moved, checked = check_recovered(session, node.url, promised, observed, verified, rng, report)
                counters["lost"] += lost
                counters["moved"] += moved
                note = f", {checked} of {len(promised)} promises checked" + (f", {lost} lost, {moved} moved" if lost or moved else "")
            counters["forced_moved"] += check_forced(session, node.url, forced.snapshot(), forced_seen, report)
            survived += 1
            report(f"kill {k + 1}/{kills}: {kind} ({timing}), back in {time.monotonic() - started:.2f}s "
                   f"({outage_blocks} L1 blocks){note}; L1: L2 head {l1_after['number']}, queue {l1_after['queueLength']} "
                   f"(cursor {l1_after['forcedQueueCursor']}), inbox {l1_after['inboxLength']}")
            if kind in ("sequencer", "both"):
                endpoint.up(node.url)
        time.sleep(min_up)
    except BaseException:
        node.kill()
        l1.kill()
        raise
    finally:
        stop.set()
        endpoint.stop()
        for t in threads + ledger.echoes:
            t.join(timeout=30)

    try:
        # Forcers are stopped, but items they queued may still be on their way into a block; the chain is checked
        # once everything queued has been consumed and every block is on the L1.
        try:
            wait_for("every queued item consumed",
                     lambda: (lambda st: st["forcedQueueCursor"] == st["queueLength"])(l1_state(session, l1_url)), 30)
            head = int(call(session, node.url, "eth_blockNumber", []), 16)
            wait_for("every L2 block batched", lambda: l1_state(session, l1_url)["number"] >= head, 30)
        except AssertionError as e:
            report(f"NOT SETTLED: {e}")
        summary = verify_chain(session, node.url, ledger, observed, report)
        summary.update(finish_forced_and_derive(session, node, l1_url, forced, forced_seen, report))
    finally:
        node.stop()
        l1.stop()
    for key, value in counters.items():
        summary[key] = summary.get(key, 0) + value
    # crashloop's client resubmits 10% of its transactions on a second connection ("echo"). When the echo is placed
    # first, the original gets "nonce too low"; the client then re-reads its pending nonce at once, which may not yet
    # count the echo (it is not durable yet), and signs that nonce again: "nonce too low" once more. A harness race,
    # not a node fault, as long as the refused transaction is absent (rejected_present stays a failure).
    races = sum(1 for m in ledger.rejected.values() if m.startswith("nonce too low"))
    summary["rejected"] -= races
    summary["echo_nonce_races"] = races
    if races:
        report(f"{races} client resubmission race(s) answered \"nonce too low\" (harness race, see above; the refused "
               f"transactions are absent: rejected_present = {summary['rejected_present']})")
    summary.update(kills=survived, sent=ledger.sent, seed=seed, kinds=kinds, timings=timings,
                   longest_outage_blocks=longest_outage_blocks, force_delay=force_delay,
                   slowest_restart={k: round(max(v), 2) for k, v in restart_seconds.items() if v})
    report(f"crash test (L1 + sequencer): kills survived {survived}/{kills} "
           f"(sequencer {kinds['sequencer']}, L1 {kinds['l1']}, both {kinds['both']}; random {timings['random']}, "
           f"right after a batch {timings['after batch']}, right after an enqueue {timings['after enqueue']}); "
           f"promised txs checked {summary['promised']} ({summary['promised_preconfirmed']} pre-confirmed), "
           f"lost = {summary['lost']}, moved = {summary['moved']}, duplicated = {summary['duplicated']}, "
           f"nonce gaps = {summary['nonce_gaps']}; forced items {summary['forced']} queued, "
           f"{summary['forced_included']} included by the sequencer, {summary['forced_missing']} missing, "
           f"{summary['forced_moved']} moved, {summary['forced_inclusions_by_l1']} forced in by the L1; "
           f"longest outage {longest_outage_blocks} L1 blocks (delay {force_delay}); slowest restart (s) {summary['slowest_restart']}; "
           f"derive: L2 block {summary['derived_block']}, state root {'equals' if summary['derive_mismatch'] == 0 else 'DIFFERS FROM'} "
           f"the sequencer's safe block; chain: {summary['blocks']} blocks, {summary['chain_transactions']} txs, "
           f"{summary['batches']} batches")
    return summary


def finish_forced_and_derive(session, node, l1_url, forced, forced_seen, report):
    """Waits until every forced item is on L2 and every block is batched, then compares derive with `safe`."""
    items = forced.snapshot()
    out = {"forced": len(items), "forced_rejected": len(forced.rejected), "forcer_errors": forced.errors,
           "forced_unanswered": forced.unanswered}
    try:
        wait_for("every forced item on L2", lambda: len(forced_positions(session, node.url, list(items))) == len(items), 30)
    except AssertionError:
        pass
    where = forced_positions(session, node.url, list(items))
    out["forced_included"] = len(where)
    out["forced_missing"] = len(items) - len(where)
    for h in set(items) - set(where):
        report(f"FORCED ITEM NOT ON L2: {h} {items[h]}")
    out["forced_moved"] = sum(1 for h, pos in forced_seen.items() if where.get(h) != pos)

    head = int(call(session, node.url, "eth_blockNumber", []), 16)
    wait_for("every L2 block batched", lambda: l1_state(session, l1_url)["number"] >= head, 30)
    queue = queue_items(session, l1_url)
    not_included = [q for q in queue if not q.get("included")]
    out["forced_missing"] += len(not_included)
    for q in not_included:
        report(f"QUEUE ITEM NOT INCLUDED: {q['index']}")
    inbox_kinds, start = {}, 0
    while True:
        page = call(session, l1_url, "l1_getInbox", [hex(start), hex(200)])
        for e in page["entries"]:
            inbox_kinds[e["kind"]] = inbox_kinds.get(e["kind"], 0) + 1
        start += len(page["entries"])
        if not page["entries"] or start >= int(page["length"], 16):
            break
    out["batches"] = inbox_kinds.get("batch", 0)
    out["forced_inclusions_by_l1"] = sum(v for k, v in inbox_kinds.items() if k != "batch")

    derived = derive(l1_url)
    n = int(derived["l2BlockNumber"])
    out["derived_block"] = n
    block = call(session, node.url, "eth_getBlockByNumber", [hex(n), False])
    safe = wait_for("the safe tag at the derived block",
                    lambda: (lambda b: b if int(b["number"], 16) >= n else None)(
                        call(session, node.url, "eth_getBlockByNumber", ["safe", False])), 30)
    mismatch = 0
    if block is None or block["stateRoot"] != derived["stateRoot"]:
        mismatch += 1
        report(f"DERIVE MISMATCH at block {n}: derived {derived['stateRoot']}, sequencer {block and block['stateRoot']}")
    if int(safe["number"], 16) == n and safe["stateRoot"] != derived["stateRoot"]:
        mismatch += 1
        report(f"DERIVE MISMATCH with safe: derived {derived['stateRoot']}, safe {safe['stateRoot']}")
    if n != head:
        mismatch += 1
        report(f"DERIVED HEAD {n} != sequencer head {head}")
    out["derive_mismatch"] = mismatch
    out["safe_block"] = int(safe["number"], 16)
    return out


def failures(summary):
    """The failure counters that are not zero."""
    keys = ("forced_missing", "forced_moved", "forced_rejected", "forcer_errors", "forced_inclusions_by_l1",
            "derive_mismatch", "l1_regressions", "long_outages")
    bad = crashloop.failures(summary)
    bad.update({k: summary[k] for k in keys if summary.get(k)})
    return bad


def main(argv=None):
    import argparse
    import shutil
    import sys
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--senders", type=int, default=3, help="client threads submitting to the sequencer (1–5)")
    parser.add_argument("--forcers", type=int, default=2, help="threads queueing transactions on the L1 (1–3)")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--block-time", default="100ms")
    parser.add_argument("--l1-block-time", default="200ms")
    parser.add_argument("--force-delay", type=int, default=40, help="L1 blocks; outages are kept far shorter")
    parser.add_argument("--batch-max-age", default="300ms")
    parser.add_argument("--data-dir", help="default: a new temporary directory, removed on success")
    args = parser.parse_args(argv)
    keep = args.data_dir is not None
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="sequencer-crash-l1-")
    senders = max(1, min(5, args.senders))
    summary = run(args.kills, data_dir, seed=args.seed, senders=senders, forcers=max(1, min(8 - senders, args.forcers)),
                  block_time=args.block_time, l1_block_time=args.l1_block_time, force_delay=args.force_delay,
                  batch_max_age=args.batch_max_age)
    bad = failures(summary)
    if bad or summary["promised"] == 0 or summary["forced"] == 0 or summary["kills"] != args.kills:
        print(f"crash test (L1 + sequencer) FAILED: {bad or 'nothing was promised or queued'}; data kept in {data_dir}")
        return 1
    if not keep:
        shutil.rmtree(data_dir, ignore_errors=True)
    print("crash test (L1 + sequencer) passed")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
