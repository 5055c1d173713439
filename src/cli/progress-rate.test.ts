import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, ProgressRate } from './progress-rate.ts';

describe('ProgressRate', () => {
  it('gives no figures before any time has passed', () => {
    const rate = new ProgressRate(() => 1_000);
    assert.deepEqual(rate.update(0, 100), { perSecond: undefined, secondsLeft: undefined });
    assert.deepEqual(rate.update(5, 100), { perSecond: undefined, secondsLeft: undefined });
  });

  it('measures images per second and the time left at that rate', () => {
    let now = 0;
    const rate = new ProgressRate(() => now);
    rate.update(0, 1000);
    now = 10_000;
    assert.deepEqual(rate.update(200, 1000), { perSecond: 20, secondsLeft: 40 });
  });

  it('forgets a slow start once it is outside the window', () => {
    let now = 0;
    const rate = new ProgressRate(() => now, 30_000);
    rate.update(0, 10_000);
    // Models loading: 10 images in the first 20 s, then 50 images/s.
    now = 20_000;
    rate.update(10, 10_000);
    for (let s = 21; s <= 60; s++) {
      now = s * 1000;
      rate.update(10 + 50 * (s - 20), 10_000);
    }
    now = 61_000;
    const { perSecond, secondsLeft } = rate.update(10 + 50 * 41, 10_000);
    assert.equal(perSecond, 50);
    assert.equal(secondsLeft, (10_000 - 2060) / 50);
  });
});

describe('formatDuration', () => {
  it('writes hours and minutes, minutes and seconds, or seconds', () => {
    assert.equal(formatDuration(3725), '1h 02m');
    assert.equal(formatDuration(190), '3m 10s');
    assert.equal(formatDuration(12.4), '12s');
    assert.equal(formatDuration(undefined), '-');
  });
});
