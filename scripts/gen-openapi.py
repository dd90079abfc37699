#!/usr/bin/env python3
"""Writes openapi.json: the HTTP endpoints and every JSON-RPC method of the
node, with parameter and result schemas (OpenAPI 3.1, JSON Schema 2020-12).

JSON-RPC puts every method behind `POST /`; the document describes the
envelope there and lists each method as a named request/result schema pair
under components, plus `x-jsonrpc-methods` (name → schemas) so tools and the
project's tests can check the method list against the running server."""
import json, os

Q = {"$ref": "#/components/schemas/Quantity"}
DATA = {"$ref": "#/components/schemas/Data"}
ADDR = {"$ref": "#/components/schemas/Address"}
HASH = {"$ref": "#/components/schemas/Hash32"}
TAG = {"$ref": "#/components/schemas/BlockTag"}
BOOL = {"type": "boolean"}
STR = {"type": "string"}
NULL = {"type": "null"}
def nullable(s): return {"oneOf": [s, NULL]}
def ref(n): return {"$ref": f"#/components/schemas/{n}"}

methods = {
    "eth_chainId": ("The L2 chain id.", [], Q),
    "net_version": ("The chain id as a decimal string.", [], STR),
    "web3_clientVersion": ("The node's name and version.", [], STR),
    "eth_syncing": ("Always false: the sequencer is the chain's source.", [], BOOL),
    "eth_mining": ("Always true.", [], BOOL),
    "net_listening": ("Always true.", [], BOOL),
    "net_peerCount": ("Always 0x0.", [], Q),
    "eth_accounts": ("The dev accounts.", [], {"type": "array", "items": ADDR}),
    "eth_blockNumber": ("The newest sealed L2 block.", [], Q),
    "eth_gasPrice": ("Base fee plus the suggested tip, in wei.", [], Q),
    "eth_maxPriorityFeePerGas": ("The suggested tip, in wei.", [], Q),
    "eth_getBalance": ("An account's balance in wei.", [("address", ADDR), ("block", TAG)], Q),
    "eth_getTransactionCount": ("An account's nonce; `pending` counts accepted transactions not yet sealed.", [("address", ADDR), ("block", TAG)], Q),
    "eth_getCode": ("Always 0x: no address has code.", [("address", ADDR), ("block", TAG)], DATA),
    "eth_getStorageAt": ("Always zero: no address has storage.", [("address", ADDR), ("slot", Q), ("block", TAG)], HASH),
    "eth_call": ("Always 0x: a call to a code-less address returns nothing.", [("call", ref("CallRequest")), ("block", TAG)], DATA),
    "eth_estimateGas": ("The intrinsic gas of the call: what a transfer uses.", [("call", ref("CallRequest")), ("block", TAG)], Q),
    "eth_getBlockByNumber": ("A block by number or tag, with transaction hashes or objects.", [("block", TAG), ("full", BOOL)], nullable(ref("Block"))),
    "eth_getBlockByHash": ("A block by hash.", [("hash", HASH), ("full", BOOL)], nullable(ref("Block"))),
    "eth_getBlockTransactionCountByNumber": ("How many transactions a block holds.", [("block", TAG)], nullable(Q)),
    "eth_getBlockTransactionCountByHash": ("How many transactions a block holds.", [("hash", HASH)], nullable(Q)),
    "eth_getTransactionByHash": ("A transaction, with null block fields until its block is sealed.", [("hash", HASH)], nullable(ref("Transaction"))),
    "eth_getTransactionReceipt": ("A receipt once the transaction's block is sealed, with its confirmation level.", [("hash", HASH)], nullable(ref("Receipt"))),
    "eth_feeHistory": ("Base fees, gas used ratios and tip percentiles of recent blocks.", [("blockCount", Q), ("newestBlock", TAG), ("rewardPercentiles", {"type": "array", "items": {"type": "number"}})], ref("FeeHistory")),
    "eth_sendRawTransaction": ("Submits a signed transaction; answers with its hash once it is durably logged.", [("raw", DATA)], HASH),
    "seq_sendRawTransaction": ("Submits a signed transaction; answers with the sequencer's signed pre-confirmation once its place is fixed and durably logged (or `queued` for a nonce gap).", [("raw", DATA)], {"oneOf": [ref("PreConfirmation"), ref("QueuedSubmission")]}),
    "seq_getPreconfirmation": ("The signed pre-confirmation of a placed transaction.", [("hash", HASH)], nullable(ref("PreConfirmation"))),
    "seq_status": ("The sequencer's address, policy, heads and queue.", [], ref("SequencerStatus")),
    "seq_getTransactionStatus": ("A transaction's whole story: its stage (pending with why, pre-confirmed, forced through the L1 queue, in a batch at L1 block B, safe, finalized, dropped or rejected with the reason, a broken pre-confirmation, unknown), when each stage was reached (unix ms), and while no L1 block holds it the L1 block from which it can be forced in and the command that does it.", [("hash", HASH)], ref("TransactionStatus")),
    "admin_setPolicy": ("Admin (bearer token): switch the ordering policy.", [("policy", {"enum": ["fcfs", "priority", "fair"]})], ref("OperatorControls")),
    "admin_setCensored": ("Admin (bearer token): replace the list of addresses whose transactions are withheld; [] turns censorship off.", [("addresses", {"type": "array", "items": ADDR})], ref("OperatorControls")),
    "admin_pause": ("Admin (bearer token): refuse new transactions.", [], ref("OperatorControls")),
    "admin_resume": ("Admin (bearer token): accept transactions again.", [], ref("OperatorControls")),
    "admin_status": ("Admin (bearer token): policy, censor list, pause state.", [], ref("OperatorControls")),
    "admin_sealBlock": ("Admin (bearer token): seal the open block now; returns the head number.", [], Q),
}

