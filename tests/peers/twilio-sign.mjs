// Signs and checks X-Twilio-Signature cases with Twilio's own Node library, for the cross-check in
// SmsMcp.EndToEnd.Tests. Reads a JSON array on stdin; each item:
//   { token, url, params?, body?, signWith?: { token, url, params?, body? }, flip?: index }
// The signature is getExpectedTwilioSignature over signWith (default: the item itself; with a body, the URL alone),
// with the character at `flip` replaced when given. `valid` is what validateRequest (form) or
// validateRequestWithBody (JSON body) says about the item with that signature. Prints a JSON array of
// { signature, valid } in input order.
import twilio from "twilio";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const items = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const results = items.map((item) => {
  const signer = item.signWith ?? item;
  let signature = twilio.getExpectedTwilioSignature(
    signer.token,
    signer.url,
    signer.body !== undefined && signer.body !== null ? {} : signer.params ?? {},
  );
  if (item.flip !== undefined && item.flip !== null) {
    const i = item.flip % signature.length;
    const replacement = signature[i] === "A" ? "B" : "A";
    signature = signature.slice(0, i) + replacement + signature.slice(i + 1);
  }
  const valid =
    item.body !== undefined && item.body !== null
      ? twilio.validateRequestWithBody(item.token, signature, item.url, item.body)
      : twilio.validateRequest(item.token, signature, item.url, item.params ?? {});
  return { signature, valid };
});
process.stdout.write(JSON.stringify(results));
