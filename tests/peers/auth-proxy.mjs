#!/usr/bin/env node
// Loopback reverse proxy that adds `Authorization: Bearer <key>` to every request.
// Why: @modelcontextprotocol/conformance (0.1.x) cannot send custom headers, and our
// server requires a bearer key. Host and Origin are forwarded unchanged, so the suite's
// dns-rebinding-protection scenario still reaches the server's Host/Origin check.
//
// env: TARGET_URL  origin of the real server, e.g. http://127.0.0.1:5000 (required)
//      MCP_API_KEY the key to inject (required)
//      PROXY_PORT  port to listen on, 127.0.0.1 only (default 0 = pick a free one)
// Prints one line to stdout when ready:  listening http://127.0.0.1:<port>
import http from 'node:http';

const target = new URL(process.env.TARGET_URL ?? '');
const key = process.env.MCP_API_KEY;
if (!key || target.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) {
  console.error('auth-proxy: need MCP_API_KEY and a loopback http TARGET_URL');
  process.exit(2);
}

const server = http.createServer((req, res) => {
  const headers = { ...req.headers, authorization: `Bearer ${key}` };
  const upstream = http.request({
    host: target.hostname.replace(/^\[|\]$/g, ''),
    port: target.port || 80,
    method: req.method,
    path: req.url,
    headers, // host header kept as the client sent it
  }, up => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', err => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`auth-proxy upstream error: ${err.message}`);
  });
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
});

server.listen(Number(process.env.PROXY_PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening http://127.0.0.1:${server.address().port}`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
