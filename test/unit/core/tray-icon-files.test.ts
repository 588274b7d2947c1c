import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trayIconFile, type PanelTheme } from '../../../main/core/tray-icon-files';
import type { TrayState } from '../../../main/core/tray-model';
import { contrast, ICON_CONTRAST, luminance, onPanel, visibleDifference, type Rgb } from '../../support/icon-pixels';
import { decodeIco, decodePng, type RgbaImage } from '../../support/png-image';

const ICON_DIR = 'assets/tray';
const STATES: readonly TrayState[] = ['signed-in', 'signing-in', 'attention', 'signed-out'];

/**
 * What each platform's tray shows, and so the sizes each loaded file must hold: macOS a
 * 16 pt template (its @2x for Retina); Windows the small-icon ladder from 100% to 400%
 * scaling; Linux the one 22 px bitmap Electron hands the StatusNotifierItem host.
 */
const BLACK_PANEL: Rgb = [0, 0, 0]; // GNOME's top bar
const DARK_TASKBAR: Rgb = [0x20, 0x20, 0x20]; // Windows 11, dark
const LIGHT_TASKBAR: Rgb = [0xf3, 0xf3, 0xf3]; // Windows 11, light; macOS's light menu bar is as light
const LIGHT_PANEL: Rgb = [0xef, 0xf0, 0xf1]; // Plasma 6's default Breeze panel

/**
 * What each platform's tray shows, the sizes each loaded file must hold, and the panels it
 * is seen on: macOS a 16 pt template (its @2x for Retina), drawn black as on a light menu
 * bar; Windows the small-icon ladder from 100% to 400% scaling; Linux the one 22 px bitmap
 * Electron hands the StatusNotifierItem host, on dark and light panels alike.
 */
const PLATFORMS: ReadonlyArray<{ platform: string; panel: PanelTheme; sizes: readonly number[]; seenOn: readonly Rgb[] }> = [
  { platform: 'darwin', panel: 'unknown', sizes: [16, 32], seenOn: [LIGHT_TASKBAR] },
  { platform: 'win32', panel: 'dark', sizes: [16, 20, 24, 32, 40, 48, 64], seenOn: [DARK_TASKBAR] },
  { platform: 'win32', panel: 'light', sizes: [16, 20, 24, 32, 40, 48, 64], seenOn: [LIGHT_TASKBAR] },
  { platform: 'linux', panel: 'unknown', sizes: [22], seenOn: [BLACK_PANEL, LIGHT_PANEL] },
];

/** The images behind a loaded name, by pixel size: an ICO's entries, or a PNG and its @2x. */
async function imagesOf(dir: string, name: string): Promise<Map<number, RgbaImage>> {
  if (name.endsWith('.ico')) return decodeIco(await readFile(join(dir, name)));
  const images = new Map<number, RgbaImage>();
  for (const file of [name, name.replace(/\.png$/, '@2x.png')]) {
    if (!existsSync(join(dir, file))) continue;
    const image = decodePng(await readFile(join(dir, file)));
    images.set(image.width, image);
  }
  return images;
}

function alphaAt(image: RgbaImage, pixel: number): number {
  return image.rgba[pixel * 4 + 3] ?? 0;
}

