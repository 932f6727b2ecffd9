// The official JavaScript SignalR client, as a browser would use it: connects to EpiGrid's hub with a token
// (passed as access_token), prints every "alert" it receives as one JSON line, and answers catch-up requests.
// Usage: node watch-alerts.mjs <hubUrl> <token> [sinceSeq] [--messagepack]
// --messagepack: the official MessagePack protocol (@microsoft/signalr-protocol-msgpack) instead of JSON.
// Prints {"event":"connected","protocol":...} once connected; exits when stdin closes.
import * as signalR from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";

const args = process.argv.slice(2);
const messagePack = args.includes("--messagepack");
const [hubUrl, token, sinceSeq] = args.filter((a) => a !== "--messagepack");
const builder = new signalR.HubConnectionBuilder()
  .withUrl(hubUrl, { accessTokenFactory: () => token })
  .configureLogging(signalR.LogLevel.Warning);
if (messagePack) builder.withHubProtocol(new MessagePackHubProtocol());
const connection = builder.build();

const print = (o) => process.stdout.write(JSON.stringify(o) + "\n");
connection.on("alert", (alert) => print({ event: "alert", alert }));

try {
  await connection.start();
  if (sinceSeq !== undefined) {
    for (const alert of await connection.invoke("catchUp", Number(sinceSeq))) print({ event: "caughtUp", alert });
  }
  print({ event: "connected", protocol: messagePack ? "messagepack" : "json" });
} catch (e) {
  print({ event: "error", message: String(e) });
  process.exit(1);
}
process.stdin.resume();
process.stdin.on("end", async () => { await connection.stop(); process.exit(0); });
