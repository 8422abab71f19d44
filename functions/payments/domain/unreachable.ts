/** The exhaustive end of a switch: reaching it means a case was added and not handled. */
export function unreachable(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
