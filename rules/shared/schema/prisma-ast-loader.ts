// Loads @mrleebo/prisma-ast safely. On load the library searches for its own
// configuration upward from process.cwd() and `require`s a `.prisma-astrc.js` or
// `prisma-ast.config.js` it finds: from an untrusted repository (the CLI runs in
// one) that would execute the repository's code. So it is loaded once, with the
// working directory moved to our own install folder for the duration of the
// (synchronous) require. Import the library only through this module.
import type * as PrismaAst from '@mrleebo/prisma-ast';

type Library = typeof PrismaAst;
type ParserAndVisitor = NonNullable<Parameters<Library['getSchema']>[1]>;

let library: Library | null | undefined;
let parserAndVisitor: ParserAndVisitor | undefined;

function load(): Library | undefined {
  if (library !== undefined) return library ?? undefined;
  library = null;
  const previous = process.cwd();
  try {
    // Not possible in a worker thread: then stay without Prisma support rather than risk it.
    process.chdir(__dirname);
  } catch {
    return undefined;
  }
  try {
    library = require('@mrleebo/prisma-ast') as Library;
  } catch {
    library = null;
  } finally {
    process.chdir(previous);
  }
  return library ?? undefined;
}

/** Parses a schema with node locations, or throws on a syntax error; undefined when the library is unavailable. */
export function parsePrismaSchema(text: string): PrismaAst.Schema | undefined {
  const lib = load();
  if (!lib) return undefined;
  if (!parserAndVisitor) {
    const parser = new lib.PrismaParser({ nodeLocationTracking: 'full' });
    const VisitorClass = lib.VisitorClassFactory(parser);
    parserAndVisitor = { parser, visitor: new VisitorClass() };
  }
  return lib.getSchema(text, parserAndVisitor);
}
