import { randomBytes } from 'node:crypto';

/** Injected so PIN-block padding and key-block padding are reproducible in tests. */
export type RandomSource = (length: number) => Uint8Array;

export const systemRandom: RandomSource = (length) => randomBytes(length);
