// The decision about one handler, shared by the message and the fix.
import type { RouteHandler } from '../../shared/http';
import type { FunctionFacts } from './function-facts';
import type { DtoNote } from './nest';
import type { FieldRead, Part, WholeUse } from './sources';

/** A handler with reads nothing validated: the fields and whole parts concerned, by part. */
export interface Verdict {
  readonly handler: RouteHandler;
  readonly facts: FunctionFacts;
  readonly fields: FieldRead[];
  readonly wholes: WholeUse[];
  readonly parts: Part[];
  readonly notes: Map<Part, DtoNote>;
}
