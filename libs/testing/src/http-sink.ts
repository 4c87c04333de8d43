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

/** How the sink answers: a status and, optionally, headers and a body. */
export interface SinkAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A real HTTP receiver for notification tests. It records every request and can be told to answer
 * the next N requests with a failure status, to exercise retries, or to accept in a receiver's own
 * words (`answerWith`).
 */
export class HttpSink {
  readonly requests: ReceivedRequest[] = [];
  private failuresLeft = 0;
  private failureStatus = 503;
  private failureAnswer: Omit<SinkAnswer, 'status'> = {};
  private answer: SinkAnswer = {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: '{"ok":true}',
  };
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
          res
            .writeHead(this.failureStatus, this.failureAnswer.headers)
            .end(this.failureAnswer.body ?? 'sink told to fail');
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
        res.writeHead(this.answer.status, this.answer.headers).end(this.answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Answers the next `count` requests with `status` (and these headers and body), unrecorded. */
  failNext(count: number, status = 503, answer: Omit<SinkAnswer, 'status'> = {}): void {
    this.failuresLeft = count;
    this.failureStatus = status;
    this.failureAnswer = answer;
  }

  /** Answers the requests it records with this instead of 200 `{"ok":true}`. */
  answerWith(answer: SinkAnswer): void {
    this.answer = answer;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