# Unlocked accounts, the synchronous send, the txpool views and the dev-node
# methods wallet test suites call (aliases under the names local dev nodes use).
ANYQ = {"oneOf": [Q, {"type": "integer", "minimum": 0}]}
TXREQ = {"type": "object", "required": ["from"], "properties": {k: v for k, v in [
    ("from", ADDR), ("to", ADDR), ("value", Q), ("gas", Q), ("gasPrice", Q), ("maxFeePerGas", Q),
    ("maxPriorityFeePerGas", Q), ("nonce", Q), ("input", DATA), ("data", DATA), ("chainId", Q)]}}
POOL = {"type": "object", "properties": {"pending": {"type": "object"}, "queued": {"type": "object"}}, "required": ["pending", "queued"]}
methods.update({
    "eth_sendTransaction": ("Sends from an unlocked dev account (signed here) or, on the dev chain, an impersonated address; fills nonce, gas and fees like a dev node.", [("transaction", TXREQ)], HASH),
    "eth_sign": ("Signs an EIP-191 personal message with an unlocked account.", [("address", ADDR), ("message", DATA)], DATA),
    "personal_sign": ("Signs an EIP-191 personal message (hex or text) with an unlocked account.", [("message", STR), ("address", ADDR)], DATA),
    "eth_signTypedData_v4": ("Signs EIP-712 typed data with an unlocked account.", [("address", ADDR), ("typedData", {"oneOf": [STR, {"type": "object"}]})], DATA),
    "eth_signTypedData": ("Alias of eth_signTypedData_v4.", [("address", ADDR), ("typedData", {"oneOf": [STR, {"type": "object"}]})], DATA),
    "eth_sendRawTransactionSync": ("EIP-7966: submits and answers with the receipt once the block is sealed; error 4 after the timeout (default 2000 ms, at most 60000), error 5 with the expected nonce for a nonce gap.", [("raw", DATA), ("timeoutMs", ANYQ)], ref("Receipt")),
    "txpool_status": ("How many waiting transactions are pending (ready) and queued (behind a nonce gap).", [], {"type": "object", "properties": {"pending": Q, "queued": Q}, "required": ["pending", "queued"]}),
    "txpool_content": ("The waiting transactions by sender and nonce.", [], POOL),
    "txpool_inspect": ("One-line summaries of the waiting transactions by sender and nonce.", [], POOL),
})
for names, doc, params, result in [
    (["evm_mine"], "Dev: seals the open block, or mines an empty one; an optional timestamp for the new block.", [("timestamp", ANYQ)], Q),
    (["anvil_mine", "hardhat_mine"], "Dev: mines `count` blocks (default 1), `interval` seconds apart.", [("count", ANYQ), ("interval", ANYQ)], NULL),
    (["evm_setAutomine", "anvil_setAutomine"], "Dev: true seals a block per transaction; false seals on the interval or on evm_mine.", [("enabled", BOOL)], NULL),
    (["evm_setIntervalMining", "anvil_setIntervalMining"], "Dev: seal every `ms` milliseconds (0: only on request).", [("ms", ANYQ)], NULL),
    (["evm_increaseTime", "anvil_increaseTime"], "Dev: moves the clock of new blocks forward; returns the total offset in seconds.", [("seconds", ANYQ)], Q),
    (["evm_setNextBlockTimestamp", "anvil_setNextBlockTimestamp"], "Dev: the next block's timestamp.", [("timestamp", ANYQ)], NULL),
    (["evm_snapshot", "anvil_snapshot"], "Dev: saves the L2 and the embedded L1 together; returns the snapshot id.", [], Q),
    (["evm_revert", "anvil_revert"], "Dev: returns the L2 and the embedded L1 to a snapshot, consuming it and later ones; false when unknown.", [("id", ANYQ)], BOOL),
    (["anvil_reset", "hardhat_reset"], "Dev: back to genesis, L2 and embedded L1 (forking is not supported).", [("options", {"type": "object"})], NULL),
    (["anvil_setBalance", "hardhat_setBalance"], "Dev: sets a balance (a dev operation carried in the L2 block).", [("address", ADDR), ("balance", Q)], NULL),
    (["anvil_setNonce", "hardhat_setNonce"], "Dev: sets a nonce (a dev operation carried in the L2 block).", [("address", ADDR), ("nonce", ANYQ)], NULL),
    (["anvil_impersonateAccount", "hardhat_impersonateAccount"], "Dev: eth_sendTransaction may send from this address without its key.", [("address", ADDR)], NULL),
    (["anvil_stopImpersonatingAccount", "hardhat_stopImpersonatingAccount"], "Dev: ends an impersonation.", [("address", ADDR)], NULL),
    (["anvil_dropTransaction", "hardhat_dropTransaction"], "Dev: removes a waiting transaction; a pre-confirmed one keeps its place (error).", [("hash", HASH)], nullable(HASH)),
]:
    for name in names:
        methods[name] = (doc, params, result)

