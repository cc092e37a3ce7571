// Parsed schema files, kept per path for as long as their text is unchanged, so an
// edit to a TypeScript file does not re-read the schema and an edit to the schema
// re-reads only that file.

interface Entry {
  readonly text: string;
  readonly value: unknown;
}

const entries = new Map<string, Entry>();

/** `compute(text)` for the file, reusing the last result while the file's text is the same. */
export function cachedParse<T>(kind: string, fileName: string, text: string, compute: (text: string) => T): T {
  const key = `${kind}\u0000${fileName}`;
  const hit = entries.get(key);
  if (hit && hit.text === text) return hit.value as T;
  const value = compute(text);
  entries.set(key, { text, value });
  return value;
}
