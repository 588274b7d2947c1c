import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trayIconFile, type PanelTheme } from '../../../main/core/tray-icon-files';
import type { TrayState } from '../../../main/core/tray-model';
import { onPanel, visibleDifference, visibleSpan, type Rgb } from '../../support/icon-pixels';
import { decodeIco, decodePng, type RgbaImage } from '../../support/png-image';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SHEET = 'test-results/screenshots/tray-icons.png';
const ICON_DIR = 'assets/tray';
const STATES: readonly TrayState[] = ['signed-in', 'signing-in', 'attention', 'signed-out'];
/** 16 px: Windows at 100%, GNOME, macOS; 22 px: KDE and Xfce panels. */
const SIZES = [16, 22] as const;
/** Each icon sits centred in a cell this wide, so neighbours never touch. */
const CELL = 30;
/** The contact sheet repeats the screenshot this many times larger, pixel for pixel. */
const ZOOM = 6;

const haveBrowser = existsSync(CHROMIUM);
const mustRun = process.env.LATCHKEY_REQUIRE_BROWSER === '1';
if (!haveBrowser && !mustRun) console.warn(`Skipping the tray icons' contact sheet: ${CHROMIUM} is missing (apt-get install chromium).`);

/**
 * A column of the sheet: one platform's file for one panel. macOS's dark menu bar tints
 * the black template white, so that column inverts it, as the system would.
 */
interface Column {
  label: string;
  platform: string;
  panel: PanelTheme;
  background: Rgb;
  tintWhite: boolean;
}
const COLUMNS: readonly Column[] = [
  { label: 'macOS dark', platform: 'darwin', panel: 'unknown', background: [0x26, 0x26, 0x26], tintWhite: true },
  { label: 'macOS light', platform: 'darwin', panel: 'unknown', background: [0xf0, 0xf0, 0xf0], tintWhite: false },
  { label: 'Windows dark', platform: 'win32', panel: 'dark', background: [0x20, 0x20, 0x20], tintWhite: false },
  { label: 'Windows light', platform: 'win32', panel: 'light', background: [0xf3, 0xf3, 0xf3], tintWhite: false },
  { label: 'GNOME (black)', platform: 'linux', panel: 'unknown', background: [0, 0, 0], tintWhite: false },
  { label: 'Plasma (light)', platform: 'linux', panel: 'unknown', background: [0xef, 0xf0, 0xf1], tintWhite: false },
];

function dataUrl(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}

/**
 * The image a platform would scale into a `size` px slot: the smallest one at least that
 * large (an ICO's entry, or a PNG's @2x), as a PNG data URL the page scales down itself.
 */
async function sourceFor(name: string, size: number): Promise<string> {
  const bytes = await readFile(join(ICON_DIR, name));
  if (name.endsWith('.ico')) {
    const sizes = [...decodeIco(bytes).keys()].sort((a, b) => a - b);
    const chosen = sizes.find((s) => s >= size) ?? sizes.at(-1);
    return dataUrl(icoEntry(bytes, chosen ?? 0));
  }
  const retina = join(ICON_DIR, name.replace(/\.png$/, '@2x.png'));
  if (decodePng(bytes).width < size && existsSync(retina)) return dataUrl(await readFile(retina));
  return dataUrl(bytes);
}

function icoEntry(ico: Buffer, size: number): Buffer {
  for (let index = 0; index < ico.readUInt16LE(4); index += 1) {
    const entry = 6 + 16 * index;
    if ((ico[entry] || 256) === size) return ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8));
  }
  throw new Error(`no ${size} px entry`);
}

/** The cells, column by column (COLUMNS × SIZES), each with its four states top to bottom. */
const cells = COLUMNS.flatMap((column) => SIZES.map((size) => ({ column, size })));

