/**
 * An object that stands in for one made in a `beforeAll`: property reads go to it once it exists
 * (methods bound to it), and fail clearly before. Fixtures return these, so tests keep writing
 * `h.post(…)` and `sandbox.control…` without `let` variables and null checks.
 */
export function late<T extends object>(what: string, current: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_target, property) {
      const target = current();
      if (target === undefined) throw new Error(`${what} is used before its beforeAll ran`);
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
