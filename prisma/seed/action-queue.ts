/**
 * The history's timeline: actions ordered by their (simulated) time, first scheduled
 * first among equals, so a run is the same every time. A plain binary min-heap.
 */

export interface Action<C> {
  at: number;
  seq: number;
  run: (context: C) => Promise<void>;
}

/** A min-heap of actions by time, first scheduled first among equals. */
export class ActionQueue<C> {
  private readonly heap: Action<C>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, run: (context: C) => Promise<void>): void {
    this.heap.push({ at, seq: this.seq++, run });
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(this.heap[i]!, this.heap[parent]!)) break;
      [this.heap[i], this.heap[parent]] = [this.heap[parent]!, this.heap[i]!];
      i = parent;
    }
  }

  peek(): Action<C> | undefined {
    return this.heap[0];
  }

  pop(): Action<C> | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (this.heap.length > 0 && last) {
      this.heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < this.heap.length && this.before(this.heap[left]!, this.heap[smallest]!)) smallest = left;
        if (right < this.heap.length && this.before(this.heap[right]!, this.heap[smallest]!)) smallest = right;
        if (smallest === i) break;
        [this.heap[i], this.heap[smallest]] = [this.heap[smallest]!, this.heap[i]!];
        i = smallest;
      }
    }
    return top;
  }

  private before(a: Action<C>, b: Action<C>): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}
