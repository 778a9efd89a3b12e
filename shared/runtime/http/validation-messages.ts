import * as v from 'valibot';

/** Where the input came from, for the words of an unknown-key message. */
export type InputKind = 'body' | 'query';

/** The quoted options of a picklist, variant or literal (`("booked" | "pending")`) as plain words: "booked or pending". */
const optionsOf = (expected: string | null): string => {
  const options = (expected ?? '').match(/"[^"]*"/g)?.map((option) => option.slice(1, -1)) ?? [];
  if (options.length === 0) return 'one of the accepted values';
  if (options.length === 1) return `"${options[0]}"`;
  return `one of ${options.slice(0, -1).join(', ')} or ${options.at(-1)}`;
};

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list (JSON array)',
  object: 'an object',
  strict_object: 'an object',
  record: 'an object',
};

/** A requirement as a number when it is one (min_length and friends), else undefined. */
const numberOf = (issue: v.BaseIssue<unknown>): number | undefined => {
  const requirement: unknown = 'requirement' in issue ? issue.requirement : undefined;
  return typeof requirement === 'number' ? requirement : undefined;
};

/**
 * valibot's default wording ("Invalid key: Expected never but received \"tenantId\"") in plain words for a developer:
 * the field, then the rule ("tenantId is not a field of this request", "limit must be at least 1"). Used for every
 * issue whose schema gave no message of its own.
 */
const defaultRule = (issue: v.BaseIssue<unknown>, field: string, kind: InputKind): string => {
  const count = numberOf(issue);
  const unit = typeof issue.input === 'string' ? 'characters' : 'items';
  switch (issue.type) {
    case 'object':
    case 'strict_object':
    case 'loose_object':
      if (issue.expected === 'never') return kind === 'query' ? `${field} is not a parameter of this request` : `${field} is not a field of this request`;
      if (issue.received === 'undefined' && issue.expected?.startsWith('"') === true) return `${field} is required`;
      return `${field} must be an object`;
    case 'picklist':
    case 'variant':
    case 'enum':
      return issue.received === 'undefined' ? `${field} is required and must be ${optionsOf(issue.expected)}` : `${field} must be ${optionsOf(issue.expected)}`;
    case 'literal':
      return `${field} must be ${optionsOf(issue.expected)}`;
    case 'min_value':
      return `${field} must be at least ${String(issue.requirement ?? issue.expected?.replace(/^>=/, ''))}`;
    case 'max_value':
      return `${field} must be at most ${String(issue.requirement ?? issue.expected?.replace(/^<=/, ''))}`;
    case 'min_length':
      if (count === 1) return unit === 'characters' ? `${field} must not be empty` : `${field} must hold at least 1 item`;
      return `${field} must be at least ${String(count)} ${unit} long`;
    case 'max_length':
      return unit === 'characters' ? `${field} must be at most ${String(count)} characters` : `${field} must hold at most ${String(count)} items`;
    case 'integer':
      return `${field} must be a whole number`;
    case 'iso_timestamp':
      return `${field} must be an ISO 8601 timestamp such as 2026-11-24T10:00:00Z`;
    case 'starts_with':
      return `${field} must start with ${String(issue.requirement)}`;
    case 'regex':
      return `${field} is not in the accepted format`;
    case 'union':
      return `${field} does not match any accepted form`;
    default: {
      const type = TYPE_WORDS[issue.type];
      if (type !== undefined && issue.kind === 'schema') return `${field} must be ${type}`;
      return `${field} is not valid`;
    }
  }
};

/** The field an issue is about, as a dot path (`counterparty.name`, `events.0`), or what was sent as a whole. */
const fieldOf = (issue: v.BaseIssue<unknown>, kind: InputKind): string => v.getDotPath(issue) ?? (kind === 'query' ? 'the query string' : 'the request body');

/**
 * One issue as a message that names the field and the rule. A schema's own message is kept; one that does not
 * start with the field gets it in front ("must not be empty" → "counterparty.name must not be empty").
 */
export const plainMessage = (issue: v.BaseIssue<unknown>, kind: InputKind): string => {
  const field = fieldOf(issue, kind);
  const leaf = field.split('.').at(-1) ?? field;
  // valibot's own wording always starts with "Invalid <what>: Expected …".
  if (/^Invalid \w+: Expected /.test(issue.message)) return defaultRule(issue, field, kind);
  if (issue.message.startsWith(field) || issue.message.startsWith(leaf)) return issue.message;
  if (/^(must|is|are|may)\b/.test(issue.message)) return `${field} ${issue.message}`;
  return `${field}: ${issue.message}`;
};
