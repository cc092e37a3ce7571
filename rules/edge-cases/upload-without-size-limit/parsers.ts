// Which upload or body parser a call creates, decided by the package the callee was
// imported or required from (multer, busboy and formidable ship no types we can rely
// on, so the import is the evidence), never by the local name it was bound to.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import { originOf, skipOuter } from '../../shared/callee';

export type ParserKind = 'multer' | 'busboy' | 'formidable' | 'body';

export interface UploadParser {
  readonly kind: ParserKind;
  /** How the message names it: 'multer', 'express.json', 'bodyParser.urlencoded'. */
  readonly label: string;
  /** The options argument, when given. */
  readonly options: ts.Expression | undefined;
}

const BODY_PARSERS = ['json', 'urlencoded', 'raw', 'text'];

export function uploadParserOf(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression): UploadParser | undefined {
  const { ts } = ctx;
  const origin = originOf(ctx, skipOuter(ts, call.expression));
  if (!origin || origin.instance) return undefined;
  // `import m from 'x'` / `require('x')` / `import * as x` all name the module itself.
  const path = [...origin.exportPath, ...origin.members].filter((p, i) => !(i === 0 && p === 'default'));
  const options = call.arguments?.[0];
  switch (origin.module) {
    case 'multer':
      return path.length === 0 ? { kind: 'multer', label: 'multer', options } : undefined;
    case 'busboy':
      // busboy 1.x exports a factory, 0.x a class (`new Busboy`): both take the options first.
      return path.length === 0 || (path.length === 1 && path[0] === 'Busboy') ? { kind: 'busboy', label: 'busboy', options } : undefined;
    case 'formidable':
      if (path.length === 0 || (path.length === 1 && ['formidable', 'IncomingForm', 'Formidable'].includes(path[0]))) {
        return { kind: 'formidable', label: path.length === 0 ? 'formidable' : path[0], options };
      }
      return undefined;
    case 'express':
      return path.length === 1 && BODY_PARSERS.includes(path[0]) ? { kind: 'body', label: `express.${path[0]}`, options } : undefined;
    case 'body-parser':
      return path.length === 1 && BODY_PARSERS.includes(path[0]) ? { kind: 'body', label: `bodyParser.${path[0]}`, options } : undefined;
    default:
      return undefined;
  }
}
