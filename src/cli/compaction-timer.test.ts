import assert from 'node:assert/strict';
import { it } from 'node:test';
import { startCompactionTimer } from './compaction-timer.ts';

it('applies the compaction policy on every tick, logs a failure and goes on, and stops after the pass under way', async () => {
  const logged: string[] = [];
  let calls = 0;
  const stop = startCompactionTimer(async () => {
    calls++;
    if (calls === 1) throw new Error('server down');
    await new Promise((resolve) => setTimeout(resolve, 5));
    return ['g1'];
  }, 10, { info: (_o, m) => logged.push(`info ${m}`), error: (_o, m) => logged.push(`error ${m}`) });
  await new Promise((resolve) => setTimeout(resolve, 45));
  await stop();
  const settled = calls;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.ok(settled >= 2, `ticked ${settled} times`);
  assert.equal(calls, settled, 'no tick after stop');
  assert.equal(logged[0], 'error compaction failed');
  assert.ok(logged.slice(1).every((l) => l === 'info compaction policy: erased faces physically removed'));
});
