import type { Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, hardenSession } from '../../../main/electron/session.js';
import { FakeSession } from './fake-electron.js';

function hardened(): FakeSession {
  const session = new FakeSession();
  hardenSession(session as unknown as Session);
  return session;
}

describe('hardenSession', () => {
  it('replaces any CSP header with the kiosk policy', () => {
    let response: unknown;
    hardened().headersListener?.(
      { responseHeaders: { 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'] } },
      (r) => (response = r),
    );
    expect(response).toEqual({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });

  it('carries every directive the kiosk relies on', () => {
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "media-src 'self' blob:",
    ]) {
      expect(CONTENT_SECURITY_POLICY).toContain(directive);
    }
  });

  it.each([
    ['media', 'app://kiosk/index.html', true],
    ['media', 'https://evil.example/', false],
    ['media', 'app://evil/index.html', false],
    ['geolocation', 'app://kiosk/index.html', false],
    ['hid', 'app://kiosk/index.html', false],
  ])('permission request %s from %s → %s', (permission, requestingUrl, granted) => {
    let answer: unknown;
    hardened().requestHandler?.({}, permission, (ok: boolean) => (answer = ok), { requestingUrl });
    expect(answer).toBe(granted);
  });

  it.each([
    ['media', 'app://kiosk', true],
    ['media', 'https://evil.example', false],
    ['serial', 'app://kiosk', false],
  ])('permission check %s from %s → %s', (permission, origin, granted) => {
    expect(hardened().checkHandler?.(null, permission, origin, {})).toBe(granted);
  });
});
