/** POLL answer states (protocols.md §2b, after [LM] consts.js) and the bunch-escrow extension states. */
export const STATE = {
  powerUp: 0x10,
  powerUpInValidator: 0x11,
  powerUpInStacker: 0x12,
  initialize: 0x13,
  idling: 0x14,
  accepting: 0x15,
  stacking: 0x17,
  returning: 0x18,
  disabled: 0x19,
  holding: 0x1a,
  busy: 0x1b,
  rejecting: 0x1c,
  cassetteFull: 0x41,
  cassetteOut: 0x42,
  validatorJammed: 0x43,
  cassetteJammed: 0x44,
  cheated: 0x45,
  pause: 0x46,
  failure: 0x47,
  escrow: 0x80,
  stacked: 0x81,
  returned: 0x82,
  /** Extension: a note entered the escrow stack: type, quality (0 fit, 1 unfit), serial len, serial. */
  escrowed: 0x90,
  /** Extension: a note was kept: type, reason (0 counterfeit, 1 suspect), serial len, serial. */
  retained: 0x91,
} as const;

export type StateName = keyof typeof STATE;

/** 0x1C REJECTING reasons. */
export const REJECT_REASONS: Readonly<Record<number, string>> = {
  0x60: 'insertion',
  0x61: 'magnetic',
  0x62: 'remainingInHead',
  0x63: 'multiplying',
  0x64: 'conveying',
  0x65: 'identification',
  0x66: 'verification',
  0x67: 'optic',
  0x68: 'inhibit',
  0x69: 'capacitance',
  0x6a: 'operation',
  0x6c: 'length',
  0x6d: 'uv',
};

export type CcnetState =
  | { readonly name: 'escrow' | 'stacked' | 'returned'; readonly billType: number }
  | { readonly name: 'rejecting'; readonly reason: string }
  | { readonly name: 'failure'; readonly code: number }
  | { readonly name: 'escrowed'; readonly billType: number; readonly unfit: boolean; readonly serial: string }
  | { readonly name: 'retained'; readonly billType: number; readonly suspect: boolean; readonly serial: string }
  | {
      readonly name: Exclude<
        StateName,
        'escrow' | 'stacked' | 'returned' | 'rejecting' | 'failure' | 'escrowed' | 'retained'
      >;
    }
  | { readonly name: 'unknown'; readonly code: number };

const NAMES = new Map<number, StateName>(Object.entries(STATE).map(([k, v]) => [v, k as StateName]));

/** Parses a POLL answer (state byte and its data). Never throws. */
export function parseState(data: Uint8Array): CcnetState | undefined {
  const code = data[0];
  if (code === undefined) return undefined;
  const name = NAMES.get(code);
  if (!name) return { name: 'unknown', code };
  switch (name) {
    case 'escrow':
    case 'stacked':
    case 'returned':
      return data.length >= 2 ? { name, billType: data[1]! } : undefined;
    case 'rejecting':
      return { name, reason: REJECT_REASONS[data[1] ?? -1] ?? 'unknown' };
    case 'failure':
      return { name, code: data[1] ?? 0 };
    case 'escrowed':
    case 'retained': {
      const len = data[3];
      if (len === undefined || data.length < 4 + len) return undefined;
      const serial = String.fromCharCode(...data.subarray(4, 4 + len));
      return name === 'escrowed'
        ? { name, billType: data[1]!, unfit: data[2] === 1, serial }
        : { name, billType: data[1]!, suspect: data[2] === 1, serial };
    }
    default:
      return { name } as CcnetState;
  }
}
