// Draws the tray icons into assets/tray/ (or the folder given as the first argument):
// `node scripts/make-tray-icons.mjs`. The files are committed, so the app never draws at
// run time; test/unit/core/tray-icon-files.test.ts checks the committed files are what
// this draws, that each glyph fills its box, and that no two states look alike, and
// test/e2e/tray/ draws them in Chromium on dark and light panels (the contact sheet).
//
// Four states that differ by shape, not colour (UX.md "The tray"): the key alone (signed
// in), with a clock (signing in), with an exclamation mark (attention), with a cross
// (signed out). The key lies on the diagonal, so it fills the square box both ways (a
// horizontal key filled half its height); the marks sit in the corner it leaves free,
// apart from the key by at least a pixel at 16 px.
//
// What each platform loads (main/core/tray-icon-files.ts names them):
// - macOS: `<state>Template.png` 16 px and `@2x` 32 px, black on transparent; the menu
//   bar tints template images itself, for light and dark bars and the highlighted item.
// - Windows: `<state>-on-dark.ico` (white glyph) and `<state>-on-light.ico` (black
//   glyph), picked by the taskbar's theme, each with every size of Windows' small-icon
//   ladder (16, 20, 24, 32 px for 100 to 200% scaling, and 40, 48, 64 px beyond).
// - Linux: `<state>-panel.png`, 22 px (the usual KDE and Xfce tray size; GNOME's
//   AppIndicator extension scales it to its 16 px). Electron sends a StatusNotifierItem
//   only the 1x bitmap, so no @2x. No desktop tells an app its panel's colour, so the
//   glyph is white with a dark outline: white on a dark panel (GNOME, Xfce, Cinnamon),
//   outlined dark on a light one (Plasma 6's default).
import { Buffer } from 'node:buffer';
import { mkdir, writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';

const OUT = process.argv[2] ?? 'assets/tray';
/** Samples per pixel along each axis: 64 per pixel give smooth edges on diagonals. */
const SUPERSAMPLE = 8;
/** The glyph spans this share of the box on each side (UX: fill the box, not 40% of it). */
const MARGIN = 0.06;

// Shapes live in a unit square (0..1, y down). Each returns true where the glyph is inked.
const disk = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, outer, inner) => minus(disk(cx, cy, outer), disk(cx, cy, inner));
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const union = (...shapes) => (x, y) => shapes.some((s) => s(x, y));
const minus = (a, b) => (x, y) => a(x, y) && !b(x, y);
const distanceToSegment = (x, y, [ax, ay], [bx, by]) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
};
const line = (a, b, width) => (x, y) => distanceToSegment(x, y, a, b) <= width / 2;

/**
 * The key lies on the box's diagonal, head top-left and bit bottom-right, so it fills the
 * box both ways. `u` runs along the diagonal and `v` across it (positive toward the
 * bottom-left corner, where the teeth hang), in box units.
 */
const HEAD = { cx: 0.25, cy: 0.25, outer: 0.19, hole: 0.085 };
const SHAFT_HALF_WIDTH = 0.07;
/** Where the shaft ends along the diagonal: its outer corner touches the margin. */
const TIP_U = (1 - MARGIN) * Math.SQRT2 - SHAFT_HALF_WIDTH;
const along = (x, y) => (x + y) / Math.SQRT2;
const across = (x, y) => (y - x) / Math.SQRT2;
const diagonalRect = (u0, v0, u1, v1) => (x, y) => {
  const u = along(x, y);
  const v = across(x, y);
  return u >= u0 && u <= u1 && v >= v0 && v <= v1;
};
const key = union(
  ring(HEAD.cx, HEAD.cy, HEAD.outer, HEAD.hole),
  diagonalRect(along(HEAD.cx, HEAD.cy), -SHAFT_HALF_WIDTH, TIP_U, SHAFT_HALF_WIDTH),
  // Two teeth hanging off the shaft toward the bottom-left, away from the state marks.
  diagonalRect(TIP_U - 0.3, SHAFT_HALF_WIDTH, TIP_U - 0.19, 0.2),
  diagonalRect(TIP_U - 0.1, SHAFT_HALF_WIDTH, TIP_U, 0.17),
);

/**
 * The state marks sit in the top-right corner, the triangle the diagonal key leaves free,
 * clear of the key by at least a pixel at 16 px. Each has its own silhouette: a round
 * clock, a tall exclamation mark, a cross.
 */
