/**
 * Operation limits, checked once the operation is resolved and before any department is called:
 * depth, aliases, root fields and estimated cost, with this request's variables (`persons(ids)`
 * costs per id, so a document Apollo has cached is measured again each time).
 *
 * The token limit acts earlier, inside graphql-js's parser (`parseOptions.maxTokens`), so a huge
 * document is never parsed nor validated; `tokenLimitError` turns the parser's refusal into the
 * same QUERY_TOO_COMPLEX. (Apollo Server answers 500 to anything a plugin throws before the
 * operation is resolved, so earlier hooks cannot refuse a request themselves.)
 *
 * Answers QUERY_TOO_COMPLEX (HTTP 400) naming the limit, its maximum and the measured value.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, PlatformError } from '../../schema/errors.ts';
import { ShapeMeter, type OperationShape, type ShapeOptions } from './operation-shape.ts';

export interface OperationLimitsOptions extends ShapeOptions {
  /** Deepest field nesting; root fields are at depth 1. */
  maxDepth: number;
  /** Aliased fields, fragments expanded. */
  maxAliases: number;
  /** Fields at the root of the operation (aliases count separately). */
  maxRootFields: number;
  /** Lexical tokens in the document: give it to Apollo as `parseOptions.maxTokens`. */
  maxTokens: number;
  /** Estimated cost (see operation-shape.ts). */
  maxCost: number;
  /** Told about every refusal (metrics). */
  onRefused?: (limit: LimitName) => void;
}

export type LimitName = 'tokens' | 'depth' | 'aliases' | 'rootFields' | 'cost';

const LABELS: Record<LimitName, string> = {
  tokens: 'tokens in the document',
  depth: 'nesting depth',
  aliases: 'aliases',
  rootFields: 'root fields',
  cost: 'estimated cost',
};

export function tooComplex(limit: LimitName, maximum: number, measured: number): PlatformError {
  const shown = Number.isFinite(measured) ? measured : 'unbounded';
  return new PlatformError(
    ErrorCode.QUERY_TOO_COMPLEX,
    `The operation exceeds the limit on ${LABELS[limit]}: at most ${maximum} (this one: ${shown})`,
    { extensions: { http: { status: 400 }, limit, maximum, measured: shown } },
  );
}

// graphql 16 says "more that N tokens"; later versions may fix the typo.
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more th(?:at|an) (\d+) tokens/;

/** The parser's "more than N tokens" refusal, as QUERY_TOO_COMPLEX (for Apollo's formatError). */
export function tokenLimitError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const match = TOKEN_LIMIT_MESSAGE.exec(formatted.message);
  if (!match || formatted.extensions?.code !== 'GRAPHQL_PARSE_FAILED') return formatted;
  const maximum = Number(match[1]);
  return {
    message: `The operation exceeds the limit on ${LABELS.tokens}: at most ${maximum}`,
    extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: 'tokens', maximum },
  };
}

export function checkShape(shape: OperationShape, options: OperationLimitsOptions): void {
  const checks: [LimitName, number, number][] = [
    ['depth', options.maxDepth, shape.depth],
    ['aliases', options.maxAliases, shape.aliases],
    ['rootFields', options.maxRootFields, shape.rootFields],
    ['cost', options.maxCost, shape.cost],
  ];
  for (const [limit, maximum, measured] of checks) {
    if (measured > maximum) {
      options.onRefused?.(limit);
      throw tooComplex(limit, maximum, measured);
    }
  }
}

export function createOperationLimitsPlugin<TContext extends BaseContext>(
  options: OperationLimitsOptions,
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, request, operation }) {
          if (!operation) return;
          const meter = new ShapeMeter(schema, document, request.variables ?? {}, options);
          checkShape(meter.measure(operation), options);
        },
        async didEncounterErrors({ errors }) {
          if (errors.some((e) => TOKEN_LIMIT_MESSAGE.test(e.message)))
            options.onRefused?.('tokens');
        },
      };
    },
  };
}
