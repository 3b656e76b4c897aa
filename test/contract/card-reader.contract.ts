import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CardReaderDevice, CardReaderEvents, ReadRawDataRequest } from '../../drivers/card-reader/contract.js';

/** A card the customer inserts; track text without sentinels. */
export interface RigCard {
  readonly track1?: string;
  readonly track2?: string;
  readonly track3?: string;
  readonly chip?: boolean;
}

export type RigFault =
  | { readonly kind: 'nakStorm' | 'noAnswer' | 'garbage' | 'corruptReply'; readonly count?: number }
  | { readonly kind: 'tooShort' | 'tooLong' | 'badCard' | 'pullDuringEject' }
  | { readonly kind: 'error'; readonly code: string; readonly command?: string };

/**
 * A card reader under test with hands on its device: the customer's and the
 * engineer's actions. The reader is not opened yet. Its retain bin must be
 * configured with threshold 2 and capacity 3 and start empty; the device's own
 * bin must be larger, so the host counter decides until `retainBin` says otherwise.
 */
export interface CardReaderRig {
  readonly reader: CardReaderDevice;
  /** The ATR the rig's chip slot answers with when a chip card is on the contacts. */
  readonly atr: Uint8Array;
  insertCard(card: RigCard): void;
  takeCard(): void;
  jam(on: boolean): void;
  fault(fault: RigFault): void;
  power(on: boolean): void;
  /** Sets the device's own bin; `count >= capacity` trips its full sensor. */
  retainBin(bin: { count?: number; capacity?: number }): void;
  close(): Promise<void>;
}

const TRACK1 = 'B4761739001010010^CARDHOLDER/TEST^2512201';
const TRACK2 = '4761739001010010=25122011143804400000';
const signal = (): AbortSignal => new AbortController().signal;

async function waitFor(condition: () => boolean, what: string, ms = 3000): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The CardReader behaviour every implementation over a device must show:
 * XFS4IoT ReadRawData → Move → MediaRemoved, retain with its counter, the
 * reaction to each injected device fault, and offline/online.
 */
