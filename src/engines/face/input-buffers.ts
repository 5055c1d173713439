/**
 * Float buffers for model inputs, handed out again once the run that used them has ended. The
 * detector's input alone is 230,400 floats (900 KB): a new one for every image cost more
 * processor time, in allocation and the garbage collections it brings on, than filling it.
 * At most `keep` buffers of each length are held; a lease beyond them is a fresh array, so two
 * images analysed at once in one thread never share one.
 */
export class InputBuffers {
  private readonly free = new Map<number, Float32Array<ArrayBuffer>[]>();

  constructor(private readonly keep = 4) {}

  /** A buffer of `length` floats whose contents are left over from an earlier run: fill every one. */
  lease(length: number): Float32Array<ArrayBuffer> {
    return this.free.get(length)?.pop() ?? new Float32Array(length);
  }

  release(buffer: Float32Array<ArrayBuffer>): void {
    let held = this.free.get(buffer.length);
    if (!held) this.free.set(buffer.length, (held = []));
    if (held.length < this.keep && !held.includes(buffer)) held.push(buffer);
  }
}
