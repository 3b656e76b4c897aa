/** Who the kiosk is on the host link: the fields every message carries. */
export interface TerminalIdentity {
  /** DE41, ans8. */
  readonly terminalId: string;
  /** DE42, ans15. */
  readonly acceptorId: string;
  /** DE32, up to 11 digits. */
  readonly acquirerId: string;
  /** DE43, ans40: name(25) city(13) country(2). */
  readonly nameLocation: string;
  /** The kiosk's zone for DE12/DE13 (+480 for China). */
  readonly utcOffsetMinutes: number;
}
