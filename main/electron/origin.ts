/** The one origin the kiosk renderer is served from (see protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Whether `url` belongs to the kiosk origin. Compares scheme and host rather
 * than `URL#origin`, because Node's URL treats `app:` as a non-special scheme
 * and reports its origin as the opaque "null".
 */
export function isAppUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
