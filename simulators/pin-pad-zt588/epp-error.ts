/** Error statuses the simulated EPP answers with (protocols.md §5a). */
export const EPP_ERRORS = {
  tmkRequired: 0xe2,
  keySize: 0xe3,
  keyNotFound: 0xe4,
  incompatible: 0xe5,
  commandLength: 0xe8,
  data: 0xe9,
  parameter: 0xeb,
  general: 0xef,
} as const;

/** A command the EPP refuses; the reply text is the single status byte. */
export class EppError extends Error {
  override readonly name = 'EppError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
