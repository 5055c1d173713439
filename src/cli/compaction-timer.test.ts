import assert from 'node:assert/strict';
import { it, mock } from 'node:test';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { startCompactionTimer } from './compaction-timer.ts';

/** Lets the passes started by a tick run to their end. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await yieldToEventLoop();
}

it('applies the compaction policy on every tick, logs a failure and goes on, and stops after the pass under way', async () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const logged: string[] = [];
    let calls = 0;
    let release: () => void = () => {};
    const stop = startCompactionTimer(async () => {
      calls++;
      if (calls === 1) throw new Error('server down');
      if (calls === 3) await new Promise<void>((resolve) => (release = resolve));
      return ['g1'];
    }, 10, { info: (_o, m) => logged.push(`info ${m}`), error: (_o, m) => logged.push(`error ${m}`) });

    await settle();
    assert.equal(calls, 0, 'nothing before the first tick');
    for (let tick = 1; tick <= 3; tick++) {
      mock.timers.tick(10);
      await settle();
      assert.equal(calls, tick);
    }
    // The third pass is under way: stopping waits for it.
    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await settle();
    assert.equal(stopped, false, 'stop waits for the pass under way');
    release();
    await stopping;
    mock.timers.tick(100);
    await settle();
    assert.equal(calls, 3, 'no tick after stop');
    assert.deepEqual(logged, ['error compaction failed',
      'info compaction policy: erased faces physically removed', 'info compaction policy: erased faces physically removed']);
  } finally {
    mock.timers.reset();
  }
});
