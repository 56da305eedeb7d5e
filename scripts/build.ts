import { fileURLToPath } from "node:url";
import { buildAll } from "../launcher/build";

// `npm run build`: everything production runs (launcher/build.ts).
await buildAll(fileURLToPath(new URL("..", import.meta.url)));
