import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** `hit` counts the requests to this path since it was routed, from 1. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer, hit: number) => void;

/**
 * A real node:http server for HTTP-client tests: one handler per path, and what the vendor side
 * saw (hits per path, arrival times, calls in flight until their response closed).
 */
export class RouteServer {
  readonly arrivals: Array<{ path: string; at: number }> = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly routes = new Map<string, RouteHandler>();
  private readonly hits = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly base: string,
  ) {}

  static async start(): Promise<RouteServer> {
    let self: RouteServer | undefined;
    const server = createServer((req, res) => self?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new RouteServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return self;
  }

  route(path: string, handler: RouteHandler): string {
    this.routes.set(path, handler);
    this.hits.set(path, 0);
    return `${this.base}${path}`;
  }

  hitsOf(path: string): number {
    return this.hits.get(path) ?? 0;
  }

  resetCounters(): void {
    this.arrivals.length = 0;
    this.inFlight = 0;
    this.maxInFlight = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '';
    this.arrivals.push({ path, at: Date.now() });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const hit = (this.hits.get(path) ?? 0) + 1;
      this.hits.set(path, hit);
      const handler = this.routes.get(path);
      if (handler) handler(req, res, Buffer.concat(chunks), hit);
      else res.writeHead(599).end();
    });
  }
}

/** A pino logger whose lines a test can read back. */
export function capturedLogger(): { logger: Logger; lines: Array<Record<string, unknown>>; text: () => string } {
  const raw: string[] = [];
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(line: Buffer, _encoding, done) {
      raw.push(line.toString());
      lines.push(JSON.parse(line.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines, text: () => raw.join('') };
}

/**
 * Answers 200 with the first part of a body, then `truncate` closes the connection cleanly (fewer
 * bytes than Content-Length) or `reset` sends a TCP RST.
 */
export function cutBody(req: IncomingMessage, res: ServerResponse, full: Buffer, contentType: string, how: 'truncate' | 'reset'): void {
  res.writeHead(200, { 'content-type': contentType, 'content-length': String(full.length) });
  const part = full.subarray(0, Math.min(full.length - 1, Math.max(80, full.length >> 2)));
  res.write(part, () =>
    setTimeout(() => {
      if (how === 'reset') req.socket.resetAndDestroy();
      else req.socket.end();
    }, 10),
  );
}
