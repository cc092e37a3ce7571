// Reads the expectations written inside fixtures (DESIGN.md, "Fixtures"):
//   code();            // expect: rule-id            (or: rule-a, rule-b)
//   code();            // expect: rule-id {{part of the message}}
//   // expect@+1: rule-id                            (for the next line: JSX, multi-line calls)
//   code();            // ok: rule-id                (looks like a finding and must not be one)
export interface Expectation {
  /** 0-based line the finding must start on. */
  readonly line: number;
  readonly ruleId: string;
  readonly messageIncludes?: string;
}

export interface OkMark {
  readonly line: number;
  readonly ruleId: string;
}

const EXPECT = /\/\/\s*expect(?:@([+-]\d+))?:\s*(.+?)\s*$/;
const OK = /\/\/\s*ok:\s*([\w-]+(?:\s*,\s*[\w-]+)*)/;
const JSX_EXPECT = /\{\/\*\s*expect(?:@([+-]\d+))?:\s*(.+?)\s*\*\/\}/;

export function readAnnotations(text: string): { expectations: Expectation[]; oks: OkMark[] } {
  const expectations: Expectation[] = [];
  const oks: OkMark[] = [];
  text.split(/\r?\n/).forEach((lineText, index) => {
    const m = EXPECT.exec(lineText) ?? JSX_EXPECT.exec(lineText);
    if (m) {
      const line = index + (m[1] ? Number(m[1]) : 0);
      for (const part of splitRules(m[2])) expectations.push({ line, ...part });
    }
    const ok = OK.exec(lineText);
    if (ok) for (const id of ok[1].split(',')) oks.push({ line: index, ruleId: id.trim() });
  });
  return { expectations, oks };
}

function splitRules(spec: string): { ruleId: string; messageIncludes?: string }[] {
  const out: { ruleId: string; messageIncludes?: string }[] = [];
  const re = /([\w-]+)(?:\s*\{\{(.*?)\}\})?/g;
  for (let m = re.exec(spec); m; m = re.exec(spec)) out.push({ ruleId: m[1], messageIncludes: m[2] });
  return out;
}
