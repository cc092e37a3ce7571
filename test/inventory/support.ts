// Shared by the inventory tests: one workspace over the inventory fixtures (each fixture
// project has its own tsconfig, so its own program), running no rules — only the inventory.
import * as assert from 'node:assert/strict';
import type { Endpoint } from '../../rules/inventory/types';
import { packageFile } from '../../server/src/engine/package-root';
import { normalizePath } from '../../server/src/engine/paths';
import { Workspace } from '../../server/src/engine/workspace';

export const INVENTORY_ROOT = normalizePath(packageFile('test/fixtures/inventory'));

let shared: Workspace | undefined;

export function inventoryWorkspace(): Workspace {
  shared ??= new Workspace({ roots: [INVENTORY_ROOT], rules: [] });
  return shared;
}

/** The endpoints a fixture file registers (path relative to test/fixtures/inventory). */
export function endpointsOf(rel: string): readonly Endpoint[] {
  const analysis = inventoryWorkspace().analyzeFile(`${INVENTORY_ROOT}/${rel}`, { inventory: true });
  assert.deepEqual(analysis.ruleFailures, [], 'the inventory threw');
  assert.ok(analysis.endpoints, 'no inventory in the analysis');
  return analysis.endpoints;
}

export function find(endpoints: readonly Endpoint[], method: string, path: string): Endpoint {
  const found = endpoints.filter((e) => e.method === method && e.path === path);
  assert.equal(found.length, 1, `expected one ${method} ${path} among ${endpoints.map((e) => `${e.method} ${e.path}`).join(', ')}`);
  return found[0];
}

/** The facts a test asserts, compactly: 1-based lines and each control's state. */
export function summary(e: Endpoint) {
  const c = e.controls;
  return {
    route: `${e.framework} ${e.method} ${e.path}`,
    registrationLine: e.registration.range.start.line + 1,
    handlerLine: e.handler.range.start.line + 1,
    authentication: c.authentication.state,
    validation: c.validation.state,
    rateLimiting: c.rateLimiting.state,
    errorHandling: c.errorHandling.state,
    pagination: c.pagination.state,
    timeouts: c.timeouts.state,
  };
}

/** `file.ts:line` of a cell's evidence. */
export function where(loc: { fileName: string; range: { start: { line: number } } } | undefined): string | undefined {
  return loc && `${loc.fileName.slice(loc.fileName.lastIndexOf('/') + 1)}:${loc.range.start.line + 1}`;
}
