/**
 * The emulator's notion of now. Every expiry and poll-gap check reads it, so tests
 * move it forward through `POST /_emulator/clock` instead of sleeping.
 */
export class EmulatorClock {
  private offsetMs = 0;

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}
