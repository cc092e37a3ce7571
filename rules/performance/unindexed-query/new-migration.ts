// The path of a new SQL migration that sorts after the existing ones and follows
// their naming: `003_add_x.sql` after `002_…`, a timestamp as wide as theirs,
// Flyway's `V4__add_x.sql`, or a `<timestamp>_add_x/migration.sql` folder.
import * as path from 'node:path';

const FLAT = /^(V?)(\d+)(__|[_-])(.+?)((?:\.(?:up|down))?\.sql)$/;
const FOLDER = /^(\d+)([_-])(.+)$/;

function pad(n: bigint, width: number): string {
  return n.toString().padStart(width, '0');
}

/** A timestamp shaped like the existing ones (`20240101120000`, epoch ms or s), or undefined for plain counters. */
function timestampLike(width: number, now: Date): bigint | undefined {
  const iso = now.toISOString().replace(/[-:TZ.]/g, ''); // YYYYMMDDHHMMSSmmm
  if (width === 14 || width === 12 || width === 17) return BigInt(iso.slice(0, width));
  if (width === 13) return BigInt(now.getTime());
  if (width === 10) return BigInt(Math.floor(now.getTime() / 1000));
  return undefined;
}

function next(existing: readonly string[], width: number, now: Date): string {
  const max = existing.reduce((m, n) => (BigInt(n) > m ? BigInt(n) : m), 0n);
  const stamp = width >= 10 ? timestampLike(width, now) : undefined;
  return pad(stamp !== undefined && stamp > max ? stamp : max + 1n, width);
}

function slugLike(sample: string, words: readonly string[]): string {
  const sep = sample.includes('-') && !sample.includes('_') ? '-' : '_';
  return words.map((w) => w.toLowerCase().replace(/[^a-z0-9]+/g, sep)).join(sep);
}

/**
 * Where the next migration goes, named from `words` (['add', 'users', 'email', 'index']);
 * undefined when the existing migrations follow no numbering we recognise.
 */
export function newMigrationPath(migrations: readonly string[], words: readonly string[], now: Date = new Date()): string | undefined {
  const latest = migrations[migrations.length - 1];
  if (!latest) return undefined;
  const dir = path.posix.dirname(latest);
  const base = path.posix.basename(latest);
  const flat = FLAT.exec(base);
  if (flat) {
    const [, prefix, number, separator, name, suffix] = flat;
    const siblings = migrations.filter((m) => path.posix.dirname(m) === dir).map((m) => FLAT.exec(path.posix.basename(m))).filter((m): m is RegExpExecArray => !!m && m[1] === prefix);
    const num = next(siblings.map((m) => m[2]), number.length, now);
    return path.posix.join(dir, `${prefix}${num}${separator}${slugLike(name, words)}${suffix.replace('.down.', '.up.')}`);
  }
  const folder = FOLDER.exec(path.posix.basename(dir));
  if (folder) {
    const root = path.posix.dirname(dir);
    const siblings = migrations.filter((m) => path.posix.dirname(path.posix.dirname(m)) === root).map((m) => FOLDER.exec(path.posix.basename(path.posix.dirname(m)))?.[1]).filter((m): m is string => !!m);
    const num = next(siblings, folder[1].length, now);
    return path.posix.join(root, `${num}${folder[2]}${slugLike(folder[3], words)}`, base);
  }
  return undefined;
}
