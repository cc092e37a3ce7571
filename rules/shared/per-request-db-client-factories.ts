// The calls that open a new database client, pool or connection, by the package they
// resolve to: `new PrismaClient()`, pg's `new Pool()`/`new Client()`, mysql2's
// `createPool`/`createConnection`, `new MongoClient()`, `new Sequelize()`, `knex()`,
// typeorm's `new DataSource()`, mongoose's `createConnection`, redis's `createClient`.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { originOf, resolveCall, skipOuter } from './callee';

export interface DbClientFactory {
  /** How the message names what is made: `new Pool()` of pg. */
  readonly label: string;
  /** What to use instead, for the message. */
  readonly advice: string;
  /**
   * Methods that close this client. Set when the client is safe to share from module scope as
   * made (it connects lazily and serves concurrent requests), so hoisting it is a real fix.
   */
  readonly closers?: readonly string[];
}

interface Known {
  readonly modules: readonly string[];
  readonly names: readonly string[];
  readonly construct: boolean;
  readonly factory: (name: string) => DbClientFactory;
}

const SHARE = 'make one at module scope and share it';

const KNOWN: readonly Known[] = [
  { modules: ['@prisma/client'], names: ['PrismaClient'], construct: true, factory: () => ({ label: '`new PrismaClient()`', advice: SHARE, closers: ['$disconnect'] }) },
  { modules: ['pg'], names: ['Pool'], construct: true, factory: () => ({ label: "pg's `new Pool()`", advice: SHARE, closers: ['end'] }) },
  { modules: ['pg'], names: ['Client'], construct: true, factory: () => ({ label: "pg's `new Client()`", advice: 'use one module-level `Pool` and `pool.query` instead' }) },
  {
    modules: ['mysql2', 'mysql'],
    names: ['createPool', 'createPoolCluster'],
    construct: false,
    factory: (n) => ({ label: `\`${n}()\``, advice: SHARE, closers: ['end'] }),
  },
  { modules: ['mysql2', 'mysql'], names: ['createConnection'], construct: false, factory: () => ({ label: '`createConnection()`', advice: 'use one module-level `createPool()` instead' }) },
  { modules: ['mongodb'], names: ['MongoClient'], construct: true, factory: () => ({ label: '`new MongoClient()`', advice: `${SHARE} (the driver pools connections)` }) },
  { modules: ['mongodb'], names: ['connect'], construct: false, factory: () => ({ label: '`MongoClient.connect()`', advice: `${SHARE} (the driver pools connections)` }) },
  { modules: ['sequelize', 'sequelize-typescript'], names: ['Sequelize'], construct: true, factory: () => ({ label: '`new Sequelize()`', advice: SHARE, closers: ['close'] }) },
  { modules: ['knex'], names: ['knex', 'Knex', 'default'], construct: false, factory: () => ({ label: '`knex()`', advice: SHARE, closers: ['destroy'] }) },
  { modules: ['typeorm'], names: ['DataSource'], construct: true, factory: () => ({ label: "typeorm's `new DataSource()`", advice: 'initialize one at startup and share it' }) },
  { modules: ['mongoose'], names: ['createConnection'], construct: false, factory: () => ({ label: '`mongoose.createConnection()`', advice: SHARE }) },
  { modules: ['redis', '@redis/client'], names: ['createClient'], construct: false, factory: () => ({ label: "redis's `createClient()`", advice: 'connect one at startup and share it' }) },
];

/** The database client a `new`/call makes, if it makes one. */
export function dbClientFactoryOf(ctx: RuleContext, node: ts.NewExpression | ts.CallExpression): DbClientFactory | undefined {
  const { ts } = ctx;
  const construct = ts.isNewExpression(node);
  const candidates = identities(ctx, node);
  for (const k of KNOWN) {
    if (k.construct !== construct) continue;
    const hit = candidates.find((c) => k.modules.includes(c.module) && k.names.includes(c.name));
    // `MongoClient.connect` is static on the class; `connect` of anything else in mongodb is not a factory.
    if (hit && k.modules[0] === 'mongodb' && hit.name === 'connect' && !(hit.owner === 'MongoClient' && hit.static)) continue;
    if (hit) return k.factory(hit.name);
  }
  return undefined;
}

interface Identity {
  readonly module: string;
  readonly name: string;
  readonly owner?: string;
  /** A static member (`MongoClient.connect`), not one of an instance. */
  readonly static?: boolean;
}

/** (package, exported name) pairs the callee may be: by the checker's declaration and by the import it came from. */
function identities(ctx: RuleContext, node: ts.NewExpression | ts.CallExpression): Identity[] {
  const { ts } = ctx;
  const out: Identity[] = [];
  const target = resolveCall(ctx, node);
  if (target?.module) {
    const decl = target.declaration;
    const isStatic = !!decl && !!(ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Static);
    out.push({ module: target.module, name: target.name, owner: target.owner, static: isStatic });
    const declName = decl && (decl as ts.NamedDeclaration).name;
    if (declName && ts.isIdentifier(declName)) out.push({ module: target.module, name: declName.text, owner: target.owner, static: isStatic });
  }
  // A renamed or default import (`import createKnex from 'knex'`, `require('knex')(cfg)`): the export it names.
  const origin = originOf(ctx, skipOuter(ts, node.expression));
  if (origin && !origin.instance) {
    const path = [...origin.exportPath, ...origin.members].filter((p) => p !== 'default');
    const name = path[path.length - 1] ?? 'default';
    // Reached from the import without an instance in between: a member of the export itself.
    out.push({ module: origin.module, name, owner: path.length > 1 ? path[path.length - 2] : undefined, static: path.length > 1 });
  }
  return out;
}
