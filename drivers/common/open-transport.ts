import { fail, type Failure } from './completion.js';

/**
 * Opens a driver's transport: a port that will not open is the device's
 * hardware error, reported as the failure `open` returns; undefined when open.
 */
export async function openTransport(
  transport: { readonly description: string; open(signal?: AbortSignal): Promise<void> },
  signal: AbortSignal,
): Promise<Failure<never> | undefined> {
  try {
    await transport.open(signal);
    return undefined;
  } catch (err) {
    return fail<never>('hardwareError', `cannot open ${transport.description}: ${String(err)}`);
  }
}
