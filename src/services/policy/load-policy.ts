import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, resolve } from 'node:path';
import { LikenessError } from '../../errors.ts';
import { parsePolicy } from './parse-policy.ts';
import { defaultPolicy, type Policy } from './policy.ts';

export const POLICY_FILE = 'likeness.policy.yaml';

export interface LoadedPolicy {
  policy: Policy;
  /** The file it came from; null when there is none and the defaults apply. */
  file: string | null;
  /** SHA-256 of the file's bytes (of "" for the defaults): audit entries of policy changes carry it. */
  sha256: string;
}

/**
 * Reads the policy once at start: `--policy FILE` when given (it must exist), else
 * likeness.policy.yaml in the data directory, else the defaults. YAML or JSON (JSON is YAML).
 */
export function loadPolicy(options: { dataDir: string; file?: string }): LoadedPolicy {
  const explicit = options.file !== undefined;
  const file = explicit ? resolve(options.file!) : join(options.dataDir, POLICY_FILE);
  if (!existsSync(file)) {
    if (explicit) throw new LikenessError('LIKENESS_CONFIG_INVALID', `Policy file ${file} does not exist`);
    return { policy: defaultPolicy(), file: null, sha256: sha256('') };
  }
  const bytes = readFileSync(file);
  return { policy: parsePolicyText(bytes.toString('utf8'), file), file, sha256: sha256(bytes) };
}

/** Parses policy text; `origin` (a file name) starts every error message. */
export function parsePolicyText(text: string, origin: string): Policy {
  // The YAML parser is a large module: loaded only when a policy file is actually read.
  const { parse: parseYaml, YAMLParseError } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  let document: unknown;
  try {
    document = extname(origin).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { uniqueKeys: true, prettyErrors: true });
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
    throw new LikenessError('LIKENESS_CONFIG_INVALID',
      `${origin}: not valid ${extname(origin).toLowerCase() === '.json' ? 'JSON' : 'YAML'}${where}: ${firstLine((error as Error).message)}`,
      { cause: error });
  }
  return parsePolicy(document ?? {}, origin);
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The parser's first line, without its own position (given once already). */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}
