// The code a fix writes, per schema library: the schema declaration built from field
// shapes, the import that brings the library in, and the statements that parse a part,
// answer 400 on failure and bind the parsed data. Query strings and route parameters
// arrive as text, so their numbers and booleans are coerced.
import type { SchemaLibrary } from '../../shared/validation-libs';
import type { FieldShape, FieldType } from './field-shapes';
import type { Part } from './sources';

export interface ImportSpec {
  readonly module: string;
  /** `import { z } from 'zod'` */
  readonly named?: string;
  /** `import Joi from 'joi'` */
  readonly defaultName?: string;
  /** `import * as yup from 'yup'` */
  readonly namespace?: string;
}

export const LIBRARY_IMPORT: Readonly<Record<SchemaLibrary, ImportSpec>> = {
  zod: { module: 'zod', named: 'z' },
  joi: { module: 'joi', defaultName: 'Joi' },
  yup: { module: 'yup', namespace: 'yup' },
  valibot: { module: 'valibot', namespace: 'v' },
};

export interface SchemaWriter {
  /** The schema expression (multi-line object literal indented with `indent`). */
  schema(shapes: readonly FieldShape[], part: Part, indent: string, withTypes: boolean): string;
  /**
   * Statements that parse `subject` with `schemaName`, answer the failure with
   * `fail(errorsExpr)` and bind the data to `target`.
   */
  parse(args: ParseArgs): string[];
}

export interface ParseArgs {
  readonly schemaName: string;
  readonly subject: string;
  readonly resultName: string;
  readonly target: string;
  readonly fail: (errors: string) => string[];
  readonly withTypes: boolean;
  readonly indent: string;
}

/** Stands for the library's local name (`z`, `Joi`, `yup`, `v`) until the fix knows it. */
export const NS = '\u0000';

const textual = (part: Part): boolean => part !== 'body';
const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const key = (name: string): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name));

function objectText(entries: readonly [string, string][], indent: string): string {
  if (!entries.length) return '{}';
  return `{\n${entries.map(([k, v]) => `${indent}${key(k)}: ${v},`).join('\n')}\n}`;
}

/** The TypeScript type of the parsed data, for libraries whose schemas do not infer it (joi). */
export function tsTypeText(shapes: readonly FieldShape[]): string {
  const t = (type: FieldType): string => {
    switch (type.kind) {
      case 'array':
        return `${type.element}[]`;
      case 'enum':
        return type.values.map(quote).join(' | ');
      default:
        return type.kind;
    }
  };
  return `{ ${shapes.map((s) => `${key(s.name)}${s.optional ? '?' : ''}: ${t(s.type)}`).join('; ')} }`;
}

const zod: SchemaWriter = {
  schema(shapes, part, indent) {
    const field = (t: FieldType): string => {
      switch (t.kind) {
        case 'string':
          return `${NS}.string()`;
        case 'number':
          return textual(part) ? `${NS}.coerce.number()` : `${NS}.number()`;
        case 'boolean':
          return textual(part) ? `${NS}.stringbool()` : `${NS}.boolean()`;
        case 'array':
          return `${NS}.array(${t.element === 'unknown' ? `${NS}.unknown()` : field({ kind: t.element })})`;
        case 'enum':
          return `${NS}.enum([${t.values.map(quote).join(', ')}])`;
        case 'unknown':
          return `${NS}.unknown()`;
      }
    };
    return `${NS}.object(${objectText(shapes.map((s) => [s.name, `${field(s.type)}${s.optional ? '.optional()' : ''}`]), indent)})`;
  },
  parse: (a) => [
    `const ${a.resultName} = ${a.schemaName}.safeParse(${a.subject});`,
    ...ifFailed(`!${a.resultName}.success`, a.fail(`${a.resultName}.error.issues`), a.indent),
    `const ${a.target} = ${a.resultName}.data;`,
  ],
};

