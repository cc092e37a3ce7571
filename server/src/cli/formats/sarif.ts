// SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, SonarQube imports): every
// rule with its help, CWE tags and severity; results with stable fingerprints, the
// data path as related locations and a code flow; skipped files and rule failures
// as tool notifications.
import type * as sarif from 'sarif';
import type { Severity } from '../../../../rules/api';
import type { Finding, Range, RelatedLocation } from '../../engine/finding';
import { pathToUri } from '../../engine/paths';
import type { AuditResult } from '../audit';
import { catalogue, pascalCase, ruleDocs, type CatalogueEntry } from '../catalogue';
import { TOOL_NAME, toolHomepage, toolVersion } from '../manifest';
import { relativePath } from './paths';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const BASE_ID = 'SRCROOT';
export const FINGERPRINT_KEY = 'hardeningFingerprint/v1';

/** Categories whose findings are security weaknesses (GitHub files them under "Security"). */
const SECURITY_CATEGORIES = new Set(['security', 'auth', 'validation']);

/** GitHub's security-severity scale (0–10) from the rule's default severity. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

export function sarifLevel(severity: Severity): sarif.Result.level {
  return severity === 'info' ? 'note' : severity;
}

function problemSeverity(severity: Severity): string {
  return severity === 'info' ? 'recommendation' : severity;
}

function ruleDescriptor(rule: CatalogueEntry): sarif.ReportingDescriptor {
  const docs = ruleDocs(rule);
  const security = SECURITY_CATEGORIES.has(rule.category);
  const tags = [rule.category, ...(security && rule.category !== 'security' ? ['security'] : []), ...rule.cwe.map((n) => `CWE-${n}`)];
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.description },
    fullDescription: docs?.summaryText ? { text: docs.summaryText, markdown: docs.summaryMarkdown } : { text: rule.description },
    help: docs ? { text: docs.text, markdown: docs.markdown } : { text: rule.description },
    helpUri: rule.docsUrl,
    defaultConfiguration: { level: sarifLevel(rule.defaultSeverity) },
    properties: {
      tags,
      precision: 'high',
      'problem.severity': problemSeverity(rule.defaultSeverity),
      ...(security ? { 'security-severity': SECURITY_SEVERITY[rule.defaultSeverity] } : {}),
    },
  };
}

function region(range: Range): sarif.Region {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

export function sarifLog(result: AuditResult, baseDir: string): sarif.Log {
  const rules = catalogue();
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const artifact = (file: string): sarif.ArtifactLocation => ({ uri: encodeURI(relativePath(baseDir, file)), uriBaseId: BASE_ID });
  const physical = (file: string, range: Range): sarif.PhysicalLocation => ({ artifactLocation: artifact(file), region: region(range) });

  const toResult = (f: Finding): sarif.Result => {
    const index = ruleIndex.get(f.ruleId);
    const sink: sarif.Location = { physicalLocation: physical(f.fileName, f.range) };
    const related = f.related.map(
      (r: RelatedLocation, i): sarif.Location => ({ id: i + 1, physicalLocation: physical(r.fileName, r.range), message: { text: r.message } }),
    );
    // Only the data's path becomes a code flow; evidence (a declaration, a schema) stays a related location.
    const steps = related.filter((_, i) => f.related[i].step);
    return {
      ruleId: f.ruleId,
      ...(index !== undefined ? { ruleIndex: index } : {}),
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [sink],
      partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
      ...(related.length > 0 ? { relatedLocations: related } : {}),
      ...(steps.length > 0
        ? {
            codeFlows: [
              {
                message: { text: `How the data reaches the problem flagged by ${f.ruleId}` },
                threadFlows: [
                  {
                    locations: [
                      ...steps.map((r) => ({ location: { physicalLocation: r.physicalLocation, message: r.message } })),
                      { location: { ...sink, message: { text: f.message } } },
                    ],
                  },
                ],
              },
            ],
          }
        : {}),
    };
  };

  const notifications: sarif.Notification[] = [
    ...result.skipped.map(
      (s): sarif.Notification => ({
        level: 'note',
        message: { text: `Skipped ${relativePath(baseDir, s.file)}: ${s.reason}.` },
        locations: [{ physicalLocation: { artifactLocation: artifact(s.file) } }],
        associatedRule: { id: 'skipped-file', index: ruleIndex.get('skipped-file') },
      }),
    ),
    ...result.ruleFailures.map(
      (r): sarif.Notification => ({
        level: 'error',
        message: { text: `Rule ${r.ruleId} failed on ${relativePath(baseDir, r.file)}: ${r.message}` },
        locations: [{ physicalLocation: { artifactLocation: artifact(r.file) } }],
        associatedRule: { id: r.ruleId, index: ruleIndex.get(r.ruleId) },
      }),
    ),
    ...result.projectProblems.map(
      (p): sarif.Notification => ({
        level: 'warning',
        message: { text: `${relativePath(baseDir, p.file)}: ${p.message}` },
        locations: [{ physicalLocation: { artifactLocation: artifact(p.file) } }],
      }),
    ),
  ];

  const homepage = toolHomepage();
  const version = toolVersion();
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            ...(homepage ? { informationUri: homepage } : {}),
            version,
            semanticVersion: version,
            rules: rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { [BASE_ID]: { uri: pathToUri(baseDir.endsWith('/') ? baseDir : `${baseDir}/`) } },
        invocations: [{ executionSuccessful: true, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) }],
        columnKind: 'utf16CodeUnits',
        results: result.findings.map(toResult),
      },
    ],
  };
}

export function formatSarif(result: AuditResult, baseDir: string): string {
  return `${JSON.stringify(sarifLog(result, baseDir), null, 2)}\n`;
}
