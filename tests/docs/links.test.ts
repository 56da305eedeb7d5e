import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The documentation is read by following links from the README: a file nothing links to
// is never found, and a link to a file that moved leads nowhere.

const root = fileURLToPath(new URL("../..", import.meta.url));

function markdownFiles(folder: string): string[] {
  return readdirSync(path.join(root, folder)).flatMap((name) => {
    const relative = path.join(folder, name);
    if (statSync(path.join(root, relative)).isDirectory()) return markdownFiles(relative);
    return name.endsWith(".md") ? [relative] : [];
  });
}

/** Relative links in a Markdown file, resolved from the repository's root (anchors dropped). */
function linksIn(file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!.split("#")[0]!)
    .filter((target) => target !== "" && !/^[a-z]+:/i.test(target))
    .map((target) => path.normalize(path.join(path.dirname(file), decodeURIComponent(target))));
}

const documents = ["README.md", ...markdownFiles("docs")];
/** The decision template links to "NNN-title.md" on purpose: it is filled in when copied. */
const TEMPLATE = "docs/decisions/template.md";
const links = new Map(documents.map((file) => [file, linksIn(file)]));

describe("the documentation", () => {
  it("has every file in docs/ reachable by links from the README", () => {
    const reached = new Set(["README.md"]);
    const queue = ["README.md"];
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      for (const target of links.get(file) ?? []) {
        if (documents.includes(target) && !reached.has(target)) {
          reached.add(target);
          queue.push(target);
        }
      }
    }
    const unreached = documents.filter((file) => !reached.has(file));
    expect(unreached).toEqual([]);
  });

  it("links only to files that exist", () => {
    const broken = [...links]
      .filter(([file]) => file !== TEMPLATE)
      .flatMap(([file, targets]) =>
        targets.filter((target) => !existsSync(path.join(root, target))).map((target) => `${file} → ${target}`),
      );
    expect(broken).toEqual([]);
  });
});
