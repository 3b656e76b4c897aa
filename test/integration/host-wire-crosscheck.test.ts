/**
 * Every message the link put on the wire during a run of all services, read by three decoders
 * that share no code: the npm `iso_8583` package (2.6.7), the host simulator's own reader
 * (simulators/host/wire.ts) and the link's codec. iso_8583 reads binary bitmaps only, so the
 * hex-ASCII bitmap is rewritten as bytes first (a byte-level edit, no codec involved).
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../main/host-link/iso8583/index.js';
import { decodeWire } from '../../simulators/host/wire.js';
import {
  OTHER_CUSTOMER_ACCOUNT,
  chip,
  closeLinkRig,
  magstripe,
  openLinkRig,
  until,
  type Kiosk,
  type LinkRig,
} from './host-support.js';

interface Iso8583Instance {
  getIsoJSON(buffer: Buffer, config?: { lenHeader?: boolean }): Record<string, string> & { error?: string };
}
const Iso8583 = createRequire(import.meta.url)('iso_8583') as new (
  message?: Record<string, string>,
  formats?: object,
) => Iso8583Instance;

const text = (length: number, LenType = 'fixed') => ({
  ContentType: 'ans',
  Label: 'hex-ASCII binary',
  LenType,
  MaxLen: length,
});
/** b fields are hex text on our wire; DE53 is n16 in the kiosk's profile. */
const FORMATS = {
  52: text(16),
  53: { ContentType: 'n', Label: 'Security related control information', LenType: 'fixed', MaxLen: 16 },
  55: text(510, 'lllvar'),
  64: text(16),
  128: text(16),
};

/** MTI + hex bitmap(s) → MTI + binary bitmap(s); the rest is untouched. */
function withBinaryBitmap(raw: Uint8Array): Buffer {
  const ascii = Buffer.from(raw).toString('latin1');
  const secondary = (parseInt(ascii[4]!, 16) & 8) !== 0;
  const hexLength = secondary ? 32 : 16;
  return Buffer.concat([
    Buffer.from(ascii.slice(0, 4), 'latin1'),
    Buffer.from(ascii.slice(4, 4 + hexLength), 'hex'),
    Buffer.from(raw).subarray(4 + hexLength),
  ]);
}

let dir: LinkRig['dir'];
let host: LinkRig['host'];
let kiosk: Kiosk;

beforeAll(async () => {
  ({ dir, host, kiosk } = await openLinkRig('host-xcheck-', { kiosk: { timeouts: { idleEchoMs: 10_000 } } }));
  const card = magstripe();
  await kiosk.tx.perform({ kind: 'withdrawal', card: chip(), amountMinor: 50_000 });
  await kiosk.tx.perform({ kind: 'balance', card });
  await kiosk.tx.perform({ kind: 'deposit', card, amountMinor: 20_000 });
  await kiosk.tx.perform({ kind: 'transferInquiry', card, payeeAccount: OTHER_CUSTOMER_ACCOUNT, amountMinor: 10_000 });
  const transfer = await kiosk.tx.perform({
    kind: 'transfer',
    card,
    payeeAccount: OTHER_CUSTOMER_ACCOUNT,
    amountMinor: 10_000,
    realTimeConfirmed: true,
  });
  await kiosk.tx.perform({ kind: 'transferRevocation', card, reference: transfer.transfer!.reference! });
  await kiosk.tx.perform({ kind: 'miniStatement', card });
  const partial = await kiosk.tx.perform({ kind: 'withdrawal', card, amountMinor: 50_000 });
  partial.settlement!.reverse('partialDispense', 20_000);
  await until(() => kiosk.queue.outstanding().length === 0);
  await kiosk.tx.perform({ kind: 'pinChange', card });
  kiosk.clock.advance(10_000); // idle echo
  await until(() => host.received.some((raw) => decodeWire(raw).fields.get(70) === '301'));
});

afterAll(() => closeLinkRig({ dir, host, kiosk }));

describe('what the link sends, read by independent decoders', () => {
  it('covers every message type the link sends', () => {
    const kinds = new Set(
      host.received.map(
        (raw) =>
          `${decodeWire(raw).mti}/${decodeWire(raw).fields.get(3)?.slice(0, 2) ?? decodeWire(raw).fields.get(70)}`,
      ),
    );
    expect([...kinds].sort()).toEqual([
      '0100/40',
      '0200/01',
      '0200/21',
      '0200/31',
      '0200/38',
      '0200/40',
      '0200/49',
      '0200/70',
      '0420/01',
      '0800/001',
      '0800/301',
    ]);
  });

  it('iso_8583 (npm) reads every field exactly as the host simulator does', () => {
    for (const raw of host.received) {
      const theirs = new Iso8583(undefined, FORMATS).getIsoJSON(withBinaryBitmap(raw), { lenHeader: false });
      const sim = decodeWire(raw);
      expect(theirs.error).toBeUndefined();
      expect(theirs).toEqual({ 0: sim.mti, ...Object.fromEntries([...sim.fields].map(([id, v]) => [String(id), v])) });
    }
  });

  it('the link codec reads its own bytes back the same way', () => {
    for (const raw of host.received) {
      const ours = decode(raw, 'ascii');
      const sim = decodeWire(raw);
      expect(ours.mti).toBe(sim.mti);
      expect(
        [...ours.fields].map(([id, v]) => [
          id,
          typeof v === 'string' ? v : Buffer.from(v).toString('hex').toUpperCase(),
        ]),
      ).toEqual([...sim.fields]);
    }
  });
});