schemas = {
    "Quantity": {"type": "string", "pattern": "^0x(0|[1-9a-f][0-9a-f]*)$", "description": "A hex quantity without leading zeros."},
    "Data": {"type": "string", "pattern": "^0x([0-9a-fA-F]{2})*$"},
    "Address": {"type": "string", "pattern": "^0x[0-9a-fA-F]{40}$"},
    "Hash32": {"type": "string", "pattern": "^0x[0-9a-f]{64}$"},
    "BlockTag": {"oneOf": [{"enum": ["latest", "pending", "safe", "finalized", "earliest"]}, Q, HASH,
                            {"type": "object", "properties": {"blockHash": HASH, "blockNumber": Q}}]},
    "CallRequest": {"type": "object", "properties": {"from": ADDR, "to": ADDR, "gas": Q, "gasPrice": Q, "maxFeePerGas": Q,
                    "maxPriorityFeePerGas": Q, "value": Q, "data": DATA, "input": DATA, "accessList": {"type": "array"}}},
    "Transaction": {"type": "object", "required": ["hash", "from", "nonce", "gas", "value", "input", "type", "r", "s", "v"],
                    "properties": {"blockHash": nullable(HASH), "blockNumber": nullable(Q), "from": ADDR, "gas": Q, "gasPrice": Q,
                                   "maxFeePerGas": Q, "maxPriorityFeePerGas": Q, "hash": HASH, "input": DATA, "nonce": Q,
                                   "to": nullable(ADDR), "transactionIndex": nullable(Q), "value": Q, "type": Q,
                                   "accessList": {"type": "array"}, "chainId": Q, "v": Q, "r": Q, "s": Q, "yParity": Q}},
    "Receipt": {"type": "object", "required": ["blockHash", "blockNumber", "transactionHash", "status", "gasUsed"],
                "properties": {"blockHash": HASH, "blockNumber": Q, "contractAddress": NULL, "cumulativeGasUsed": Q,
                               "effectiveGasPrice": Q, "from": ADDR, "gasUsed": Q, "logs": {"type": "array"}, "logsBloom": DATA,
                               "status": Q, "to": nullable(ADDR), "transactionHash": HASH, "transactionIndex": Q, "type": Q,
                               "confirmation": {"enum": ["preconfirmed", "safe", "finalized"]},
                               "withdrawal": {"type": "object", "properties": {"recipient": ADDR, "amount": Q, "index": Q}}}},
    "Block": {"type": "object", "required": ["number", "hash", "parentHash", "timestamp", "transactions"],
              "properties": {"number": Q, "hash": HASH, "parentHash": HASH, "nonce": DATA, "sha3Uncles": HASH, "logsBloom": DATA,
                             "transactionsRoot": HASH, "stateRoot": HASH, "receiptsRoot": HASH, "miner": ADDR, "difficulty": Q,
                             "totalDifficulty": Q, "extraData": DATA, "size": Q, "gasLimit": Q, "gasUsed": Q, "timestamp": Q,
                             "baseFeePerGas": Q, "mixHash": HASH, "l1OriginNumber": Q, "l2WithdrawalsRoot": HASH,
                             "transactions": {"type": "array", "items": {"oneOf": [HASH, ref("Transaction")]}}, "uncles": {"type": "array"}}},
    "FeeHistory": {"type": "object", "properties": {"oldestBlock": Q, "baseFeePerGas": {"type": "array", "items": Q},
                   "gasUsedRatio": {"type": "array", "items": {"type": "number"}}, "reward": {"type": "array", "items": {"type": "array", "items": Q}}}},
    "PreConfirmation": {"type": "object", "required": ["txHash", "blockNumber", "index", "timestamp", "chainId", "sequencer", "signature"],
                        "properties": {"txHash": HASH, "blockNumber": Q, "index": Q, "timestamp": Q, "chainId": Q, "sequencer": ADDR,
                                       "signature": {"type": "string", "pattern": "^0x[0-9a-f]{130}$"}}},
    "QueuedSubmission": {"type": "object", "properties": {"txHash": HASH, "status": {"const": "queued"}, "reason": STR}},
    "SequencerStatus": {"type": "object", "properties": {"chainId": Q, "sequencer": ADDR, "policy": STR, "blockNumber": Q,
                        "safeBlockNumber": Q, "finalizedBlockNumber": Q, "baseFeePerGas": Q, "openBlock": nullable({"type": "object"}),
                        "queuedTransactions": Q, "brokenPreconfirmations": Q, "recoveredLogRecords": Q, "startedAt": Q}},
    "TransactionStatus": {"type": "object", "required": ["hash", "stage", "stages", "l2Head", "safeL2Block", "finalizedL2Block", "l1Head"],
                          "properties": {
        "hash": HASH,
        "stage": {"enum": ["pending", "preconfirmed", "forced", "batched", "safe", "finalized", "dropped", "rejected", "preconfirmationBroken", "unknown"],
                  "description": "batched: in an L1 inbox entry the node has read, ahead of the safe head it has seen; safe: its block is canonical on the L1; finalized: that L1 block is finality-depth deep."},
        "stages": {"type": "array", "description": "Stages reached, in order, with the time (unix milliseconds; null when the node did not see the moment) and, for L1 stages, the L1 block.",
                   "items": {"type": "object", "required": ["stage", "atMs"],
                             "properties": {"stage": STR, "atMs": {"oneOf": [{"type": "integer", "minimum": 0}, NULL]}, "l1BlockNumber": Q}}},
        "from": ADDR, "nonce": Q, "raw": DATA, "blockNumber": Q, "transactionIndex": Q, "blockHash": nullable(HASH),
        "forcedQueueIndex": Q,
        "pending": {"type": "object", "properties": {"reason": {"enum": ["nonceGap", "awaitingEarlierNonce", "withheld", "awaitingOrderingWindow"]},
                    "detail": STR, "expectedNonce": Q, "waitingSinceL2Block": Q, "blocksWithTransactionsSince": Q, "transactionsIncludedSince": Q}},
        "l1": {"type": "object", "properties": {"kind": {"enum": ["batch", "forcedInclusion"]}, "inboxIndex": Q, "l1BlockNumber": Q, "batchHash": HASH,
               "firstL2Block": Q, "lastL2Block": Q, "finalAtL1Block": Q}},
        "reason": STR,
        "brokenPreconfirmation": {"type": "object", "properties": {"promisedBlockNumber": Q, "promisedIndex": Q,
                                  "fate": {"enum": ["moved", "requeued", "dropped"]}, "nowBlockNumber": Q, "nowIndex": Q, "reason": STR, "summary": STR}},
        "preconfirmation": ref("PreConfirmation"),
        "forceInclusion": {"type": "object", "properties": {"l1Head": Q, "forceInclusionDelay": Q, "forceableFromL1Block": Q, "command": STR,
                           "l1Methods": {"type": "array", "items": STR}}},
        "l2Head": Q, "safeL2Block": Q, "finalizedL2Block": Q, "l1Head": Q}},
    "OperatorControls": {"type": "object", "properties": {"policy": STR, "censored": {"type": "array", "items": ADDR}, "paused": BOOL}},
    "JSONRPCRequest": {"type": "object", "required": ["jsonrpc", "method"],
                       "properties": {"jsonrpc": {"const": "2.0"}, "id": {"type": ["string", "number", "null"]},
                                      "method": {"enum": sorted(methods)}, "params": {"type": ["array", "object"]}}},
    "JSONRPCResponse": {"type": "object", "required": ["jsonrpc"],
                        "properties": {"jsonrpc": {"const": "2.0"}, "id": {"type": ["string", "number", "null"]}, "result": {},
                                       "error": {"type": "object", "required": ["code", "message"],
                                                 "properties": {"code": {"type": "integer"}, "message": STR, "data": {}}}}},
    "HTTPError": {"type": "object", "required": ["error"], "properties": {"error": STR}},
}

