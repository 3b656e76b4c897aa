import type { Clock } from '../../common/clock.js';
import type { ModbusMaster } from '../../common/modbus-master.js';
import { ModbusIoBoard, type ModbusIoBoardOptions } from '../../auxiliaries/modbus-io/io-board.js';
import { ModbusIoAuxiliaries } from '../../auxiliaries/modbus-io/modbus-io-auxiliaries.js';
import { ModbusIoLights } from './modbus-io-lights.js';

export interface ModbusIoBoardIds {
  readonly auxiliaries: string;
  readonly lights: string;
}

export interface ModbusIoBoardDevices {
  readonly auxiliaries: ModbusIoAuxiliaries;
  readonly lights: ModbusIoLights;
}

/**
 * One I/O board, two XFS4IoT devices on one Modbus line: the Auxiliaries face
 * (sensors, alarm) and the Lights face (guidance lights). The Lights face is
 * also the Auxiliaries face's companion, for a registry that builds one device
 * per configuration entry.
 */
export function createModbusIoBoard(
  ids: ModbusIoBoardIds,
  clock: Clock,
  master: ModbusMaster,
  options: ModbusIoBoardOptions = {},
): ModbusIoBoardDevices {
  const board = new ModbusIoBoard(master, clock, options);
  const lights = new ModbusIoLights({ id: ids.lights, clock }, board);
  const auxiliaries = new ModbusIoAuxiliaries({ id: ids.auxiliaries, clock }, board, [lights]);
  return { auxiliaries, lights };
}
