import type { FastifyInstance } from 'fastify';
import { LikenessError } from '../errors.ts';

/** Starts listening, or says in the catalogue's terms why the address cannot be had. */
export async function listenOn(app: FastifyInstance, port: number, host: string): Promise<void> {
  try {
    await app.listen({ port, host });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new LikenessError('LIKENESS_PORT_IN_USE', `Port ${port} on ${host} is in use: stop what listens there, or choose another with --port`, { cause: error });
    }
    if (code === 'EACCES') throw new LikenessError('LIKENESS_BAD_INPUT', `Not allowed to listen on port ${port}: ports under 1024 need privileges`, { cause: error });
    if (code === 'EADDRNOTAVAIL') throw new LikenessError('LIKENESS_BAD_INPUT', `--host ${host} is not an address of this machine`, { cause: error });
    throw error;
  }
}
