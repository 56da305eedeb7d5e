/** "Moderator", "Moderator or Member", "A, B or C": items as a sentence lists them. */
export function orList(items: string[]): string {
  return listOf(items, "or");
}

/** "Moderator and Member". */
export function andList(items: string[]): string {
  return listOf(items, "and");
}

function listOf(items: string[], conjunction: "and" | "or"): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${conjunction} ${items.at(-1)}`;
}
