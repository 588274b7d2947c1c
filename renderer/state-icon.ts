const SVG_NS = 'http://www.w3.org/2000/svg';

export type IconName = 'check' | 'hourglass' | 'signed-out' | 'attention' | 'cross' | 'clock' | 'offline';

/**
 * Each state has its own shape, so it reads without colour (UX.md). Strokes, 24-unit grid.
 * The word beside the icon carries the meaning; the icon itself is hidden from screen readers.
 */
const SHAPES: Record<IconName, { circle?: boolean; paths: string[] }> = {
  check: { circle: true, paths: ['M8 12.5l2.75 2.75L16.5 9.5'] },
  hourglass: { paths: ['M7 3.5h10M7 20.5h10', 'M8 3.5c0 4.5 8 4.5 8 8.5s-8 4-8 8.5', 'M16 3.5c0 4.5-8 4.5-8 8.5s8 4 8 8.5'] },
  'signed-out': { circle: true, paths: ['M8 12h8'] },
  attention: { paths: ['M12 3.5L21.5 20h-19z', 'M12 10v4.5', 'M12 17.25v.01'] },
  cross: { circle: true, paths: ['M9 9l6 6M15 9l-6 6'] },
  clock: { circle: true, paths: ['M12 7.5V12l3 2'] },
  offline: { paths: ['M2.5 9a14 14 0 0 1 19 0M5.5 12.5a9.5 9.5 0 0 1 13 0M9 16a4.5 4.5 0 0 1 6 0', 'M12 19.5v.01', 'M3.5 3.5l17 17'] },
};

export function stateIcon(name: IconName): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `icon icon-${name}`);
  const shape = SHAPES[name];
  if (shape.circle) {
    const circle = document.createElementNS(SVG_NS, 'circle');
    circle.setAttribute('cx', '12');
    circle.setAttribute('cy', '12');
    circle.setAttribute('r', '9');
    svg.append(circle);
  }
  for (const d of shape.paths) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/** Puts `name`'s icon into `slot`, replacing what was there. */
export function setIcon(slot: Element, name: IconName): void {
  slot.replaceChildren(stateIcon(name));
}