OBJ = {"type": "object"}
l1_methods = {
    "l1_blockNumber": ("The L1 head number.", [], Q),
    "l1_getBlock": ("An L1 block (number, timestamp, hash, accumulators).", [("block", {"oneOf": [Q, {"const": "latest"}]})], OBJ),
    "l1_getBalance": ("An L1 account's balance in wei.", [("address", ADDR)], Q),
    "l1_getNonce": ("The nonce an account's next signed L1 call (deposit) must carry.", [("address", ADDR)], Q),
    "l1_getQueue": ("Forced-inclusion queue entries: item, L1 block, deadline, accumulator, included.", [("from", Q), ("limit", Q)], {"type": "array", "items": OBJ}),
    "l1_getInbox": ("Inbox entries: accepted batches and forced inclusions, in L1 order.", [("from", Q), ("limit", Q)], {"type": "array", "items": OBJ}),
    "l1_getBatch": ("One inbox entry with its batch.", [("inboxIndex", Q)], OBJ),
    "l1_getL2Head": ("The canonical L2 head, safe and finalized L2 numbers, cursors and accumulators.", [], OBJ),
    "l1_getParameters": ("Sequencer address, force-inclusion delay, finality depth, L2 chain id.", [], OBJ),
    "l1_postBatch": ("SequencerInbox.postBatch: the batch (hex) and the sequencer's EIP-191 signature over its hash.", [("batch", DATA), ("signature", DATA)], OBJ),
    "l1_enqueueTransaction": ("ForcedInclusionQueue.enqueueTransaction of a signed L2 transaction, by anyone.", [("raw", DATA)], OBJ),
    "l1_deposit": ("ForcedInclusionQueue.deposit: locks L1 ETH, credited on L2; signed by the depositor.", [("deposit", OBJ)], OBJ),
    "l1_forceInclude": ("Appends every overdue queue item to the canonical L2 chain, by anyone, once the head item is overdue.", [], OBJ),
    "l1_claimWithdrawal": ("Bridge.claimWithdrawal with a Merkle proof, once final; pays once.", [("claim", OBJ)], OBJ),
    "l1_mine": ("Dev: mines N L1 blocks now.", [("count", Q)], OBJ),
}

