"""web3.py's WebSocket provider against the real binary: JSON-RPC over the
same port as HTTP, `eth_subscribe` to newHeads and newPendingTransactions
while transactions are sent over the same socket."""

import asyncio

from web3 import AsyncWeb3, WebSocketProvider

from walletlib import filled, sign

HEADS = 5


def test_subscribes_to_heads_and_pending_transactions(node, w3, fresh):
    acct = fresh()
    to = fresh().address
    start = w3.eth.get_transaction_count(acct.address, "pending")
    raws = [sign(acct, filled(w3, acct, to, 1000 + i, nonce=start + i)) for i in range(HEADS + 1)]
    heads, pending, sent = asyncio.run(asyncio.wait_for(run(node.port, raws), timeout=60))

    numbers = [h["number"] for h in heads]
    assert len(numbers) == HEADS
    assert numbers == list(range(numbers[0], numbers[0] + HEADS)), f"consecutive heads: {numbers}"
    for earlier, later in zip(heads, heads[1:]):
        assert later["parentHash"] == earlier["hash"]
    for head in heads:
        block = w3.eth.get_block(head["number"])
        assert block["hash"] == head["hash"]
        assert block["stateRoot"] == head["stateRoot"]
        assert block["timestamp"] == head["timestamp"]
    assert set(sent) <= set(pending), "every sent transaction was announced as pending"
    for tx_hash in sent:
        assert w3.eth.wait_for_transaction_receipt(tx_hash, timeout=20)["status"] == 1


async def run(port, raws):
    async with AsyncWeb3(WebSocketProvider(f"ws://127.0.0.1:{port}/")) as aw3:
        assert await aw3.is_connected()
        assert await aw3.eth.chain_id == 31337
        heads_id = await aw3.eth.subscribe("newHeads")
        pending_id = await aw3.eth.subscribe("newPendingTransactions")
        assert heads_id != pending_id
        sent = []

        async def send_all():
            for i, raw in enumerate(raws):
                if i:
                    await asyncio.sleep(0.25)
                sent.append(await aw3.eth.send_raw_transaction(raw))

        sender = asyncio.create_task(send_all())
        heads, pending = [], []
        async for message in aw3.socket.process_subscriptions():
            if message["subscription"] == heads_id:
                heads.append(message["result"])
            elif message["subscription"] == pending_id:
                pending.append(message["result"])
            if len(heads) >= HEADS and len(pending) >= len(raws):
                break
        await sender
        assert await aw3.eth.unsubscribe(heads_id) is True
        assert await aw3.eth.unsubscribe(pending_id) is True
        return heads[:HEADS], pending, sent
