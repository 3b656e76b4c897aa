import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

type Config = Record<string, unknown>;

const repoFile = (relative: string) => new URL(`../../../${relative}`, import.meta.url);

const config = yaml.load(readFileSync(repoFile('electron-builder.yml'), 'utf8')) as Config;
const validateSchema = new Ajv({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync(repoFile('node_modules/app-builder-lib/scheme.json'), 'utf8')) as object,
);

/** The schema types a target as any string, so a misspelt `debb` would pass it. */
const LINUX_TARGETS = new Set(['AppImage', 'deb', 'rpm', 'dir', 'tar.gz', 'snap']);

function linuxTargets(candidate: Config): string[] {
  const target = (candidate['linux'] as { target?: unknown } | undefined)?.target;
  const entries = Array.isArray(target) ? (target as unknown[]) : [target];
  return entries.map((entry) =>
    typeof entry === 'object' && entry !== null ? String((entry as { target: unknown }).target) : String(entry),
  );
}

const stringList = (value: unknown): string[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

/** Every problem with a config: the schema's, then the kiosk's own rules. */
function problems(candidate: Config): string[] {
  const found = validateSchema(candidate)
    ? []
    : (validateSchema.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
  for (const target of linuxTargets(candidate)) {
    if (!LINUX_TARGETS.has(target)) found.push(`unknown Linux target ${target}`);
  }
  const files = stringList(candidate['files']);
  for (const excluded of ['!simulators/**', '!test/**']) {
    if (!files.includes(excluded)) found.push(`files must exclude ${excluded.slice(1)}`);
  }
  if (!stringList(candidate['asarUnpack']).some((pattern) => pattern.endsWith('*.node'))) {
    found.push('asarUnpack must cover native .node addons');
  }
  return found;
}

const mutated = (change: (copy: Config) => void): Config => {
  const copy = structuredClone(config);
  change(copy);
  return copy;
};

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema and the kiosk rules", () => {
    expect(problems(config)).toEqual([]);
  });

  it('builds deb and AppImage with the fuses locked', () => {
    expect(linuxTargets(config).sort()).toEqual(['AppImage', 'deb']);
    expect(config['electronFuses']).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
    });
  });

  it('depends on the kiosk device and speech packages', () => {
    const depends = stringList((config['deb'] as { depends?: unknown }).depends);
    expect(depends).toEqual(
      expect.arrayContaining(['libpcsclite1', 'pcscd', 'libudev1', 'libusb-1.0-0', 'libnss3', 'libgbm1', 'espeak-ng']),
    );
  });

  const section = (c: Config, key: string) => c[key] as Config;
  it.each<[string, (c: Config) => void, RegExp]>([
    ['a misspelt fuse', (c) => (section(c, 'electronFuses')['onlyLoadFromAsar'] = true), /additional properties/],
    ['an unknown top-level key', (c) => (c['asarUnpak'] = ['**/*.node']), /additional properties/],
    ['a misspelt Linux target', (c) => (section(c, 'linux')['target'] = ['debb', 'AppImage']), /unknown Linux target debb/],
    [
      'a target object with a misspelt name',
      (c) => (section(c, 'linux')['target'] = { target: 'appimage', arch: 'x64' }),
      /unknown Linux target appimage/,
    ],
    ['simulators shipped', (c) => (c['files'] = stringList(c['files']).filter((p) => p !== '!simulators/**')), /exclude simulators/],
    ['native addons left in the asar', (c) => delete c['asarUnpack'], /\.node/],
  ])('rejects %s', (_name, change, expected) => {
    expect(problems(mutated(change)).join('\n')).toMatch(expected);
  });
});
