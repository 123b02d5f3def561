import type { ObjectRef } from '@pothos/core';
import type { BaseBuilder, SubgraphBuilder, SubgraphTypes } from './builder.js';
import type { RequestContext } from './context.js';

/**
 * Money is held as integer cents everywhere in the platform and shown to clients as a decimal
 * string with its currency (`{ amount: "125.00", currency: "USD" }`): never a float.
 */
export interface Money {
  readonly amount: string;
  readonly currency: string;
}

const AMOUNT = /^(-)?(\d{1,13})(?:\.(\d{1,2}))?$/;

/** Formats integer cents as a decimal string with two places (`-1050` gives `"-10.50"`). */
export function formatCents(cents: number | bigint): string {
  const value = BigInt(cents);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Parses a decimal amount with at most two places into integer cents; `undefined` when malformed. */
export function parseAmountToCents(amount: string): number | undefined {
  const m = AMOUNT.exec(amount.trim());
  if (!m) return undefined;
  const cents = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

export function money(cents: number | bigint, currency = 'USD'): Money {
  return { amount: formatCents(cents), currency };
}

/**
 * The API's `Money { amount currency }` value type (docs/API-CONVENTIONS.md, "Money"), defined by
 * every subgraph that shows money (hence shareable). Resolvers return {@link money}(cents).
 */
const moneyRefs = new WeakMap<object, ObjectRef<SubgraphTypes<RequestContext>, Money>>();

export function defineMoney(builder: BaseBuilder): void {
  const ref = builder.objectRef<Money>('Money');
  moneyRefs.set(builder, ref);
  ref.implement({
    description: 'An exact amount of money: a decimal string (never a float) and an ISO 4217 currency code.',
    fields: (t) => ({
      amount: t.exposeString('amount', {
        nullable: false,
        shareable: true,
        dataClass: 'reference',
        description: 'Decimal string with two places, e.g. "125.00".',
      }),
      currency: t.exposeString('currency', { nullable: false, shareable: true, dataClass: 'reference' }),
    }),
  });
}

/** The `Money` type of a subgraph's builder, for fields that show an amount. */
export function moneyType<Ctx extends RequestContext>(subgraphBuilder: SubgraphBuilder<Ctx>): ObjectRef<SubgraphTypes<Ctx>, Money> {
  // See createSubgraphBuilder: the kit defines its types against the base context.
  const ref = moneyRefs.get(subgraphBuilder as unknown as BaseBuilder);
  if (!ref) throw new Error('moneyType needs a builder made by createSubgraphBuilder');
  return ref as unknown as ObjectRef<SubgraphTypes<Ctx>, Money>;
}
