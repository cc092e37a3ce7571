// Every place untrusted data enters, behind two questions the propagation asks:
// is this expression a read of untrusted data, and is this parameter untrusted data
// by itself (a decorated Nest parameter, a WebSocket message)?
import type { ts } from 'ts-morph';
import type { RuleContext } from '../../api';
import type { TaintSource } from '../types';
import { browserSource, lambdaSource, listenerParameterSource } from './events';
import { requestParameterSource, requestSource } from './request';

export function expressionSource(ctx: RuleContext, e: ts.Expression): TaintSource | undefined {
  const { ts } = ctx;
  if (!ts.isPropertyAccessExpression(e) && !ts.isElementAccessExpression(e) && !ts.isCallExpression(e)) return undefined;
  return requestSource(ctx, e) ?? lambdaSource(ctx, e) ?? browserSource(ctx, e);
}

export function parameterSource(ctx: RuleContext, param: ts.ParameterDeclaration | ts.BindingElement): TaintSource | undefined {
  const { ts } = ctx;
  if (ts.isParameter(param)) return requestParameterSource(ctx, param) ?? listenerParameterSource(ctx, param);
  return requestParameterSource(ctx, param);
}
