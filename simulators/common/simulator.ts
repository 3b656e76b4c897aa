import type { ByteTransport } from '../../drivers/common/transport.js';

/** A bad request to a simulator's developer API (unknown action or invalid body). */
export class SimulatorControlError extends Error {
  override readonly name = 'SimulatorControlError';
}

/**
 * A device simulator: speaks the device's side of the protocol on a byte
 * transport (a pty end or an in-memory pipe) and keeps its own model of the
 * device. Tests and developers drive it through `control` (insert a card,
 * open a door, run out of paper).
 */
export interface DeviceSimulator {
  /** Logical name, matching the device id in the kiosk configuration. */
  readonly name: string;
  attach(transport: ByteTransport): Promise<void>;
  detach(): Promise<void>;
  /** The simulator's state as JSON, for the developer API and tests. */
  snapshot(): unknown;
  /** Applies a developer action; throws SimulatorControlError for bad input. */
  control(action: string, body: unknown): unknown;
}
