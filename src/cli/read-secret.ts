import { LikenessError } from '../errors.ts';

/** More than any password likeness takes: what is piped in is not read without end. */
const MAX_INPUT_BYTES = 4096;

/**
 * A secret typed at a prompt without echo, or the first line of what is piped in: never an
 * argument, which other users of the machine can read in the process list and the shell keeps
 * in its history.
 */
export async function readSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return firstLine(await readPiped(stdin));
  const first = await readHidden(prompt);
  const again = await readHidden('Again: ');
  if (first !== again) throw new LikenessError('LIKENESS_BAD_INPUT', 'The two passwords typed differ');
  return first;
}

async function readPiped(stdin: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) throw new LikenessError('LIKENESS_BAD_INPUT', `The password read from stdin is longer than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(buffer);
    if (buffer.includes(0x0a)) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]!.replace(/\r$/, '');
  if (!line) throw new LikenessError('LIKENESS_BAD_INPUT', 'No password on stdin: pipe it in, or run the command at a terminal to be asked for it');
  return line;
}

function readHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let typed = '';
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new LikenessError('LIKENESS_BAD_INPUT', 'Cancelled'));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else if (typed.length < MAX_INPUT_BYTES) typed += char;
      }
    };
    stdin.on('data', onData);
  });
}
