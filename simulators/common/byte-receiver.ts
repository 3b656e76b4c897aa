/**
 * A byte-at-a-time receiver, as a device's UART interrupt would run it: `step`
 * sees one byte and may complete an event (a frame, a control byte, a fault).
 */
export abstract class ByteReceiver<E> {
  feed(chunk: Uint8Array): E[] {
    const events: E[] = [];
    for (const byte of chunk) {
      const event = this.step(byte);
      if (event !== undefined) events.push(event);
    }
    return events;
  }

  protected abstract step(byte: number): E | undefined;
}
