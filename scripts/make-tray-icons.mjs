// Draws the tray icons into assets/tray/: four states that differ by shape, not colour
// (UX.md "The tray"), at 16 px and 32 px (@2x). Run with `node scripts/make-tray-icons.mjs`;
// the PNGs are committed, so the app never draws at runtime.
//
// Variants: `<state>Template.png` (black + alpha; macOS tints template images for light and
// dark menu bars), `<state>-on-dark.png` (white glyph) and `<state>-on-light.png` (black
// glyph) for Windows and Linux, picked by the system theme.
import { Buffer } from 'node:buffer';
import { mkdir, writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';

const OUT = 'assets/tray';
const SUPERSAMPLE = 4;

// Shapes live in a unit square (0..1, y down). Each returns true where the glyph is inked.
const disk = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const union = (...shapes) => (x, y) => shapes.some((s) => s(x, y));
const minus = (a, b) => (x, y) => a(x, y) && !b(x, y);
const distanceToSegment = (x, y, [ax, ay], [bx, by]) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
};
const line = (a, b, width) => (x, y) => distanceToSegment(x, y, a, b) <= width / 2;

function key(dy = 0, { outlined = false, dashed = false } = {}) {
  const head = outlined
    ? minus(disk(0.3, 0.5 + dy, 0.24), disk(0.3, 0.5 + dy, 0.15))
    : minus(disk(0.3, 0.5 + dy, 0.24), disk(0.3, 0.5 + dy, 0.08));
  const shaft = dashed
    ? union(rect(0.52, 0.44 + dy, 0.62, 0.56 + dy), rect(0.7, 0.44 + dy, 0.8, 0.56 + dy), rect(0.88, 0.44 + dy, 0.97, 0.56 + dy))
    : rect(0.5, 0.44 + dy, 0.97, 0.56 + dy);
  const teeth = dashed ? () => false : union(rect(0.74, 0.56 + dy, 0.82, 0.72 + dy), rect(0.89, 0.56 + dy, 0.97, 0.68 + dy));
  return union(head, shaft, teeth);
}

const SHAPES = {
  // A solid key: credentials are there.
  'signed-in': key(),
  // An outlined key with a broken shaft: something is under way (static, no animation).
  'signing-in': key(0, { outlined: true, dashed: true }),
  // A key with an exclamation mark: a tool is waiting for you.
  attention: union(key(0.14), rect(0.8, 0.02, 0.94, 0.3), rect(0.8, 0.36, 0.94, 0.48)),
  // A key struck through, with a clear gap around the stroke so it reads at 16 px.
  'signed-out': union(
    minus(key(), line([0.04, 0.96], [0.96, 0.04], 0.26)),
    line([0.08, 0.92], [0.92, 0.08], 0.1),
  ),
};

function render(shape, size) {
  const alpha = new Uint8Array(size * size);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let hits = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy += 1) {
        for (let sx = 0; sx < SUPERSAMPLE; sx += 1) {
          if (shape((px + (sx + 0.5) / SUPERSAMPLE) / size, (py + (sy + 0.5) / SUPERSAMPLE) / size)) hits += 1;
        }
      }
      alpha[py * size + px] = Math.round((255 * hits) / SUPERSAMPLE ** 2);
    }
  }
  return alpha;
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
function encodePng(alpha, size, [r, g, b]) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const raw = Buffer.alloc(size * (1 + size * 4));
  for (let y = 0; y < size; y += 1) {
    const row = y * (1 + size * 4);
    for (let x = 0; x < size; x += 1) {
      const at = row + 1 + x * 4;
      raw[at] = r;
      raw[at + 1] = g;
      raw[at + 2] = b;
      raw[at + 3] = alpha[y * size + x];
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Windows wants an .ico with several sizes, so the tray stays crisp at 100% to 300% scaling. */
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

const VARIANTS = [
  ['Template', [0, 0, 0]],
  ['-on-dark', [255, 255, 255]],
  ['-on-light', [0, 0, 0]],
];

await mkdir(OUT, { recursive: true });
for (const [state, shape] of Object.entries(SHAPES)) {
  for (const [suffix, colour] of VARIANTS) {
    for (const [scale, size] of [['', 16], ['@2x', 32]]) {
      await writeFile(`${OUT}/${state}${suffix}${scale}.png`, encodePng(render(shape, size), size, colour));
    }
    if (suffix !== 'Template') {
      const images = [16, 24, 32, 48].map((size) => ({ size, png: encodePng(render(shape, size), size, colour) }));
      await writeFile(`${OUT}/${state}${suffix}.ico`, encodeIco(images));
    }
  }
}
console.log(`Wrote the tray icons (PNG, and ICO for Windows) to ${OUT}/`);