export function cardReaderContract(name: string, makeRig: () => Promise<CardReaderRig>): void {
  describe(`CardReader contract: ${name}`, () => {
    let rig: CardReaderRig;
    let reader: CardReaderDevice;
    let seen: { type: keyof CardReaderEvents; payload: unknown }[];

    const events = (type: keyof CardReaderEvents): number => seen.filter((e) => e.type === type).length;

    /** Starts ReadRawData, inserts `card` when the reader asks for it, returns the completion. */
    async function insertAndRead(card: RigCard, request: ReadRawDataRequest = { track1: true, track2: true, track3: true }) {
      const asked = events('insertCard');
      const result = reader.readRawData(request, signal());
      await waitFor(() => events('insertCard') > asked, 'insertCard');
      rig.insertCard(card);
      return result;
    }

    beforeEach(async () => {
      rig = await makeRig();
      reader = rig.reader;
      seen = [];
      const types: (keyof CardReaderEvents)[] = [
        'statusChanged',
        'error',
        'insertCard',
        'mediaInserted',
        'invalidMedia',
        'mediaRetained',
        'mediaRemoved',
        'cardAction',
      ];
      for (const type of types) reader.on(type, (payload) => seen.push({ type, payload }));
      expect((await reader.open(signal())).completionCode).toBe('success');
    });

    afterEach(async () => {
      await rig.close();
    });

    it('opens online with no card and an empty retain bin', () => {
      expect(reader.getStatus()).toMatchObject({
        device: 'online',
        media: 'notPresent',
        retainBin: { count: 0, threshold: 2, capacity: 3, state: 'ok' },
      });
      expect(reader.getCapabilities()).toMatchObject({ type: 'motor', tracks: [1, 2, 3], cardTakenSensor: true });
    });

    it('reads tracks and the chip, ejects, and reports the card taken', async () => {
      const read = await insertAndRead(
        { track1: TRACK1, track2: TRACK2, chip: true },
        { track1: true, track2: true, track3: true, chip: true },
      );
      expect(read.completionCode).toBe('success');
      if (read.completionCode !== 'success') return;
      const decode = (b?: Uint8Array): string => new TextDecoder().decode(b);
      expect(read.payload.track1?.status).toBe('ok');
      expect(decode(read.payload.track1?.data)).toBe(TRACK1);
      expect(decode(read.payload.track2?.data)).toBe(TRACK2);
      expect(read.payload.track3).toMatchObject({ status: 'dataMissing' });
      expect(read.payload.chip?.status).toBe('ok');
      expect([...(read.payload.chip?.data ?? [])]).toEqual([...rig.atr]);
      expect(events('mediaInserted')).toBe(1);
      expect(reader.getStatus()).toMatchObject({ media: 'present', chipPower: 'online' });

      expect((await reader.move({ to: 'exit' }, signal())).completionCode).toBe('success');
      expect(reader.getStatus()).toMatchObject({ media: 'entering', chipPower: 'noCard' });
      expect(events('mediaRemoved')).toBe(0);
      rig.takeCard();
      await waitFor(() => events('mediaRemoved') === 1, 'mediaRemoved');
      expect(reader.getStatus().media).toBe('notPresent');

      // Cardholder data never leaves through status, events or descriptions.
      const everything = JSON.stringify(seen) + JSON.stringify(reader.getStatus());
      expect(everything).not.toContain('4761739001010010');
    });

    it('captures to the retain bin, counting towards high and full', async () => {
      for (let n = 1; n <= 3; n++) {
        expect((await insertAndRead({ track2: TRACK2 })).completionCode).toBe('success');
        expect((await reader.move({ to: 'retain' }, signal())).completionCode).toBe('success');
        expect(seen.filter((e) => e.type === 'mediaRetained').at(-1)?.payload).toEqual({ retainCount: n });
        expect(reader.getStatus().media).toBe('notPresent');
      }
      expect(reader.getStatus().retainBin).toMatchObject({ count: 3, state: 'full' });
      expect((await insertAndRead({ track2: TRACK2 })).completionCode).toBe('success');
      expect(await reader.move({ to: 'retain' }, signal())).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'full' });
      expect(await reader.reset({ to: 'retain' }, signal())).toMatchObject({ errorCode: 'retainBinFull' });
      expect(reader.getStatus().media).toBe('present');
    });

    it('reports the retain bin high at the threshold', async () => {
      for (let n = 1; n <= 2; n++) {
        await insertAndRead({ track2: TRACK2 });
        await reader.move({ to: 'retain' }, signal());
      }
      expect(reader.getStatus().retainBin).toMatchObject({ count: 2, state: 'high' });
    });

    it('counts from 0 again once the technician has emptied the bin (resetCount)', async () => {
      for (let n = 1; n <= 3; n++) {
        await insertAndRead({ track2: TRACK2 });
        await reader.move({ to: 'retain' }, signal());
      }
      expect(reader.getStatus().retainBin).toMatchObject({ count: 3, state: 'full' });
      if (!reader.resetCount) throw new Error('the reader offers no resetCount');
      const reset = await reader.resetCount(undefined, signal());
      expect(reset).toEqual({ completionCode: 'success', payload: { count: 0, threshold: 2, capacity: 3, state: 'ok' } });
      expect((await insertAndRead({ track2: TRACK2 })).completionCode).toBe('success');
      expect((await reader.move({ to: 'retain' }, signal())).completionCode).toBe('success');
      expect(reader.getStatus().retainBin).toMatchObject({ count: 1, state: 'ok' });
    });

    it("takes the device's bin-full sensor as full", async () => {
      rig.retainBin({ count: 10, capacity: 10 });
      await waitFor(() => reader.getStatus().retainBin.state === 'full', 'bin full');
      rig.retainBin({ count: 0 });
      await waitFor(() => reader.getStatus().retainBin.state === 'ok', 'bin emptied');
    });

    it('fails with full when the device refuses a capture with a full counter', async () => {
      await insertAndRead({ track2: TRACK2 });
      rig.retainBin({ count: 10, capacity: 10 });
      const moved = await reader.move({ to: 'retain' }, signal());
      expect(moved).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'full' });
      expect(reader.getStatus().retainBin.state).toBe('full');
    });

    it('reports a jam, refuses motion, and recovers after the engineer clears it and resets', async () => {
      await insertAndRead({ track2: TRACK2 });
      rig.jam(true);
      expect(await reader.move({ to: 'exit' }, signal())).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'mediaJam' });
      expect(reader.getStatus()).toMatchObject({ media: 'jammed', device: 'hardwareError' });
      expect(await reader.move({ to: 'exit' }, signal())).toMatchObject({ errorCode: 'mediaJam' });
      expect(await reader.reset({ to: 'currentPosition' }, signal())).toMatchObject({ errorCode: 'mediaJam' });
      rig.jam(false);
      expect((await reader.reset({ to: 'exit' }, signal())).completionCode).toBe('success');
      expect(reader.getStatus()).toMatchObject({ media: 'notPresent', device: 'online' });
    });

    it('returns an unreadable card to the gate with invalidMedia', async () => {
      rig.fault({ kind: 'badCard' });
      const read = await insertAndRead({ track1: TRACK1, track2: TRACK2 });
      expect(read).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'invalidMedia' });
      expect(events('invalidMedia')).toBe(1);
      expect(reader.getStatus().media).toBe('entering');
      rig.takeCard();
      await waitFor(() => events('mediaRemoved') === 1, 'mediaRemoved');
    });

    it('refuses a too-short card at the entry', async () => {
      rig.fault({ kind: 'tooShort' });
      const read = await insertAndRead({ track2: TRACK2 });
      expect(read).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'cardTooShort' });
      expect(events('mediaInserted')).toBe(1);
      await waitFor(() => reader.getStatus().media === 'entering', 'card at the gate');
      rig.takeCard();
      await waitFor(() => events('mediaRemoved') === 1, 'mediaRemoved');
    });

    it('refuses a too-long card at the entry', async () => {
      rig.fault({ kind: 'tooLong' });
      expect(await insertAndRead({ track2: TRACK2 })).toMatchObject({ errorCode: 'cardTooLong' });
    });

    it('counts a card pulled out during eject as taken', async () => {
      await insertAndRead({ track2: TRACK2 });
      rig.fault({ kind: 'pullDuringEject' });
      expect((await reader.move({ to: 'exit' }, signal())).completionCode).toBe('success');
      expect(events('mediaRemoved')).toBe(1);
      expect(reader.getStatus().media).toBe('notPresent');
    });

    it('maps a documented reader error (latch failure) to shutterFail', async () => {
      await insertAndRead({ track2: TRACK2 });
      rig.fault({ kind: 'error', code: '11', command: 'C20' });
      expect(await reader.move({ to: 'exit' }, signal())).toMatchObject({ completionCode: 'commandErrorCode', errorCode: 'shutterFail' });
      expect(reader.getStatus().media).toBe('present');
    });

    it('ends the card wait with canceled and closes the entry', async () => {
      const controller = new AbortController();
      const read = reader.readRawData({ track2: true }, controller.signal);
      await waitFor(() => events('insertCard') === 1, 'insertCard');
      controller.abort();
      expect((await read).completionCode).toBe('canceled');
      expect((await reader.move({ to: 'exit' }, signal())).completionCode).toBe('commandErrorCode');
    });

    it('rides out garbage bytes and damaged replies', async () => {
      rig.fault({ kind: 'garbage', count: 5 });
      await new Promise((r) => setTimeout(r, 100));
      rig.fault({ kind: 'corruptReply', count: 2 });
      const read = await insertAndRead({ track2: TRACK2 });
      expect(read.completionCode).toBe('success');
      expect(reader.getStatus().device).toBe('online');
    });

    it('goes offline under a NAK storm and back online after it', async () => {
      const states: string[] = [];
      reader.on('statusChanged', (c) => c.device && states.push(c.device));
      rig.fault({ kind: 'nakStorm', count: 12 });
      await waitFor(() => states.includes('offline'), 'offline');
      await waitFor(() => reader.getStatus().device === 'online', 'online again');
    });

    it('goes offline when the reader stops answering, refuses commands, and recovers', async () => {
      rig.power(false);
      await waitFor(() => reader.getStatus().device === 'offline', 'offline');
      expect(await reader.move({ to: 'exit' }, signal())).toMatchObject({ completionCode: 'deviceNotReady' });
      rig.power(true);
      await waitFor(() => reader.getStatus().device === 'online', 'online again');
    });

    it('stays online through a single unanswered poll', async () => {
      const states: string[] = [];
      reader.on('statusChanged', (c) => c.device && states.push(c.device));
      rig.fault({ kind: 'noAnswer', count: 1 });
      await new Promise((r) => setTimeout(r, 600));
      expect(states).not.toContain('offline');
    });
  });
}
