// Where a rule's documentation lives. The docs ship with the package as Markdown
// beside each rule, so links work offline and open inside VS Code.
import type { RuleDescriptor } from '../../../rules/catalogue-types';
import { packageFile } from './package-root';
import { pathToUri } from './paths';

export function docsPath(rule: Pick<RuleDescriptor, 'id' | 'category'>): string {
  return packageFile(`rules/${rule.category}/${rule.id}.md`);
}

export function docsUrl(rule: Pick<RuleDescriptor, 'id' | 'category'>): string {
  return pathToUri(docsPath(rule));
}
