// What makes a route expensive for expensive-route-without-strict-limit, decided by what its
// code does: it sends e-mail or SMS (nodemailer, @sendgrid/mail, twilio, resend, postmark,
// mailgun, AWS SES/SNS — by the module the call resolves to, in the handler or a project
// function it calls, two levels down), it takes an upload (multer and kin before it, or a
// file read from the request), or its path names the work and the handler does it: a signup
// or password reset reading the body, a search reading the query or body, an export/report/
// download answering with a file.
import type { ts } from 'ts-morph';
import type { RuleContext } from '../api';
import { parameterNames, rootName } from '../inventory/callees';
import { contextFor, codeLabel } from '../inventory/location';
import { requestPartsRead } from '../inventory/request-input';
import { calledFunction, resolveValue } from '../inventory/values';
import { originOf, resolveCall, skipOuter } from './callee';
import type { FileRoute } from './login-routes';

export interface ExpensiveWork {
  readonly node: ts.Node;
  /** Ends "`POST /signup` …": "sends e-mail with `mailer.sendMail`". */
  readonly note: string;
}

interface Sender {
  readonly names: readonly string[];
  /** A member the call goes through (`client.messages.create`). */
  readonly via?: string;
  readonly what: 'e-mail' | 'SMS' | 'notifications';
}

const SENDERS: Readonly<Record<string, readonly Sender[]>> = {
  nodemailer: [{ names: ['sendMail'], what: 'e-mail' }],
  '@sendgrid/mail': [{ names: ['send', 'sendMultiple'], what: 'e-mail' }],
  twilio: [{ names: ['create'], via: 'messages', what: 'SMS' }, { names: ['create'], via: 'verifications', what: 'SMS' }],
  resend: [{ names: ['send'], via: 'emails', what: 'e-mail' }],
  postmark: [{ names: ['sendEmail', 'sendEmailWithTemplate', 'sendEmailBatch'], what: 'e-mail' }],
  'mailgun.js': [{ names: ['create'], via: 'messages', what: 'e-mail' }],
  '@aws-sdk/client-ses': [{ names: ['SendEmailCommand', 'SendRawEmailCommand', 'SendTemplatedEmailCommand', 'SendBulkTemplatedEmailCommand', 'sendEmail', 'sendRawEmail'], what: 'e-mail' }],
  '@aws-sdk/client-sesv2': [{ names: ['SendEmailCommand', 'SendBulkEmailCommand', 'sendEmail'], what: 'e-mail' }],
  '@aws-sdk/client-sns': [{ names: ['PublishCommand', 'publish'], what: 'SMS' }],
};
const UPLOAD_MODULES = new Set(['multer', 'express-fileupload', 'connect-busboy', 'connect-multiparty', 'express-formidable']);
const ATTACHMENT_CALLS = new Set(['attachment', 'download', 'sendFile']);
const SIGNUP_SEGMENTS = new Set(['signup', 'register', 'registration', 'forgotpassword', 'resetpassword', 'passwordreset']);
const PASSWORD_PAIRS = new Set(['reset', 'forgot']);
const EXPORT_SEGMENTS = new Set(['export', 'exports', 'report', 'reports', 'download', 'downloads']);
const MAX_DEPTH = 2;
const MAX_FUNCTIONS = 30;

export function expensiveWork(ctx: RuleContext, route: FileRoute): ExpensiveWork | undefined {
  return messageSent(ctx, route.fn) ?? upload(ctx, route) ?? byPathAndWork(ctx, route);
}

/** A mail/SMS send in `fn` or the project functions it calls, `MAX_DEPTH` levels down. */
function messageSent(ctx: RuleContext, root: ts.FunctionLikeDeclaration): ExpensiveWork | undefined {
  const { ts } = ctx;
  const seen = new Set<ts.Node>([root]);
  let level: ts.FunctionLikeDeclaration[] = [root];
  for (let depth = 0; depth <= MAX_DEPTH && level.length; depth++) {
    const next: ts.FunctionLikeDeclaration[] = [];
    for (const fn of level) {
      const fnCtx = contextFor(ctx, fn.getSourceFile());
      let found: ExpensiveWork | undefined;
      const visit = (n: ts.Node): void => {
        if (found) return;
        if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
          found = senderCall(fnCtx, n);
          if (!found && ts.isCallExpression(n) && depth < MAX_DEPTH && seen.size < MAX_FUNCTIONS) {
            const callee = calledFunction(fnCtx, n);
            if (callee && !seen.has(callee)) {
              seen.add(callee);
              next.push(callee);
            }
          }
        }
        ts.forEachChild(n, visit);
      };
      if (fn.body) visit(fn.body);
      if (found) return found;
    }
    level = next;
  }
  return undefined;
}

