import WebSocket from 'ws';

/** A raw WebSocket client that can send anything and reads every answer in order. */
export class RawSocket {
  private readonly answers: unknown[] = [];
  private wake: (() => void) | null = null;
  private closeCode: number | null = null;
  readonly closed: Promise<number>;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.answers.push(JSON.parse(String(data)));
      this.wake?.();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        this.wake?.();
        resolve(code);
      }),
    );
  }

  static open(url: string, headers: Record<string, string>): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.on('error', reject);
      ws.on('open', () => {
        ws.removeListener('error', reject);
        ws.on('error', () => undefined);
        resolve(new RawSocket(ws));
      });
    });
  }

  async next(): Promise<unknown> {
    while (this.answers.length === 0) {
      if (this.closeCode !== null) throw new Error(`closed with ${this.closeCode} before an answer`);
      await new Promise<void>((r) => (this.wake = r));
    }
    return this.answers.shift();
  }

  /** Sends a frame and returns the next non-event answer. */
  async ask(frame: string | Buffer, binary = false): Promise<{ id?: unknown; result?: unknown; error?: { code: string; message: string } }> {
    this.ws.send(frame, { binary });
    for (;;) {
      const answer = (await this.next()) as { event?: unknown };
      if (!('event' in answer)) return answer as never;
    }
  }

  /** Reads until an event the predicate accepts arrives (answers and other events are dropped). */
  async event<T>(accept: (event: T) => boolean): Promise<T> {
    for (;;) {
      const message = (await this.next()) as { event?: T };
      if (message.event !== undefined && accept(message.event)) return message.event;
    }
  }
}
