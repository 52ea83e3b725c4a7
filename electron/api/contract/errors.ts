/** How a failed command answers, and the error the client throws for it. */
import type { z } from 'zod';

/** One problem with a payload: where (`path`, dotted) and what. */
export interface InputIssue {
  path: string;
  message: string;
}

/** What a failed command answers. `invalid-input` lists its issues; other codes are the engine's. */
export interface ApiErrorBody {
  code: string;
  message: string;
  issues?: InputIssue[];
}

/** A command's failure, as the client throws it. */
export class ApiError extends Error {
  readonly code: string;
  readonly issues: InputIssue[];

  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.issues = body.issues ?? [];
  }
}

/** The issues of a failed parse, as plain data. */
export function describeIssues(error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}
