import { FRAME_LEAD, NOISE_LEAD, ResyncDecoder, WAIT_LEAD, type StreamGrammar } from '../common/resync-decoder.js';
import { ACK, DLE, ENQ, F56FrameError, NAK, STX, scanFrame } from './frame.js';

export type F56Token =
  | { readonly type: 'enq' }
  | { readonly type: 'ack' }
  | { readonly type: 'nak' }
  | { readonly type: 'frame'; readonly data: Uint8Array }
  | { readonly type: 'rejected'; readonly error: F56FrameError };

const CONTROL: ReadonlyMap<number, F56Token> = new Map([
  [ENQ, { type: 'enq' }],
  [ACK, { type: 'ack' }],
  [NAK, { type: 'nak' }],
]);

type Scanned = { readonly data: Uint8Array };

/** Everything starts with DLE: `DLE x` is a control token, `DLE STX` a frame; any other byte is noise. */
const GRAMMAR: StreamGrammar<F56Token, Scanned, F56FrameError> = {
  lead(bytes, at) {
    if (bytes[at] !== DLE) return NOISE_LEAD;
    if (at + 1 >= bytes.length) return WAIT_LEAD;
    const next = bytes[at + 1] as number;
    const control = CONTROL.get(next);
    if (control) return { kind: 'control', token: control, length: 2 };
    return next === STX ? FRAME_LEAD : NOISE_LEAD;
  },
  scan: scanFrame,
  frame: ({ data }) => ({ type: 'frame', data }),
  rejected: (error) => ({ type: 'rejected', error }),
  cutShort: () => new F56FrameError('truncated', 'frame cut short by the next frame'),
  resyncOnDamaged: false,
};

/** Chunks from either side of the F56 link → tokens (see `ResyncDecoder`). */
export class F56StreamDecoder extends ResyncDecoder<F56Token, Scanned, F56FrameError> {
  constructor() {
    super(GRAMMAR);
  }
}
