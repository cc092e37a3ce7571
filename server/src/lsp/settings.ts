// The `hardening.*` settings as the server understands them, read from whatever the
// client sends (pulled with workspace/configuration or pushed with
// didChangeConfiguration) and checked, since it is user-typed data.
import type { UserSettings } from '../engine/config';

export interface ServerSettings {
  readonly enable: boolean;
  readonly rules: Record<string, unknown>;
  readonly exclude: string[];
}

export const DEFAULT_SETTINGS: ServerSettings = { enable: true, rules: {}, exclude: [] };

export const SETTINGS_SECTION = 'hardening';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Settings from the `hardening` section object; anything malformed falls back to the default. */
export function parseSettings(section: unknown): ServerSettings {
  if (!isRecord(section)) return DEFAULT_SETTINGS;
  return {
    enable: typeof section.enable === 'boolean' ? section.enable : DEFAULT_SETTINGS.enable,
    rules: isRecord(section.rules) ? { ...section.rules } : {},
    exclude: Array.isArray(section.exclude) ? section.exclude.filter((e): e is string => typeof e === 'string') : [],
  };
}

export function userSettingsOf(settings: ServerSettings): UserSettings {
  return { rules: settings.rules, exclude: settings.exclude };
}

/** True when a change of settings needs a new engine Workspace (rules or excludes differ). */
export function engineSettingsChanged(a: ServerSettings, b: ServerSettings): boolean {
  return JSON.stringify(userSettingsOf(a)) !== JSON.stringify(userSettingsOf(b));
}
