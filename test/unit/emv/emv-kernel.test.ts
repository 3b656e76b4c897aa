import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Unsubscribe } from '../../../drivers/common/events.js';
import type { ApduTransport } from '../../../drivers/common/transport.js';
import { EmvKernelError } from '../../../drivers/card-reader/emv-errors.js';
import { EmvKernel, type FirstAcResult } from '../../../drivers/card-reader/emv-kernel.js';
import { ATM_TERMINAL_DEFAULTS, type TerminalConfig, type TransactionInput } from '../../../drivers/card-reader/emv-terminal.js';
import { toHex } from '../../../drivers/protocols/emv/hex.js';
import { decodeTlv, type Tlv } from '../../../drivers/protocols/emv/tlv.js';
import { fromHex } from '../../../main/crypto/bytes.js';
import { deriveCommonSessionKey, deriveIccMasterKey, generateAc, generateArpcMethod1 } from '../../../main/crypto/emv.js';
import { CardProfileSchema, DEFAULT_CARD_PROFILE, type CardProfileInput } from '../../../simulators/emv-card/card-profile.js';
import { EmvApplet } from '../../../simulators/emv-card/emv-applet.js';
import { MemoryCardTransport } from '../../../simulators/emv-card/memory-card-transport.js';
import { CHAIN, DE55_FIELDS } from '../../fixtures/emv/atm-withdrawal.js';

const signal = (): AbortSignal => new AbortController().signal;
const UNIONPAY = 'A000000333010101';
const VISA = 'A0000000031010';

const TERMINAL: TerminalConfig = { ...ATM_TERMINAL_DEFAULTS, aids: [UNIONPAY, VISA], ifdSerial: 'KIOSK001' };
/** The §1.6 withdrawal: 500.00 CNY cash on 2026-11-24. */
const WITHDRAWAL: TransactionInput = { amount: 50000, currency: '156', type: 'cash', date: '261124', sequenceCounter: 1 };
const UN = Uint8Array.of(0x1a, 0x2b, 0x3c, 0x4d);

async function rig(profile: Partial<CardProfileInput> = {}, terminal: TerminalConfig = TERMINAL) {
  const card = new EmvApplet(CardProfileSchema.parse({ ...DEFAULT_CARD_PROFILE, ...profile }));
  const transport = new MemoryCardTransport(card);
  await transport.open();
  await transport.powerOn();
  const sent: string[] = [];
  const recording: ApduTransport = Object.assign(Object.create(transport) as MemoryCardTransport, {
    transmit: (apdu: Uint8Array) => {
      sent.push(toHex(apdu));
      return transport.transmit(apdu);
    },
  });
  return { card, transport, kernel: new EmvKernel(recording, terminal, () => UN.slice()), sent };
}

const tagsOf = (de55: Uint8Array): Map<string, string> => new Map(decodeTlv(de55).map((t: Tlv) => [t.tag, toHex(t.value)]));

/** What the issuer does: rebuild the CDOL1 data from DE55, recompute the ARQC under the card's keys. */
function issuerArqc(pan: string, psn: string, tags: Map<string, string>): string {
  const sk = deriveCommonSessionKey(deriveIccMasterKey(fromHex(CHAIN.imk), pan, psn), fromHex(tags.get('9F36') as string));
  const cdol1 = ['9F02', '9F03', '9F1A', '95', '5F2A', '9A', '9C', '9F37'].map((t) => tags.get(t)).join('');
  return toHex(generateAc(sk, fromHex(cdol1 + (tags.get('82') as string) + (tags.get('9F36') as string))));
}

function arpcFor(first: FirstAcResult, arc: string): Uint8Array {
  const tags = tagsOf(first.de55);
  const sk = deriveCommonSessionKey(deriveIccMasterKey(fromHex(CHAIN.imk), first.pan, first.panSequenceNumber ?? '00'), fromHex(tags.get('9F36') as string));
  const arcBytes = Buffer.from(arc, 'ascii');
  return Buffer.concat([generateArpcMethod1(sk, fromHex(tags.get('9F26') as string), arcBytes), arcBytes]);
}

