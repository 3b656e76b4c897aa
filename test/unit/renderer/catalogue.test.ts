import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INPUT_REFUSE_REASONS } from '../../../drivers/cash-acceptor/contract.js';
import { DEVICE_CLASSES } from '../../../drivers/common/device.js';
import { DEVICE_STATES } from '../../../drivers/common/status.js';
import { COMPLAINT_OPTIONS, CUSTOMER_SCREEN_IDS, MAINTENANCE_SCREEN_IDS, RATING_OPTIONS } from '../../../main/ipc-contract/view.js';
import { MAINTENANCE_MENU, MAINTENANCE_MESSAGES, RESET_CARD_BIN } from '../../../state-machines/maintenance/types.js';
import { MORE_TIME_ACTIONS, SCREEN_TRAITS } from '../../../renderer/src/model/screen-actions.js';
import { MENU_OPTIONS } from '../../../state-machines/session/session.machine.js';
import { FRAUD_WARNING_ACKNOWLEDGED, REVOKE_OPTION } from '../../../state-machines/transactions/transfer.machine.js';
import { HOST_ACTIONS } from '../../../state-machines/session/types.js';

type Catalogue = Record<string, string>;
const load = (language: string): Catalogue =>
  JSON.parse(readFileSync(`renderer/src/i18n/${language}.json`, 'utf8')) as Catalogue;
const zh = load('zh-CN');
const en = load('en');

function files(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, pattern) : pattern.test(name) ? [path] : [];
  });
}

function matches(paths: readonly string[], pattern: RegExp): Set<string> {
  const found = new Set<string>();
  for (const path of paths) for (const m of readFileSync(path, 'utf8').matchAll(pattern)) found.add(m[1] ?? '');
  return found;
}

/** Keys the renderer names literally: t('…') calls and the string constants it hands to t. */
const literalKeys = matches(files('renderer/src', /\.tsx?$/), /\bt\('([^'$`]+)'/g);
const signKeys = matches(['renderer/src/screens/TransferWarning.tsx'], /'(transferWarning\.[a-zA-Z]+)'/g);

/** Message keys the machines and the projection can put in `data.message`, `data.step` or a result. */
const runtimeKeys = matches(
  [...files('state-machines', /\.ts$/), 'main/runtime/view-projection.ts'],
  /'((?:error|step|host|pin|withdrawal|card|deposit|transfer|pinChange)\.[a-zA-Z]+)'/g,
);
runtimeKeys.delete('host.statusChanged'); // a machine event, not a message
const hostKeys = HOST_ACTIONS.map((a) => `host.${a}`);
/** The projection names why the acceptor handed notes back: `deposit.refused.<reason>`. */
const refusedKeys = INPUT_REFUSE_REASONS.map((r) => `deposit.refused.${r}`);
/** Messages the new screens expect besides those the machines already name (docs/ui.md lists them). */
const plannedMessages = ['pinChange.tooSimple'];

const options = [
  ...Object.values(MENU_OPTIONS),
  ...RATING_OPTIONS,
  ...COMPLAINT_OPTIONS,
  ...MORE_TIME_ACTIONS.map((a) => a.id),
  'language.zh-CN',
  'language.en',
  'accessibility.elderly',
  'accessibility.highContrast',
  'amount.other',
  'receipt.yes',
  'receipt.no',
  'receipt.print',
  'another.yes',
  'another.no',
  'deposit.more',
  FRAUD_WARNING_ACKNOWLEDGED,
  REVOKE_OPTION,
  ...MAINTENANCE_MENU,
  RESET_CARD_BIN,
];

describe('message catalogues', () => {
  it('have the same keys in zh-CN and en, none empty, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    const placeholders = (text: string): string[] => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '').sort();
    for (const [key, text] of Object.entries(zh)) {
      expect(text.trim(), key).not.toBe('');
      expect(placeholders(en[key] ?? ''), key).toEqual(placeholders(text));
    }
  });

  it('hold every key the renderer names', () => {
    expect(literalKeys.size).toBeGreaterThan(100);
    const traitKeys = Object.values(SCREEN_TRAITS).flatMap((t) => (t.confirm ? [t.confirm] : []));
    const missing = [...literalKeys, ...signKeys, ...traitKeys].filter((key) => !(key in zh));
    expect(missing).toEqual([]);
  });

  it('hold every message the runtime can send, each with a "what to do" line', () => {
    expect(runtimeKeys).toContain('error.dispenseFailed');
    expect(runtimeKeys).toContain('step.authorizing');
    // Option ids match the scan too; they are labelled (below), not messages.
    const messages = [...runtimeKeys, ...hostKeys, ...refusedKeys, ...plannedMessages].filter((key) => !options.includes(key));
    expect(messages.filter((key) => !(key in zh))).toEqual([]);
    const todos = messages.filter((key) => !key.startsWith('step.')).map((key) => `todo.${key}`);
    expect(todos.filter((key) => !(key in zh))).toEqual([]);
  });

  it('label every option a screen can offer', () => {
    expect(options.map((o) => `option.${o}`).filter((key) => !(key in zh))).toEqual([]);
  });

  it('have a voice prompt for every customer screen and the "need more time?" question', () => {
    const wanted = [...CUSTOMER_SCREEN_IDS, 'moreTime'].map((s) => `voice.${s}`);
    expect(wanted.filter((key) => !(key in zh))).toEqual([]);
  });

  it('have a title for every technician screen and every message the maintenance machine can show, and no voice prompt', () => {
    const wanted = [...MAINTENANCE_SCREEN_IDS.map((s) => `${s}.title`), ...MAINTENANCE_MESSAGES];
    expect(wanted.filter((key) => !(key in zh))).toEqual([]);
    expect(MAINTENANCE_SCREEN_IDS.filter((s) => `voice.${s}` in zh)).toEqual([]);
  });

  it('name every device class and state, every out-of-service reason kind and every service', () => {
    const keys = [
      ...DEVICE_CLASSES.map((c) => `deviceClass.${c}`),
      ...DEVICE_STATES.map((s) => `device.state.${s}`),
      'reason.hostDown',
      'reason.deviceDown',
      'reason.safety',
      ...['withdrawal', 'deposit', 'transfer', 'balance', 'receipts'].map((s) => `service.${s}`),
    ];
    expect(keys.filter((key) => !(key in zh))).toEqual([]);
  });
});
