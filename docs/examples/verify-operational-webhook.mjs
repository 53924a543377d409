// A minimal receiver for Holdfast's operational webhooks (docs/operations.md#verifying-an-operational-webhook).
//
//   npm install standardwebhooks
//   HOLDFAST_OPS_WEBHOOK_SECRET='whsec_…' node docs/examples/verify-operational-webhook.mjs
//
// It verifies each request's Standard Webhooks signature over the raw body, refuses a bad
// or stale one with 401, drops a webhook-id it has seen (retries repeat it), and answers
// 2xx quickly: do the work after answering, so a slow handler does not cause retries.
import { Buffer } from "node:buffer";
import http from "node:http";
import { Webhook } from "standardwebhooks";

const secret = process.env.HOLDFAST_OPS_WEBHOOK_SECRET;
if (!secret) throw new Error("Set HOLDFAST_OPS_WEBHOOK_SECRET to the whsec_ secret shown when the endpoint was added.");
const webhook = new Webhook(secret);
const port = Number(process.env.PORT ?? 8787);
const seen = new Set(); // keep this in a database in real use

const server = http.createServer(async (req, res) => {
  if (req.method !== "POST") return res.writeHead(405).end();
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks).toString("utf8"); // the raw body: never re-serialise before verifying
  let message;
  try {
    message = webhook.verify(body, {
      "webhook-id": req.headers["webhook-id"],
      "webhook-timestamp": req.headers["webhook-timestamp"],
      "webhook-signature": req.headers["webhook-signature"],
    });
  } catch (error) {
    console.warn("refused:", error.message);
    return res.writeHead(401).end();
  }
  res.writeHead(204).end();
  if (seen.has(message.id)) return; // a retry of a message already handled
  seen.add(message.id);
  if (message.type === "webhook.test") return console.log("test message received and verified");
  const d = message.data;
  console.log(`${message.type}: ${d.severity} ${d.rule_title} — ${d.subject.label}: ${d.summary}\n  ${d.console_url}\n  runbook: ${d.runbook}`);
});

server.listen(port, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${port}/`));
