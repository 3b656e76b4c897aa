/**
 * The link's receive path over an in-memory pipe, with the test playing the host: late answers,
 * host-initiated echoes, and fast-check streams of random, truncated and corrupted frames. Nothing
 * may escape the link (an unhandled rejection fails the run); every bad frame is journaled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../drivers/common/clock.js';
import { createMemoryPipe } from '../../../drivers/common/memory-transport.js';
import type { ByteTransport } from '../../../drivers/common/transport.js';
import { kcv } from '../../../main/crypto/kcv.js';
import { tdes } from '../../../main/crypto/tdes.js';
import { HostLink, MemoryJournal, openLinkDb } from '../../../main/host-link/index.js';
import { FrameDecoder, decode, encode, frame, type IsoMessage } from '../../../main/host-link/iso8583/index.js';
import type { Db } from '../../../main/host-link/link/db.js';
import { PinPadSecurityModule } from '../../../main/runtime/banking/pin-pad-keys.js';
import { openMemoryPinPad } from '../../integration/support/memory-pin-pad.js';

const TERMINAL = {
  terminalId: 'ATM00001',
  acceptorId: '123456789012345',
  acquirerId: '12345678',
  nameLocation: 'KIOSK',
  utcOffsetMinutes: 480,
};

let dir: string;
let db: Db;
let clock: ManualClock;
let journal: MemoryJournal;
let link: HostLink;
let device: ByteTransport;
let fromLink: IsoMessage[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'link-input-'));
  db = openLinkDb(join(dir, 'link.sqlite'));
  clock = new ManualClock();
  journal = new MemoryJournal();
  const pipe = createMemoryPipe('host');
  device = pipe.device;
  await device.open();
  fromLink = [];
  const frames = new FrameDecoder();
  device.onData((chunk) => fromLink.push(...frames.push(chunk).map((b) => decode(b, 'ascii'))));
  link = new HostLink({
    endpoint: { host: 'memory', port: 0 },
    terminal: TERMINAL,
    clock,
    db,
    security: new PinPadSecurityModule(await openMemoryPinPad(clock), Buffer.alloc(16, 1)),
    journal,
    timeouts: { responseMs: 1_000 },
    transport: () => pipe.host,
  });
  link.start();
  await vi.waitFor(() => expect(fromLink).toHaveLength(1)); // the sign-on 0800
  await send({
    mti: '0810',
    fields: new Map([
      [11, fromLink[0]!.fields.get(11)!],
      [39, '00'],
      [41, 'ATM00001'],
      [62, workingKeys()],
      [70, '001'],
    ]),
  });
  await vi.waitFor(() => expect(link.up).toBe(true));
});

/** DE62 as a host sends it: PIK and MAK under the TMK (here 01…01), each with a 4-byte KCV. */
function workingKeys(): string {
  const tmk = tdes(Buffer.alloc(16, 1));
  const part = (key: Buffer) => Buffer.concat([tmk.encrypt(key), kcv(tdes(key), { length: 4 })]).toString('hex');
  return part(Buffer.alloc(16, 0x23)) + part(Buffer.alloc(16, 0x45));
}

afterEach(async () => {
  await link.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const send = (message: IsoMessage) => device.write(frame(encode(message, 'ascii')));

describe('responses out of turn', () => {
  it('an answer after its timeout is journaled as late and dropped; the link stays up', async () => {
    const request = link.request(
      {
        mti: '0200',
        fields: new Map([
          [3, '310000'],
          [11, '000500'],
          [41, 'ATM00001'],
        ]),
      },
      { mac: false },
    );
    await vi.waitFor(() => expect(fromLink).toHaveLength(2));
    clock.advance(1_000);
    await expect(request).rejects.toMatchObject({ code: 'timeout' });
    await send({
      mti: '0210',
      fields: new Map([
        [11, '000500'],
        [39, '00'],
        [41, 'ATM00001'],
      ]),
    });
    await vi.waitFor(() => expect(journal.events('lateResponse')).toHaveLength(1));
    expect(link.up).toBe(true);
  });

  it("answers the host's own 0800 echo with an 0810", async () => {
    await send({
      mti: '0800',
      fields: new Map([
        [7, '1124120000'],
        [11, '424242'],
        [41, 'ATM00001'],
        [70, '301'],
      ]),
    });
    await vi.waitFor(() => expect(fromLink).toHaveLength(2));
    expect(fromLink[1]!.mti).toBe('0810');
    expect(Object.fromEntries([...fromLink[1]!.fields].filter(([id]) => id !== 7))).toEqual({
      11: '424242',
      39: '00',
      41: 'ATM00001',
      70: '301',
    });
  });
});

describe('fuzzed input', () => {
  const valid = encode(
    {
      mti: '0210',
      fields: new Map([
        [3, '310000'],
        [11, '000777'],
        [39, '00'],
        [41, 'ATM00001'],
        [54, '1001156C000000001000'],
      ]),
    },
    'ascii',
  );
  const frameOf = (body: Uint8Array): Uint8Array => frame(body);
  const arbitraryFrame = fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map(frameOf),
    fc.nat(valid.length - 1).map((n) => frameOf(valid.subarray(0, n))),
    fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })).map(([at, b]) => {
      const edited = Uint8Array.from(valid);
      edited[at] = b;
      return frameOf(edited);
    }),
  );

  it('random, truncated and corrupted frames are journaled, never thrown; the link keeps its connection', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbitraryFrame, { minLength: 1, maxLength: 8 }), async (frames) => {
        const before = journal.records.length;
        for (const f of frames) await device.write(f);
        await vi.waitFor(() =>
          expect(journal.records.length - before).toBeGreaterThanOrEqual(frames.filter((f) => f.length > 2).length),
        );
        for (const record of journal.records.slice(before)) {
          expect(['malformedMessage', 'unmatchedResponse', 'unsolicitedRequest']).toContain(record.payload['event']);
        }
      }),
      { numRuns: 40 },
    );
    expect(device.isOpen).toBe(true);
  });

  it('a chunked stream of valid and garbage frames with an oversized header ends in one stream fault', async () => {
    await device.write(Uint8Array.of(0x7f, 0xff, 0x00));
    await vi.waitFor(() => expect(journal.events('oversizedFrame')).toHaveLength(1));
    await vi.waitFor(() => expect(journal.events('disconnected')).toHaveLength(1));
  });
});
