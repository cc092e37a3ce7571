// Scripts that run once and end (seeds, migrations, maintenance scripts): an
// unhandled rejection there prints its error and exits non-zero, which is what a
// failing script should do anyway. Recognised by where they live, the layout the
// usual tools (Prisma's seed, knex/TypeORM migrations, `scripts/`) give them.
import type { RuleContext } from '../../api';

const SCRIPT_DIRS = ['scripts', 'migrations', 'seeds', 'seeders'];

export function isScriptModule(ctx: RuleContext): boolean {
  const relative = ctx.fileName.startsWith(`${ctx.project.root}/`) ? ctx.fileName.slice(ctx.project.root.length + 1) : ctx.fileName;
  const parts = relative.split('/');
  const base = parts[parts.length - 1];
  return parts.slice(0, -1).some((d) => SCRIPT_DIRS.includes(d)) || /^seed\.[cm]?[jt]s$/.test(base);
}
