// Catastrophic backtracking: a repetition whose body can match the same text in many
// ways, followed by something that can fail, makes a backtracking engine try every
// way before giving up — exponential in the input's length. Two shapes are reported:
// a repetition nested in another with nothing required between them that it cannot
// also match (`(a+)+`, `(\w+\s?)+`, `(.*a){20}`), and a repeated alternation whose
// alternatives tile one another (`(a|a)*`, `(\w|\d)+`, `(a|aa)+`).
import { overlaps, parseRegex, type CharSet, type RegexNode } from './regex-parser';

export type Ambiguity = 'nested' | 'alternation';

/** Outer repetitions at least this large backtrack badly even when bounded (`{20}`). */
const LARGE_BOUND = 10;

export function catastrophicBacktracking(source: string, flags: string): Ambiguity | undefined {
  const alts = parseRegex(source, flags);
  if (!alts) return undefined;
  for (const seq of alts) {
    const found = inSequence(seq, false);
    if (found) return found;
  }
  return undefined;
}

/** `tailRequired`: something after this sequence (in an enclosing one) must match, so a failure there forces backtracking. */
function inSequence(seq: readonly RegexNode[], tailRequired: boolean): Ambiguity | undefined {
  for (let k = 0; k < seq.length; k++) {
    const node = seq[k];
    const required = tailRequired || seq.slice(k + 1).some((n) => !canBeEmpty(n) || n.kind === 'assertion');
    const found = inNode(node, required);
    if (found) return found;
  }
  return undefined;
}

function inNode(node: RegexNode, tailRequired: boolean): Ambiguity | undefined {
  if (node.kind === 'group') {
    for (const alt of node.alternatives) {
      const found = inSequence(alt, tailRequired);
      if (found) return found;
    }
    return undefined;
  }
  if (node.kind !== 'repeat') return undefined;
  if (tailRequired && node.max >= LARGE_BOUND) {
    const found = ambiguousBody(node.body, node.max === Infinity);
    if (found) return found;
  }
  // Inside a repetition, the next iteration may be what fails.
  return inNode(node.body, tailRequired || node.max > 1);
}

function ambiguousBody(body: RegexNode, unbounded: boolean): Ambiguity | undefined {
  const alts = body.kind === 'group' ? body.alternatives : [[body]];
  for (const seq of alts) if (hasNestedRepeat(seq)) return 'nested';
  if (unbounded && tilingAlternatives(alts)) return 'alternation';
  return undefined;
}

/** An unbounded repetition in the sequence that everything else in it can either skip or be matched by. */
function hasNestedRepeat(seq: readonly RegexNode[]): boolean {
  return seq.some((node, k) => {
    const inner = unboundedRepeat(node);
    if (!inner) return false;
    const chars = charsOf(inner.body);
    if (!chars) return false;
    return seq.every((other, j) => {
      if (j === k || other.kind === 'assertion') return true;
      if (canBeEmpty(other)) return true;
      const otherChars = charsOf(other);
      return !!otherChars && otherChars.some((o) => chars.some((c) => overlaps(o, c)));
    });
  });
}

/** `a+`, or a group holding only `a+`. */
function unboundedRepeat(node: RegexNode): Extract<RegexNode, { kind: 'repeat' }> | undefined {
  if (node.kind === 'repeat' && node.max === Infinity) return node;
  if (node.kind === 'group' && node.alternatives.length === 1 && node.alternatives[0].length === 1) return unboundedRepeat(node.alternatives[0][0]);
  return undefined;
}

/** Two alternatives of fixed single characters where the longer is the shorter repeated: `a|a`, `\w|\d`, `a|aa`. */
function tilingAlternatives(alts: readonly RegexNode[][]): boolean {
  const fixed = alts.map((seq) => (seq.length > 0 && seq.every((n) => n.kind === 'char') ? seq.map((n) => (n as { set: CharSet }).set) : undefined));
  for (let x = 0; x < fixed.length; x++) {
    for (let y = 0; y < fixed.length; y++) {
      const short = fixed[x];
      const long = fixed[y];
      if (x === y || !short || !long || long.length < short.length || long.length % short.length !== 0) continue;
      if (long.length === short.length && y < x) continue;
      if (long.every((set, i) => overlaps(set, short[i % short.length]))) return true;
    }
  }
  return false;
}

function canBeEmpty(node: RegexNode): boolean {
  switch (node.kind) {
    case 'char':
      return false;
    case 'repeat':
      return node.min === 0 || canBeEmpty(node.body);
    case 'group':
      return node.alternatives.some((seq) => seq.every(canBeEmpty));
    default:
      return true;
  }
}

/** Every character set the node can consume; undefined when unknown (a back-reference). */
function charsOf(node: RegexNode): CharSet[] | undefined {
  switch (node.kind) {
    case 'char':
      return [node.set];
    case 'repeat':
      return charsOf(node.body);
    case 'group': {
      const out: CharSet[] = [];
      for (const seq of node.alternatives) {
        for (const n of seq) {
          const c = charsOf(n);
          if (!c) return undefined;
          out.push(...c);
        }
      }
      return out;
    }
    case 'assertion':
      return [];
    default:
      return undefined;
  }
}
