import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The EPP's non-volatile memory: key slots and settings, kept in a JSON file
 * in the state folder so that they survive a simulator restart as they survive
 * a power cycle. The PIN is never part of it.
 */
export interface StoredKey {
  /** ZT588 key type: 1 IMK, 2 TMK, 3 TPK, 5 TAK, 6 TDK. */
  readonly type: number;
  /** 0–2 single/double/triple DES, 3–5 AES-128/192/256. */
  readonly lengthCode: number;
  readonly value: Uint8Array;
}

export interface EppSettings {
  scanCodes: number[];
  pinMask: number;
  minLength: number;
  maxLength: number;
  inputTimeSeconds: number;
  sound: boolean;
  hexMode: boolean;
  userData: string;
}

export const DEFAULT_SETTINGS: EppSettings = {
  // Factory table: 1 2 3 ESC / 4 5 6 BS / 7 8 9 BEL / . 0 # CR / A C E G / B D F H.
  scanCodes: [...'123\x1b456\x08789\x07.0#\rACEGBDFH'].map((c) => c.charCodeAt(0)),
  pinMask: 0xff,
  minLength: 4,
  maxLength: 12,
  inputTimeSeconds: 30,
  sound: true,
  hexMode: false,
  userData: '',
};

const FileSchema = z.object({
  version: z.literal(1),
  keys: z.record(z.string().regex(/^[0-9A-F]{2}$/), z.object({
    type: z.number().int(),
    lengthCode: z.number().int(),
    value: z.string().regex(/^([0-9A-F]{2})+$/),
  })),
  settings: z.object({
    scanCodes: z.array(z.number().int().min(0).max(255)).length(24),
    pinMask: z.number().int().min(0).max(255),
    minLength: z.number().int().min(0).max(255),
    maxLength: z.number().int().min(0).max(255),
    inputTimeSeconds: z.number().int().min(0).max(255),
    sound: z.boolean(),
    hexMode: z.boolean(),
    userData: z.string().max(50),
  }),
});

const FILE_NAME = 'zt588-epp.json';

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

export class KeyStore {
  private readonly path: string;
  private readonly keys = new Map<number, StoredKey>();
  settings: EppSettings;
  /** The settings as last written, to skip writes that change nothing. */
  private savedSettings: string | undefined;

  constructor(stateDir: string) {
    mkdirSync(stateDir, { recursive: true });
    this.path = join(stateDir, FILE_NAME);
    this.settings = { ...DEFAULT_SETTINGS, scanCodes: [...DEFAULT_SETTINGS.scanCodes] };
    this.load();
  }

  get(slot: number): StoredKey | undefined {
    return this.keys.get(slot);
  }

  slots(): [number, StoredKey][] {
    return [...this.keys].sort(([a], [b]) => a - b);
  }

  get blank(): boolean {
    return this.keys.size === 0;
  }

  put(slot: number, key: StoredKey): void {
    this.keys.get(slot)?.value.fill(0);
    this.keys.set(slot, key);
    this.save();
  }

  delete(slot: number): boolean {
    const key = this.keys.get(slot);
    if (!key) return false;
    key.value.fill(0);
    this.keys.delete(slot);
    this.save();
    return true;
  }

  wipe(): void {
    for (const key of this.keys.values()) key.value.fill(0);
    this.keys.clear();
    this.save();
  }

  /** Persists the settings when they differ from what is on file (a PIN entry sets the same lengths each time). */
  saveSettings(): void {
    const now = JSON.stringify(this.settings);
    if (now === this.savedSettings) return;
    this.save();
  }

  private load(): void {
    let raw: string;
    try {
      raw = readFileSync(this.path, 'utf8');
    } catch {
      return; // a factory-fresh EPP
    }
    const file = FileSchema.parse(JSON.parse(raw));
    for (const [slot, key] of Object.entries(file.keys)) {
      this.keys.set(Number.parseInt(slot, 16), { ...key, value: Uint8Array.from(Buffer.from(key.value, 'hex')) });
    }
    this.settings = file.settings;
    this.savedSettings = JSON.stringify(this.settings);
  }

  /** Write-then-rename, so that a crash never leaves half a file. */
  private save(): void {
    const keys = Object.fromEntries(
      this.slots().map(([slot, key]) => [
        slot.toString(16).toUpperCase().padStart(2, '0'),
        { type: key.type, lengthCode: key.lengthCode, value: hex(key.value) },
      ]),
    );
    const temporary = `${this.path}.tmp`;
    writeFileSync(temporary, JSON.stringify({ version: 1, keys, settings: this.settings }, null, 2), { mode: 0o600 });
    renameSync(temporary, this.path);
    this.savedSettings = JSON.stringify(this.settings);
  }
}
