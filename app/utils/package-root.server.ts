import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of this project's package.json, found from the calling module's location:
 * the same whether the code runs from its sources (tsx, vitest) or from a bundle in build/.
 */
export function packageRoot(from: string): string {
  let folder = path.dirname(fileURLToPath(from));
  while (!existsSync(path.join(folder, "package.json"))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${fileURLToPath(from)}`);
    folder = parent;
  }
  return folder;
}

/** Whether the calling module runs compiled (a .js bundle in build/) rather than from its TypeScript source. */
export function runsCompiled(from: string): boolean {
  return from.endsWith(".js");
}
