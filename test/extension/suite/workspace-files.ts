// The project the in-editor suite opens (written to a temp folder by the runner).

export const E2E_WORKSPACE_FILES: Readonly<Record<string, string>> = {
  'package.json': JSON.stringify({ name: 'hardening-e2e', private: true }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, lib: ['ES2022', 'DOM'], noEmit: true }, include: ['src'] }),
  'src/service.ts': `export function parseSettings(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {}
  return undefined;
}
`,
};
