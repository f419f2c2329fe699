#!/usr/bin/env node
// The benchmark peer (docs/benchmarks.md): the official TypeScript SDK's stateless streamable-HTTP server
// with an equivalent trivial send_sms tool and the same bearer check, so ratios compare like with like.
// env: PORT (default 0 = any free port), MCP_API_KEY (required). Prints "listening http://127.0.0.1:<port>".
import http from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const key = process.env.MCP_API_KEY;
if (!key) {
  console.error('bench-ts-server: MCP_API_KEY is required');
  process.exit(2);
}

function createServer() {
  const server = new McpServer({ name: 'bench-ts', version: '1.0.0' });
  server.registerTool('send_sms', {
    description: 'Trivial stand-in: accepts the message and does nothing.',
    inputSchema: { to: z.string(), body: z.string() },
  }, async ({ to }) => ({ content: [{ type: 'text', text: `queued to ${to.length} chars` }] }));
  return server;
}

const httpServer = http.createServer(async (req, res) => {
  if (req.headers.authorization !== `Bearer ${key}`) {
    res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
    return;
  }
  if (req.method !== 'POST' || req.url !== '/mcp') {
    res.writeHead(405).end();
    return;
  }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const server = createServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
});

httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening http://127.0.0.1:${httpServer.address().port}`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => httpServer.close(() => process.exit(0)));
