/**
 * Draws the Teams app icons and writes them to appPackage/:
 * - color.png: 192×192, a white key on a teal tile (full colour, opaque);
 * - outline.png: 32×32, the same key in white on a transparent background.
 *
 * Run: npx tsx scripts/make-icons.ts   (the PNGs are committed; rerun only to change the design)
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

type Rgb = [number, number, number];

const TEAL: Rgb = [0x0e, 0x7c, 0x86];
const WHITE: Rgb = [255, 255, 255];
/** Samples per pixel side: 4×4 supersampling gives smooth edges without a drawing library. */
const SAMPLES = 4;

/**
 * Is the point (x, y) of the key's own coordinate system on the key?
 * The key lies along the x axis: a ring (bow) centred at the origin, a shaft to the right, two teeth below it.
 */
function onKey(x: number, y: number): boolean {
  const distance = Math.hypot(x, y);
  const onBow = distance <= 0.2 && distance >= 0.085;
  const onShaft = x >= 0.17 && x <= 0.66 && Math.abs(y) <= 0.05;
  const onFirstTooth = x >= 0.47 && x <= 0.54 && y >= 0 && y <= 0.15;
  const onSecondTooth = x >= 0.58 && x <= 0.66 && y >= 0 && y <= 0.12;
  return onBow || onShaft || onFirstTooth || onSecondTooth;
}

/** Share (0..1) of the unit-square pixel area covered by the key, drawn at 45° and scaled by `scale` around the centre. */
function keyCoverage(px: number, py: number, size: number, scale: number): number {
  const angle = -Math.PI / 4;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // The key's bounding box centre in its own coordinates, so the drawing sits in the middle of the icon.
  const centreX = 0.23;
  const centreY = -0.02;
  let covered = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const u = (px + (sx + 0.5) / SAMPLES) / size - 0.5;
      const v = (py + (sy + 0.5) / SAMPLES) / size - 0.5;
      // Undo the rotation and scale to land in the key's coordinates.
      const x = (u * cos + v * sin) / scale + centreX;
      const y = (-u * sin + v * cos) / scale + centreY;
      if (onKey(x, y)) covered++;
    }
  }
  return covered / (SAMPLES * SAMPLES);
}

function drawColorIcon(): PNG {
  const size = 192;
  const png = new PNG({ width: size, height: size, colorType: 6 });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const share = keyCoverage(x, y, size, 0.9);
      const offset = (y * size + x) * 4;
      for (let channel = 0; channel < 3; channel++) {
        png.data[offset + channel] = Math.round(TEAL[channel] * (1 - share) + WHITE[channel] * share);
      }
      png.data[offset + 3] = 255;
    }
  }
  return png;
}

function drawOutlineIcon(): PNG {
  const size = 32;
  const png = new PNG({ width: size, height: size, colorType: 6 });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const share = keyCoverage(x, y, size, 1.05);
      const offset = (y * size + x) * 4;
      // Teams wants white on transparent: the colour stays white, only the alpha carries the shape.
      png.data[offset] = 255;
      png.data[offset + 1] = 255;
      png.data[offset + 2] = 255;
      png.data[offset + 3] = Math.round(share * 255);
    }
  }
  return png;
}

const appPackageDir = path.resolve(__dirname, '..', 'appPackage');
fs.writeFileSync(path.join(appPackageDir, 'color.png'), PNG.sync.write(drawColorIcon()));
fs.writeFileSync(path.join(appPackageDir, 'outline.png'), PNG.sync.write(drawOutlineIcon()));
process.stdout.write(`Wrote ${path.join(appPackageDir, 'color.png')} and outline.png\n`);
