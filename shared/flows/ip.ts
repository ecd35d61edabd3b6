/** IP and CIDR matching for flow filters (exact address or CIDR, IPv4 and IPv6). Pure TS. */

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(Number(p));
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  if (!s.includes(':')) return undefined;
  let text = s;
  let tail: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail = parseV4(text.slice(lastColon + 1));
    if (tail === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = 8 - head.length - rest.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? fill : 0).fill('0'), ...rest];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail !== undefined) v = (v & ~0xffffffffn) | tail;
  return v;
}

export interface ParsedAddress {
  bits: 32 | 128;
  value: bigint;
}

export function parseIp(s: string): ParsedAddress | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return { bits: 32, value: v4 };
  const v6 = parseV6(s);
  if (v6 !== undefined) return { bits: 128, value: v6 };
  return undefined;
}

export interface IpMatcher {
  (ip: string | undefined): boolean;
}

/** Builds a matcher for an exact IP or CIDR; throws for anything else. */
export function ipMatcher(spec: string): IpMatcher {
  const [addr, prefix] = spec.split('/');
  const base = parseIp(addr);
  if (!base) throw new Error(`invalid IP or CIDR "${spec}"`);
  if (prefix === undefined) {
    return (ip) => {
      const p = ip ? parseIp(ip) : undefined;
      return !!p && p.bits === base.bits && p.value === base.value;
    };
  }
  const len = Number(prefix);
  if (!/^\d+$/.test(prefix) || len > base.bits) throw new Error(`invalid CIDR "${spec}"`);
  const shift = BigInt(base.bits - len);
  const net = base.value >> shift;
  return (ip) => {
    const p = ip ? parseIp(ip) : undefined;
    return !!p && p.bits === base.bits && p.value >> shift === net;
  };
}
