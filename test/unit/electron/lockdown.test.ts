import type { WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { hardenWebContents, isBlockedInput } from '../../../main/electron/lockdown.js';
import { FakeWebContents, fakeEvent } from './fake-electron.js';

function hardened(): FakeWebContents {
  const contents = new FakeWebContents();
  hardenWebContents(contents as unknown as WebContents);
  return contents;
}

const key = (key: string, code: string, modifiers: { control?: boolean; alt?: boolean; meta?: boolean } = {}) => ({
  key,
  code,
  control: modifiers.control ?? false,
  alt: modifiers.alt ?? false,
  meta: modifiers.meta ?? false,
});

describe('hardenWebContents', () => {
  it('denies every window.open', () => {
    expect(hardened().windowOpenHandler?.({ url: 'app://kiosk/index.html' })).toEqual({ action: 'deny' });
  });

  it.each(['will-navigate', 'will-redirect'])('%s prevents leaving app://kiosk only', (eventName) => {
    const contents = hardened();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://evil/index.html', 'app://x@kiosk/', 'not a url']) {
      const event = fakeEvent({ url });
      contents.emit(eventName, event);
      expect(event.defaultPrevented, url).toBe(true);
    }
    const inApp = fakeEvent({ url: 'app://kiosk/index.html#/welcome' });
    contents.emit(eventName, inApp);
    expect(inApp.defaultPrevented).toBe(false);
  });

  it('prevents attaching a <webview>', () => {
    const contents = hardened();
    const event = fakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('prevents blocked accelerators and lets ordinary keys through', () => {
    const contents = hardened();
    const press = (input: ReturnType<typeof key>) => {
      const event = fakeEvent();
      contents.emit('before-input-event', event, { ...input, type: 'keyDown' });
      return event.defaultPrevented;
    };
    expect(press(key('r', 'KeyR', { control: true }))).toBe(true);
    expect(press(key('F4', 'F4', { alt: true }))).toBe(true);
    expect(press(key('5', 'Digit5'))).toBe(false);
  });

  it('pins visual zoom on every page load', () => {
    const contents = hardened();
    contents.emit('did-finish-load');
    expect(contents.setVisualZoomLevelLimits).toHaveBeenCalledWith(1, 1);
  });
});

describe('isBlockedInput', () => {
  it.each([
    ['Ctrl+R', key('r', 'KeyR', { control: true })],
    ['Ctrl+Shift+R', key('R', 'KeyR', { control: true })],
    ['Ctrl+W', key('w', 'KeyW', { control: true })],
    ['Ctrl+Q', key('q', 'KeyQ', { control: true })],
    ['Ctrl+P', key('p', 'KeyP', { control: true })],
    ['Ctrl+Plus', key('+', 'Equal', { control: true })],
    ['Ctrl+=', key('=', 'Equal', { control: true })],
    ['Ctrl+Minus', key('-', 'Minus', { control: true })],
    ['Ctrl+0', key('0', 'Digit0', { control: true })],
    ['Ctrl+keypad +', key('+', 'NumpadAdd', { control: true })],
    ['Ctrl+R on a non-Latin layout', key('к', 'KeyR', { control: true })],
    ['F5', key('F5', 'F5')],
    ['Ctrl+F5', key('F5', 'F5', { control: true })],
    ['F11', key('F11', 'F11')],
    ['F12', key('F12', 'F12')],
    ['Alt+F4', key('F4', 'F4', { alt: true })],
  ])('blocks %s', (_name, input) => {
    expect(isBlockedInput(input)).toBe(true);
  });

  it.each([
    ['r', key('r', 'KeyR')],
    ['0', key('0', 'Digit0')],
    ['F4', key('F4', 'F4')],
    ['Enter', key('Enter', 'Enter')],
    ['Backspace', key('Backspace', 'Backspace')],
    ['Ctrl+A', key('a', 'KeyA', { control: true })],
  ])('allows %s', (_name, input) => {
    expect(isBlockedInput(input)).toBe(false);
  });
});
