import { z } from 'zod';

/**
 * Scripted misbehaviour for the next N requests (0800s excluded unless `mti` names them):
 * - timeout: process the request, send nothing.
 * - decline: answer with `code` (default 05) without processing.
 * - disconnect: process, send half of the response frame, drop the connection.
 * - badMac: process, answer with a corrupted MAC.
 * - formatError: process, answer with a well-framed but undecodable message.
 * - duplicate: process, send the response twice.
 * - stray: send a response to a STAN nobody asked about, then the real one.
 * - truncated: process, send a frame header and only part of the body, then go quiet.
 * - oversized: announce a 65535-byte frame.
 * - tokenTamper: process; an approved withdrawal's dispense token comes back validly signed on another nonce.
 * `process: false` turns the processing off where it applies (the host never saw the request).
 */
export const FAULT_KINDS = [
  'timeout',
  'decline',
  'disconnect',
  'badMac',
  'formatError',
  'duplicate',
  'stray',
  'truncated',
  'oversized',
  'tokenTamper',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FaultSchema = z
  .object({
    kind: z.enum(FAULT_KINDS),
    count: z.number().int().min(1).max(1000).default(1),
    code: z
      .string()
      .regex(/^[0-9A-Z]{2}$/)
      .optional(),
    /** MTI prefix the fault applies to ("0200", "04"); default every non-08xx request. */
    mti: z
      .string()
      .regex(/^[0-9]{1,4}$/)
      .optional(),
    process: z.boolean().default(true),
  })
  .strict();
export type Fault = z.infer<typeof FaultSchema>;

export class FaultPlan {
  #faults: { fault: Fault; left: number }[] = [];

  add(fault: Fault): void {
    this.#faults.push({ fault, left: fault.count });
  }

  clear(): void {
    this.#faults = [];
  }

  /** The fault for a request of this MTI, consuming one of its count. */
  take(mti: string): Fault | undefined {
    const entry = this.#faults.find(({ fault }) =>
      fault.mti === undefined ? !mti.startsWith('08') : mti.startsWith(fault.mti),
    );
    if (entry === undefined) return undefined;
    if (--entry.left === 0) this.#faults.splice(this.#faults.indexOf(entry), 1);
    return entry.fault;
  }

  list(): { fault: Fault; left: number }[] {
    return this.#faults.map((f) => ({ ...f }));
  }
}
