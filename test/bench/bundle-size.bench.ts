import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';

/** The built renderer's size (run `npm run build:renderer` first). */
export async function benchBundleSize(dir = 'dist/renderer/assets'): Promise<{ files: number; bytes: number; gzipBytes: number }> {
  const names = await readdir(dir);
  let bytes = 0;
  let gzipBytes = 0;
  for (const name of names.filter((n) => n.endsWith('.js') || n.endsWith('.css'))) {
    const path = join(dir, name);
    bytes += (await stat(path)).size;
    gzipBytes += gzipSync(await readFile(path)).length;
  }
  return { files: names.length, bytes, gzipBytes };
}
