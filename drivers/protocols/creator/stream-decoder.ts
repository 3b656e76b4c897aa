import { ResyncDecoder, singleByteLead, type StreamGrammar } from '../common/resync-decoder.js';
import { ACK, CreatorFrameError, ENQ, NAK, STX, scanFrame, type CreatorFrame } from './frame.js';

/** What the byte stream carries: link control bytes, frames, and frames refused. */
export type LinkToken =
  | { readonly type: 'ack' }
  | { readonly type: 'nak' }
  | { readonly type: 'enq' }
  | { readonly type: 'frame'; readonly frame: CreatorFrame }
  | { readonly type: 'rejected'; readonly error: CreatorFrameError };

const CONTROL: ReadonlyMap<number, LinkToken> = new Map([
  [ACK, { type: 'ack' }],
  [NAK, { type: 'nak' }],
  [ENQ, { type: 'enq' }],
]);

type Scanned = { readonly frame: CreatorFrame };

/**
 * A frame that failed only its BCC kept its shape, so its damaged text is
 * skipped whole (it must not be read as control bytes), and it counts as a
 * frame to resync on, so a stray STX cannot swallow the answer after it.
 */
const GRAMMAR: StreamGrammar<LinkToken, Scanned, CreatorFrameError> = {
  lead: singleByteLead(CONTROL, STX),
  scan: scanFrame,
  frame: ({ frame }) => ({ type: 'frame', frame }),
  rejected: (error) => ({ type: 'rejected', error }),
  cutShort: () => new CreatorFrameError('truncated', 'frame cut short by the next frame'),
  resyncOnDamaged: true,
};

/** Turns arbitrary chunks from the card reader's line into link tokens (see `ResyncDecoder`). */
export class CreatorStreamDecoder extends ResyncDecoder<LinkToken, Scanned, CreatorFrameError> {
  constructor() {
    super(GRAMMAR);
  }
}
