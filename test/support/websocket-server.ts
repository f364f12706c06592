// A minimal WebSocket server (RFC 6455) on 127.0.0.1 for fakes of Slack's WebSocket endpoints: the
// opening handshake, text frames, ping/pong and the closing handshake; no extensions or subprotocols.
// Written out rather than imported: `ws` is not installed (@slack/socket-mode 3 connects with
// undici's WebSocket), and tests install nothing.
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";

const ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;
// How long a close frame waits for the peer's before the TCP connection is cut anyway.
const CLOSE_GRACE_MS = 1000;

interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
  /** Bytes the frame took in the input. */
  size: number;
}

/** One accepted connection. Emits "message" (text) and "close" (the peer's close code, if it sent one). */
export class WebSocketConnection extends EventEmitter<{ message: [text: string]; close: [code: number | undefined] }> {
  private input = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private closeSent = false;
  private ended = false;

  constructor(
    private readonly socket: Socket,
    readonly request: IncomingMessage,
  ) {
    super();
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      if (!this.ended) this.finish(undefined);
    });
  }

  get isOpen(): boolean {
    return !this.closeSent && !this.ended;
  }

  sendText(text: string): void {
    if (!this.isOpen) throw new Error("WebSocket connection is closed");
    this.socket.write(encodeFrame(OPCODE.text, Buffer.from(text, "utf8")));
  }

  /** Starts the closing handshake; the TCP connection ends when the peer answers (or after a grace period). */
  close(code = 1000): void {
    if (!this.isOpen) return;
    this.closeSent = true;
    this.socket.write(encodeFrame(OPCODE.close, closePayload(code)));
    setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS).unref();
  }

  private receive(chunk: Buffer): void {
    this.input = Buffer.concat([this.input, chunk]);
    for (let frame = decodeFrame(this.input); frame; frame = decodeFrame(this.input)) {
      this.input = this.input.subarray(frame.size);
      this.handle(frame);
    }
  }

  private handle(frame: Frame): void {
    switch (frame.opcode) {
      case OPCODE.text:
      case OPCODE.binary:
      case OPCODE.continuation:
        this.fragments.push(frame.payload);
        if (!frame.fin) return;
        this.emit("message", Buffer.concat(this.fragments).toString("utf8"));
        this.fragments = [];
        return;
      case OPCODE.ping:
        this.socket.write(encodeFrame(OPCODE.pong, frame.payload));
        return;
      case OPCODE.close: {
        const code = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : undefined;
        // Answer the peer's close with the same code, then end the TCP connection (the server's part).
        if (!this.closeSent) this.socket.write(encodeFrame(OPCODE.close, code === undefined ? Buffer.alloc(0) : closePayload(code)));
        this.closeSent = true;
        this.socket.end();
        this.finish(code);
        return;
      }
      default:
        return; // pong, or reserved opcodes
    }
  }

  private finish(code: number | undefined): void {
    this.ended = true;
    this.emit("close", code);
  }
}

/** Listens on 127.0.0.1 (a free port); emits "connection" for every completed opening handshake. */
export class WebSocketServer extends EventEmitter<{ connection: [connection: WebSocketConnection] }> {
  private readonly open = new Set<WebSocketConnection>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {
    super();
    server.on("upgrade", (request: IncomingMessage, socket: Socket, head: Buffer) => this.upgrade(request, socket, head));
  }

  static async start(): Promise<WebSocketServer> {
    const server = createServer((_request, response) => response.writeHead(426, { connection: "close" }).end("WebSocket only"));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    return new WebSocketServer(server, (server.address() as AddressInfo).port);
  }

  /** Connections not yet closed, oldest first. */
  get connections(): WebSocketConnection[] {
    return [...this.open];
  }

  /** Closes every connection (1001, "going away"), waiting for each closing handshake, and stops listening. */
  async close(): Promise<void> {
    const closing = this.connections.map(
      (connection) =>
        new Promise<void>((resolve) => {
          connection.once("close", () => resolve());
          connection.close(1001);
        }),
    );
    await Promise.all(closing);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private upgrade(request: IncomingMessage, socket: Socket, head: Buffer): void {
    const key = request.headers["sec-websocket-key"];
    if (request.headers.upgrade?.toLowerCase() !== "websocket" || typeof key !== "string") {
      socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n");
      return;
    }
    const accept = createHash("sha1").update(key + ACCEPT_GUID).digest("base64");
    socket.write(["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade", `Sec-WebSocket-Accept: ${accept}`, "", ""].join("\r\n"));
    const connection = new WebSocketConnection(socket, request);
    this.open.add(connection);
    connection.on("close", () => this.open.delete(connection));
    this.emit("connection", connection);
    // Bytes the client sent right after its handshake (none, in practice) are read like any later ones.
    if (head.length > 0) socket.unshift(head);
  }
}

function decodeFrame(input: Buffer): Frame | undefined {
  if (input.length < 2) return undefined;
  const first = input[0]!;
  const second = input[1]!;
  let length = second & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (input.length < 4) return undefined;
    length = input.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (input.length < 10) return undefined;
    length = Number(input.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (second & 0x80) !== 0;
  const mask = masked ? input.subarray(offset, offset + 4) : undefined;
  if (masked) offset += 4;
  if (input.length < offset + length) return undefined;
  // Clients mask every frame (RFC 6455 5.3); unmasking copies, so the input buffer can be dropped.
  const payload = Buffer.from(input.subarray(offset, offset + length));
  if (mask) for (let index = 0; index < payload.length; index++) payload[index] = payload[index]! ^ mask[index % 4]!;
  return { fin: (first & 0x80) !== 0, opcode: first & 0x0f, payload, size: offset + length };
}

/** A single unmasked frame, as servers send them. */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  let header: Buffer;
  if (payload.length < 126) {
    header = Buffer.from([0x80 | opcode, payload.length]);
  } else if (payload.length < 0x10000) {
    header = Buffer.alloc(4);
    header.writeUInt16BE(payload.length, 2);
    header[1] = 126;
  } else {
    header = Buffer.alloc(10);
    header.writeBigUInt64BE(BigInt(payload.length), 2);
    header[1] = 127;
  }
  header[0] = 0x80 | opcode;
  return Buffer.concat([header, payload]);
}

function closePayload(code: number): Buffer {
  const payload = Buffer.alloc(2);
  payload.writeUInt16BE(code);
  return payload;
}
