import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** Lints `code` as if it were the file at `filePath` and returns the rule ids that fired. */
async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layer rules (lint/layers.js)', () => {
  it('stop a machine from importing a protocol driver, but let it use a contract', async () => {
    expect(
      await ruleIds('state-machines/x/bad.ts', "import { EscPosPrinter } from '../../drivers/printer/escpos/escpos-printer.js';\nexport const p = EscPosPrinter;\n"),
    ).toContain('kiosk/layers');
    expect(
      await ruleIds('state-machines/x/good.ts', "import type { PrinterDevice } from '../../drivers/printer/contract.js';\nexport type P = PrinterDevice;\n"),
    ).toEqual([]);
  });

  it('stop a simulator from sharing the codec under test', async () => {
    expect(
      await ruleIds('simulators/x/sim.ts', "import { statusRequest } from '../../drivers/protocols/escpos/realtime-status.js';\nexport const r = statusRequest;\n"),
    ).toContain('kiosk/layers');
  });

  it('let the renderer import the kiosk API contract only as types', async () => {
    expect(
      await ruleIds('renderer/src/x.ts', "import { IntentSchema } from '../../main/ipc-contract/intents';\nexport const s = IntentSchema;\n"),
    ).toContain('kiosk/layers');
    expect(
      await ruleIds('renderer/src/y.ts', "import type { Intent } from '../../main/ipc-contract/intents';\nexport type I = Intent;\n"),
    ).toEqual([]);
    expect(await ruleIds('renderer/src/z.ts', "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n")).toContain(
      'kiosk/layers',
    );
    expect(
      await ruleIds('renderer/src/w.ts', "import { startKioskRuntime } from '../../main/runtime/compose.js';\nexport const s = startKioskRuntime;\n"),
    ).toContain('kiosk/layers');
  });

  it('keep Node and npm packages out of environment-neutral code', async () => {
    expect(await ruleIds('drivers/common/x.ts', "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n")).toContain(
      'kiosk/layers',
    );
    expect(await ruleIds('drivers/printer/x.ts', "import { z } from 'zod';\nexport const s = z;\n")).toContain('kiosk/layers');
  });

  it('allow electron values only in the Electron shell', async () => {
    expect(await ruleIds('main/runtime/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toContain('kiosk/layers');
    expect(await ruleIds('main/runtime/y.ts', "import type { App } from 'electron';\nexport type A = App;\n")).toEqual([]);
    expect(await ruleIds('main/electron/z.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
  });

  it('forbid reading wall time outside the Clock in drivers and machines', async () => {
    expect(await ruleIds('drivers/printer/x.ts', 'export const t = Date.now();\n')).toContain('no-restricted-properties');
    expect(await ruleIds('state-machines/x.ts', 'setTimeout(() => undefined, 10);\n')).toContain('no-restricted-globals');
    expect(await ruleIds('drivers/common/clock.ts', 'export const t = Date.now();\n')).toEqual([]);
  });
});
