import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../main/browser-host/security-headers.js';
import { resolveStaticPath } from '../../../main/browser-host/static-files.js';

describe('browser host static files', () => {
  const root = '/srv/renderer';
  it('serves index.html for / and files below the root', () => {
    expect(resolveStaticPath(root, '/')).toBe('/srv/renderer/index.html');
    expect(resolveStaticPath(root, '/assets/index-abc.js')).toBe('/srv/renderer/assets/index-abc.js');
  });

  it.each(['/../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd.html', '/assets/..%2f..%2fsecret.js', '/a\\..\\b.js', '/x%00.js', '/%E0%A4%A.js', '/config.ts'])(
    'refuses %s',
    (path) => {
      expect(resolveStaticPath(root, path)).toBeUndefined();
    },
  );

  it('sends a CSP with no inline code and connections only back to the runtime', () => {
    const csp = contentSecurityPolicy('http://127.0.0.1:8088');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("connect-src 'self' ws://127.0.0.1:8088");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
