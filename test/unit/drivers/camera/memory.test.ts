import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../drivers/common/clock.js';
import { MemoryCamera } from '../../../../drivers/camera/memory.js';

const signal = new AbortController().signal;

describe('MemoryCamera', () => {
  let camera: MemoryCamera;
  beforeEach(async () => {
    camera = new MemoryCamera({
      id: 'camera',
      clock: new ManualClock(),
      cameras: { room: 'ok', person: 'ok', exitSlot: 'notSupported' },
    });
    await camera.open(signal);
  });

  it('returns the frame the camera sees, with its MIME type', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    camera.setFrame('person', { image: png, mimeType: 'image/png' });
    const result = await camera.takePicture({ camera: 'person', camData: 'K01 T123' }, signal);
    expect(result).toEqual({ completionCode: 'success', payload: { image: png, mimeType: 'image/png' } });
    expect(camera.taken).toEqual([{ camera: 'person', camData: 'K01 T123' }]);
  });

  it('returns a JPEG placeholder when no frame was set', async () => {
    const result = await camera.takePicture({ camera: 'room' }, signal);
    expect(result).toMatchObject({ payload: { mimeType: 'image/jpeg' } });
  });

  it('fails with cameraNotSupported for a missing camera', async () => {
    expect(await camera.takePicture({ camera: 'exitSlot' }, signal)).toMatchObject({
      completionCode: 'commandErrorCode',
      errorCode: 'cameraNotSupported',
    });
  });

  it('fails with cameraInoperable while a camera is broken, and reports it in the status', async () => {
    const changes: unknown[] = [];
    camera.on('statusChanged', (c) => changes.push(c));
    camera.setCameraState('room', 'inoperative');
    expect(changes).toEqual([{ cameras: { room: 'inoperative', person: 'ok', exitSlot: 'notSupported' } }]);
    expect(await camera.takePicture({ camera: 'room' }, signal)).toMatchObject({ errorCode: 'cameraInoperable' });
    expect(camera.taken).toEqual([]);
  });
});
