import { ResyncDecoder, singleByteLead, type StreamGrammar } from '../common/resync-decoder.js';
import { ACK, EOT, LcdmFrameError, NAK, SOH, scanFrame, type LcdmFrame } from './frame.js';

/** What the host reads from the dispenser: link control bytes, reply frames, damaged frames. */
export type LcdmToken =
  | { readonly type: 'ack' }
  | { readonly type: 'nak' }
  | { readonly type: 'eot' }
  | { readonly type: 'frame'; readonly frame: LcdmFrame }
  | { readonly type: 'rejected'; readonly error: LcdmFrameError };

const CONTROL: ReadonlyMap<number, LcdmToken> = new Map([
  [ACK, { type: 'ack' }],
  [NAK, { type: 'nak' }],
  [EOT, { type: 'eot' }],
]);

type Scanned = { readonly frame: LcdmFrame };

const GRAMMAR: StreamGrammar<LcdmToken, Scanned, LcdmFrameError> = {
  lead: singleByteLead(CONTROL, SOH),
  scan: (bytes, at) => scanFrame(bytes, 'reply', at),
  frame: ({ frame }) => ({ type: 'frame', frame }),
  rejected: (error) => ({ type: 'rejected', error }),
  cutShort: () => new LcdmFrameError('truncated', 'frame cut short by the next frame'),
  resyncOnDamaged: false,
};

/** Turns arbitrary chunks from the dispenser into tokens; reply frames start at SOH (see `ResyncDecoder`). */
export class LcdmReplyDecoder extends ResyncDecoder<LcdmToken, Scanned, LcdmFrameError> {
  constructor() {
    super(GRAMMAR);
  }
}
