/**
 * A compile-time check that a server-side type (a domain record, a read-model view) fits the answer
 * schema published for it, so the two cannot drift: a field added or retyped on one side without the
 * other breaks the build of the workspace that states the check. Types only.
 */

type DeepReadonly<T> = T extends readonly (infer E)[] ? readonly DeepReadonly<E>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** The named fields of a type, without the index signature of a stored document. */
type NamedKeys<T> = keyof { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

/**
 * `true` when every `Value` is a valid `Contract` (the schema's input type) and `Value` has no field
 * the contract does not name; a compile error otherwise. Use as `const _: AnswerFits<…> = true`.
 */
export type AnswerFits<Contract, Value extends DeepReadonly<Contract>> = Exclude<NamedKeys<Value>, keyof Contract> extends never
  ? true
  : { unpublishedFields: Exclude<NamedKeys<Value>, keyof Contract> };
