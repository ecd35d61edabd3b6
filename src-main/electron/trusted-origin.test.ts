import { describe, expect, it } from 'vitest';
import { isTrustedSender, isTrustedUrl, trustedOrigins } from './trusted-origin';

describe('IPC sender validation', () => {
  const origins = trustedOrigins();
  it('accepts the main frame of app://netpol pages', () => {
    expect(isTrustedSender({ url: 'app://netpol/index.html', isMainFrame: true }, origins)).toBe(true);
  });
  it('refuses subframes, other schemes and look-alike hosts', () => {
    expect(isTrustedSender({ url: 'app://netpol/index.html', isMainFrame: false }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'app://netpol.evil.com/', isMainFrame: true }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'https://netpol/', isMainFrame: true }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'file:///etc/passwd', isMainFrame: true }, origins)).toBe(false);
    expect(isTrustedSender({ url: 'not a url', isMainFrame: true }, origins)).toBe(false);
    expect(isTrustedSender(null, origins)).toBe(false);
  });
  it('trusts the dev server origin only when one is configured', () => {
    expect(isTrustedUrl('http://localhost:5173/', origins)).toBe(false);
    expect(isTrustedUrl('http://localhost:5173/x', trustedOrigins('http://localhost:5173'))).toBe(true);
    expect(isTrustedUrl('http://localhost:5174/x', trustedOrigins('http://localhost:5173'))).toBe(false);
  });
});
