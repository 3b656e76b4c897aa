/*
 * What the inquiries (balance, mini-statement) share besides `common.ts`: the
 * host's answer is shown, and printed on request.
 */

/** What an inquiry (balance, mini-statement) gets from the session. */
export interface InquiryInput {
  readonly receiptsAvailable: boolean;
  readonly noticeMs: number;
}

/** What the customer does on an inquiry's screens. */
export type InquiryEvent =
  | { type: 'ui.optionSelected'; option: string }
  | { type: 'ui.confirmed' }
  | { type: 'ui.cancelPressed' };

/** Guard: the customer asked for a print and the kiosk can print. */
export const wantsPrint = ({ context, event }: { context: InquiryInput; event: InquiryEvent }): boolean =>
  context.receiptsAvailable && event.type === 'ui.optionSelected' && event.option === 'receipt.print';

/**
 * An inquiry's answer on screen until the customer is done, printed on request
 * by the `src` actor with `input`; a print that fails still completes, with a
 * message. Needs the `wantsPrint` guard and `transactionActions`.
 */
export const showingThenPrinting = <TSrc extends string, TInput>(src: TSrc, input: TInput) =>
  ({
    showing: {
      entry: 'armWatchdog',
      on: {
        'ui.optionSelected': { guard: 'wantsPrint', target: 'printing' },
        'ui.confirmed': 'completed',
        'ui.cancelPressed': 'completed',
      },
    },
    printing: {
      entry: 'disarmWatchdog',
      invoke: {
        id: src,
        src,
        input,
        onDone: 'completed',
        onError: { target: 'completed', actions: { type: 'setMessage', params: { message: 'error.receiptFailed' } } },
      },
    },
  }) as const;
