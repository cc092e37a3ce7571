// tracking-without-consent: browser analytics or ad tracking (gtag, GA, GTM, PostHog,
// Mixpanel, Segment, Amplitude, Hotjar, the Meta pixel) started with nothing that waits for
// the visitor's consent, so cookies are set and personal data leaves on the first page view.
import type { Rule } from '../api';
import { isTestModule } from '../shared/module-imports';
import { startsAfterConsent } from './tracking-without-consent/consent';
import { findTrackerStarts } from './tracking-without-consent/trackers';

export const rule: Rule = {
  id: 'tracking-without-consent',
  category: 'compliance',
  cwe: [359],
  defaultSeverity: 'warning',
  description: 'Analytics or ad tracking starts in the browser with no consent check guarding it.',
  needsTypes: true,
  fixable: false,
  check(ctx) {
    if (isTestModule(ctx)) return;
    for (const start of findTrackerStarts(ctx)) {
      if (startsAfterConsent(ctx, start)) continue;
      ctx.report({
        node: start.node,
        message: `\`${start.label}\` starts tracking before the visitor has consented: run it only once your consent banner or CMP grants analytics consent${start.optOutKeys.length ? `, or start opted out with \`${start.optOutKeys[0]}: true\`` : start.global === 'gtag' ? `, or set \`gtag('consent', 'default', { analytics_storage: 'denied' })\` before it` : ''}.`,
      });
    }
  },
};
