// Resident memory of a PostgreSQL server on this machine, read from /proc: the proportional set
// size (PSS) of the postmaster and all its children, so that shared buffers touched by several
// backends count once. Undefined when the server is elsewhere or /proc cannot be read.
import { readFileSync, readdirSync } from 'node:fs';
import type pg from 'pg';

function field(pid: number, file: string, name: string): number | undefined {
  const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
  return match ? Number(match[1]) : undefined;
}

export interface ServerMemory { pssBytes: number; processes: number; searchBackendRssBytes: number }

export async function serverMemory(client: pg.ClientBase): Promise<ServerMemory | undefined> {
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const backend = rows[0]!.pid;
    const postmaster = field(backend, 'status', 'PPid');
    // The pid is the server's: it only names a local process when the server runs on this machine.
    if (postmaster === undefined || !readFileSync(`/proc/${backend}/comm`, 'utf8').startsWith('postgres')) return undefined;
    const children = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
      try {
        return field(pid, 'status', 'PPid') === postmaster;
      } catch {
        return false;
      }
    });
    let pssKb = 0;
    for (const pid of [postmaster, ...children]) {
      try {
        pssKb += field(pid, 'smaps_rollup', 'Pss') ?? 0;
      } catch {
        // A backend that ended meanwhile.
      }
    }
    return { pssBytes: pssKb * 1024, processes: children.length + 1, searchBackendRssBytes: (field(backend, 'status', 'VmRSS') ?? 0) * 1024 };
  } catch {
    return undefined;
  }
}
