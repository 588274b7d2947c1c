import { recordCounts } from './suite-size';

/**
 * What one durability scenario counted, for docs/reliability.md: every file writes its
 * own record (`durability-<scenario>`), since vitest runs each file in its own worker.
 */
export class DurabilityTally {
  private kills = 0;
  private restarts = 0;
  private recordsChecked = 0;
  private survivedKills = 0;
  private lostSessions = 0;
  private readonly killDelaysMs: number[] = [];
  private readonly extra: Record<string, number> = {};

  constructor(private readonly scenario: string) {}

  kill(delayMs: number): void {
    this.kills += 1;
    this.killDelaysMs.push(delayMs);
  }

  restart(): void {
    this.restarts += 1;
  }

  checked(records: number): void {
    this.recordsChecked += records;
  }

  /** The kill was survived: everything the scenario promises held after the restart. */
  survived(): void {
    this.survivedKills += 1;
  }

  /**
   * The kill cost the sign-in in the one way no client can prevent (a rotated refresh
   * token lost on its way back), and everything promised for that case held.
   */
  lost(): void {
    this.lostSessions += 1;
  }

  /** A scenario's own counter (kills that landed in a given phase, stray temp files seen...). */
  count(name: string, by = 1): void {
    this.extra[name] = (this.extra[name] ?? 0) + by;
  }

  record(): void {
    if (this.kills === 0) return;
    const sorted = [...this.killDelaysMs].sort((a, b) => a - b);
    recordCounts(`durability-${this.scenario}`, {
      scenario: this.scenario,
      kills: this.kills,
      killsSurvived: this.survivedKills,
      sessionsLostToARotationInFlight: this.lostSessions,
      // A kill after which an assertion failed ends the test: it is counted here.
      failuresFound: this.kills - this.survivedKills - this.lostSessions,
      restarts: this.restarts,
      recordsChecked: this.recordsChecked,
      killDelayMs: { min: sorted[0] ?? 0, max: sorted.at(-1) ?? 0 },
      ...this.extra,
    });
  }
}