x_methods = {}
for name, (summary, params, result) in sorted(methods.items()):
    ps = {"type": "array", "maxItems": len(params), "description": ", ".join(p for p, _ in params) or "none"}
    if params:
        ps["prefixItems"] = [s for _, s in params]
    schemas[f"{name}.params"] = ps
    schemas[f"{name}.result"] = result
    x_methods[name] = {"summary": summary, "params": {"$ref": f"#/components/schemas/{name}.params"},
                       "result": {"$ref": f"#/components/schemas/{name}.result"}}

x_l1 = {}
for name, (summary, params, result) in sorted(l1_methods.items()):
    ps = {"type": "array", "maxItems": len(params), "description": ", ".join(p for p, _ in params) or "none"}
    if params:
        ps["prefixItems"] = [s for _, s in params]
    schemas[f"{name}.params"] = ps
    schemas[f"{name}.result"] = result
    x_l1[name] = {"summary": summary, "params": {"$ref": f"#/components/schemas/{name}.params"},
                  "result": {"$ref": f"#/components/schemas/{name}.result"}}

err = {"description": "Refused at the HTTP level (size, time or syntax limits).",
       "content": {"application/json": {"schema": ref("HTTPError")}}}
doc = {
    "openapi": "3.1.0",
    "info": {"title": "sequencer", "version": "0.1.0",
             "description": "A rollup sequencer's Ethereum-compatible JSON-RPC endpoint with signed pre-confirmations."},
    "servers": [{"url": "http://127.0.0.1:8545"}],
    "paths": {
        "/": {"post": {"summary": "JSON-RPC 2.0 (single or batch); see x-jsonrpc-methods",
                       "operationId": "jsonrpc",
                       "requestBody": {"required": True, "content": {"application/json": {"schema": {"oneOf": [
                           ref("JSONRPCRequest"), {"type": "array", "items": ref("JSONRPCRequest"), "minItems": 1}]}}}},
                       "responses": {"200": {"description": "JSON-RPC response(s)", "content": {"application/json": {"schema": {"oneOf": [
                           ref("JSONRPCResponse"), {"type": "array", "items": ref("JSONRPCResponse")}]}}}},
                                     "204": {"description": "Only notifications: no response body."},
                                     "400": {"description": "An empty or unreadable body (a JSON-RPC parse error), or refused at the HTTP level.", "content": {"application/json": {"schema": {"oneOf": [ref("JSONRPCResponse"), ref("HTTPError")]}}}},
                                     "401": {"description": "An admin_ method without the right bearer token.", "content": {"application/json": {"schema": ref("JSONRPCResponse")}}},
                                     "408": err, "413": err, "431": err}}},
        "/health": {"get": {"summary": "Liveness", "operationId": "health",
                            "responses": {"200": {"description": "The process is serving.", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": STR}}}}}}}},
        "/metrics": {"get": {"summary": "Prometheus metrics (text format 0.0.4)", "operationId": "metrics",
                             "responses": {"200": {"description": "Counters, gauges and histograms.", "content": {"text/plain": {"schema": STR}}}}}},
        "/v1/preconfirmations": {"get": {"summary": "Live feed of pre-confirmations and sealed blocks (server-sent events; resume with Last-Event-ID)",
                                         "operationId": "preconfirmationFeed",
                                         "parameters": [{"name": "Last-Event-ID", "in": "header", "required": False, "schema": {"type": "string", "pattern": "^[0-9]+$"}}],
                                         "responses": {"200": {"description": "An endless text/event-stream: `event: preconfirmation` (data: a PreConfirmation) and `event: block` (number, hash, transactions, timestamp).",
                                                               "content": {"text/event-stream": {"schema": {"type": "object", "properties": {"id": STR, "event": STR, "data": STR, "retry": {"type": "integer"}}}}}},
                                                       "400": {"description": "Last-Event-ID is not an event id.", "content": {"application/json": {"schema": ref("HTTPError")}}}}}},
        "/ready": {"get": {"summary": "Readiness", "operationId": "ready",
                           "responses": {"200": {"description": "Ready to take transactions.", "content": {"application/json": {"schema": {"type": "object", "properties": {"ready": BOOL, "blockNumber": {"type": "integer"}}}}}}}}},
    },
    "components": {"schemas": schemas},
    "x-jsonrpc-methods": x_methods,
    "x-l1-server": {"url": "http://127.0.0.1:8546", "description": "The simulated L1's JSON-RPC (embedded in the dev node on --port + 1, or `sequencer l1`): the same envelope on POST /, these methods."},
    "x-l1-jsonrpc-methods": x_l1,
    "x-websocket": {
        "url": "ws://127.0.0.1:8545/",
        "description": "JSON-RPC over WebSocket (RFC 6455) on the same port: `GET /` with `Upgrade: websocket`. Every method above works there (admin_ ones need the same bearer token on the upgrade request), plus subscriptions; notifications are {jsonrpc, method: eth_subscription, params: {subscription, result}}. A subscriber that does not read is dropped (close 1008), frames above the limit get close 1009.",
        "methods": {
            "eth_subscribe": {"params": [{"enum": ["newHeads", "newPendingTransactions", "logs", "preconfirmations"]}, {"description": "logs: a filter {address, topics}; newPendingTransactions: true for full transactions"}],
                              "result": {"description": "The subscription id", "schema": Q}},
            "eth_unsubscribe": {"params": [Q], "result": {"schema": BOOL}},
        },
    },
}
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
with open(os.path.join(root, "openapi.json"), "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
print(f"openapi.json: {len(x_methods)} sequencer and {len(x_l1)} L1 JSON-RPC methods, {len(doc['paths'])} paths")
