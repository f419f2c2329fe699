#!/usr/bin/env node
// The stdio benchmark peer (docs/benchmarks.md): the official TypeScript SDK's stdio server with the same trivial
// send_sms tool as bench-ts-server.mjs, for the stdio cold-start comparison.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'bench-ts', version: '1.0.0' });
server.registerTool('send_sms', {
  description: 'Trivial stand-in: accepts the message and does nothing.',
  inputSchema: { to: z.string(), body: z.string() },
}, async ({ to }) => ({ content: [{ type: 'text', text: `queued to ${to.length} chars` }] }));
await server.connect(new StdioServerTransport());
