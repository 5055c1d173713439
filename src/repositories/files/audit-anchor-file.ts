import { appendFileSync, createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { AuditEntry } from '../../domain/accounts.ts';
import type { AuditAnchor } from '../../ports/audit-anchor.ts';

export const AUDIT_ANCHOR_FILE = 'audit.anchor';

const LINE = /^(\d+) ([0-9a-f]{64})$/;

/**
 * `audit.anchor` in the data directory: one line `seq hash` appended per committed audit entry.
 * Appends of one short line are atomic, so processes sharing the data directory interleave whole
 * lines. It lives beside the store and survives `restore`, which replaces only the store and the
 * indexes; `likeness audit head` prints the head to keep a copy elsewhere too.
 */
export class AuditAnchorFile implements AuditAnchor {
  private readonly file: string;
  private failed = false;

  constructor(dataDir: string) {
    this.file = join(dataDir, AUDIT_ANCHOR_FILE);
  }

  committed(entry: AuditEntry): void {
    try {
      appendFileSync(this.file, `${entry.seq} ${entry.hash}\n`);
    } catch (error) {
      // The entry is committed; a missing anchor line only makes verify vouch for less.
      if (!this.failed) process.emitWarning(`audit anchor ${this.file} could not be written: ${String(error)}`);
      this.failed = true;
    }
  }

  async links(): Promise<Map<number, string>> {
    const links = new Map<number, string>();
    if (!existsSync(this.file)) return links;
    const lines = createInterface({ input: createReadStream(this.file), crlfDelay: Infinity });
    for await (const line of lines) {
      const match = LINE.exec(line);
      // A torn last line (a crash mid-write) anchors nothing.
      if (match) links.set(Number(match[1]), match[2]!);
    }
    return links;
  }
}