const valibot: SchemaWriter = {
  schema(shapes, part, indent) {
    const field = (t: FieldType): string => {
      switch (t.kind) {
        case 'string':
          return `${NS}.string()`;
        case 'number':
          return textual(part) ? `${NS}.pipe(${NS}.string(), ${NS}.toNumber())` : `${NS}.number()`;
        case 'boolean':
          return textual(part) ? `${NS}.pipe(${NS}.picklist(['true', 'false']), ${NS}.transform((s) => s === 'true'))` : `${NS}.boolean()`;
        case 'array':
          return `${NS}.array(${t.element === 'unknown' ? `${NS}.unknown()` : field({ kind: t.element })})`;
        case 'enum':
          return `${NS}.picklist([${t.values.map(quote).join(', ')}])`;
        case 'unknown':
          return `${NS}.unknown()`;
      }
    };
    return `${NS}.object(${objectText(shapes.map((s) => [s.name, s.optional ? `${NS}.optional(${field(s.type)})` : field(s.type)]), indent)})`;
  },
  parse: (a) => [
    `const ${a.resultName} = ${NS}.safeParse(${a.schemaName}, ${a.subject});`,
    ...ifFailed(`!${a.resultName}.success`, a.fail(`${a.resultName}.issues`), a.indent),
    `const ${a.target} = ${a.resultName}.output;`,
  ],
};

const joi: SchemaWriter = {
  // Joi converts query text to numbers and booleans by default.
  schema(shapes, _part, indent, withTypes) {
    const field = (t: FieldType): string => {
      switch (t.kind) {
        case 'string':
          return `${NS}.string()`;
        case 'number':
          return `${NS}.number()`;
        case 'boolean':
          return `${NS}.boolean()`;
        case 'array':
          return `${NS}.array().items(${t.element === 'unknown' ? `${NS}.any()` : field({ kind: t.element })})`;
        case 'enum':
          return `${NS}.string().valid(${t.values.map(quote).join(', ')})`;
        case 'unknown':
          return `${NS}.any()`;
      }
    };
    const generic = withTypes ? `<${tsTypeText(shapes)}>` : '';
    return `${NS}.object${generic}(${objectText(shapes.map((s) => [s.name, `${field(s.type)}${s.optional ? '' : '.required()'}`]), indent)})`;
  },
  parse: (a) => [
    `const ${a.resultName} = ${a.schemaName}.validate(${a.subject}, { stripUnknown: true });`,
    ...ifFailed(`${a.resultName}.error`, a.fail(`${a.resultName}.error.details`), a.indent),
    `const ${a.target} = ${a.resultName}.value;`,
  ],
};

const yup: SchemaWriter = {
  // yup casts query text to numbers and booleans by default.
  schema(shapes, _part, indent) {
    const field = (t: FieldType): string => {
      switch (t.kind) {
        case 'string':
          return `${NS}.string()`;
        case 'number':
          return `${NS}.number()`;
        case 'boolean':
          return `${NS}.boolean()`;
        case 'array':
          return `${NS}.array(${t.element === 'unknown' ? `${NS}.mixed()` : `${field({ kind: t.element })}.required()`})`;
        case 'enum':
          return `${NS}.string().oneOf([${t.values.map(quote).join(', ')}])`;
        case 'unknown':
          return `${NS}.mixed()`;
      }
    };
    return `${NS}.object(${objectText(shapes.map((s) => [s.name, `${field(s.type)}${s.optional ? '' : '.required()'}`]), indent)})`;
  },
  parse: (a) => [
    `let ${a.target}${a.withTypes ? `: ${NS}.InferType<typeof ${a.schemaName}>` : ''};`,
    'try {',
    `${a.indent}${a.target} = ${a.schemaName}.validateSync(${a.subject}, { abortEarly: false, stripUnknown: true });`,
    `} catch (${a.resultName}) {`,
    ...a.fail(a.withTypes ? `(${a.resultName} as ${NS}.ValidationError).errors` : `${a.resultName}.errors`).map((l) => `${a.indent}${l}`),
    '}',
  ],
};

export const WRITERS: Readonly<Record<SchemaLibrary, SchemaWriter>> = { zod, joi, yup, valibot };

function ifFailed(condition: string, fail: string[], indent: string): string[] {
  if (fail.length === 1) return [`if (${condition}) ${fail[0]}`];
  return [`if (${condition}) {`, ...fail.map((l) => `${indent}${l}`), '}'];
}