function senderCall(ctx: RuleContext, call: ts.CallExpression | ts.NewExpression): ExpensiveWork | undefined {
  const { ts } = ctx;
  const callee = skipOuter(ts, call.expression);
  const written = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  // Only calls whose written name could be a send are resolved: resolving every call is what costs.
  if (!written || !Object.values(SENDERS).some((list) => list.some((s) => s.names.includes(written)))) return undefined;
  const target = resolveCall(ctx, call);
  const module = target?.module ?? originOf(ctx, callee)?.module;
  const sender = module ? SENDERS[module]?.find((s) => s.names.includes(written) && (!s.via || (target?.memberPath ?? []).includes(s.via) || codeLabel(callee).split('.').includes(s.via))) : undefined;
  if (!sender) return undefined;
  return { node: call, note: `sends ${sender.what} with \`${codeLabel(ts.isNewExpression(call) ? call : callee)}\`` };
}

function upload(ctx: RuleContext, route: FileRoute): ExpensiveWork | undefined {
  for (const m of route.ownMiddleware) {
    const v = resolveValue(ctx, m);
    if (v?.kind === 'package' && UPLOAD_MODULES.has(v.module)) return { node: m, note: `takes an upload through \`${codeLabel(m)}\` (${v.module})` };
  }
  if (requestPartsRead(ctx, route).includes('files')) return { node: route.registration, note: 'takes an uploaded file' };
  return undefined;
}

function segmentsOf(route: FileRoute): string[] {
  const path = route.path !== '(dynamic)' ? route.path : (route.localPath ?? '');
  return path.split('/').filter((s) => s && !s.startsWith(':') && !s.startsWith('*')).map((s) => s.toLowerCase().replace(/[-_]/g, ''));
}

function byPathAndWork(ctx: RuleContext, route: FileRoute): ExpensiveWork | undefined {
  const segments = segmentsOf(route);
  const last = segments[segments.length - 1];
  if (!last) return undefined;
  const parts = requestPartsRead(ctx, route);
  const signup = SIGNUP_SEGMENTS.has(last) || (segments[segments.length - 2] === 'password' && PASSWORD_PAIRS.has(last));
  if (signup && parts.includes('body')) return { node: route.registration, note: last.includes('password') || PASSWORD_PAIRS.has(last) ? 'starts a password reset from the body' : 'creates an account from the body' };
  if (segments.includes('search') && (parts.includes('query') || parts.includes('body'))) return { node: route.registration, note: `runs a search from the ${parts.includes('query') ? 'query' : 'body'}` };
  if (segments.some((s) => EXPORT_SEGMENTS.has(s))) {
    const file = attachmentResponse(ctx, route.fn);
    if (file) return { node: file, note: `generates a file (\`${codeLabel(file)}\`)` };
  }
  return undefined;
}

/** `res.attachment(…)`, `res.download(…)`, `res.sendFile(…)`, or a Content-Disposition header set on the handler's response. */
function attachmentResponse(ctx: RuleContext, fn: ts.FunctionLikeDeclaration): ts.CallExpression | undefined {
  const { ts } = ctx;
  let found: ts.CallExpression | undefined;
  // On the handler's own response (`res`, `reply`), not on any object with such a method.
  const params = parameterNames(ts, fn);
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && params.has(rootName(ts, n.expression.expression) ?? '')) {
      const name = n.expression.name.text;
      const first = n.arguments[0] && skipOuter(ts, n.arguments[0]);
      if (ATTACHMENT_CALLS.has(name)) found = n;
      else if (['setHeader', 'header', 'set', 'writeHead'].includes(name) && first && ts.isStringLiteralLike(first) && first.text.toLowerCase() === 'content-disposition') found = n;
    }
    ts.forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return found;
}
