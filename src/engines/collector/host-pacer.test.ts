import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakePacingClock as fakeClock } from './fake-pacing-clock.ts';
import { HostPacer } from './host-pacer.ts';

describe('HostPacer', () => {
  it('spaces concurrent callers for one host by the interval', async () => {
    const clock = fakeClock();
    const pacer = new HostPacer(clock);
    const starts: number[] = [];
    await Promise.all([1, 2, 3].map(async () => { await pacer.wait('a', 100); starts.push(clock.t); }));
    assert.deepEqual(starts, [0, 100, 200]);
  });

  it('keeps hosts independent', async () => {
    const clock = fakeClock();
    const pacer = new HostPacer(clock);
    await pacer.wait('a', 100);
    await pacer.wait('b', 100);
    assert.equal(clock.t, 0);
  });

  it('does not wait when the interval has already passed', async () => {
    const clock = fakeClock();
    const pacer = new HostPacer(clock);
    await pacer.wait('a', 100);
    clock.t = 500;
    await pacer.wait('a', 100);
    assert.equal(clock.t, 500);
  });
});