describe('EMV kernel against the card simulator (in memory)', () => {
  it('runs SELECT PSE → SELECT AID → GPO → READ RECORD → GENERATE AC and yields the §1.6 DE55', async () => {
    const { kernel, sent } = await rig();
    const first = await kernel.firstAc(WITHDRAWAL, signal());
    expect(sent.map((a) => a.slice(0, 4))).toEqual(['00A4', '00B2', '00B2', '00A4', '80A8', '00B2', '00B2', '00B2', '80AE']);
    expect(sent[4]).toBe('80A80000058303015614' + '00'); // PDOL 9F1A 02 + 9F35 01
    expect(first).toMatchObject({ aid: UNIONPAY, pan: CHAIN.pan, panSequenceNumber: '01', expiry: '301231', cvm: 'onlinePin', cryptogram: 'ARQC' });
    expect(first.track2).toBe('6212341234567890=30122010000000000'); // = DE35 of §1.6

    const tags = tagsOf(first.de55);
    // TVR: ODA not performed (B1b8), online PIN entered (B3b3), floor limit 0 exceeded (B4b8).
    expect(tags.get('95')).toBe('8000048000');
    expect(tags.get('9F41')).toBe('00000001');
    // Every other tag of the reference DE55 comes out identical, in the reference order.
    for (const [tag, encoded] of DE55_FIELDS) {
      if (tag === '95' || tag === '9F26') continue; // the TVR differs, so does the MAC over it
      expect(`${tag}=${tags.get(tag)}`).toBe(`${tag}=${encoded.slice(tag.length + 2)}`);
    }
    expect([...tags.keys()]).toEqual([...DE55_FIELDS.map(([t]) => t), '9F41']);
    expect(tags.get('9F26')).toBe(issuerArqc(CHAIN.pan, '01', tags));
  });

  it('completes online: EXTERNAL AUTHENTICATE with the ARPC, second GENERATE AC → TC', async () => {
    const { kernel, sent } = await rig();
    const first = await kernel.firstAc(WITHDRAWAL, signal());
    sent.length = 0;
    const second = await kernel.secondAc({ approved: true, authorisationResponseCode: '00', issuerAuthenticationData: arpcFor(first, '00') }, signal());
    expect(sent.map((a) => a.slice(0, 10))).toEqual(['008200000A', '80AE40001F']);
    expect(second).toMatchObject({ cryptogram: 'TC', issuerAuthentication: 'passed' });
    expect(toHex(second.tsi)).toBe('7800'); // CVM, card risk mgmt, issuer auth, terminal risk mgmt performed; ODA not
    const tags = tagsOf(second.de55);
    expect(tags.get('9F27')).toBe('40');
    expect(tags.get('8A')).toBe('3030');
    // The TC recomputes over CDOL2 data ‖ AIP ‖ ATC under the same session key.
    const sk = deriveCommonSessionKey(deriveIccMasterKey(fromHex(CHAIN.imk), CHAIN.pan, '01'), fromHex('0007'));
    const cdol2 = '3030' + ['9F02', '9F03', '9F1A', '95', '5F2A', '9A', '9C', '9F37'].map((t) => tagsOf(first.de55).get(t) ?? tags.get(t)).join('');
    expect(tags.get('9F26')).toBe(toHex(generateAc(sk, fromHex(cdol2 + '7C00' + '0007'))));
  });

  it('a wrong ARPC fails issuer authentication: TVR B5b7 set and the card gives AAC', async () => {
    const { kernel } = await rig();
    const first = await kernel.firstAc(WITHDRAWAL, signal());
    const bad = arpcFor(first, '00');
    bad[0] = (bad[0] as number) ^ 0x01;
    const second = await kernel.secondAc({ approved: true, authorisationResponseCode: '00', issuerAuthenticationData: bad }, signal());
    expect(second).toMatchObject({ cryptogram: 'AAC', issuerAuthentication: 'failed' });
    expect((second.tvr[4] as number) & 0x40).toBe(0x40);
  });

  it('a host decline asks for an AAC', async () => {
    const { kernel, sent } = await rig();
    const first = await kernel.firstAc(WITHDRAWAL, signal());
    const second = await kernel.secondAc({ approved: false, authorisationResponseCode: '51', issuerAuthenticationData: arpcFor(first, '51') }, signal());
    expect(sent.at(-1)?.slice(0, 8)).toBe('80AE0000');
    expect(second.cryptogram).toBe('AAC');
  });

  it('falls back to the AID list without a PSE and takes the Visa application without PDOL, format 1', async () => {
    const { kernel, sent } = await rig({ pse: false, responseFormat: 'format1' }, { ...TERMINAL, aids: [VISA] });
    const first = await kernel.firstAc(WITHDRAWAL, signal());
    expect(sent[0]).toBe('00A404000E315041592E5359532E444446303100');
    expect(sent).toContain('80A8000002830000');
    expect(first.aid).toBe(VISA);
    const tags = tagsOf(first.de55);
    expect(tags.get('84')).toBe(VISA);
    expect(tags.get('9F26')).toBe(issuerArqc(CHAIN.pan, '01', tags));
    const second = await kernel.secondAc({ approved: true, authorisationResponseCode: '00', issuerAuthenticationData: arpcFor(first, '00') }, signal());
    expect(second.cryptogram).toBe('TC');
  });

  it('honours the card priority in the PSE directory', async () => {
    const { kernel } = await rig({
      applications: [
        { aid: UNIONPAY, label: 'UnionPay Debit', priority: 2, pdol: '' },
        { aid: VISA, label: 'VISA', priority: 1, pdol: '' },
      ],
    });
    expect((await kernel.firstAc(WITHDRAWAL, signal())).aid).toBe(VISA);
  });

  it('flags an expired card and one not yet effective in the TVR', async () => {
    const { kernel } = await rig({ expiry: '241231', effective: '270101' });
    const first = await kernel.firstAc(WITHDRAWAL, signal());
    expect(toHex(first.tvr).slice(2, 4)).toBe('60');
  });

  it('declines offline (AAC) when the IAC-denial names a TVR bit that is set', async () => {
    const { kernel } = await rig({ iacDenial: '8000000000' }); // deny when ODA was not performed
    const first = await kernel.firstAc(WITHDRAWAL, signal());
    expect(first.cryptogram).toBe('AAC');
    await expect(kernel.secondAc({ approved: true, authorisationResponseCode: '00' }, signal())).rejects.toMatchObject({ code: 'sequence' });
  });

  it('reports a failed CVM when the card offers no online PIN', async () => {
    const { kernel } = await rig({ cvmList: '0000000000000000' + '1E00' }); // signature, always: the ATM cannot
    const first = await kernel.firstAc(WITHDRAWAL, signal());
    expect(first.cvm).toBe('failed');
    expect(tagsOf(first.de55).get('9F34')).toBe('1E0001');
    expect((first.tvr[2] as number) & 0x80).toBe(0x80);
  });

  it('says noApplication when nothing matches, and sequence when the second AC comes first', async () => {
    const { kernel } = await rig({}, { ...TERMINAL, aids: ['A0000000041010'] });
    await expect(kernel.firstAc(WITHDRAWAL, signal())).rejects.toMatchObject({ name: 'EmvKernelError', code: 'noApplication' });
    await expect(kernel.secondAc({ approved: true, authorisationResponseCode: '00' }, signal())).rejects.toMatchObject({ code: 'sequence' });
  });

  it('stops with the transport error when the card is pulled mid-transaction', async () => {
    const { kernel, transport } = await rig();
    const presence: boolean[] = [];
    transport.onPresence((p) => presence.push(p));
    const original = transport.transmit.bind(transport);
    let count = 0;
    transport.transmit = (apdu: Uint8Array) => {
      if (++count === 4) transport.remove();
      return original(apdu);
    };
    await expect(kernel.firstAc(WITHDRAWAL, signal())).rejects.toThrow(/not powered/);
    expect(presence).toEqual([false]);
  });

  it('honours an aborted signal before the next APDU', async () => {
    const { kernel } = await rig();
    const controller = new AbortController();
    controller.abort();
    await expect(kernel.firstAc(WITHDRAWAL, controller.signal)).rejects.toMatchObject({ name: 'CanceledError' });
  });

  it('never fails with anything but EmvKernelError on random card answers, and never hangs', async () => {
    const pan = CHAIN.pan;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 80 }), { minLength: 1, maxLength: 12 }), async (answers) => {
        let i = 0;
        const transport = randomCard(() => {
          const a = answers[i++ % answers.length] as Uint8Array;
          return i % 3 === 0 ? Uint8Array.from([...a, 0x90, 0x00]) : a;
        });
        const kernel = new EmvKernel(transport, TERMINAL, () => UN.slice());
        try {
          await kernel.firstAc(WITHDRAWAL, signal());
        } catch (err) {
          expect(err).toBeInstanceOf(EmvKernelError);
          expect((err as Error).message).not.toContain(pan);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** A card that answers every APDU from `next`. */
function randomCard(next: () => Uint8Array): ApduTransport {
  const none: Unsubscribe = () => undefined;
  return {
    kind: 'memory',
    description: 'random card',
    isOpen: true,
    open: async () => undefined,
    close: async () => undefined,
    onClose: () => none,
    powerOn: async () => new Uint8Array(),
    powerOff: async () => undefined,
    transmit: async () => next(),
    onPresence: () => none,
  };
}
