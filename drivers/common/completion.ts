/**
 * The closed vocabulary every device command completes with, after XFS4IoT's
 * `completionCode`. Command-specific failures use `commandErrorCode` together
 * with a per-class `errorCode`; callers branch on those two, never on text.
 */
export const COMPLETION_CODES = [
  'success',
  'commandErrorCode',
  'canceled',
  'deviceNotReady',
  'hardwareError',
  'internalError',
  'invalidCommand',
  'invalidRequestID',
  'timeOut',
  'unsupportedCommand',
  'invalidData',
  'userError',
  'unsupportedData',
  'fraudAttempt',
  'sequenceError',
  'authorisationRequired',
  'noCommandNonce',
  'invalidToken',
  'invalidTokenNonce',
  'invalidTokenHMAC',
  'invalidTokenFormat',
  'invalidTokenKeyNoValue',
  'notEnoughSpace',
] as const;

export type CompletionCode = (typeof COMPLETION_CODES)[number];
export type FailureCode = Exclude<CompletionCode, 'success'>;

/** A successful completion carrying the command's payload. */
export interface Success<T> {
  readonly completionCode: 'success';
  readonly payload: T;
}

/**
 * A failed completion. `errorCode` is set only with `commandErrorCode` and is one
 * of the device class's own error codes; `errorDescription` is for logs only.
 * `payload` carries what is known despite the failure (e.g. notes already moved).
 */
export interface Failure<E extends string, P = undefined> {
  readonly completionCode: FailureCode;
  readonly errorCode?: E;
  readonly errorDescription: string;
  readonly payload?: P;
}

/** What every device command resolves to; commands never reject for device faults. */
export type DeviceResult<T, E extends string = never, P = undefined> = Success<T> | Failure<E, P>;

/**
 * A device command: takes a request and an AbortSignal (XFS4IoT Cancel / header
 * timeout), and resolves — never rejects — with a completion.
 */
export type DeviceCommand<Req, Res, E extends string = never, P = undefined> = (
  request: Req,
  signal: AbortSignal,
) => Promise<DeviceResult<Res, E, P>>;

export function ok<T>(payload: T): Success<T> {
  return { completionCode: 'success', payload };
}

export function fail<E extends string, P = undefined>(
  completionCode: FailureCode,
  errorDescription: string,
  errorCode?: E,
  payload?: P,
): Failure<E, P> {
  const base = { completionCode, errorDescription };
  return {
    ...base,
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(payload === undefined ? {} : { payload }),
  };
}

export function isSuccess<T, E extends string, P>(r: DeviceResult<T, E, P>): r is Success<T> {
  return r.completionCode === 'success';
}

/**
 * An expected device-side failure thrown inside a driver; `toFailure` maps it
 * (and anything else) to a completion in one place. `payload` is what the
 * failure still reports (e.g. the notes a partial dispense did move).
 */
export class DeviceError<E extends string = string, P = unknown> extends Error {
  override readonly name = 'DeviceError';
  constructor(
    readonly completionCode: FailureCode,
    message: string,
    readonly errorCode?: E,
    readonly payload?: P,
  ) {
    super(message);
  }
}

/** Thrown when an operation is aborted through its AbortSignal. */
export class CanceledError extends Error {
  override readonly name = 'CanceledError';
  readonly canceled = true;
}

/** Thrown by link layers when a device does not answer in time. */
export class DeviceTimeoutError extends Error {
  override readonly name = 'DeviceTimeoutError';
  readonly timedOut = true;
}

/** The single exception → completion mapping every driver uses. */
export function toFailure<E extends string, P = undefined>(err: unknown): Failure<E, NoInfer<P>> {
  if (err instanceof DeviceError) {
    return fail(err.completionCode, err.message, err.errorCode as E | undefined, err.payload as P | undefined);
  }
  if (err instanceof CanceledError) return fail('canceled', err.message);
  if (err instanceof DeviceTimeoutError) return fail('timeOut', err.message);
  const message = err instanceof Error ? err.message : String(err);
  return fail('internalError', message);
}

/** Runs a driver body and converts anything it throws with `toFailure`. */
export async function complete<T, E extends string, P = undefined>(
  body: () => Promise<T>,
): Promise<DeviceResult<T, E, P>> {
  try {
    return ok(await body());
  } catch (err) {
    return toFailure<E, P>(err);
  }
}

/** Throws a CanceledError if the signal is already aborted. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new CanceledError('command canceled');
}
