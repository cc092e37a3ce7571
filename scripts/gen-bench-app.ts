// Generates a realistic Express + Prisma API for benchmarks: N resource modules,
// each with routes, a service, a repository and DTOs, over one schema.prisma, plus
// one long service file for the per-edit latency figure. Deterministic: the same
// N always gives the same files.
import * as fs from 'node:fs';
import * as path from 'node:path';

const RESOURCES = ['user', 'order', 'product', 'invoice', 'payment', 'shipment', 'review', 'coupon', 'cart', 'address', 'ticket', 'message', 'report', 'team', 'project', 'task', 'comment', 'tag', 'file', 'audit'];

function pascal(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function resourceName(i: number): string {
  const base = RESOURCES[i % RESOURCES.length];
  return i < RESOURCES.length ? base : `${base}${Math.floor(i / RESOURCES.length)}`;
}

function model(name: string): string {
  const M = pascal(name);
  return `model ${M} {
  id        Int      @id @default(autoincrement())
  email     String
  status    String
  ownerId   Int
  total     Decimal
  createdAt DateTime @default(now())

  @@index([ownerId, createdAt])
}
`;
}

function routes(name: string): string {
  const M = pascal(name);
  return `import { Router } from 'express';
import { ${name}Service } from './${name}.service';

export const ${name}Router = Router();

${name}Router.get('/', async (req, res) => {
  const page = Number(req.query.page ?? 1);
  const items = await ${name}Service.list(page, String(req.query.status ?? 'open'));
  res.json(items);
});

${name}Router.get('/:id', async (req, res, next) => {
  try {
    const item = await ${name}Service.get(Number(req.params.id));
    if (!item) return res.status(404).json({ error: '${M} not found' });
    res.json(item);
  } catch (err) {
    next(err);
  }
});

${name}Router.post('/', async (req, res) => {
  const created = await ${name}Service.create(req.body.email, req.body.ownerId);
  res.status(201).json(created);
});

${name}Router.get('/search/by-email', async (req, res) => {
  const rows = await ${name}Service.searchByEmail(String(req.query.email));
  res.json(rows);
});
`;
}

function service(name: string): string {
  const M = pascal(name);
  return `import { ${name}Repository } from './${name}.repository';
import type { ${M}Dto } from './${name}.dto';

const PAGE_SIZE = 50;

export const ${name}Service = {
  async list(page: number, status: string): Promise<${M}Dto[]> {
    return ${name}Repository.findPage((page - 1) * PAGE_SIZE, PAGE_SIZE, status);
  },
  async get(id: number): Promise<${M}Dto | null> {
    return ${name}Repository.byId(id);
  },
  async create(email: string, ownerId: number): Promise<${M}Dto> {
    try {
      return await ${name}Repository.insert({ email, ownerId });
    } catch {}
    throw new Error('create failed');
  },
  async searchByEmail(email: string): Promise<${M}Dto[]> {
    return ${name}Repository.rawSearch(email);
  },
  async notify(id: number): Promise<void> {
    const res = await fetch(\`https://hooks.example.com/${name}/\${id}\`);
    if (!res.ok) throw new Error(\`notify failed: \${res.status}\`);
  },
};
`;
}

function repository(name: string): string {
  const M = pascal(name);
  return `import { prisma, pool } from '../../db';
import type { ${M}Dto } from './${name}.dto';

export const ${name}Repository = {
  findPage(skip: number, take: number, status: string): Promise<${M}Dto[]> {
    return prisma.${name}.findMany({ where: { status }, skip, take, orderBy: { createdAt: 'desc' } });
  },
  byId(id: number): Promise<${M}Dto | null> {
    return prisma.${name}.findUnique({ where: { id } });
  },
  insert(data: { email: string; ownerId: number }): Promise<${M}Dto> {
    return prisma.${name}.create({ data: { ...data, status: 'open', total: 0 } });
  },
  async rawSearch(email: string): Promise<${M}Dto[]> {
    const { rows } = await pool.query(\`SELECT * FROM "${M}" WHERE email = '\${email}'\`);
    return rows;
  },
  async byOwner(ownerId: number): Promise<${M}Dto[]> {
    const { rows } = await pool.query('SELECT * FROM "${M}" WHERE "ownerId" = $1 LIMIT 100', [ownerId]);
    return rows;
  },
};
`;
}

function dto(name: string): string {
  const M = pascal(name);
  return `export interface ${M}Dto {
  id: number;
  email: string;
  status: string;
  ownerId: number;
  total: unknown;
  createdAt: Date;
}

export function to${M}Summary(dto: ${M}Dto): string {
  return \`\${dto.id}:\${dto.status}\`;
}
`;
}

/** A long, busy service (≈ lines) for the per-edit latency measurement. */
function longService(lines: number): string {
  const out = [`import { prisma, pool } from '../db';`, `import axios from 'axios';`, ''];
  let i = 0;
  while (out.length < lines) {
    out.push(
      `export async function step${i}(id: number, label: string): Promise<number> {`,
      `  const row = await prisma.user.findFirst({ where: { email: label } });`,
      `  const { rows } = await pool.query('SELECT count(*) AS n FROM "Order" WHERE "ownerId" = $1', [id]);`,
      `  try {`,
      `    await axios.get(\`https://api.example.com/items/\${id}\`, { timeout: 2000 });`,
      `  } catch (err) {`,
      `    console.error('step${i} failed', err);`,
      `  }`,
      `  return (row ? row.id : 0) + Number(rows[0]?.n ?? 0);`,
      `}`,
      '',
    );
    i++;
  }
  return out.join('\n');
}

export function generateBenchApp(dir: string, modules: number): { files: number; editTarget: string } {
  fs.rmSync(dir, { recursive: true, force: true });
  const write = (rel: string, text: string) => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  const names = Array.from({ length: modules }, (_, i) => resourceName(i));
  // Its own workspace folder: the repository's .gitignore (which ignores .bench/) must not apply.
  write('.hardening.json', '{}\n');
  write('package.json', JSON.stringify({ name: 'bench-app', private: true, dependencies: { express: '^5.1.0', '@prisma/client': '^7.0.0', pg: '^8.16.0', axios: '^1.10.0', zod: '^4.0.0' } }, null, 2));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ['node'] }, include: ['src'] }, null, 2));
  write('prisma/schema.prisma', `datasource db {\n  provider = "postgresql"\n}\n\ngenerator client {\n  provider = "prisma-client-js"\n}\n\n${names.map(model).join('\n')}`);
  write('src/db.ts', `// @ts-expect-error the Prisma client is generated at deploy time\nimport { PrismaClient } from '@prisma/client';\nimport { Pool } from 'pg';\n\nexport const prisma: any = new PrismaClient();\nexport const pool = new Pool({ max: 20 });\n`);
  const imports = names.map((n) => `import { ${n}Router } from './modules/${n}/${n}.routes';`).join('\n');
  const mounts = names.map((n) => `app.use('/${n}s', ${n}Router);`).join('\n');
  write('src/app.ts', `import express from 'express';\n${imports}\n\nexport const app = express();\napp.use(express.json());\n${mounts}\n`);
  for (const n of names) {
    write(`src/modules/${n}/${n}.routes.ts`, routes(n));
    write(`src/modules/${n}/${n}.service.ts`, service(n));
    write(`src/modules/${n}/${n}.repository.ts`, repository(n));
    write(`src/modules/${n}/${n}.dto.ts`, dto(n));
  }
  const editTarget = 'src/services/reporting.service.ts';
  write(editTarget, longService(1200));
  return { files: 2 + 4 * names.length + 1, editTarget };
}

if (require.main === module) {
  const dir = process.argv[2] ?? '.bench/app';
  const modules = Number(process.argv[3] ?? 125);
  const r = generateBenchApp(dir, modules);
  process.stdout.write(`generated ${r.files} files in ${dir}\n`);
}
