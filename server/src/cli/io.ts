// Where the CLI writes: injected so the commands never reach for `process` directly
// and the exit code is always returned, never forced with process.exit.
export interface Io {
  readonly cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** picocolors' detection: a colour terminal or CI log, unless NO_COLOR or --no-color says otherwise. */
  readonly stdoutColor: boolean;
  /** Progress is drawn only on an interactive stderr, never into logs or pipes. */
  readonly stderrIsTTY: boolean;
}

export function processIo(): Io {
  // Imported here so that tests which inject their own Io never load it.
  const pc = require('picocolors') as typeof import('picocolors');
  return {
    cwd: process.cwd(),
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    stdoutColor: pc.isColorSupported,
    stderrIsTTY: !!process.stderr.isTTY,
  };
}
