// Draws the app icon (build/icon.png, 1024x1024) from geometry, so it can be regenerated and
// reviewed as code: a rounded square in the NNS dapp's dark blue, a neuron (three nodes joined to a
// central body) in ICP's gradient colours. electron-builder derives .icns and .ico from it.
// `npx tsx build/make-icon.ts`.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 1024;
const SS = 3; // supersampling per axis

type RGBA = [number, number, number, number];
const dist = (x: number, y: number, ax: number, ay: number) => Math.hypot(x - ax, y - ay);
function segDist(px: number, py: number, ax: number, ay: number, bx: number, by: number) {
  const t = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return dist(px, py, ax + t * (bx - ax), ay + t * (by - ay));
}
const mix = (a: number[], b: number[], t: number) => a.map((v, i) => v + (b[i] - v) * t);

const body = [512, 560];
const nodes = [
  [250, 300],
  [790, 280],
  [640, 840],
];
const pink = [237, 30, 121];
const purple = [82, 39, 133];
const orange = [251, 176, 59];

function sample(x: number, y: number): RGBA {
  // Rounded square with margin.
  const m = 40;
  const r = 200;
  const cx = Math.min(Math.max(x, m + r), N - m - r);
  const cy = Math.min(Math.max(y, m + r), N - m - r);
  if (dist(x, y, cx, cy) > r) return [0, 0, 0, 0];
  let c = mix([24, 30, 64], [10, 14, 36], y / N);
  for (const [i, [nx, ny]] of nodes.entries()) {
    const col = mix(pink, i === 0 ? orange : purple, 0.5);
    if (segDist(x, y, body[0], body[1], nx, ny) < 26) c = mix(col, [255, 255, 255], 0.15);
  }
  for (const [i, [nx, ny]] of nodes.entries()) {
    const d = dist(x, y, nx, ny);
    if (d < 86) c = mix(i === 0 ? orange : i === 1 ? pink : purple, [255, 255, 255], d < 40 ? 0.35 : 0);
  }
  const d = dist(x, y, body[0], body[1]);
  if (d < 150) c = mix(mix(pink, orange, (x - 362) / 300), [255, 255, 255], d < 70 ? 0.85 : 0);
  return [c[0], c[1], c[2], 255];
}

const raw = Buffer.alloc((N * 4 + 1) * N);
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0;
  for (let x = 0; x < N; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++)
      for (let sx = 0; sx < SS; sx++) {
        const s = sample(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        for (let k = 0; k < 3; k++) acc[k] += s[k] * s[3];
        acc[3] += s[3];
      }
    const o = y * (N * 4 + 1) + 1 + x * 4;
    const a = acc[3] / (SS * SS);
    for (let k = 0; k < 3; k++) raw[o + k] = acc[3] ? Math.round(acc[k] / acc[3]) : 0;
    raw[o + 3] = Math.round(a);
  }
}

function chunk(type: string, data: Buffer) {
  const t = Buffer.from(type, 'ascii');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([t, data])));
  return Buffer.concat([len, t, data, crc]);
}
function crc32(b: Buffer) {
  let c = 0xffffffff;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8;
ihdr[9] = 6; // RGBA
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(new URL('./icon.png', import.meta.url), png);
console.log(`build/icon.png: ${N}x${N}, ${png.length} bytes`);
