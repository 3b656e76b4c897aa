import type { DeviceState } from '../../common/status.js';
import {
  decodeStatus,
  isStatusByte,
  statusRequest,
  type StatusPage,
  type StatusPages,
} from '../../protocols/escpos/realtime-status.js';
import { FULL_STATUS_REQUEST, FullStatusAssembler, type Vkp80Status } from '../../protocols/escpos/vkp80-status.js';
import type { PaperState } from '../contract.js';
import type { AnswerReader } from './answer-reader.js';

/** What one status poll learned, in the printer contract's terms. */
export interface ProbedStatus {
  readonly device: Extract<DeviceState, 'online' | 'hardwareError'>;
  readonly paper: PaperState;
  readonly coverOpen: boolean;
  /** Always false for printers without a presenter sensor. */
  readonly ticketInPresenter: boolean;
  readonly detail: string;
}

export type StatusProbe = (reader: AnswerReader) => Promise<ProbedStatus>;

function askPage<P extends StatusPage>(reader: AnswerReader, page: P): Promise<StatusPages[P]> {
  return reader.ask(
    statusRequest(page),
    (byte) => (isStatusByte(byte) ? decodeStatus(page, byte) : undefined),
    `DLE EOT ${page}`,
  );
}

/** Any Epson-compatible printer: DLE EOT pages 1, 2 and 4. */
export const probeRealtimeStatus: StatusProbe = async (reader) => {
  const printer = await askPage(reader, 'printer');
  const cause = await askPage(reader, 'offlineCause');
  const sensor = await askPage(reader, 'paperSensor');
  return {
    device: cause.errorOccurred ? 'hardwareError' : 'online',
    paper: sensor.paperEnd || cause.stoppedByPaperEnd ? 'out' : sensor.nearEnd ? 'low' : 'full',
    coverOpen: cause.coverOpen,
    ticketInPresenter: false,
    detail: printer.offline ? 'printer reports offline' : 'ok',
  };
};

const VKP80_FAULTS: readonly (readonly [keyof Vkp80Status, string])[] = [
  ['paperJam', 'paper jam'],
  ['cutterError', 'cutter error'],
  ['headTemperatureError', 'print head temperature'],
  ['powerSupplyError', 'power supply'],
  ['memoryError', 'memory error'],
  ['serialError', 'RS-232 error'],
];

/** Custom VKP80: one full-status request (`10 04 14`) covers paper, cover, presenter and faults. */
export const probeVkp80Status: StatusProbe = async (reader) => {
  const assembler = new FullStatusAssembler();
  const status = await reader.ask(FULL_STATUS_REQUEST, (byte) => assembler.push(byte), 'VKP80 full status');
  const faults = VKP80_FAULTS.filter(([flag]) => status[flag]).map(([, text]) => text);
  return {
    device: faults.length > 0 ? 'hardwareError' : 'online',
    paper: status.paperJam ? 'jammed' : status.paperEnd ? 'out' : status.nearEnd ? 'low' : 'full',
    coverOpen: status.coverOpen,
    ticketInPresenter: status.ticketInPresenter,
    detail: faults.length > 0 ? faults.join(', ') : 'ok',
  };
};
