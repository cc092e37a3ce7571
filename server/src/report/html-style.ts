// The report's stylesheet. Colours come from VS Code's theme variables inside the
// webview; the fallbacks make the exported file look right in a browser, in light
// and dark. No style attributes anywhere (the CSP allows only this nonce'd sheet).

const LIGHT = `
  --fg: var(--vscode-foreground, #1f2328);
  --bg: var(--vscode-editor-background, #ffffff);
  --muted: var(--vscode-descriptionForeground, #59636e);
  --border: var(--vscode-panel-border, #d1d9e0);
  --stripe: var(--vscode-list-hoverBackground, #f6f8fa);
  --link: var(--vscode-textLink-foreground, #0969da);
  --focus: var(--vscode-focusBorder, #0969da);
  --button-bg: var(--vscode-button-secondaryBackground, #eff2f5);
  --button-fg: var(--vscode-button-secondaryForeground, #1f2328);
  --error: var(--vscode-editorError-foreground, #cf222e);
  --warning: var(--vscode-editorWarning-foreground, #9a6700);
  --info: var(--vscode-editorInfo-foreground, #0969da);
  --ok: var(--vscode-testing-iconPassed, #1a7f37);
  --na: var(--vscode-disabledForeground, #6e7781);`;

const DARK = `
  --fg: var(--vscode-foreground, #e6edf3);
  --bg: var(--vscode-editor-background, #0d1117);
  --muted: var(--vscode-descriptionForeground, #9198a1);
  --border: var(--vscode-panel-border, #3d444d);
  --stripe: var(--vscode-list-hoverBackground, #151b23);
  --link: var(--vscode-textLink-foreground, #4493f8);
  --focus: var(--vscode-focusBorder, #4493f8);
  --button-bg: var(--vscode-button-secondaryBackground, #212830);
  --button-fg: var(--vscode-button-secondaryForeground, #e6edf3);
  --error: var(--vscode-editorError-foreground, #f85149);
  --warning: var(--vscode-editorWarning-foreground, #d29922);
  --info: var(--vscode-editorInfo-foreground, #4493f8);
  --ok: var(--vscode-testing-iconPassed, #3fb950);
  --na: var(--vscode-disabledForeground, #8b949e);`;

export const REPORT_CSS = `
:root { color-scheme: light dark; ${LIGHT} }
@media (prefers-color-scheme: dark) { :root { ${DARK} } }
/* In the webview the editor's theme decides, whatever the system's preference. */
body.vscode-light { color-scheme: light; }
body.vscode-dark, body.vscode-high-contrast { color-scheme: dark; }
body.vscode-high-contrast-light { color-scheme: light; }
body {
  margin: 0; padding: 16px 24px 48px; color: var(--fg); background: var(--bg);
  font-family: var(--vscode-font-family, -apple-system, BlinkMacSystemFont, "Segoe UI", sans-serif);
  font-size: var(--vscode-font-size, 14px); line-height: 1.45;
}
h1 { font-size: 1.6em; margin: 0 0 4px; }
h2 { font-size: 1.25em; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--border); }
h3 { font-size: 1.05em; margin: 20px 0 6px; }
p.meta, p.note, figcaption, caption { color: var(--muted); }
caption { text-align: left; padding: 4px 0; caption-side: top; }
code, .path { font-family: var(--vscode-editor-font-family, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace); font-size: 0.92em; }
.toolbar { display: flex; gap: 8px; margin: 8px 0 0; }
.toolbar button { padding: 4px 12px; border: 1px solid var(--border); border-radius: 4px; background: var(--button-bg); color: var(--button-fg); font: inherit; cursor: pointer; }
table { border-collapse: collapse; margin: 4px 0 8px; }
th, td { border: 1px solid var(--border); padding: 4px 10px; text-align: left; vertical-align: top; }
thead th { background: var(--stripe); }
tbody tr:nth-child(even) { background: var(--stripe); }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
a, button.link { color: var(--link); }
button.link { background: none; border: none; padding: 0; font: inherit; text-align: left; cursor: pointer; text-decoration: underline; }
a:focus-visible, button:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.verdict { display: inline-block; padding: 0 8px; border-radius: 10px; border: 1px solid currentColor; font-weight: 600; }
.v-blocking { color: var(--error); }
.v-needs-work { color: var(--warning); }
.v-ready { color: var(--ok); }
.v-not-checked { color: var(--na); }
.sev-error { color: var(--error); }
.sev-warning { color: var(--warning); }
.sev-info { color: var(--info); }
svg.chart { max-width: 100%; height: auto; font-family: inherit; }
svg.chart text { fill: var(--fg); font-size: 12px; }
svg.chart text.muted { fill: var(--muted); }
svg.chart rect.bar-error { fill: var(--error); }
svg.chart rect.bar-warning { fill: var(--warning); }
svg.chart rect.bar-info { fill: var(--info); }
svg.chart line.axis { stroke: var(--border); }
.legend { display: flex; gap: 16px; flex-wrap: wrap; margin: 4px 0; color: var(--muted); }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
.swatch.sev-error { background: var(--error); }
.swatch.sev-warning { background: var(--warning); }
.swatch.sev-info { background: var(--info); }
#endpoint-matrix td[data-state] { text-align: center; min-width: 5.5em; }
#endpoint-matrix td[data-state] .symbol { font-weight: 700; }
#endpoint-matrix td[data-state="ok"] { color: var(--ok); background: color-mix(in srgb, var(--ok) 12%, transparent); }
#endpoint-matrix td[data-state="warn"] { color: var(--warning); background: color-mix(in srgb, var(--warning) 14%, transparent); }
#endpoint-matrix td[data-state="fail"] { color: var(--error); background: color-mix(in srgb, var(--error) 14%, transparent); }
#endpoint-matrix td[data-state="na"] { color: var(--na); }
#endpoint-matrix td[data-state] a, #endpoint-matrix td[data-state] button.link { color: inherit; }
.framework { color: var(--muted); font-size: 0.85em; margin-left: 6px; }
ul.findings { list-style: none; padding: 0; margin: 0; }
ul.findings li { padding: 6px 0; border-bottom: 1px solid var(--border); }
.badge { display: inline-block; min-width: 5.5em; font-weight: 600; }
.rule { margin: 0 8px; }
.message { display: block; margin-top: 2px; }
`;
