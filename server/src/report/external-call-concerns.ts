// What an `unguarded-external-call` finding is about: a missing timeout, an unhandled
// failure, or both. Findings carry no structured reason, so this reads the shape of
// the rule's messages (rules/error-handling/unguarded-external-call.ts, `messageOf`):
//   "`<call>` to an external service has no timeout: …"                      → timeouts
//   "`<call>` to an external service has no timeout and its failure reaches …" → both
//   "`<call>` to an external service has no timeout and no `error` listener …" → both
//   "`<call>` to an external service has no `error` listener: …"              → errorHandling
//   "The failure of `<call>` to an external service reaches …"                → errorHandling
// `<call>` is the callee's text with all whitespace removed, so the first " to an
// external service " is always the rule's own wording, never the user's code.
// test/report/external-call-concerns.test.ts runs the rule and fails when a message
// stops being recognised.
import type { ControlId } from '../../../rules/inventory/types';

const AFTER_CALL = ' to an external service ';

export function externalCallConcerns(message: string): readonly ControlId[] {
  if (message.startsWith('The failure of `') && message.includes(`\`${AFTER_CALL}reaches `)) return ['errorHandling'];
  if (!message.startsWith('`')) return [];
  const at = message.indexOf(AFTER_CALL);
  if (at < 0) return [];
  const rest = message.slice(at + AFTER_CALL.length);
  if (rest.startsWith('has no timeout and ')) return ['timeouts', 'errorHandling'];
  if (rest.startsWith('has no timeout:')) return ['timeouts'];
  if (rest.startsWith('has no `error` listener')) return ['errorHandling'];
  return [];
}