/** The share of the box the glyph's ink (alpha at least half) spans, across and down. */
function fill(image: RgbaImage): { across: number; down: number } {
  let [left, top, right, bottom] = [image.width, image.height, -1, -1];
  for (let y = 0; y < image.height; y += 1) {
    for (let x = 0; x < image.width; x += 1) {
      if (alphaAt(image, y * image.width + x) < 128) continue;
      [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
    }
  }
  return { across: (right - left + 1) / image.width, down: (bottom - top + 1) / image.height };
}

/** The share of the pixels the glyph covers (alpha at least half) that stand out 3:1 from `panel`. */
function visibleShare(image: RgbaImage, panel: Rgb): number {
  const background = luminance(panel);
  const drawn = onPanel(image, panel);
  let covered = 0;
  let visible = 0;
  drawn.forEach((value, pixel) => {
    if (alphaAt(image, pixel) < 128) return;
    covered += 1;
    if (contrast(value, background) >= ICON_CONTRAST) visible += 1;
  });
  return visible / covered;
}

const loaded = PLATFORMS.flatMap(({ platform, panel, sizes, seenOn }) =>
  STATES.map((state) => ({ platform, panel, state, sizes, seenOn, name: trayIconFile(state, platform, panel).name })),
);

describe('the tray icon files', () => {
  it.each(loaded)('$platform ($panel panel) loads $name, with every size it needs', async ({ name, sizes }) => {
    const images = await imagesOf(ICON_DIR, name);
    expect([...images.keys()].sort((a, b) => a - b)).toEqual(sizes);
    for (const [size, image] of images) expect([image.width, image.height]).toEqual([size, size]);
  });

  it.each(loaded)('$name fills at least 80% of its box, across and down, at every size', async ({ name }) => {
    for (const [size, image] of await imagesOf(ICON_DIR, name)) {
      const { across, down } = fill(image);
      expect({ size, across: across >= 0.8, down: down >= 0.8 }).toEqual({ size, across: true, down: true });
    }
  });

  it.each(PLATFORMS)('no two states look alike at the same size on $platform ($panel panel)', async ({ platform, panel, sizes, seenOn }) => {
    const byState = await Promise.all(STATES.map(async (state) => ({ state, images: await imagesOf(ICON_DIR, trayIconFile(state, platform, panel).name) })));
    for (const [size, colour] of sizes.flatMap((size) => seenOn.map((colour) => [size, colour] as const))) {
      for (const [i, a] of byState.entries()) {
        for (const b of byState.slice(i + 1)) {
          // At least a sixth of what shows differs: the state marks are whole shapes, not a few pixels.
          const share = visibleDifference(onPanel(a.images.get(size) as RgbaImage, colour), onPanel(b.images.get(size) as RgbaImage, colour), colour);
          const pair = `${a.state} / ${b.state} at ${size} px on ${colour.join(',')}`;
          expect({ pair, distinct: share >= 1 / 6 }).toEqual({ pair, distinct: true });
        }
      }
    }
  });

  it.each(loaded)('$name stands out 3:1 on every panel $platform shows it on', async ({ name, seenOn }) => {
    for (const [size, image] of await imagesOf(ICON_DIR, name)) {
      for (const colour of seenOn) {
        // Most of what the glyph covers: a white glyph in a dark outline shows one or the other.
        const visible = visibleShare(image, colour) >= 0.5;
        expect({ size, panel: colour.join(','), visible }).toEqual({ size, panel: colour.join(','), visible: true });
      }
    }
  });
});

describe('scripts/make-tray-icons.mjs', () => {
  let fresh: string;
  beforeAll(async () => {
    fresh = await mkdtemp(join(tmpdir(), 'latchkey-tray-icons-'));
    await promisify(execFile)(process.execPath, ['scripts/make-tray-icons.mjs', fresh]);
  }, 60_000);
  afterAll(() => rm(fresh, { recursive: true, force: true }));

  it('drew the committed icons, and assets/tray holds nothing else', async () => {
    const names = (await readdir(fresh)).sort();
    expect((await readdir(ICON_DIR)).sort()).toEqual(names);
    for (const name of names) {
      const [committed, drawn] = await Promise.all([imagesOf(ICON_DIR, name), imagesOf(fresh, name)]);
      // Pixels, not bytes: another zlib may compress the same pixels differently.
      for (const [size, image] of drawn) expect({ name, size, same: Buffer.from(committed.get(size)?.rgba ?? []).equals(Buffer.from(image.rgba)) }).toEqual({ name, size, same: true });
    }
  });
});
