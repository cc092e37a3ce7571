// Which hosts a cleartext (http://, ws://) URL may reasonably name: the machine itself,
// private and link-local networks, names that only resolve inside a network (docker-compose
// service names, `*.internal`, mDNS `*.local`) and reserved test domains. Traffic to those
// never crosses the internet, so cleartext there is a deployment choice, not a leak.
import { isIP } from 'node:net';

const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal', '.lan', '.home.arpa', '.corp', '.intranet', '.test', '.example', '.invalid'];
// XML namespaces and schema locations: identifiers that are never meant to be fetched over TLS.
const NAMESPACE_HOSTS = ['www.w3.org', 'w3.org', 'schemas.xmlsoap.org', 'schemas.microsoft.com', 'schemas.openxmlformats.org'];

/** True when `hostname` (as WHATWG URL gives it: lower case, IPv6 in brackets) is reachable only locally or privately. */
export function isLocalOrPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === '') return true;
  if (host.startsWith('[') && host.endsWith(']')) return isPrivateIpv6(host.slice(1, -1));
  if (isIP(host) === 4) return isPrivateIpv4(host);
  // A single label (`redis`, `api`, `localhost`) is a service or machine name of the local network.
  if (!host.includes('.')) return true;
  if (host === 'host.docker.internal') return true;
  return LOCAL_SUFFIXES.some((s) => host.endsWith(s));
}

/** True for hosts whose URLs are identifiers (XML namespaces), not endpoints. */
export function isNamespaceHost(hostname: string): boolean {
  return NAMESPACE_HOSTS.includes(hostname.toLowerCase());
}

function isPrivateIpv4(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number);
  return (
    a === 127 || // loopback
    a === 10 ||
    a === 0 || // 0.0.0.0/8: "this host"
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) || // link-local, cloud instance metadata
    (a === 100 && b >= 64 && b <= 127) // carrier-grade NAT, overlay networks
  );
}

function isPrivateIpv6(ip: string): boolean {
  const x = ip.toLowerCase();
  if (x === '::1' || x === '::') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(x);
  if (mapped) return isPrivateIpv4(mapped[1]);
  // WHATWG URL writes a mapped IPv4 address in hex: ::ffff:7f00:1.
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(x);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1], 16);
    const lo = parseInt(hexMapped[2], 16);
    return isPrivateIpv4(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return /^f[cd][0-9a-f]{2}:/.test(x) || /^fe[89ab][0-9a-f]:/.test(x); // unique local fc00::/7, link-local fe80::/10
}
