// A compact parser for the part of JavaScript's regular-expression syntax that decides
// backtracking: sequences, alternation, groups, quantifiers and what each atom can
// match (as a set of code-point ranges, possibly negated). Anything it does not
// understand makes it give up (undefined), so the rule stays silent rather than guess.

/** Code points as inclusive ranges; `negated` means "every code point except these". */
export interface CharSet {
  readonly ranges: readonly (readonly [number, number])[];
  readonly negated: boolean;
}

export type RegexNode =
  | { readonly kind: 'char'; readonly set: CharSet }
  | { readonly kind: 'group'; readonly alternatives: readonly RegexNode[][]; readonly lookaround: boolean }
  | { readonly kind: 'repeat'; readonly body: RegexNode; readonly min: number; readonly max: number }
  | { readonly kind: 'assertion' }
  | { readonly kind: 'backreference' };

const DIGIT: CharSet = { ranges: [[48, 57]], negated: false };
const WORD: CharSet = { ranges: [[48, 57], [65, 90], [95, 95], [97, 122]], negated: false };
const SPACE: CharSet = { ranges: [[9, 13], [32, 32], [160, 160], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]], negated: false };
const ANY: CharSet = { ranges: [], negated: true };
const NOT_NEWLINE: CharSet = { ranges: [[10, 10], [13, 13], [0x2028, 0x2029]], negated: true };
const SINGLE: Readonly<Record<string, number>> = { n: 10, t: 9, r: 13, f: 12, v: 11, '0': 0 };

