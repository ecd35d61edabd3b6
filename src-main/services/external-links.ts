/**
 * The only URLs the app opens in the user's browser: https documentation and project sites.
 * Never a string taken from cluster data unless it passes this check.
 */
export const EXTERNAL_HOST_ALLOWLIST = [
  'kubernetes.io',
  'docs.cilium.io',
  'cilium.io',
  'docs.tigera.io',
  'www.tigera.io',
  'projectcalico.docs.tigera.io',
  'network-policy-api.sigs.k8s.io',
  'editor.networkpolicy.io',
  'github.com',
] as const;

export function isAllowedExternalUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return false;
  return (EXTERNAL_HOST_ALLOWLIST as readonly string[]).includes(url.hostname);
}
