// Loads and validates `.hardening.json` (JSON with comments) against the same JSON
// schema VS Code uses for completion, and merges it over user-level settings.
// Configuration is data: nothing in it is ever executed.
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { Severity } from '../../../rules/api';
import { packageFile } from './package-root';

export type SeveritySetting = Severity | 'off';

export interface RuleSetting {
  readonly severity: SeveritySetting;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface HardeningConfig {
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /** .gitignore-style patterns, relative to `baseDir`. */
  readonly exclude: readonly string[];
  readonly baseDir: string;
  readonly maxFileSizeKb: number;
  readonly timeBudgetMs: number;
}

export interface ConfigProblem {
  readonly file: string;
  readonly message: string;
  /** Offset in the config file where the problem is, when known. */
  readonly offset?: number;
}

export interface LoadedConfig {
  readonly config: HardeningConfig;
  /** Empty when the file is absent or valid. With problems, `config` holds the defaults plus user settings. */
  readonly problems: readonly ConfigProblem[];
  readonly file?: string;
}

/** User-level settings (VS Code `hardening.*`), the same keys as the file. */
export interface UserSettings {
  readonly rules?: Record<string, unknown>;
  readonly exclude?: readonly string[];
}

export const CONFIG_FILE_NAME = '.hardening.json';
export const DEFAULT_MAX_FILE_SIZE_KB = 1024;
export const DEFAULT_TIME_BUDGET_MS = 5000;

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(data: unknown) {
  if (!validator) {
    const schema = JSON.parse(require('node:fs').readFileSync(packageFile('schema/hardening.schema.json'), 'utf8'));
    delete schema.$schema;
    validator = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  const ok = validator(data);
  return ok ? [] : (validator.errors ?? []);
}

export function defaultConfig(baseDir: string): HardeningConfig {
  return { rules: {}, exclude: [], baseDir, maxFileSizeKb: DEFAULT_MAX_FILE_SIZE_KB, timeBudgetMs: DEFAULT_TIME_BUDGET_MS };
}

function toRuleSetting(value: unknown): RuleSetting | undefined {
  if (typeof value === 'string') return { severity: value as SeveritySetting, options: {} };
  if (Array.isArray(value) && typeof value[0] === 'string') {
    const options = value[1] && typeof value[1] === 'object' ? (value[1] as Record<string, unknown>) : {};
    return { severity: value[0] as SeveritySetting, options };
  }
  return undefined;
}

function rulesFrom(raw: Record<string, unknown> | undefined): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  for (const [id, value] of Object.entries(raw ?? {})) {
    const setting = toRuleSetting(value);
    if (setting) out[id] = setting;
  }
  return out;
}

/**
 * Reads `<root>/.hardening.json` through `readText` (so an unsaved buffer counts).
 * Never throws: a broken file yields problems and the defaults.
 */
export function loadConfig(
  root: string,
  readText: (file: string) => string | undefined,
  user: UserSettings = {},
): LoadedConfig {
  const file = path.posix.join(root, CONFIG_FILE_NAME);
  const base = defaultConfig(root);
  const userConfig: HardeningConfig = {
    ...base,
    rules: rulesFrom(user.rules),
    exclude: [...(user.exclude ?? [])],
  };
  const text = readText(file);
  if (text === undefined) return { config: userConfig, problems: [] };

  const parseErrors: ParseError[] = [];
  const data = parseJsonc(text, parseErrors, { allowTrailingComma: true });
  if (parseErrors.length > 0) {
    const e = parseErrors[0];
    return {
      config: userConfig,
      file,
      problems: [{ file, offset: e.offset, message: `${CONFIG_FILE_NAME} is not valid JSON (${printParseErrorCode(e.error)} at offset ${e.offset}); using the defaults.` }],
    };
  }
  const errors = validate(data);
  if (errors.length > 0) {
    // ajv reports one mistake under several keywords (propertyNames and enum): say it once.
    const messages = [...new Set(errors.map((e) => describeSchemaError(e, data)))];
    const problems = messages.map((message) => ({ file, message }));
    return { config: userConfig, file, problems };
  }
  const d = data as { rules?: Record<string, unknown>; exclude?: string[]; maxFileSizeKb?: number; timeBudgetMs?: number };
  return {
    file,
    problems: [],
    config: {
      baseDir: root,
      rules: { ...userConfig.rules, ...rulesFrom(d.rules) },
      exclude: [...userConfig.exclude, ...(d.exclude ?? [])],
      maxFileSizeKb: d.maxFileSizeKb ?? DEFAULT_MAX_FILE_SIZE_KB,
      timeBudgetMs: d.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS,
    },
  };
}

interface SchemaError {
  instancePath: string;
  /** Set by ajv on errors raised under `propertyNames`. */
  propertyName?: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function describeSchemaError(e: SchemaError, data: unknown): string {
  const where = e.instancePath ? `"${e.instancePath.slice(1).replace(/\//g, '.')}"` : 'the top level';
  if (e.keyword === 'additionalProperties') {
    return `${CONFIG_FILE_NAME}: unknown key "${String(e.params.additionalProperty)}" at ${where}; allowed keys are rules, exclude, maxFileSizeKb, timeBudgetMs.`;
  }
  if (e.keyword === 'propertyNames' || (e.keyword === 'enum' && e.instancePath.startsWith('/rules') && e.params.allowedValues && data)) {
    const name = String(e.propertyName ?? e.params.propertyName ?? e.instancePath.split('/').pop());
    return `${CONFIG_FILE_NAME}: unknown rule "${name}" in "rules"; run \`harden rules\` to list the rule ids.`;
  }
  const allowed = Array.isArray(e.params.allowedValues) ? ` (allowed: ${(e.params.allowedValues as unknown[]).join(', ')})` : '';
  return `${CONFIG_FILE_NAME}: ${where} ${e.message ?? 'is invalid'}${allowed}.`;
}
