import type { RgbaImage } from './png-image';

/** An 8-bit colour. */
export type Rgb = readonly [number, number, number];

/** WCAG relative luminance of an 8-bit colour. */
export function luminance([r, g, b]: Rgb): number {
  const channel = (c: number): number => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** WCAG 2 contrast ratio of two relative luminances. */
export function contrast(a: number, b: number): number {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/** UX.md: icons stand out 3:1 from what is behind them. */
export const ICON_CONTRAST = 3;

/** The image drawn over `panel` (its alpha blended in), as one relative luminance per pixel. */
export function onPanel(image: RgbaImage, panel: Rgb): Float64Array {
  const drawn = new Float64Array(image.width * image.height);
  for (let pixel = 0; pixel < drawn.length; pixel += 1) {
    const alpha = (image.rgba[pixel * 4 + 3] ?? 0) / 255;
    const blend = (c: 0 | 1 | 2): number => (image.rgba[pixel * 4 + c] ?? 0) * alpha + panel[c] * (1 - alpha);
    drawn[pixel] = luminance([blend(0), blend(1), blend(2)]);
  }
  return drawn;
}

/** The share of the box, across and down, spanned by the pixels that stand out 3:1 from `panel`. */
export function visibleSpan(drawn: Float64Array, size: number, panel: Rgb): { across: number; down: number } {
  const background = luminance(panel);
  let [left, top, right, bottom] = [size, size, -1, -1];
  drawn.forEach((value, pixel) => {
    if (contrast(value, background) < ICON_CONTRAST) return;
    const [x, y] = [pixel % size, Math.floor(pixel / size)];
    [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
  });
  return { across: Math.max(0, right - left + 1) / size, down: Math.max(0, bottom - top + 1) / size };
}

/**
 * How far apart two icons look on `panel`: of the pixels where either stands out 3:1 from
 * the panel, the share where the two differ 3:1 from each other.
 */
export function visibleDifference(a: Float64Array, b: Float64Array, panel: Rgb): number {
  const background = luminance(panel);
  let seen = 0;
  let differing = 0;
  a.forEach((valueA, pixel) => {
    const valueB = b[pixel] ?? background;
    if (contrast(valueA, background) < ICON_CONTRAST && contrast(valueB, background) < ICON_CONTRAST) return;
    seen += 1;
    if (contrast(valueA, valueB) >= ICON_CONTRAST) differing += 1;
  });
  return seen === 0 ? 0 : differing / seen;
}
