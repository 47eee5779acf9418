/**
 * The step total the panel shows ("step 3 of 12"). It is known before the first call and changes
 * only with a reason: each change records why, and the next progress event says by how much the
 * total moved since the user last saw it and why (several changes between two events are told
 * together, so the count in the sentence always matches what the user sees change).
 */
export class StepTotal {
  private total: number;
  private shown: number;
  private announced = false;
  private readonly whys: string[] = [];
  private reason: string | undefined;

  constructor(
    planned: number,
    private readonly maxCalls: number,
  ) {
    this.total = Math.max(1, Math.min(maxCalls, planned));
    this.shown = this.total;
  }

  /** The total as the plan announces it; changes before this need no reason. */
  announce(): number {
    this.announced = true;
    this.shown = this.total;
    return this.total;
  }

  get value(): number {
    return this.total;
  }

  /** Sets a new total (at least one step past the calls made, at most the call limit). */
  set(next: number, callsMade: number, why: string): void {
    const capped = Math.max(callsMade + 1, Math.min(this.maxCalls, next));
    if (capped === this.total) return;
    this.total = capped;
    if (this.announced) this.whys.push(why);
    else this.shown = capped;
  }

  /** Raises the total to `needed` if it is below; never lowers it. */
  need(needed: number, callsMade: number, why: string): void {
    if (Math.min(this.maxCalls, needed) > this.total) this.set(needed, callsMade, why);
  }

  /** What a progress event carries for the step `callsMade + 1`. */
  forProgress(callsMade: number): { steps: number; reason?: string } {
    const steps = Math.max(this.total, callsMade + 1);
    if (steps !== this.shown) {
      const n = Math.abs(steps - this.shown);
      const what = steps > this.shown ? (n === 1 ? 'One more step' : `${n} more steps`) : n === 1 ? 'One step fewer' : `${n} fewer steps`;
      const why = this.whys.length ? [...new Set(this.whys)].join('; ') : 'the review needed more calls than planned';
      this.reason = `${what}: ${why}`;
      this.whys.length = 0;
      this.shown = steps;
    }
    return this.reason ? { steps, reason: this.reason } : { steps };
  }
}
