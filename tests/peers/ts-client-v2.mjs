#!/usr/bin/env node
// Real TypeScript SDK v2 client (@modelcontextprotocol/client) peer for SmsMcp end-to-end tests.
//
// env: MCP_URL         e.g. http://127.0.0.1:5000/mcp   (required)
//      MCP_API_KEY     sent as `Authorization: Bearer <key>` (required)
//      MCP_MODE        version negotiation: "auto", "legacy", or a revision to pin (e.g. 2026-07-28); default auto
//      MCP_BODY        the message to send to `demo` (default "hello from ts v2")
//      MCP_TIMEOUT_MS  overall deadline, default 30000
//
// Connects, lists tools, calls send_sms {to:"demo", body} and prints ONE JSON line to stdout:
//   {"protocolVersion":"...","tools":[...names],"sendResult":<CallToolResult>}
// Exit codes: 0 ok; 1 any error (message on stderr, nothing on stdout);
//             3 the call returned isError:true (the JSON line is still printed).
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const url = process.env.MCP_URL;
const key = process.env.MCP_API_KEY;
const mode = process.env.MCP_MODE || 'auto';
const body = process.env.MCP_BODY || 'hello from ts v2';
const timeoutMs = Number(process.env.MCP_TIMEOUT_MS || 30000);

function fail(msg) {
  process.stderr.write(`ts-client-v2: ${msg}\n`);
  process.exit(1);
}

if (!url) fail('MCP_URL is required');
if (!key) fail('MCP_API_KEY is required');

const deadline = setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs);
deadline.unref();

const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${key}` } },
});
const versionNegotiation = { mode: mode === 'auto' || mode === 'legacy' ? mode : { pin: mode } };
const client = new Client({ name: 'smsmcp-ts-v2-peer', version: '1.0.0' }, { versionNegotiation });

try {
  await client.connect(transport);
  const listed = await client.listTools(undefined, { timeout: timeoutMs });
  const tools = listed.tools.map(t => t.name);
  const sendResult = await client.callTool(
    { name: 'send_sms', arguments: { to: 'demo', body } },
    { timeout: timeoutMs },
  );
  const line = JSON.stringify({ protocolVersion: client.getNegotiatedProtocolVersion(), tools, sendResult });
  await client.close().catch(() => {});
  await new Promise(resolve => process.stdout.write(line + '\n', resolve));
  process.exit(sendResult.isError === true ? 3 : 0);
} catch (err) {
  await client.close().catch(() => {});
  fail(err instanceof Error ? err.message : String(err));
}
