// Every rule that can report (the catalogue and the engine's meta-rules) with what
// the outputs show about it: docs read from the Markdown shipped beside each rule.
import * as fs from 'node:fs';
import type { RuleDescriptor } from '../../../rules/catalogue-types';
import { ALL_RULES } from '../../../rules/index';
import { META_RULES } from '../../../rules/meta';
import { docsPath, docsUrl } from '../engine/docs-url';

export interface CatalogueEntry extends RuleDescriptor {
  /** Meta-rules are reported by the engine itself and never need types. */
  readonly needsTypes: boolean;
  readonly docsUrl: string;
}

export function catalogue(): CatalogueEntry[] {
  return [
    ...ALL_RULES.map((r) => entry(r, r.needsTypes)),
    ...META_RULES.map((r) => entry(r, false)),
  ];
}

function entry(r: RuleDescriptor, needsTypes: boolean): CatalogueEntry {
  return {
    id: r.id,
    category: r.category,
    cwe: r.cwe,
    defaultSeverity: r.defaultSeverity,
    description: r.description,
    fixable: r.fixable,
    needsTypes,
    docsUrl: docsUrl(r),
  };
}

export function knownRuleIds(): Set<string> {
  return new Set(catalogue().map((r) => r.id));
}

export interface RuleDocs {
  /** The Markdown body without its front matter. */
  readonly markdown: string;
  /** The same, readable as plain text. */
  readonly text: string;
  /** The first paragraph of prose (what the rule is about, beyond one line), as Markdown and as text. */
  readonly summaryMarkdown: string;
  readonly summaryText: string;
}

/** The rule's documentation, or undefined when its Markdown file is missing. */
export function ruleDocs(rule: Pick<RuleDescriptor, 'id' | 'category'>): RuleDocs | undefined {
  let raw: string;
  try {
    raw = fs.readFileSync(docsPath(rule), 'utf8');
  } catch {
    return undefined;
  }
  const markdown = stripFrontMatter(raw).trim();
  const summaryMarkdown = firstParagraph(markdown);
  return { markdown, text: markdownToText(markdown), summaryMarkdown, summaryText: inline(summaryMarkdown) };
}

function stripFrontMatter(md: string): string {
  const m = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(md);
  return m ? md.slice(m[0].length) : md;
}

/**
 * The first prose paragraph under the first section heading ("Why it matters in
 * production"): the line under the title only repeats the one-line description.
 */
function firstParagraph(md: string): string {
  const paragraphs: { text: string; afterSection: boolean }[] = [];
  let current: string[] = [];
  let inFence = false;
  let afterSection = false;
  const flush = () => {
    if (current.length > 0) paragraphs.push({ text: current.join(' '), afterSection });
    current = [];
  };
  for (const raw of md.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('```')) {
      flush();
      inFence = !inFence;
    } else if (inFence) {
      continue;
    } else if (/^#{1,6}\s/.test(line)) {
      flush();
      if (/^#{2,6}\s/.test(line)) afterSection = true;
    } else if (!line || /^(\||[-*] |>|\d+\. )/.test(line)) {
      flush();
    } else {
      current.push(line);
    }
  }
  flush();
  return (paragraphs.find((p) => p.afterSection) ?? paragraphs[0])?.text ?? '';
}

/** Plain-text rendering for viewers that do not read Markdown (SARIF's help.text). */
function markdownToText(md: string): string {
  return md
    .split(/\r?\n/)
    .filter((line) => !/^\s*```/.test(line))
    .map((line) => inline(line.replace(/^#{1,6}\s+/, '')))
    .join('\n');
}

function inline(s: string): string {
  return s
    .replace(/!?\[([^\]]*)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1');
}

/** `sql-injection` → `SqlInjection` (SARIF's reportingDescriptor.name). */
export function pascalCase(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
