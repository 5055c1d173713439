// COPY ... FROM STDIN on a node-postgres client, without a streams package: node-postgres hands
// an object with `submit` the connection and routes the copy-in messages to it.
import { once } from 'node:events';
import type pg from 'pg';

interface Wire {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}

export interface CopyIn {
  /** Sends bytes of the COPY stream; resolves when the socket can take more. */
  write(chunk: Buffer): Promise<void>;
  /** Ends the stream; resolves with the rows the server copied. */
  end(): Promise<number>;
}

class CopyInQuery {
  callback?: () => void;
  private wire: Wire | undefined;
  private failure: Error | undefined;
  private rows = 0;
  private readonly ready: Promise<Wire>;
  private readonly done: Promise<number>;
  private resolveReady!: (wire: Wire) => void;
  private rejectReady!: (error: Error) => void;
  private resolveDone!: (rows: number) => void;
  private rejectDone!: (error: Error) => void;

  constructor(private readonly text: string) {
    this.ready = new Promise((resolve, reject) => ((this.resolveReady = resolve), (this.rejectReady = reject)));
    this.done = new Promise((resolve, reject) => ((this.resolveDone = resolve), (this.rejectDone = reject)));
    // Whichever the caller is not awaiting yet must not become an unhandled rejection.
    this.ready.catch(() => undefined);
    this.done.catch(() => undefined);
  }

  submit(connection: Wire): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: Wire): void {
    this.wire = connection;
    this.resolveReady(connection);
  }

  handleCommandComplete(message: { text?: string }): void {
    this.rows = Number(/(\d+)$/.exec(message.text ?? '')?.[1] ?? 0);
  }

  handleError(error: Error): void {
    this.failure = error;
    this.rejectReady(error);
    this.rejectDone(error);
  }

  handleReadyForQuery(): void {
    if (!this.failure) this.resolveDone(this.rows);
  }

  // Not sent for COPY FROM; node-postgres may still call them.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}

  async write(chunk: Buffer): Promise<void> {
    const wire = await this.ready;
    if (this.failure) throw this.failure;
    wire.sendCopyFromChunk(chunk);
    if (wire.stream.writableNeedDrain) await once(wire.stream, 'drain');
  }

  async end(): Promise<number> {
    const wire = await this.ready;
    if (!this.failure) wire.endCopyFrom();
    return this.done;
  }
}

/** Starts `COPY table (...) FROM STDIN ...` on `client`; nothing else may use the client until end() resolves. */
export function copyIn(client: pg.Client, sql: string): CopyIn {
  const query = new CopyInQuery(sql);
  (client as unknown as { query(q: unknown): unknown }).query(query);
  return { write: (chunk) => query.write(chunk), end: () => query.end() };
}
