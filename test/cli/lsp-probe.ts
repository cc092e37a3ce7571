// Starts `harden lsp --stdio` and speaks just enough LSP to prove the front door
// works: initialize, shutdown, exit — waiting on protocol events, never on time.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { pathToFileURL } from 'node:url';
import { BIN } from './cli-support';

export interface ProbeResult {
  readonly capabilities: unknown;
  readonly exitCode: number | null;
}

export async function initializeOverStdio(rootDir: string): Promise<ProbeResult> {
  const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: rootDir, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  try {
    const result = (await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(rootDir).toString(),
      workspaceFolders: [{ uri: pathToFileURL(rootDir).toString(), name: 'project' }],
      capabilities: {},
    })) as { capabilities: unknown };
    await connection.sendNotification('initialized', {});
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    const [exitCode] = await exited;
    return { capabilities: result.capabilities, exitCode };
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill();
  }
}
