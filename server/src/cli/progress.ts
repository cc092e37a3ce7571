// A one-line progress indicator on an interactive stderr; silent everywhere else
// (CI logs and pipes get no control characters).
import type { Io } from './io';
import { relativePath } from './formats/paths';

export type ProgressCallback = (done: number, total: number, file: string) => void;

const CLEAR_LINE = '\r\x1b[2K';

export function progressOnStderr(io: Io): ProgressCallback | undefined {
  if (!io.stderrIsTTY) return undefined;
  return (done, total, file) => {
    if (done >= total) {
      io.err(CLEAR_LINE);
      return;
    }
    const label = relativePath(io.cwd, file);
    const line = `Auditing ${done + 1}/${total} ${label}`;
    const width = process.stderr.columns ?? 80;
    io.err(`${CLEAR_LINE}${line.length >= width ? `${line.slice(0, width - 2)}…` : line}`);
  };
}
