// Reads a rule's Markdown docs: front matter, sections, and the code examples of
// the Incorrect/Correct sections as files to write into a throwaway project.
import * as fs from 'node:fs';

export interface RuleDoc {
  readonly frontMatter: Record<string, string>;
  readonly title: string;
  readonly sections: Map<string, string>;
}

export interface ExampleFile {
  readonly path: string;
  readonly text: string;
}

export const REQUIRED_SECTIONS = [
  'Why it matters in production',
  'Incorrect',
  'Correct',
  'What the fix does',
  'Options',
  'When not to use it',
  'References',
];

export function readRuleDoc(file: string): RuleDoc {
  const text = fs.readFileSync(file, 'utf8');
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(text);
  const frontMatter: Record<string, string> = {};
  for (const line of (fm?.[1] ?? '').split('\n')) {
    const m = /^(\w[\w-]*):\s*(.*)$/.exec(line);
    if (m) frontMatter[m[1]] = m[2].trim();
  }
  const body = fm ? text.slice(fm[0].length) : text;
  const title = /^#\s+(.+)$/m.exec(body)?.[1].trim() ?? '';
  const sections = new Map<string, string>();
  const parts = body.split(/^##\s+/m).slice(1);
  for (const part of parts) {
    const nl = part.indexOf('\n');
    sections.set(part.slice(0, nl).trim(), part.slice(nl + 1));
  }
  return { frontMatter, title, sections };
}

const DEFAULT_NAMES: Record<string, string> = { ts: 'example.ts', typescript: 'example.ts', tsx: 'example.tsx', js: 'example.js', javascript: 'example.js', jsx: 'example.jsx', prisma: 'prisma/schema.prisma', sql: 'migrations/0001_example.sql' };

/** The fenced code blocks of a section, as files (``` ```ts file=src/app.ts ``` names one). */
export function exampleFiles(section: string): ExampleFile[] {
  const out: ExampleFile[] = [];
  const fence = /^(`{3,})(\w+)?([^\n]*)\n([\s\S]*?)^\1\s*$/gm;
  for (let m = fence.exec(section); m; m = fence.exec(section)) {
    const lang = (m[2] ?? '').toLowerCase();
    const named = /\bfile=(\S+)/.exec(m[3] ?? '')?.[1];
    const path = named ?? DEFAULT_NAMES[lang];
    if (path) out.push({ path, text: m[4] });
  }
  return out;
}
