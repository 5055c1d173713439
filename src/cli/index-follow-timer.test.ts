import assert from 'node:assert/strict';
import { it, mock } from 'node:test';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { FollowReport } from '../ports/store-follower.ts';
import { startIndexFollowTimer } from './index-follow-timer.ts';

/** Lets the passes started by a tick run to their end. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await yieldToEventLoop();
}

it('follows on every tick, works a backlog off pass after pass, logs a failure and goes on, and stops', async () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const reports: FollowReport[] = [
      { applied: 0, rebuilt: [], caughtUp: true },
      { applied: 4, rebuilt: ['g1'], caughtUp: false },
      { applied: 1, rebuilt: [], caughtUp: true },
    ];
    let calls = 0;
    const logged: string[] = [];
    const stop = startIndexFollowTimer({
      follow: async () => {
        calls++;
        if (calls === 2) throw new Error('store busy');
        return reports.shift() ?? { applied: 0, rebuilt: [], caughtUp: true };
      },
    }, 500, { info: (_o, m) => logged.push(`info ${m}`), error: (_o, m) => logged.push(`error ${m}`) });

    await settle();
    assert.equal(calls, 0, 'nothing before the first tick');
    mock.timers.tick(500);
    await settle();
    assert.equal(calls, 1);
    mock.timers.tick(500);
    await settle();
    assert.equal(calls, 2, 'the failed pass');
    mock.timers.tick(500);
    await settle();
    assert.equal(calls, 4, 'a pass that left changes is followed by another in the same tick');
    await stop();
    mock.timers.tick(5_000);
    await settle();
    assert.equal(calls, 4, 'no pass after stop');
    assert.deepEqual(logged, ['error following the store change log failed', 'info indexes rebuilt: they had fallen out of the store change log']);
  } finally {
    mock.timers.reset();
  }
});
