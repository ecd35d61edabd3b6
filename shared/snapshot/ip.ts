/**
 * Small, strict IP and CIDR parsing used by snapshot validation (the way the API server checks
 * `ipBlock.cidr`, `networks`, `podIP`). Addresses are held as bigints so IPv4 and IPv6 share one path.
 */

export interface ParsedIp {
  family: 4 | 6;
  value: bigint;
}

export interface ParsedCidr {
  family: 4 | 6;
  /** network address (host bits cleared) */
  base: bigint;
  prefix: number;
  /** true when the text had host bits set (e.g. 10.0.0.1/8) */
  hostBitsSet: boolean;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(text: string): bigint | undefined {
  const m = V4.exec(text);
  if (!m) return undefined;
  let v = 0n;
  for (let i = 1; i <= 4; i++) {
    const part = m[i];
    // leading zeros are ambiguous (octal in some parsers) and rejected by the API server since 1.30
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const dbl = text.indexOf('::');
  if (dbl !== -1 && text.indexOf('::', dbl + 1) !== -1) return undefined;
  let head: string[];
  let tail: string[];
  if (dbl === -1) {
    head = text.split(':');
    tail = [];
  } else {
    head = text.slice(0, dbl) ? text.slice(0, dbl).split(':') : [];
    tail = text.slice(dbl + 2) ? text.slice(dbl + 2).split(':') : [];
  }
  const groups: number[] = [];
  const pushGroups = (parts: string[], isLast: boolean): boolean => {
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (isLast && i === parts.length - 1 && p.includes('.')) {
        const v4 = parseV4(p);
        if (v4 === undefined) return false;
        groups.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return false;
      groups.push(parseInt(p, 16));
    }
    return true;
  };
  if (!pushGroups(head, tail.length === 0 && dbl === -1)) return undefined;
  const headCount = groups.length;
  if (!pushGroups(tail, true)) return undefined;
  const tailGroups = groups.splice(headCount);
  if (dbl === -1) {
    if (groups.length !== 8) return undefined;
  } else {
    if (groups.length + tailGroups.length > 7) return undefined;
    while (groups.length + tailGroups.length < 8) groups.push(0);
  }
  groups.push(...tailGroups);
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

export function parseIp(text: string): ParsedIp | undefined {
  if (typeof text !== 'string') return undefined;
  if (text.includes(':')) {
    const v = parseV6(text);
    return v === undefined ? undefined : { family: 6, value: v };
  }
  const v = parseV4(text);
  return v === undefined ? undefined : { family: 4, value: v };
}

export function parseCidr(text: string): ParsedCidr | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  if (slash === -1) return undefined;
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = ip.family === 4 ? 32 : 128;
  if (prefix > bits) return undefined;
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  return { family: ip.family, base: ip.value & ~hostMask, prefix, hostBitsSet: (ip.value & hostMask) !== 0n };
}

export function cidrContainsIp(cidr: ParsedCidr, ip: ParsedIp): boolean {
  if (cidr.family !== ip.family) return false;
  const bits = cidr.family === 4 ? 32 : 128;
  return ip.value >> BigInt(bits - cidr.prefix) === cidr.base >> BigInt(bits - cidr.prefix);
}

/** true when `inner` lies within `outer` (equal counts as within). */
export function cidrWithin(inner: ParsedCidr, outer: ParsedCidr): boolean {
  return (
    inner.family === outer.family &&
    inner.prefix >= outer.prefix &&
    cidrContainsIp(outer, { family: inner.family, value: inner.base })
  );
}
