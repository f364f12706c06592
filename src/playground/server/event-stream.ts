// Server-Sent Events: every change in the fake workspace is pushed to each open page, which then
// fetches its user's snapshot again. That is how progress messages update in place.
import type { ServerResponse } from "node:http";
import type { SlackWebApiStandIn, StandInChange } from "../slack/index.js";

// Proxies and browsers drop idle streams; a comment line now and then keeps it open.
const HEARTBEAT_MS = 15_000;

export class PlaygroundEventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(standIn: SlackWebApiStandIn) {
    this.unsubscribe = standIn.subscribe((change) => this.broadcast(change));
    this.heartbeat = setInterval(() => this.write(": keep-alive\n\n"), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** GET /playground/events: holds the response open and streams changes into it. */
  attach(response: ServerResponse): void {
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
    response.write("retry: 1000\n\n");
    this.clients.add(response);
    response.on("close", () => this.clients.delete(response));
  }

  /** Ends every stream: an HTTP server waits for open responses before it stops. */
  close(): void {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private broadcast(change: StandInChange): void {
    // API call records say nothing a page shows.
    if (change.kind === "call") return;
    this.write(`data: ${JSON.stringify(change)}\n\n`);
  }

  private write(chunk: string): void {
    for (const client of this.clients) client.write(chunk);
  }
}
