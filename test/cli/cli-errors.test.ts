import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const ONE_LINE = (code: string) => new RegExp(`^likeness: ${code}: [^\\n]+\\n$`);

// Scripts read the code; people read the line. Neither should get commander's usage dump.
describe('command-line errors are one line with a stable code', () => {
  const data = join(tempDir(), 'data');

  for (const [args, mentions] of [
    [['search'], /missing a photo to search with \(or --face-id\); see likeness search --help/],
    [['--no-such-option'], /unknown option '--no-such-option'; see likeness --help/],
    [['source', 'add', 'press', '--kind'], /option '--kind <kind>' argument missing; see likeness source add --help/],
    [['init', 'extra'], /too many arguments for 'init'/],
    [['source'], /likeness source needs a subcommand; see likeness source --help/],
    [['nonsense'], /unknown command 'nonsense'/],
  ] as const) {
    it(`likeness ${args.join(' ')}: LIKENESS_USAGE, exit 2`, async () => {
      const run = await runCli(data, ...args);
      assert.equal(run.code, 2);
      assert.match(run.stderr, ONE_LINE('LIKENESS_USAGE'));
      assert.match(run.stderr, mentions);
      assert.equal(run.stdout, '');
    });
  }

  it('still shows help when asked, on stdout with exit 0', async () => {
    const run = await runCli(data, 'source', '--help');
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Usage: likeness source/);
    assert.equal(run.stderr, '');
  });

  describe('serve on a port that is taken', () => {
    let holder: Server;
    before(async () => {
      holder = createServer();
      await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
      assert.equal((await runCli(data, 'init')).code, 0);
    });
    after(() => holder.close());

    it('says LIKENESS_PORT_IN_USE on one line and exits 2', async () => {
      const port = (holder.address() as AddressInfo).port;
      const run = await runCli(data, 'serve', '--port', String(port));
      assert.equal(run.code, 2);
      assert.match(run.stderr, ONE_LINE('LIKENESS_PORT_IN_USE'));
      assert.match(run.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is in use`));
    });
  });
});
