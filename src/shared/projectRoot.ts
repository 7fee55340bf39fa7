import fs from 'node:fs';
import path from 'node:path';

/** The directory holding package.json: works from src/ (tsx) and from dist/src/ (built). */
export function projectRoot(start: string = __dirname): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${start}`);
    dir = parent;
  }
  return dir;
}
