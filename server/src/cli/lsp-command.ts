// `harden lsp --stdio`: the language server for editors other than VS Code
// (Neovim, Helix, Zed…). Loaded lazily so `harden audit` never pays for it.
import { EXIT_OK, UsageError } from './exit-codes';

interface LanguageServerModule {
  startLanguageServer(): unknown;
}

function loadServer(): LanguageServerModule {
  try {
    // A plain require (not import) so the CLI builds and runs before the server exists,
    // and bundlers still see the path.
    return require('../lsp/server') as LanguageServerModule;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'MODULE_NOT_FOUND' && /lsp[\\/]server'/.test(err.message.split('\n')[0])) {
      throw new UsageError('the language server is not part of this build (server/src/lsp/server.ts is missing)');
    }
    throw e;
  }
}

export async function lspCommand(options: { readonly stdio?: boolean }): Promise<number> {
  if (!options.stdio) throw new UsageError('the language server speaks over stdio only: run `harden lsp --stdio`');
  const server = loadServer();
  if (typeof server.startLanguageServer !== 'function') {
    throw new UsageError('the language server module does not export startLanguageServer()');
  }
  // The connection keeps the process alive; it exits when the client sends `exit`.
  await server.startLanguageServer();
  return EXIT_OK;
}
