// Link-detection oracles for the SmsMcp link rules (tests/SmsMcp.Core.Tests/Policy/LinkOracleTests.cs).
// Reads one JSON string per line (a message body) from the file named by argv[2]; writes one line per body:
// two characters, "1" or "0", for linkify-it and linkifyjs: did that library find any link (URL or e-mail) in it?
import { readFileSync } from 'node:fs';
import { LinkifyIt } from 'linkify-it';
import * as linkify from 'linkifyjs';

// linkify-it as messaging apps configure it: fuzzy links, e-mails and IP addresses, and "//host" links.
const it = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: true });

const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter(l => l.length > 0);
const out = [];
for (const line of lines) {
  const body = JSON.parse(line);
  const a = it.test(body) ? '1' : '0';
  const b = linkify.find(body).length > 0 ? '1' : '0';
  out.push(a + b);
}
process.stdout.write(out.join('\n') + '\n');
