// Does the package's `engines.node` admit a Node.js older than 18? Only the lowest
// version each alternative of the range admits matters, so this reads lower bounds
// (`>=16`, `^14.17.0`, `16.x`, `~16.20`, `16 - 20`) and treats an alternative without
// one (`<20`, `*`, `x`) as admitting anything. Undefined when there is no range or
// it cannot be read: the rule then says nothing.
import type { RuleContext } from '../../api';

const COMPARATOR = /^(>=|>|<=|<|=|\^|~)?\s*v?(\d+|x|\*|X)(?:\.(\d+|x|\*|X))?(?:\.(\d+|x|\*|X))?(?:-[\w.]+)?$/;

/** The lowest major version one alternative (`>=16.0.0 <21`) admits; -1 for no lower bound; undefined when unreadable. */
function lowestMajor(alternative: string): number | undefined {
  const text = alternative.trim();
  if (text === '' || text === '*' || /^x$/i.test(text)) return -1;
  const hyphen = /^(\S+)\s+-\s+\S+$/.exec(text);
  const parts = hyphen ? [hyphen[1]] : text.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/);
  let lowest: number | undefined;
  for (const part of parts) {
    const m = COMPARATOR.exec(part);
    if (!m) return undefined;
    const [, op = '', major] = m;
    if (op === '<' || op === '<=') continue;
    if (!/^\d+$/.test(major)) return -1;
    // `>16` still admits 16.x patch releases above 16.0.0.
    const n = Number(major);
    lowest = lowest === undefined ? n : Math.max(lowest, n);
  }
  return lowest ?? -1;
}

/** The package's `engines.node` and whether it admits Node < 18; undefined when absent or unreadable. */
export function enginesAdmitOldNode(ctx: RuleContext): { range: string; admitsOld: boolean } | undefined {
  const raw = ctx.project.packageJson(ctx.fileName)?.raw as { engines?: { node?: unknown } } | undefined;
  const range = raw?.engines?.node;
  if (typeof range !== 'string') return undefined;
  let admitsOld = false;
  for (const alternative of range.split('||')) {
    const lowest = lowestMajor(alternative);
    if (lowest === undefined) return undefined;
    if (lowest < 18) admitsOld = true;
  }
  return { range, admitsOld };
}
