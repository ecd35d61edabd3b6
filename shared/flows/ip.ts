/** IP and CIDR matching for flow filters (exact address or CIDR, IPv4 and IPv6), on the snapshot's IP parser. */
import { cidrContainsIp, parseCidr, parseIp } from '../snapshot/ip';

export interface IpMatcher {
  (ip: string | undefined): boolean;
}

/** Builds a matcher for an exact IP or CIDR (host bits ignored, like Go's netip prefixes); throws for anything else. */
export function ipMatcher(spec: string): IpMatcher {
  if (spec.includes('/')) {
    const cidr = parseCidr(spec);
    if (!cidr) throw new Error(`invalid CIDR "${spec}"`);
    return (ip) => {
      const p = ip ? parseIp(ip) : undefined;
      return !!p && cidrContainsIp(cidr, p);
    };
  }
  const base = parseIp(spec);
  if (!base) throw new Error(`invalid IP or CIDR "${spec}"`);
  return (ip) => {
    const p = ip ? parseIp(ip) : undefined;
    return !!p && p.family === base.family && p.value === base.value;
  };
}
