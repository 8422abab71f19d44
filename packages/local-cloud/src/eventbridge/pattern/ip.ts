/**
 * IP addresses and CIDR blocks as event-ruler reads them. Hand-written rather than node:net's
 * BlockList because AWS's rules differ from it: only these two shapes count as addresses (no
 * embedded IPv4 in IPv6, no zone ids), an IPv4-mapped IPv6 address becomes IPv4 (Java's
 * InetAddress), and a block runs from the address as written, not from its network address.
 */
import { IllegalArgument } from './numbers.js';

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

export interface IpRange {
  readonly low: Uint8Array;
  readonly high: Uint8Array;
}

/** True when the text has the shape of an address, valid or not. */
export function looksLikeIp(text: string): boolean {
  return IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);
}

/** The address's bytes (4 or 16), or undefined when it is not a valid address. */
export function parseIp(text: string): Uint8Array | undefined {
  if (IPV4_SHAPE.test(text)) return parseIpv4(text);
  if (IPV6_SHAPE.test(text)) return parseIpv6(text);
  return undefined;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const value = Number(parts[i]);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const count = head.length + tail.length;
  if (halves.length === 2 ? count > 7 : count !== 8) return undefined;
  const words = [...head, ...new Array<number>(8 - count).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    bytes[i * 2] = word >> 8;
    bytes[i * 2 + 1] = word & 0xff;
  });
  // Java's InetAddress hands back an IPv4 address for ::ffff:a.b.c.d
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return bytes.slice(12);
  }
  return bytes;
}

function groups(text: string): number[] | undefined {
  if (text === '') return [];
  const out: number[] = [];
  for (const group of text.split(':')) {
    if (group.length === 0 || group.length > 4) return undefined;
    out.push(parseInt(group, 16));
  }
  return out;
}

/** Parses a `cidr` operand, throwing event-ruler's messages for anything else. */
export function parseCidr(cidr: string): IpRange {
  const parts = cidr.split('/');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop(); // Java's String.split
  if (parts.length !== 2) throw new IllegalArgument("Malformed CIDR, one '/' required");
  const [address = '', maskText = ''] = parts;
  if (!/^[+-]?\d+$/.test(maskText) || Math.abs(Number(maskText)) > 2 ** 31 - 1) {
    throw new IllegalArgument('Malformed CIDR, mask bits must be an integer');
  }
  const maskBits = Number(maskText);
  if (maskBits < 0) throw new IllegalArgument('Malformed CIDR, mask bits must not be negative');
  if (!looksLikeIp(address)) throw new IllegalArgument(`Nonstandard IP address: ${address}`);
  const low = parseIp(address);
  if (low === undefined) throw new IllegalArgument(`Invalid IP address: ${address}`);
  // event-ruler's own bounds: a /32 (or /128) block is refused.
  if (low.length === 4 && maskBits > 31) throw new IllegalArgument('IPv4 mask bits must be < 32');
  if (low.length === 16 && maskBits > 127)
    throw new IllegalArgument('IPv6 mask bits must be < 128');
  const high = low.slice();
  let hostBits = low.length * 8 - maskBits;
  for (let i = high.length - 1; i >= 0 && hostBits > 0; i--, hostBits -= 8) {
    high[i] = high[i]! | (hostBits >= 8 ? 0xff : (1 << hostBits) - 1);
  }
  return { low, high };
}

/** True when the address lies in the range (same family only). */
export function inRange(address: Uint8Array, range: IpRange): boolean {
  return (
    address.length === range.low.length &&
    compareBytes(address, range.low) >= 0 &&
    compareBytes(address, range.high) <= 0
  );
}

export function sameAddress(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}
