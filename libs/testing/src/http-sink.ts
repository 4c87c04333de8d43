import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  json<T = unknown>(): T;
  receivedAt: number;
}

/**
 * A real HTTP receiver for notification tests. It records every request and can be told to answer
 * the next N requests with a failure status, to exercise retries.
 */
export class HttpSink {
  readonly requests: ReceivedRequest[] = [];
  private failuresLeft = 0;
  private failureStatus = 503;
  private server?: Server;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.failuresLeft > 0) {
          this.failuresLeft--;
          res.writeHead(this.failureStatus).end('sink told to fail');
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        this.requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body,
          json: <T>() => JSON.parse(body) as T,
          receivedAt: Date.now(),
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  failNext(count: number, status = 503): void {
    this.failuresLeft = count;
    this.failureStatus = status;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
