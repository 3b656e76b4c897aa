/**
 * The ZT588 simulator's MAC (`H`) and crypt (`F`) extensions at the frame level, with frames built
 * here by hand (docs/devices/pin-pad.md), neither by the driver's codec nor the simulator's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryPipe } from '../../../drivers/common/memory-transport.js';
import type { ByteTransport } from '../../../drivers/common/transport.js';
import { Zt588PinPadSimulator } from '../../../simulators/pin-pad-zt588/zt588-pin-pad-sim.js';
import { ISO9797_B4, retailMacByNode } from '../../contract/reference-mac.js';

/** STX, LLL, text, ETX, XOR(LLL..ETX) as two hex characters. */
function frame(text: string): Uint8Array {
  const body = Buffer.from(`${String(text.length).padStart(3, '0')}${text}\x03`, 'latin1');
  const check = body.reduce((x, b) => x ^ b, 0);
  return Buffer.concat([Buffer.of(0x02), body, Buffer.from(check.toString(16).toUpperCase().padStart(2, '0'))]);
}

let stateDir: string;
let sim: Zt588PinPadSimulator;
let host: ByteTransport;
let replies: string[];

/** Sends one command and returns the text of its reply (status character first). */
async function command(text: string): Promise<string> {
  const before = replies.length;
  await host.write(frame(text));
  for (let i = 0; replies.length === before; i++) {
    if (i > 200) throw new Error('no reply');
    await new Promise((r) => setImmediate(r));
  }
  return replies[before]!;
}

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'zt588-crypto-'));
  const pipe = createMemoryPipe('zt588');
  host = pipe.host;
  await host.open();
  replies = [];
  let buffer = Buffer.alloc(0);
  host.onData((chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 7 && buffer[0] === 0x02) {
      const length = Number(buffer.subarray(1, 4).toString('latin1'));
      if (buffer.length < length + 7) return;
      replies.push(buffer.subarray(4, 4 + length).toString('latin1'));
      buffer = buffer.subarray(length + 7);
    }
  });
  sim = new Zt588PinPadSimulator({ stateDir });
  await sim.attach(pipe.device);
  // '1' load plain key: slot 41, type 5 (TAK), length code 1 (double), then the key.
  expect(await command(`14151${ISO9797_B4.key}`)).toMatch(/^1[0-9A-F]{8}$/);
});

afterEach(async () => {
  await sim.detach();
  await host.close();
  await rm(stateDir, { recursive: true, force: true });
});

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();

describe('ZT588 simulator, MAC pieces', () => {
  it('MACs a whole message in one piece: the ISO 9797-1 B.4 vector', async () => {
    const { data, mac } = ISO9797_B4.vectors[0];
    expect(await command(`H4110000${hex(Buffer.from(data, 'ascii'))}`)).toBe(`H${mac}`);
  });

  it('takes a piece resent at the same offset once, and MACs the whole message', async () => {
    const message = Buffer.alloc(1000);
    for (let i = 0; i < message.length; i++) message[i] = i & 0xff;
    const piece = (offset: number, end: number, last: boolean) =>
      command(`H41${last ? '1' : '0'}${String(offset).padStart(4, '0')}${hex(message.subarray(offset, end))}`);
    expect(await piece(0, 480, false)).toBe('H');
    expect(await piece(480, 960, false)).toBe('H');
    expect(await piece(480, 960, false)).toBe('H'); // the reply was lost: the host sends it again
    expect(await piece(960, 1000, true)).toBe(`H${hex(retailMacByNode(Buffer.from(ISO9797_B4.key, 'hex'), message))}`);
  });

  it('refuses a piece that does not follow the message held, and MACs only under a TAK', async () => {
    expect((await command('H4110480AB')).charCodeAt(0)).toBe(0xe9);
    // '1' load plain key: slot 42, type 6 (TDK), length code 1.
    expect(await command(`14261${ISO9797_B4.key}`)).toMatch(/^1/);
    expect((await command('H421000000')).charCodeAt(0)).toBe(0xe5);
    expect((await command('H501000000')).charCodeAt(0)).toBe(0xe4);
  });
});

describe('ZT588 simulator, data crypt', () => {
  it('encrypts and decrypts ECB under a TDK: the FIPS 197 C.1 block under an AES-128 key', async () => {
    // '1' load plain key: slot 43, type 6 (TDK), length code 3 (AES-128, extension), FIPS 197 C.1's key.
    expect(await command('14363000102030405060708090A0B0C0D0E0F')).toMatch(/^1/);
    expect(await command('F43E00112233445566778899AABBCCDDEEFF')).toBe('F69C4E0D86A7B0430D8CDB78070B4C55A');
    expect(await command('F43D69C4E0D86A7B0430D8CDB78070B4C55A')).toBe('F00112233445566778899AABBCCDDEEFF');
    expect((await command('F43E0011')).charCodeAt(0)).toBe(0xe9);
    expect((await command('F41E00112233445566778899AABBCCDDEEFF')).charCodeAt(0)).toBe(0xe5);
  });
});
