import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Build step: speaks every `voice.<screen>` prompt of each catalogue into
 * dist/renderer/voice/<lang>/<screen>.wav with Debian's espeak-ng, offline,
 * so the kiosk plays plain files and needs no speech engine or network.
 * An argument names another output folder (the tests build into a temporary one).
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const outDir = process.argv[2] ?? join(root, 'dist', 'renderer', 'voice');

/** espeak-ng voice and a slightly slow, clear pace (words per minute) per language. */
const VOICES: Readonly<Record<string, { voice: string; speed: number }>> = {
  'zh-CN': { voice: 'cmn', speed: 150 },
  en: { voice: 'en', speed: 150 },
};
const PARALLEL = 4;

async function prompts(language: string): Promise<[string, string][]> {
  const catalogue = JSON.parse(await readFile(join(root, 'renderer', 'src', 'i18n', `${language}.json`), 'utf8')) as Record<string, string>;
  return Object.entries(catalogue)
    .filter(([key]) => key.startsWith('voice.'))
    .map(([key, text]) => [key.slice('voice.'.length), text]);
}

async function speak(language: string, screen: string, text: string): Promise<void> {
  const { voice, speed } = VOICES[language] ?? { voice: language, speed: 150 };
  await run('espeak-ng', ['-v', voice, '-s', String(speed), '-w', join(outDir, language, `${screen}.wav`), '--', text]);
}

const jobs: (() => Promise<void>)[] = [];
for (const language of Object.keys(VOICES)) {
  await mkdir(join(outDir, language), { recursive: true });
  for (const [screen, text] of await prompts(language)) jobs.push(() => speak(language, screen, text));
}
const total = jobs.length;
await Promise.all(
  Array.from({ length: PARALLEL }, async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) await job();
  }),
);
process.stdout.write(`voice: ${total} prompts in ${outDir}\n`);
