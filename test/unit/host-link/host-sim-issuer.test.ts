/**
 * The host simulator's own reader and issuer checks against the worked 0200 of host-crypto.md §1.6
 * (bytes transcribed by hand in test/fixtures): its wire reader, the MAC under the §1.6 MAK, the
 * PIN under the §1.6 PIK, the ARQC under the §4.3 issuer master key, and the §4.3 chained ARPC.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../drivers/common/clock.js';
import { BankStore } from '../../../simulators/host/bank-store.js';
import { DEMO_IMK, DEMO_TMK, seedDemoBank } from '../../../simulators/host/host-sim.js';
import { Issuer, maskName } from '../../../simulators/host/issuer.js';
import { WireError, WireFrames, decodeWire, encodeWire, frameWire } from '../../../simulators/host/wire.js';
import {
  WITHDRAWAL_0200,
  WITHDRAWAL_0200_FIELDS,
  WITHDRAWAL_0200_FRAMED,
} from '../../fixtures/iso8583/withdrawal-0200.js';

const PIK_1_6 = '1C1C1C1C1C1C1C1C2A2A2A2A2A2A2A2A';
const MAK_1_6 = '3E3E3E3E3E3E3E3E4C4C4C4C4C4C4C4C';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('simulator wire reader', () => {
  it('reads the worked 0200 field for field as the reference lists it', () => {
    const message = decodeWire(WITHDRAWAL_0200);
    expect(message.mti).toBe('0200');
    expect([...message.fields]).toEqual(
      [...WITHDRAWAL_0200_FIELDS].map(([id, v]) => [id, typeof v === 'string' ? v : hex(v)]),
    );
  });

  it('writes it back byte for byte', () => {
    expect(Buffer.from(encodeWire(decodeWire(WITHDRAWAL_0200))).equals(Buffer.from(WITHDRAWAL_0200))).toBe(true);
  });

  it('reassembles frames from any chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 40 }), (sizes) => {
        const stream = Buffer.concat([WITHDRAWAL_0200_FRAMED, WITHDRAWAL_0200_FRAMED]);
        const frames = new WireFrames();
        const out: Uint8Array[] = [];
        let at = 0;
        for (let i = 0; at < stream.length; i++) {
          const size = sizes[i % sizes.length]!;
          out.push(...frames.push(stream.subarray(at, at + size)));
          at += size;
        }
        expect(out.map((f) => Buffer.from(f).equals(Buffer.from(WITHDRAWAL_0200)))).toEqual([true, true]);
      }),
    );
  });

  it('refuses random, truncated and corrupted input with WireError only', () => {
    const isWireErrorOrMessage = (bytes: Uint8Array) => {
      try {
        decodeWire(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(WireError);
      }
    };
    for (let n = 0; n < WITHDRAWAL_0200.length; n++)
      expect(() => decodeWire(WITHDRAWAL_0200.subarray(0, n))).toThrow(WireError);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), isWireErrorOrMessage));
    fc.assert(
      fc.property(fc.nat(WITHDRAWAL_0200.length - 1), fc.integer({ min: 0, max: 255 }), (at, byte) => {
        const edited = Uint8Array.from(WITHDRAWAL_0200);
        edited[at] = byte;
        isWireErrorOrMessage(edited);
      }),
    );
  });

  it('frames with a 2-byte big-endian length', () => {
    expect([...frameWire(WITHDRAWAL_0200).subarray(0, 2)]).toEqual([0x02, 0x23]);
  });
});

describe('simulated issuer on the worked 0200', () => {
  let dir: string;
  let store: BankStore;
  let issuer: Issuer;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'host-issuer-'));
    store = new BankStore(dir);
    seedDemoBank(store);
    store.putTerminalKeys('ATM00001', PIK_1_6, MAK_1_6);
    issuer = new Issuer({ store, clock: new ManualClock(Date.UTC(2026, 10, 24, 12)), tmk: DEMO_TMK, imk: DEMO_IMK });
  });

  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the MAC, PIN and ARQC, approves, and answers with the §4.3 ARPC for ARC "00"', () => {
    const result = issuer.handle(decodeWire(WITHDRAWAL_0200), WITHDRAWAL_0200)!;
    expect(result.response.mti).toBe('0210');
    expect(result.response.fields.get(39)).toBe('00');
    expect(result.response.fields.get(55)).toBe('910AE89380E922D3A52E3030');
    expect(store.account('6222020000000001')!.balanceMinor).toBe(5_000_000 - 50_000);
  });

  it('answers A0 to a message whose MAC does not verify, and moves no money', () => {
    const edited = Uint8Array.from(WITHDRAWAL_0200);
    edited[edited.length - 1] = 0x30;
    expect(issuer.handle(decodeWire(edited), edited)!.response.fields.get(39)).toBe('A0');
    expect(store.account('6222020000000001')!.balanceMinor).toBe(5_000_000);
  });

  it('declines 55 when the stored PIN differs, and 94 for the same STAN twice', () => {
    store.putCard({ pan: '6212341234567890', account: '6222020000000001', pin: '654321' });
    expect(issuer.handle(decodeWire(WITHDRAWAL_0200), WITHDRAWAL_0200)!.response.fields.get(39)).toBe('55');
    expect(issuer.handle(decodeWire(WITHDRAWAL_0200), WITHDRAWAL_0200)!.response.fields.get(39)).toBe('94');
  });

  it('masks payee names down to the last character', () => {
    expect(maskName('张小明')).toBe('**明');
    expect(maskName('李')).toBe('李');
  });
});
