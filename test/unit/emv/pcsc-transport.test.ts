import type { ContextInterface } from 'smartcard';
import { describe, expect, it } from 'vitest';
import { PcscTransport, transmitT0 } from '../../../drivers/transports/pcsc-transport.js';
import { fromHex, toHex } from '../../../main/crypto/bytes.js';
import { CardProfileSchema, DEFAULT_CARD_PROFILE } from '../../../simulators/emv-card/card-profile.js';
import { EmvApplet } from '../../../simulators/emv-card/emv-applet.js';

describe('PcscTransport without pcscd or without the reader', () => {
  it('says pcscd is not running when no PC/SC context can be made', async () => {
    const t = new PcscTransport({
      reader: 'Virtual PCD 00 00',
      createContext: () => {
        throw new Error('Service not available');
      },
    });
    await expect(t.open()).rejects.toMatchObject({ code: 'serviceUnavailable', message: expect.stringMatching(/pcscd/) as string });
    expect(t.isOpen).toBe(false);
  });

  it('names the readers it found when the wanted one is missing', async () => {
    let closed = 0;
    const fake = {
      isValid: true,
      listReaders: () => [{ name: 'ACS ACR39U 00 00', state: 0x10, atr: null, connect: () => Promise.reject(new Error('unused')) }],
      waitForChange: () => Promise.resolve(null),
      cancel: () => undefined,
      close: () => {
        closed += 1;
      },
    } as unknown as ContextInterface;
    const t = new PcscTransport({ reader: 'Virtual PCD 00 00', createContext: () => fake });
    await expect(t.open()).rejects.toMatchObject({ code: 'readerNotFound', message: expect.stringContaining('"ACS ACR39U 00 00"') as string });
    expect(closed).toBe(1);
    await expect(t.transmit(Uint8Array.of(0, 0xa4, 4, 0))).rejects.toMatchObject({ code: 'notOpen' });
  });
});

describe('T=0 status words (61xx, 6Cxx) handled by the transport', () => {
  const card = new EmvApplet(CardProfileSchema.parse({ ...DEFAULT_CARD_PROFILE, t0Responses: true }));
  const log: string[] = [];
  const send = (apdu: Uint8Array): Promise<Uint8Array> => {
    log.push(toHex(apdu));
    return Promise.resolve(new Uint8Array(card.handle(apdu)));
  };

  it('fetches case-4 data with GET RESPONSE', async () => {
    log.length = 0;
    const r = toHex(await transmitT0(send, fromHex('00A4040008A00000033301010100')));
    expect(r.startsWith('6F')).toBe(true);
    expect(r.endsWith('9000')).toBe(true);
    expect(log[1]?.slice(0, 8)).toBe('00C00000');
  });

  it('re-sends a case-2 command with the Le from 6Cxx', async () => {
    log.length = 0;
    expect(toHex(await transmitT0(send, fromHex('80CA9F3600')))).toBe('9F360200069000');
    expect(log).toEqual(['80CA9F3600', '80CA9F3605']);
  });

  it('gives up on a card that never stops asking', async () => {
    await expect(transmitT0(() => Promise.resolve(Uint8Array.of(0x61, 0x10)), Uint8Array.of(0, 0xb2, 1, 0x0c, 0))).rejects.toMatchObject({ code: 'protocol' });
  });
});
