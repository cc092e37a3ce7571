// `npm run new-rule <category>/<rule-id>`: scaffolds a rule, its docs, its fixtures,
// its registry entry and its place in the .hardening.json schema, so that the
// catalogue test guides you from a failing state to a finished rule.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATEGORIES, type Category } from '../rules/api';
import { packageFile } from '../server/src/engine/package-root';

function camel(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function writeNew(file: string, text: string): void {
  if (fs.existsSync(file)) throw new Error(`${file} already exists`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  process.stdout.write(`created ${path.relative(packageFile('.'), file)}\n`);
}

function main(arg: string | undefined): void {
  const m = /^([a-z-]+)\/([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$/.exec(arg ?? '');
  if (!m || !CATEGORIES.includes(m[1] as Category)) {
    throw new Error(`usage: npm run new-rule <category>/<rule-id>  (categories: ${CATEGORIES.join(', ')})`);
  }
  const [, category, id] = m;
  const name = camel(id);
  writeNew(
    packageFile(`rules/${category}/${id}.ts`),
    `// ${id}: <what it finds, in one line>.
import type { Rule } from '../api';

export const rule: Rule = {
  id: '${id}',
  category: '${category}',
  cwe: [],
  defaultSeverity: 'warning',
  description: '<one line: what this rule finds>',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    const { ts } = ctx;
    const visit = (node: import('ts-morph').ts.Node): void => {
      // Decide by what the code is (ctx.checker, rules/shared/callee.ts), not by names.
      ts.forEachChild(node, visit);
    };
    visit(ctx.sourceFile);
  },
};
`,
  );
  writeNew(
    packageFile(`rules/${category}/${id}.md`),
    `---
id: ${id}
category: ${category}
severity: warning
cwe: []
fixable: false
---
# ${id}

<one line: what this rule finds>

## Why it matters in production

## Incorrect
\`\`\`ts
\`\`\`

## Correct
\`\`\`ts
\`\`\`

## What the fix does

## Options
None.

## When not to use it
Suppress one occurrence with \`// hardening-ignore-next-line ${id} -- <reason>\`.

## What it deliberately does not flag

## References
`,
  );
  writeNew(packageFile(`test/fixtures/${category}/${id}/bad.ts`), `// Code that must make ${id} fire: mark each line with // expect: ${id}\n`);
  writeNew(packageFile(`test/fixtures/${category}/${id}/good.ts`), `// The hardened twin of bad.ts: no rule may fire here.\n`);

  const index = packageFile('rules/index.ts');
  let registry = fs.readFileSync(index, 'utf8');
  registry = registry.replace(/(import type \{ Rule \} from '\.\/api';\n)/, `$1import { rule as ${name} } from './${category}/${id}';\n`);
  registry = registry.replace(/(export const ALL_RULES: readonly Rule\[\] = \[\n)/, `$1  ${name},\n`);
  fs.writeFileSync(index, registry);
  process.stdout.write('registered in rules/index.ts\n');

  const schemaFile = packageFile('schema/hardening.schema.json');
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  schema.properties.rules.propertyNames.enum.push(id);
  fs.writeFileSync(schemaFile, `${JSON.stringify(schema, null, 2)}\n`);
  process.stdout.write('added to schema/hardening.schema.json\n\nNext: write the fixtures, then `npm test -- -g ' + id + '` until green.\n');
}

try {
  main(process.argv[2]);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 2;
}
