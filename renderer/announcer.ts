import { byId } from './dom';

/**
 * The page's two live regions: one polite region for state and countdown milestones,
 * and one alert region kept for denied, expired and errors (UX.md, Accessibility).
 */
export class Announcer {
  private readonly polite = byId('announce');
  private readonly alert = byId('alert');

  say(text: string): void {
    speak(this.polite, text);
  }

  warn(text: string): void {
    speak(this.alert, text);
  }
}

function speak(region: HTMLElement, text: string): void {
  // Emptying first makes a repeated sentence count as a change, so it is read again.
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}
