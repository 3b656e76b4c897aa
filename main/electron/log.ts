/** A structured event sink for the shell; the entry point decides where it goes. */
export type HostLog = (event: string, details?: Readonly<Record<string, unknown>>) => void;