const single = (c: number): CharSet => ({ ranges: [[c, c]], negated: false });
const negate = (s: CharSet): CharSet => ({ ranges: s.ranges, negated: !s.negated });

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly dotAll: boolean,
  ) {}

  parse(): RegexNode[][] {
    const alts = this.alternatives();
    if (this.i !== this.src.length) throw new Error('unbalanced');
    return alts;
  }

  private alternatives(): RegexNode[][] {
    const alts: RegexNode[][] = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): RegexNode[] {
    const seq: RegexNode[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      seq.push(this.quantified(atom));
    }
    return seq;
  }

  private quantified(atom: RegexNode): RegexNode {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.src[this.i] === '?') this.i++; // lazy: the same paths, tried in another order
    if (atom.kind === 'assertion') return atom;
    return this.quantified({ kind: 'repeat', body: atom, min, max });
  }

  private atom(): RegexNode {
    const c = this.src[this.i++];
    switch (c) {
      case '^':
      case '$':
        return { kind: 'assertion' };
      case '.':
        return { kind: 'char', set: this.dotAll ? ANY : NOT_NEWLINE };
      case '[':
        return { kind: 'char', set: this.charClass() };
      case '(':
        return this.group();
      case '\\':
        return this.escape(false);
      case '*':
      case '+':
      case '?':
        throw new Error('nothing to repeat');
      default:
        return { kind: 'char', set: single(this.src.codePointAt(this.i - 1)!) };
    }
  }

  private group(): RegexNode {
    let lookaround = false;
    if (this.src[this.i] === '?') {
      const rest = this.src.slice(this.i);
      const m = /^\?(:|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(rest);
      if (!m) throw new Error('group');
      lookaround = m[1] === '=' || m[1] === '!' || m[1] === '<=' || m[1] === '<!';
      this.i += m[0].length;
    }
    const alternatives = this.alternatives();
    if (this.src[this.i++] !== ')') throw new Error('unclosed group');
    return lookaround ? { kind: 'assertion' } : { kind: 'group', alternatives, lookaround };
  }

  /** After a backslash. In a class, `\b` is a backspace and there are no back-references. */
  private escape(inClass: boolean): RegexNode {
    const c = this.src[this.i++];
    if (c === undefined) throw new Error('trailing backslash');
    if (c === 'd') return { kind: 'char', set: DIGIT };
    if (c === 'D') return { kind: 'char', set: negate(DIGIT) };
    if (c === 'w') return { kind: 'char', set: WORD };
    if (c === 'W') return { kind: 'char', set: negate(WORD) };
    if (c === 's') return { kind: 'char', set: SPACE };
    if (c === 'S') return { kind: 'char', set: negate(SPACE) };
    if ((c === 'b' || c === 'B') && !inClass) return { kind: 'assertion' };
    if (c === 'b') return { kind: 'char', set: single(8) };
    if (/[1-9]/.test(c) && !inClass) {
      while (/\d/.test(this.src[this.i] ?? '')) this.i++;
      return { kind: 'backreference' };
    }
    if (c === 'k' && this.src[this.i] === '<' && !inClass) {
      this.i = this.src.indexOf('>', this.i) + 1;
      if (this.i === 0) throw new Error('name');
      return { kind: 'backreference' };
    }
    if (c === 'p' || c === 'P') {
      // A Unicode property: too many sets to model; assume it overlaps everything.
      if (this.src[this.i] === '{') this.i = this.src.indexOf('}', this.i) + 1;
      return { kind: 'char', set: ANY };
    }
    if (c === 'x' && /^[0-9a-fA-F]{2}/.test(this.src.slice(this.i))) return this.hex(2);
    if (c === 'u' && /^[0-9a-fA-F]{4}/.test(this.src.slice(this.i))) return this.hex(4);
    if (c === 'u' && this.src[this.i] === '{') {
      const end = this.src.indexOf('}', this.i);
      const value = parseInt(this.src.slice(this.i + 1, end), 16);
      this.i = end + 1;
      return { kind: 'char', set: single(value) };
    }
    if (c === 'c' && /[A-Za-z]/.test(this.src[this.i] ?? '')) return { kind: 'char', set: single(this.src.charCodeAt(this.i++) % 32) };
    if (c in SINGLE) return { kind: 'char', set: single(SINGLE[c]) };
    return { kind: 'char', set: single(this.src.codePointAt(this.i - 1)!) };
  }

  private hex(digits: number): RegexNode {
    const value = parseInt(this.src.slice(this.i, this.i + digits), 16);
    this.i += digits;
    return { kind: 'char', set: single(value) };
  }

  private charClass(): CharSet {
    const negated = this.src[this.i] === '^';
    if (negated) this.i++;
    const ranges: (readonly [number, number])[] = [];
    let any = false;
    while (this.src[this.i] !== ']') {
      if (this.i >= this.src.length) throw new Error('unclosed class');
      const low = this.classAtom();
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && low.ranges.length === 1 && !low.negated && low.ranges[0][0] === low.ranges[0][1]) {
        this.i++;
        const high = this.classAtom();
        if (high.ranges.length === 1 && !high.negated) {
          ranges.push([low.ranges[0][0], high.ranges[0][1]]);
          continue;
        }
        ranges.push([45, 45]);
        any ||= high.negated;
        ranges.push(...high.ranges);
      }
      // `[\W_]`: a negated escape inside a class makes the class almost everything; say everything.
      if (low.negated) any = true;
      else ranges.push(...low.ranges);
    }
    this.i++;
    if (any) return negated ? { ranges: [], negated: false } : ANY;
    return { ranges, negated };
  }

  private classAtom(): CharSet {
    const c = this.src[this.i++];
    if (c === '\\') {
      const node = this.escape(true);
      return node.kind === 'char' ? node.set : ANY;
    }
    return single(this.src.codePointAt(this.i - 1)!);
  }
}

/** The pattern's alternatives, or undefined when the syntax is beyond this parser (or invalid). */
export function parseRegex(source: string, flags: string): RegexNode[][] | undefined {
  try {
    return new Parser(source, flags.includes('s')).parse();
  } catch {
    return undefined;
  }
}

/** True when some code point belongs to both sets. */
export function overlaps(a: CharSet, b: CharSet): boolean {
  if (a.negated && b.negated) return true;
  if (a.negated || b.negated) {
    const [plain, neg] = a.negated ? [b, a] : [a, b];
    // Some code point of `plain` is outside every range of `neg`.
    return plain.ranges.some(([lo, hi]) => !covered(lo, hi, neg.ranges));
  }
  return a.ranges.some(([l1, h1]) => b.ranges.some(([l2, h2]) => l1 <= h2 && l2 <= h1));
}

function covered(lo: number, hi: number, ranges: readonly (readonly [number, number])[]): boolean {
  let next = lo;
  for (const [l, h] of [...ranges].sort((x, y) => x[0] - y[0])) {
    if (l > next) break;
    if (h >= next) next = h + 1;
    if (next > hi) return true;
  }
  return next > hi;
}

export { ANY };
