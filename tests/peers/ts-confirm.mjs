#!/usr/bin/env node
// Client confirmation peer: the real TypeScript SDK v2 client (@modelcontextprotocol/client) answering SmsMcp's
// send_sms confirmation (2026-07-28 multi-round-trip: an input_required result with a form elicitation and a
// requestState, then the retried call carrying the answer and the state).
//
// env: MCP_URL          e.g. http://127.0.0.1:5000/mcp   (required)
//      MCP_API_KEY      sent as `Authorization: Bearer <key>` (required)
//      MCP_API_KEY_2    a second caller's key (scenario "other-caller")
//      MCP_MODE         a revision to pin (default 2026-07-28), or "legacy" (the 2025-11-25 handshake)
//      MCP_BODY         the message to send to `demo`
//      MCP_ELICIT       "form" (default): declare form elicitation; "none": declare no elicitation capability
//      CONFIRM_SCENARIO one of
//        accept | decline | cancel | untick   auto mode: the SDK's driver runs the elicitation handler, which answers so
//        tamper         manual mode: flip one bit of the requestState, then retry with an accepted answer
//        replay         manual mode: retry with an accepted answer, then retry again with the same state
//        other-caller   manual mode: a second client (MCP_API_KEY_2) retries with the first caller's state
//        no-answer      manual mode: retry with the state but without inputResponses
//      MCP_TIMEOUT_MS   overall deadline, default 30000
//
// Prints ONE JSON line: {"protocolVersion":"...","elicitations":[{message,requestedSchema}],"results":[<CallToolResult>...]}
// Exit codes: 0 ok (whatever the results say); 1 any error (message on stderr, nothing on stdout).
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const url = process.env.MCP_URL;
const key = process.env.MCP_API_KEY;
const key2 = process.env.MCP_API_KEY_2;
const mode = process.env.MCP_MODE || '2026-07-28';
const body = process.env.MCP_BODY || 'confirm me';
const elicit = process.env.MCP_ELICIT || 'form';
const scenario = process.env.CONFIRM_SCENARIO || 'accept';
const timeoutMs = Number(process.env.MCP_TIMEOUT_MS || 30000);
const manual = ['tamper', 'replay', 'other-caller', 'no-answer'].includes(scenario);

function fail(msg) {
  process.stderr.write(`ts-confirm: ${msg}\n`);
  process.exit(1);
}

if (!url) fail('MCP_URL is required');
if (!key) fail('MCP_API_KEY is required');
if (scenario === 'other-caller' && !key2) fail('MCP_API_KEY_2 is required for other-caller');

const deadline = setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs);
deadline.unref();

const elicitations = [];
const answers = {
  accept: { action: 'accept', content: { confirm: true } },
  untick: { action: 'accept', content: { confirm: false } },
  decline: { action: 'decline' },
  cancel: { action: 'cancel' },
};

function connect(apiKey) {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { Authorization: `Bearer ${apiKey}` } },
  });
  const versionNegotiation = { mode: mode === 'legacy' ? 'legacy' : { pin: mode } };
  const capabilities = elicit === 'form' ? { elicitation: { form: {} } } : {};
  const client = new Client(
    { name: 'smsmcp-ts-confirm-peer', version: '1.0.0' },
    { capabilities, versionNegotiation, inputRequired: { autoFulfill: !manual, maxRounds: 3 } },
  );
  if (elicit === 'form') {
    client.setRequestHandler('elicitation/create', async request => {
      elicitations.push({ message: request.params.message, requestedSchema: request.params.requestedSchema });
      return answers[scenario] ?? answers.accept;
    });
  }
  return client.connect(transport).then(() => client);
}

const toolArguments = { to: 'demo', body };
const callParams = extra => ({ name: 'send_sms', arguments: toolArguments, ...extra });
const call = (client, extra) =>
  client.request({ method: 'tools/call', params: callParams(extra) }, { allowInputRequired: manual, timeout: timeoutMs });

function flipOneBit(state) {
  const bytes = Buffer.from(state, 'base64url');
  const at = Math.floor(bytes.length / 2);
  bytes[at] ^= 0x01;
  return bytes.toString('base64url');
}

const clients = [];
try {
  const client = await connect(key);
  clients.push(client);
  const results = [];
  if (!manual) {
    results.push(await client.callTool({ name: 'send_sms', arguments: toolArguments }, { timeout: timeoutMs }));
  } else {
    const first = await call(client);
    if (first.resultType !== 'input_required' || typeof first.requestState !== 'string') {
      fail(`expected an input_required result with a requestState, got ${JSON.stringify(first).slice(0, 200)}`);
    }

    const request = Object.values(first.inputRequests ?? {})[0];
    if (request) elicitations.push({ message: request.params?.message, requestedSchema: request.params?.requestedSchema });
    const inputResponses = { confirm_send: answers.accept };
    const state = first.requestState;
    switch (scenario) {
      case 'tamper':
        results.push(await call(client, { inputResponses, requestState: flipOneBit(state) }));
        break;
      case 'replay':
        results.push(await call(client, { inputResponses, requestState: state }));
        results.push(await call(client, { inputResponses, requestState: state }));
        break;
      case 'other-caller': {
        const other = await connect(key2);
        clients.push(other);
        results.push(await call(other, { inputResponses, requestState: state }));
        break;
      }
      case 'no-answer':
        results.push(await call(client, { requestState: state }));
        break;
    }
  }

  const line = JSON.stringify({ protocolVersion: client.getNegotiatedProtocolVersion(), elicitations, results });
  for (const c of clients) await c.close().catch(() => {});
  await new Promise(resolve => process.stdout.write(line + '\n', resolve));
  process.exit(0);
} catch (err) {
  for (const c of clients) await c.close().catch(() => {});
  fail(err instanceof Error ? err.message : String(err));
}
