import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../main/ipc-contract/intents.js';
import { CUSTOMER_SCREEN_IDS } from '../../../main/ipc-contract/view.js';

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiosk-voice-'));
  await run(process.execPath, ['--import', 'tsx', 'renderer/voice/build-voice.ts', dir]);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A RIFF/WAVE file's 16-bit PCM samples, read from its `fmt ` and `data` chunks. */
function pcm16(wav: Buffer): { rate: number; samples: Int16Array } {
  expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
  expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
  let rate = 0;
  for (let at = 12; at + 8 <= wav.length; ) {
    const id = wav.toString('ascii', at, at + 4);
    // A header that overstates a chunk (a stream cut short) is bounded by the file's end.
    const size = Math.min(wav.readUInt32LE(at + 4), wav.length - at - 8);
    if (id === 'fmt ') {
      expect(wav.readUInt16LE(at + 8)).toBe(1); // PCM
      expect(wav.readUInt16LE(at + 22)).toBe(16); // bits per sample
      rate = wav.readUInt32LE(at + 12);
    }
    if (id === 'data') {
      const body = wav.subarray(at + 8, at + 8 + size - (size % 2));
      return { rate, samples: new Int16Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length)) };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}

function rms(samples: Int16Array): number {
  let sum = 0;
  for (const s of samples) sum += (s / 32768) ** 2;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

describe('voice prompts', () => {
  // Customers' screens only: the technician's screens are silent (SCREEN_TRAITS.spoken).
  it.each(LANGUAGES.flatMap((language) => [...CUSTOMER_SCREEN_IDS, 'moreTime'].map((screen) => [language, screen] as const)))(
    '%s %s is speech: at least half a second and not silent',
    async (language, screen) => {
      const { rate, samples } = pcm16(await readFile(join(dir, language, `${screen}.wav`)));
      expect(samples.length / rate).toBeGreaterThan(0.5);
      // Digital silence is 0 and room noise in a quiet recording is ~0.001; espeak speech is ~0.1.
      expect(rms(samples)).toBeGreaterThan(0.02);
    },
  );
});