function rgb([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

async function sheetHtml(): Promise<string> {
  const columns = await Promise.all(
    cells.map(async ({ column, size }) => {
      const icons = await Promise.all(
        STATES.map(async (state) => {
          const src = await sourceFor(trayIconFile(state, column.platform, column.panel).name, size);
          const filter = column.tintWhite ? 'filter: invert(1);' : '';
          return `<div style="width:${CELL}px;height:${CELL}px;display:flex;align-items:center;justify-content:center;background:${rgb(column.background)}"><img src="${src}" style="width:${size}px;height:${size}px;${filter}"></div>`;
        }),
      );
      return `<div>${icons.join('')}</div>`;
    }),
  );
  return `<body style="margin:0"><div id="sheet" style="display:flex">${columns.join('')}</div></body>`;
}

/** The icon's own box inside a cell of the screenshot, as the panel shows it. */
function iconInCell(shot: RgbaImage, cellIndex: number, stateIndex: number, size: number): RgbaImage {
  const offset = (CELL - size) / 2;
  const [left, top] = [cellIndex * CELL + Math.floor(offset), stateIndex * CELL + Math.floor(offset)];
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y += 1) rgba.set(shot.rgba.subarray(((top + y) * shot.width + left) * 4, ((top + y) * shot.width + left + size) * 4), y * size * 4);
  return { width: size, height: size, rgba };
}

describe.skipIf(!haveBrowser && !mustRun)('the tray icons drawn by Chromium on dark and light panels', { timeout: 30_000 }, () => {
  let browser: Browser;
  let shot: RgbaImage;

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: cells.length * CELL, height: STATES.length * CELL }, deviceScaleFactor: 1 });
    await page.setContent(await sheetHtml());
    await page.waitForFunction(() => [...document.images].every((image) => image.complete && image.naturalWidth > 0));
    const png = await page.locator('#sheet').screenshot();
    shot = decodePng(png);
    // The contact sheet: the panels at their real size, then every pixel of them magnified, with labels.
    const labels = cells.map(({ column, size }) => `<div style="width:${CELL * ZOOM}px">${column.label} ${size} px</div>`).join('');
    const sheet = await browser.newPage({ viewport: { width: cells.length * CELL * ZOOM, height: 100 } });
    await sheet.setContent(
      `<body style="margin:8px 0;background:#808080;font:14px sans-serif"><img src="${dataUrl(png)}"><div style="display:flex">${labels}</div>` +
        `<img src="${dataUrl(png)}" style="width:${shot.width * ZOOM}px;image-rendering:pixelated"></body>`,
    );
    await mkdir('test-results/screenshots', { recursive: true });
    await writeFile(SHEET, await sheet.screenshot({ fullPage: true }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it.each(cells.map((cell, index) => ({ ...cell, index, label: cell.column.label })))(
    'on $label at $size px every state spans at least 75% of its box in pixels that stand out 3:1',
    ({ column, size, index }) => {
      for (const [stateIndex, state] of STATES.entries()) {
        const span = visibleSpan(onPanel(iconInCell(shot, index, stateIndex, size), column.background), size, column.background);
        // A little under the files' 80%: scaling 22 px to 16 px softens the outermost pixels.
        expect({ state, across: span.across >= 0.75, down: span.down >= 0.75 }).toEqual({ state, across: true, down: true });
      }
    },
  );

  it.each(cells.map((cell, index) => ({ ...cell, index, label: cell.column.label })))(
    'on $label at $size px no two states look alike',
    ({ column, size, index }) => {
      const drawn = STATES.map((state, stateIndex) => ({ state, pixels: onPanel(iconInCell(shot, index, stateIndex, size), column.background) }));
      for (const [i, a] of drawn.entries()) {
        for (const b of drawn.slice(i + 1)) {
          const pair = `${a.state} / ${b.state}`;
          expect({ pair, distinct: visibleDifference(a.pixels, b.pixels, column.background) >= 1 / 6 }).toEqual({ pair, distinct: true });
        }
      }
    },
  );
});
