#!/usr/bin/env node
// Real TypeScript SDK v2 client (@modelcontextprotocol/client) with its client-credentials OAuth provider, for the
// SmsMcp OAuth end-to-end tests. It is given only the MCP URL and its client credentials: it discovers the authorization
// server from the server's 401 and protected resource metadata, gets a token, lists tools and tries a send.
//
// env: MCP_URL            e.g. http://127.0.0.1:5000/mcp (required)
//      OAUTH_CLIENT_ID    (required)
//      OAUTH_SECRET       (required)
//      OAUTH_ISSUER       the issuer the credentials belong to (expectedIssuer; required)
//      OAUTH_SCOPE        scope to request (space-separated; optional)
//      MCP_STEP_UP        "throw" (default: report a 403 insufficient_scope) or "reauthorize" (the SDK's step-up)
//      MCP_BODY           the message to send to `demo`
//      MCP_TIMEOUT_MS     overall deadline, default 30000
//      NODE_EXTRA_CA_CERTS the loopback provider's per-run certificate (set by the test)
//
// Prints ONE JSON line: {"protocolVersion","tools":[...],"sendResult":<CallToolResult>|null,"sendRefused":{...}|null}
// Exit codes: 0 the line was printed (whatever the send's outcome); 1 any other error (stderr, nothing on stdout).
import { Client, StreamableHTTPClientTransport, ClientCredentialsProvider } from '@modelcontextprotocol/client';

const env = process.env;
const timeoutMs = Number(env.MCP_TIMEOUT_MS || 30000);

function fail(msg) {
  process.stderr.write(`ts-client-v2-oauth: ${msg}\n`);
  process.exit(1);
}

for (const name of ['MCP_URL', 'OAUTH_CLIENT_ID', 'OAUTH_SECRET', 'OAUTH_ISSUER']) {
  if (!env[name]) fail(`${name} is required`);
}

const deadline = setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs);
deadline.unref();

const authProvider = new ClientCredentialsProvider({
  clientId: env.OAUTH_CLIENT_ID,
  clientSecret: env.OAUTH_SECRET,
  expectedIssuer: env.OAUTH_ISSUER,
  scope: env.OAUTH_SCOPE || undefined,
});
const transport = new StreamableHTTPClientTransport(new URL(env.MCP_URL), {
  authProvider,
  onInsufficientScope: env.MCP_STEP_UP || 'throw',
});
const client = new Client({ name: 'smsmcp-ts-v2-oauth-peer', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });

try {
  await client.connect(transport);
  const listed = await client.listTools(undefined, { timeout: timeoutMs });
  const tools = listed.tools.map(t => t.name);
  let sendResult = null;
  let sendRefused = null;
  try {
    sendResult = await client.callTool({ name: 'send_sms', arguments: { to: 'demo', body: env.MCP_BODY || 'hello' } }, { timeout: timeoutMs });
  } catch (err) {
    sendRefused = {
      name: err?.constructor?.name ?? 'Error',
      message: err instanceof Error ? err.message : String(err),
      requiredScope: err?.requiredScope ?? null,
      resourceMetadataUrl: err?.resourceMetadataUrl ? String(err.resourceMetadataUrl) : null,
      status: err?.data?.status ?? err?.status ?? null,
    };
  }
  const line = JSON.stringify({ protocolVersion: client.getNegotiatedProtocolVersion(), tools, sendResult, sendRefused });
  await client.close().catch(() => {});
  await new Promise(resolve => process.stdout.write(line + '\n', resolve));
  process.exit(0);
} catch (err) {
  await client.close().catch(() => {});
  fail(err instanceof Error ? `${err.constructor.name}: ${err.message}` : String(err));
}
