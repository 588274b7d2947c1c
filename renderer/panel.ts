import { byId, show } from './dom';

/** One of the window's two panels (the prompt, the sessions list): shown one at a time. */
export class Panel {
  protected readonly root: HTMLElement;
  protected readonly heading: HTMLElement;

  constructor(rootId: string, headingId: string) {
    this.root = byId(rootId);
    this.heading = byId(headingId);
  }

  get visible(): boolean {
    return !this.root.hidden;
  }

  setVisible(visible: boolean): void {
    show(this.root, visible);
  }

  /** Focus goes to the heading when a panel opens, so a screen reader starts there. */
  focusHeading(): void {
    this.heading.focus();
  }
}
