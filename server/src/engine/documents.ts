// Open editor buffers overlay the disk: everything the engine reads goes through
// here, so an unsaved edit is what rules and TypeScript see.
import * as fs from 'node:fs';
import { normalizePath } from './paths';

export interface OpenDocument {
  readonly text: string;
  readonly version: number;
}

export class DocumentStore {
  private readonly open = new Map<string, OpenDocument>();
  /** Bumped when a file changes on disk, so TypeScript's snapshot versions move on. */
  private readonly diskGeneration = new Map<string, number>();

  set(file: string, text: string, version: number): void {
    this.open.set(normalizePath(file), { text, version });
  }

  close(file: string): void {
    const key = normalizePath(file);
    this.open.delete(key);
    this.touchDisk(key);
  }

  get(file: string): OpenDocument | undefined {
    return this.open.get(normalizePath(file));
  }

  isOpen(file: string): boolean {
    return this.open.has(normalizePath(file));
  }

  touchDisk(file: string): void {
    const key = normalizePath(file);
    this.diskGeneration.set(key, (this.diskGeneration.get(key) ?? 0) + 1);
  }

  /** A version string that changes whenever the content TypeScript should see changes. */
  version(file: string): string {
    const doc = this.open.get(file);
    return doc ? `o${doc.version}` : `d${this.diskGeneration.get(file) ?? 0}`;
  }

  readText(file: string): string | undefined {
    const doc = this.open.get(file);
    if (doc) return doc.text;
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  exists(file: string): boolean {
    if (this.open.has(file)) return true;
    try {
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  }

  size(file: string): number | undefined {
    const doc = this.open.get(file);
    if (doc) return Buffer.byteLength(doc.text);
    try {
      return fs.statSync(file).size;
    } catch {
      return undefined;
    }
  }
}
