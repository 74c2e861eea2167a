/**
 * GraphQL's own messages about bad input, rewritten so that they never echo a submitted value
 * (graphql-js quotes a whole variable, identity numbers included, when one field of it is
 * wrong) and, where the schema is not to be discovered, carry no "Did you mean …" hints.
 *
 * A message is rebuilt from parts of known shape only (a variable or argument name, a path of
 * field names and list indices, a type name), never by deleting the value from the original
 * text: what is not recognised gets a generic message, so a message shape graphql-js adds later
 * fails closed. The shapes are graphql-js 16's (values.ts, coerceInputValue.ts,
 * ValuesOfCorrectTypeRule.ts); test/operations/client-messages.test.ts holds them.
 */

const NAME = '[_A-Za-z][_0-9A-Za-z]*';
/** A path inside a variable: field names and list indices (`input.members[2]`). */
const PATH = `${NAME}(?:\\.${NAME}|\\[\\d+\\])*`;
const SUGGESTION = / Did you mean [^?]*\?$/;

/** A client-chosen name, shown only when it cannot be personal data (no long digit runs). */
function shownName(name: string): string | undefined {
  return new RegExp(`^${NAME}$`).test(name) && name.length <= 64 && !/\d{6,}/.test(name)
    ? name
    : undefined;
}

/** Why a value was refused, in words that hold no part of the value. */
const REASONS: [RegExp, (m: RegExpExecArray) => string][] = [
  [
    /Expected non-nullable type "([^"]+)" not to be null\.$/,
    (m) => `Expected a non-null "${m[1]}".`,
  ],
  [/Expected type "(\w+)" to be an object\.$/, (m) => `Expected an object of type "${m[1]}".`],
  [
    /Field "(\w+)" of required type "([\w[\]!]+)" was not provided\.$/,
    (m) => `Field "${m[1]}" of required type "${m[2]}" was not provided.`,
  ],
  [
    /Field "([^"]*)" is not defined by type "(\w+)"\.$/,
    (m) => {
      const name = shownName(m[1]!);
      return name
        ? `Field "${name}" is not defined by type "${m[2]}".`
        : `A field is not defined by type "${m[2]}".`;
    },
  ],
  [
    /Exactly one key must be specified for OneOf type "(\w+)"\.$/,
    (m) => `Exactly one key must be specified for OneOf type "${m[1]}".`,
  ],
  [/Value .* does not exist in "(\w+)" enum\.$/s, (m) => `Expected a value of the "${m[1]}" enum.`],
  [/Enum "(\w+)" cannot represent .*$/s, (m) => `Expected a value of the "${m[1]}" enum.`],
  [
    /(Int|Float|String|Boolean|ID) cannot represent .*$/s,
    (m) => `Expected a value of type "${m[1]}".`,
  ],
  [/Expected type "(\w+)"\..*$/s, (m) => `Expected a value of type "${m[1]}".`],
];

function reasonOf(text: string): string {
  for (const [pattern, say] of REASONS) {
    const match = pattern.exec(text);
    if (match) return say(match);
  }
  return 'The value is not valid for its type.';
}

export interface SafeMessage {
  message: string;
  /** Added to the error's extensions: where the bad input is. */
  extensions?: Record<string, unknown>;
}

const VARIABLE_VALUE = new RegExp(`^Variable "\\$(${NAME})" got invalid value (.*)$`, 's');
const VARIABLE_PATH = new RegExp(` at "(${PATH})"; `, 'g');
const ARGUMENT_VALUE = new RegExp(`^Argument "(${NAME})" has invalid value .*$`, 's');
const LITERAL_VALUE = /^Expected value of type "([\w[\]!]+)", found .*$/s;
/** A scalar's or enum's own refusal of a literal, which quotes the literal. */
const SCALAR_REFUSAL =
  /^(Value .* does not exist in|Enum "\w+" cannot represent|(Int|Float|String|Boolean|ID) cannot represent|Expected type "\w+"\.)/s;
const UNKNOWN_INPUT_FIELD = /^Field "([^"]*)" is not defined by type "(\w+)"\.$/;

/** Variable coercion: `Variable "$v" got invalid value <value>[ at "<path>"]; <reason>`. */
function variableMessage(name: string, rest: string): SafeMessage {
  let path = name;
  for (const match of rest.matchAll(VARIABLE_PATH)) {
    if (match[1]!.startsWith(`${name}.`) || match[1]!.startsWith(`${name}[`)) path = match[1]!;
  }
  return {
    message: `Variable "$${name}" got an invalid value at "${path}": ${reasonOf(rest)}`,
    extensions: { variable: name, path },
  };
}

/** The message without any value the client sent; undefined when it quotes none. */
function withoutValues(message: string): SafeMessage | undefined {
  const variable = VARIABLE_VALUE.exec(message);
  if (variable) return variableMessage(variable[1]!, variable[2]!);
  const argument = ARGUMENT_VALUE.exec(message);
  if (argument) {
    return {
      message: `Argument "${argument[1]}" has an invalid value.`,
      extensions: { argument: argument[1] },
    };
  }
  const literal = LITERAL_VALUE.exec(message);
  if (literal) return { message: `Expected a value of type "${literal[1]}".` };
  if (SCALAR_REFUSAL.test(message)) return { message: reasonOf(message) };
  const unknown = UNKNOWN_INPUT_FIELD.exec(message);
  if (unknown && !shownName(unknown[1]!)) {
    return { message: `A field is not defined by type "${unknown[2]}".` };
  }
  return undefined;
}

export interface ClientMessageOptions {
  /** Drop "Did you mean …" hints (introspection off: the schema is not to be mapped). */
  hideSuggestions: boolean;
}

const HINT = /^ Did you mean (the enum value )?("[^"]*"(, |,? or ))*"[^"]*"\?$/;

function isSchemaHint(suggestion: string): boolean {
  if (!HINT.test(suggestion)) return false;
  const names = [...suggestion.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
  return names.every((name) => shownName(name) !== undefined);
}

/** A client-facing message with no submitted value and, where asked, no schema hints. */
export function safeClientMessage(message: string, options: ClientMessageOptions): SafeMessage {
  const suggestion = SUGGESTION.exec(message)?.[0] ?? '';
  const core = suggestion ? message.slice(0, -suggestion.length) : message;
  const safe = withoutValues(core) ?? { message: core };
  // A hint is kept only when made of schema-shaped names (a crafted value could mimic one).
  const hint = !options.hideSuggestions && isSchemaHint(suggestion) ? suggestion : '';
  return { ...safe, message: `${safe.message}${hint}` };
}