const MARK = { cx: 0.74, cy: 0.26 };
const SHAPES = {
  // The key alone: credentials are there.
  'signed-in': key,
  // A clock: a sign-in is under way (static, no animation).
  'signing-in': union(
    key,
    ring(MARK.cx, MARK.cy, 0.21, 0.125),
    line([MARK.cx, MARK.cy], [MARK.cx, MARK.cy - 0.1], 0.07),
    line([MARK.cx, MARK.cy], [MARK.cx + 0.08, MARK.cy], 0.07),
  ),
  // An exclamation mark: a tool is waiting for you.
  attention: union(key, rect(0.75, MARGIN, 0.89, 0.38), rect(0.75, 0.46, 0.89, 0.6)),
  // A cross: no credentials.
  'signed-out': union(key, line([0.63, 0.09], [0.91, 0.37], 0.11), line([0.63, 0.37], [0.91, 0.09], 0.11)),
};

/** Coverage (0..1) of `shape` per pixel of a `size` × `size` image. */
function render(shape, size) {
  const coverage = new Float64Array(size * size);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let hits = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy += 1) {
        for (let sx = 0; sx < SUPERSAMPLE; sx += 1) {
          if (shape((px + (sx + 0.5) / SUPERSAMPLE) / size, (py + (sy + 0.5) / SUPERSAMPLE) / size)) hits += 1;
        }
      }
      coverage[py * size + px] = hits / SUPERSAMPLE ** 2;
    }
  }
  return coverage;
}

/** One colour over the glyph's coverage. */
function solid(shape, size, [r, g, b]) {
  const coverage = render(shape, size);
  const rgba = new Uint8Array(size * size * 4);
  coverage.forEach((c, i) => rgba.set([r, g, b, Math.round(255 * c)], i * 4));
  return rgba;
}

/** Dark enough for 3:1 against any light panel, soft enough not to look like a sticker on a dark one. */
const OUTLINE_GREY = 24;
/** Directions the outline reaches out in; 16 keep a round outline round. */
const OUTLINE_DIRECTIONS = Array.from({ length: 16 }, (_, k) => [Math.cos((k * Math.PI) / 8), Math.sin((k * Math.PI) / 8)]);

/**
 * A white glyph inside a dark outline `outlinePx` wide, drawn at `scale` of the box around
 * its centre so the outline stays inside it: readable on a panel of any colour.
 */
function outlined(shape, size, outlinePx, scale) {
  const inset = (x, y) => shape(0.5 + (x - 0.5) / scale, 0.5 + (y - 0.5) / scale);
  const reach = outlinePx / size;
  const halo = (x, y) => inset(x, y) || OUTLINE_DIRECTIONS.some(([dx, dy]) => inset(x + dx * reach, y + dy * reach));
  const glyph = render(inset, size);
  const all = render(halo, size);
  const rgba = new Uint8Array(size * size * 4);
  glyph.forEach((g, i) => {
    const alpha = Math.max(all[i], g);
    // White where the glyph is, near-black in the outline; colour is the glyph's share.
    const grey = alpha === 0 ? 0 : Math.round((255 * g) / alpha + OUTLINE_GREY * (1 - g / alpha));
    rgba.set([grey, grey, grey, Math.round(255 * alpha)], i * 4);
  });
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A minimal RGBA PNG: signature, IHDR, one IDAT (filter 0 per row), IEND. */
function encodePng(rgba, size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(size * (1 + size * 4));
  for (let y = 0; y < size; y += 1) raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (1 + size * 4) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An .ico of PNG entries, one per size, so the tray stays crisp from 100% to 400% scaling. */
function encodeIco(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, index) => {
    const entry = 6 + 16 * index;
    header.writeUInt8(size, entry);
    header.writeUInt8(size, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map(({ png }) => png)]);
}

const WINDOWS_SIZES = [16, 20, 24, 32, 40, 48, 64];
const LINUX_SIZE = 22;
/** Wide enough to survive GNOME scaling the 22 px file down to 16 px. */
const OUTLINE_PX = 1.5;
/**
 * The Linux glyph shrinks so its outline ends about a pixel inside the box, while the white
 * alone, all a dark panel shows, still spans 78% of it.
 */
const LINUX_GLYPH_SCALE = 0.89;
const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];

await mkdir(OUT, { recursive: true });
for (const [state, shape] of Object.entries(SHAPES)) {
  await writeFile(`${OUT}/${state}Template.png`, encodePng(solid(shape, 16, BLACK), 16));
  await writeFile(`${OUT}/${state}Template@2x.png`, encodePng(solid(shape, 32, BLACK), 32));
  for (const [variant, colour] of [['on-dark', WHITE], ['on-light', BLACK]]) {
    const images = WINDOWS_SIZES.map((size) => ({ size, png: encodePng(solid(shape, size, colour), size) }));
    await writeFile(`${OUT}/${state}-${variant}.ico`, encodeIco(images));
  }
  await writeFile(`${OUT}/${state}-panel.png`, encodePng(outlined(shape, LINUX_SIZE, OUTLINE_PX, LINUX_GLYPH_SCALE), LINUX_SIZE));
}
console.log(`Wrote the tray icons (PNG for macOS and Linux, ICO for Windows) to ${OUT}/`);
