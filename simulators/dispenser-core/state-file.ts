import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A JSON file replaced atomically: write a temporary file, rename it over the
 * old one. The power cut the simulators model is the death of their process
 * (SIGKILL); the kernel's page cache outlives that, so the rename alone
 * leaves either the old or the new state, never a torn one, without the cost
 * of an fsync per note. Synchronous on purpose: the next note must not move
 * before its predecessor is recorded.
 */
export class StateFile<T> {
  constructor(readonly path: string) {}

  read(): T | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return JSON.parse(text) as T;
  }

  write(state: T): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, JSON.stringify(state));
    renameSync(temporary, this.path);
  }
}
