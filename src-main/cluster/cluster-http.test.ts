import { describe, expect, it } from 'vitest';
import { describeNetworkError, isRetryable, redactArgs } from './cluster-http';
import { ApiStatusError } from './errors';

/** The shape undici gives: TypeError('fetch failed') with the system error as `cause`. */
function fetchFailed(code: string, message: string): Error {
  const cause = Object.assign(new Error(message), { code });
  return Object.assign(new TypeError('fetch failed'), { cause });
}

const server = 'https://api.example:6443';

describe('describeNetworkError', () => {
  it.each([
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:6443', 'connection-refused', /connection refused/],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND api.example', 'dns', /DNS lookup failed/],
    ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN api.example', 'dns', /DNS lookup failed/],
    [
      'CERT_HAS_EXPIRED',
      'certificate has expired',
      'certificate-expired',
      /certificate of https:\/\/api\.example:6443 has expired/,
    ],
    [
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'unable to verify the first certificate',
      'tls',
      /TLS handshake .* failed: unable to verify the first certificate/,
    ],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 'tls', /TLS handshake/],
    [
      'ERR_TLS_CERT_ALTNAME_INVALID',
      "Hostname/IP does not match certificate's altnames",
      'tls',
      /TLS handshake/,
    ],
    ['UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error', 'timeout', /did not answer in time/],
    ['ECONNRESET', 'read ECONNRESET', 'connection-reset', /closed the connection/],
    ['UND_ERR_SOCKET', 'other side closed', 'connection-reset', /closed the connection/],
  ])('%s → %s', (code, message, kind, text) => {
    const e = describeNetworkError(fetchFailed(code, message), server);
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(text);
    expect(e.server).toBe(server);
  });

  it('an aborted request after our own timer is a timeout', () => {
    const e = describeNetworkError(
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      server,
    );
    expect(e.kind).toBe('timeout');
  });

  it('a TLS alert for an expired client certificate reads as expired', () => {
    const e = describeNetworkError(
      fetchFailed('ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', 'sslv3 alert certificate expired'),
      server,
    );
    expect(e.kind).toBe('certificate-expired');
  });
});

describe('isRetryable', () => {
  it('retries dropped connections, 429 and 5xx; not 403, 404 or refused connections', () => {
    expect(isRetryable(describeNetworkError(fetchFailed('ECONNRESET', 'reset'), server))).toBe(true);
    expect(isRetryable(new ApiStatusError(503, '/api/v1/pods', 'ServiceUnavailable', 'unavailable'))).toBe(
      true,
    );
    expect(isRetryable(new ApiStatusError(429, '/api/v1/pods', 'TooManyRequests', 'slow down'))).toBe(true);
    expect(isRetryable(new ApiStatusError(403, '/api/v1/pods', 'Forbidden', 'no'))).toBe(false);
    expect(isRetryable(new ApiStatusError(404, '/api/v1/pods', 'NotFound', 'no'))).toBe(false);
    expect(isRetryable(describeNetworkError(fetchFailed('ECONNREFUSED', 'refused'), server))).toBe(false);
  });
});

describe('redactArgs', () => {
  it('hides the values of secret-looking flags of a credential plugin', () => {
    expect(
      redactArgs([
        'get-token',
        '--oidc-issuer-url=https://issuer',
        '--oidc-client-secret=s3cr3t',
        '--token',
        'abc',
        '--cluster',
        'prod',
        '--password=x',
      ]),
    ).toEqual([
      'get-token',
      '--oidc-issuer-url=https://issuer',
      '--oidc-client-secret=***',
      '--token',
      '***',
      '--cluster',
      'prod',
      '--password=***',
    ]);
  });
});
