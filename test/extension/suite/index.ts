// Entry point @vscode/test-electron loads inside the extension host: runs the
// in-editor tests with mocha and fails the run if any fails.
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false });
  mocha.addFile(path.join(__dirname, 'extension.e2e.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} in-editor test(s) failed`)) : resolve()));
  });
}
