// A second, independent LSP client: headless Neovim (0.7+) starts the server over
// stdio (`harden lsp --stdio`), gets the diagnostic, asks for code actions and applies the preferred fix.
// Runs only where `nvim` is installed (apt-get install neovim).
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { skipWhenMissing } from '../support/editor-tools';
import { makeWorkspace, removeWorkspaces } from './harness';

// What a Neovim user configures: the CLI's `harden lsp --stdio`, not a module path.
const HARDEN_BIN = path.resolve(__dirname, '../../../bin/harden.js');

// nvim 0.7 has no vim.lsp.start: start_client + buf_attach_client.
const CHECK_LUA = `
local file = vim.fn.fnamemodify('src/service.ts', ':p')
vim.cmd('edit ' .. file)
local bufnr = vim.api.nvim_get_current_buf()
local latest = nil
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
  latest = result
end
local function has_finding()
  if latest == nil then return false end
  for _, d in ipairs(latest.diagnostics) do if d.code == 'swallowed-error' then return true end end
  return false
end
local client_id = vim.lsp.start_client({
  name = 'hardening',
  cmd = { vim.env.NODE, vim.env.HARDEN_BIN, 'lsp', '--stdio' },
  root_dir = vim.fn.getcwd(),
})
assert(client_id, 'start_client failed')
vim.lsp.buf_attach_client(bufnr, client_id)
if not vim.wait(60000, has_finding, 50) then io.stdout:write('FAIL no diagnostics\\n'); vim.cmd('cquit 1') end
local diags = {}
for _, d in ipairs(latest.diagnostics) do if d.code == 'swallowed-error' then table.insert(diags, d) end end
io.stdout:write('DIAG ' .. diags[1].code .. ' ' .. diags[1].source .. ' line=' .. diags[1].range.start.line .. '\\n')
local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, range = diags[1].range, context = { diagnostics = diags } }
local resp = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 30000)
local action
for _, r in pairs(resp or {}) do for _, a in ipairs(r.result or {}) do
  io.stdout:write('ACTION ' .. a.title .. '\\n')
  if a.isPreferred then action = a end
end end
if not action then io.stdout:write('FAIL no preferred action\\n'); vim.cmd('cquit 1') end
vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
local cleared = vim.wait(60000, function() return not has_finding() and latest.version == vim.lsp.util.buf_versions[bufnr] end, 50)
io.stdout:write('CLEARED ' .. tostring(cleared) .. '\\n')
for _, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do io.stdout:write('TEXT ' .. line .. '\\n') end
vim.lsp.stop_client(client_id)
vim.cmd('qall!')
`;

function hasNeovim(): boolean {
  return spawnSync('nvim', ['--version'], { stdio: 'ignore' }).status === 0;
}

describe('Neovim as an LSP client', function () {
  after(() => removeWorkspaces());

  it('shows the finding and applies the quick fix through the server over stdio', function () {
    skipWhenMissing(this, hasNeovim() ? undefined : 'nvim is not installed');
    const root = makeWorkspace({
      'package.json': JSON.stringify({ name: 'nvim-check', private: true }),
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, lib: ['ES2022', 'DOM'], noEmit: true }, include: ['src'] }),
      'src/service.ts': 'export function parse(text: string): unknown {\n  try {\n    return JSON.parse(text);\n  } catch {}\n  return undefined;\n}\n',
      'check.lua': CHECK_LUA,
    });
    const output = execFileSync('nvim', ['--headless', '-u', 'NONE', '-c', `luafile ${path.join(root, 'check.lua')}`], {
      cwd: root,
      env: { ...process.env, NODE: process.execPath, HARDEN_BIN },
      encoding: 'utf8',
      timeout: 150_000,
    });
    assert.match(output, /^DIAG swallowed-error hardening line=3$/m);
    assert.match(output, /^ACTION Suppress swallowed-error on this line \(with reason\)$/m);
    assert.match(output, /^CLEARED true$/m);
    assert.match(output, /^TEXT {5}console\.error\(/m);
    // Nothing was written to disk: the fix lives in the buffer.
    assert.match(fs.readFileSync(path.join(root, 'src/service.ts'), 'utf8'), /catch \{\}/);
  });
});
