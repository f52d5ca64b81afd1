import { isIPv6 } from 'node:net';

/** What a request's Host header names: absent, malformed, or a host (loopback or not). */
export type HostHeader =
  | { kind: 'absent' }
  | { kind: 'malformed'; reason: string }
  | { kind: 'host'; hostname: string; loopback: boolean };

const NAME_WITH_PORT = /^([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?)(?::(\d{1,5}))?$/;
const IPV6_WITH_PORT = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/;
const DOTTED_QUAD = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/** 127.0.0.0/8 written as a plain dotted quad (no leading zeros, no shorthand forms). */
function isLoopbackIPv4(text: string): boolean {
  const m = DOTTED_QUAD.exec(text);
  if (!m) return false;
  const octets = m.slice(1).map(Number);
  return octets[0] === 127 && octets.every((o) => o <= 255);
}

/** ::1 in any of its spellings (0:0:0:0:0:0:0:1, ::0001, ...). */
function isLoopbackIPv6(text: string): boolean {
  return new URL(`http://[${text}]`).hostname === '[::1]';
}

/**
 * True for a bind address or host name that only this machine can reach: `localhost`, a
 * 127.0.0.0/8 dotted quad, `::1` (bare or bracketed). Names that merely start with `127.` (such
 * as `127.attacker.example`) are not.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  if (isLoopbackIPv4(bare)) return true;
  return isIPv6(bare) && isLoopbackIPv6(bare);
}

function validPort(port: string | undefined): boolean {
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65_535);
}

/**
 * Parses a Host header strictly: a DNS name or IPv4 literal, or a bracketed IPv6 literal, each
 * with an optional numeric port (1..65535). Userinfo (`a@b`), paths, empty values and bad ports
 * are malformed (the server answers 400).
 */
export function parseHostHeader(header: string | string[] | undefined): HostHeader {
  if (header === undefined) return { kind: 'absent' };
  if (typeof header !== 'string') return { kind: 'malformed', reason: 'several Host headers' };
  if (header === '') return { kind: 'malformed', reason: 'empty Host header' };
  const v6 = IPV6_WITH_PORT.exec(header);
  if (v6) {
    if (!isIPv6(v6[1]!)) return { kind: 'malformed', reason: 'invalid IPv6 address in Host' };
    if (!validPort(v6[2])) return { kind: 'malformed', reason: 'invalid port in Host' };
    return { kind: 'host', hostname: `[${v6[1]}]`, loopback: isLoopbackIPv6(v6[1]!) };
  }
  const name = NAME_WITH_PORT.exec(header);
  if (!name) return { kind: 'malformed', reason: 'Host is not a host name with an optional port' };
  if (!validPort(name[2])) return { kind: 'malformed', reason: 'invalid port in Host' };
  const hostname = name[1]!;
  const loopback = hostname.toLowerCase() === 'localhost' || isLoopbackIPv4(hostname);
  return { kind: 'host', hostname, loopback };
}
