import { waitFor } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { HostResult } from '../../../state-machines/session/types.js';
import { fakeWorld, flowState, startSession, tick } from './session-fixtures.js';

function start(host?: HostResult[]) {
  const world = fakeWorld(host);
  return { world, ...startSession(world) };
}

describe('session machine with a withdrawal', () => {
  it('runs card → language → PIN → menu → withdrawal → cash taken → card returned', async () => {
    const { actor, world } = start();
    await tick();
    expect(flowState(actor)).toContain('language');
    actor.send({ type: 'ui.languageSelected', language: 'en' });
    await tick();
    expect(flowState(actor)).toContain('menu');
    actor.send({ type: 'ui.optionSelected', option: 'menu.withdrawal' });
    actor.send({ type: 'ui.optionSelected', option: 'amount.50000' });
    actor.send({ type: 'ui.optionSelected', option: 'receipt.yes' });
    actor.send({ type: 'ui.confirmed' });
    await tick();
    await tick();
    expect(world.steps).toEqual(['readCard', 'enterPin', 'authorize', 'dispense:50000', 'present', 'waitCashTaken']);
    world.takeCash();
    await tick();
    await tick();
    expect(flowState(actor)).toContain('anotherTransaction');
    actor.send({ type: 'ui.optionSelected', option: 'another.no' });
    await tick();
    world.takeCard();
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output).toMatchObject({
      cardOutcome: 'returned',
      results: [{ kind: 'withdrawal', outcome: 'completed', amountMinor: 50_000 }],
    });
    expect(world.steps.slice(-3)).toEqual(['printReceipt', 'ejectCard', 'waitCardTaken']);
  });

  it('retracts cash not taken in time and queues a reversal', async () => {
    const { actor, world, clock } = start();
    await tick();
    actor.send({ type: 'ui.languageSelected', language: 'zh-CN' });
    await tick();
    actor.send({ type: 'ui.optionSelected', option: 'menu.withdrawal' });
    actor.send({ type: 'ui.optionSelected', option: 'amount.10000' });
    actor.send({ type: 'ui.optionSelected', option: 'receipt.no' });
    actor.send({ type: 'ui.confirmed' });
    await tick();
    await tick();
    clock.increment(30_000);
    await tick();
    await tick();
    expect(world.steps).toContain('retractCash');
    expect(world.steps.indexOf('queueReversal')).toBeGreaterThan(world.steps.indexOf('retractCash'));
  });

  it('captures the card after three wrong PINs', async () => {
    const wrong: HostResult = { action: 'wrongPin', responseCode: '55' };
    const { actor, world, clock } = start([wrong, wrong, wrong]);
    await tick();
    actor.send({ type: 'ui.languageSelected', language: 'zh-CN' });
    for (let i = 0; i < 3; i += 1) {
      await tick();
      actor.send({ type: 'ui.optionSelected', option: 'menu.balance' });
      await tick();
      await tick();
      if (i < 2) actor.send({ type: 'ui.confirmed' });
    }
    // The customer is told the card was kept before the session ends.
    await waitFor(actor, (s) => JSON.stringify(s.value).includes('cardKeptNotice'));
    clock.increment(5_000);
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output?.cardOutcome).toBe('captured');
    expect(world.steps.filter((s) => s === 'authorize')).toHaveLength(3);
    expect(world.steps).toContain('captureCard');
  });

  it('asks "need more time?" and ends the session with the card returned when the customer has gone', async () => {
    const { actor, world, clock } = start();
    await tick();
    clock.increment(30_000);
    expect(JSON.stringify(actor.getSnapshot().value)).toContain('asking');
    actor.send({ type: 'ui.moreTimeRequested' });
    expect(JSON.stringify(actor.getSnapshot().value)).toContain('counting');
    clock.increment(30_000);
    clock.increment(15_000);
    await tick();
    expect(world.steps).toContain('ejectCard');
    clock.increment(30_000);
    await tick();
    clock.increment(5_000);
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output?.cardOutcome).toBe('captured');
  });
});
