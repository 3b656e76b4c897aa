import { describe, expect, it } from 'vitest';
import type { PinChangeContext } from '../../../state-machines/transactions/pin-change.machine.js';
import { pinChangeScreen } from '../../../main/runtime/view-projection.js';
import {
  approve,
  flowState,
  lastResult,
  sessionWith,
  settle,
  transaction,
  transactionState,
  type SessionActor,
  type WorldScript,
} from './session-fixtures.js';

const six = { completion: 'enter', digits: 6 } as const;

const pinChangeSession = (script: WorldScript) => sessionWith('menu.pinChange', script);
const screen = (actor: SessionActor) => pinChangeScreen(transaction<PinChangeContext>(actor));

describe('PIN change in a session', () => {
  it('asks the pad to compare the two entries, then the host changes the PIN', async () => {
    const { actor, world } = await pinChangeSession({ pinEntries: [six, six], pinsMatch: [true], host: [approve()] });
    expect(screen(actor)).toEqual({ screen: 'notice', data: { message: 'pinChange.changed' } });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(world.steps).toEqual(['readCard', 'enterPin', 'enterNewPin', 'confirmNewPin', 'pinsMatch', 'changePin']);
    expect(lastResult(actor)).toMatchObject({ kind: 'pinChange', outcome: 'completed' });
  });

  it('starts over after a mismatch and asks the host only once the entries match', async () => {
    const { actor, world } = await pinChangeSession({ pinEntries: [six, six], pinsMatch: [false], host: [] });
    expect(transactionState(actor)).toBe('enteringNew');
    expect(screen(actor)).toEqual({
      screen: 'pinChange',
      data: { pinStage: 'new', pinDigits: 0, message: 'pinChange.mismatch' },
    });
    expect(world.steps).not.toContain('changePin');
  });

  it('asks again for a new PIN that is too short', async () => {
    const { actor, world } = await pinChangeSession({ pinEntries: [{ completion: 'enter', digits: 4 }] });
    expect(transactionState(actor)).toBe('enteringNew');
    expect(screen(actor)).toMatchObject({ data: { message: 'pinChange.tooShort' } });
    expect(world.steps.filter((s) => s === 'enterNewPin')).toHaveLength(2);
  });

  it('shows the PIN pad key count as dots on the second entry', async () => {
    const { actor } = await pinChangeSession({ pinEntries: [six] });
    actor.send({ type: 'pinpad.digitPressed', digits: 3 });
    expect(screen(actor)).toEqual({ screen: 'pinChange', data: { pinStage: 'repeat', pinDigits: 3 } });
  });

  it('cancels at the second entry without asking the host', async () => {
    const { actor, world } = await pinChangeSession({ pinEntries: [six, { completion: 'cancel', digits: 0 }] });
    expect(world.steps).not.toContain('pinsMatch');
    expect(world.steps).not.toContain('changePin');
    expect(lastResult(actor)).toMatchObject({ outcome: 'canceled' });
  });

  it('hands a wrong current PIN to the session', async () => {
    const { actor } = await pinChangeSession({
      pinEntries: [six, six],
      pinsMatch: [true],
      host: [{ action: 'wrongPin', responseCode: '55' }],
    });
    expect(flowState(actor)).toContain('wrongPinNotice');
    expect(lastResult(actor)).toMatchObject({ outcome: 'wrongPin' });
  });

  it('reports a PIN pad that fails during the comparison', async () => {
    const { actor, world } = await pinChangeSession({ pinEntries: [six, six], pinsMatch: ['fail'] });
    expect(screen(actor)).toEqual({ screen: 'notice', data: { message: 'error.pinPadFailed' } });
    actor.send({ type: 'ui.confirmed' });
    await settle();
    expect(world.steps).not.toContain('changePin');
    expect(lastResult(actor)).toMatchObject({ outcome: 'failed', reason: 'error.pinPadFailed' });
  });
});
