/**
 * Small type guards for data that crosses a boundary (storage, messages, parsed model output):
 * they check instead of asserting, so an `as` cast is not needed to read untrusted values.
 */

/** A plain object whose fields can be read (and must still be checked one by one). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` is one of `values` (a string union listed at run time). */
export function isOneOf<T extends string | number | boolean | null>(values: readonly T[], value: unknown): value is T {
  return values.some((candidate) => candidate === value);
}

/** A list of strings, every item checked. */
export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** An object's own keys, typed: for objects built from a literal whose keys are exactly `keyof T`. */
export function hasKey<T extends object>(object: T, key: PropertyKey): key is keyof T {
  return Object.hasOwn(object, key);
}

/**
 * A property of a value whose type is not known (a browser global, an API a browser may lack, an
 * error from another bundle), as `unknown` for the caller to check: undefined when there is none.
 */
export function fieldOf(value: unknown, key: PropertyKey): unknown {
  return (typeof value === 'object' && value !== null) || typeof value === 'function' ? Reflect.get(value, key) : undefined;
}
