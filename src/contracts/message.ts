import type { QueryDefinition, SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { z } from 'zod';

/**
 * A message is one object: the name it travels under, the zod schema its receiver parses
 * the payload with, and the Temporal definition that handlers are installed on and senders
 * send through. The name is written once, here; workflows, clients and tests all take it
 * from the object, so a rename is one line and a sender can refuse exactly what the
 * receiver would drop.
 */

/** A signal with a payload. Signals cannot answer: a payload the schema refuses is dropped and counted by the workflow. */
export interface SignalMessage<Name extends string = string, Schema extends z.ZodTypeAny = z.ZodTypeAny> {
  readonly kind: 'signal';
  readonly name: Name;
  readonly schema: Schema;
  readonly definition: SignalDefinition<[z.input<Schema>], Name>;
}

/** A signal without a payload (e.g. `checkNow`). */
export interface BareSignalMessage<Name extends string = string> {
  readonly kind: 'signal';
  readonly name: Name;
  readonly definition: SignalDefinition<[], Name>;
}

/** An update: its validator refuses, with the schema's message, what its handler would not accept. */
export interface UpdateMessage<Result, Name extends string = string, Schema extends z.ZodTypeAny = z.ZodTypeAny> {
  readonly kind: 'update';
  readonly name: Name;
  readonly schema: Schema;
  readonly definition: UpdateDefinition<Result, [z.input<Schema>], Name>;
}

/** A query without arguments. */
export interface QueryMessage<Result, Name extends string = string> {
  readonly kind: 'query';
  readonly name: Name;
  readonly definition: QueryDefinition<Result, [], Name>;
}

/** A query that takes one argument (e.g. the model a shard answers for). */
export interface ArgQueryMessage<Result, Arg, Name extends string = string> {
  readonly kind: 'query';
  readonly name: Name;
  readonly definition: QueryDefinition<Result, [Arg], Name>;
}

export function signalMessage<const Name extends string, Schema extends z.ZodTypeAny>(
  name: Name,
  schema: Schema,
): SignalMessage<Name, Schema> {
  return { kind: 'signal', name, schema, definition: defineSignal<[z.input<Schema>], Name>(name) };
}

export function bareSignalMessage<const Name extends string>(name: Name): BareSignalMessage<Name> {
  return { kind: 'signal', name, definition: defineSignal<[], Name>(name) };
}

/** `updateMessage<Result>()(name, schema)`: the result type is given, name and schema are inferred. */
export function updateMessage<Result>() {
  return <const Name extends string, Schema extends z.ZodTypeAny>(
    name: Name,
    schema: Schema,
  ): UpdateMessage<Result, Name, Schema> => ({
    kind: 'update',
    name,
    schema,
    definition: defineUpdate<Result, [z.input<Schema>], Name>(name),
  });
}

/**
 * The signal twin of an update, for `temporal workflow signal` users and signal-with-start:
 * same name, same schema. The SDK keeps update and signal handlers apart, so both coexist.
 */
export function signalTwin<Name extends string, Schema extends z.ZodTypeAny>(
  update: UpdateMessage<unknown, Name, Schema>,
): SignalMessage<Name, Schema> {
  return signalMessage(update.name, update.schema);
}

/** `queryMessage<Result>()(name)`. */
export function queryMessage<Result>() {
  return <const Name extends string>(name: Name): QueryMessage<Result, Name> => ({
    kind: 'query',
    name,
    definition: defineQuery<Result, [], Name>(name),
  });
}

/** `argQueryMessage<Result, Arg>()(name)`. */
export function argQueryMessage<Result, Arg>() {
  return <const Name extends string>(name: Name): ArgQueryMessage<Result, Arg, Name> => ({
    kind: 'query',
    name,
    definition: defineQuery<Result, [Arg], Name>(name),
  });
}

/**
 * Indexes messages by their own name: `byName(a, b).a === a`. Lets a receiver look up the
 * message a recorded name stands for without writing the name a second time.
 */
export function byName<const Ms extends ReadonlyArray<{ readonly name: string }>>(...messages: Ms): ByName<Ms[number]> {
  return Object.fromEntries(messages.map((m) => [m.name, m])) as ByName<Ms[number]>;
}
type ByName<M extends { readonly name: string }> = { readonly [T in M as T['name']]: T };
