import { afterAll } from 'vitest';
import { DEMO_CARD } from './kiosk-harness.js';
import type { KioskProcess } from './kiosk-process.js';
import { sim, startSimulatorProcess, stopSimulatorProcess, until, type SimStack } from './kill-stack.js';

/*
 * What the kill tests' customers do around their transaction. Each step
 * returns early when the kiosk stops answering: the runtime was killed there.
 */

/** Card in, language, PIN on the pad: true once the menu shows. */
export async function customerAtMenu(stack: SimStack, kiosk: KioskProcess): Promise<boolean> {
  await sim(stack, 'cardReader', 'insertCard', { track2: DEMO_CARD.track2 });
  if (!(await kiosk.waitForView((v) => v.screen === 'language'))) return false;
  kiosk.intent({ type: 'ui.languageSelected', language: 'zh-CN' });
  if (!(await kiosk.waitForView((v) => v.screen === 'pin'))) return false;
  await until(async () => (await sim(stack, 'pinPad')).mode === 'pin', 5000);
  await sim(stack, 'pinPad', 'typePin', { digits: DEMO_CARD.pin, enter: true });
  return (await kiosk.waitForView((v) => v.screen === 'menu')) !== undefined;
}

/** No other transaction, and the card taken at the gate. */
export async function customerLeaves(stack: SimStack, kiosk: KioskProcess): Promise<void> {
  if (!(await kiosk.waitForView((v) => v.screen === 'anotherTransaction'))) return;
  kiosk.intent({ type: 'ui.optionSelected', option: 'another.no' });
  if (!(await kiosk.waitForView((v) => v.screen === 'takeCard'))) return;
  if (await until(async () => (await sim(stack, 'cardReader')).position === 'gate', 5000)) {
    await sim(stack, 'cardReader', 'takeCard');
  }
}

/** A starter of simulator processes for one test file; every one started is stopped after the file. */
export function simulatorStacks(): () => Promise<SimStack> {
  const stacks: SimStack[] = [];
  afterAll(async () => {
    for (const stack of stacks) await stopSimulatorProcess(stack);
  });
  return async () => {
    const stack = await startSimulatorProcess();
    stacks.push(stack);
    return stack;
  };
}
